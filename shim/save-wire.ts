/**
 * The compact wire of `evaluateSave` (its layout is documented in `src/save_wire.rs`): a
 * well-formed request crosses as five numbers and the verdict comes back as bits. What the
 * module answered for texts (per language), entity kinds (per name) and email validity (per
 * address) is kept here. A request that is not exactly of the documented shape goes the object
 * path instead, which names what is wrong.
 * @module
 */

import { email_valid, save_bits } from "#wasm-glue";
import type { CodedText as Coded } from "./gen/internal";
import type { SaveRequest, SaveVerdict } from "./types";
import { plainObject, prototypeClean } from "./plain";
import { invoke } from "./wire";
const texts = new Map<number | undefined, { reasons: Coded[]; notices: Coded[] }>();
const entityKinds = new Map<string, number>();
const validEmails = new Map<string, boolean>();
/** Entries per cache: a form sees a handful; a caller looping over many addresses or languages stays bounded. */
const CACHED = 256;
const MAX_U32 = 4294967295;

// Each field is read once, as `for…in` lists it (a plain object's own enumerable keys once the
// prototype is clean: what `JSON.stringify` sends on the object path), and a `switch` over the
// known names is cheaper than a set lookup. A property set to `undefined` counts as absent.

/** What {@link readState} found in a `RecordState`: each field's two bits (see src/save_wire.rs) and the statecode. */
interface StateRead {
  donotemail: number;
  donotbulkemail: number;
  email: number;
  statecode: number;
  code: number;
}

/** The fields of `value`, a `RecordState`, into `read`; false when it is not exactly of that shape. */
function readState(value: unknown, read: StateRead): boolean {
  if (!plainObject(value)) return false;
  for (const key in value) {
    const field = value[key];
    switch (key) {
      case "email":
        read.email = emailBits(field);
        break;
      case "donotemail":
        read.donotemail = flagBits(field);
        break;
      case "donotbulkemail":
        read.donotbulkemail = flagBits(field);
        break;
      case "statecode":
        read.statecode = codeBits(field);
        if (read.statecode === 2) read.code = field as number;
        break;
      default:
        if (field !== undefined) return false;
    }
  }
  return (read.email | read.donotemail | read.donotbulkemail | read.statecode) >= 0;
}

/** A state with no field read yet. */
const unread = (): StateRead => ({ donotemail: 0, donotbulkemail: 0, email: 0, statecode: 0, code: 0 });

/** `anonymizeWhenInactive` of the request's `settings` (absent: false); null when they are not exactly of their shape. */
function readSettings(value: unknown): boolean | null {
  if (value == null) return false;
  if (!plainObject(value)) return null;
  let anonymizeWhenInactive: unknown;
  for (const key in value) {
    const field = value[key];
    if (key === "anonymizeWhenInactive") anonymizeWhenInactive = field;
    else if (field !== undefined) return null;
  }
  return anonymizeWhenInactive === undefined ? false : typeof anonymizeWhenInactive === "boolean" ? anonymizeWhenInactive : null;
}

const whole = (n: unknown, min: number, max: number): n is number => Number.isInteger(n) && (n as number) >= min && (n as number) <= max;

/** Two flag bits of a flag: 0 absent, 1 null, 2 false, 3 true; -1 for another type. */
function flagBits(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null) return 1;
  return value === true ? 3 : value === false ? 2 : -1;
}

/** Two flag bits of an email: 0 absent, 1 null, 2 not valid, 3 valid (as the module finds it, asked once per address). */
function emailBits(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null) return 1;
  if (typeof value !== "string") return -1;
  let valid = validEmails.get(value);
  if (valid === undefined) {
    if (validEmails.size >= CACHED) validEmails.clear();
    valid = email_valid(value);
    validEmails.set(value, valid);
  }
  return valid ? 3 : 2;
}

/** Two flag bits of a statecode: 0 absent, 1 null, 2 a whole number; -1 for anything else. */
function codeBits(value: unknown): number {
  if (value === undefined) return 0;
  if (value === null) return 1;
  return whole(value, -2147483648, 2147483647) ? 2 : -1;
}

/** The texts of the reasons and notices in a language, asked once per LCID. */
function textsFor(lcid: number | undefined): { reasons: Coded[]; notices: Coded[] } {
  let coded = texts.get(lcid);
  if (!coded) {
    if (texts.size >= CACHED) texts.clear();
    coded = invoke("saveTexts", null, lcid);
    texts.set(lcid, coded);
  }
  return coded;
}

/** Fresh copies of the entries of `list` whose bits are set, from bit `first` on. */
function picked(list: Coded[], verdict: number, first: number): Coded[] {
  const out: Coded[] = [];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (entry && verdict & (1 << (first + i))) out.push({ code: entry.code, message: entry.message });
  }
  return out;
}

/** The verdict through the compact wire, or undefined when the request must go the object path. */
export function evaluateSaveCompact(request: SaveRequest): SaveVerdict | undefined {
  if (!plainObject(request) || !prototypeClean()) return undefined;
  let entity: unknown;
  let saveMode: unknown;
  let before: unknown;
  let after: unknown;
  let settings: unknown;
  let languageId: unknown;
  for (const key in request) {
    const field = (request as unknown as Record<string, unknown>)[key];
    switch (key) {
      case "entity":
        entity = field;
        break;
      case "saveMode":
        saveMode = field;
        break;
      case "before":
        before = field;
        break;
      case "after":
        after = field;
        break;
      case "settings":
        settings = field;
        break;
      case "languageId":
        languageId = field;
        break;
      default:
        if (field !== undefined) return undefined;
    }
  }
  if (typeof entity !== "string" || !whole(saveMode, 0, MAX_U32)) return undefined;
  if (languageId != null && !whole(languageId, 0, MAX_U32)) return undefined;
  const b = unread();
  const a = unread();
  if ((before !== null && !readState(before, b)) || !readState(after, a)) return undefined;
  const awi = readSettings(settings);
  if (awi === null) return undefined;
  // Two bits each, in this order from bit 0 (see src/save_wire.rs).
  const flags =
    b.donotemail |
    (b.donotbulkemail << 2) |
    (a.donotemail << 4) |
    (a.donotbulkemail << 6) |
    (b.email << 8) |
    (a.email << 10) |
    (b.statecode << 12) |
    (a.statecode << 14) |
    (before === null ? 1 << 16 : 0) |
    (awi ? 1 << 17 : 0);
  let kind = entityKinds.get(entity);
  if (kind === undefined) {
    if (entityKinds.size >= CACHED) entityKinds.clear();
    kind = invoke("entityKind", entity);
    entityKinds.set(entity, kind);
  }
  const verdict = save_bits(kind, saveMode, flags, b.code, a.code);
  const coded = textsFor((languageId ?? undefined) as number | undefined);
  return {
    anonymize: (verdict & 1) !== 0,
    resetPermissions: (verdict & 2) !== 0,
    prompt: (verdict & 4) !== 0,
    block: (verdict & 8) !== 0,
    reasons: picked(coded.reasons, verdict, 4) as SaveVerdict["reasons"],
    notices: picked(coded.notices, verdict, 8) as SaveVerdict["notices"],
  };
}
