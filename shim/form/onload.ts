/// <reference types="xrm" preserve="true" />
/**
 * `ConsentGuard.onLoad`: the one handler an admin registers. It wires the rest itself (field
 * OnChange, OnSave, PostSave, data OnLoad), never throws and never rejects, and resolves once the
 * first opt-out decision is on the form. Which guards a form gets is the rules module's answer.
 * @module
 */

import type { Settings } from "../types";
import type { EffectiveSettings } from "./rules";
import { evaluateSave, ready } from "../core";
import { showConsent } from "./consent";
import { guardSavesEarly, type EarlySaves, type FaultText, type RecordConfirmation, type SaveGuard } from "./executor";
import { inertFormContext } from "./inert-form";
import { FALLBACK_COLUMNS, fallbackAdvice, fallbackFault, fallbackFaultText, fallbackJobAdvice, fallbackSendAdvice } from "./fallback";
import { spotlerJobGuard } from "./job";
import {
  applyEmailData,
  emailDataControls,
  reapplyEmailData,
  refreshOwnOptOut,
  setVisible,
  watchedAttributes,
  type EmailDataState,
} from "./optout";
import { recordConfirmation, savedId } from "./notes";
import type { OrgSettingsRead } from "../gen/internal";
import { readOrgSettings } from "./org-settings";
import { readSettings, rules } from "./rules";
import { type RecordSave, recordSaveGuard } from "./save";
import { sendGuard } from "./send";
import { NOTIFICATION, type FaultSource, cleanId, describe, faultStanding, jsonText, notify, showFault, userLanguageId } from "./xrm";

/** Forms already guarded: registering `onLoad` twice, or its second call after a create's first save, adds nothing. */
const guarded = new WeakMap<object, Promise<void>>();

/** Whether `onLoad` has been called on this page: once it has, warming it up is too late. */
let onLoadCalled = false;

/** The settings in force on each guarded form, for the commands its ribbon runs (Delete). */
export const formSettings = new WeakMap<object, EffectiveSettings>();

/** Form type of a record being created. */
const FORM_TYPE_CREATE = 1;

/** Guard a form: register on its OnLoad, passing the execution context; `settings` is an object or JSON text. */
export function onLoad(executionContext: Xrm.Events.EventContext, settings?: Settings | string | null): Promise<void> {
  onLoadCalled = true;
  // The form designer's parameter box passes each comma-separated value as a parameter of its
  // own: every parameter after the first goes to the settings reader, which names a second one.
  // biome-ignore lint/complexity/noArguments: the parameters beyond the declared ones are read to be reported, not to be used.
  const parameters: unknown[] = arguments.length > 2 ? Array.prototype.slice.call(arguments, 1) : [settings];
  return guardForm(executionContext, parameters, readOrgSettings);
}

/** `onLoad`, with the org's settings read by `readOrg`. */
function guardForm(
  executionContext: Xrm.Events.EventContext,
  parameters: unknown[],
  readOrg: () => Promise<OrgSettingsRead | null>,
): Promise<void> {
  let form: Xrm.FormContext;
  let key: object;
  let settings: unknown;
  let more: unknown[];
  try {
    const found = formOf(executionContext, parameters);
    if (!found) return Promise.resolve();
    form = found.form;
    settings = found.settings;
    more = found.more;
    key = form.data?.entity ?? form;
  } catch {
    // No form to guard, nor to report on (not an execution context, or no form in it).
    return Promise.resolve();
  }
  const running = guarded.get(key);
  if (running) return running;
  let early: Early;
  try {
    // Before anything is awaited: saves held from this moment until the form's own guard is
    // known, and the values as loaded (the saved ones, before the user types).
    givenControls.set(key, [settings, ...more].flatMap(controlsNamedIn));
    // A tab that loads its controls when first expanded brings a Timeline no decision has seen.
    for (const tab of tabsOf(form)) tab.addTabStateChange(() => tabChanged(form));
    const saves = guardSavesEarly(form, fallbackFaultText);
    early = { saves, loaded: formValues(form) };
  } catch (error) {
    fault(form, error);
    return Promise.resolve();
  }
  const started = start(form, settings, more, readOrg, early).catch((error: unknown) => {
    fault(form, error);
    try {
      // Unsure is closed: saves are judged without the rules module rather than held for ever.
      early.saves.use(fallbackGuard(form, early.loaded, settings), fallbackFaultText);
    } catch {
      // A form that refuses even this keeps its saves held, which is all that is left to do.
    }
  });
  guarded.set(key, started);
  return started;
}

/** Whether `value` looks like a form context: its data and its UI. */
const isFormContext = (value: unknown): value is Xrm.FormContext =>
  typeof value === "object" &&
  value !== null &&
  "data" in value &&
  "ui" in value &&
  typeof (value as Xrm.FormContext).getAttribute === "function";

/**
 * The form `onLoad` guards, and its settings. A handler registered without "Pass execution
 * context as first parameter" gets its parameters alone (the settings, or nothing), and one given
 * a form context works on that form: then the page's form (`Xrm.Page`, still there in Unified
 * Interface) is guarded rather than none. Undefined when there is no form at all.
 */
function formOf(
  executionContext: unknown,
  parameters: unknown[],
): { form: Xrm.FormContext; settings: unknown; more: unknown[] } | undefined {
  // The settings are the first parameter given; further ones (the parameter box's commas) go to
  // the settings reader, which names them. An empty one is no parameter.
  const given = (values: unknown[]) => {
    const present = values.filter((value) => value != null && !(typeof value === "string" && value.trim() === ""));
    return { settings: present[0], more: present.slice(1) };
  };
  const context = executionContext as Partial<Xrm.Events.EventContext> | null | undefined;
  if (typeof context?.getFormContext === "function") return { form: context.getFormContext(), ...given(parameters) };
  if (isFormContext(executionContext)) return { form: executionContext, ...given(parameters) };
  const page = (globalThis as { Xrm?: { Page?: unknown } }).Xrm?.Page;
  if (!isFormContext(page)) return undefined;
  const first = typeof executionContext === "string" || typeof executionContext === "object" ? executionContext : undefined;
  return { form: page, ...given([first, ...parameters]) };
}

/** The form's attributes and their types, for the settings reader to check the names it is given; none where they cannot be read. */
function attributeTypes(form: Xrm.FormContext): Record<string, string> {
  const types: Record<string, string> = {};
  try {
    for (const attribute of (form.getAttribute() as Xrm.Attributes.Attribute[] | null) ?? []) {
      const name = attribute.getName();
      const type = attribute.getAttributeType();
      if (typeof name === "string" && typeof type === "string") types[name] = type;
    }
  } catch {
    // Unchecked names are used as given.
  }
  return types;
}

/** What `onLoad` takes from the form before it awaits anything. */
interface Early {
  /** Every unchanged attribute's value as the form loaded it. */
  loaded: ReadonlyMap<string, unknown>;
  saves: EarlySaves;
}

/**
 * Every attribute's value now, where it is the saved one. An attribute already changed (by a
 * business rule or another OnLoad handler that ran first) is left out, and so is one that cannot
 * be read: the guard reads what was saved through the Web API.
 */
function formValues(form: Xrm.FormContext): Map<string, unknown> {
  const values = new Map<string, unknown>();
  let attributes: Xrm.Attributes.Attribute[] = [];
  try {
    attributes = form.getAttribute() as Xrm.Attributes.Attribute[];
  } catch {
    return values;
  }
  for (const attribute of attributes) {
    try {
      if (attribute.getIsDirty?.() !== true) values.set(attribute.getName(), attribute.getValue());
    } catch {
      // Left out: the guard reads this one from the form.
    }
  }
  return values;
}

/**
 * The guard of a record's saves without the rules module (see `fallback`), comparing the email
 * column the settings name (`emailAttribute`, the form's before the org's), else the default.
 */
function fallbackGuard(form: Xrm.FormContext, loaded: ReadonlyMap<string, unknown>, ...settings: unknown[]): SaveGuard {
  const entity = form.data.entity.getEntityName().toLowerCase();
  const id = cleanId(form.data.entity.getId());
  const recordId = !id || form.ui.getFormType() === FORM_TYPE_CREATE ? "" : id;
  const email = settings.map(emailAttributeIn).find((name) => name !== undefined) ?? FALLBACK_COLUMNS.email;
  const columns = { ...FALLBACK_COLUMNS, email };
  // An Email's Send, and any save of the Spotler Job table the settings name, cannot be checked either: they ask.
  const jobTable = settings
    .map((given) => settingsObject(settingsObject(given)?.spotlerJob)?.entity)
    .find((name) => typeof name === "string");
  const advise: RecordSave["advise"] =
    entity === "email"
      ? fallbackSendAdvice
      : typeof jobTable === "string" && jobTable.trim().toLowerCase() === entity
        ? fallbackJobAdvice
        : fallbackAdvice;
  return recordSaveGuard({ form, entity, id: recordId, columns, person: false, advise, loaded });
}

/** Settings as given (an object or JSON text), read without the rules module; null when they are neither. */
function settingsObject(given: unknown): Record<string, unknown> | null {
  try {
    const settings: unknown = typeof given === "string" ? JSON.parse(jsonText(given)) : given;
    return typeof settings === "object" && settings !== null && !Array.isArray(settings) ? (settings as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The `emailAttribute` that `given` settings name, read without the rules module. */
function emailAttributeIn(given: unknown): string | undefined {
  const name = settingsObject(given)?.emailAttribute;
  return typeof name === "string" && name.trim() !== "" ? name.trim().toLowerCase() : undefined;
}

/** The controls the settings given to `onLoad` name, per form: what a fault hides before (or without) the module reading the settings. */
const givenControls = new WeakMap<object, string[]>();

/**
 * The controls `given` settings name (email data and relationship analytics), read without the
 * rules module, which may be what failed: fail closed hides them with the timelines. A lone
 * name where a list belongs, and the names among other values, count too (as the module counts
 * them); the module reports what is wrong.
 */
function controlsNamedIn(given: unknown): string[] {
  const settings = settingsObject(given);
  return [settings?.emailDataControls, settings?.relationshipAnalyticsControls].flatMap((names) =>
    (Array.isArray(names) ? names : [names]).filter((name): name is string => typeof name === "string").map((name) => name.trim()),
  );
}

/** Each guarded form's email-data state, once its guard has started. */
const emailDataStates = new WeakMap<object, EmailDataState>();

/**
 * A tab was expanded or collapsed: its controls take the last decision on the email data, or
 * stay hidden while there is none (the guard still starting, or unable to run).
 */
function tabChanged(form: Xrm.FormContext): void {
  try {
    const state = emailDataStates.get(form.data?.entity ?? form);
    if (state && !faultStanding(form, "form")) reapplyEmailData(state);
    else setVisible(hiddenOnFault(form), false);
  } catch {
    // A control that cannot be changed is left as the platform shows it.
  }
}

/** The form's tabs; none where the platform gives none. */
function tabsOf(form: Xrm.FormContext): Xrm.Controls.Tab[] {
  try {
    return (form.ui.tabs?.get() as Xrm.Controls.Tab[] | undefined) ?? [];
  } catch {
    return [];
  }
}

/** Every control a fault hides: the timelines and the controls the settings name. */
function hiddenOnFault(form: Xrm.FormContext): Xrm.Controls.Control[] {
  const key = form.data?.entity ?? form;
  const settings = formSettings.get(key);
  const named = settings ? [...settings.emailDataControls, ...settings.relationshipAnalyticsControls] : (givenControls.get(key) ?? []);
  return emailDataControls(form, named);
}

/**
 * Anything unexpected: keep the email data hidden and say so, in the form's language (see
 * {@link formLanguageId}) when the module can. A fault of one decision on the email data goes
 * with the next decision that succeeds; one of the form as a whole stays.
 */
function fault(form: Xrm.FormContext, error: unknown, source: FaultSource = "form"): void {
  try {
    setVisible(hiddenOnFault(form), false);
    showFault(form, source, formFaultText(describe(error), formLanguageId(form)));
  } catch {
    // Nothing more can be done on a form that refuses even this.
  }
}

/** The language of a form's messages: its settings' `languageId` once they are read, else the user's. */
export function formLanguageId(form: Xrm.FormContext | null): number | undefined {
  try {
    return (form && formSettings.get(form.data.entity)?.languageId) ?? userLanguageId();
  } catch {
    return userLanguageId();
  }
}

/** The text of a fault on the form, in `languageId`, or in English when even the module fails. */
function formFaultText(detail: string, languageId: number | undefined): string {
  try {
    return rules.faultText(detail, "form", languageId);
  } catch {
    return fallbackFaultText(detail);
  }
}

async function start(
  form: Xrm.FormContext,
  given: unknown,
  more: unknown[],
  readOrg: () => Promise<OrgSettingsRead | null>,
  early: Early,
): Promise<void> {
  const entity = form.data.entity.getEntityName().toLowerCase();
  const id = () => cleanId(form.data.entity.getId());
  const isCreate = () => !id() || form.ui.getFormType() === FORM_TYPE_CREATE;
  // Fail closed from the first moment: nothing shows until the decision is made.
  setVisible(hiddenOnFault(form), false);
  // The org's settings are read while the module is being instantiated.
  const org = readOrg();

  try {
    await ready();
  } catch (error) {
    showFault(form, "form", fallbackFault(error));
    // The org's settings still name controls to hide and the email column to watch.
    const orgRead = await org;
    const orgSettings = orgRead && "text" in orgRead ? settingsObject(orgRead.text) : null;
    const key = form.data.entity;
    givenControls.set(key, [...(givenControls.get(key) ?? []), ...controlsNamedIn(orgSettings)]);
    setVisible(hiddenOnFault(form), false);
    early.saves.use(fallbackGuard(form, early.loaded, given, orgSettings), fallbackFaultText);
    return;
  }

  const settings = readSettings(given, userLanguageId(), entity, await org, { attributes: attributeTypes(form), moreParameters: more });
  const plan = settings.form;
  const { languageId } = settings;
  if (settings.message) notify(form, NOTIFICATION.settings, "ERROR", settings.message);
  else form.ui.clearFormNotification(NOTIFICATION.settings);
  const faultText: FaultText = (detail, kind) => rules.faultText(detail, kind, languageId);

  // Each confirmation recorded as a note on this form's record, where the settings ask for it.
  const record: RecordConfirmation | undefined = settings.recordConfirmations
    ? (confirmation) => void recordConfirmation(confirmation, { form, record: { entity, id: () => savedId(form) }, languageId })
    : undefined;
  formSettings.set(form.data.entity, settings);

  let saveGuard: SaveGuard;
  if (plan.role === "spotlerJob" && settings.spotlerJob) {
    saveGuard = spotlerJobGuard(form, settings.spotlerJob, settings, faultText);
  } else if (plan.role === "email") {
    saveGuard = sendGuard(form, settings);
  } else {
    const saveSettings = { anonymizeWhenInactive: settings.anonymizeWhenInactive };
    const advise: RecordSave["advise"] = (saveMode, before, after) =>
      rules.adviseSave({ entity, saveMode, before, after, settings: saveSettings, languageId });
    const recordId = isCreate() ? "" : id();
    saveGuard = recordSaveGuard({
      form,
      entity,
      id: recordId,
      columns: plan.saveColumns,
      person: plan.person,
      advise,
      loaded: early.loaded,
    });
  }
  early.saves.use(saveGuard, faultText, record);

  const emailData: EmailDataState = { form, entity, id: id(), settings, ownRead: null, ownReads: 0, ownKnown: false, generation: 0 };
  for (const watched of watchedAttributes(form, settings)) {
    watched.addOnChange(() => void applyEmailData(emailData).catch((error: unknown) => fault(form, error, "emailData")));
  }
  emailDataStates.set(form.data.entity, emailData);
  // After a save with changes (and on refresh): the own flag is new (the save guard reloads its
  // saved values itself, from the moment `onLoad` was called).
  form.data.addOnLoad(() => {
    emailData.id = id();
    refreshOwnOptOut(emailData, plan).catch((error: unknown) => fault(form, error, "emailData"));
  });

  void showConsent(form, settings);
  form.getAttribute(plan.saveColumns.email)?.addOnChange(() => void showConsent(form, settings));

  // The first decision waits for the opt-out reads only; saved values and consent arrive on their own.
  // Its fault is one of the email data: the next decision that succeeds clears it.
  await refreshOwnOptOut(emailData, plan).catch((error: unknown) => fault(form, error, "emailData"));
}

/**
 * Run once what a form's first `onLoad` and first save decision run, on an inert form (see
 * `inert-form`) and inputs that touch no real form, and throw the answers away. Browsers compile
 * a function on its first call; done in a task of its own after instantiation, while the
 * platform is still loading the form, that work no longer falls on the user's first moments.
 */
export function warmUp(): void {
  try {
    const settings = readSettings(null, 1033, "contact");
    rules.decideEmailData({ related: [], settingsValid: settings.valid }, settings.languageId);
    rules.adviseSave({ entity: "contact", saveMode: 1, before: null, after: {}, languageId: settings.languageId });
    evaluateSave({ entity: "contact", saveMode: 1, before: { email: "a@example.com" }, after: { donotemail: false } });
    // With no org settings of its own: the inert form must not send the org's query again
    // when the page's first one failed.
    if (!onLoadCalled) void guardForm(inertFormContext(), [], () => Promise.resolve(null));
  } catch {
    // Only a head start: a real call reports its own faults.
  }
}
