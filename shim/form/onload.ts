/// <reference types="xrm" preserve="true" />
/**
 * `ConsentGuard.onLoad`: the one handler an admin registers. It wires the rest itself (field
 * OnChange, OnSave, PostSave, data OnLoad), never throws and never rejects, and resolves once the
 * first opt-out decision is on the form.
 * @module
 */

import { rules } from "./rules";
import { ready } from "../core";
import type { RecordState, SaveVerdict } from "../types";
import { applyEmailData, emailDataControls, readOwnOptOut, setVisible, watchedAttributes, type EmailDataState } from "./email-data";
import { FALLBACK_TEXTS, fallbackAdvice, fallbackFault } from "./fallback";
import { onPostSave, onSave, readFormState, readSavedState, type GuardTexts, type SaveAdvice, type SaveGuardState } from "./save-guard";
import { guardSend, guardSpotlerJob, showConsent } from "./guards";
import { readSettings, type EffectiveSettings } from "./settings";
import { NOTIFICATION, cleanId, clearNotification, notify, xrm } from "./xrm";

/** Forms already guarded: registering `onLoad` twice, or its second call after a create's first save, adds nothing. */
const guarded = new WeakMap<object, Promise<void>>();

/** Form type of a record being created. */
const FORM_TYPE_CREATE = 1;

/**
 * Guard a Dynamics 365 form. Register on the form's OnLoad with "Pass execution context as
 * first parameter"; `settings` is an object or JSON text (see the README's settings table).
 */
export function onLoad(executionContext: Xrm.Events.EventContext, settings?: unknown): Promise<void> {
  let form: Xrm.FormContext;
  try {
    form = executionContext.getFormContext();
  } catch {
    return Promise.resolve();
  }
  const key: object = form.data?.entity ?? form;
  const running = guarded.get(key);
  if (running) return running;
  const started = start(form, settings).catch((error: unknown) => fault(form, error));
  guarded.set(key, started);
  return started;
}

function attributeChanged(form: Xrm.FormContext, name: string, handler: () => void): void {
  form.getAttribute(name)?.addOnChange(handler);
}

/** Anything unexpected: keep the email data hidden and say so. */
function fault(form: Xrm.FormContext, error: unknown): void {
  try {
    setVisible(emailDataControls(form, []), false);
    notify(form, NOTIFICATION.fault, "ERROR", `consent-guard: ${error instanceof Error ? error.message : String(error)}`);
  } catch {
    // Nothing more can be done on a form that refuses even this.
  }
}

function userLanguageId(): number | undefined {
  try {
    return xrm().Utility.getGlobalContext().userSettings.languageId;
  } catch {
    return undefined;
  }
}

function moduleAdvice(state: { entity: string; settings: EffectiveSettings }) {
  return (saveMode: number, before: RecordState | null, after: RecordState): SaveAdvice => {
    const verdict = rules.evaluateSave({
      entity: state.entity,
      saveMode,
      before,
      after,
      settings: { anonymizeWhenInactive: state.settings.anonymizeWhenInactive },
      languageId: state.settings.languageId,
    }) as SaveVerdict;
    return {
      prompt: verdict.prompt,
      block: verdict.block,
      reasons: verdict.reasons.filter((r) => r.code !== "BulkEmailOptOut").map((r) => r.message),
      bulkEmail: verdict.resetPermissions ? (verdict.reasons.find((r) => r.code === "BulkEmailOptOut")?.message ?? null) : null,
      notices: verdict.notices.map((n) => n.message),
    };
  };
}

function installSaveGuard(state: SaveGuardState): void {
  const entity = state.form.data.entity;
  entity.addOnSave((context: Xrm.Events.EventContext) => onSave(state, context as Xrm.Events.SaveEventContext));
  entity.addOnPostSave((context) => void onPostSave(state, context));
}

async function start(form: Xrm.FormContext, given: unknown): Promise<void> {
  const entity = form.data.entity.getEntityName().toLowerCase();
  const id = () => cleanId(form.data.entity.getId());
  const isCreate = () => !id() || form.ui.getFormType() === FORM_TYPE_CREATE;
  // Fail closed from the first moment: nothing shows until the decision is made.
  setVisible(emailDataControls(form, []), false);

  try {
    await ready();
  } catch (error) {
    const state: SaveGuardState = {
      form, entity, emailAttribute: "emailaddress1",
      snapshot: isCreate() ? null : readFormState(form, "emailaddress1"),
      advise: fallbackAdvice, texts: FALLBACK_TEXTS, dialogOpen: false, replaying: false, confirmed: null,
    };
    installSaveGuard(state);
    notify(form, NOTIFICATION.fault, "ERROR", fallbackFault(error));
    return;
  }

  const settings = readSettings(given, userLanguageId());
  if (settings.message) notify(form, NOTIFICATION.settings, "ERROR", settings.message);
  else clearNotification(form, NOTIFICATION.settings);

  const save: SaveGuardState = {
    form, entity, emailAttribute: settings.emailAttribute,
    // The form's values until the Web API has completed them: a save in between is judged too.
    snapshot: isCreate() ? null : readFormState(form, settings.emailAttribute),
    advise: moduleAdvice({ entity, settings }),
    texts: rules.formTexts(settings.languageId) as GuardTexts,
    dialogOpen: false, replaying: false, confirmed: null,
  };
  installSaveGuard(save);

  const emailData: EmailDataState = { form, entity, id: id(), settings, ownRead: null, generation: 0 };
  for (const watched of watchedAttributes(form, settings)) {
    watched.addOnChange(() => void applyEmailData(emailData));
  }
  // After a save with changes (and on refresh): the saved values and the own flag are new.
  form.data.addOnLoad(() => {
    emailData.id = id();
    void readOwnOptOut(form, entity, emailData.id).then((read) => {
      emailData.ownRead = read;
      return applyEmailData(emailData);
    });
  });

  if (settings.spotlerJob && entity === settings.spotlerJob.entity) guardSpotlerJob(form, settings, isCreate());
  if (entity === "email") guardSend(form, settings);
  void showConsent(form, entity, settings);
  settings.emailAttribute && attributeChanged(form, settings.emailAttribute, () => void showConsent(form, entity, settings));

  const [ownRead, saved] = await Promise.all([
    readOwnOptOut(form, entity, emailData.id),
    isCreate() ? Promise.resolve(null) : readSavedState(form, entity, id(), settings.emailAttribute),
  ]);
  emailData.ownRead = ownRead;
  if (saved && save.snapshot) save.snapshot = { ...saved, ...save.snapshot };
  await applyEmailData(emailData);
}
