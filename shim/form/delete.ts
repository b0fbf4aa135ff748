/**
 * `ConsentGuard.confirmDelete`, for a button that replaces Delete on Contact, Lead and Account
 * forms and views: deleting makes Spotler anonymize the contact at once, so it asks first.
 * @module
 */

import { ready } from "../core";
import { runCommand } from "./executor";
import { fallbackDeleteAction, fallbackDeleteFailed } from "./fallback";
import type { Confirmation } from "../gen/internal";
import { recordConfirmation } from "./notes";
import { formLanguageId, formSettings } from "./onload";
import { readOrgSettings } from "./org-settings";
import { readSettings, rules } from "./rules";
import { cleanId, clearFault, describe, showFault, userLanguageId, xrm } from "./xrm";

interface GridLike {
  getEntityName?: () => string;
  refresh?: () => void;
  getGrid?: () => { getSelectedRows?: () => { forEach?: (f: (row: unknown) => void) => void } };
}

function isForm(control: unknown): control is Xrm.FormContext {
  return typeof (control as Xrm.FormContext | null)?.data?.entity?.getEntityName === "function";
}

/** The selected rows' ids and names, where the grid tells them. */
function selectedRows(grid: GridLike): Map<string, string> {
  const names = new Map<string, string>();
  grid
    .getGrid?.()
    .getSelectedRows?.()
    .forEach?.((row) => {
      const entity = (row as { getData?: () => { getEntity?: () => Xrm.Entity } }).getData?.().getEntity?.();
      const id = cleanId(entity?.getId?.());
      if (id) names.set(id, entity?.getPrimaryAttributeValue?.() ?? id);
    });
  return names;
}

/** A Delete being asked about or carried out: pressing Delete again meanwhile does nothing. */
let deleting = false;

/**
 * Ask, then delete; never rejects. The ribbon passes PrimaryControl on a form, and SelectedControl
 * and SelectedControlSelectedItemIds on a grid or subgrid. One Delete at a time: a second press
 * while the first is starting, asking or deleting would ask twice and delete twice.
 */
export async function confirmDelete(primaryControl: unknown, selectedIds?: string[] | string): Promise<void> {
  if (deleting) return;
  deleting = true;
  try {
    await askThenDelete(primaryControl, selectedIds);
  } catch {
    // A command given what no ribbon passes (before anything is deleted), or a form or grid that
    // fails while the outcome is shown: the command's promise never rejects.
  } finally {
    deleting = false;
  }
}

async function askThenDelete(primaryControl: unknown, selectedIds?: string[] | string): Promise<void> {
  // The language the form's settings chose, where its onLoad ran; else the user's (on a grid,
  // the org's settings may choose it once they are read, below).
  let lcid = formLanguageId(isForm(primaryControl) ? primaryControl : null);
  if (selectedIds !== undefined && isForm(primaryControl)) {
    // A subgrid's command given PrimaryControl: that is the form around the grid, whose own record
    // must not be deleted in place of the rows selected.
    try {
      await ready();
      showFault(primaryControl, "delete", rules.deleteWrongControl(lcid));
    } catch {
      // Deleting nothing is all that is left to do.
    }
    return;
  }
  const form = isForm(primaryControl) ? primaryControl : null;
  const grid = form ? null : (primaryControl as GridLike | null);
  const entity = (form ? form.data.entity.getEntityName() : (grid?.getEntityName?.() ?? "")).toLowerCase();
  const ids = form
    ? [cleanId(form.data.entity.getId())]
    : (Array.isArray(selectedIds) ? selectedIds : typeof selectedIds === "string" ? selectedIds.split(",") : [])
        .filter((id): id is string => typeof id === "string")
        .map(cleanId)
        .filter(Boolean);
  if (!entity || ids.length === 0) return;
  const rowNames = grid ? selectedRows(grid) : new Map<string, string>();
  const names = ids.map((id) => (form ? form.data.entity.getPrimaryAttributeValue() || id : (rowNames.get(id) ?? id)));

  let moduleReady = true;
  try {
    await ready();
  } catch {
    // Still ask, in the fallback's words: deleting unasked is what this command prevents.
    moduleReady = false;
  }
  const settings = moduleReady ? await deleteSettings(form, entity) : undefined;
  if (settings) lcid = settings.languageId;
  const action = moduleReady ? rules.adviseDelete(names, lcid) : fallbackDeleteAction(names);
  // The note goes on no record: one on a record being deleted would be deleted with it.
  const record = settings?.recordConfirmations
    ? (confirmation: Confirmation) => void recordConfirmation(confirmation, { form, record: null, languageId: lcid })
    : undefined;
  await runCommand(
    form,
    action,
    async () => {
      const failures: string[] = [];
      for (const [index, id] of ids.entries()) {
        try {
          await xrm().WebApi.deleteRecord(entity, id);
        } catch (error) {
          const name = names[index] ?? id;
          failures.push(moduleReady ? rules.deleteFailed(name, describe(error), lcid) : fallbackDeleteFailed(name, describe(error)));
        }
      }
      if (form) {
        if (failures.length) showFault(form, "delete", failures.join(" "));
        else {
          clearFault(form, "delete");
          if (action.afterReplay === "close") form.ui.close();
        }
      } else {
        // What was not deleted is said first: a grid that fails to refresh must not hide it.
        try {
          if (failures.length) await xrm().Navigation.openAlertDialog({ text: failures.join("\n") });
        } finally {
          grid?.refresh?.();
        }
      }
    },
    record,
  );
}

/** What Delete takes from the settings (its language, whether confirmations are recorded): the form's where its onLoad ran, else the org's. */
async function deleteSettings(
  form: Xrm.FormContext | null,
  entity: string,
): Promise<{ languageId: number; recordConfirmations: boolean } | undefined> {
  const onForm = form ? formSettings.get(form.data.entity) : undefined;
  if (onForm) return onForm;
  try {
    return readSettings(null, userLanguageId(), entity, await readOrgSettings());
  } catch {
    return undefined;
  }
}
