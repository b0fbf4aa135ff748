/**
 * What "plain data" means for the fast paths (the compact save wire, the consent columns): input
 * they read exactly as `JSON.stringify` would send it to the module. Anything else goes the
 * JSON path, which names what is wrong, so that both paths always give the same answer.
 * @module
 */

/**
 * A plain object (no class instance, no `toJSON`): `for…in` then lists its own enumerable keys,
 * which are what `JSON.stringify` sends, once {@link prototypeClean} holds.
 */
export function plainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

/** An array whose items `JSON.stringify` lists as they are (no `toJSON` of its own). */
export function plainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

/** Whether `for…in` over a plain object lists only its own keys: nothing enumerable was added to `Object.prototype`. */
export function prototypeClean(): boolean {
  for (const _ in {}) return false;
  return true;
}
