/**
 * Consent tables handed to the rules module in pieces: each piece is written straight into the
 * module's memory (`TextEncoder.encodeInto` for text, a copy for bytes) and read there, so a
 * large export is never held whole, on either side. The reading itself is the module's.
 * @module
 */

import { table_commit, table_drop, table_finish, table_open, table_space, table_take_records } from "#wasm-glue";
import { recordsOfColumns } from "./columns";
import { moduleMemory } from "./module-memory";
import { highSurrogate, pieceEnd } from "./text-pieces";
import type { CsvSegment, ParsedConsentCsv } from "./types";
import { answers } from "./wire";

/** How far a table has been read. */
export interface ConsentReadProgress {
  /** UTF-8 bytes handed to the reader so far. */
  bytes: number;
  /** Rows read so far, good and bad (not the header or blank lines). */
  rows: number;
}

/** A consent table being read piece by piece. */
export interface ConsentTableReader<Result> {
  /** Read the next piece: text, or UTF-8 bytes (a `Uint8Array`, another typed array or an `ArrayBuffer`; a row or a character may be split between pieces). */
  push(piece: string | Uint8Array | ArrayBuffer | ArrayBufferView): void;
  /** Read what is left and give the result; the reader cannot be used after. */
  finish(): Result;
  /** Stop reading and give back the module's memory for the table; the reader cannot be used after. */
  cancel(): void;
  /** How far the table has been read. */
  readonly progress: ConsentReadProgress;
}

const encoder = new TextEncoder();

/** Whether `code` is the first half of a surrogate pair. */

/** Whether `buffer` was transferred away: a view of it then has no bytes, and copying from it throws. */
function detached(buffer: ArrayBufferLike): boolean {
  const known = (buffer as { detached?: unknown }).detached;
  if (typeof known === "boolean") return known;
  try {
    // Engines without `detached` refuse a view of a detached buffer.
    return new Uint8Array(buffer, 0, 0).length < 0;
  } catch {
    return true;
  }
}

/** Gives back the module's memory of a table whose reader was dropped unfinished. */
const abandoned = new FinalizationRegistry<number>((number) => {
  try {
    table_drop(number);
  } catch {
    // The module is gone or failed: nothing is held any more.
  }
});

/** The error of a reader that was finished or cancelled. */
const gone = (): Error => Object.assign(new Error("this reader is finished or cancelled"), { path: "reader" });

/**
 * The error of a reader whose table the module no longer has although the reader never let go
 * of it: the module failed meanwhile (most often out of memory on another, larger table) and
 * forgot every table it was reading.
 */
const lost = (): Error =>
  Object.assign(
    new Error(
      "the rules module lost this reader's table when it failed (most likely out of memory on a large table); read the table again",
    ),
    { path: "reader", code: "moduleFault" },
  );

/** A reader of table number `number` in the module. */
export class TableReader<Result> implements ConsentTableReader<Result> {
  readonly progress: ConsentReadProgress = { bytes: 0, rows: 0 };
  #number: number | undefined;
  /** A high surrogate at the end of the last text piece, waiting for its other half. */
  #held = "";

  readonly #onProgress: ((progress: ConsentReadProgress) => void) | undefined;
  /** Read for its records (else for a segment's members). */
  readonly #records: boolean;

  constructor(number: number, records: boolean, onProgress?: (progress: ConsentReadProgress) => void) {
    this.#number = number;
    this.#records = records;
    this.#onProgress = onProgress;
    abandoned.register(this, number, this);
  }

  /** The module lost the table (see {@link lost}). */
  #lost = false;

  #open(): number {
    if (this.#number === undefined) throw this.#lost ? lost() : gone();
    return this.#number;
  }

  /** The module no longer has the table this reader holds: it is lost, and this reader done. */
  #lose(): Error {
    this.#close();
    this.#lost = true;
    return lost();
  }

  /** The table is gone from the module: this reader is done. */
  #close(): void {
    if (this.#number !== undefined) abandoned.unregister(this);
    this.#number = undefined;
  }

  /** Write `length` bytes at most into the module with `write`, then read them there. */
  #write(length: number, write: (room: Uint8Array) => number): void {
    const number = this.#open();
    const at = table_space(number, length);
    // No room: the module no longer has the table (it failed while reading another one).
    if (at === 0) throw this.#lose();
    // Asking for room may grow the memory, which detaches views made before: make it after.
    const written = write(new Uint8Array(moduleMemory().buffer, at, length));
    const rows = table_commit(number, written);
    if (rows < 0) throw this.#lose();
    this.progress.rows = rows;
    this.progress.bytes += written;
  }

  /** Write text, keeping a high surrogate at its end for the next piece. */
  #writeText(piece: string): void {
    let text = this.#held + piece;
    this.#held = "";
    if (highSurrogate(text.charCodeAt(text.length - 1))) {
      this.#held = text.slice(-1);
      text = text.slice(0, -1);
    }
    for (let start = 0; start < text.length; ) {
      const end = pieceEnd(text, start);
      // Room for one byte per unit first (most text is ASCII); what did not fit goes next time,
      // with room for the three bytes a unit may take.
      const slice = text.slice(start, end);
      let read = 0;
      this.#write(slice.length, (room) => {
        const done = encoder.encodeInto(slice, room);
        read = done.read;
        return done.written;
      });
      if (read < slice.length) {
        const rest = slice.slice(read);
        this.#write(rest.length * 3, (room) => encoder.encodeInto(rest, room).written);
      }
      start = end;
    }
  }

  /** A high surrogate held from the last text piece, written alone: it has no other half. */
  #writeHeld(): void {
    if (!this.#held) return;
    const held = this.#held;
    this.#held = "";
    this.#write(3, (room) => encoder.encodeInto(held, room).written);
  }

  push(piece: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    // Also for a piece that writes nothing (empty, or a high surrogate held for the next one).
    this.#open();
    if (typeof piece === "string") {
      this.#writeText(piece);
    } else {
      const buffer = piece instanceof ArrayBuffer ? piece : ArrayBuffer.isView(piece) ? piece.buffer : undefined;
      if (!buffer) {
        const kind = piece === null ? "null" : typeof piece === "object" ? (piece as object).constructor?.name || "object" : typeof piece;
        throw Object.assign(new TypeError(`piece: expected text or bytes (a Uint8Array or an ArrayBuffer), got ${kind}`), {
          path: "piece",
        });
      }
      if (detached(buffer)) {
        throw Object.assign(new TypeError("piece: its ArrayBuffer is detached (it was transferred), so there are no bytes to read"), {
          path: "piece",
        });
      }
      const bytes =
        piece instanceof Uint8Array
          ? piece
          : ArrayBuffer.isView(piece)
            ? new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength)
            : new Uint8Array(buffer);
      this.#writeHeld();
      this.#write(bytes.length, (room) => {
        room.set(bytes);
        return bytes.length;
      });
    }
    this.#progressed();
  }

  /** Tell `onProgress`; what it throws is its own, and says that the piece (or the whole table) was read. */
  #progressed(read: "piece" | "table" = "piece"): void {
    if (!this.#onProgress) return;
    try {
      this.#onProgress({ ...this.progress });
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      throw Object.assign(new Error(`options.onProgress threw after the ${read} was read: ${message}`, { cause }), {
        path: "options.onProgress",
      });
    }
  }

  finish(): Result {
    this.#writeHeld();
    const number = this.#open();
    let answered: [Result, number];
    try {
      answered = answers(table_finish(number)) as [Result, number];
    } catch (error) {
      // The module names a table it does not have after the reader; this one never let go of it.
      if ((error as { path?: unknown } | null)?.path === "reader") throw this.#lose();
      throw error;
    }
    const [answer, rows] = answered;
    const result = answer;
    this.progress.rows = rows;
    if (this.#records) {
      // The module answered how many records there are and keeps them until they are taken.
      try {
        const parsed = result as unknown as { records: unknown };
        const count = parsed.records as number;
        const lengths = new Uint32Array(count * 4);
        const flags = new Uint8Array(count);
        const options = new Uint32Array(count);
        const text = table_take_records(number, lengths, flags, options);
        // Only for a table that is gone.
        if (text === undefined) throw this.#lose();
        parsed.records = recordsOfColumns(text, lengths, flags, options);
      } catch (fault) {
        table_drop(number);
        this.#close();
        throw fault;
      }
    }
    this.#close();
    // The totals, which include the rows only the end of the text completes.
    this.#progressed("table");
    return result;
  }

  cancel(): void {
    if (this.#number !== undefined) table_drop(this.#number);
    this.#close();
  }
}

/**
 * Open a table in the module: its records (`rule` null) or the members of a segment. `size` (UTF-8
 * bytes, or UTF-16 units of text: close enough) lets the module make room for it at once.
 */
export function openTable<Result>(
  rule: string | null,
  onProgress?: (progress: ConsentReadProgress) => void,
  size = 0,
): TableReader<Result> {
  const [number] = answers(table_open(rule ?? "", rule !== null, size)) as [number];
  return new TableReader<Result>(number, rule === null, onProgress);
}

/** Read a whole text through a table reader: what `parseConsentCsv` and `evaluateSegmentCsv` do with text. */
export function readWhole(rule: null, text: string): ParsedConsentCsv;
export function readWhole(rule: string, text: string): CsvSegment;
export function readWhole(rule: string | null, text: string): ParsedConsentCsv | CsvSegment {
  const reader = openTable<ParsedConsentCsv | CsvSegment>(rule, undefined, text.length);
  try {
    reader.push(text);
    return reader.finish();
  } finally {
    reader.cancel();
  }
}
