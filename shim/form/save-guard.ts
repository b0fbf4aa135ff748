/**
 * The save guard: compares what a save would persist with the last saved values, asks the
 * rules module (or, when it could not load, the general fallback) whether the save would make
 * Spotler anonymize the contact, and cancels, asks, and replays the save as the answer says.
 *
 * The confirm dialog cannot be awaited inside OnSave (`preventDefault` only works synchronously),
 * so a save that needs it is cancelled at once and, on confirmation, saved again with a bypass.
 * @module
 */

import type { RecordState } from "../types";
import { NOTIFICATION, attribute, clearNotification, notify, withTimeout, xrm } from "./xrm";

/** D365 save modes the guard treats specially. */
export const SAVE_MODE = { save: 1, saveAndClose: 2, deactivate: 5, disqualify: 15, qualify: 16, saveAndNew: 59, autoSave: 70 } as const;

/** Commands the script cannot replay: the user repeats them once confirmed. */
const REPEATED_COMMANDS: ReadonlySet<number> = new Set([SAVE_MODE.deactivate, SAVE_MODE.disqualify, SAVE_MODE.qualify]);

/** What the guard does with one save. */
export interface SaveAdvice {
  prompt: boolean;
  block: boolean;
  /** The dialog's paragraphs, one per reason. */
  reasons: string[];
  /** Informational notifications: permissions reset, re-creation, staying anonymized. */
  bulkEmail: string | null;
  notices: string[];
}

/** The texts of the guard, from the rules module or the fallback. */
export interface GuardTexts {
  dialogTitle: string;
  confirmButtonLabel: string;
  cancelButtonLabel: string;
  autoSaveBlocked: string;
  repeatDeactivate: string;
  repeatDisqualify: string;
  repeatQualify: string;
}

export interface SaveGuardState {
  form: Xrm.FormContext;
  entity: string;
  emailAttribute: string;
  /** The last saved values; null for a record not yet created. */
  snapshot: RecordState | null;
  advise: (saveMode: number, before: RecordState | null, after: RecordState) => SaveAdvice;
  texts: GuardTexts;
  dialogOpen: boolean;
  /** Set while a confirmed save is replayed, so that it passes without a second dialog. */
  replaying: boolean;
  /** A confirmed command the user must repeat, with the values it was confirmed for. */
  confirmed: { saveMode: number; values: string } | null;
}

function fieldAttributes(emailAttribute: string): [keyof RecordState, string][] {
  return [["email", emailAttribute], ["donotemail", "donotemail"], ["donotbulkemail", "donotbulkemail"], ["statecode", "statecode"]];
}

/** The connector's columns as they are on the form now; a column not on the form is absent. */
export function readFormState(form: Xrm.FormContext, emailAttribute: string): RecordState {
  const state: Record<string, unknown> = {};
  for (const [field, name] of fieldAttributes(emailAttribute)) {
    const found = attribute(form, name);
    if (found) state[field] = found.getValue() ?? null;
  }
  return state as RecordState;
}

/**
 * The saved values at load: the form's, completed through the Web API for columns that are
 * not on the form. A column that cannot be read stays absent (unknown, which never counts as a
 * cause, so a save that sets one still warns).
 */
export async function readSavedState(form: Xrm.FormContext, entity: string, id: string, emailAttribute: string): Promise<RecordState> {
  const state = readFormState(form, emailAttribute) as Record<string, unknown>;
  const missing = fieldAttributes(emailAttribute).filter(([field]) => !(field in state));
  if (!id || missing.length === 0 || (entity !== "contact" && entity !== "lead")) return state as RecordState;
  const result = await withTimeout(xrm().WebApi.retrieveRecord(entity, id, `?$select=${missing.map(([, name]) => name).join(",")}`));
  if ("ok" in result) {
    const record = result.ok as Record<string, unknown>;
    for (const [field, name] of missing) {
      if (name in record) state[field] = record[name] ?? null;
    }
  }
  return state as RecordState;
}

function repeatText(texts: GuardTexts, saveMode: number): string {
  if (saveMode === SAVE_MODE.disqualify) return texts.repeatDisqualify;
  if (saveMode === SAVE_MODE.qualify) return texts.repeatQualify;
  return texts.repeatDeactivate;
}

/** The OnSave handler. */
export function onSave(state: SaveGuardState, context: Xrm.Events.SaveEventContext): void {
  const args = context.getEventArgs();
  if (state.replaying) {
    state.replaying = false;
    return;
  }
  if (args.isDefaultPrevented()) return;
  if (state.dialogOpen) {
    // AutoSave (or a second click) while the user is still deciding must not slip through.
    args.preventDefault();
    return;
  }
  const saveMode = args.getSaveMode();
  const { form } = state;
  const after = readFormState(form, state.emailAttribute);
  const values = JSON.stringify(after);
  const confirmed = state.confirmed;
  if (confirmed) {
    state.confirmed = null;
    clearNotification(form, NOTIFICATION.confirmed);
    if (confirmed.saveMode === saveMode && confirmed.values === values) return;
  }

  let advice: SaveAdvice;
  try {
    advice = state.advise(saveMode, state.snapshot, after);
  } catch (error) {
    // Unsure is closed: a save that cannot be judged (a column of an unexpected type, say)
    // does not go through unwarned.
    args.preventDefault();
    notify(form, NOTIFICATION.fault, "ERROR", `consent-guard: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (advice.bulkEmail) notify(form, NOTIFICATION.bulkEmail, "INFO", advice.bulkEmail);
  else clearNotification(form, NOTIFICATION.bulkEmail);
  if (advice.notices.length) notify(form, NOTIFICATION.notice, "INFO", advice.notices.join(" "));
  else clearNotification(form, NOTIFICATION.notice);

  if (advice.block) {
    args.preventDefault();
    notify(form, NOTIFICATION.autoSave, "WARNING", state.texts.autoSaveBlocked);
    return;
  }
  clearNotification(form, NOTIFICATION.autoSave);
  if (advice.prompt) {
    args.preventDefault();
    void confirmAndReplay(state, saveMode, values, advice.reasons);
  }
}

async function confirmAndReplay(state: SaveGuardState, saveMode: number, values: string, reasons: string[]): Promise<void> {
  const { form, texts } = state;
  state.dialogOpen = true;
  let confirmed = false;
  try {
    const answer = await xrm().Navigation.openConfirmDialog({
      title: texts.dialogTitle,
      text: reasons.join("\n\n"),
      confirmButtonLabel: texts.confirmButtonLabel,
      cancelButtonLabel: texts.cancelButtonLabel,
    });
    confirmed = answer?.confirmed === true;
  } catch {
    // A dialog that fails to open counts as cancelled: nothing is saved.
    confirmed = false;
  } finally {
    state.dialogOpen = false;
  }
  if (!confirmed) return;

  if (REPEATED_COMMANDS.has(saveMode)) {
    state.confirmed = { saveMode, values };
    notify(form, NOTIFICATION.confirmed, "INFO", repeatText(texts, saveMode));
    return;
  }
  state.replaying = true;
  try {
    await form.data.save({ saveMode } as Xrm.SaveOptions);
  } catch {
    // The platform reports the failed save itself; the user's values stay on the form.
    return;
  } finally {
    state.replaying = false;
  }
  if (saveMode === SAVE_MODE.saveAndClose) form.ui.close();
  else if (saveMode === SAVE_MODE.saveAndNew) void xrm().Navigation.openForm({ entityName: state.entity });
}

/** The PostSave handler: a successful save becomes the new last saved state. */
export function onPostSave(state: SaveGuardState, context: Xrm.Events.PostSaveEventContext): boolean {
  if (!context.getEventArgs().getIsSaveSuccess()) return false;
  state.snapshot = { ...(state.snapshot ?? {}), ...readFormState(state.form, state.emailAttribute) };
  clearNotification(state.form, NOTIFICATION.autoSave);
  return true;
}
