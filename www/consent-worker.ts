/**
 * Reads a dropped consent file off the page's thread, with the web resource itself: the file is
 * read a piece at a time into two readers (the segment's members, and every profile's key),
 * progress is posted as it goes, and the Worker is dropped afterwards, so the module's memory
 * for a large table goes with it.
 */
import type * as Api from "../shim/index";

/** What the page sends: the file and the segment rule. */
export interface ReadRequest {
  file: File;
  rule: string;
}

/** What the Worker posts back. */
export type ReadMessage =
  | { kind: "progress"; bytes: number; rows: number }
  | {
      kind: "done";
      bytes: number;
      rows: number;
      /** The first members, and how many there are. */
      members: string[];
      memberCount: number;
      /** The first profiles' keys, and how many there are. */
      profiles: string[];
      profileCount: number;
      /** The first rows left out, and how many there are. */
      errors: { line: number; message: string }[];
      errorCount: number;
      /** Why the rule selects no one: it is empty or does not parse (the file is read all the same). */
      ruleProblem?: string;
      /** The file is not UTF-8 text (an export saved in a legacy code page): its rows with other letters are left out. */
      notUtf8: boolean;
    }
  | { kind: "failed"; message: string };

/** How many keys and errors travel back to the page: it shows the first ones and counts the rest. */
const SHOWN = 200;
/** Progress is posted at most this often (ms): the page only needs to repaint. */
const PROGRESS_EVERY = 50;

const scope = globalThis as unknown as {
  importScripts(url: string): void;
  postMessage(message: ReadMessage): void;
  onmessage: ((event: MessageEvent<ReadRequest>) => void) | null;
  ConsentGuard: typeof Api;
};
scope.importScripts("/dist/consentguard.js");
const guard = scope.ConsentGuard;

/** Every profile with a current consent: the profiles the page lists. */
const EVERY_PROFILE = "Consent value=True | Consent value=False";

/** Bytes read from the file at a time. */
const PIECE = 1 << 20;

/**
 * The file's bytes from `at`, a piece: each piece is read afresh, so that a file changed on disk
 * since it was chosen fails to read (a stream of it can read on into the new bytes unnoticed).
 */
async function pieceOf(file: File, at: number): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.slice(at, Math.min(file.size, at + PIECE)).arrayBuffer());
  } catch {
    throw new Error("it changed or went away since it was chosen: choose it again");
  }
}

async function read({ file, rule }: ReadRequest): Promise<ReadMessage> {
  await guard.ready();
  // Profiles and rows left out are read whatever the rule; members only with a rule that parses.
  let ruleProblem: string | undefined = rule.trim() ? undefined : "no segment rule";
  let members: Api.ConsentTableReader<Api.CsvSegment> | undefined;
  if (!ruleProblem) {
    try {
      members = guard.createConsentReader({ rule, size: file.size });
    } catch (e) {
      // The rule's own error, without the name of the function the Worker called.
      ruleProblem = e instanceof Error ? e.message.replace(/^createConsentReader: /, "") : String(e);
    }
  }
  const everyone = guard.createConsentReader({ rule: EVERY_PROFILE, size: file.size });
  // Only to tell the person why rows were left out: the readers judge the bytes themselves.
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let notUtf8 = false;
  let posted = 0;
  for (let at = 0; at < file.size; at += PIECE) {
    const piece = await pieceOf(file, at);
    members?.push(piece);
    everyone.push(piece);
    if (!notUtf8) {
      try {
        utf8.decode(piece, { stream: true });
      } catch {
        notUtf8 = true;
      }
    }
    if (performance.now() - posted > PROGRESS_EVERY) {
      posted = performance.now();
      scope.postMessage({ kind: "progress", ...everyone.progress });
    }
  }
  if (!notUtf8) {
    try {
      utf8.decode();
    } catch {
      // A character cut short at the very end.
      notUtf8 = true;
    }
  }
  const segment = members?.finish();
  const profiles = everyone.finish();
  // Finishing reads a last row without a line break: the figures are final only now.
  const { bytes, rows } = everyone.progress;
  return {
    kind: "done",
    bytes,
    rows,
    members: segment?.keys.slice(0, SHOWN) ?? [],
    memberCount: segment?.keys.length ?? 0,
    profiles: profiles.keys.slice(0, SHOWN),
    profileCount: profiles.keys.length,
    errors: profiles.errors.slice(0, SHOWN),
    errorCount: profiles.errors.length,
    ...(ruleProblem === undefined ? {} : { ruleProblem }),
    notUtf8,
  };
}

scope.onmessage = (event) => {
  read(event.data).then(
    (message) => scope.postMessage(message),
    (e: unknown) => scope.postMessage({ kind: "failed", message: e instanceof Error ? e.message : String(e) }),
  );
};
