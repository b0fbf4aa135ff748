/**
 * consent-guard for bundlers and Node: the same functions as the `ConsentGuard` global.
 * Call `await ready()` once before the others.
 * @module
 */

export {
  ConsentGuardError,
  evaluateSave,
  evaluateSegment,
  evaluateSegmentCsv,
  interpretAnonymizeResponse,
  isReady,
  isValidEmail,
  moduleMemoryBytes,
  parseConsentCsv,
  ready,
  unifyConsent,
} from "./core";
export { createConsentReader, readConsentTable } from "./consent-tables";
export type { ConsentReadOptions, ConsentReadProgress, ConsentTableReader, ConsentTableSource } from "./consent-tables";
export { confirmDelete } from "./form/delete";
export { onLoad } from "./form/onload";
export type { ConsentGuardErrorCode } from "./core";
export type * from "./types";
