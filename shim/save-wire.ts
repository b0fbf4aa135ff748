/**
 * The compact wire of `evaluateSave` (its layout is documented in `src/save_wire.rs`): a
 * well-formed request crosses as five numbers and the verdict comes back as bits. What the
 * module answered for texts (per language), entity kinds (per name) and email validity (per
 * address) is kept here. A request that is not exactly of the documented shape goes the object
 * path instead, which names what is wrong.
 * @module
 */

import { evaluateSaveBits, formCall, isValidEmail } from "#wasm-glue";
import type { SaveRequest, SaveVerdict } from "./types";

type Coded = { code: string; message: string };
const texts = new Map<number | undefined, { reasons: Coded[]; notices: Coded[] }>();
const entityKinds = new Map<string, number>();
const validEmails = new Map<string, boolean>();
/** Entries per cache: a form sees a handful; a caller looping over many addresses stays bounded. */
const CACHED = 256;
const REQUEST = new Set(["entity", "saveMode", "before", "after", "settings", "languageId"]);
const STATE = new Set(["email", "donotemail", "donotbulkemail", "statecode"]);
const SETTINGS = new Set(["anonymizeWhenInactive"]);
const MAX_U32 = 4294967295;

/** A plain object whose defined properties are all among `allowed`. */
function plain(value: unknown, allowed: ReadonlySet<string>): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  // `for…in` over a plain object is its own keys, and allocates nothing.
  for (const key in value) if (!allowed.has(key) && (value as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

const whole = (n: unknown, min: number, max: number): n is number => Number.isInteger(n) && (n as number) >= min && (n as number) <= max;

/** Two flag bits (0 absent, 1 null, 2 false, not valid or a value, 3 true or valid), or -1 for a value of another type. */
function bits(value: unknown, valid: (v: unknown) => boolean, set = (_: unknown) => false): number {
  if (value === undefined) return 0;
  if (value === null) return 1;
  return valid(value) ? (set(value) ? 3 : 2) : -1;
}

const flag = (v: unknown) => typeof v === "boolean";
const isTrue = (v: unknown) => v === true;
const text = (v: unknown) => typeof v === "string";
/** Whether the module finds `email` valid, asked once per address. */
function valid(email: unknown): boolean {
  let answer = validEmails.get(email as string);
  if (answer === undefined) {
    if (validEmails.size >= CACHED) validEmails.clear();
    answer = isValidEmail(email);
    validEmails.set(email as string, answer);
  }
  return answer;
}
const statecode = (v: unknown) => whole(v, -2147483648, 2147483647);

/** The verdict through the compact wire, or undefined when the request must go the object path. */
export function evaluateSaveCompact(request: SaveRequest): SaveVerdict | undefined {
  const { entity, saveMode, before, after, settings, languageId } = request as unknown as Record<string, unknown>;
  if (!plain(request, REQUEST) || typeof entity !== "string" || !whole(saveMode, 0, MAX_U32)) return undefined;
  if ((before !== null && !plain(before, STATE)) || !plain(after, STATE)) return undefined;
  if (languageId != null && !whole(languageId, 0, MAX_U32)) return undefined;
  const awi = settings == null ? false : plain(settings, SETTINGS) ? settings.anonymizeWhenInactive : null;
  if (awi !== undefined && typeof awi !== "boolean") return undefined;
  const b = before ?? {};
  // In the order of their flag bits: two bits each, from bit 0.
  const fields = [
    bits(b.donotemail, flag, isTrue),
    bits(b.donotbulkemail, flag, isTrue),
    bits(after.donotemail, flag, isTrue),
    bits(after.donotbulkemail, flag, isTrue),
    bits(b.email, text, valid),
    bits(after.email, text, valid),
    bits(b.statecode, statecode),
    bits(after.statecode, statecode),
  ];
  let flags = (before === null ? 1 << 16 : 0) | (awi === true ? 1 << 17 : 0);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as number;
    if (field < 0) return undefined;
    flags |= field << (2 * i);
  }
  let kind = entityKinds.get(entity);
  if (kind === undefined) {
    if (entityKinds.size >= CACHED) entityKinds.clear();
    kind = formCall("entityKind", entity, undefined) as number;
    entityKinds.set(entity, kind);
  }
  const code = (s: Record<string, unknown>) => (typeof s.statecode === "number" ? s.statecode : 0);
  const verdict = evaluateSaveBits(kind, saveMode, flags, code(b), code(after));
  const lcid = (languageId ?? undefined) as number | undefined;
  let coded = texts.get(lcid);
  if (!coded) {
    coded = formCall("saveTexts", lcid ?? null, undefined) as { reasons: Coded[]; notices: Coded[] };
    texts.set(lcid, coded);
  }
  const picked = (list: Coded[], first: number) => {
    const out: Coded[] = [];
    for (let i = 0; i < list.length; i++)
      if (verdict & (1 << (first + i))) out.push({ code: list[i]?.code ?? "", message: list[i]?.message ?? "" });
    return out;
  };
  return {
    anonymize: (verdict & 1) !== 0,
    resetPermissions: (verdict & 2) !== 0,
    prompt: (verdict & 4) !== 0,
    block: (verdict & 8) !== 0,
    reasons: picked(coded.reasons, 4) as SaveVerdict["reasons"],
    notices: picked(coded.notices, 8) as SaveVerdict["notices"],
  };
}
