/**
 * Small helpers over the Dynamics 365 Client API: reading attributes, finding controls,
 * notifications, and Web API reads that give up after a bound. No decisions here.
 * @module
 */

import type { NotificationChange, NotificationLevel, ReadOutcome } from "../gen/internal";

/** Milliseconds a Web API read may take before the opt-out state counts as unknown. */
export const WEB_API_TIMEOUT_MS = 8000;

/** Ids of the notifications the shim shows itself; every other id comes with the module's answer. */
export const NOTIFICATION = { fault: "consentguard.fault", settings: "consentguard.settings", note: "consentguard.note" } as const;

/** The Client API's global, as a form script sees it. */
export function xrm(): Xrm.XrmStatic {
  return (globalThis as unknown as { Xrm: Xrm.XrmStatic }).Xrm;
}

/**
 * What a fault on a form is about. A fault in one part (a save that could not be judged, a
 * decision on the email data, a Job's result, a Delete) goes once that part works again; a fault
 * of the form as a whole (the guard could not start) stays. The parts share the one notice id:
 * it shows the newest fault still standing, and when that one goes, the one before it again.
 */
export type FaultSource = "form" | "emailData" | "saves" | "job" | "delete";

/** The faults standing on each form, oldest first, by the form's entity (one per form, whatever context object reaches it). */
const standingFaults = new WeakMap<object, Map<FaultSource, string>>();

/** Show a fault of `source` (level ERROR), in place of an earlier one of the same source. */
export function showFault(form: Xrm.FormContext, source: FaultSource, message: string): void {
  const key = form.data?.entity ?? form;
  const standing = standingFaults.get(key) ?? new Map<FaultSource, string>();
  standingFaults.set(key, standing);
  standing.delete(source);
  standing.set(source, message);
  notify(form, NOTIFICATION.fault, "ERROR", message);
}

/** Whether a fault of `source` stands on the form. */
export function faultStanding(form: Xrm.FormContext, source: FaultSource): boolean {
  return standingFaults.get(form.data?.entity ?? form)?.has(source) ?? false;
}

/** `source` works again: its fault goes, and the notice shows the newest other fault still standing, if any. */
export function clearFault(form: Xrm.FormContext, source: FaultSource): void {
  const standing = standingFaults.get(form.data?.entity ?? form);
  if (!standing?.delete(source)) return;
  const newest = [...standing.values()].at(-1);
  if (newest === undefined) form.ui.clearFormNotification(NOTIFICATION.fault);
  else notify(form, NOTIFICATION.fault, "ERROR", newest);
}

/** Show `message`, replacing any earlier notification with the same id. */
export function notify(form: Xrm.FormContext, id: string, level: NotificationLevel, message: string): void {
  form.ui.clearFormNotification(id);
  form.ui.setFormNotification(message, level, id);
}

/** Show or clear each notification as the module said. */
export function applyNotifications(form: Xrm.FormContext, changes: readonly NotificationChange[]): void {
  for (const change of changes) {
    if (change.message === null) form.ui.clearFormNotification(change.id);
    else notify(form, change.id, change.level, change.message);
  }
}

export function attribute(form: Xrm.FormContext, name: string): Xrm.Attributes.Attribute | null {
  return form.getAttribute(name) ?? null;
}

/** A record id as the Web API wants it: no braces, lower case. */
export function cleanId(id: string | null | undefined): string {
  return (id ?? "").replace(/[{}]/g, "").toLowerCase();
}

/** What one Web API read gave: the shape the rules module's `decideEmailData` reads. */
export type { ReadOutcome } from "../gen/internal";

/** JSON text as `JSON.parse` takes it: without a leading byte order mark, which editors add and JSON does not allow. */
export function jsonText(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The message of anything thrown or rejected: an `Error`, or the Web API's `{ message }`. */
export function describe(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}

/** The error of a rejected Web API call, as text and, when it carries one, an HTTP status. */
function describeError(error: unknown): { error: string; status?: number } {
  const record = (error ?? {}) as { status?: unknown; httpStatusCode?: unknown };
  const status = [record.status, record.httpStatusCode].find((s): s is number => typeof s === "number");
  return status === undefined ? { error: describe(error) } : { error: describe(error), status };
}

/** A Web API call's answer, or why there is none: it failed, or it did not settle within the bound. */
export function webApi<T>(call: PromiseLike<T>, ms = WEB_API_TIMEOUT_MS): Promise<{ ok: T } | { failure: ReadOutcome }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ failure: { timedOut: true } }), ms);
    Promise.resolve(call).then(
      (ok) => {
        clearTimeout(timer);
        resolve({ ok });
      },
      (failed: unknown) => {
        clearTimeout(timer);
        resolve({ failure: describeError(failed) });
      },
    );
  });
}

/** The user's language, as the Client API tells it. */
export function userLanguageId(): number | undefined {
  try {
    return xrm().Utility.getGlobalContext().userSettings.languageId;
  } catch {
    return undefined;
  }
}
