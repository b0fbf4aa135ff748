/**
 * Loads the rules module (WebAssembly, inlined compressed) and exposes its pure functions.
 * Every decision and every message comes from the module; this file only checks readiness and
 * turns the module's errors into {@link ConsentGuardError}s.
 * @module
 */

import initWasm, { email_valid, initSync } from "#wasm-glue";
import { WASM_DEFLATED_BASE64, WASM_SIZE } from "#wasm-inline";
import { evaluateSaveCompact } from "./save-wire";
import type { AnonymizeOutcome, ConsentProfile, ConsentRecord, CsvSegment, ParsedConsentCsv, SaveRequest, SaveVerdict } from "./types";
import { moduleMemory, setModuleMemory } from "./module-memory";
import { readWhole } from "./table-reader";
import { invoke } from "./wire";
import { selectColumns, unifyColumns } from "./columns";

/** What kind of error a {@link ConsentGuardError} is (stable names); the README's table says when each applies. */
export type ConsentGuardErrorCode =
  | "invalidInput"
  | "invalidRule"
  | "invalidRecord"
  | "notReady"
  | "moduleUnavailable"
  | "moduleFault"
  | "sourceFailed";

/** The brand of {@link ConsentGuardError}s, shared by every copy of the library. */
const BRAND = Symbol.for("consent-guard.ConsentGuardError");

/**
 * The error every consent-guard function throws: a real `Error` whose message names the function
 * and the field or position at fault, and whose properties carry them for programs.
 * @example
 * try { evaluateSegment("Consent option=", []) } catch (e) { e.code === "invalidRule"; e.column === 16 }
 */
export class ConsentGuardError extends Error {
  /** What kind of fault it is: a stable string to test for (see {@link ConsentGuardErrorCode}). */
  readonly code: ConsentGuardErrorCode;
  // Declared only: each is an own property where it applies, and absent elsewhere.
  /** The field at fault, e.g. `request.after.donotemail`. */
  declare readonly path?: string;
  /** 1-based line of the text at fault. */
  declare readonly line?: number;
  /** 1-based column (in characters) of the text at fault. */
  declare readonly column?: number;

  /**
   * True for an error of any copy of this library (the global script and the package, or two
   * installed copies), whose classes differ: each is branded with the same registered symbol.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /**
   * `cause` is the error behind it (the rules module's, or a source's); `place` says where the
   * fault is, and is by default the cause's own `path`, `line` and `column`.
   */
  constructor(message: string, code: ConsentGuardErrorCode, cause?: unknown, place: unknown = cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "ConsentGuardError";
    this.code = code;
    const at = (place ?? {}) as { path?: unknown; line?: unknown; column?: unknown };
    const self = this as { path?: string; line?: number; column?: number };
    if (typeof at.path === "string") self.path = at.path;
    if (typeof at.line === "number") self.line = at.line;
    if (typeof at.column === "number") self.column = at.column;
  }
}
Object.defineProperty(ConsentGuardError.prototype, BRAND, { value: true });

/** The codes the errors met on the way carry: the rules module's own, and a reader's whose table the module lost. */
const MODULE_CODES: ReadonlySet<string> = new Set<ConsentGuardErrorCode>(["invalidInput", "invalidRule", "invalidRecord", "moduleFault"]);

let readiness: Promise<void> | undefined;
let instantiated = false;
/** Why the module could not be instantiated, once {@link ready} has failed. */
let unavailable: string | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  // Native where the browser has it (a tenth of the time of the loop below).
  const native = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> }).fromBase64;
  if (native) return native(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The module's bytes, inflated by the browser. A stream's own writer and reader take a few
 * milliseconds less than going through `Blob` and `Response`, and the output is allocated once.
 */
async function inflate(deflated: Uint8Array<ArrayBuffer>, size: number): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new DecompressionStream("deflate");
  const writer = stream.writable.getWriter();
  // A failure surfaces through the reader; these two promises would only repeat it.
  writer.write(deflated).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const bytes = new Uint8Array(size);
  let length = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    bytes.set(chunk.value, length);
    length += chunk.value.length;
  }
  if (length !== size) throw new Error(`the inlined module inflates to ${length} bytes instead of ${size}`);
  return bytes;
}

/**
 * Compile and instantiate at once, on this thread: the module is small enough for browsers to
 * compile synchronously (lazily, function by function), which saves the round trips of the
 * asynchronous API. Where a browser refuses, the asynchronous path tries again.
 */
async function instantiate(): Promise<void> {
  const bytes = await inflate(decodeBase64(WASM_DEFLATED_BASE64), WASM_SIZE);
  try {
    setModuleMemory(initSync({ module: new WebAssembly.Module(bytes) }).memory);
  } catch {
    setModuleMemory((await initWasm({ module_or_path: bytes })).memory);
  }
}

/**
 * Instantiate the rules module; every call returns the same promise. Rejects with a {@link ConsentGuardError}
 * when the browser refuses to compile WebAssembly (a Content-Security-Policy without `'wasm-unsafe-eval'`).
 */
export function ready(): Promise<void> {
  readiness ??= instantiate().then(
    () => {
      instantiated = true;
    },
    (cause: unknown) => {
      const reason = cause instanceof Error ? cause.message : String(cause);
      unavailable = `the rules module could not be instantiated: ${reason}`;
      throw new ConsentGuardError(`ConsentGuard: ${unavailable}`, "moduleUnavailable", cause);
    },
  );
  return readiness;
}

/**
 * The bytes of memory the rules module holds. WebAssembly memory grows and never shrinks: a large
 * table read in a page leaves the page's module this big (read such tables in a Worker).
 */
export function moduleMemoryBytes(): number {
  return call("moduleMemoryBytes", () => moduleMemory().buffer.byteLength);
}

/** Whether {@link ready} has resolved. */
export function isReady(): boolean {
  return instantiated;
}

/** Run `run` as the function `name`: not before {@link ready}, and with the module's errors as {@link ConsentGuardError}s. */
export function call<T>(name: string, run: () => T): T {
  if (!instantiated) {
    if (unavailable) throw new ConsentGuardError(`${name}: ${unavailable}`, "moduleUnavailable");
    throw new ConsentGuardError(
      `${name}: the rules module is not ready; await ready() first (ConsentGuard.ready() in the web resource)`,
      "notReady",
    );
  }
  try {
    return run();
  } catch (cause) {
    if (cause instanceof WebAssembly.RuntimeError) {
      // A trap: most often the module's memory could not grow for a table this large.
      throw new ConsentGuardError(`${name}: the rules module failed (${cause.message}), most likely out of memory`, "moduleFault", cause);
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    // The module's own codes; anything else thrown on the way (a caller's getter, a `toJSON`) is bad input.
    const code = (cause as { code?: unknown } | null)?.code;
    throw new ConsentGuardError(
      `${name}: ${message}`,
      typeof code === "string" && MODULE_CODES.has(code) ? (code as ConsentGuardErrorCode) : "invalidInput",
      cause,
    );
  }
}

/**
 * Judge a save: would it make the connector anonymize the contact in Spotler?
 * @throws {ConsentGuardError} for a misspelt field or a wrong type, naming its path.
 * @example
 * evaluateSave({ entity: "contact", saveMode: 1, before: { email: "holly@contoso.com" }, after: { donotemail: true } }).prompt // true
 */
export function evaluateSave(request: SaveRequest): SaveVerdict {
  // The compact wire first, without the closure `call` takes: this is the hot path.
  if (instantiated) {
    try {
      const verdict = evaluateSaveCompact(request);
      if (verdict) return verdict;
    } catch {
      // The object path below reports it.
    }
  }
  return call("evaluateSave", () => invoke("evaluateSave", { request }));
}

/** Whether an email address is valid for the connector: the WHATWG rule of `<input type=email>` and a dotted domain. */
export function isValidEmail(text: string): boolean {
  return call("isValidEmail", () => (typeof text === "string" ? email_valid(text) : invoke("isValidEmail", { text })));
}

/** What the HTTP status of an "Anonymize Contact" Spotler Job means: 410 anonymized, 404 already anonymized, anything else failed. */
export function interpretAnonymizeResponse(status: number): AnonymizeOutcome {
  return call("interpretAnonymizeResponse", () => invoke("interpretAnonymizeResponse", { status }));
}

/**
 * Read a consent table: a CSV header row with `Consent ID`, `Email` or `Phone`, `Consent option`,
 * `Consent value` and optionally `Consent date`, in any order and case. Bad rows are reported
 * with their line and left out, a row of only empty fields (`,,,`) among them; only lines with no
 * text, or nothing but spaces, are skipped. A quoted field keeps its exact text, an unquoted one
 * is trimmed, and a field of nothing but spaces counts as empty.
 */
export function parseConsentCsv(text: string): ParsedConsentCsv {
  return call("parseConsentCsv", () => (typeof text === "string" ? readWhole(null, text) : invoke("parseConsentCsv", { text })));
}

/** Unify consent records into one profile per (normalized) key, in the order keys first appear. */
export function unifyConsent(records: ConsentRecord[]): ConsentProfile[] {
  return call("unifyConsent", () => unifyColumns(records) ?? invoke("unifyConsent", { records }));
}

/**
 * Keys of the profiles a segment rule selects, in input order.
 * @example
 * evaluateSegment("Consent option=Newsletter & Consent value=True", profiles)
 * @throws {ConsentGuardError} naming the column where the rule is wrong, e.g. `column 16: expected a value after '='`.
 */
export function evaluateSegment(rule: string, profiles: ConsentProfile[]): string[] {
  return call("evaluateSegment", () => selectColumns(rule, profiles) ?? invoke("evaluateSegment", { rule, profiles }));
}

/**
 * Parse a consent table, unify it and apply a segment rule in one call: what
 * {@link parseConsentCsv}, {@link unifyConsent} and {@link evaluateSegment} do together, without
 * handing every record across to JavaScript. For large tables.
 * @throws {ConsentGuardError} naming the column where the rule is wrong.
 */
export function evaluateSegmentCsv(rule: string, csvText: string): CsvSegment {
  return call("evaluateSegmentCsv", () =>
    typeof rule === "string" && typeof csvText === "string"
      ? readWhole(rule, csvText)
      : invoke("evaluateSegmentCsv", { rule, text: csvText }),
  );
}
