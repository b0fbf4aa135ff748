/**
 * The moments beyond a Contact's save, wired by `onLoad` when the settings name them: the
 * Spotler Job form, the Send guard of an Email form, and consent shown on a Contact or Lead
 * form. Every decision and text comes from the rules module.
 * @module
 */

import { rules } from "./rules";
import type { EffectiveSettings } from "./settings";
import { SAVE_MODE } from "./save-guard";
import { NOTIFICATION, attribute, cleanId, clearNotification, describeError, notify, withTimeout, xrm, type NotificationLevel, type ReadOutcome } from "./xrm";

const SEND = 7;
const JOB_NOTIFICATION = "consentguard.job";
const CONSENT_NOTIFICATION = "consentguard.consent";
const CONSENT_REQUIRED_NOTIFICATION = "consentguard.consentrequired";

interface Dialog {
  title: string;
  text: string;
  confirmButtonLabel: string;
  cancelButtonLabel: string;
}

async function confirmed(dialog: Dialog): Promise<boolean> {
  try {
    return (await xrm().Navigation.openConfirmDialog(dialog))?.confirmed === true;
  } catch {
    return false;
  }
}

/** A number the form holds as a number or as text; anything else is none. */
function wholeNumber(value: unknown): number | null {
  const n = typeof value === "string" ? Number(value.trim()) : value;
  return typeof n === "number" && Number.isInteger(n) ? n : null;
}

/** Saving a Spotler Job with the "Anonymize Contact" operation asks first; its result is explained. */
export function guardSpotlerJob(form: Xrm.FormContext, settings: EffectiveSettings, isCreate: boolean): void {
  const job = settings.spotlerJob;
  if (!job) return;
  const value = (name: string) => attribute(form, name)?.getValue() ?? null;
  let saved: unknown = isCreate ? undefined : value(job.operationAttribute);
  let dialogOpen = false;
  let replaying = false;
  const facts = () => ({
    ...(saved === undefined ? {} : { savedOperation: saved }),
    operation: value(job.operationAttribute),
    anonymizeOperation: job.anonymizeOperation,
    customer: ((value(job.customerAttribute) as Xrm.LookupValue[] | null) ?? [])[0]?.name ?? "",
    status: wholeNumber(value(job.resultAttribute)),
  });
  const advise = () => rules.adviseSpotlerJob(facts(), settings.languageId) as {
    prompt: boolean;
    dialog: Dialog | null;
    result: { level: NotificationLevel; message: string } | null;
  };
  const showResult = () => {
    const { result } = advise();
    if (result) notify(form, JOB_NOTIFICATION, result.level, result.message);
    else clearNotification(form, JOB_NOTIFICATION);
  };
  form.data.entity.addOnSave((context: Xrm.Events.EventContext) => {
    const args = (context as Xrm.Events.SaveEventContext).getEventArgs();
    if (replaying) {
      replaying = false;
      return;
    }
    if (dialogOpen) return args.preventDefault();
    let advice: ReturnType<typeof advise>;
    try {
      advice = advise();
    } catch (error) {
      args.preventDefault();
      notify(form, NOTIFICATION.fault, "ERROR", `consent-guard: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!advice.prompt || !advice.dialog) return;
    args.preventDefault();
    const saveMode = args.getSaveMode();
    if (saveMode === SAVE_MODE.autoSave) return;
    dialogOpen = true;
    void confirmed(advice.dialog).then(async (yes) => {
      dialogOpen = false;
      if (!yes) return;
      replaying = true;
      try {
        await form.data.save({ saveMode } as Xrm.SaveOptions);
      } catch {
        return;
      } finally {
        replaying = false;
      }
      if (saveMode === SAVE_MODE.saveAndClose) form.ui.close();
    });
  });
  form.data.entity.addOnPostSave((context) => {
    if (context.getEventArgs().getIsSaveSuccess()) saved = value(job.operationAttribute);
  });
  attribute(form, job.resultAttribute)?.addOnChange(showResult);
  showResult();
}

interface RecipientFacts {
  name: string;
  donotemail?: boolean;
  /** The GDPR Optout read as it happened; the module tells a missing column from a failure. */
  optOut?: ReadOutcome;
  consents?: unknown[];
  /** Why they could not be checked: the module words it. */
  unknown?: ReadOutcome;
}

const PEOPLE: Record<string, string> = { contact: "contactid", lead: "leadid" };

/** The consent records of one email address, as the rules module reads them. */
async function consentRecords(settings: EffectiveSettings, email: string): Promise<{ records: unknown[] } | { failure: ReadOutcome }> {
  const table = settings.consentTable;
  if (!table) return { records: [] };
  const columns = [table.keyAttribute, table.optionAttribute, table.valueAttribute, table.dateAttribute, table.idAttribute].filter(
    (c): c is string => !!c,
  );
  const literal = email.replace(/'/g, "''");
  const result = await withTimeout(
    xrm().WebApi.retrieveMultipleRecords(table.entity, `?$select=${columns.join(",")}&$filter=${table.keyAttribute} eq '${encodeURIComponent(literal)}'`),
  );
  if ("timedOut" in result) return { failure: { timedOut: true } };
  if ("failed" in result) return { failure: describeError(result.failed) };
  const records = (result.ok.entities as Record<string, unknown>[]).map((row) => {
    const record: Record<string, unknown> = { key: row[table.keyAttribute], option: row[table.optionAttribute], value: row[table.valueAttribute] };
    if (table.dateAttribute && row[table.dateAttribute] != null) record.date = String(row[table.dateAttribute]);
    if (table.idAttribute && row[table.idAttribute] != null) record.consentId = String(row[table.idAttribute]);
    return record;
  });
  return { records };
}

/** Read what the Send guard needs of each To/Cc/Bcc Contact or Lead. */
async function readRecipients(form: Xrm.FormContext, settings: EffectiveSettings): Promise<RecipientFacts[]> {
  const targets: { entity: string; id: string; name: string }[] = [];
  for (const name of ["to", "cc", "bcc"]) {
    for (const party of (attribute(form, name)?.getValue() as Xrm.LookupValue[] | null) ?? []) {
      const entity = (party.entityType ?? "").toLowerCase();
      if (entity in PEOPLE) targets.push({ entity, id: cleanId(party.id), name: party.name || cleanId(party.id) });
    }
  }
  const facts: RecipientFacts[] = [];
  for (const target of targets) {
    const key = PEOPLE[target.entity] ?? "";
    const read = (columns: string) => withTimeout(xrm().WebApi.retrieveRecord(target.entity, target.id, `?$select=${key},${columns}`));
    let result = await read("donotemail,emailaddress1,msdyn_gdproptout");
    let optOut: ReadOutcome | undefined;
    if ("failed" in result) {
      // Read again without the opt-out column; what the first failure means is the module's call.
      optOut = describeError(result.failed);
      result = await read("donotemail,emailaddress1");
    }
    if ("timedOut" in result) {
      facts.push({ name: target.name, unknown: { timedOut: true } });
      continue;
    }
    if ("failed" in result) {
      facts.push({ name: target.name, unknown: describeError(result.failed) });
      continue;
    }
    const row = result.ok as Record<string, unknown>;
    const optedOut = row.msdyn_gdproptout;
    const fact: RecipientFacts = {
      name: target.name,
      donotemail: row.donotemail === true,
      optOut: optOut ?? { value: typeof optedOut === "boolean" ? optedOut : null },
    };
    if (settings.requiredConsent && settings.consentTable) {
      const consent = await consentRecords(settings, String(row.emailaddress1 ?? ""));
      if ("failure" in consent) fact.unknown = consent.failure;
      else fact.consents = consent.records;
    }
    facts.push(fact);
  }
  return facts;
}

/** On an Email form: Send to a recipient who should not receive it is cancelled with a dialog. */
export function guardSend(form: Xrm.FormContext, settings: EffectiveSettings): void {
  type Advice = { prompt: boolean; dialog: Dialog | null; repeat: string };
  let confirmedFor: string | null = null;
  let dialogOpen = false;
  // The recipients' facts, read ahead (at load and when a recipient changes), so that Send can
  // usually be judged at once; `known` is null while a read is under way.
  let known: RecipientFacts[] | null = null;
  let facts: Promise<RecipientFacts[]>;
  const refresh = () => {
    known = null;
    const reading = readRecipients(form, settings);
    facts = reading;
    void reading.then((recipients) => {
      if (facts === reading) known = recipients;
    });
  };
  refresh();
  const advise = (recipients: RecipientFacts[]) =>
    rules.adviseSend(recipients, settings.requiredConsent ?? undefined, settings.languageId) as Advice;
  const recipientsKey = () => JSON.stringify(["to", "cc", "bcc"].map((n) => attribute(form, n)?.getValue() ?? null));
  for (const name of ["to", "cc", "bcc"]) attribute(form, name)?.addOnChange(refresh);

  form.data.entity.addOnSave((context: Xrm.Events.EventContext) => {
    const args = (context as Xrm.Events.SaveEventContext).getEventArgs();
    if (args.getSaveMode() !== SEND) return;
    if (confirmedFor !== null && confirmedFor === recipientsKey()) {
      confirmedFor = null;
      clearNotification(form, NOTIFICATION.confirmed);
      return;
    }
    if (dialogOpen) return args.preventDefault();
    if (known !== null) {
      let advice: Advice;
      try {
        advice = advise(known);
      } catch (error) {
        args.preventDefault();
        notify(form, NOTIFICATION.fault, "ERROR", `consent-guard: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      if (!advice.prompt) return;
    }
    // Someone should not receive it, or the facts are still being read: cancel, then ask (or
    // confirm once the facts are in) and let the next Send go out.
    args.preventDefault();
    dialogOpen = true;
    void facts
      .then(async (recipients) => {
        const advice = advise(recipients);
        if (!advice.prompt || !advice.dialog || (await confirmed(advice.dialog))) {
          confirmedFor = recipientsKey();
          notify(form, NOTIFICATION.confirmed, "INFO", advice.repeat);
        }
      })
      .finally(() => {
        dialogOpen = false;
      });
  });
}

/** On a Contact or Lead form: the current consent per option, and a warning when the required rule fails. */
export async function showConsent(form: Xrm.FormContext, entity: string, settings: EffectiveSettings): Promise<void> {
  if (!settings.consentTable || !(entity in PEOPLE)) return;
  const email = attribute(form, settings.emailAttribute)?.getValue();
  const consent = typeof email === "string" && email.trim() ? await consentRecords(settings, email.trim()) : { records: [] };
  if ("failure" in consent) {
    notify(form, CONSENT_NOTIFICATION, "WARNING", rules.consentUnreadable(consent.failure, settings.languageId));
    return;
  }
  try {
    const summary = rules.summarizeConsent(consent.records, settings.requiredConsent ?? undefined, settings.languageId) as {
      summary: string;
      requiredMissing: string | null;
    };
    notify(form, CONSENT_NOTIFICATION, "INFO", summary.summary);
    if (summary.requiredMissing) notify(form, CONSENT_REQUIRED_NOTIFICATION, "WARNING", summary.requiredMissing);
    else clearNotification(form, CONSENT_REQUIRED_NOTIFICATION);
  } catch (error) {
    notify(form, CONSENT_NOTIFICATION, "WARNING", rules.consentUnreadable(describeError(error), settings.languageId));
  }
}
