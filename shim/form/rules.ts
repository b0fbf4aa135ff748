/**
 * The rules module's calls that the form integration makes, typed by the declarations generated
 * from `src/shapes.rs`, and the shapes they answer with.
 * @module
 */

import type {
  Confirmation,
  EffectiveSettings,
  JobFacts,
  Operations,
  OptOutFacts,
  OrgSettingsRead,
  ReadOutcome,
  SendFacts,
} from "../gen/internal";
import type { ConsentRecord, SaveRequest } from "../types";
import { invoke } from "../wire";

export type {
  Action,
  DialogStrings,
  EffectiveSettings,
  EmailDataDecision,
  FormPlan,
  JobFacts,
  NotificationChange,
  NotificationLevel,
  OptOutFacts,
  ReadOutcome,
  RecipientFacts,
  SendFacts,
} from "../gen/internal";

export const rules = {
  readFormSettings: (input: Operations["readFormSettings"]["input"], userLanguageId: number | undefined) =>
    invoke("readFormSettings", input, userLanguageId),
  decideEmailData: (facts: OptOutFacts, languageId: number) => invoke("decideEmailData", facts, languageId),
  adviseSave: (request: SaveRequest) => invoke("adviseSave", request, request.languageId),
  adviseJobSave: (facts: JobFacts, languageId: number) => invoke("adviseJobSave", facts, languageId),
  describeJobResult: (facts: JobFacts, languageId: number) => invoke("describeJobResult", facts, languageId),
  adviseSend: (facts: SendFacts, languageId: number) => invoke("adviseSend", facts, languageId),
  adviseDelete: (names: string[], languageId: number | undefined) => invoke("adviseDelete", names, languageId),
  deleteFailed: (name: string, error: string, languageId: number | undefined) => invoke("deleteFailed", { name, error }, languageId),
  deleteWrongControl: (languageId: number | undefined) => invoke("deleteWrongControl", null, languageId),
  summarizeConsent: (records: ConsentRecord[], requiredConsent: string | null, languageId: number) =>
    invoke("summarizeConsent", { records, requiredConsent }, languageId),
  consentUnreadable: (read: ReadOutcome, languageId: number) => invoke("consentUnreadable", read, languageId),
  /** The text of a fault: about a held-back save, a held-back Send, or the form in general. */
  faultText: (detail: string, kind: "save" | "send" | "note" | "form", languageId: number | undefined) =>
    invoke("faultText", { detail, kind }, languageId),
  /** The note that records a confirmation, in the org's base language `baseLanguageId`. */
  confirmationNote: (facts: { record: Confirmation; userName: string; userId: string; at: string }, baseLanguageId: number | undefined) =>
    invoke("confirmationNote", facts, baseLanguageId),
};

/**
 * The settings given to `onLoad` (an object, or JSON text from the form designer's parameter box)
 * over the org's (`org`, the solution's environment variable), checked and merged by the rules module.
 */
export function readSettings(
  given: unknown,
  userLanguageId: number | undefined,
  entity: string,
  org: OrgSettingsRead | null = null,
  onForm: { attributes?: Record<string, string>; moreParameters?: unknown[] } = {},
): EffectiveSettings {
  const { attributes, moreParameters } = onForm;
  const formFacts = { ...(attributes ? { attributes } : {}), ...(moreParameters?.length ? { moreParameters } : {}) };
  // JSON text (the parameter box's) is parsed by the module, which names a key given twice.
  const settings: unknown = given ?? null;
  return rules.readFormSettings({ settings, entity, org, ...formFacts }, userLanguageId);
}
