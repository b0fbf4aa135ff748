/**
 * Consent on a Contact or Lead form: reads the person's consent rows by email from the
 * configured table and shows what the rules module makes of them.
 * @module
 */

import type { ConsentRecord } from "../types";
import { rules, type EffectiveSettings } from "./rules";
import { applyNotifications, attribute, webApi, xrm, type ReadOutcome, describe } from "./xrm";

type ConsentRead = { records: ConsentRecord[] } | { failure: ReadOutcome };
/** The consent records of one email address, as the rules module reads them, or why they could not be read. */
export async function consentRecords(settings: EffectiveSettings, email: string): Promise<ConsentRead> {
  const table = settings.consentTable;
  if (!table) return { records: [] };
  const { keyAttribute: key, optionAttribute: option, valueAttribute: value, dateAttribute: date, idAttribute: id } = table;
  const columns = [key, option, value, date, id].filter((c): c is string => !!c);
  const filter = `${key} eq '${encodeURIComponent(email.replace(/'/g, "''"))}'`;
  const result = await webApi(xrm().WebApi.retrieveMultipleRecords(table.entity, `?$select=${columns.join(",")}&$filter=${filter}`));
  if ("failure" in result) return result;
  const records = (result.ok.entities as Record<string, unknown>[]).map((row) => {
    const record: Record<string, unknown> = { key: row[key], option: row[option], value: row[value] };
    if (date && row[date] != null) record.date = String(row[date]);
    if (id && row[id] != null) record.consentId = String(row[id]);
    // The columns' values are as the org holds them: the module checks each one's type.
    return record as unknown as ConsentRecord;
  });
  return { records };
}

/** Show the person's current consent per option, and a warning when the required rule fails. */
export async function showConsent(form: Xrm.FormContext, settings: EffectiveSettings): Promise<void> {
  if (!settings.consentTable || !settings.form.person) return;
  const email = attribute(form, settings.form.saveColumns.email)?.getValue();
  const consent = typeof email === "string" && email.trim() ? await consentRecords(settings, email.trim()) : { records: [] };
  const { languageId } = settings;
  if ("failure" in consent) {
    applyNotifications(form, rules.consentUnreadable(consent.failure, languageId));
    return;
  }
  try {
    applyNotifications(form, rules.summarizeConsent(consent.records, settings.requiredConsent, languageId));
  } catch (error) {
    applyNotifications(form, rules.consentUnreadable({ error: describe(error) }, languageId));
  }
}
