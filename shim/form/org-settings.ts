/**
 * The settings of the whole org: the JSON environment variable that the consent-guard solution
 * brings, read with one Web API query (its current value, else its default) and kept for the
 * browser session, so that further forms make no call. The rules module checks and merges it.
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

/** This page's read, shared by every form on it; forgotten when it failed, so a later form tries again. */
let pending: Promise<OrgSettingsRead | null> | undefined;

interface Definition {
  defaultvalue?: string | null;
  environmentvariabledefinition_environmentvariablevalue?: { value?: string | null }[] | null;
}

function remembered(): Found | undefined {
  try {
    const kept = globalThis.sessionStorage?.getItem(STORAGE_KEY);
    return kept ? (JSON.parse(kept) as Found) : undefined;
  } catch {
    return undefined;
  }
}

function remember(found: Found): void {
  try {
    globalThis.sessionStorage?.setItem(STORAGE_KEY, JSON.stringify(found));
  } catch {
    // A browser without session storage reads once per page instead.
  }
}

/** The variable as the rules module reads it: its value parsed, or why its text is no JSON. */
function parsed(text: string): OrgSettingsRead {
  if (text.trim() === "") return { variable: SETTINGS_VARIABLE, settings: null };
  try {
    return { variable: SETTINGS_VARIABLE, settings: JSON.parse(text) as unknown };
  } catch (error) {
    return { variable: SETTINGS_VARIABLE, jsonError: describe(error) };
  }
}

async function query(): Promise<OrgSettingsRead | null> {
  const kept = remembered();
  if (kept) return "text" in kept ? parsed(kept.text) : null;
  const options =
    `?$select=schemaname,defaultvalue&$filter=schemaname eq '${SETTINGS_VARIABLE}'` +
    "&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)";
  const read = await webApi(Promise.resolve().then(() => xrm().WebApi.retrieveMultipleRecords("environmentvariabledefinition", options)));
  if ("failure" in read) {
    pending = undefined;
    return { variable: SETTINGS_VARIABLE, ...read.failure } as OrgSettingsRead;
  }
  const definition = read.ok.entities[0] as Definition | undefined;
  // An org without the solution has no such variable: that is no fault.
  const found: Found = definition
    ? {
        text:
          definition.environmentvariabledefinition_environmentvariablevalue?.find((v) => typeof v?.value === "string")?.value ??
          definition.defaultvalue ??
          "",
      }
    : { missing: true };
  remember(found);
  return "text" in found ? parsed(found.text) : null;
}

/** The org's settings: null for an org without the variable. Never rejects: a failed read is reported by the module. */
export function readOrgSettings(): Promise<OrgSettingsRead | null> {
  pending ??= query();
  return pending;
}
