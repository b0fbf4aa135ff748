/**
 * Consent tables of any size: read in pieces as they arrive (from a `File`, a fetch, a web or
 * Node.js stream), with progress, and cancellable. The result is what `parseConsentCsv` or
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

/**
 * What {@link readConsentTable} reads: a `File` or `Blob`; a web `ReadableStream` (a fetch body);
 * any async iterable of pieces, such as a Node.js stream (`fs.createReadStream`); or the whole
 * table as text or bytes.
 */
export type ConsentTableSource =
  | Blob
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Uint8Array
  | ArrayBuffer
  | string;

/** A source read piece by piece: its next piece, and how to let go of it early. */
interface Pieces {
  next(): Promise<IteratorResult<unknown>>;
  stop(): Promise<unknown>;
}

/** `source` as pieces to read, a whole piece to push at once, or an error naming it. */
function sourceOf(source: unknown, signal: AbortSignal | undefined): Pieces | string | Uint8Array | ArrayBuffer {
  if (typeof source === "string" || source instanceof Uint8Array || source instanceof ArrayBuffer) return source;
  if (typeof Blob !== "undefined" && source instanceof Blob) return blobPieces(source, signal);
  if (typeof ReadableStream !== "undefined" && source instanceof ReadableStream) {
    if (source.locked) throw Object.assign(new Error("source: the stream is already being read"), { path: "source" });
    return streamPieces(source, signal);
  }
  const iterate = (source as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator];
  if (typeof iterate === "function") {
    // As a web stream, so that a signal stops it the same way; cancelling it stops the
    // iterator, which destroys a Node.js stream (the file or socket behind it is closed).
    const iterator = iterate.call(source) as AsyncIterator<unknown>;
    const stream = new ReadableStream<unknown>(
      {
        async pull(controller) {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        async cancel() {
          await iterator.return?.();
        },
      },
      { highWaterMark: 0 },
    );
    return streamPieces(stream, signal);
  }
  const kind = source === null ? "null" : typeof source === "object" ? (source as object).constructor?.name || "object" : typeof source;
  throw Object.assign(
    new Error(`source: expected a File or Blob, a ReadableStream or async iterable of pieces, or text or bytes, got ${kind}`),
    { path: "source" },
  );
}

/** Bytes read from a `File` or `Blob` at a time. */
const BLOB_PIECE = 1 << 20;

/**
 * A `File`'s or `Blob`'s pieces, each read afresh: a file changed on disk since it was chosen
 * then fails to read (a `sourceFailed` error), where a stream of it may read on into the new
 * bytes without a word.
 */
function blobPieces(blob: Blob, signal: AbortSignal | undefined): Pieces {
  let at = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (at >= blob.size) {
          controller.close();
          return;
        }
        const end = Math.min(blob.size, at + BLOB_PIECE);
        controller.enqueue(new Uint8Array(await blob.slice(at, end).arrayBuffer()));
        at = end;
      },
    },
    { highWaterMark: 0 },
  );
  return streamPieces(stream, signal);
}

/**
 * A web stream's pieces, through a pipe that `signal` aborts: a read that waits for the source
 * then ends at once with the signal's reason, and the source is cancelled.
 */
function streamPieces(stream: ReadableStream<unknown>, signal: AbortSignal | undefined): Pieces {
  const reader = (signal ? stream.pipeThrough(new TransformStream(), { signal }) : stream).getReader();
  return { next: () => reader.read(), stop: () => reader.cancel() };
}

/** The size in bytes of a source that knows it. */
function sizeOf(source: unknown): number | undefined {
  if (typeof source === "string") return source.length;
  if (typeof Blob !== "undefined" && source instanceof Blob) return source.size;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return source.byteLength;
  return undefined;
}

/**
 * Read a whole consent table from a `File` or `Blob`, a stream or async iterable of bytes or
 * text (a fetch body, a Node.js stream), or text or bytes, a piece at a time: a large export is
 * never held whole.
 * @example
 * const { keys } = await readConsentTable(file, { rule: "Consent option=Newsletter", onProgress: ({ bytes }) => show(bytes / file.size) });
 */
export async function readConsentTable(source: ConsentTableSource, options: ConsentReadOptions & { rule: string }): Promise<CsvSegment>;
/** Read every record of a whole consent table, a piece at a time: what `parseConsentCsv` gives for the whole text. */
export async function readConsentTable(
  source: ConsentTableSource,
  options?: ConsentReadOptions & { rule?: undefined },
): Promise<ParsedConsentCsv>;
/** Read a whole consent table, a piece at a time: a segment's members when `options.rule` is given, else every record. */
export async function readConsentTable(source: ConsentTableSource, options?: ConsentReadOptions): Promise<CsvSegment | ParsedConsentCsv>;
export async function readConsentTable(
  source: ConsentTableSource,
  options: ConsentReadOptions = {},
): Promise<ParsedConsentCsv | CsvSegment> {
  let reader: ConsentTableReader<ParsedConsentCsv | CsvSegment> | undefined;
  let pieces: Pieces | undefined;
  const read = call("readConsentTable", () => readOptions(options));
  const { signal } = read;
  // An aborted signal stops the call before anything is read, whatever the source.
  signal?.throwIfAborted();
  try {
    const from = call("readConsentTable", () => sourceOf(source, signal));
    if (typeof from === "object" && !(from instanceof Uint8Array) && !(from instanceof ArrayBuffer)) pieces = from;
    const size = sizeOf(source) ?? read.size;
    // Its errors (the rule, a wrong piece, what onProgress throws) are named after this function.
    reader = call("readConsentTable", () =>
      guardedReader(openTable<ParsedConsentCsv | CsvSegment>(read.rule ?? null, read.onProgress, size ?? 0), () => "readConsentTable"),
    );
    if (pieces) {
      for (;;) {
        signal?.throwIfAborted();
        const { done, value } = await pieces.next();
        if (done) break;
        reader.push(value as string | Uint8Array);
      }
    } else {
      reader.push(from as string | Uint8Array | ArrayBuffer);
    }
    signal?.throwIfAborted();
    return reader.finish();
  } catch (cause) {
    reader?.cancel();
    await pieces?.stop().catch(() => undefined);
    if (signal?.aborted || cause instanceof ConsentGuardError) throw cause;
    // What else fails is the source while it is read (a stream that errors, a file that changed
    // or went away): not the caller's input, and its own error is kept as the cause.
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ConsentGuardError(`readConsentTable: source: ${message}`, "sourceFailed", cause, { path: "source" });
  }
}
