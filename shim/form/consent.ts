/**
 * Consent on a Contact or Lead form: reads the person's consent rows by email from the
 * configured table and shows what the rules module makes of them.
 * @module
 */

import { rules, type EffectiveSettings } from "./rules";
import { applyNotifications, attribute, webApi, xrm, type ReadOutcome } from "./xrm";
import { describe } from "./executor";

/** The consent records of one email address, as the rules module reads them. */
export async function consentRecords(
  settings: EffectiveSettings,
  email: string,
): Promise<{ records: unknown[] } | { failure: ReadOutcome }> {
  const table = settings.consentTable;
  if (!table) return { records: [] };
  const columns = [table.keyAttribute, table.optionAttribute, table.valueAttribute, table.dateAttribute, table.idAttribute].filter(
    (c): c is string => !!c,
  );
  const filter = `${table.keyAttribute} eq '${encodeURIComponent(email.replace(/'/g, "''"))}'`;
  const result = await webApi(xrm().WebApi.retrieveMultipleRecords(table.entity, `?$select=${columns.join(",")}&$filter=${filter}`));
  if ("failure" in result) return result;
  const records = (result.ok.entities as Record<string, unknown>[]).map((row) => {
    const record: Record<string, unknown> = {
      key: row[table.keyAttribute],
      option: row[table.optionAttribute],
      value: row[table.valueAttribute],
    };
    if (table.dateAttribute && row[table.dateAttribute] != null) record.date = String(row[table.dateAttribute]);
    if (table.idAttribute && row[table.idAttribute] != null) record.consentId = String(row[table.idAttribute]);
    return record;
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
