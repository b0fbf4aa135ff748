// A trap in the rules module (here: memory exhausted by a request for 4 GiB of room) must not leave
// it unusable. The module's boundary is called directly (the wasm-bindgen glue of the build, in an
// instance of its own), since the public API never asks for that much room on a small input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const glue = await import("../build/pkg/consent_guard.js");
glue.initSync({ module: readFileSync(new URL("../build/consent_guard_bg.wasm", import.meta.url)) });

const TOO_MUCH = 0xffffffff;
const TABLE = new TextEncoder().encode("Email,Consent option,Consent value\na@b.com,News,yes\n");

/** Open a table for its records, read `bytes` into it and finish it: the module's answer. */
function readTable(bytes) {
  const number = JSON.parse(glue.table_open("", false, 0))[0];
  const at = glue.table_space(number, bytes.length);
  new Uint8Array(glue.initSync().memory.buffer, at, bytes.length).set(bytes);
  glue.table_commit(number, bytes.length);
  const answer = JSON.parse(glue.table_finish(number))[0];
  glue.table_drop(number);
  return answer;
}

test("a trap while a table grows forgets the open tables and leaves the module usable", () => {
  assert.deepEqual(readTable(TABLE), { records: 1, errors: [] });
  const open = JSON.parse(glue.table_open("", false, 0))[0];
  assert.throws(() => glue.table_space(open, TOO_MUCH), WebAssembly.RuntimeError);
  // The table open at the time is gone; new ones read as before.
  assert.match(glue.table_finish(open), /finished or cancelled/);
  assert.deepEqual(readTable(TABLE), { records: 1, errors: [] });
});

test("a trap while the room for a call on columns grows leaves the room usable", () => {
  assert.throws(() => glue.columns_space(0, TOO_MUCH), WebAssembly.RuntimeError);
  const text = "a@b.nlNews";
  const at = glue.columns_space(0, text.length);
  const written = new TextEncoder().encodeInto(text, new Uint8Array(glue.initSync().memory.buffer, at, text.length)).written;
  const shape = new Uint32Array(4);
  // One record: no Consent ID, key, option, no date.
  const keys = glue.records_unify(written, new Uint32Array([0, 6, 4, 0]), new Uint8Array([1]), shape);
  assert.equal(keys, "a@b.nl");
  assert.deepEqual([...shape], [1, 6, 1, 0]);
});
