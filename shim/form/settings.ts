/**
 * The settings given to `onLoad`: an object, or JSON text from the form designer's parameter
 * box. The rules module checks them and answers with the form's plan; this file only parses
 * text and passes it on.
 * @module
 */

import { rules, type EffectiveSettings } from "./rules";

export function readSettings(given: unknown, userLanguageId: number | undefined, entity: string): EffectiveSettings {
  let settings: unknown = given ?? null;
  let jsonError: string | undefined;
  if (typeof given === "string") {
    try {
      settings = given.trim() === "" ? null : (JSON.parse(given) as unknown);
    } catch (error) {
      settings = null;
      jsonError = error instanceof Error ? error.message : String(error);
    }
  }
  return rules.readFormSettings(jsonError === undefined ? { settings, entity } : { settings, jsonError, entity }, userLanguageId);
}
