/**
 * The form demo: a page that looks and behaves like a Dynamics 365 main form, driven by the real
 * `dist/consentguard.js` through the simulated Client API, exactly as an admin registers it:
 * `ConsentGuard.onLoad(executionContext, settings)`. No rule is decided here.
 */
import type * as Api from "../shim/index";
import { demoRecords, demoSettings, people, store, type DemoRecord, type Lookup, type Row } from "./platform/demo-data";
import { createForm, type Dialog, type SimulatedForm } from "./platform/simulated-form";

const guard = (globalThis as unknown as { ConsentGuard: typeof Api }).ConsentGuard;

type FieldKind = "text" | "check" | "person" | "people" | "operation" | "number";
interface Field {
  name: string;
  label: string;
  kind: FieldKind;
}

const text = (name: string, label: string): Field => ({ name, label, kind: "text" });
const check = (name: string, label: string): Field => ({ name, label, kind: "check" });

const FIELDS: Record<DemoRecord["entity"], Field[]> = {
  contact: [
    text("emailaddress1", "Email"),
    check("donotemail", "Do Not Email"),
    check("donotbulkemail", "Do Not Bulk Email"),
    check("msdyn_gdproptout", "GDPR Optout"),
  ],
  lead: [
    text("emailaddress1", "Email"),
    check("donotemail", "Do Not Email"),
    check("donotbulkemail", "Do Not Bulk Email"),
    check("msdyn_gdproptout", "GDPR Optout"),
  ],
  account: [text("emailaddress1", "Email"), check("donotemail", "Do Not Email")],
  opportunity: [{ name: "parentcontactid", label: "Contact", kind: "person" }],
  email: [
    { name: "subject", label: "Subject", kind: "text" },
    { name: "to", label: "To", kind: "people" },
  ],
  spotler_job: [
    { name: "spotler_operation", label: "Operation", kind: "operation" },
    { name: "spotler_customerid", label: "Customer", kind: "person" },
    { name: "spotler_status", label: "Result (HTTP status)", kind: "number" },
  ],
};

/** The Spotler Job's operations (an option set in the connector's solution). */
const OPERATIONS: [number, string][] = [
  [1, "Sync Contact"],
  [2, "Update Permissions"],
  [3, "Anonymize Contact"],
];

const ENTITY_LABEL: Record<string, string> = {
  contact: "Contact",
  lead: "Lead",
  account: "Account",
  opportunity: "Opportunity",
  email: "Email",
  spotler_job: "Spotler Job",
};
const STATUS: Record<string, string[]> = {
  contact: ["Active", "Inactive"],
  account: ["Active", "Inactive"],
  opportunity: ["Open", "Won", "Lost"],
  email: ["Open", "Completed"],
  spotler_job: ["Active", "Inactive"],
  lead: ["Open", "Qualified", "Disqualified"],
};
/** Save modes of the commands; 0 is Delete, which runs `ConsentGuard.confirmDelete` as a custom command. */
const COMMANDS: Record<string, [string, number][]> = {
  contact: [
    ["Save", 1],
    ["Save & Close", 2],
    ["Save & New", 59],
    ["Deactivate", 5],
    ["Delete", 0],
  ],
  account: [
    ["Save", 1],
    ["Save & Close", 2],
    ["Save & New", 59],
    ["Deactivate", 5],
    ["Delete", 0],
  ],
  lead: [
    ["Save", 1],
    ["Save & Close", 2],
    ["Save & New", 59],
    ["Qualify", 16],
    ["Disqualify", 15],
    ["Delete", 0],
  ],
  opportunity: [
    ["Save", 1],
    ["Save & Close", 2],
    ["Save & New", 59],
  ],
  email: [
    ["Save", 1],
    ["Send", 7],
  ],
  spotler_job: [
    ["Save", 1],
    ["Save & Close", 2],
  ],
};

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

/** An element with properties (never HTML text) and children. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

let form: SimulatedForm | null = null;
let record: DemoRecord | null = null;
let isNew = false;

function settings() {
  return {
    anonymizeWhenInactive: byId<HTMLInputElement>("awi").checked,
    languageId: Number(byId<HTMLSelectElement>("language").value),
    recordConfirmations: true,
    ...demoSettings,
  };
}

function log(line: string): void {
  const list = byId("log");
  list.prepend(el("li", { textContent: `${new Date().toLocaleTimeString()}  ${line}` }));
  while (list.children.length > 60) list.lastElementChild?.remove();
}

function attributesFor(target: DemoRecord, blank: boolean): Record<string, unknown> {
  const row: Row = blank ? {} : (store[`${target.entity}:${target.id}`] ?? {});
  const attributes: Record<string, unknown> = {};
  for (const field of FIELDS[target.entity]) {
    if (field.kind === "person" || field.kind === "people") attributes[field.name] = blank ? [] : (target.lookups[field.name] ?? []);
    else if (field.kind === "operation") attributes[field.name] = Number(row[field.name] ?? 1);
    else if (field.kind === "number") attributes[field.name] = blank ? null : ((row[field.name] as number | undefined) ?? null);
    else attributes[field.name] = row[field.name] ?? (field.kind === "check" ? false : null);
  }
  attributes.statecode = Number(row.statecode ?? 0);
  for (const [name, value] of Object.entries(target.lookups)) if (!(name in attributes)) attributes[name] = blank ? [] : value;
  return attributes;
}

/** Open a record's form (or a new one) and run the form script's OnLoad, as the platform does. */
async function open(target: DemoRecord, blank = false): Promise<void> {
  record = target;
  isNew = blank;
  byId("closed").hidden = true;
  byId("form").hidden = false;
  // Busy until the form script's OnLoad is done and the fields show the record's values.
  byId("form").setAttribute("aria-busy", "true");
  for (const button of document.querySelectorAll<HTMLButtonElement>("#records button")) {
    button.setAttribute("aria-current", String(button.dataset.key === target.key && !blank));
  }
  form = createForm(
    {
      entity: target.entity,
      id: blank ? null : target.id,
      attributes: attributesFor(target, blank) as never,
      records: store,
      userLanguageId: 1033,
      name: target.label,
      options: { spotler_operation: OPERATIONS.map(([value, text]) => ({ value, text })) },
      ...(target.entity === "contact" || target.entity === "lead" ? { controls: ["ra_panel"] } : {}),
      latencyMs: 120,
    },
    { changed: refresh, dialog: showDialog, log, closed: showClosed, openedForm: () => void open(target, true) },
  );
  buildForm(target, blank);
  log(`Form OnLoad: ConsentGuard.onLoad(executionContext, ${JSON.stringify(settings())})`);
  await guard.onLoad(form.executionContext as unknown as Xrm.Events.EventContext, settings());
  refresh();
  byId("form").setAttribute("aria-busy", "false");
}

function buildForm(target: DemoRecord, blank: boolean): void {
  byId("record-title").textContent = blank ? `New ${ENTITY_LABEL[target.entity]}` : target.label;
  byId("record-type").textContent = `${ENTITY_LABEL[target.entity]} · Main form`;
  byId("commands").replaceChildren(
    ...(COMMANDS[target.entity] ?? []).map(([label, mode]) =>
      el("button", {
        type: "button",
        textContent: label,
        onclick: () => (mode === 0 ? void guard.confirmDelete(form?.formContext) : form?.command(mode)),
      }),
    ),
  );
  byId("fields").replaceChildren(...FIELDS[target.entity].map((field) => fieldRow(field)));

  byId("timeline-items").replaceChildren(
    ...(blank ? [] : target.timeline).map((item) =>
      activity(
        "✉",
        "Auto-captured",
        item.subject,
        el("div", { className: "muted", textContent: `From: ${item.from} · ${item.when}` }),
        el("button", { type: "button", className: "link", textContent: "Track" }),
      ),
    ),
  );
}

/** A timeline entry: its icon, its kind, its title and what follows. */
function activity(icon: string, kind: string, title: string, ...details: HTMLElement[]): HTMLElement {
  return el(
    "li",
    { className: kind === "Note" ? "activity note" : "activity" },
    el("span", { className: "activity-icon", textContent: icon, ariaHidden: "true" }),
    el("div", {}, el("span", { className: "pill", textContent: kind }), el("strong", { textContent: title }), ...details),
  );
}

function fieldRow(field: Field): HTMLElement {
  const id = `field-${field.name}`;
  let input: HTMLInputElement | HTMLSelectElement;
  if (field.kind === "operation") {
    const select = el("select", { id });
    select.append(...OPERATIONS.map(([value, label]) => el("option", { value: String(value), textContent: label })));
    select.onchange = () => form?.set(field.name, Number(select.value));
    input = select;
  } else if (field.kind === "number") {
    const box = el("input", { id, type: "text", inputMode: "numeric", autocomplete: "off" });
    box.onchange = () => form?.set(field.name, box.value.trim() === "" ? null : Number(box.value));
    input = box;
  } else if (field.kind === "people") {
    const select = el("select", { id, multiple: true, size: 3 });
    select.append(...people.map((p) => el("option", { value: p.id, textContent: `${p.name} (${p.entityType})` })));
    select.onchange = () =>
      form?.set(
        field.name,
        people.filter((p) => [...select.selectedOptions].some((o) => o.value === p.id)),
      );
    input = select;
  } else if (field.kind === "person") {
    const select = el("select", { id });
    select.append(
      el("option", { value: "", textContent: "---" }),
      ...people.map((p) => el("option", { value: p.id, textContent: `${p.name} (${p.entityType})` })),
    );
    select.onchange = () => {
      const picked = people.find((p) => p.id === select.value);
      form?.set(field.name, picked ? [picked] : null);
    };
    input = select;
  } else if (field.kind === "check") {
    const box = el("input", { id, type: "checkbox" });
    box.onchange = () => form?.set(field.name, box.checked);
    input = box;
  } else {
    const box = el("input", { id, type: "text", autocomplete: "off", spellcheck: false });
    box.onchange = () => form?.set(field.name, box.value.trim() === "" ? null : box.value);
    input = box;
  }
  return el("div", { className: `field ${field.kind}` }, el("label", { htmlFor: id, textContent: field.label }), input);
}

/** Show the form's state: values, notifications, the timeline's visibility, the status. */
function refresh(): void {
  if (!form || !record) return;
  for (const field of FIELDS[record.entity]) {
    const input = document.getElementById(`field-${field.name}`) as HTMLInputElement | HTMLSelectElement | null;
    if (!input || input === document.activeElement) continue;
    const value = form.value(field.name);
    const ids = Array.isArray(value) ? (value as Lookup[]).map((l) => l.id.replace(/[{}]/g, "").toLowerCase()) : [];
    if (field.kind === "check") (input as HTMLInputElement).checked = value === true;
    else if (field.kind === "person") input.value = ids[0] ?? "";
    else if (field.kind === "people")
      for (const option of (input as HTMLSelectElement).options) option.selected = ids.includes(option.value);
    else input.value = value === null || value === undefined ? "" : String(value);
  }
  const statecode = Number(form.value("statecode") ?? 0);
  byId("record-status").textContent = isNew ? "New" : (STATUS[record.entity]?.[statecode] ?? "");
  byId("timeline").hidden = form.visible("Timeline") === false;
  // The notes that record confirmations, read back as the timeline shows notes: newest first.
  const bound = `(${record.id})`;
  const notes = form
    .notes()
    .filter((note) => Object.entries(note).some(([key, value]) => key.endsWith("@odata.bind") && String(value).endsWith(bound)));
  byId("timeline-notes").replaceChildren(
    ...notes
      .reverse()
      .map((note) =>
        activity("🗒", "Note", String(note.subject), el("pre", { className: "note-text", textContent: String(note.notetext) })),
      ),
  );
  // The "ra_panel" control exists on Contact and Lead forms only; hidden, it disappears as on the platform.
  byId("analytics").hidden = form.visible("ra_panel") !== true;
  byId("notifications").replaceChildren(
    ...form.notifications().map((n) =>
      el(
        "li",
        { className: `notification ${n.level.toLowerCase()}` },
        el("span", {
          className: "notification-icon",
          textContent: n.level === "ERROR" ? "✖" : n.level === "WARNING" ? "⚠" : "ℹ",
          ariaHidden: "true",
        }),
        el("span", { textContent: n.message }),
      ),
    ),
  );
}

function showDialog(dialog: Dialog): void {
  const overlay = byId("dialog");
  byId("dialog-title").textContent = dialog.strings.title ?? "";
  byId("dialog-text").textContent = dialog.strings.text;
  // The command that opened it gets the focus back, as the platform's dialogs do.
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const close = (confirmed: boolean) => {
    overlay.hidden = true;
    overlay.onkeydown = null;
    dialog.answer(confirmed);
    if (opener?.isConnected && !opener.closest("[hidden]")) opener.focus();
  };
  // Escape cancels; Tab stays within the dialog (it is modal).
  overlay.onkeydown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close(false);
      return;
    }
    if (event.key !== "Tab") return;
    const focusable = [...overlay.querySelectorAll<HTMLButtonElement>("button")];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };
  byId("dialog-actions").replaceChildren(
    el("button", {
      type: "button",
      className: "primary",
      textContent: dialog.strings.confirmButtonLabel ?? "OK",
      onclick: () => close(true),
    }),
    el("button", { type: "button", textContent: dialog.strings.cancelButtonLabel ?? "Cancel", onclick: () => close(false) }),
  );
  byId<HTMLButtonElement>("dialog-close").onclick = () => close(false);
  overlay.hidden = false;
  byId<HTMLButtonElement>("dialog-actions").querySelector("button")?.focus();
}

/** The form closed: after Save & Close, or after its record was deleted (which cannot be opened again). */
function showClosed(deleted: boolean): void {
  byId("form").hidden = true;
  byId("closed").hidden = false;
  byId("closed-text").textContent = deleted
    ? "The record was deleted and its form closed. Reload the page to start the demo over."
    : "The form was closed after saving.";
  byId("reopen").hidden = deleted;
  if (deleted && record) {
    for (const button of document.querySelectorAll<HTMLButtonElement>("#records button")) {
      if (button.dataset.key === record.key) button.disabled = true;
    }
  }
  log(deleted ? "The form was closed: its record was deleted" : "The form was closed (Save & Close)");
  byId(deleted ? "closed-text" : "reopen").focus();
}

function start(): void {
  byId("records").replaceChildren(
    ...demoRecords.map((r) =>
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            onclick: () => void open(r),
            textContent: `${r.label}`,
          },
          el("span", { className: "muted", textContent: ` ${ENTITY_LABEL[r.entity]}` }),
        ),
      ),
    ),
  );
  for (const [index, button] of [...document.querySelectorAll<HTMLButtonElement>("#records button")].entries()) {
    button.dataset.key = demoRecords[index]?.key ?? "";
  }
  const reopen = () => record && void open(record, isNew);
  byId("awi").addEventListener("change", reopen);
  byId("language").addEventListener("change", reopen);
  byId("reopen").addEventListener("click", reopen);
  const first = demoRecords.find((r) => r.key === (new URLSearchParams(location.search).get("record") ?? "frank")) ?? demoRecords[0];
  if (first) void open(first);
}

start();
