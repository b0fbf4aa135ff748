/**
 * Records and profiles handed to the module as columns (read by `src/consent/columns.rs`, where
 * the layout is documented): every text of a call back to back in one UTF-8 buffer with its
 * length in UTF-16 units, the booleans as bits, and numbers back. A table of a million records
 * crosses as a few arrays instead of a hundred megabytes of JSON each way, and the answer's
 * objects are built here from the very values that were handed over.
 *
 * Only input that is plainly of the documented shape goes this way: plain objects with known
 * fields of the right types, text without lone surrogates. Anything else, and whatever the
 * module will not take this way (a record that does not unify, a rule that does not parse),
 * goes the JSON path, which names what is wrong.
 * @module
 */

import { columns_space, profiles_select, records_unify, segment_rule_reads } from "#wasm-glue";
import { HAS_DATE, HAS_ID, OPTION_SHIFT, READS_DATES, READS_IDS, VALUE } from "./gen/columns";
import { moduleMemory } from "./module-memory";
import { plainArray, plainObject, prototypeClean } from "./plain";
import { pieceEnd } from "./text-pieces";
import type { ConsentProfile, ConsentRecord } from "./types";

type Consent = ConsentProfile["consents"][string];

const encoder = new TextEncoder();

/** Whether `text` survives UTF-8 encoding as it is (no lone surrogate); false where the engine cannot tell. */
function wellFormed(text: string): boolean {
  const checked = text as string & { isWellFormed?: () => boolean };
  return typeof checked.isWellFormed === "function" && checked.isWellFormed();
}

/**
 * Which call on columns owns the module's room: every writing starts a new one. A getter run
 * while records are read could make a call of its own, which writes over the room; the call
 * that was interrupted then sees that its room is gone and gives up.
 */
let roomOwner = 0;

/**
 * Write `text` as UTF-8 into the module's room for the next call on columns (`columns_space`),
 * after the first `at` bytes: the number of bytes there are then, or undefined when a lone
 * surrogate would not survive encoding. Room for a byte per unit is asked for once (most text is
 * ASCII); should a character not fit, room for three bytes a unit of the rest. The text is encoded
 * a piece at a time (see `text-pieces.ts`) into that room.
 */
function writeText(text: string, at = 0): number | undefined {
  if (!wellFormed(text)) return undefined;
  let written = at;
  let roomEnd = at + text.length;
  let base = columns_space(written, roomEnd);
  for (let start = 0; start < text.length; ) {
    const end = pieceEnd(text, start);
    let piece = start === 0 && end === text.length ? text : text.slice(start, end);
    let pieceStart = start;
    for (;;) {
      // Asking for room may grow the memory, which detaches views made before: make each after.
      const room = new Uint8Array(moduleMemory().buffer, base + written, Math.min(roomEnd - written, piece.length * 3));
      const done = encoder.encodeInto(piece, room);
      written += done.written;
      if (done.read >= piece.length) break;
      pieceStart += done.read;
      piece = piece.slice(done.read);
      roomEnd = written + (text.length - pieceStart) * 3;
      base = columns_space(written, roomEnd);
    }
    start = end;
  }
  return written;
}

/**
 * What `read` makes of the caller's input, or undefined when reading it throws (a getter, a
 * proxy): the JSON path then reads it and says what is wrong. Only the reading is guarded; a
 * fault of the module is reported as it is, not retried.
 */
function readOrUndefined<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** An optional text: the text, `undefined` when absent (`null` or `undefined`), or `false` for another type. */
function optionalText(value: unknown): string | undefined | false {
  return typeof value === "string" ? value : value == null ? undefined : false;
}

/** Texts back to back with their lengths, as the module reads them. */
class Texts {
  /** The texts, joined at the end: appending to one string would make a node per text for the collector. */
  readonly parts: string[] = [];
  lengths: Uint32Array;
  count = 0;

  constructor(capacity: number) {
    this.lengths = new Uint32Array(Math.max(capacity, 16));
  }

  add(text: string): void {
    if (this.count === this.lengths.length) {
      const grown = new Uint32Array(this.count * 2);
      grown.set(this.lengths);
      this.lengths = grown;
    }
    this.parts.push(text);
    this.lengths[this.count++] = text.length;
  }

  /** The lengths of the texts added. */
  added(): Uint32Array {
    return this.lengths.subarray(0, this.count);
  }
}

/** Texts joined and written into the module this many at a time (see `StreamedTexts`). */
const TEXTS_PER_WRITE = 4096;

/**
 * Texts written into the module's room as they are added, a few thousand at a time: a table of
 * a million records would otherwise first gather four million strings and join them into one
 * of a hundred megabytes, which the collector then has to move and sweep.
 */
class StreamedTexts extends Texts {
  private readonly owner = ++roomOwner;
  private written: number | undefined = 0;

  override add(text: string): void {
    super.add(text);
    if (this.parts.length === TEXTS_PER_WRITE) this.flush();
  }

  private flush(): void {
    const joined = this.parts.join("");
    this.parts.length = 0;
    // Once a text would not encode, or another call took the room, nothing more is written.
    if (this.written !== undefined) this.written = this.owner === roomOwner ? writeText(joined, this.written) : undefined;
  }

  /** The bytes written for every text added, or undefined when they could not all be written. */
  write(): number | undefined {
    this.flush();
    return this.owner === roomOwner ? this.written : undefined;
  }
}

/** Records as the module's columns, and the values the answer is built from (arrays, not an object per record: a million more objects would cost the garbage collector more than the rest). */
interface RecordColumns {
  texts: StreamedTexts;
  flags: Uint8Array;
  consentIds: (string | undefined)[];
  options: string[];
  dates: (string | undefined)[];
}

/** `records` as columns, or undefined when any of them is not plainly a record. */
function recordColumns(records: unknown): RecordColumns | undefined {
  if (!plainArray(records) || !prototypeClean()) return undefined;
  const count = records.length;
  const texts = new StreamedTexts(count * 4);
  const flags = new Uint8Array(count);
  const consentIds: (string | undefined)[] = new Array(count);
  const options: string[] = new Array(count);
  const dates: (string | undefined)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const record: unknown = records[i];
    if (!plainObject(record)) return undefined;
    let consentId: string | undefined | false;
    let key: unknown;
    let option: unknown;
    let value: unknown;
    let date: string | undefined | false;
    for (const name in record) {
      const field = record[name];
      switch (name) {
        case "consentId":
          consentId = optionalText(field);
          break;
        case "key":
          key = field;
          break;
        case "option":
          option = field;
          break;
        case "value":
          value = field;
          break;
        case "date":
          date = optionalText(field);
          break;
        default:
          if (field !== undefined) return undefined;
      }
    }
    if (consentId === false || date === false || typeof key !== "string" || typeof option !== "string" || typeof value !== "boolean") {
      return undefined;
    }
    texts.add(consentId ?? "");
    texts.add(key);
    texts.add(option);
    texts.add(date ?? "");
    flags[i] = (value ? VALUE : 0) | (consentId === undefined ? 0 : HAS_ID) | (date === undefined ? 0 : HAS_DATE);
    consentIds[i] = consentId;
    options[i] = option;
    dates[i] = date;
  }
  return { texts, flags, consentIds, options, dates };
}

/** Set `consents[option]` as `JSON.parse` would: an own property, even for `__proto__` or a name `Object.prototype` has a setter for. */
function setConsent(consents: Record<string, Consent>, option: string, consent: Consent): void {
  if (option in Object.prototype) {
    Object.defineProperty(consents, option, { value: consent, enumerable: true, writable: true, configurable: true });
  } else {
    consents[option] = consent;
  }
}

/** `unifyConsent` through the columns, or undefined when the call must go the JSON path. */
export function unifyColumns(records: ConsentRecord[]): ConsentProfile[] | undefined {
  const columns = readOrUndefined(() => recordColumns(records));
  const written = columns?.texts.write();
  if (!columns || written === undefined) return undefined;
  const { flags, consentIds, options, dates } = columns;
  const shape = new Uint32Array(flags.length * 3 + 1);
  const keys = records_unify(written, columns.texts.added(), flags, shape);
  if (keys === undefined) return undefined;
  const profiles: ConsentProfile[] = new Array(shape[0]);
  let at = 1;
  let keyStart = 0;
  for (let p = 0; p < profiles.length; p++) {
    const keyEnd = keyStart + (shape[at++] as number);
    const consents: Record<string, Consent> = {};
    for (let c = shape[at++] as number; c > 0; c--) {
      const record = shape[at++] as number;
      const option = options[record];
      if (option === undefined) return undefined;
      const value = ((flags[record] as number) & VALUE) !== 0;
      const date = dates[record];
      const consentId = consentIds[record];
      // In the order the JSON path writes them; one literal per combination keeps one shape each.
      let consent: Consent;
      if (date === undefined) consent = consentId === undefined ? { value } : { value, consentId };
      else consent = consentId === undefined ? { value, date } : { value, date, consentId };
      setConsent(consents, option, consent);
    }
    profiles[p] = { key: keys.slice(keyStart, keyEnd), consents };
    keyStart = keyEnd;
  }
  return profiles;
}

/**
 * The records of `parseConsentCsv` from the module's columns: per record four texts in `text`
 * (Consent ID, key, option, date) cut by `lengths`, its `flags`, and the number of its option's
 * spelling in `options`. Each record has the fields of its JSON, in that order. Texts are cut out
 * of the one text the module answered, which the engine may share between them rather than copy;
 * records that spell their option alike share one string, which also makes it a cheap property
 * name when `unifyConsent` names their consents.
 */
export function recordsOfColumns(text: string, lengths: Uint32Array, flags: Uint8Array, options: Uint32Array): ConsentRecord[] {
  const records: ConsentRecord[] = new Array(flags.length);
  const spellings: string[] = [];
  let at = 0;
  for (let i = 0, l = 0; i < flags.length; i++, l += 4) {
    const flag = flags[i] as number;
    const idEnd = at + (lengths[l] as number);
    const keyEnd = idEnd + (lengths[l + 1] as number);
    const optionEnd = keyEnd + (lengths[l + 2] as number);
    const dateEnd = optionEnd + (lengths[l + 3] as number);
    const key = text.slice(idEnd, keyEnd);
    const spelling = options[i] as number;
    let option = spellings[spelling];
    if (option === undefined) spellings[spelling] = option = text.slice(keyEnd, optionEnd);
    const value = (flag & VALUE) !== 0;
    // One literal per combination of the optional fields: each keeps one shape.
    if (flag & HAS_ID) {
      const consentId = text.slice(at, idEnd);
      records[i] =
        flag & HAS_DATE ? { consentId, key, option, value, date: text.slice(optionEnd, dateEnd) } : { consentId, key, option, value };
    } else {
      records[i] = flag & HAS_DATE ? { key, option, value, date: text.slice(optionEnd, dateEnd) } : { key, option, value };
    }
    at = dateEnd;
  }
  return records;
}

/** Options beyond this many (far more than any table has) go the JSON path. */
const MAX_OPTIONS = 1 << 28;

/** Profiles as the module's columns (see `select_columns`), and their keys for the answer. */
interface ProfileColumns {
  keys: string[];
  /** The options, each once, then each consent's date and Consent ID when the rule reads them. */
  text: string;
  lengths: Uint32Array;
  optionCount: number;
  counts: Uint32Array;
  consents: Uint32Array;
}

/** `profiles` as columns for a rule that reads `reads`, or undefined when any of them is not plainly a profile. */
function profileColumns(profiles: unknown, reads: number): ProfileColumns | undefined {
  if (!plainArray(profiles) || !prototypeClean()) return undefined;
  const count = profiles.length;
  const extra = reads & (READS_DATES | READS_IDS) ? new Texts(count * 8) : undefined;
  const keys: string[] = new Array(count);
  const counts = new Uint32Array(count);
  const optionNumbers = new Map<string, number>();
  const options = new Texts(16);
  let consents = new Uint32Array(Math.max(count * 4, 16));
  let consentCount = 0;
  for (let p = 0; p < count; p++) {
    const profile: unknown = profiles[p];
    if (!plainObject(profile)) return undefined;
    let key: unknown;
    let profileConsents: unknown;
    for (const name in profile) {
      const field = profile[name];
      if (name === "key") key = field;
      else if (name === "consents") profileConsents = field;
      else if (field !== undefined) return undefined;
    }
    // The answer is the keys as given; the JSON path would answer a lone surrogate changed.
    if (typeof key !== "string" || !wellFormed(key) || !plainObject(profileConsents)) return undefined;
    keys[p] = key;
    let held = 0;
    for (const option in profileConsents) {
      const consent = profileConsents[option];
      // A consent set to `undefined` is left out of JSON; the JSON path says what that means.
      if (!plainObject(consent)) return undefined;
      let value: unknown;
      let date: string | undefined | false;
      let consentId: string | undefined | false;
      for (const name in consent) {
        const field = consent[name];
        if (name === "value") value = field;
        else if (name === "date") date = optionalText(field);
        else if (name === "consentId") consentId = optionalText(field);
        else if (field !== undefined) return undefined;
      }
      if (typeof value !== "boolean" || date === false || consentId === false) return undefined;
      let number = optionNumbers.get(option);
      if (number === undefined) {
        number = optionNumbers.size;
        if (number >= MAX_OPTIONS) return undefined;
        optionNumbers.set(option, number);
        options.add(option);
      }
      if (extra) {
        extra.add(date ?? "");
        extra.add(consentId ?? "");
      }
      if (consentCount === consents.length) {
        const grown = new Uint32Array(consentCount * 2);
        grown.set(consents);
        consents = grown;
      }
      consents[consentCount++] =
        (number << OPTION_SHIFT) | (value ? VALUE : 0) | (consentId === undefined ? 0 : HAS_ID) | (date === undefined ? 0 : HAS_DATE);
      held++;
    }
    counts[p] = held;
  }
  const text = (extra ? options.parts.concat(extra.parts) : options.parts).join("");
  const lengths = new Uint32Array(options.count + (extra?.count ?? 0));
  lengths.set(options.added());
  if (extra) lengths.set(extra.added(), options.count);
  return { keys, text, lengths, optionCount: options.count, counts, consents: consents.subarray(0, consentCount) };
}

/**
 * `evaluateSegment` through the columns, or undefined when the call must go the JSON path.
 * Each option crosses once, as a number per consent; dates and Consent IDs cross only when the
 * module says the rule reads them.
 */
export function selectColumns(rule: string, profiles: ConsentProfile[]): string[] | undefined {
  if (typeof rule !== "string") return undefined;
  const reads = segment_rule_reads(rule);
  if (reads < 0) return undefined;
  const columns = readOrUndefined(() => profileColumns(profiles, reads));
  if (!columns) return undefined;
  const { keys, text, lengths, optionCount, counts, consents } = columns;
  roomOwner++;
  const written = writeText(text);
  if (written === undefined) return undefined;
  const selected = profiles_select(rule, written, lengths, optionCount, counts, consents);
  if (selected === undefined) return undefined;
  const out: string[] = new Array(selected.length);
  for (let i = 0; i < selected.length; i++) out[i] = keys[selected[i] as number] as string;
  return out;
}
