/**
 * The settings of the whole org: the JSON environment variable that the consent-guard solution
 * brings, read with one Web API query (its current value, else its default) and kept for ten
 * minutes in the browser session, so that further forms make no call, and a value an
 * administrator corrects takes effect without everyone starting a new session. The rules module
 * checks and merges it.
 * @module
 */

import type { OrgSettingsRead } from "../gen/internal";
import { describe, webApi, xrm } from "./xrm";

/** The schema name of the solution's environment variable. */
export const SETTINGS_VARIABLE = "cg_ConsentGuardSettings";

/** Where the variable's text is kept for the browser session. */
const STORAGE_KEY = `consentguard.${SETTINGS_VARIABLE}`;

/** What the query found: the variable's text ("" without a value), or no variable at all. */
type Found = { text: string } | { missing: true };

/** How long a read is used before the variable is read again, in milliseconds. */
const KEPT_FOR_MS = 10 * 60 * 1000;

/** This page's read, shared by every form on it; forgotten when it failed, so a later form tries again. */
let pending: Promise<OrgSettingsRead | null> | undefined;
/** When {@link pending} was started. */
let pendingSince = 0;

/** Whether a read made at `since` is still used now (a clock set back counts as stale). */
const fresh = (since: number): boolean => {
  const age = Date.now() - since;
  return age >= 0 && age < KEPT_FOR_MS;
};

interface Definition {
  defaultvalue?: string | null;
  environmentvariabledefinition_environmentvariablevalue?: { value?: string | null }[] | null;
}

/** What this session kept, if it is exactly what {@link remember} writes: anything else is read again. */
function remembered(): { found: Found; at: number } | undefined {
  try {
    const kept = globalThis.sessionStorage?.getItem(STORAGE_KEY);
    const found: unknown = kept ? JSON.parse(kept) : undefined;
    if (typeof found !== "object" || found === null) return undefined;
    const { at, ...rest } = found as { at?: unknown };
    if (typeof at !== "number" || !fresh(at)) return undefined;
    const keys = Object.keys(rest);
    if (keys.length !== 1) return undefined;
    if (keys[0] === "text" && typeof (rest as { text: unknown }).text === "string")
      return { found: { text: (rest as { text: string }).text }, at };
    if (keys[0] === "missing" && (rest as { missing: unknown }).missing === true) return { found: { missing: true }, at };
    return undefined;
  } catch {
    return undefined;
  }
}

function remember(found: Found): void {
  try {
    globalThis.sessionStorage?.setItem(STORAGE_KEY, JSON.stringify({ ...found, at: Date.now() }));
  } catch {
    // A browser without session storage reads once per page instead.
  }
}

/** The variable as the rules module reads it: its text, which the module parses (and names a key given twice in). */
const asRead = (text: string): OrgSettingsRead => ({ variable: SETTINGS_VARIABLE, text });

/** The query's answer, or why it is not one: a list of records is expected. */
function definitions(answer: unknown): unknown[] | undefined {
  const entities = (answer as { entities?: unknown } | null)?.entities;
  return Array.isArray(entities) ? entities : undefined;
}

/** A text of the definition, or undefined for anything else. */
const textOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

async function query(): Promise<OrgSettingsRead | null> {
  try {
    return await queryOnce();
  } catch (error) {
    // Whatever went wrong is reported as unreadable settings, and the next form tries again.
    pending = undefined;
    return { variable: SETTINGS_VARIABLE, error: describe(error) };
  }
}

async function queryOnce(): Promise<OrgSettingsRead | null> {
  const kept = remembered();
  if (kept) {
    // This page uses it for as long as it is fresh from when it was read, not from now.
    pendingSince = kept.at;
    return "text" in kept.found ? asRead(kept.found.text) : null;
  }
  const options =
    `?$select=schemaname,defaultvalue&$filter=schemaname eq '${SETTINGS_VARIABLE}'` +
    "&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)";
  const read = await webApi(Promise.resolve().then(() => xrm().WebApi.retrieveMultipleRecords("environmentvariabledefinition", options)));
  if ("failure" in read) {
    pending = undefined;
    return { variable: SETTINGS_VARIABLE, ...read.failure } as OrgSettingsRead;
  }
  const listed = definitions(read.ok);
  const definition = listed?.[0] as Definition | null | undefined;
  if (!listed || (listed.length > 0 && (typeof definition !== "object" || definition === null))) {
    pending = undefined;
    return { variable: SETTINGS_VARIABLE, error: "the answer lists no records" };
  }
  // An org without the solution has no such variable (an empty list): that is no fault.
  const values = definition?.environmentvariabledefinition_environmentvariablevalue;
  const found: Found = definition
    ? {
        text:
          (Array.isArray(values) ? values.map((v) => textOf(v?.value)).find((v) => v !== undefined) : undefined) ??
          textOf(definition.defaultvalue) ??
          "",
      }
    : { missing: true };
  remember(found);
  return "text" in found ? asRead(found.text) : null;
}

/** The org's settings: null for an org without the variable. Never rejects: a failed read is reported by the module. */
export function readOrgSettings(): Promise<OrgSettingsRead | null> {
  if (pending && !fresh(pendingSince)) pending = undefined;
  if (!pending) {
    pendingSince = Date.now();
    pending = query();
  }
  return pending;
}
