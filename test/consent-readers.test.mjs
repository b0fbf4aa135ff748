// The consent-table readers at their edges: wrong options and sources, a stalled stream that is
// aborted, a progress callback that throws, text and bytes mixed, readers left unfinished, and
// readers whose table the module lost when it ran out of memory.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as guard from "consent-guard";

setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc");

before(() => guard.ready());

const HEADER = "Email,Consent option,Consent value\n";
const error = (test) => (e) => e instanceof guard.ConsentGuardError && test(e);

test("options and sources of the wrong kind are errors naming them", async () => {
  for (const [options, path] of [
    ["Consent option=N", "options"],
    [null, "options"],
    [{ rul: "Consent option=N" }, "options.rul"],
    [{ onProgress: "yes" }, "options.onProgress"],
    [{ size: "big" }, "options.size"],
    [{ signal: {} }, "options.signal"],
  ]) {
    assert.throws(() => guard.createConsentReader(options), error((e) => e.code === "invalidInput" && e.path === path && e.message.includes(path)), path);
    await assert.rejects(guard.readConsentTable(HEADER, options), error((e) => e.path === path), path);
  }
  const locked = new ReadableStream();
  locked.getReader();
  const before = guard.moduleMemoryBytes();
  for (const source of [null, 5, {}, [HEADER], { [Symbol.asyncIterator]: 1 }, locked]) {
    await assert.rejects(
      guard.readConsentTable(source, { size: 2e8 }),
      error((e) => e.code === "invalidInput" && e.path === "source" && /^readConsentTable: source: /.test(e.message)),
      String(source),
    );
  }
  // No table was left open: the room asked for by `size` was given back each time.
  assert.ok(guard.moduleMemoryBytes() < before + 2e8, `${guard.moduleMemoryBytes()} bytes after, ${before} before`);
});

test("a source that fails while it is read is a sourceFailed error that keeps the source's own error", async () => {
  const network = Object.assign(new TypeError("fetch failed"), { code: "ECONNRESET", path: "/exports/consent.csv" });
  const failing = new ReadableStream({
    start(controller) {
      controller.enqueue(`${HEADER}a@b.nl,News,yes\n`);
      controller.error(network);
    },
  });
  const before = guard.moduleMemoryBytes();
  await assert.rejects(
    guard.readConsentTable(failing, { size: 2e8 }),
    error((e) => e.code === "sourceFailed" && e.path === "source" && e.cause === network && e.message === "readConsentTable: source: fetch failed"),
  );
  assert.ok(guard.moduleMemoryBytes() < before + 2e8, "the table is given back");
  // A piece of the wrong kind from a stream is still the caller's input, named as such.
  const numbers = new ReadableStream({ start: (controller) => (controller.enqueue(42), controller.close()) });
  await assert.rejects(guard.readConsentTable(numbers), error((e) => e.code === "invalidInput" && /piece: expected text or bytes/.test(e.message)));
});

test("Node.js streams, async iterables and whole bytes are read as the same text is", async () => {
  const rule = "Consent option=News & Consent value=True";
  const rows = Array.from({ length: 3000 }, (_, i) => `p${i % 700}@x.nl,${i % 3 ? "News" : "Post"},${i % 5 ? "yes" : "no"}\n`);
  const text = `\ufeff${HEADER}${rows.join("")}caf\u00e9@x.nl,News,yes\n`;
  const expected = { records: guard.parseConsentCsv(text), segment: guard.evaluateSegmentCsv(rule, text) };
  const folder = mkdtempSync(join(tmpdir(), "consent-readers-"));
  try {
    const file = join(folder, "consent.csv");
    writeFileSync(file, text);
    const bytes = readFileSync(file);
    async function* pieces(size) {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    }
    const sources = {
      "fs.createReadStream (small chunks)": () => createReadStream(file, { highWaterMark: 1000 }),
      "fs.createReadStream as text": () => createReadStream(file, { encoding: "utf8", highWaterMark: 777 }),
      "Readable.from strings": () => Readable.from(text.match(/[\s\S]{1,97}/g)),
      "an async generator of bytes cut mid-character": () => pieces(7),
      "a Buffer": () => bytes,
      "an ArrayBuffer": () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    };
    for (const [name, source] of Object.entries(sources)) {
      assert.deepEqual(await guard.readConsentTable(source()), expected.records, name);
      assert.deepEqual(await guard.readConsentTable(source(), { rule }), expected.segment, name);
    }
    // A file that is not there: the stream's own error, as the source's failure.
    await assert.rejects(
      guard.readConsentTable(createReadStream(join(folder, "missing.csv"))),
      error((e) => e.code === "sourceFailed" && e.path === "source" && e.cause?.code === "ENOENT"),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

/** What reading `stalled` (a source that sends nothing more after its first piece) answers when its signal aborts 50 ms in. */
async function abortedWhileWaiting(stalled) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("stopped by the user")), 50);
  return Promise.race([
    guard.readConsentTable(stalled, { signal: controller.signal }).then(
      () => "resolved",
      (e) => e.message,
    ),
    new Promise((resolve) => setTimeout(() => resolve("still waiting after 5 s"), 5000)),
  ]);
}

test("an abort ends a read that waits for an async iterable, which is told to stop", async () => {
  let stopped = false;
  const stalled = {
    [Symbol.asyncIterator]() {
      let sent = false;
      return {
        next: () => (sent ? new Promise(() => {}) : ((sent = true), Promise.resolve({ done: false, value: HEADER }))),
        return: async () => {
          stopped = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  assert.equal(await abortedWhileWaiting(stalled), "stopped by the user");
  assert.ok(stopped, "the iterable is told to stop (a Node.js stream is then destroyed)");
});

test("an abort ends a read that waits for a stream that sends nothing more", async () => {
  let cancelled = false;
  const stalled = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(HEADER));
    },
    cancel() {
      cancelled = true;
    },
  });
  assert.equal(await abortedWhileWaiting(stalled), "stopped by the user");
  assert.ok(cancelled, "the stream is cancelled");
});

test("a progress callback that throws says that the piece was read", () => {
  let calls = 0;
  const reader = guard.createConsentReader({
    onProgress: () => {
      if (calls++ === 0) throw new Error("UI not ready");
    },
  });
  assert.throws(
    () => reader.push(`${HEADER}a@b.nl,News,yes\n`),
    error((e) => e.path === "options.onProgress" && /ConsentTableReader.push: options.onProgress threw after the piece was read: UI not ready/.test(e.message)),
  );
  reader.push("c@d.nl,News,no\n");
  const { records, errors } = reader.finish();
  assert.deepEqual(
    records.map((r) => r.key),
    ["a@b.nl", "c@d.nl"],
  );
  assert.deepEqual(errors, []);
});

test("text that ends in half a surrogate pair, then bytes, reads as the whole text does", () => {
  const first = `${HEADER}a@b.nl,News\uD83D`;
  const second = ",yes\nc@d.nl,News,yes\n";
  const reader = guard.createConsentReader();
  reader.push(first);
  reader.push(new TextEncoder().encode(second));
  assert.deepEqual(reader.finish(), guard.parseConsentCsv(first + second));
  // Other kinds of bytes read as a Uint8Array does.
  const bytes = new TextEncoder().encode(`${HEADER}e@f.nl,News,yes\ng@h.nl,News,no\n`);
  const views = guard.createConsentReader();
  views.push(bytes.buffer.slice(0, 40));
  views.push(new DataView(bytes.buffer, 40, 10));
  views.push(new Uint16Array(bytes.buffer.slice(50, 50 + ((bytes.length - 50) & ~1))));
  views.push(bytes.subarray(50 + ((bytes.length - 50) & ~1)));
  assert.deepEqual(views.finish(), guard.parseConsentCsv(new TextDecoder().decode(bytes)));
});

test("long texts are written into the module in pieces without cutting a character in two", () => {
  // An option of 40,000 emoji (80,000 UTF-16 units) starting at an even and at an odd unit: the
  // script writes long texts a piece at a time, and one of the two puts a surrogate pair across
  // each boundary between pieces, wherever the pieces end.
  const emoji = "\u{1F600}".repeat(40_000);
  for (const key of ["a@b.nl", "ab@b.nl"]) {
    const option = `x${emoji}y`;
    const { records, errors } = guard.parseConsentCsv(`${HEADER}${key},${option},yes\n`);
    assert.deepEqual(errors, []);
    assert.equal(records.length, 1);
    assert.ok(records[0].option === option, "the option as written");
    // The records' texts go back into the module in pieces as well.
    const [profile] = guard.unifyConsent([{ key, option, value: true }, { key, option: `${option}!`, value: false }]);
    assert.deepEqual(Object.keys(profile.consents), [option, `${option}!`]);
    assert.deepEqual(guard.evaluateSegment(`Consent option=${option} & Consent value=True`, [profile]), [key]);
  }
});

test("after finishing, the progress counts the last row too", () => {
  const reader = guard.createConsentReader({ rule: "Consent option=News" });
  reader.push(`${HEADER}a@b.nl,News,yes\nc@d.nl,News,yes\ne@f.nl,News,yes`);
  assert.equal(reader.progress.rows, 2);
  reader.finish();
  assert.equal(reader.progress.rows, 3);
});

test("a reader dropped unfinished gives back its table's memory", async () => {
  const rows = 300_000;
  const table = HEADER + Array.from({ length: rows }, (_, i) => `p${i}@example.com,News,yes\n`).join("");
  const read = () => {
    const reader = guard.createConsentReader();
    reader.push(table);
  };
  // The first table makes the module big enough for one; each dropped one is then given back,
  // so the next fits in the same memory.
  read();
  let grown = 0;
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < 5; i++) {
      collect();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const before = guard.moduleMemoryBytes();
    read();
    if (guard.moduleMemoryBytes() > before) grown++;
  }
  assert.ok(grown <= 1, `the module grew on ${grown} of 6 tables read after dropped ones`);
});

test("a finished or cancelled reader refuses every piece, even one that writes nothing, and says nothing more", () => {
  let reports = 0;
  const finished = guard.createConsentReader({ onProgress: () => reports++ });
  finished.push(`${HEADER}a@b.nl,News,yes\n`);
  finished.finish();
  const seen = reports;
  const cancelled = guard.createConsentReader();
  cancelled.cancel();
  for (const reader of [finished, cancelled]) {
    for (const piece of ["", "\ud83d", new Uint8Array(0)]) {
      assert.throws(() => reader.push(piece), error((e) => /ConsentTableReader.push: this reader is finished or cancelled/.test(e.message)));
    }
  }
  assert.equal(reports, seen);
});

test("onProgress ends at the totals: finish() reports the rows only the end of the text completes", async () => {
  const text = `${HEADER}a@b.nl,x,1\nc@d.nl,y,0`;
  const seen = [];
  const result = await guard.readConsentTable(new Blob([text]), { onProgress: (p) => seen.push(p) });
  assert.equal(result.records.length, 2);
  assert.deepEqual(seen.at(-1), { bytes: new TextEncoder().encode(text).length, rows: 2 });
  const reader = guard.createConsentReader({ onProgress: () => assert.fail("thrown by the caller") });
  assert.throws(() => reader.push(text), error((e) => e.path === "options.onProgress" && /after the piece was read/.test(e.message)));
  const atEnd = guard.createConsentReader({ onProgress: (p) => p.rows === 2 && assert.fail("thrown at the end") });
  atEnd.push(text);
  assert.throws(() => atEnd.finish(), error((e) => e.path === "options.onProgress" && /after the table was read: thrown at the end/.test(e.message)));
});

test("options are an object's own fields: what it inherits is no option, and a wrong size says what it was", () => {
  const text = `${HEADER}a@b.nl,News,yes\n`;
  for (const inherited of [{ size: "big" }, { rule: 5 }, { onProgress: 1 }]) {
    const reader = guard.createConsentReader(Object.create(inherited));
    reader.push(text);
    assert.deepEqual(reader.finish(), guard.parseConsentCsv(text), JSON.stringify(inherited));
  }
  for (const [size, said] of [
    [-1, "got -1"],
    [1.5, "got 1.5"],
    [Number.NaN, "got NaN"],
    [Number.POSITIVE_INFINITY, "got Infinity"],
    ["big", "got string"],
  ]) {
    assert.throws(
      () => guard.createConsentReader({ size }),
      error((e) => e.path === "options.size" && e.message.endsWith(`options.size: expected a whole number of bytes, 0 or more, ${said}`)),
      String(size),
    );
  }
});

test("a size given wrongly takes no more memory than 64 MiB ahead, and costs no other reader its table", () => {
  const first = guard.createConsentReader();
  first.push(`${HEADER}a@b.nl,News,yes\n`);
  collect();
  const before = guard.moduleMemoryBytes();
  const idle = Array.from({ length: 6 }, () => guard.createConsentReader({ size: 1e9 }));
  const grown = guard.moduleMemoryBytes() - before;
  assert.ok(grown < 6 * 80 * 2 ** 20, `six readers of a billion bytes grew the module by ${grown} bytes`);
  first.push("c@d.nl,News,no\n");
  assert.deepEqual(
    first.finish().records.map((r) => r.key),
    ["a@b.nl", "c@d.nl"],
  );
  for (const reader of idle) reader.cancel();
});

test("readConsentTable's errors are named after it, and an aborted signal stops it before anything is read", async () => {
  const named = (pattern) => error((e) => e.message.startsWith("readConsentTable: ") && pattern.test(e.message));
  await assert.rejects(guard.readConsentTable(HEADER, { rule: "Consent option=" }), named(/column 16/));
  const wrong = new ReadableStream({
    start(controller) {
      controller.enqueue(42);
      controller.close();
    },
  });
  await assert.rejects(guard.readConsentTable(wrong), named(/piece: expected text or bytes/));
  await assert.rejects(
    guard.readConsentTable(`${HEADER}a@b.nl,News,yes\n`, { onProgress: () => assert.fail("no") }),
    named(/options\.onProgress threw/),
  );
  const controller = new AbortController();
  controller.abort(new Error("stopped before"));
  let reports = 0;
  await assert.rejects(guard.readConsentTable(`${HEADER}a@b.nl,News,yes\n`, { signal: controller.signal, onProgress: () => reports++ }), /stopped before/);
  assert.equal(reports, 0);
});

test("a piece whose ArrayBuffer was transferred is an error naming the piece", () => {
  const view = new Uint8Array(4);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  for (const piece of [view, view.buffer]) {
    const reader = guard.createConsentReader();
    assert.throws(
      () => reader.push(piece),
      error((e) => e.code === "invalidInput" && e.path === "piece" && /piece: its ArrayBuffer is detached/.test(e.message)),
    );
    reader.cancel();
  }
});

// Last: the module then holds the memory of the lost tables for the rest of the process.
test("readers whose tables the module lost when it ran out of memory say so, and never read into another table", () => {
  const readers = [];
  let fault;
  // Each reader asks for room for a table of a billion bytes, of which it makes room for 64 MiB
  // at once: the module's four gigabytes run out after some sixty of them.
  for (let i = 0; i < 200 && !fault; i++) {
    try {
      const reader = guard.createConsentReader({ size: 1e9 });
      reader.push(`${HEADER}r${i}@x.nl,News,yes\n`);
      readers.push(reader);
    } catch (e) {
      fault = e;
    }
  }
  assert.ok(fault instanceof guard.ConsentGuardError, "the module ran out of memory");
  assert.equal(fault.code, "moduleFault");
  assert.match(fault.message, /^createConsentReader: the rules module failed \(.*\), most likely out of memory$/);
  const fresh = guard.createConsentReader();
  fresh.push(`${HEADER}fresh@x.nl,News,yes\n`);
  // A lost table is the module's fault, not the caller's: the same code as the failure, whether
  // the reader next pushes a piece or finishes at once.
  const lostTable = error((e) => e.code === "moduleFault" && e.path === "reader" && /lost this reader's table/.test(e.message));
  for (const [index, reader] of readers.entries()) {
    if (index % 2) assert.throws(() => reader.push("intruder@x.nl,News,yes\n"), lostTable);
    assert.throws(() => reader.finish(), lostTable);
    assert.throws(() => reader.finish(), lostTable, "and stays so");
  }
  // A reader finished by its caller still says so.
  const finished = guard.createConsentReader();
  finished.finish();
  assert.throws(() => finished.finish(), error((e) => e.code === "invalidInput" && /finished or cancelled/.test(e.message)));
  assert.deepEqual(
    fresh.finish().records.map((r) => r.key),
    ["fresh@x.nl"],
  );
  // The module still answers.
  assert.equal(guard.isValidEmail("a@b.nl"), true);
  assert.equal(guard.parseConsentCsv(`${HEADER}a@b.nl,News,yes\n`).records.length, 1);
});
