/**
 * Loads the rules module (WebAssembly, inlined compressed) and exposes its pure functions.
 * Every decision and every message comes from the module; this file only checks readiness and
 * turns the module's errors into {@link ConsentGuardError}s.
 * @module
 */

import initWasm, * as wasm from "#wasm-glue";
import { WASM_DEFLATED_BASE64 } from "#wasm-inline";
import type { AnonymizeOutcome, ConsentProfile, ConsentRecord, CsvSegment, ParsedConsentCsv, SaveRequest, SaveVerdict } from "./types";

/** What kind of error a {@link ConsentGuardError} is; the names are stable. */
export type ConsentGuardErrorCode =
  /** A value of the wrong type, a missing field or an unknown one; `path` names it. */
  | "invalidInput"
  /** A segment rule that does not parse; `column` points at it. */
  | "invalidRule"
  /** A consent record that cannot be unified; `path` names its field. */
  | "invalidRecord"
  /** A function was called before {@link ready} resolved. */
  | "notReady"
  /** The browser refused to compile the rules module. */
  | "moduleUnavailable";

/** Where and why: the properties a {@link ConsentGuardError} carries besides its message. */
export interface ConsentGuardErrorDetails {
  code: ConsentGuardErrorCode;
  /** The field at fault, e.g. `request.after.donotemail`. */
  path?: string;
  /** 1-based line of the text at fault. */
  line?: number;
  /** 1-based column (in characters) of the text at fault, e.g. in a segment rule. */
  column?: number;
  cause?: unknown;
}

/**
 * The error every consent-guard function throws: a real `Error` whose message names the function
 * and the field or position at fault, and whose properties carry them for programs.
 * @example
 * try { evaluateSegment("Consent option=", []) } catch (e) { e.code === "invalidRule"; e.column === 16 }
 */
export class ConsentGuardError extends Error {
  /** What kind of error this is. */
  readonly code: ConsentGuardErrorCode;
  /** The field at fault, where there is one. */
  readonly path?: string;
  /** 1-based line, where it applies. */
  readonly line?: number;
  /** 1-based column, where it applies. */
  readonly column?: number;

  constructor(message: string, details: ConsentGuardErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ConsentGuardError";
    this.code = details.code;
    if (details.path !== undefined) this.path = details.path;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
  }
}

/** The details the rules module put on an error it threw. */
function detailsOf(cause: unknown): ConsentGuardErrorDetails {
  const raw = (cause ?? {}) as { code?: unknown; path?: unknown; line?: unknown; column?: unknown };
  const details: ConsentGuardErrorDetails = {
    code: typeof raw.code === "string" ? (raw.code as ConsentGuardErrorCode) : "invalidInput",
    cause,
  };
  if (typeof raw.path === "string") details.path = raw.path;
  if (typeof raw.line === "number") details.line = raw.line;
  if (typeof raw.column === "number") details.column = raw.column;
  return details;
}

let readiness: Promise<void> | undefined;
let instantiated = false;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  // Native where the browser has it (a tenth of the time of the loop below).
  const native = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> }).fromBase64;
  if (native) return native(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function inflate(deflated: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  const stream = new Blob([deflated]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(stream).arrayBuffer();
}

async function instantiate(): Promise<void> {
  const bytes = await inflate(decodeBase64(WASM_DEFLATED_BASE64));
  await initWasm({ module_or_path: bytes });
}

/**
 * Instantiate the rules module. Idempotent: every call returns the same promise. Rejects with a
 * {@link ConsentGuardError} when the browser refuses to compile WebAssembly (a Content-Security-Policy
 * without `'wasm-unsafe-eval'`).
 */
export function ready(): Promise<void> {
  readiness ??= instantiate().then(
    () => {
      instantiated = true;
    },
    (cause: unknown) => {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ConsentGuardError(`ConsentGuard: the rules module could not be instantiated: ${reason}`, {
        code: "moduleUnavailable",
        cause,
      });
    },
  );
  return readiness;
}

/** Whether {@link ready} has resolved. */
export function isReady(): boolean {
  return instantiated;
}

function call<T>(name: string, run: () => T): T {
  if (!instantiated) {
    throw new ConsentGuardError(`${name}: the rules module is not ready; await ConsentGuard.ready() first`, { code: "notReady" });
  }
  try {
    return run();
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ConsentGuardError(`${name}: ${message}`, detailsOf(cause));
  }
}

/**
 * Judge a save: would it make the connector anonymize the contact in Spotler?
 * @throws {ConsentGuardError} for a misspelt field or a wrong type, naming its path.
 * @example
 * evaluateSave({ entity: "contact", saveMode: 1, before: { email: "holly@contoso.com" }, after: { donotemail: true } }).prompt // true
 */
export function evaluateSave(request: SaveRequest): SaveVerdict {
  return call("evaluateSave", () => wasm.evaluateSave(request) as SaveVerdict);
}

/** Whether an email address is valid for the connector: the WHATWG rule of `<input type=email>` and a dotted domain. */
export function isValidEmail(text: string): boolean {
  return call("isValidEmail", () => wasm.isValidEmail(text));
}

/** What the HTTP status of an "Anonymize Contact" Spotler Job means: 410 anonymized, 404 already anonymized, anything else failed. */
export function interpretAnonymizeResponse(status: number): AnonymizeOutcome {
  return call("interpretAnonymizeResponse", () => wasm.interpretAnonymizeResponse(status) as AnonymizeOutcome);
}

/**
 * Read a consent table: a CSV header row with `Consent ID`, `Email` or `Phone`, `Consent option`,
 * `Consent value` and optionally `Consent date`, in any order and case. Bad rows are reported
 * with their line and left out.
 */
export function parseConsentCsv(text: string): ParsedConsentCsv {
  return call("parseConsentCsv", () => wasm.parseConsentCsv(text) as ParsedConsentCsv);
}

/** Unify consent records into one profile per (normalized) key, in the order keys first appear. */
export function unifyConsent(records: ConsentRecord[]): ConsentProfile[] {
  return call("unifyConsent", () => wasm.unifyConsent(records) as ConsentProfile[]);
}

/**
 * Keys of the profiles a segment rule selects, in input order.
 * @example
 * evaluateSegment("Consent option=Newsletter & Consent value=True", profiles)
 * @throws {ConsentGuardError} naming the column where the rule is wrong, e.g. `column 16: expected a value after '='`.
 */
export function evaluateSegment(rule: string, profiles: ConsentProfile[]): string[] {
  return call("evaluateSegment", () => wasm.evaluateSegment(rule, profiles) as string[]);
}

/**
 * Parse a consent table, unify it and apply a segment rule in one call: what
 * {@link parseConsentCsv}, {@link unifyConsent} and {@link evaluateSegment} do together, without
 * handing every record across to JavaScript. For large tables.
 * @throws {ConsentGuardError} naming the column where the rule is wrong.
 */
export function evaluateSegmentCsv(rule: string, csvText: string): CsvSegment {
  return call("evaluateSegmentCsv", () => wasm.evaluateSegmentCsv(rule, csvText) as CsvSegment);
}
