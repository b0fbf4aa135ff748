/**
 * The save guard of a record's form: reads the connector's columns as the save would persist them
 * and as last saved, and asks the rules module (or the fallback) what the save means.
 * @module
 */

import type { RecordState } from "../types";
import type { SaveGuard } from "./executor";
import type { Action, FormPlan } from "./rules";
import { attribute, cleanId, webApi, xrm } from "./xrm";

type Columns = FormPlan["saveColumns"];

/** The connector's columns, each as `read` gives its attribute's value; absent where it gives none. */
function columnState(columns: Columns, read: (name: string) => { value: unknown } | undefined): RecordState {
  const state: Record<string, unknown> = {};
  for (const [field, name] of Object.entries(columns)) {
    const found = read(name);
    if (found) state[field] = found.value ?? null;
  }
  return state as RecordState;
}

/** The connector's columns as they are on the form now; a column not on the form (or, with `unchanged`, one the user changed) is absent. */
export function readFormState(form: Xrm.FormContext, columns: Columns, unchanged = false): RecordState {
  return columnState(columns, (name) => {
    const found = attribute(form, name);
    return found && !(unchanged && found.getIsDirty?.() === true) ? { value: found.getValue() } : undefined;
  });
}

/**
 * `known`, completed through the Web API with the saved values of the columns it lacks. A column
 * that cannot be read stays absent: unknown never counts as a cause, so a save that sets it warns.
 */
async function readSaved(entity: string, id: string, columns: Columns, known: RecordState): Promise<RecordState> {
  const state = { ...known } as Record<string, unknown>;
  const missing = Object.entries(columns).filter(([field]) => !(field in state));
  if (missing.length === 0) return state as RecordState;
  const result = await webApi(xrm().WebApi.retrieveRecord(entity, id, `?$select=${missing.map(([, name]) => name).join(",")}`));
  if ("ok" in result) {
    const record = result.ok as Record<string, unknown>;
    for (const [field, name] of missing) {
      if (name in record) state[field] = record[name] ?? null;
    }
  }
  return state as RecordState;
}

/** What the record save guard needs. */
export interface RecordSave {
  form: Xrm.FormContext;
  entity: string;
  /** The record's id; empty for a record being created. */
  id: string;
  columns: Columns;
  person: boolean;
  /** The module's (or the fallback's) action for a save from `before` to `after`. */
  advise: (saveMode: number, before: RecordState | null, after: RecordState) => Action;
  /** Every unchanged attribute's value as the form loaded it (what was saved), when known: values typed before the guard was made are not taken for saved ones. */
  loaded?: ReadonlyMap<string, unknown>;
}

/** The connector's columns as the form loaded them; a column not on the form is absent. */
function loadedState(loaded: ReadonlyMap<string, unknown>, columns: Columns): RecordState {
  return columnState(columns, (name) => (loaded.has(name) ? { value: loaded.get(name) } : undefined));
}

/**
 * The guard of a record's saves. What was saved is taken from the form where the form holds it
 * (a column on the form, unchanged), at load, after each save and after each refresh; a person's
 * other columns (not on the form, or changed before the guard saw them, or kept through a refresh)
 * are read through the Web API each time, and are unknown until that read answers.
 */
export function recordSaveGuard(record: RecordSave): SaveGuard {
  const { form, columns } = record;
  let snapshot: RecordState | null = null;
  /** Reads of saved values are numbered: only the newest one's answer is taken. */
  let reads = 0;
  /** The read a save's PostSave started, while under way and nothing newer came: the data OnLoad that follows that save may take its answer. */
  let afterSave: { read: number; id: string; fromForm: string } | null = null;
  const know = (fromForm: RecordState, event: "saved" | "reloaded" | "loaded") => {
    // A record created on this form has its id once it is first saved.
    const id = record.id || cleanId(form.data.entity.getId());
    const held = JSON.stringify(fromForm);
    const following = afterSave;
    afterSave = null;
    // The data OnLoad right after a save brings the values that save wrote: the read its PostSave
    // started answers for both. Anything else (another save, a refresh) reads anew.
    if (event === "reloaded" && following?.read === reads && following.id === id && following.fromForm === held) return;
    snapshot = fromForm;
    if (!record.person || !id) return;
    const read = ++reads;
    if (event === "saved") afterSave = { read, id, fromForm: held };
    void readSaved(record.entity, id, columns, fromForm).then((saved) => {
      if (afterSave?.read === read) afterSave = null;
      if (read === reads) snapshot = saved;
    });
  };
  // A record not yet created has nothing saved.
  if (record.id) know(record.loaded ? loadedState(record.loaded, columns) : readFormState(form, columns, true), "loaded");
  return {
    decide: (saveMode) => record.advise(saveMode, snapshot, readFormState(form, columns)),
    confirmationKey: () => JSON.stringify(readFormState(form, columns)),
    // After a save the form holds what was saved; a column not on it may have changed too (a
    // Deactivate or Activate sets the state), so it is read again.
    saved: () => know(readFormState(form, columns), "saved"),
    // A refresh may keep what the user typed and has not saved: only unchanged values are saved ones.
    reloaded: () => know(readFormState(form, columns, true), "reloaded"),
    watch: (changed) => {
      for (const name of Object.values(columns)) attribute(form, name)?.addOnChange(changed);
    },
  };
}
