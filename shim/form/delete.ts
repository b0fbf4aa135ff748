/**
 * `ConsentGuard.confirmDelete`: a command for a button that replaces Delete on Contact, Lead and
 * Account forms and views. Deleting makes Spotler anonymize the contact at once, so it asks first
 * (texts from the rules module) and deletes through the Web API only on confirmation.
 * @module
 */

import { rules } from "./rules";
import { ready } from "../core";
import { fallbackDeleteDialog } from "./fallback";
import { cleanId, notify, NOTIFICATION, xrm } from "./xrm";

interface GridLike {
  getEntityName?: () => string;
  refresh?: () => void;
  getGrid?: () => { getSelectedRows?: () => { get?: (i: number) => unknown; forEach?: (f: (row: unknown) => void) => void } };
}

function isForm(control: unknown): control is Xrm.FormContext {
  return typeof (control as Xrm.FormContext | null)?.data?.entity?.getEntityName === "function";
}

/** The selected rows' ids and names, where the grid tells them. */
function selectedRows(grid: GridLike): Map<string, string> {
  const names = new Map<string, string>();
  grid.getGrid?.().getSelectedRows?.().forEach?.((row) => {
    const entity = (row as { getData?: () => { getEntity?: () => Xrm.Entity } }).getData?.().getEntity?.();
    const id = cleanId(entity?.getId?.());
    if (id) names.set(id, entity?.getPrimaryAttributeValue?.() ?? id);
  });
  return names;
}

function userLanguage(): number | undefined {
  try {
    return xrm().Utility.getGlobalContext().userSettings.languageId;
  } catch {
    return undefined;
  }
}

/**
 * Ask, then delete. Register it on a command-bar button with the parameters PrimaryControl and
 * (in views) SelectedControlSelectedItemIds. Resolves when done; never rejects.
 */
export async function confirmDelete(primaryControl: unknown, selectedIds?: string[] | string): Promise<void> {
  const lcid = userLanguage();
  const form = isForm(primaryControl) ? primaryControl : null;
  const grid = form ? null : (primaryControl as GridLike | null);
  const entity = (form ? form.data.entity.getEntityName() : grid?.getEntityName?.() ?? "").toLowerCase();
  const ids = form
    ? [cleanId(form.data.entity.getId())]
    : (Array.isArray(selectedIds) ? selectedIds : String(selectedIds ?? "").split(",")).map(cleanId).filter(Boolean);
  if (!entity || ids.length === 0) return;
  const rowNames = grid ? selectedRows(grid) : new Map<string, string>();
  const names = ids.map((id) => (form ? (form.data.entity.getPrimaryAttributeValue() || id) : (rowNames.get(id) ?? id)));

  let moduleReady = true;
  try {
    await ready();
  } catch {
    // Still ask, in the fallback's words: deleting unasked is what this command prevents.
    moduleReady = false;
  }
  const strings = moduleReady ? (rules.deleteDialog(names, lcid) as Xrm.Navigation.ConfirmStrings) : fallbackDeleteDialog(names);
  let confirmed = false;
  try {
    confirmed = (await xrm().Navigation.openConfirmDialog(strings))?.confirmed === true;
  } catch {
    confirmed = false;
  }
  if (!confirmed) return;

  const failures: string[] = [];
  for (const [index, id] of ids.entries()) {
    try {
      await xrm().WebApi.deleteRecord(entity, id);
    } catch (error) {
      const reason = (error as { message?: unknown })?.message;
      const name = names[index] ?? id;
      const why = typeof reason === "string" ? reason : String(error);
      failures.push(moduleReady ? rules.deleteFailed(name, why, lcid) : `${name}: ${why}`);
    }
  }
  if (form) {
    if (failures.length) notify(form, NOTIFICATION.fault, "ERROR", failures.join(" "));
    else form.ui.close();
  } else {
    grid?.refresh?.();
    if (failures.length) await xrm().Navigation.openAlertDialog({ text: failures.join("\n") });
  }
}
