// The consent CSV reader against an independent one (PapaParse) on generated tables, and tables
// read in pieces against the one-call result. Seeded: a disagreement names the seed and the input.
import { test } from "node:test";
import assert from "node:assert/strict";
import Papa from "papaparse";
import * as guard from "consent-guard";
import { random } from "../bench/data.mjs";

await guard.ready();

const pick = (next, items) => items[Math.floor(next() * items.length)];
const COLUMNS = ["Consent ID", "Email", "Phone", "Consent option", "Consent value", "Consent date", "Notes"];
// Quote pairs before characters of several bytes too: turned into quotes, each leaves a byte behind.
const OPTIONS = ["Newsletter", "Événements", 'News, "weekly"', "Line\nbreak", " padded ", "SMS; text", "Tab\there", "日本語 📨", "Crlf\r\ninside", 'Say "hi" 日本'];
const VALUES = [["True", true], ["false", false], ["YES", true], ["no", false], ["1", true], ["0", false]];
const NOTES = ["", "plain", "a, b; c\td", 'say "hi"', "multi\nline", "émoji 🎉", "  spaced  ", '"x" 😀'];

/** A cell as a CSV writer would put it: quoted when it must be, and sometimes when it need not. */
function cell(next, text, separator) {
  const must = text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim();
  return must || next() < 0.2 ? `"${text.replaceAll('"', '""')}"` : text;
}

const breaksIn = (text) => (text.match(/\r\n|\r|\n/g) ?? []).length;

/** A table and what a reader must make of it: the rows it must read and the lines it must reject. */
function generate(seed) {
  const next = random(seed);
  const separator = pick(next, [",", ";", "\t"]);
  const newline = pick(next, ["\n", "\r\n", "\r"]);
  const columns = COLUMNS.filter((name) => ["Email", "Phone", "Consent option", "Consent value"].includes(name) || next() < 0.6).sort(() => next() - 0.5);
  let text = next() < 0.3 ? "\uFEFF" : "";
  text += columns.map((name) => cell(next, next() < 0.3 ? name.toUpperCase() : name, separator)).join(separator) + newline;
  let line = 2;
  const good = [];
  const bad = [];
  const rows = 1 + Math.floor(next() * 40);
  for (let i = 0; i < rows; i++) {
    if (next() < 0.08) {
      text += newline; // a blank line
      line += 1;
      continue;
    }
    const kind = next();
    const byPhone = next() < 0.3;
    const [valueText, value] = pick(next, VALUES);
    const values = {
      "Consent ID": next() < 0.5 ? String(1 + Math.floor(next() * 20)) : pick(next, ["id 1", " ID-é ", 'x"y']),
      Email: byPhone ? "" : `${pick(next, ["Holly", "frank.lee", "ann+news"])}${Math.floor(next() * 9)}@${pick(next, ["Contoso.com", "fabrikam.co.uk"])}`,
      Phone: byPhone ? pick(next, ["+31 6 1234 5678", "(020) 123-45.67", "+1 425 555 0100"]) : "",
      "Consent option": pick(next, OPTIONS),
      "Consent value": valueText,
      "Consent date": next() < 0.5 ? pick(next, ["2024-01-02", "2025-06-30T10:15:00Z", "2023-12-31T23:59:59+02:00"]) : "",
      Notes: pick(next, NOTES),
    };
    let expectError = null;
    if (kind < 0.05) {
      for (const name of columns) values[name] = "";
      expectError = "the row has only empty fields";
    } else if (kind < 0.1 && !byPhone) {
      values.Email = "not-an-email";
      expectError = "Email 'not-an-email' is not an email address";
    } else if (kind < 0.15) {
      values["Consent value"] = "maybe";
      expectError = "Consent value 'maybe' is not one of true/false, yes/no, 1/0";
    }
    const cells = columns.map((name) => cell(next, values[name], separator));
    text += cells.join(separator) + (i === rows - 1 && next() < 0.5 ? "" : newline);
    if (expectError) bad.push({ line, message: expectError });
    else good.push(values);
    line += 1 + cells.reduce((sum, c) => sum + breaksIn(c), 0);
  }
  return { text, separator, newline, columns, good, bad };
}

const keyOf = (values) =>
  values.Email ? values.Email.toLowerCase() : values.Phone.replace(/[\s\-.()]/g, "");

test("parseConsentCsv agrees field by field with PapaParse on 400 generated tables", () => {
  let rowsCompared = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const table = generate(seed);
    const context = `seed ${seed}: ${JSON.stringify(table.text)}`;
    // PapaParse reads the same text into cells: check the generator wrote what it meant.
    const papa = Papa.parse(table.text.replace(/^\uFEFF/, ""), { delimiter: table.separator, newline: table.newline, skipEmptyLines: true });
    assert.deepEqual(papa.errors, [], context);
    const [header, ...rows] = papa.data;
    assert.equal(header.length, table.columns.length, context);
    const papaGood = rows.filter((cells) => cells.some((c) => c.trim() !== "") && !cells.includes("not-an-email") && !cells.includes("maybe"));
    assert.equal(papaGood.length, table.good.length, context);

    const ours = guard.parseConsentCsv(table.text);
    assert.deepEqual(ours.errors, table.bad, context);
    assert.equal(ours.records.length, papaGood.length, context);
    ours.records.forEach((record, i) => {
      const cells = Object.fromEntries(table.columns.map((name, c) => [name, papaGood[i][c]]));
      const at = `${context}, record ${i}`;
      // A quoted field keeps its exact text; the generator quotes every field with surrounding space.
      assert.equal(record.option, cells["Consent option"], at);
      assert.equal(record.consentId, cells["Consent ID"] || undefined, at);
      assert.equal(record.date, cells["Consent date"] || undefined, at);
      assert.equal(record.key, keyOf(cells), at);
      assert.equal(record.value, VALUES.find(([t]) => t === cells["Consent value"])[1], at);
      rowsCompared++;
    });
  }
  assert.ok(rowsCompared > 5000, `${rowsCompared} rows compared`);
});

/** `text` as a stream of UTF-8 bytes cut at random places (through characters too). */
function streamOf(text, next, maxPiece) {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let start = 0; start < bytes.length; ) {
        const end = Math.min(bytes.length, start + 1 + Math.floor(next() * maxPiece));
        controller.enqueue(bytes.slice(start, end));
        start = end;
      }
      controller.close();
    },
  });
}

test("a table read in pieces gives the one-call result, however it is cut", async () => {
  for (let seed = 1; seed <= 120; seed++) {
    const { text } = generate(seed);
    const next = random(seed * 31);
    const context = `seed ${seed}: ${JSON.stringify(text)}`;
    const whole = guard.parseConsentCsv(text);
    assert.deepEqual(await guard.readConsentTable(streamOf(text, next, seed % 3 === 0 ? 1 : 64)), whole, context);
    const rule = "Consent option=newsletter | Consent value=false";
    const segment = guard.evaluateSegmentCsv(rule, text);
    // Text pieces, cut between the two halves of a surrogate pair too.
    const reader = guard.createConsentReader({ rule });
    for (let start = 0; start < text.length; ) {
      const end = Math.min(text.length, start + 1 + Math.floor(next() * 20));
      reader.push(text.slice(start, end));
      start = end;
    }
    assert.deepEqual(reader.finish(), segment, context);
  }
});

test("one byte at a time, with progress in bytes and rows, from a Blob", async () => {
  const text = "Email;Consent option;Consent value\r\nanne@example.com;\"Événements\r\n📨\";ja\r\nholly@contoso.com;News;yes\r\n";
  const progress = [];
  const reader = guard.createConsentReader({ onProgress: (p) => progress.push(p) });
  const bytes = new TextEncoder().encode(text);
  for (const byte of bytes) reader.push(Uint8Array.of(byte));
  const result = reader.finish();
  assert.deepEqual(result, guard.parseConsentCsv(text));
  assert.equal(result.records[0].key, "holly@contoso.com");
  // One report a piece, each further on, then the totals once more from finish().
  assert.equal(progress.length, bytes.length + 1);
  assert.deepEqual(progress.at(-1), { bytes: bytes.length, rows: 2 });
  const perPiece = progress.slice(0, -1);
  assert.ok(perPiece.every((p, i) => i === 0 || (p.bytes > perPiece[i - 1].bytes && p.rows >= perPiece[i - 1].rows)));
  const fromBlob = await guard.readConsentTable(new Blob([text]), { rule: "Consent option=news" });
  assert.deepEqual(fromBlob.keys, ["holly@contoso.com"]);
});

test("a finished or cancelled reader says so; a bad rule, a wrong piece and an abort are clear errors", async () => {
  const reader = guard.createConsentReader();
  reader.push("Email,Consent option,Consent value\n");
  reader.finish();
  assert.throws(() => reader.push("a@b.co,x,1\n"), (e) => e instanceof guard.ConsentGuardError && /ConsentTableReader.push: this reader is finished or cancelled/.test(e.message));
  const cancelled = guard.createConsentReader();
  cancelled.cancel();
  assert.throws(() => cancelled.finish(), /finished or cancelled/);
  assert.throws(() => guard.createConsentReader({ rule: "Consent option=" }), (e) => e.code === "invalidRule" && e.column === 16);
  assert.throws(() => guard.createConsentReader().push(42), (e) => e.path === "piece" && /ConsentTableReader.push: piece: expected text or bytes \(a Uint8Array or an ArrayBuffer\), got number/.test(e.message));
  const controller = new AbortController();
  controller.abort(new Error("stopped by the user"));
  await assert.rejects(guard.readConsentTable(new Blob(["Email,Consent option,Consent value\n"]), { signal: controller.signal }), /stopped by the user/);
});

test("every field is cut where it ends, wherever a separator, quote or line break falls in the reader's 16-byte blocks", () => {
  // The Notes column grows a byte at a time, so the fields after it end at every offset of a block.
  for (const [separator, lineBreak] of [
    [",", "\n"],
    [";", "\r\n"],
    ["\t", "\r"],
  ]) {
    const rows = [];
    const expected = [];
    for (let length = 0; length < 40; length++) {
      const notes = "n".repeat(length);
      const option = length % 3 === 0 ? `"Op${separator}t ""${length}"""` : `Opt${length}`;
      const optionText = length % 3 === 0 ? `Op${separator}t "${length}"` : `Opt${length}`;
      rows.push([String(length), notes, `p${length}@x.nl`, option, length % 2 ? "yes" : "no"].join(separator));
      expected.push({ consentId: String(length), key: `p${length}@x.nl`, option: optionText, value: length % 2 === 1 });
    }
    const header = ["Consent ID", "Notes", "Email", "Consent option", "Consent value"].join(separator);
    const { records, errors } = guard.parseConsentCsv(header + lineBreak + rows.join(lineBreak) + lineBreak);
    assert.deepEqual(errors, [], JSON.stringify(separator));
    assert.deepEqual(records, expected, JSON.stringify(separator));
  }
});
