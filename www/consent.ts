/**
 * The consent page: paste or drop a consent CSV, see the unified profiles, type a segment rule
 * and see its members live (or the error and where it is). Also an email check. Everything is
 * decided by the global `ConsentGuard`; no rule is decided here.
 */
import type * as Api from "../shim/index";

type ConsentGuardGlobal = typeof Api;
const guard = (globalThis as unknown as { ConsentGuard: ConsentGuardGlobal }).ConsentGuard;

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

function element(tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function showEmail(): void {
  const text = byId<HTMLInputElement>("email").value;
  const verdict = byId("email-verdict");
  const valid = guard.isValidEmail(text);
  verdict.textContent = valid ? "Valid" : "Not valid";
  verdict.className = `verdict ${valid ? "valid" : "invalid"}`;
}

let profiles: Api.ConsentProfile[] = [];

function showConsent(): void {
  const parsed = guard.parseConsentCsv(byId<HTMLTextAreaElement>("csv").value);
  const errors = byId("csv-errors");
  errors.replaceChildren(...parsed.errors.map((e) => element("li", `Line ${e.line}: ${e.message}`)));
  profiles = guard.unifyConsent(parsed.records);
  const body = byId("profiles").querySelector("tbody");
  body?.replaceChildren(
    ...profiles.map((profile) => {
      const row = element("tr");
      row.append(element("td", profile.key));
      const cell = element("td");
      for (const [option, consent] of Object.entries(profile.consents)) {
        const date = consent.date ? ` (${consent.date})` : "";
        cell.append(element("span", `${option}${date}`, `consent ${consent.value ? "yes" : "no"}`));
      }
      row.append(cell);
      return row;
    }),
  );
  showSegment();
}

function showSegment(): void {
  const members = byId("members");
  const error = byId("rule-error");
  const caret = byId("rule-caret");
  const rule = byId<HTMLInputElement>("rule").value;
  try {
    const keys = guard.evaluateSegment(rule, profiles);
    error.textContent = "";
    caret.textContent = "";
    members.replaceChildren(...(keys.length ? keys.map((k) => element("li", k)) : [element("li", "(no profile matches)")]));
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/^evaluateSegment: /, "") : String(e);
    error.textContent = message;
    // Point at the column the error carries, under the rule as typed.
    const column = (e as Partial<Api.ConsentGuardError>).column ?? 0;
    caret.textContent = column > 0 ? `${rule}\n${" ".repeat(column - 1)}^` : "";
    members.replaceChildren();
  }
}

/** A .csv file dropped on the text box replaces its text. */
function acceptDrops(box: HTMLTextAreaElement): void {
  box.addEventListener("dragover", (event) => event.preventDefault());
  box.addEventListener("drop", (event) => {
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    void file.text().then((text) => {
      box.value = text;
      showConsent();
    });
  });
}

async function start(): Promise<void> {
  const status = byId("status");
  try {
    await guard.ready();
    status.textContent = "Rules module ready.";
    status.className = "status ok";
  } catch (e) {
    status.textContent = e instanceof Error ? e.message : String(e);
    status.className = "status fault";
    return;
  }
  byId("email").addEventListener("input", showEmail);
  byId("csv").addEventListener("input", showConsent);
  acceptDrops(byId<HTMLTextAreaElement>("csv"));
  byId("rule").addEventListener("input", showSegment);
  showEmail();
  showConsent();
}

void start();
