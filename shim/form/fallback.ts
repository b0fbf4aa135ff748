/**
 * When the rules module cannot be instantiated (a Content-Security-Policy without
 * `'wasm-unsafe-eval'`), the form still fails closed: email data stays hidden, any save that
 * changes what the connector reads asks first, and Delete still asks. These short English texts,
 * and the few save modes they need, are the only ones not taken from the rules module.
 * @module
 */

import type { RecordState } from "../types";
import type { Action } from "./rules";

const CSP_BLOCKED =
  "consent-guard could not start: the browser refused to compile its WebAssembly rules module. Email data stays hidden. " +
  "An administrator must add 'wasm-unsafe-eval' to the script-src directive of the Content-Security-Policy.";

const GENERAL_WARNING =
  "This save changes the email address, Do Not Email, Do Not Bulk Email or the status. It may make Spotler anonymize this contact, " +
  "which cannot be undone. consent-guard could not check it because its rules module did not load.";

const AUTO_SAVE = "Not saved automatically: consent-guard could not check this change. Save the record yourself to confirm it.";

/** The columns the fallback compares: the connector's defaults. */
export const FALLBACK_COLUMNS = {
  email: "emailaddress1",
  donotemail: "donotemail",
  donotbulkemail: "donotbulkemail",
  statecode: "statecode",
};

/** The commands a script cannot carry out (its save only saves): the user repeats them once confirmed. */
const REPEATED: Record<number, string> = {
  5: "Deactivate",
  6: "Activate",
  47: "Assign",
  15: "Disqualify",
  16: "Qualify",
  58: "Mark Complete",
};

/** The notification for a module that could not be instantiated, naming the CSP directive when that is the cause. */
export function fallbackFault(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/wasm-unsafe-eval|unsafe-eval|Content Security Policy|CompileError/i.test(message)) return CSP_BLOCKED;
  return `consent-guard could not start (${message}). Email data stays hidden.`;
}

/** The text of a fault without the rules module. */
export const fallbackFaultText = (detail: string): string => `consent-guard: ${detail}`;

/** Without the rules module: warn on every save that touches what the connector reads. */
export function fallbackAdvice(saveMode: number, before: RecordState | null, after: RecordState): Action {
  const command = REPEATED[saveMode];
  const changed = before !== null && (Object.keys(after) as (keyof RecordState)[]).some((field) => after[field] !== before[field]);
  const kind = command === undefined && !changed ? "proceed" : saveMode === 70 ? "block" : "ask";
  return {
    kind,
    notifications: [{ id: "consentguard.autosave", level: "WARNING", message: kind === "block" ? AUTO_SAVE : null }],
    dialog: { title: "Check before saving", text: GENERAL_WARNING, confirmButtonLabel: "Go ahead", cancelButtonLabel: "Cancel" },
    replay: command === undefined,
    afterReplay: saveMode === 2 ? "close" : saveMode === 59 ? "openNew" : "stay",
    confirmedNotice: command
      ? { id: "consentguard.confirmed", level: "INFO", message: `Confirmed: choose ${command} again to go ahead.` }
      : null,
    // These commands always ask here, so none goes ahead unasked.
    heldNotice: null,
    // Without the module there are no texts to word a note with.
    record: null,
  };
}

const SEND_WARNING =
  "This email may go to a contact who opted out, or whose email Spotler anonymizes. consent-guard could not check its recipients " +
  "because its rules module did not load.";

const JOB_WARNING =
  "This Spotler Job may anonymize a contact in Spotler, which cannot be undone. consent-guard could not check it because its rules module did not load.";

/** An action that asks with `text` (or, for an AutoSave, holds the save), then goes ahead once confirmed. */
function askFirst(saveMode: number, text: string): Action {
  const kind = saveMode === 70 ? "block" : "ask";
  return {
    kind,
    notifications: [{ id: "consentguard.autosave", level: "WARNING", message: kind === "block" ? AUTO_SAVE : null }],
    dialog: { title: "Check before saving", text, confirmButtonLabel: "Go ahead", cancelButtonLabel: "Cancel" },
    replay: true,
    afterReplay: saveMode === 2 ? "close" : saveMode === 59 ? "openNew" : "stay",
    confirmedNotice: null,
    heldNotice: null,
    record: null,
  };
}

/** Without the rules module, on an Email form: every Send asks, as its recipients cannot be checked. */
export function fallbackSendAdvice(saveMode: number): Action {
  return saveMode === 7 ? askFirst(saveMode, SEND_WARNING) : fallbackAdvice(saveMode, null, {});
}

/** Without the rules module, on the Spotler Job table: every save asks, as the job's operation cannot be checked. */
export function fallbackJobAdvice(saveMode: number): Action {
  return askFirst(saveMode, JOB_WARNING);
}

/** The delete confirmation without the rules module. */
export function fallbackDeleteAction(names: string[]): Action {
  const text = `Deleting ${names.join(", ")} makes Spotler anonymize the contact at once. This cannot be undone.`;
  return {
    kind: "ask",
    notifications: [],
    dialog: { title: "Delete and anonymize in Spotler?", text, confirmButtonLabel: "Delete", cancelButtonLabel: "Cancel" },
    replay: true,
    afterReplay: "close",
    confirmedNotice: null,
    heldNotice: null,
    record: null,
  };
}

/** A failed delete without the rules module. */
export const fallbackDeleteFailed = (name: string, why: string): string => `${name} could not be deleted: ${why}`;
