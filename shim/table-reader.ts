/**
 * Consent tables handed to the rules module in pieces: each piece is written straight into the
 * module's memory (`TextEncoder.encodeInto` for text, a copy for bytes) and read there, so a
 * large export is never held whole, on either side. The reading itself is the module's.
 * @module
 */

import { table_commit, table_drop, table_finish, table_open, table_space, table_take_records } from "#wasm-glue";
import { recordsOfColumns } from "./columns";
import { moduleMemory } from "./module-memory";
import type { CsvSegment, ParsedConsentCsv } from "./types";
import { answer } from "./wire";

/** How far a table has been read. */
export interface ConsentReadProgress {
  /** UTF-8 bytes handed to the reader so far. */
  bytes: number;
  /** Rows read so far, good and bad (not the header or blank lines). */
  rows: number;
}

/** A consent table being read piece by piece. */
export interface ConsentTableReader<Result> {
  /** Read the next piece: text, or UTF-8 bytes (a row or a character may be split between pieces). */
  push(piece: string | Uint8Array): void;
  /** Read what is left and give the result; the reader cannot be used after. */
  finish(): Result;
  /** Stop reading and give back the module's memory for the table; the reader cannot be used after. */
  cancel(): void;
  /** How far the table has been read. */
  readonly progress: ConsentReadProgress;
}

/** Text is encoded a piece at a time, so the module never needs room for the whole of it. */
const TEXT_PIECE = 1 << 18;

const encoder = new TextEncoder();

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
  }

  #open(): number {
    if (this.#number === undefined) throw new Error("this reader is finished or cancelled");
    return this.#number;
  }

  /** Write `length` bytes at most into the module with `write`, then read them there. */
  #write(length: number, write: (room: Uint8Array) => number): void {
    const number = this.#open();
    const at = table_space(number, length);
    // Asking for room may grow the memory, which detaches views made before: make it after.
    const written = write(new Uint8Array(moduleMemory().buffer, at, length));
    this.progress.rows = table_commit(number, written);
    this.progress.bytes += written;
  }

  push(piece: string | Uint8Array): void {
    if (piece instanceof Uint8Array) {
      this.#write(piece.length, (room) => {
        room.set(piece);
        return piece.length;
      });
    } else if (typeof piece === "string") {
      let text = this.#held + piece;
      this.#held = "";
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        this.#held = text.slice(-1);
        text = text.slice(0, -1);
      }
      for (let start = 0; start < text.length; ) {
        let end = Math.min(start + TEXT_PIECE, text.length);
        // Never split a surrogate pair between two pieces.
        const before = text.charCodeAt(end - 1);
        if (end < text.length && before >= 0xd800 && before <= 0xdbff) end -= 1;
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
    } else {
      throw new TypeError(`expected text or a Uint8Array, got ${piece === null ? "null" : typeof piece}`);
    }
    this.#onProgress?.({ ...this.progress });
  }

  finish(): Result {
    if (this.#held) {
      const held = this.#held;
      this.#held = "";
      this.#write(3, (room) => encoder.encodeInto(held, room).written);
    }
    const number = this.#open();
    const result = answer(table_finish(number)) as Result;
    if (this.#records) {
      // The module answered how many records there are and keeps them until they are taken.
      try {
        const parsed = result as unknown as { records: unknown };
        const count = parsed.records as number;
        const lengths = new Uint32Array(count * 4);
        const flags = new Uint8Array(count);
        const options = new Uint32Array(count);
        const text = table_take_records(number, lengths, flags, options);
        // Only for a table that is gone: the module's error says so.
        if (text === undefined) return answer(table_finish(number)) as Result;
        parsed.records = recordsOfColumns(text, lengths, flags, options);
      } catch (fault) {
        table_drop(number);
        this.#number = undefined;
        throw fault;
      }
    }
    this.#number = undefined;
    return result;
  }

  cancel(): void {
    if (this.#number !== undefined) table_drop(this.#number);
    this.#number = undefined;
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
  const number = answer(table_open(rule ?? "", rule !== null, size)) as number;
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
