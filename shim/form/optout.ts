/**
 * Hiding auto-captured email data: finds the email-data controls, reads the GDPR opt-out flags
 * the form depends on (own record, related Contact/Lead lookups, an account's contacts), asks
 * the rules module what that means, and applies its decision.
 * @module
 */

import { rules, type EffectiveSettings, type FormPlan, type OptOutFacts } from "./rules";
import { applyNotifications, attribute, cleanId, clearFault, describe, showFault, webApi, xrm, type ReadOutcome } from "./xrm";

type LinkedAccountFacts = NonNullable<OptOutFacts["linkedAccounts"]>[number];

/** Ids per Web API call: keeps the URL short. */
const IDS_PER_CALL = 40;

type Target = { entity: string; id: string; name: string };

export interface EmailDataState {
  form: Xrm.FormContext;
  entity: string;
  id: string;
  settings: EffectiveSettings;
  /** The saved flag of the form's own record, read at load and after each save (null: none to read). */
  ownRead: ReadOutcome | null;
  /** Number of the last read of the own flag started: an older read that comes back later is dropped. */
  ownReads: number;
  /** Whether the last read of the own flag has come back: until it has, nothing is decided and the data stays hidden. */
  ownKnown: boolean;
  /** Settles once the last read of the own flag started has decided. */
  ownSettled?: Promise<void>;
  /** Increases with each decision, so that a slow read cannot undo a newer decision. */
  generation: number;
  /** What the last decision showed; false from the moment a decision starts until it is made (and after a fault). */
  shown?: { emailData: boolean; analytics: boolean };
}

const HIDDEN = { emailData: false, analytics: false } as const;

/**
 * Apply what the last decision showed to the controls as they are now: a tab that loads its
 * controls when it is first expanded brings a Timeline the decision has not yet seen.
 */
export function reapplyEmailData(state: EmailDataState): void {
  const shown = state.shown ?? HIDDEN;
  const emailData = emailDataControls(state.form, state.settings.emailDataControls);
  const analytics = namedControls(state.form, state.settings.relationshipAnalyticsControls);
  // A control in both lists is shown only when both decisions show it.
  const hiddenEmailData = shown.emailData ? [] : emailData;
  setVisible(emailData, shown.emailData);
  setVisible(
    analytics.filter((control) => !hiddenEmailData.includes(control)),
    shown.analytics,
  );
}

/**
 * Read the own record's saved flag again (at load, after a save or a refresh), then decide with
 * it. Settles once a decision has been made with the newest read: when a newer one started
 * meanwhile (a refresh while the form loads), once that one has decided.
 */
export function refreshOwnOptOut(state: EmailDataState, plan: FormPlan): Promise<void> {
  const read = ++state.ownReads;
  state.ownKnown = false;
  state.shown = HIDDEN;
  // Hidden while the record's own flag is read again: relationship analytics too.
  setVisible(emailDataControls(state.form, state.settings.emailDataControls), false);
  setVisible(namedControls(state.form, state.settings.relationshipAnalyticsControls), false);
  const settled = readOwnOptOut(state.form, state.entity, state.id, plan).then((outcome) => {
    // A newer read is under way: its answer, not this older one, decides.
    if (read !== state.ownReads) return state.ownSettled;
    state.ownRead = outcome;
    state.ownKnown = true;
    return applyEmailData(state);
  });
  state.ownSettled = settled;
  return settled;
}

/** Every timeline control, plus the configured ones that are on this form. */
export function emailDataControls(form: Xrm.FormContext, named: readonly string[]): Xrm.Controls.Control[] {
  const found = new Set<Xrm.Controls.Control>();
  for (const control of form.ui.controls.get() as Xrm.Controls.Control[]) {
    if (safeControlType(control) === "timelinewall") found.add(control);
  }
  for (const control of namedControls(form, named)) found.add(control);
  return [...found];
}

/** The named controls that are on this form (a name not on it is skipped). */
export function namedControls(form: Xrm.FormContext, names: readonly string[]): Xrm.Controls.Control[] {
  return names.map((name) => form.getControl(name) as Xrm.Controls.Control | null).filter((c): c is Xrm.Controls.Control => c !== null);
}

function safeControlType(control: Xrm.Controls.Control): string {
  try {
    return control.getControlType();
  } catch {
    return "";
  }
}

/** Show or hide every control; one that refuses does not stop the others. */
export function setVisible(controls: readonly Xrm.Controls.Control[], visible: boolean): void {
  for (const control of controls) {
    try {
      (control as Xrm.Controls.StandardControl).setVisible(visible);
    } catch {
      // A control that cannot be changed is left as the platform shows it.
    }
  }
}

/**
 * A flag as a Web API answer holds it: true, false, or null for no value. Anything else (the
 * column left out of the answer, a text, a number) is no flag: it could not be read, which keeps
 * the email data hidden; the module words what the answer held.
 */
function flagIn(row: unknown, column: string): ReadOutcome {
  const value = (row as Record<string, unknown> | null)?.[column];
  if (typeof value === "boolean" || value === null) return { value };
  return value === undefined ? { malformed: "flag", column } : { malformed: "flag", column, found: typeof value };
}

/** The records a `retrieveMultipleRecords` answer lists, or null when it lists none as it should. */
function entitiesIn(answer: unknown): Record<string, unknown>[] | null {
  const entities = (answer as { entities?: unknown } | null)?.entities;
  return Array.isArray(entities) ? (entities as Record<string, unknown>[]) : null;
}

/** An answer that lists no records as it should. */
const NO_LIST: ReadOutcome = { malformed: "list" };

/**
 * The saved opt-out flag of the form's own record: the form's value where it is unchanged (or
 * ticked: that hides at once), else through the Web API. An untick not yet saved, or one made
 * before this script ran, is not the saved value: until it is saved, the record is opted out.
 */
export async function readOwnOptOut(form: Xrm.FormContext, entity: string, id: string, plan: FormPlan): Promise<ReadOutcome | null> {
  const column = plan.optOutColumn;
  if (!id || !plan.ownOptOut) return null;
  const onForm = attribute(form, column);
  if (onForm) {
    const value = (onForm.getValue() as boolean | null) ?? null;
    if (value === true || onForm.getIsDirty?.() !== true) return { value };
  }
  const result = await webApi(xrm().WebApi.retrieveRecord(entity, id, `?$select=${column}`));
  if ("failure" in result) return result.failure;
  return flagIn(result.ok, column);
}

/** The lookups to check: the configured ones (never without those the rules name), else every lookup on the form. */
function lookupNames(form: Xrm.FormContext, settings: EffectiveSettings): string[] {
  const all = form.getAttribute() as Xrm.Attributes.Attribute[];
  if (!settings.relatedLookups) return all.filter((a) => a.getAttributeType() === "lookup").map((a) => a.getName());
  return [...new Set([...settings.relatedLookups, ...settings.form.ruleLookups.map((l) => l.attribute)])];
}

/**
 * The records the rules name for this table (see `FormPlan.ruleLookups`) whose lookup is not on
 * the form, as saved: read through the Web API, or unknown (never nobody) when that fails.
 */
async function readSavedRuleLookups(
  form: Xrm.FormContext,
  plan: FormPlan,
  entity: string,
  id: string,
): Promise<{ targets: Target[]; unread: { name: string; read: ReadOutcome }[] }> {
  const missing = plan.ruleLookups.filter((l) => attribute(form, l.attribute) === null);
  if (!id || missing.length === 0) return { targets: [], unread: [] };
  const columns = missing.map((l) => `_${l.attribute}_value`);
  const result = await webApi(xrm().WebApi.retrieveRecord(entity, id, `?$select=${columns.join(",")}`));
  if ("failure" in result) return { targets: [], unread: missing.map((l) => ({ name: l.attribute, read: result.failure })) };
  const row = result.ok as Record<string, unknown> | null;
  const targets: Target[] = [];
  const unread: { name: string; read: ReadOutcome }[] = [];
  for (const [i, lookup] of missing.entries()) {
    const column = columns[i] as string;
    const value = row?.[column];
    if (value === null) continue;
    if (typeof value !== "string" || !cleanId(value)) {
      unread.push({ name: lookup.attribute, read: { malformed: "flag", column } });
      continue;
    }
    const name = row?.[`${column}@OData.Community.Display.V1.FormattedValue`];
    targets.push({ entity: lookup.entity, id: cleanId(value), name: typeof name === "string" && name ? name : cleanId(value) });
  }
  return { targets, unread };
}

/** The records the form's lookups point at whose opt-out counts: Contacts and Leads, and Accounts where the plan follows them. */
function relatedTargets(form: Xrm.FormContext, settings: EffectiveSettings): Target[] {
  const targets = new Map<string, Target>();
  const accounts = settings.form.linkedAccounts?.entity;
  for (const name of lookupNames(form, settings)) {
    const lookup = attribute(form, name);
    // A configured lookup that is not on this form is skipped: one list serves many forms.
    if (lookup?.getAttributeType() !== "lookup") continue;
    const values = (lookup.getValue() as Xrm.LookupValue[] | null) ?? [];
    for (const value of values) {
      const entity = (value?.entityType ?? "").toLowerCase();
      const id = cleanId(value?.id);
      if (!(settings.form.people.some((p) => p.entity === entity) || entity === accounts) || !id) continue;
      targets.set(`${entity}:${id}`, { entity, id, name: value.name || id });
    }
  }
  return [...targets.values()];
}

/** `targets` in batches of {@link IDS_PER_CALL}. */
function batches<T>(targets: T[]): T[][] {
  const all: T[][] = [];
  for (let start = 0; start < targets.length; start += IDS_PER_CALL) all.push(targets.slice(start, start + IDS_PER_CALL));
  return all;
}

/** Read the flags of `targets` in one call per entity of `tables` (and per {@link IDS_PER_CALL} ids). */
async function readRelated(
  targets: Target[],
  plan: FormPlan,
  tables: readonly { entity: string; key: string }[] = plan.people,
): Promise<{ name: string; read: ReadOutcome }[]> {
  const calls: Promise<{ name: string; read: ReadOutcome }[]>[] = [];
  const column = plan.optOutColumn;
  for (const { entity, key } of tables) {
    for (const batch of batches(targets.filter((t) => t.entity === entity))) {
      const filter = batch.map((t) => `${key} eq ${t.id}`).join(" or ");
      calls.push(
        webApi(xrm().WebApi.retrieveMultipleRecords(entity, `?$select=${key},${column}&$filter=${filter}`)).then((result) => {
          if ("failure" in result) return batch.map((t) => ({ name: t.name, read: result.failure }));
          const rows = entitiesIn(result.ok);
          if (!rows) return batch.map((t) => ({ name: t.name, read: NO_LIST }));
          return batch.map((t) => {
            const row = rows.find((r) => cleanId(String(r?.[key] ?? "")) === t.id);
            // A record that does not come back could not be read: no access (or deleted).
            if (!row) return { name: t.name, read: { missing: true } as const };
            return { name: t.name, read: flagIn(row, column) };
          });
        }),
      );
    }
  }
  return (await Promise.all(calls)).flat();
}

/** On an Account form: whether any contact whose parent is the account opted out. */
async function readAccountContacts(plan: FormPlan, id: string): Promise<ReadOutcome | null> {
  const contacts = plan.accountContacts;
  if (!contacts || !id) return null;
  const query = `?$select=${contacts.key}&$filter=${contacts.parentColumn} eq ${id} and ${plan.optOutColumn} eq true&$top=1`;
  const result = await webApi(xrm().WebApi.retrieveMultipleRecords(contacts.entity, query));
  if ("failure" in result) return result.failure;
  const rows = entitiesIn(result.ok);
  return rows ? { value: rows.length > 0 } : NO_LIST;
}

/** Where the Web API gives the name of the record a lookup column points at. */
const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

/** Opted-out contacts named per call: an account with more still hides, named by these. */
const NAMED_CONTACTS = 50;

/**
 * The accounts the form's lookups point at: their own flags (as `related`), their primary
 * contacts (to be read with the other people), and per account the contacts that opted out, or
 * why its people could not be checked: a failed call, or the account not in the answer (no
 * access), which leaves its primary contact unknown. Each failure is reported on its own.
 */
async function readLinkedAccounts(
  accounts: Target[],
  plan: FormPlan,
): Promise<{ own: { name: string; read: ReadOutcome }[]; primaryContacts: Target[]; linked: LinkedAccountFacts[] }> {
  const linked = plan.linkedAccounts;
  if (!linked || accounts.length === 0) return { own: [], primaryContacts: [], linked: [] };
  const { contacts } = linked;
  const column = plan.optOutColumn;
  const unread: LinkedAccountFacts[] = [];
  const optedOut = new Map<string, string[]>(accounts.map((a) => [a.id, []]));
  const listed = new Set<string>();
  const primaryContacts: Target[] = [];
  const reads: Promise<void>[] = [];
  for (const batch of batches(accounts)) {
    const ids = batch.map((a) => `${linked.key} eq ${a.id}`).join(" or ");
    reads.push(
      webApi(
        xrm().WebApi.retrieveMultipleRecords(linked.entity, `?$select=${linked.key},${linked.primaryContactColumn}&$filter=${ids}`),
      ).then((result) => {
        const rows = "failure" in result ? null : entitiesIn(result.ok);
        const returned = new Set<string>();
        for (const row of rows ?? []) {
          const account = cleanId(String(row?.[linked.key] ?? ""));
          if (row?.[linked.primaryContactColumn] === undefined) continue;
          returned.add(account);
          const id = cleanId(String(row[linked.primaryContactColumn] ?? ""));
          const name = String(row?.[`${linked.primaryContactColumn}${FORMATTED}`] ?? "");
          if (id) primaryContacts.push({ entity: contacts.entity, id, name: name || id });
        }
        for (const a of batch) {
          if (returned.has(a.id)) continue;
          // Not in the answer (no access, or deleted), or in it without the column: its primary
          // contact is unknown.
          const row = rows?.find((r) => cleanId(String(r?.[linked.key] ?? "")) === a.id);
          const why: ReadOutcome =
            "failure" in result
              ? result.failure
              : !rows
                ? NO_LIST
                : row
                  ? { malformed: "flag", column: linked.primaryContactColumn }
                  : { missing: true };
          unread.push({ name: a.name, unread: why });
        }
      }),
    );
    const parents = batch.map((a) => `${contacts.parentColumn} eq ${a.id} and ${column} eq true`).join(" or ");
    const query = `?$select=${contacts.key},${contacts.nameColumn},${contacts.parentColumn}&$filter=${parents}&$top=${NAMED_CONTACTS}`;
    reads.push(
      webApi(xrm().WebApi.retrieveMultipleRecords(contacts.entity, query)).then((result) => {
        const rows = "failure" in result ? null : entitiesIn(result.ok);
        if (!rows) {
          for (const a of batch) unread.push({ name: a.name, unread: "failure" in result ? result.failure : NO_LIST });
          return;
        }
        // Every row is an opted-out contact of one of these accounts: one whose account the
        // answer leaves out makes each of them unknown, never one without opted-out contacts.
        const batchIds = new Set(batch.map((a) => a.id));
        const unplaced = rows.some((row) => !batchIds.has(cleanId(String(row?.[contacts.parentColumn] ?? ""))));
        if (unplaced) {
          for (const a of batch) unread.push({ name: a.name, unread: { malformed: "flag", column: contacts.parentColumn } });
          return;
        }
        for (const a of batch) listed.add(a.id);
        for (const row of rows) {
          const names = optedOut.get(cleanId(String(row?.[contacts.parentColumn] ?? "")));
          names?.push(String(row?.[contacts.nameColumn] || row?.[contacts.key] || ""));
        }
      }),
    );
  }
  const [own] = await Promise.all([readRelated(accounts, plan, [linked]), Promise.all(reads)]);
  const found = accounts.filter((a) => listed.has(a.id)).map((a) => ({ name: a.name, optedOut: optedOut.get(a.id) ?? [] }));
  return { own, primaryContacts, linked: [...found, ...unread] };
}

/** Where a connection's name for its second record is, when the Web API gives it. */
const STAKEHOLDER_NAME = "_record2id_value@OData.Community.Display.V1.FormattedValue";

/** On an Opportunity form: its stakeholders (whose email data the timeline shows too), or why they could not be listed. */
async function readStakeholders(plan: FormPlan, id: string): Promise<{ targets: Target[]; failure: ReadOutcome | null }> {
  const stakeholders = plan.stakeholders;
  if (!stakeholders || !id) return { targets: [], failure: null };
  const query = `?$select=_record2id_value&$filter=_record1id_value eq ${id} and record2objecttypecode eq ${stakeholders.objectTypeCode}`;
  const result = await webApi(xrm().WebApi.retrieveMultipleRecords("connection", query));
  if ("failure" in result) return { targets: [], failure: result.failure };
  const rows = entitiesIn(result.ok);
  if (!rows) return { targets: [], failure: NO_LIST };
  const listed = rows.map((row) => ({ id: cleanId(String(row?._record2id_value ?? "")), name: String(row?.[STAKEHOLDER_NAME] ?? "") }));
  // A stakeholder the answer does not name could be anyone: unknown, never nobody.
  if (listed.some((t) => !t.id)) return { targets: [], failure: { malformed: "flag", column: "_record2id_value" } };
  const targets = listed.map((t) => ({ entity: stakeholders.entity, id: t.id, name: t.name || t.id }));
  return { targets, failure: null };
}

/** Hide at once (nothing shows while the flags are read), read, ask the rules module, then apply its decision. */
export async function applyEmailData(state: EmailDataState): Promise<void> {
  const generation = ++state.generation;
  const { form, settings } = state;
  const controls = emailDataControls(form, settings.emailDataControls);
  const analytics = namedControls(form, settings.relationshipAnalyticsControls);
  state.shown = HIDDEN;
  setVisible(controls, false);
  setVisible(analytics, false);
  const ownOnForm = attribute(form, settings.form.optOutColumn);
  const targets = relatedTargets(form, settings);
  const accountEntity = settings.form.linkedAccounts?.entity;
  const [stakeholders, accountContacts, accounts, saved] = await Promise.all([
    readStakeholders(settings.form, state.id),
    readAccountContacts(settings.form, state.id),
    readLinkedAccounts(
      targets.filter((t) => t.entity === accountEntity),
      settings.form,
    ),
    readSavedRuleLookups(form, settings.form, state.entity, state.id),
  ]);
  const people = targets.filter((t) => t.entity !== accountEntity);
  for (const other of [...stakeholders.targets, ...accounts.primaryContacts, ...saved.targets]) {
    if (!people.some((p) => p.entity === other.entity && p.id === other.id)) people.push(other);
  }
  const related = [...accounts.own, ...saved.unread, ...(await readRelated(people, settings.form))];
  // Also while the own flag is still being read: the data stays hidden until it is known.
  if (generation !== state.generation || !state.ownKnown) return;
  const facts: OptOutFacts = {
    own: state.ownRead,
    // Left out when the column is not on the form; null when it is, empty.
    ...(ownOnForm ? { ownOnForm: (ownOnForm.getValue() as boolean | null) ?? null } : {}),
    related,
    accountContacts,
    stakeholders: stakeholders.failure,
    ...(accounts.linked.length > 0 ? { linkedAccounts: accounts.linked } : {}),
    settingsValid: settings.valid,
  };
  let decision: ReturnType<typeof rules.decideEmailData>;
  try {
    decision = rules.decideEmailData(facts, settings.languageId);
  } catch (error) {
    // Never expected; if it happens, the data stays hidden and the form says so.
    showFault(form, "emailData", rules.faultText(describe(error), "form", settings.languageId));
    return;
  }
  // Decided: a fault of an earlier decision no longer holds.
  clearFault(form, "emailData");
  // Controls may have been added since (a tab loaded): decide over the current set.
  state.shown = { emailData: !decision.hide, analytics: !decision.hideAnalytics };
  reapplyEmailData(state);
  applyNotifications(form, [decision.notification]);
}

/** Attributes whose change re-applies the decision: the own flag and the related lookups. */
export function watchedAttributes(form: Xrm.FormContext, settings: EffectiveSettings): Xrm.Attributes.Attribute[] {
  return [settings.form.optOutColumn, ...lookupNames(form, settings)]
    .map((n) => attribute(form, n))
    .filter((a): a is Xrm.Attributes.Attribute => a !== null);
}
