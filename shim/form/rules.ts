/**
 * The rules module's calls that the form integration makes, over its single internal export
 * `formCall` (one export instead of nine keeps the glue small). No decisions here.
 * @module
 */

import { evaluateSave, formCall } from "#wasm-glue";

const call = (operation: string, input: unknown, text: string | undefined, languageId: number | undefined): unknown =>
  formCall(operation, input, text, languageId);

export const rules = {
  evaluateSave: (request: unknown): unknown => evaluateSave(request),
  readFormSettings: (settings: unknown, jsonError: string | undefined, userLanguageId: number | undefined): unknown =>
    call("readFormSettings", settings, jsonError, userLanguageId),
  decideEmailData: (facts: unknown, languageId: number): unknown => call("decideEmailData", facts, undefined, languageId),
  formTexts: (languageId: number): unknown => call("formTexts", null, undefined, languageId),
  deleteDialog: (names: string[], languageId: number | undefined): unknown => call("deleteDialog", names, undefined, languageId),
  deleteFailed: (name: string, failure: string, languageId: number | undefined): string =>
    call("deleteFailed", name, failure, languageId) as string,
  adviseSpotlerJob: (facts: unknown, languageId: number): unknown => call("adviseSpotlerJob", facts, undefined, languageId),
  adviseSend: (recipients: unknown, requiredConsent: string | undefined, languageId: number): unknown =>
    call("adviseSend", recipients, requiredConsent, languageId),
  summarizeConsent: (records: unknown, requiredConsent: string | undefined, languageId: number): unknown =>
    call("summarizeConsent", records, requiredConsent, languageId),
  consentUnreadable: (read: unknown, languageId: number): string => call("consentUnreadable", read, undefined, languageId) as string,
};
