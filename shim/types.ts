/**
 * The shapes of consent-guard's public API. Field names and meanings are fixed; results may
 * carry more fields than listed.
 * @module
 */

/** The columns the connector reads. In `after`, an absent field is unchanged from `before`; null is cleared. */
export interface RecordState {
  /** The email the connector syncs (by default `emailaddress1`). */
  email?: string | null;
  /** Do Not Email (`donotemail`). */
  donotemail?: boolean | null;
  /** Do Not Bulk Email (`donotbulkemail`). */
  donotbulkemail?: boolean | null;
  /** `statecode`: 0 active (open, for a lead). */
  statecode?: number | null;
}

/** One save to judge. */
export interface SaveRequest {
  /** Logical name: "contact", "lead", "account", … (case-insensitive). */
  entity: string;
  /** D365 save mode: 1 Save, 2 Save and Close, 5 Deactivate, 6 Reactivate, 15 Disqualify, 16 Qualify, 59 Save and New, 70 AutoSave, … */
  saveMode: number;
  /** The last saved values; null for a record not yet created. */
  before: RecordState | null;
  /** What the save would persist (the form's current values). */
  after: RecordState;
  settings?: { anonymizeWhenInactive?: boolean };
  /** LCID of the messages (1033 English, 1043 Dutch, 1031 German, 1036 French); English by default. */
  languageId?: number;
}

/** Why a save matters to the connector. */
export type ReasonCode = "DoNotEmail" | "NoValidEmail" | "Inactive" | "BulkEmailOptOut";
/** Information about the Spotler contact; never asks for confirmation. */
export type NoticeCode = "Recreate" | "StaysAnonymized";

/** What the form should do with a save. */
export interface SaveVerdict {
  /** The connector would anonymize the contact after this save. */
  anonymize: boolean;
  /** The connector would reset all permissions to false. */
  resetPermissions: boolean;
  /** A user-started save that needs the confirm dialog. */
  prompt: boolean;
  /** An AutoSave that must be cancelled. */
  block: boolean;
  reasons: { code: ReasonCode; message: string }[];
  notices: { code: NoticeCode; message: string }[];
}

/** What the HTTP status of an "Anonymize Contact" Spotler Job means. */
export type AnonymizeOutcome = "anonymized" | "alreadyAnonymized" | "failed";

/** One consent as a source holds it. */
export interface ConsentRecord {
  /** Primary key: a later record with the same ID updates the consent. */
  consentId?: string;
  /** Email or phone number the profile is unified on. */
  key: string;
  /** The type of consent, e.g. "Newsletter". */
  option: string;
  value: boolean;
  /** ISO 8601 date or date-time. */
  date?: string;
}

/** The current consent for one option. */
export interface Consent {
  value: boolean;
  date?: string;
  consentId?: string;
}

/** A unified profile: one key and its current consent per option. */
export interface ConsentProfile {
  key: string;
  consents: { [option: string]: Consent };
}

/** A consent table row that was left out. */
export interface CsvRowError {
  /** 1-based line where the row starts; the header is line 1. */
  line: number;
  message: string;
}

/** The result of reading a consent table. */
export interface ParsedConsentCsv {
  records: ConsentRecord[];
  errors: CsvRowError[];
}

/** The members of a segment of a consent table. */
export interface CsvSegment {
  /** Keys of the matching profiles, in the order their keys first appear. */
  keys: string[];
  /** Rows that were left out. */
  errors: CsvRowError[];
  /** How many unified profiles the rule was applied to. */
  profiles: number;
}
