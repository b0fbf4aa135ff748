/**
 * How values cross to the rules module: JSON text each way (read and written by `src/json.rs`),
 * typed by the {@link Operations} generated from `src/shapes.rs`. The engine's own
 * `JSON.stringify` and `JSON.parse` do the work on this side; what JSON cannot say (a function,
 * a symbol, a bigint, `NaN`, an infinity, a cycle) is sent as a marker, so that the module's
 * error still names what was passed.
 * @module
 */

import { call_json } from "#wasm-glue";
import type { Operations } from "./gen/internal";

/** The key of a marker object: no property of the API has it. */
const MARK = "\u0000";

function replacer(_key: string, value: unknown): unknown {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? value : { [MARK]: String(value) };
    case "function":
    case "symbol":
    case "bigint":
      return { [MARK]: typeof value };
    default:
      return value;
  }
}

/** Beyond this depth the module reads no further (src/json.rs): a copy need not go deeper. */
const COPY_DEPTH = 40;

/**
 * A plain copy of `value` in which a reference back to an enclosing object (or a property
 * that cannot be read) is a marker: for the rare input `JSON.stringify` refuses.
 */
function acyclic(value: unknown, enclosing: object[]): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (enclosing.includes(value) || enclosing.length > COPY_DEPTH) return { [MARK]: "cyclic" };
  enclosing.push(value);
  try {
    if (Array.isArray(value)) return value.map((item) => acyclic(item, enclosing));
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      try {
        copy[key] = acyclic((value as Record<string, unknown>)[key], enclosing);
      } catch {
        copy[key] = { [MARK]: "cyclic" };
      }
    }
    return copy;
  } finally {
    enclosing.pop();
  }
}

/**
 * Whether JSON says all of `value` as it is (no function, symbol, bigint, `NaN`, infinity or
 * `toJSON`, and no deeper than the module reads): then the engine's `JSON.stringify` runs without
 * the replacer, which on a large input (a table of records that is not plain enough for the
 * columns) takes half the time. Looks at every
 * enumerable property, own or inherited, so it never passes what the replacer would mark.
 */
function plain(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (value === null) return true;
      if (depth > COPY_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!plain(value[i], depth + 1)) return false;
        return true;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
      for (const key in value) if (!plain((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** `value` as the JSON text the module reads. */
function encode(value: unknown): string {
  try {
    return (plain(value, 0) ? JSON.stringify(value) : JSON.stringify(value, replacer)) ?? "null";
  } catch {
    // A cycle, or a getter that throws.
    return JSON.stringify(acyclic(value, []), replacer) ?? "null";
  }
}

/** The module's answers: `[answer, …]`, or an error object thrown as an `Error` with its `code`, `path`, `line` and `column`. */
export function answers(text: string): unknown[] {
  const out = JSON.parse(text) as unknown;
  if (Array.isArray(out)) return out;
  const { message, ...position } = out as { message: string };
  throw Object.assign(new Error(message), position);
}

/** The module's answer: `[answer]`, or an error object thrown as an `Error` (see {@link answers}). */
export function answer(text: string): unknown {
  return answers(text)[0];
}

/** An LCID as the module takes it (any 32-bit one: a sort order in the high bits leaves the language as it is); 0 for none. */
const lcid = (languageId: number | null | undefined): number =>
  Number.isInteger(languageId) && (languageId as number) > 0 && (languageId as number) <= 0xffffffff ? (languageId as number) : 0;

const encoder = new TextEncoder();

/** Run `operation` on `input` in the language `languageId`. */
export function invoke<K extends keyof Operations>(
  operation: K,
  input: Operations[K]["input"],
  languageId?: number | null,
): Operations[K]["output"] {
  return answer(call_json(operation, encoder.encode(encode(input)), lcid(languageId))) as Operations[K]["output"];
}
