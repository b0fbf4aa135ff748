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

/** A file dropped on the text box or the export card is read in the background (the first, when several are dropped). */
function acceptDrops(target: HTMLElement): void {
  target.addEventListener("dragover", (event) => event.preventDefault());
  target.addEventListener("drop", (event) => {
    const files = event.dataTransfer?.files;
    const file = files?.[0];
    if (!file) return;
    event.preventDefault();
    readInBackground(file, files.length);
  });
}

/** The Worker reading a file, if one is. */
let reading: Worker | undefined;
/** The file last read to the end and the rule it was read with: the results shown are theirs. */
let lastRead: { file: File; rule: string } | undefined;

const count = (n: number): string => n.toLocaleString("en");
/** `n` and the word for it, one or more: "1 row", "2 rows". */
const counted = (n: number, one: string, more = `${one}s`): string => `${count(n)} ${n === 1 ? one : more}`;
/** A size in bytes as a person reads it: kB below a megabyte. */
const size = (bytes: number): string =>
  bytes < 1e6
    ? `${(bytes / 1e3).toLocaleString("en", { maximumFractionDigits: 1 })} kB`
    : `${(bytes / 1e6).toLocaleString("en", { maximumFractionDigits: 1 })} MB`;
/** Most characters of a key or message shown: a broken export can hold megabytes in one field. */
const SHOWN_CHARACTERS = 100;
const shortened = (text: string): string =>
  text.length > SHOWN_CHARACTERS
    ? `${Array.from(text.slice(0, SHOWN_CHARACTERS + 1))
        .slice(0, SHOWN_CHARACTERS)
        .join("")}…`
    : text;

/** `items` as list entries, each shortened, the rest counted: "… and 1,234 more". */
function capped(list: HTMLElement, items: string[], total: number, none: string): void {
  const entries = items.map((text) => element("li", shortened(text)));
  if (total > items.length) entries.push(element("li", `… and ${count(total - items.length)} more`, "more"));
  list.replaceChildren(...(entries.length ? entries : [element("li", none, "none")]));
}

/** Whether the results shown were read with another rule than the one in the Rule box: then say so, and offer to read again. */
function markStale(): void {
  const rule = byId<HTMLInputElement>("rule").value;
  const stale = byId("read-stale");
  stale.hidden = !lastRead || byId("read-results").hidden || lastRead.rule === rule;
  if (lastRead)
    byId("read-stale-text").textContent = `These members are for the rule “${shortened(lastRead.rule)}”, not the one in the Rule box.`;
}

/** Read `file` in a Worker of its own, with progress and Cancel; the Worker is dropped afterwards. `dropped` files were given at once. */
function readInBackground(file: File, dropped = 1): void {
  reading?.terminate();
  const worker = new Worker("/dist/demo/consent-worker.js");
  reading = worker;
  const rule = byId<HTMLInputElement>("rule").value;
  const started = performance.now();
  const progress = byId<HTMLProgressElement>("read-progress");
  const figures = byId("read-figures");
  const status = byId("read-status");
  const only = dropped > 1 ? ` (only the first of the ${count(dropped)} files dropped)` : "";
  progress.max = Math.max(file.size, 1);
  progress.value = 0;
  byId("reading").hidden = false;
  byId("read-results").hidden = true;
  byId("read-stale").hidden = true;
  status.textContent = `Reading ${file.name}${only}…`;
  status.className = "status";
  figures.textContent = "";
  const finish = (): void => {
    worker.terminate();
    if (reading === worker) reading = undefined;
    const box = byId("reading");
    // The focus leaves with the hidden Cancel button: it goes back to the file input.
    const focused = box.contains(document.activeElement);
    box.hidden = true;
    if (focused) byId("file").focus();
  };
  const fail = (why: string): void => {
    finish();
    status.textContent = `${file.name} could not be read: ${why}`;
    status.className = "status fault";
  };
  worker.onmessage = (event: MessageEvent<ReadMessage>) => {
    const message = event.data;
    const seconds = (performance.now() - started) / 1000;
    if (message.kind === "failed") {
      fail(message.message);
      return;
    }
    progress.value = message.bytes;
    const rate = seconds > 0 ? Math.round(message.rows / seconds) : 0;
    figures.textContent = `${size(message.bytes)} of ${size(file.size)}, ${counted(message.rows, "row")}, ${count(rate)} rows/s`;
    if (message.kind !== "done") return;
    finish();
    if (message.bytes < file.size) {
      fail(`only ${size(message.bytes)} of its ${size(file.size)} came (it changed or went while it was read)`);
      return;
    }
    const members = message.ruleProblem
      ? `no members (${message.ruleProblem})`
      : `${counted(message.memberCount, "member")} of the rule “${shortened(rule)}”`;
    const encoding = message.notUtf8 ? " The file is not UTF-8 text: save it as “CSV UTF-8” and read it again." : "";
    const first = message.errors[0];
    if (message.rows === 0 && first) {
      // Nothing was read: most often the header is not a consent table's.
      status.textContent = `Nothing read from ${file.name}${only}: line ${first.line}: ${shortened(first.message)}${encoding}`;
      status.className = "status fault";
    } else {
      status.textContent = `Read ${file.name}${only}: ${counted(message.rows, "row")} in ${seconds.toFixed(1)} s, ${counted(message.profileCount, "profile")}, ${members}, ${counted(message.errorCount, "row")} left out.${encoding}`;
      // Green only when every row was read into a profile and the rule applied.
      status.className =
        message.profileCount === 0 || message.ruleProblem
          ? "status fault"
          : message.errorCount > 0 || message.notUtf8
            ? "status warn"
            : "status ok";
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
    byId("read-members-title").textContent = message.ruleProblem ? "Members of the segment" : `Members of the segment “${shortened(rule)}”`;
    byId("read-results").hidden = false;
    lastRead = { file, rule };
    markStale();
  };
  // A Worker that cannot start (its script missing or refused) has no message to give.
  worker.onerror = (event) => fail(event.message || "the background reader could not be started");
  worker.postMessage({ file, rule } satisfies ReadRequest);
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
  byId("rule").addEventListener("input", () => {
    showSegment();
    markStale();
  });
  byId("read-again").addEventListener("click", () => {
    if (lastRead) readInBackground(lastRead.file);
  });
  showEmail();
  showConsent();
}

void start();
