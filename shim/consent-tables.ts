/**
 * Consent tables of any size: read in pieces as they arrive (from a `File`, a fetch or any
 * stream), with progress, and cancellable. The result is what `parseConsentCsv` or
 * `evaluateSegmentCsv` gives for the same text.
 * @module
 */

import { call, ConsentGuardError } from "./core";
import { type ConsentReadProgress, type ConsentTableReader, openTable } from "./table-reader";
import type { CsvSegment, ParsedConsentCsv } from "./types";

export type { ConsentReadProgress, ConsentTableReader } from "./table-reader";

/** How to read a consent table. */
export interface ConsentReadOptions {
  /** Keep only the keys of the profiles this segment rule selects (what `evaluateSegmentCsv` gives); without it, every record (what `parseConsentCsv` gives). */
  rule?: string;
  /** Called after every piece with the bytes and rows read so far, and once more by `finish` with the totals. */
  onProgress?: (progress: ConsentReadProgress) => void;
  /** Stops {@link readConsentTable}; it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The table's size in bytes, when known (a `File`'s is taken by {@link readConsentTable}): room is made for it at once. */
  size?: number;
}

/**
 * A reader to hand a consent table to piece by piece: `push(piece)` as text or bytes arrive, then
 * `finish()`. A row split between two pieces is read once both have come.
 * @example
 * const reader = createConsentReader({ rule: "Consent option=Newsletter & Consent value=True" });
 * for (const piece of pieces) reader.push(piece);
 * const { keys, errors } = reader.finish();
 * @throws {ConsentGuardError} naming the column where the rule is wrong.
 */
export function createConsentReader(options: ConsentReadOptions & { rule: string }): ConsentTableReader<CsvSegment>;
/** A reader of every record of a table, piece by piece: what `parseConsentCsv` gives for the whole text. */
export function createConsentReader(options?: ConsentReadOptions & { rule?: undefined }): ConsentTableReader<ParsedConsentCsv>;
/** A reader of a table, piece by piece: a segment's members when `options.rule` is given, else every record. */
export function createConsentReader(options?: ConsentReadOptions): ConsentTableReader<CsvSegment | ParsedConsentCsv>;
export function createConsentReader(options: ConsentReadOptions = {}): ConsentTableReader<ParsedConsentCsv | CsvSegment> {
  return call("createConsentReader", () => {
    const { rule, onProgress, size } = readOptions(options);
    return guardedReader(
      openTable<ParsedConsentCsv | CsvSegment>(rule ?? null, onProgress, size ?? 0),
      (method) => `ConsentTableReader.${method}`,
    );
  });
}

/** The known options, each of its type: anything else is an error naming it. */
const OPTION_TYPES: Record<keyof ConsentReadOptions, string> = {
  rule: "a string",
  onProgress: "a function",
  signal: "an AbortSignal",
  size: "a whole number of bytes, 0 or more",
};

/** `reader` with its errors (a finished reader, a wrong piece, what `onProgress` threw) named by `name` of the method. */
function guardedReader<Result>(reader: ConsentTableReader<Result>, name: (method: string) => string): ConsentTableReader<Result> {
  return {
    progress: reader.progress,
    push: (piece) => call(name("push"), () => reader.push(piece)),
    finish: () => call(name("finish"), () => reader.finish()),
    cancel: () => reader.cancel(),
  };
}

/** What a wrong option was: its type, or a number itself (a negative or fractional size). */
function described(value: unknown): string {
  if (value === null) return "null";
  return typeof value === "number" ? String(value) : typeof value;
}

/**
 * `options` checked: an object with only known options, each of the right type. Its own
 * enumerable properties are read, each once, as everywhere else in the API; what it inherits
 * is not an option.
 */
function readOptions(options: unknown): ConsentReadOptions {
  const fail = (path: string, message: string): never => {
    throw Object.assign(new Error(`${path}: ${message}`), { path });
  };
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null)
    fail("options", `expected an object, got ${options === null ? "null" : typeof options}`);
  const read: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options as Record<string, unknown>)) {
    if (!Object.hasOwn(OPTION_TYPES, name))
      fail(`options.${name}`, `unknown option; expected one of ${Object.keys(OPTION_TYPES).join(", ")}`);
    if (value === undefined) continue;
    const right =
      name === "rule"
        ? typeof value === "string"
        : name === "onProgress"
          ? typeof value === "function"
          : name === "signal"
            ? typeof AbortSignal !== "undefined" && value instanceof AbortSignal
            : Number.isSafeInteger(value) && (value as number) >= 0;
    if (!right) fail(`options.${name}`, `expected ${OPTION_TYPES[name as keyof ConsentReadOptions]}, got ${described(value)}`);
    read[name] = value;
  }
  return read as ConsentReadOptions;
}

/** `source` as a stream to read, text to push whole, or an error naming it. */
function sourceOf(source: unknown): ReadableStream<Uint8Array | string> | string {
  if (typeof source === "string") return source;
  if (typeof Blob !== "undefined" && source instanceof Blob) return source.stream();
  if (typeof ReadableStream !== "undefined" && source instanceof ReadableStream) {
    if (source.locked) throw Object.assign(new Error("source: the stream is already being read"), { path: "source" });
    return source;
  }
  const kind = source === null ? "null" : typeof source === "object" ? (source as object).constructor?.name || "object" : typeof source;
  throw Object.assign(new Error(`source: expected a File or Blob, a ReadableStream or text, got ${kind}`), { path: "source" });
}

/**
 * Read a whole consent table from a `File` or `Blob`, a stream of bytes or text, or text, a
 * piece at a time: a large export is never held whole.
 * @example
 * const { keys } = await readConsentTable(file, { rule: "Consent option=Newsletter", onProgress: ({ bytes }) => show(bytes / file.size) });
 */
export async function readConsentTable(
  source: Blob | ReadableStream<Uint8Array | string> | string,
  options: ConsentReadOptions & { rule: string },
): Promise<CsvSegment>;
/** Read every record of a whole consent table, a piece at a time: what `parseConsentCsv` gives for the whole text. */
export async function readConsentTable(
  source: Blob | ReadableStream<Uint8Array | string> | string,
  options?: ConsentReadOptions & { rule?: undefined },
): Promise<ParsedConsentCsv>;
/** Read a whole consent table, a piece at a time: a segment's members when `options.rule` is given, else every record. */
export async function readConsentTable(
  source: Blob | ReadableStream<Uint8Array | string> | string,
  options?: ConsentReadOptions,
): Promise<CsvSegment | ParsedConsentCsv>;
export async function readConsentTable(
  source: Blob | ReadableStream<Uint8Array | string> | string,
  options: ConsentReadOptions = {},
): Promise<ParsedConsentCsv | CsvSegment> {
  let reader: ConsentTableReader<ParsedConsentCsv | CsvSegment> | undefined;
  let pieces: ReadableStreamDefaultReader<Uint8Array | string> | undefined;
  const read = call("readConsentTable", () => readOptions(options));
  const { signal } = read;
  // An aborted signal stops the call before anything is read, whatever the source.
  signal?.throwIfAborted();
  try {
    const stream = call("readConsentTable", () => sourceOf(source));
    const size = typeof source === "string" ? source.length : source instanceof Blob ? source.size : read.size;
    // Its errors (the rule, a wrong piece, what onProgress throws) are named after this function.
    reader = call("readConsentTable", () =>
      guardedReader(openTable<ParsedConsentCsv | CsvSegment>(read.rule ?? null, read.onProgress, size ?? 0), () => "readConsentTable"),
    );
    if (typeof stream === "string") {
      reader.push(stream);
    } else {
      // Through a pipe that the signal aborts: a read that waits for the source then ends at
      // once with the signal's reason, and the source is cancelled.
      pieces = (
        signal ? stream.pipeThrough(new TransformStream<Uint8Array | string, Uint8Array | string>(), { signal }) : stream
      ).getReader();
      for (;;) {
        signal?.throwIfAborted();
        const { done, value } = await pieces.read();
        if (done) break;
        reader.push(value);
      }
    }
    signal?.throwIfAborted();
    return reader.finish();
  } catch (cause) {
    reader?.cancel();
    await pieces?.cancel().catch(() => undefined);
    if (signal?.aborted || cause instanceof ConsentGuardError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ConsentGuardError(
      `readConsentTable: source: ${message}`,
      "invalidInput",
      Object.assign(new Error(message), { path: "source" }),
    );
  }
}
