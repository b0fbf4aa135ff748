/**
 * When the rules module cannot be instantiated (a strict Content-Security-Policy without
 * `'wasm-unsafe-eval'`), the form still fails closed: email data stays hidden, and any save that
 * changes the email, Do Not Email, Do Not Bulk Email or the state asks first. These texts are
 * the only ones not taken from the rules module.
 * @module
 */

import type { RecordState } from "../types";
import { SAVE_MODE, type GuardTexts, type SaveAdvice } from "./save-guard";

const CSP_BLOCKED =
  "consent-guard could not start: the browser refused to compile its WebAssembly rules module. Email data stays hidden. " +
  "An administrator must add 'wasm-unsafe-eval' to the script-src directive of the Content-Security-Policy.";

const GENERAL_WARNING =
  "This save changes the email address, Do Not Email, Do Not Bulk Email or the status. It may make Spotler anonymize this contact, " +
  "which cannot be undone. consent-guard could not check it because its rules module did not load.";

export const FALLBACK_TEXTS: GuardTexts = {
  dialogTitle: "Check before saving",
  confirmButtonLabel: "Go ahead",
  cancelButtonLabel: "Cancel",
  autoSaveBlocked: "Not saved automatically: consent-guard could not check this change. Save the record yourself to confirm it.",
  repeatDeactivate: "Confirmed: choose Deactivate again to go ahead.",
  repeatDisqualify: "Confirmed: choose Disqualify again to go ahead.",
  repeatQualify: "Confirmed: choose Qualify again to go ahead.",
};

/** The notification for a module that could not be instantiated, naming the CSP directive when that is the cause. */
export function fallbackFault(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/wasm-unsafe-eval|unsafe-eval|Content Security Policy|CompileError/i.test(message)) return CSP_BLOCKED;
  return `consent-guard could not start (${message}). Email data stays hidden.`;
}

/** Without the rules module: warn on every save that touches what the connector reads. */
export function fallbackAdvice(saveMode: number, before: RecordState | null, after: RecordState): SaveAdvice {
  const changesState = saveMode === SAVE_MODE.deactivate || saveMode === SAVE_MODE.disqualify || saveMode === SAVE_MODE.qualify;
  const changed = before !== null && (Object.keys(after) as (keyof RecordState)[]).some((field) => after[field] !== before[field]);
  const warn = changesState || changed;
  return {
    prompt: warn && saveMode !== SAVE_MODE.autoSave,
    block: warn && saveMode === SAVE_MODE.autoSave,
    reasons: [GENERAL_WARNING],
    bulkEmail: null,
    notices: [],
  };
}

/** The delete confirmation without the rules module. */
export function fallbackDeleteDialog(names: string[]): Xrm.Navigation.ConfirmStrings {
  return {
    title: "Delete and anonymize in Spotler?",
    text: `Deleting ${names.join(", ")} makes Spotler anonymize the contact at once. This cannot be undone.`,
    confirmButtonLabel: "Delete",
    cancelButtonLabel: "Cancel",
  };
}
