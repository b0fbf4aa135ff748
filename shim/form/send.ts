/**
 * The Send guard of an Email form: reads what the rules module needs of each To/Cc/Bcc Contact
 * or Lead (ahead of Send, at load and when a recipient changes), and asks it whether Send asks
 * first. Send cannot be replayed from script: once confirmed, the user's next Send passes.
 * @module
 */

import { consentRecords } from "./consent";
import type { SaveGuard } from "./executor";
import { rules, type EffectiveSettings, type RecipientFacts } from "./rules";
import { attribute, cleanId, webApi, xrm, type ReadOutcome } from "./xrm";

const PARTIES = ["to", "cc", "bcc"] as const;

/** Read what the Send guard needs of each To/Cc/Bcc Contact or Lead. */
async function readRecipients(form: Xrm.FormContext, settings: EffectiveSettings): Promise<RecipientFacts[]> {
  const { people, recipientColumns, optOutColumn } = settings.form;
  const targets: { entity: string; key: string; id: string; name: string }[] = [];
  for (const name of PARTIES) {
    for (const party of (attribute(form, name)?.getValue() as Xrm.LookupValue[] | null) ?? []) {
      const entity = (party.entityType ?? "").toLowerCase();
      const person = people.find((p) => p.entity === entity);
      if (person) targets.push({ entity, key: person.key, id: cleanId(party.id), name: party.name || cleanId(party.id) });
    }
  }
  const facts: RecipientFacts[] = [];
  for (const target of targets) {
    const read = (columns: string[]) =>
      webApi(xrm().WebApi.retrieveRecord(target.entity, target.id, `?$select=${[target.key, ...columns].join(",")}`));
    const columns = [recipientColumns.donotemail, recipientColumns.email];
    let result = await read([...columns, optOutColumn]);
    let optOut: ReadOutcome | undefined;
    if ("failure" in result && !("timedOut" in result.failure)) {
      // Read again without the opt-out column; what the first failure means is the module's call.
      optOut = result.failure;
      result = await read(columns);
    }
    if ("failure" in result) {
      facts.push({ name: target.name, unknown: result.failure });
      continue;
    }
    const row = result.ok as Record<string, unknown>;
    const optedOut = row[optOutColumn];
    const fact: RecipientFacts = {
      name: target.name,
      donotemail: row[recipientColumns.donotemail] === true,
      optOut: optOut ?? { value: typeof optedOut === "boolean" ? optedOut : null },
    };
    if (settings.requiredConsent && settings.consentTable) {
      const consent = await consentRecords(settings, String(row[recipientColumns.email] ?? ""));
      if ("failure" in consent) fact.unknown = consent.failure;
      else fact.consents = consent.records;
    }
    facts.push(fact);
  }
  return facts;
}

/** The guard of an Email's Send. */
export function sendGuard(form: Xrm.FormContext, settings: EffectiveSettings): SaveGuard {
  // The recipients' facts, read ahead so that Send is usually judged at once; null while being read.
  let known: RecipientFacts[] | null = null;
  let reading: Promise<RecipientFacts[]> = Promise.resolve([]);
  const recipients = () => JSON.stringify(PARTIES.map((n) => attribute(form, n)?.getValue() ?? null));
  /** The recipients the facts are (being) read for. */
  let readFor = "";
  const refresh = () => {
    known = null;
    readFor = recipients();
    const current = readRecipients(form, settings);
    reading = current;
    // A read that fails outright leaves `known` null: Send waits for it and is held with the reason.
    const keep = (recipients: RecipientFacts[]) => {
      if (reading === current) known = recipients;
    };
    current.then(keep, () => undefined);
  };
  refresh();
  for (const name of PARTIES) attribute(form, name)?.addOnChange(refresh);
  const advise = (saveMode: number, recipients: RecipientFacts[] | null) =>
    rules.adviseSend({ saveMode, recipients, requiredConsent: settings.requiredConsent }, settings.languageId);
  return {
    decide: (saveMode) => {
      // Recipients changed without a change event (another script's `setValue`): read them first.
      if (recipients() !== readFor) refresh();
      const action = advise(saveMode, known);
      return action.kind === "wait" ? reading.then((facts) => advise(saveMode, facts)) : action;
    },
    confirmationKey: recipients,
    faultKind: "send",
  };
}
