/**
 * A simulated Dynamics 365 form, for the demo and the browser tests: xrm-mock for the form's
 * object model, plus what it lacks: a Web API over an in-memory data set (with scripted faults),
 * the save pipeline (OnSave → persist → PostSave → data OnLoad, and the state change of
 * Deactivate, Qualify and Disqualify), the confirm dialog, timeline controls, `ui.close` and
 * `openForm`. The form script under test cannot tell it from the platform for the calls it makes.
 */
import { XrmMockGenerator } from "xrm-mock";

type Row = Record<string, unknown>;

export interface FormSpec {
  entity: string;
  /** The record's id; absent or null for a record being created. */
  id?: string | null;
  /** Attributes on the form: strings, booleans, numbers (option sets) and lookups (arrays). */
  attributes?: Record<string, string | boolean | number | null | { id: string; name: string; entityType: string }[]>;
  /** The options (value and label) of option-set attributes, by attribute name. */
  options?: Record<string, { value: number; text: string }[]>;
  /** Timeline controls on the form (default: one named "Timeline"). */
  timelines?: string[];
  /** Other controls that can be hidden (named in emailDataControls). */
  controls?: string[];
  /** Collapsed tabs, by name, with the timelines and controls they load when first expanded (`expandTab`). */
  tabs?: Record<string, string[]>;
  /** The Web API's data: "entity:id" → columns. */
  records?: Record<string, Row>;
  webApi?: {
    /** Calls never answer. */
    hang?: boolean;
    /** Calls reject with this message. */
    reject?: string;
    /** The org has no msdyn_gdproptout column. */
    noColumn?: boolean;
    /** Ids the user may not read. */
    forbidden?: string[];
    /** Entities whose calls reject. */
    rejectEntities?: string[];
  };
  userLanguageId?: number;
  /** The org's base language (default 1033). */
  orgLanguageId?: number;
  /** The user's name and id (default Nancy Anderson). */
  user?: { name: string; id: string };
  /** The record's primary name (what `getPrimaryAttributeValue` gives). */
  name?: string;
  /** Milliseconds each Web API call takes (default 0). */
  latencyMs?: number;
  /** `formContext.data.addOnLoad` throws, as a platform fault would: what a script does about an unexpected error. */
  failAddOnLoad?: boolean;
  /** The org's environment variables by schema name: a definition's default value and its current value, if set. */
  environmentVariables?: Record<string, { defaultValue?: string | null; value?: string | null }>;
}

/** What the page showing the form wants to hear about. */
export interface FormHooks {
  /** Something visible changed: a notification, a control's visibility, a value, a save. */
  changed?: () => void;
  /** A confirm dialog opened. */
  dialog?: (dialog: Dialog) => void;
  /** A line for the event log: Web API calls and saves. */
  log?: (line: string) => void;
  /** The form closed (Save & Close, or a Delete): `deleted` when its record is gone. */
  closed?: (deleted: boolean) => void;
  /** The script opened a new form (Save & New). */
  openedForm?: (options: { entityName: string }) => void;
}

/** The statecode a command leaves, as the platform sets it after the save. */
const STATE_AFTER_COMMAND: Record<number, number> = { 5: 1, 6: 0, 15: 2, 16: 1 };

export interface Dialog {
  strings: Xrm.Navigation.ConfirmStrings;
  answer: (confirmed: boolean) => void;
}

function clean(id: string): string {
  return id.replace(/[{}]/g, "").toLowerCase();
}

/** `$filter` of the shapes the guard sends: ors of ands of `field eq value` (a GUID, a boolean or a 'text'). */
function matches(row: Row, filter: string): boolean {
  return filter.split(" or ").some((conjunction) =>
    conjunction.split(" and ").every((condition) => {
      const [field, , ...rest] = condition.trim().split(" ");
      const raw = rest.join(" ");
      const value =
        raw === "true"
          ? true
          : raw === "false"
            ? false
            : /^\d+$/.test(raw)
              ? Number(raw)
              : raw.startsWith("'")
                ? raw.slice(1, -1).replace(/''/g, "'").toLowerCase()
                : clean(raw);
      const actual = row[field ?? ""];
      return typeof actual === "string" ? clean(actual) === value : actual === value;
    }),
  );
}

function query(options: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (options ?? "").replace(/^\?/, "").split("&")) {
    const at = part.indexOf("=");
    if (at > 0) out[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1));
  }
  return out;
}

export type SimulatedForm = ReturnType<typeof createForm>;

export function createForm(spec: FormSpec, hooks: FormHooks = {}) {
  /** The record's id: a record being created gets one when it is first saved. */
  let id = spec.id ? clean(spec.id) : "";
  const xrm = XrmMockGenerator.initialise({
    entity: { entityName: spec.entity, id: id ? `{${id.toUpperCase()}}` : "", ...(spec.name ? { primaryValue: spec.name } : {}) },
  });
  const formContext = XrmMockGenerator.getFormContext();
  const eventContext = XrmMockGenerator.getEventContext();
  // The data set is shared, not copied: a page that opens several forms keeps what they saved.
  const records: Record<string, Row> = spec.records ?? {};
  const calls: { method: string; entity: string; id?: string; options?: string }[] = [];
  const dialogs: Dialog[] = [];
  const saves: { saveMode: number; values: Row }[] = [];
  const opened: unknown[] = [];
  const alerts: string[] = [];
  let created = Object.keys(records).filter((key) => key.startsWith("annotation:")).length;
  const dataOnLoad: (() => void)[] = [];
  const state = { closed: false, failNextSave: false };

  for (const [name, value] of Object.entries(spec.attributes ?? {})) {
    if (Array.isArray(value)) XrmMockGenerator.Attribute.createLookup(name, value);
    else if (typeof value === "boolean") XrmMockGenerator.Attribute.createBoolean(name, value);
    else if (typeof value === "number") XrmMockGenerator.Attribute.createOptionSet(name, value, spec.options?.[name]);
    else XrmMockGenerator.Attribute.createString(name, value ?? undefined).setValue(value as string);
  }
  // Loaded, not typed: the platform opens a form with every value unchanged.
  for (const attribute of formContext.getAttribute() as Xrm.Attributes.Attribute[]) {
    (attribute as unknown as { isDirty: boolean }).isDirty = false;
  }
  const visibility: Record<string, boolean> = {};
  const addControl = (name: string) => {
    visibility[name] = true;
    const isTimeline = (spec.timelines ?? ["Timeline"]).includes(name);
    (formContext.ui.controls as unknown as { push(c: unknown): void }).push({
      getName: () => name,
      getControlType: () => (isTimeline ? "timelinewall" : "notes"),
      setVisible: (visible: boolean) => {
        visibility[name] = visible;
        hooks.changed?.();
      },
      getVisible: () => visibility[name],
    });
  };
  const onTabs = new Set(Object.values(spec.tabs ?? {}).flat());
  for (const name of [...(spec.timelines ?? ["Timeline"]), ...(spec.controls ?? [])]) if (!onTabs.has(name)) addControl(name);
  // Collapsed tabs that load their controls when first expanded, as a form may.
  const tabs = Object.entries(spec.tabs ?? {}).map(([name, controls]) => {
    const handlers: ((context: unknown) => void)[] = [];
    return {
      name,
      controls,
      expanded: false,
      handlers,
      getName: () => name,
      addTabStateChange: (handler: (context: unknown) => void) => handlers.push(handler),
    };
  });
  (formContext.ui as unknown as { tabs: { get(): unknown[] } }).tabs = { get: () => [...tabs] };

  const entity = formContext.data.entity as unknown as {
    saveEventHandlers: ((c: unknown) => void)[];
    postSaveEventHandlers: ((c: unknown) => void)[];
    getId: () => string;
  };
  entity.getId = () => (id ? `{${id.toUpperCase()}}` : "");
  formContext.ui.getFormType = () => (id ? 2 : 1);
  formContext.ui.close = () => {
    state.closed = true;
    hooks.closed?.(id !== "" && !records[`${spec.entity}:${id}`]);
  };
  const ui = formContext.ui as unknown as {
    setFormNotification: (m: string, l: string, id: string) => boolean;
    clearFormNotification: (id: string) => boolean;
  };
  const setNotification = ui.setFormNotification.bind(ui);
  const clearNotification = ui.clearFormNotification.bind(ui);
  ui.setFormNotification = (message, level, uniqueId) => {
    const shown = setNotification(message, level, uniqueId);
    hooks.changed?.();
    return shown;
  };
  ui.clearFormNotification = (uniqueId) => {
    const cleared = clearNotification(uniqueId);
    hooks.changed?.();
    return cleared;
  };
  formContext.data.addOnLoad = (handler: Xrm.Events.DataLoadEventHandler) => {
    if (spec.failAddOnLoad) throw new Error("addOnLoad is not available");
    dataOnLoad.push(() => handler(eventContext as unknown as Xrm.Events.DataLoadEventContext));
  };

  const values = (): Row => {
    const out: Row = {};
    for (const attribute of formContext.getAttribute()) out[attribute.getName()] = attribute.getValue();
    return out;
  };

  /**
   * The platform's save: OnSave handlers, then (unless cancelled) persist, PostSave and data
   * OnLoad. A save from script (`fromScript`) only saves: the save mode it names reaches the
   * handlers, but no command (Deactivate, Activate, …) is carried out.
   */
  function runSave(saveMode: number, fromScript = false): boolean {
    let prevented = false;
    const args = {
      getSaveMode: () => saveMode,
      preventDefault: () => {
        prevented = true;
      },
      isDefaultPrevented: () => prevented,
      preventDefaultOnError: () => undefined,
      disableAsyncTimeout: () => undefined,
    };
    const context = { ...eventContext, getEventArgs: () => args, getFormContext: () => formContext };
    for (const handler of [...entity.saveEventHandlers]) handler(context);
    if (prevented) {
      hooks.log?.(`OnSave (mode ${saveMode}): cancelled by a handler; nothing saved`);
      hooks.changed?.();
      return false;
    }
    const success = !state.failNextSave;
    state.failNextSave = false;
    if (success) {
      const stateAfter = fromScript ? undefined : STATE_AFTER_COMMAND[saveMode];
      const statecode = formContext.getAttribute("statecode");
      if (stateAfter !== undefined && statecode) (statecode as Xrm.Attributes.OptionSetAttribute).setValue(stateAfter);
      saves.push({ saveMode, values: values() });
      if (!id) {
        created += 1;
        id = `00000000-0000-4000-9000-${String(created).padStart(12, "0")}`;
      }
      // Saved: the platform marks every value unchanged.
      for (const attribute of formContext.getAttribute() as Xrm.Attributes.Attribute[]) {
        (attribute as unknown as { isDirty: boolean }).isDirty = false;
      }
      const key = `${spec.entity}:${id}`;
      records[key] = { ...records[key], ...values(), ...(stateAfter === undefined ? {} : { statecode: stateAfter }) };
      hooks.log?.(`Saved (mode ${saveMode}): ${JSON.stringify(values())}`);
    } else {
      hooks.log?.(`Save (mode ${saveMode}) failed on the server`);
    }
    const post = {
      ...eventContext,
      getFormContext: () => formContext,
      getEventArgs: () => ({
        getIsSaveSuccess: () => success,
        getSaveErrorInfo: () => (success ? null : { errorCode: -2147220891, message: "The server refused the save." }),
        getEntityReference: () => ({ entityType: spec.entity, id, name: "" }),
      }),
    };
    for (const handler of [...entity.postSaveEventHandlers]) handler(post);
    if (success) for (const handler of dataOnLoad) handler();
    hooks.changed?.();
    // The user's Save & Close closes the form once saved, and Save & New opens a new one, as
    // the platform does; a save from script only saves (the script carries out the rest).
    if (success && !fromScript && saveMode === 2) formContext.ui.close();
    if (success && !fromScript && saveMode === 59) void xrm.Navigation.openForm({ entityName: spec.entity });
    return success;
  }
  (formContext.data as unknown as { save: (o?: { saveMode?: number }) => Promise<void> }).save = (options) =>
    runSave(options?.saveMode ?? 1, true) ? Promise.resolve() : Promise.reject({ errorCode: -1, message: "The save did not happen." });

  /** A Web API answer, after the configured latency. */
  const later = <T>(answer: () => Promise<T>): Promise<T> =>
    spec.latencyMs ? new Promise((resolve) => setTimeout(resolve, spec.latencyMs)).then(answer) : answer();
  const fault = (entityName?: string): Promise<never> | null => {
    if (spec.webApi?.hang) return new Promise<never>(() => undefined);
    if (entityName && spec.webApi?.rejectEntities?.includes(entityName)) {
      return Promise.reject({ errorCode: -2147220970, message: `The ${entityName} table is not available.` });
    }
    if (spec.webApi?.reject) return Promise.reject({ errorCode: -2147220970, message: spec.webApi.reject });
    return null;
  };
  const noColumn = (entityName: string, select: string | undefined, filter: string | undefined) =>
    spec.webApi?.noColumn && `${select ?? ""} ${filter ?? ""}`.includes("msdyn_gdproptout")
      ? Promise.reject({
          errorCode: -2147220989,
          message: `Could not find a property named 'msdyn_gdproptout' on type 'Microsoft.Dynamics.CRM.${entityName}'.`,
        })
      : null;
  // Selected columns, with their annotations (formatted values), as the Web API returns them.
  const pick = (row: Row, select: string | undefined): Row => {
    if (!select) return { ...row };
    const columns = select.split(",");
    const picked: Row = Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
    for (const [name, value] of Object.entries(row)) {
      if (columns.some((c) => name.startsWith(`${c}@`))) picked[name] = value;
    }
    return picked;
  };

  /** Environment variable definitions as the Web API returns them, with their values expanded. */
  const variables = (filter: string | undefined) =>
    Object.entries(spec.environmentVariables ?? {})
      .map(([schemaname, variable]) => ({
        schemaname,
        defaultvalue: variable.defaultValue ?? null,
        environmentvariabledefinition_environmentvariablevalue: typeof variable.value === "string" ? [{ value: variable.value }] : [],
      }))
      .filter((row) => !filter || matches({ schemaname: row.schemaname.toLowerCase() }, filter));

  (xrm as unknown as { WebApi: unknown }).WebApi = {
    retrieveRecord(entityName: string, recordId: string, options?: string) {
      calls.push({ method: "retrieveRecord", entity: entityName, id: recordId, ...(options ? { options } : {}) });
      hooks.log?.(`Web API retrieveRecord ${entityName}(${clean(recordId)}) ${options ?? ""}`);
      const { $select } = query(options);
      const refused = fault(entityName) ?? noColumn(entityName, $select, undefined);
      if (refused) return refused;
      if (spec.webApi?.forbidden?.includes(clean(recordId))) {
        return Promise.reject({ errorCode: -2147220960, message: `Principal user is missing prvRead${entityName} privilege.` });
      }
      const row = records[`${entityName}:${clean(recordId)}`];
      return later(() =>
        row
          ? Promise.resolve(pick(row, $select))
          : Promise.reject({ errorCode: -2147220969, message: `${entityName} With Id = ${recordId} Does Not Exist` }),
      );
    },
    deleteRecord(entityName: string, recordId: string) {
      calls.push({ method: "deleteRecord", entity: entityName, id: clean(recordId) });
      hooks.log?.(`Web API deleteRecord ${entityName}(${clean(recordId)})`);
      const refused = fault();
      if (refused) return refused;
      if (spec.webApi?.forbidden?.includes(clean(recordId))) {
        return Promise.reject({ errorCode: -2147220960, message: `Principal user is missing prvDelete${entityName} privilege.` });
      }
      delete records[`${entityName}:${clean(recordId)}`];
      return later(() => Promise.resolve({ entityType: entityName, id: clean(recordId) }));
    },
    createRecord(entityName: string, data: Row) {
      calls.push({ method: "createRecord", entity: entityName });
      hooks.log?.(`Web API createRecord ${entityName}`);
      const refused = fault(entityName);
      if (refused) return refused;
      created += 1;
      const newId = `00000000-0000-4000-8000-${String(created).padStart(12, "0")}`;
      records[`${entityName}:${newId}`] = { ...data, createdon: new Date().toISOString() };
      hooks.changed?.();
      return later(() => Promise.resolve({ entityType: entityName, id: newId }));
    },
    retrieveMultipleRecords(entityName: string, options?: string) {
      calls.push({ method: "retrieveMultipleRecords", entity: entityName, ...(options ? { options } : {}) });
      hooks.log?.(`Web API retrieveMultipleRecords ${entityName} ${options ?? ""}`);
      const { $select, $filter, $top } = query(options);
      if (entityName === "environmentvariabledefinition") {
        // The scripted faults of data reads leave the org's configuration alone, unless it is named.
        if (spec.webApi?.rejectEntities?.includes(entityName)) {
          return Promise.reject({ errorCode: -2147220970, message: `The ${entityName} table is not available.` });
        }
        return later(() => Promise.resolve({ entities: variables($filter) }));
      }
      const refused = fault(entityName) ?? noColumn(entityName, $select, $filter);
      if (refused) return refused;
      const rows = Object.entries(records)
        .filter(([key]) => key.startsWith(`${entityName}:`))
        .filter(([key]) => !spec.webApi?.forbidden?.includes(key.slice(entityName.length + 1)))
        .map(([key, row]) => ({ [`${entityName}id`]: key.slice(entityName.length + 1), ...row }))
        .filter((row) => !$filter || matches(row, $filter))
        .slice(0, $top ? Number($top) : undefined)
        .map((row) => pick(row, $select));
      return later(() => Promise.resolve({ entities: rows }));
    },
  };
  xrm.Navigation.openConfirmDialog = ((strings: Xrm.Navigation.ConfirmStrings) =>
    new Promise((resolve) => {
      const dialog: Dialog = { strings, answer: (confirmed) => resolve({ confirmed }) };
      dialogs.push(dialog);
      hooks.dialog?.(dialog);
    })) as unknown as typeof xrm.Navigation.openConfirmDialog;
  xrm.Navigation.openForm = ((options: { entityName: string }) => {
    opened.push(options);
    hooks.openedForm?.(options);
    return Promise.resolve({ savedEntityReference: [] });
  }) as unknown as typeof xrm.Navigation.openForm;
  const user = spec.user ?? { name: "Nancy Anderson", id: "{0A1B2C3D-0000-4000-8000-000000000001}" };
  const userSettings = { languageId: spec.userLanguageId ?? 1033, userName: user.name, userId: user.id };
  const organizationSettings = { languageId: spec.orgLanguageId ?? 1033 };
  xrm.Utility.getGlobalContext = (() => ({ userSettings, organizationSettings })) as unknown as typeof xrm.Utility.getGlobalContext;
  // The entity set of a table, as its metadata gives it (these tables' names take an "s").
  xrm.Utility.getEntityMetadata = ((entityName: string) =>
    Promise.resolve({ LogicalName: entityName, EntitySetName: `${entityName}s` })) as unknown as typeof xrm.Utility.getEntityMetadata;
  xrm.Navigation.openAlertDialog = ((strings: { text: string }) => {
    alerts.push(strings.text);
    return Promise.resolve();
  }) as unknown as typeof xrm.Navigation.openAlertDialog;

  const handle = {
    executionContext: eventContext,
    formContext,
    calls,
    dialogs,
    saves,
    opened,
    alerts,
    records,
    /** The notes (annotations) written, oldest first. */
    notes: () =>
      Object.entries(records)
        .filter(([key]) => key.startsWith("annotation:"))
        .map(([, row]) => row),
    get closed() {
      return state.closed;
    },
    failNextSave() {
      state.failNextSave = true;
    },
    visible: (name: string) => visibility[name],
    notifications: () =>
      (
        (formContext.ui as unknown as { formNotifications?: { message: string; level: string; uniqueId: string }[] }).formNotifications ??
        []
      ).map((n) => ({ id: n.uniqueId, level: n.level, message: n.message })),
    value: (name: string) => formContext.getAttribute(name)?.getValue(),
    /** The user changes a field: its value, then its OnChange handlers. */
    set(name: string, value: unknown) {
      const attribute = formContext.getAttribute(name);
      if (!attribute) throw new Error(`no attribute ${name} on the form`);
      (attribute as Xrm.Attributes.Attribute).setValue(value as never);
      attribute.fireOnChange();
      hooks.changed?.();
    },
    /** The user runs a command (Save 1, Save & Close 2, Deactivate 5, …) or AutoSave (70) fires. */
    command: (saveMode: number) => runSave(saveMode),
    /** The user expands a tab: the controls it loads the first time, then its TabStateChange handlers. */
    expandTab(name: string) {
      const tab = tabs.find((t) => t.name === name);
      if (!tab) throw new Error(`no tab ${name} on the form`);
      if (!tab.expanded) for (const control of tab.controls) addControl(control);
      tab.expanded = true;
      for (const handler of tab.handlers) handler(eventContext);
      hooks.changed?.();
    },
    /** Milliseconds each Web API call started from now on takes. */
    latency(ms: number) {
      spec.latencyMs = ms;
    },
    /**
     * The form's data is refreshed: its fields take the record's saved values (edits are dropped, or
     * with `keepChanges`, as `data.refresh(false)` may do, changed fields keep what was typed), then
     * data OnLoad runs.
     */
    refresh(options?: { keepChanges?: boolean }) {
      const saved = records[`${spec.entity}:${id}`] ?? {};
      for (const attribute of formContext.getAttribute() as Xrm.Attributes.Attribute[]) {
        const name = attribute.getName();
        if (options?.keepChanges && attribute.getIsDirty()) continue;
        if (name in saved) {
          attribute.setValue(saved[name] as never);
          // Loaded, not typed: the platform marks it unchanged.
          (attribute as unknown as { isDirty: boolean }).isDirty = false;
        }
      }
      for (const handler of dataOnLoad) handler();
      hooks.changed?.();
    },
  };
  return handle;
}
