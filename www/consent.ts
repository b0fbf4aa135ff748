/**
 * The consent page: paste a consent CSV, see the unified profiles, type a segment rule and see
 * its members live (or the error and where it is); or choose or drop a file of any size, read in
 * a Worker with a progress bar and Cancel. Also an email check. Everything is
 * decided by the global `ConsentGuard`; no rule is decided here.
 */
import type * as Api from "../shim/index";
import type { ReadMessage, ReadRequest } from "./consent-worker";

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

/** A file dropped on the text box or the export card is read in the background. */
function acceptDrops(target: HTMLElement): void {
  target.addEventListener("dragover", (event) => event.preventDefault());
  target.addEventListener("drop", (event) => {
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    readInBackground(file);
  });
}

/** The Worker reading a file, if one is. */
let reading: Worker | undefined;

const megabytes = (bytes: number): string => (bytes / 1e6).toLocaleString("en", { maximumFractionDigits: 1 });
const count = (n: number): string => n.toLocaleString("en");

/** `items` as list entries, the rest counted: "… and 1,234 more". */
function capped(list: HTMLElement, items: string[], total: number, none: string): void {
  const entries = items.map((text) => element("li", text));
  if (total > items.length) entries.push(element("li", `… and ${count(total - items.length)} more`, "more"));
  list.replaceChildren(...(entries.length ? entries : [element("li", none)]));
}

/** Read `file` in a Worker of its own, with progress and Cancel; the Worker is dropped afterwards. */
function readInBackground(file: File): void {
  reading?.terminate();
  const worker = new Worker("/dist/demo/consent-worker.js");
  reading = worker;
  const started = performance.now();
  const progress = byId<HTMLProgressElement>("read-progress");
  const figures = byId("read-figures");
  const status = byId("read-status");
  progress.max = Math.max(file.size, 1);
  progress.value = 0;
  byId("reading").hidden = false;
  byId("read-results").hidden = true;
  status.textContent = `Reading ${file.name}…`;
  status.className = "status";
  figures.textContent = "";
  const finish = (): void => {
    worker.terminate();
    if (reading === worker) reading = undefined;
    byId("reading").hidden = true;
  };
  worker.onmessage = (event: MessageEvent<ReadMessage>) => {
    const message = event.data;
    const seconds = (performance.now() - started) / 1000;
    if (message.kind === "failed") {
      finish();
      status.textContent = `The file could not be read: ${message.message}`;
      status.className = "status fault";
      return;
    }
    progress.value = message.bytes;
    const rate = seconds > 0 ? Math.round(message.rows / seconds) : 0;
    figures.textContent = `${megabytes(message.bytes)} of ${megabytes(file.size)} MB, ${count(message.rows)} rows, ${count(rate)} rows/s`;
    if (message.kind === "done") {
      finish();
      const members = message.ruleProblem ? `no members (${message.ruleProblem})` : `${count(message.memberCount)} members`;
      const first = message.errors[0];
      if (message.rows === 0 && first) {
        // Nothing was read: most often the header is not a consent table's.
        status.textContent = `Nothing read from ${file.name}: line ${first.line}: ${first.message}`;
        status.className = "status fault";
      } else {
        status.textContent = `Read ${file.name}: ${count(message.rows)} rows in ${seconds.toFixed(1)} s, ${count(message.profileCount)} profiles, ${members}, ${count(message.errorCount)} rows left out.`;
        status.className = message.ruleProblem ? "status fault" : "status ok";
      }
      capped(byId("read-profiles"), message.profiles, message.profileCount, "(no profile)");
      capped(
        byId("read-members"),
        message.members,
        message.memberCount,
        message.ruleProblem ? `(${message.ruleProblem})` : "(no profile matches)",
      );
      capped(
        byId("read-errors"),
        message.errors.map((e) => `Line ${e.line}: ${e.message}`),
        message.errorCount,
        "(none)",
      );
      byId("read-results").hidden = false;
    }
  };
  worker.onerror = (event) => {
    finish();
    status.textContent = `The file could not be read: ${event.message}`;
    status.className = "status fault";
  };
  worker.postMessage({ file, rule: byId<HTMLInputElement>("rule").value } satisfies ReadRequest);
  byId("read-cancel").onclick = () => {
    finish();
    status.textContent = `Cancelled: ${file.name} was not read to the end.`;
    status.className = "status";
  };
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
  acceptDrops(byId("csv"));
  acceptDrops(byId("export-title").parentElement ?? document.body);
  byId<HTMLInputElement>("file").addEventListener("change", (event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) readInBackground(file);
    // Choosing the same file again (after a Cancel, or once it changed) reads it again.
    input.value = "";
  });
  byId("rule").addEventListener("input", showSegment);
  showEmail();
  showConsent();
}

void start();
