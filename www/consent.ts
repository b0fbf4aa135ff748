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

/** Rows of the pasted table's lists shown at most; the rest are counted. */
const SHOWN_ROWS = 200;

/** The pasted table read again at most this often while the person types (ms), once it is large. */
const TYPING_PAUSE = 250;
/** Pasted text longer than this is read again only once typing pauses. */
const LARGE_PASTE = 100_000;

/** `run` once the person has paused typing, for large text; at once for small. */
function whenTypingPauses(run: () => void, large: () => boolean): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    if (large()) timer = setTimeout(run, TYPING_PAUSE);
    else run();
  };
}

function showConsent(): void {
  const parsed = guard.parseConsentCsv(byId<HTMLTextAreaElement>("csv").value);
  const errors = byId("csv-errors");
  capped(
    errors,
    parsed.errors.slice(0, SHOWN_ROWS).map((e) => `Line ${e.line}: ${shortened(e.message)}`),
    parsed.errors.length,
    null,
    (text) => text,
  );
  profiles = guard.unifyConsent(parsed.records);
  const body = byId("profiles").querySelector("tbody");
  const more = profiles.length - SHOWN_ROWS;
  const moreRow = element("tr");
  moreRow.append(element("td", `… and ${count(more)} more`, "more"), element("td"));
  body?.replaceChildren(
    ...profiles.slice(0, SHOWN_ROWS).map((profile) => {
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
    ...(more > 0 ? [moreRow] : []),
  );
  showSegment();
}

function showSegment(): void {
  const members = byId("members");
  const error = byId("rule-error");
  const caret = byId("rule-caret");
  const ruleInput = byId<HTMLInputElement>("rule");
  const rule = ruleInput.value;
  try {
    const keys = guard.evaluateSegment(rule, profiles);
    error.textContent = "";
    caret.textContent = "";
    ruleInput.removeAttribute("aria-invalid");
    capped(members, keys.slice(0, SHOWN_ROWS), keys.length, "(no profile matches)");
    byId("members-count").textContent = counted(keys.length, "member");
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/^evaluateSegment: /, "") : String(e);
    error.textContent = message;
    // Point at the column the error carries, under the rule as typed.
    const column = (e as Partial<Api.ConsentGuardError>).column ?? 0;
    caret.textContent = column > 0 ? `${rule}\n${" ".repeat(column - 1)}^` : "";
    ruleInput.setAttribute("aria-invalid", "true");
    members.replaceChildren();
    byId("members-count").textContent = "";
  }
}

/**
 * A file dropped anywhere on the page is read in the background (the first, when several are
 * dropped): the browser would otherwise open it in place of the page, and its state be lost.
 */
function acceptDrops(): void {
  // Only drags of files: text dragged into the paste box or the rule goes in as it always did.
  const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") === true;
  document.addEventListener("dragover", (event) => {
    if (carriesFiles(event)) event.preventDefault();
  });
  document.addEventListener("drop", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    const files = event.dataTransfer?.files;
    const file = files?.[0];
    if (file) readInBackground(file, files.length);
  });
}

/** The Worker reading a file, if one is. */
let reading: Worker | undefined;
/** The file last read to the end and the rule it was read with: the results shown are theirs. */
let lastRead: { file: File; rule: string } | undefined;

const count = (n: number): string => n.toLocaleString("en");
/** `n` and the word for it, one or more: "1 row", "2 rows". */
const counted = (n: number, one: string, more = `${one}s`): string => `${count(n)} ${n === 1 ? one : more}`;
/** A size in bytes as a person reads it: bytes below a kilobyte, kB below a megabyte. */
const size = (bytes: number): string =>
  bytes < 1e3
    ? counted(bytes, "byte")
    : bytes < 1e6
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

/** `text` ended as a sentence, so that another can follow it. */
const sentence = (text: string): string => (/[.…]$/.test(text) ? text : `${text}.`);

/** `items` as list entries, each shortened, the rest counted: "… and 1,234 more"; `none` when there are none (nothing for null). */
function capped(list: HTMLElement, items: string[], total: number, none: string | null, shorten = shortened): void {
  const entries = items.map((text) => element("li", shorten(text)));
  if (total > items.length) entries.push(element("li", `… and ${count(total - items.length)} more`, "more"));
  list.replaceChildren(...(entries.length || none === null ? entries : [element("li", none, "none")]));
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
  // "Read the file again" goes with the results: the focus moves on to Cancel.
  const refocus = byId("read-stale").contains(document.activeElement);
  byId("reading").hidden = false;
  byId("read-results").hidden = true;
  byId("read-stale").hidden = true;
  if (refocus) byId("read-cancel").focus();
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
      status.textContent = `Nothing read from ${file.name}${only}: line ${first.line}: ${sentence(shortened(first.message))}${encoding}`;
      status.className = "status fault";
    } else if (message.rows === 0) {
      status.textContent = `Nothing read from ${file.name}${only}: it has no rows after its header.${encoding}`;
      status.className = "status warn";
    } else {
      status.textContent = `Read ${file.name}${only}: ${counted(message.rows, "row")} in ${seconds.toFixed(1)} s, ${counted(message.profileCount, "profile")}, ${members}, ${counted(message.errorCount, "row")} left out.${encoding}`;
      // Green only when every row was read into a profile and the rule (where one is given) applied.
      const noRule = !rule.trim();
      status.className =
        message.profileCount === 0 || (message.ruleProblem && !noRule)
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
      message.errors.map((e) => `Line ${e.line}: ${shortened(e.message)}`),
      message.errorCount,
      "(none)",
      // The message is cut, not the line number before it.
      (text) => text,
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
  const pasted = byId<HTMLTextAreaElement>("csv");
  pasted.addEventListener(
    "input",
    whenTypingPauses(showConsent, () => pasted.value.length > LARGE_PASTE),
  );
  acceptDrops();
  byId<HTMLInputElement>("file").addEventListener("change", (event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) readInBackground(file);
    // Choosing the same file again (after a Cancel, or once it changed) reads it again.
    input.value = "";
  });
  const updateSegment = whenTypingPauses(showSegment, () => profiles.length > LARGE_PASTE / 100);
  byId("rule").addEventListener("input", () => {
    updateSegment();
    markStale();
  });
  byId("read-again").addEventListener("click", () => {
    if (lastRead) readInBackground(lastRead.file);
  });
  showEmail();
  showConsent();
}

void start();
