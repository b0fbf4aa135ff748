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
  /** Called after every piece with the bytes and rows read so far. */
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
export function createConsentReader(options?: ConsentReadOptions): ConsentTableReader<ParsedConsentCsv>;
export function createConsentReader(options: ConsentReadOptions = {}): ConsentTableReader<ParsedConsentCsv | CsvSegment> {
  return call("createConsentReader", () => {
    const rule = options.rule;
    if (rule !== undefined && typeof rule !== "string")
      throw Object.assign(new Error(`options.rule: expected a string, got ${typeof rule}`), { path: "options.rule" });
    const reader = openTable<ParsedConsentCsv | CsvSegment>(
      rule ?? null,
      options.onProgress,
      typeof options.size === "number" ? options.size : 0,
    );
    // The reader's own errors (a finished reader, a wrong piece) carry the function's name too.
    const guarded = <T>(name: string, run: () => T): T => call(`ConsentTableReader.${name}`, run);
    return {
      progress: reader.progress,
      push: (piece) => guarded("push", () => reader.push(piece)),
      finish: () => guarded("finish", () => reader.finish()),
      cancel: () => reader.cancel(),
    };
  });
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
export async function readConsentTable(
  source: Blob | ReadableStream<Uint8Array | string> | string,
  options?: ConsentReadOptions,
): Promise<ParsedConsentCsv>;
export async function readConsentTable(
  source: Blob | ReadableStream<Uint8Array | string> | string,
  options: ConsentReadOptions = {},
): Promise<ParsedConsentCsv | CsvSegment> {
  const size = typeof source === "string" ? source.length : source instanceof Blob ? source.size : options.size;
  const reader = createConsentReader({ ...options, ...(size === undefined ? {} : { size }) }) as ConsentTableReader<
    ParsedConsentCsv | CsvSegment
  >;
  const { signal } = options;
  const stream = typeof source === "string" ? null : source instanceof ReadableStream ? source : source.stream();
  const pieces = stream?.getReader();
  try {
    if (pieces) {
      for (;;) {
        signal?.throwIfAborted();
        const { done, value } = await pieces.read();
        if (done) break;
        reader.push(value);
      }
    } else {
      reader.push(source as string);
    }
    signal?.throwIfAborted();
    return reader.finish();
  } catch (cause) {
    reader.cancel();
    await pieces?.cancel().catch(() => undefined);
    if (signal?.aborted || cause instanceof ConsentGuardError) throw cause;
    throw new ConsentGuardError(`readConsentTable: ${cause instanceof Error ? cause.message : String(cause)}`, "invalidInput", cause);
  }
}
