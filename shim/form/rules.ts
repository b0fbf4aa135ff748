/**
 * The rules module's calls that the form integration makes, over its single internal export
 * `formCall` (one export instead of eleven keeps the glue small), and the shapes they answer with.
 * @module
 */

import { formCall } from "#wasm-glue";
import type { SaveRequest } from "../types";
import type { ReadOutcome } from "./xrm";

export type NotificationLevel = "ERROR" | "WARNING" | "INFO";
/** Show a form notification, or clear it (`message` null). */
export type NotificationChange = { id: string; level: NotificationLevel; message: string | null };

/** The confirm dialog's texts. */
export type DialogStrings = Required<Pick<Xrm.Navigation.ConfirmStrings, "title" | "text" | "confirmButtonLabel" | "cancelButtonLabel">>;

/** The module's answer for one guarded moment: what the executor does with the user's command. */
export interface Action {
  /** Let the command go ahead, cancel it silently, cancel it and ask, or hold it until the facts are read. */
  kind: "proceed" | "block" | "ask" | "wait";
  notifications: NotificationChange[];
  dialog: DialogStrings | null;
  /** Once confirmed: carry out the command again (true), or let the user's repeat pass (false). */
  replay: boolean;
  /** What the platform does after a replayed save. */
  afterReplay: "stay" | "close" | "openNew";
  /** Shown when the user must repeat the command; cleared when they do. */
  confirmedNotice: NotificationChange | null;
}

/** Which guards a form gets and which columns they read. */
export interface FormPlan {
  role: "record" | "spotlerJob" | "email";
  optOutColumn: string;
  /** The entity carries the opt-out column. */
  ownOptOut: boolean;
  /** A Contact or Lead. */
  person: boolean;
  /** On an Account: its contacts, whose opt-out counts (their table, key and lookup to the account). */
  accountContacts: { entity: string; key: string; parentColumn: string } | null;
  /** On an Opportunity: its stakeholders, connected records of this type, whose opt-out counts. */
  stakeholders: { entity: string; objectTypeCode: number } | null;
  /** Whose opt-out counts on related forms and as recipients, with their primary keys. */
  people: { entity: string; key: string }[];
  saveColumns: { email: string; donotemail: string; donotbulkemail: string; statecode: string };
  recipientColumns: { email: string; donotemail: string };
}

/** The settings in force, as the rules module returns them. */
export interface EffectiveSettings {
  valid: boolean;
  anonymizeWhenInactive: boolean;
  emailDataControls: string[];
  relatedLookups: string[] | null;
  languageId: number;
  relationshipAnalyticsControls: string[];
  spotlerJob: {
    operationAttribute: string;
    anonymizeOperation: number | string;
    resultAttribute: string;
    customerAttribute: string;
  } | null;
  consentTable: {
    entity: string;
    keyAttribute: string;
    optionAttribute: string;
    valueAttribute: string;
    dateAttribute: string | null;
    idAttribute: string | null;
  } | null;
  requiredConsent: string | null;
  /** Why the settings are invalid, in the user's language; null when they are valid. */
  message: string | null;
  form: FormPlan;
}

/** What the opt-out facts mean for the email-data controls. */
export interface EmailDataDecision {
  hide: boolean;
  hideAnalytics: boolean;
  notification: NotificationChange;
}

/** A Spotler Job as the form holds it; an operation is its option value and its label. */
export interface JobFacts {
  saveMode?: number;
  /** Whether the job exists: its saved operation is known. */
  saved: boolean;
  savedOperation: number | null;
  savedOperationText: string | null;
  operation: number | null;
  operationText: string | null;
  anonymizeOperation: number | string;
  customer: string;
  status?: number;
}

export interface RecipientFacts {
  name: string;
  donotemail?: boolean;
  /** The GDPR Optout read as it happened; the module tells a missing column from a failure. */
  optOut?: ReadOutcome;
  consents?: unknown[];
  /** Why they could not be checked: the module words it. */
  unknown?: ReadOutcome;
}

const call = <T>(operation: string, input: unknown, languageId: number | undefined): T => formCall(operation, input, languageId) as T;

export const rules = {
  readFormSettings: (input: { settings: unknown; jsonError?: string; entity: string }, userLanguageId: number | undefined) =>
    call<EffectiveSettings>("readFormSettings", input, userLanguageId),
  decideEmailData: (facts: unknown, languageId: number) => call<EmailDataDecision>("decideEmailData", facts, languageId),
  adviseSave: (request: SaveRequest) => call<Action>("adviseSave", request, request.languageId),
  adviseJobSave: (facts: JobFacts, languageId: number) => call<Action>("adviseJobSave", facts, languageId),
  describeJobResult: (facts: JobFacts, languageId: number) => call<NotificationChange>("describeJobResult", facts, languageId),
  adviseSend: (facts: { saveMode: number; recipients: RecipientFacts[] | null; requiredConsent: string | null }, languageId: number) =>
    call<Action>("adviseSend", facts, languageId),
  adviseDelete: (names: string[], languageId: number | undefined) => call<Action>("adviseDelete", names, languageId),
  deleteFailed: (name: string, error: string, languageId: number | undefined) => call<string>("deleteFailed", { name, error }, languageId),
  summarizeConsent: (records: unknown[], requiredConsent: string | null, languageId: number) =>
    call<NotificationChange[]>("summarizeConsent", { records, requiredConsent }, languageId),
  consentUnreadable: (read: ReadOutcome, languageId: number) => call<NotificationChange[]>("consentUnreadable", read, languageId),
  /** The text of a fault: about a held-back save, a held-back Send, or the form in general. */
  faultText: (detail: string, kind: "save" | "send" | "form", languageId: number | undefined) =>
    call<string>("faultText", { detail, kind }, languageId),
};

/** The settings given to `onLoad` (an object, or JSON text from the form designer's parameter box), checked by the rules module. */
export function readSettings(given: unknown, userLanguageId: number | undefined, entity: string): EffectiveSettings {
  let settings: unknown = given ?? null;
  if (typeof given === "string") {
    try {
      settings = given.trim() === "" ? null : (JSON.parse(given) as unknown);
    } catch (error) {
      return rules.readFormSettings(
        { settings: null, jsonError: error instanceof Error ? error.message : String(error), entity },
        userLanguageId,
      );
    }
  }
  return rules.readFormSettings({ settings, entity }, userLanguageId);
}
