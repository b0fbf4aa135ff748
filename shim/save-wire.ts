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
import { invoke } from "./wire";
const texts = new Map<number | undefined, { reasons: Coded[]; notices: Coded[] }>();
const entityKinds = new Map<string, number>();
const validEmails = new Map<string, boolean>();
/** Entries per cache: a form sees a handful; a caller looping over many addresses stays bounded. */
const CACHED = 256;
const EMPTY: Record<string, unknown> = Object.freeze({});
const MAX_U32 = 4294967295;

/** A plain object (no class instance), which `for…in` then lists exactly as its own keys. */
function plainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// One checker per shape: a `switch` over the known names is cheaper than a set lookup, and
// `for…in` over a plain object allocates nothing. A property set to `undefined` counts as absent.

/** A plain object with only the fields of a `SaveRequest`. */
function requestShape(value: unknown): value is Record<string, unknown> {
  if (!plainObject(value)) return false;
  for (const key in value) {
    switch (key) {
      case "entity":
      case "saveMode":
      case "before":
      case "after":
      case "settings":
      case "languageId":
        break;
      default:
        if (value[key] !== undefined) return false;
    }
  }
  return true;
}

/** A plain object with only the fields of a `RecordState`. */
function stateShape(value: unknown): value is Record<string, unknown> {
  if (!plainObject(value)) return false;
  for (const key in value) {
    switch (key) {
      case "email":
      case "donotemail":
      case "donotbulkemail":
      case "statecode":
        break;
      default:
        if (value[key] !== undefined) return false;
    }
  }
  return true;
}

/** A plain object with only the request's `settings` fields. */
function settingsShape(value: unknown): value is Record<string, unknown> {
  if (!plainObject(value)) return false;
  for (const key in value) if (key !== "anonymizeWhenInactive" && value[key] !== undefined) return false;
  return true;
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
  const { entity, saveMode, before, after, settings, languageId } = request as unknown as Record<string, unknown>;
  if (!requestShape(request) || typeof entity !== "string" || !whole(saveMode, 0, MAX_U32)) return undefined;
  if ((before !== null && !stateShape(before)) || !stateShape(after)) return undefined;
  if (languageId != null && !whole(languageId, 0, MAX_U32)) return undefined;
  const awi = settings == null ? false : settingsShape(settings) ? settings.anonymizeWhenInactive : null;
  if (awi !== undefined && typeof awi !== "boolean") return undefined;
  const b = before ?? EMPTY;
  // Two bits each, in this order from bit 0 (see src/save_wire.rs).
  const f0 = flagBits(b.donotemail);
  const f1 = flagBits(b.donotbulkemail);
  const f2 = flagBits(after.donotemail);
  const f3 = flagBits(after.donotbulkemail);
  const f4 = emailBits(b.email);
  const f5 = emailBits(after.email);
  const f6 = codeBits(b.statecode);
  const f7 = codeBits(after.statecode);
  if ((f0 | f1 | f2 | f3 | f4 | f5 | f6 | f7) < 0) return undefined;
  const flags =
    f0 |
    (f1 << 2) |
    (f2 << 4) |
    (f3 << 6) |
    (f4 << 8) |
    (f5 << 10) |
    (f6 << 12) |
    (f7 << 14) |
    (before === null ? 1 << 16 : 0) |
    (awi === true ? 1 << 17 : 0);
  let kind = entityKinds.get(entity);
  if (kind === undefined) {
    if (entityKinds.size >= CACHED) entityKinds.clear();
    kind = invoke("entityKind", entity);
    entityKinds.set(entity, kind);
  }
  const beforeCode = f6 === 2 ? (b.statecode as number) : 0;
  const afterCode = f7 === 2 ? (after.statecode as number) : 0;
  const verdict = save_bits(kind, saveMode, flags, beforeCode, afterCode);
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
