/**
 * The settings given to `onLoad`: an object, or JSON text from the form designer's parameter
 * box. The rules module checks them; this file only parses text and passes it on.
 * @module
 */

import { rules } from "./rules";

/** The settings in force, as the rules module returns them. */
export interface EffectiveSettings {
  valid: boolean;
  anonymizeWhenInactive: boolean;
  emailDataControls: string[];
  relatedLookups: string[] | null;
  emailAttribute: string;
  languageId: number;
  relationshipAnalyticsControls: string[];
  spotlerJob: {
    entity: string;
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
}

export function readSettings(given: unknown, userLanguageId: number | undefined): EffectiveSettings {
  let value: unknown = given ?? null;
  let jsonError: string | undefined;
  if (typeof given === "string") {
    try {
      value = given.trim() === "" ? null : (JSON.parse(given) as unknown);
    } catch (error) {
      value = null;
      jsonError = error instanceof Error ? error.message : String(error);
    }
  }
  return rules.readFormSettings(value, jsonError, userLanguageId) as EffectiveSettings;
}
