/**
 * The record of a confirmation (setting `recordConfirmations`): a note (annotation) that says
 * who confirmed what, when and why, worded by the rules module in the org's base language. It is
 * written after the user's command went on its way, never holds it up, and is not retried: a
 * failure is reported with its reason.
 * @module
 */

import type { Confirmation } from "../gen/internal";
import { rules } from "./rules";
import { NOTIFICATION, cleanId, describe, notify, xrm } from "./xrm";

/** Where the note goes: the record of `entity` whose id `recordId` gives, or no record at all. */
export interface NoteTarget {
  /** The form to report a failure on; none for a command run from a view. */
  form: Xrm.FormContext | null;
  /** The record's table and id, or null for a note about records that are being deleted. */
  record: { entity: string; id: () => string | Promise<string> } | null;
  /** The user's language, for the failure's text. */
  languageId: number | undefined;
}

/** The form's record id: now, or once its first save went through (a new email that is sent). */
export function savedId(form: Xrm.FormContext): string | Promise<string> {
  const now = cleanId(form.data.entity.getId());
  if (now) return now;
  return new Promise((resolve) => {
    const once = (context: Xrm.Events.PostSaveEventContext) => {
      const id = cleanId(form.data.entity.getId());
      if (!context.getEventArgs().getIsSaveSuccess() || !id) return;
      form.data.entity.removeOnPostSave(once);
      resolve(id);
    };
    form.data.entity.addOnPostSave(once);
  });
}

/** The Web API's columns of the note: its text, and the record it is about. */
async function noteColumns(record: Confirmation, target: NoteTarget): Promise<Record<string, string>> {
  const context = xrm().Utility.getGlobalContext();
  const user = context.userSettings;
  const note = rules.confirmationNote(
    { record, userName: user.userName ?? "", userId: cleanId(user.userId), at: new Date().toISOString() },
    context.organizationSettings?.languageId,
  );
  if (!target.record) return note;
  const { entity } = target.record;
  const id = await target.record.id();
  const { EntitySetName } = await xrm().Utility.getEntityMetadata(entity, []);
  return { ...note, [`objectid_${entity}@odata.bind`]: `/${EntitySetName}(${id})` };
}

/** Write the note that records `record`; reports a failure on the form (or in an alert), never rejects. */
export async function recordConfirmation(record: Confirmation, target: NoteTarget): Promise<void> {
  let failure: string;
  try {
    // Nothing waits on this write, so it has no time bound: it succeeds or says why not.
    await xrm().WebApi.createRecord("annotation", await noteColumns(record, target));
    return;
  } catch (error) {
    failure = describe(error);
  }
  try {
    const text = rules.faultText(failure, "note", target.languageId);
    if (target.form) notify(target.form, NOTIFICATION.note, "WARNING", text);
    else await xrm().Navigation.openAlertDialog({ text });
  } catch {
    // Nothing more can be said; the user's command is not affected.
  }
}
