// Compiled (not run) by `npm run test:types`: the package's published types as a developer
// meets them. A drift between the types and the API's shapes fails the compile.
import {
  ready,
  evaluateSave,
  evaluateSegment,
  parseConsentCsv,
  unifyConsent,
  ConsentGuardError,
  createConsentReader,
  readConsentTable,
  moduleMemoryBytes,
  type ConsentReadOptions,
  type ConsentReadProgress,
  type ConsentRecord,
  type ConsentTableReader,
  type CsvSegment,
  type ParsedConsentCsv,
  type SaveRequest,
  type SaveVerdict,
  type ReasonCode,
  type ConsentProfile,
  type ConsentGuardErrorCode,
} from "consent-guard";
import "consent-guard/consentguard.js";

export async function check(): Promise<string[]> {
  await ready();
  const request: SaveRequest = { entity: "contact", saveMode: 70, before: null, after: { email: null } };
  const verdict: SaveVerdict = evaluateSave(request);
  const codes: ReasonCode[] = verdict.reasons.map((r) => r.code);
  const profiles: ConsentProfile[] = unifyConsent(parseConsentCsv("Email,Consent option,Consent value\n").records);
  try {
    return evaluateSegment("Consent option=Newsletter & Consent value=True", profiles).concat(codes);
  } catch (error) {
    if (error instanceof ConsentGuardError) {
      const code: ConsentGuardErrorCode = error.code;
      const where: [string | undefined, number | undefined, number | undefined] = [error.path, error.line, error.column];
      return [code, error.message, ...where.map(String)];
    }
    throw error;
  }
}

// @ts-expect-error: saveMode is a number
export const wrong: SaveRequest = { entity: "contact", saveMode: "1", before: null, after: {} };

// @ts-expect-error: codes are a closed set
export const unknownCode: ConsentGuardErrorCode = "badInput";

/** A table read in pieces: the reader's result type follows whether a rule is given. */
export async function readInPieces(file: Blob): Promise<number> {
  const reader: ConsentTableReader<ParsedConsentCsv> = createConsentReader({ onProgress: (p: ConsentReadProgress) => p.bytes + p.rows });
  reader.push("Email,Consent option,Consent value\n");
  reader.push(new Uint8Array([97]));
  const records: ConsentRecord[] = reader.finish().records;
  const segment: CsvSegment = await readConsentTable(file, { rule: "Consent option=Newsletter", signal: new AbortController().signal });
  // @ts-expect-error: without a rule, the result has records, not keys
  createConsentReader().finish().keys;
  return records.length + segment.keys.length + moduleMemoryBytes();
}

/** The web resource's global has the package's functions. */
export async function global(): Promise<boolean> {
  await ConsentGuard.ready();
  // @ts-expect-error: the global is frozen
  ConsentGuard.ready = ready;
  return ConsentGuard.isValidEmail("a@b.co") && ConsentGuard.ConsentGuardError === ConsentGuardError;
}

/** Options whose rule is not known to be given: the result may be either. */
export function eitherResult(options: ConsentReadOptions): number {
  const result = createConsentReader(options).finish();
  // @ts-expect-error: records only when no rule was given
  result.records;
  return "keys" in result ? result.keys.length : result.records.length;
}

/** An error's place is absent where it does not apply. */
export function place(error: ConsentGuardError): number {
  return (error.line ?? 0) + (error.column ?? 0);
}
