// Compiled (not run) by `npm run test:types`: the package's published types as a developer
// meets them. A drift between the types and the API's shapes fails the compile.
import {
  ready,
  evaluateSave,
  evaluateSegment,
  parseConsentCsv,
  unifyConsent,
  ConsentGuardError,
  type SaveRequest,
  type SaveVerdict,
  type ReasonCode,
  type ConsentProfile,
  type ConsentGuardErrorCode,
} from "consent-guard";

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
