// `evaluateSave` takes the compact wire for well-formed requests and the object path for the rest.
// Both must give the same verdict: 10,000 generated requests go through the package's
// `evaluateSave` and through the module's own object-path export, side by side in one process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as guard from "consent-guard";
import { initSync, call_json } from "../build/pkg/consent_guard.js";
import { random, saveRequests } from "../bench/data.mjs";

initSync({ module: readFileSync(new URL("../build/pkg/consent_guard_bg.wasm", import.meta.url)) });

/** The module's object path: the documented request as JSON, the documented verdict back. */
function objectPath(request) {
  const answer = JSON.parse(call_json("evaluateSave", new TextEncoder().encode(JSON.stringify({ request })), 0));
  if (!Array.isArray(answer)) throw new Error(answer.message);
  return answer[0];
}
await guard.ready();
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc");

/** The generated requests, varied in the ways a caller may write the same request. */
function requests(count) {
  const next = random(29);
  return saveRequests(count, 17).map((request) => {
    const varied = { ...request };
    const roll = next();
    if (roll < 0.1) varied.settings = null;
    else if (roll < 0.2) varied.languageId = null;
    else if (roll < 0.3) varied.after = { ...varied.after, donotemail: undefined };
    else if (roll < 0.35) varied.before = varied.before && Object.assign(Object.create(null), varied.before);
    else if (roll < 0.4) varied.entity = varied.entity.toUpperCase();
    else if (roll < 0.45) varied.saveMode = Math.floor(next() * 100);
    else if (roll < 0.5) varied.languageId = [2067, 3084, 3079, 70000][Math.floor(next() * 4)];
    return varied;
  });
}

test("the compact wire and the documented objects give the same verdict on 10,000 requests", () => {
  let asked = 0;
  for (const request of requests(10000)) {
    const expected = objectPath(request);
    const actual = guard.evaluateSave(request);
    assert.deepEqual(actual, expected, JSON.stringify(request));
    asked += actual.prompt ? 1 : 0;
  }
  assert.ok(asked > 100, `the requests ask sometimes (${asked} of 10,000)`);
});

test("requests off the documented shape still get the object path's errors", () => {
  const bad = [
    { entity: "contact", saveMode: 1, before: { donotemail: "yes" }, after: {} },
    { entity: "contact", saveMode: 1, before: null, after: { donotemial: true } },
    { entity: "contact", saveMode: 1, after: {} },
    { entity: "contact", saveMode: 1.5, before: null, after: {} },
    { entity: "contact", saveMode: 1, before: null, after: { statecode: 2 ** 40 } },
    { entity: "contact", saveMode: 1, before: null, after: {}, settings: { anonymizeWhenInactive: null } },
  ];
  for (const request of bad) {
    let expected;
    try {
      objectPath(request);
    } catch (error) {
      expected = error.message;
    }
    assert.ok(expected, `${JSON.stringify(request)} is refused`);
    assert.throws(() => guard.evaluateSave(request), (error) => error.message === `evaluateSave: ${expected}`);
  }
});

test("both paths read a request as JSON sends it: own enumerable fields, nothing inherited, hidden or behind a proxy", () => {
  const base = () => ({ entity: "contact", saveMode: 1, before: { email: "a@b.co" }, after: {} });
  const hiddenFlag = base();
  Object.defineProperty(hiddenFlag.after, "donotemail", { value: true });
  const hiddenLanguage = base();
  hiddenLanguage.after.donotemail = true;
  Object.defineProperty(hiddenLanguage, "languageId", { value: 1043 });
  const hiddenSettings = { ...base(), saveMode: 5, after: { statecode: 1 } };
  Object.defineProperty(hiddenSettings, "settings", { value: { anonymizeWhenInactive: true } });
  const proxied = { ...base(), after: new Proxy({}, { get: (_, key) => (key === "donotemail" ? true : undefined) }) };
  const serialized = { ...base(), after: { donotemail: true } };
  Object.defineProperty(serialized.after, "toJSON", { value: () => ({}) });
  for (const [name, request] of Object.entries({ hiddenFlag, hiddenSettings, proxied, serialized })) {
    const verdict = guard.evaluateSave(request);
    assert.deepEqual(verdict, objectPath(request), name);
    assert.equal(verdict.prompt, false, `${name}: nothing JSON sends asks`);
  }
  const verdict = guard.evaluateSave(hiddenLanguage);
  assert.deepEqual(verdict, objectPath(hiddenLanguage));
  assert.match(verdict.reasons[0].message, /^Saving will make Spotler/, "a hidden languageId is no language");
  // An option added to every object (a polluted prototype) is no field of the request.
  const polluted = { ...base(), after: { donotemail: true } };
  Object.defineProperty(Object.prototype, "languageId", { value: 1031, configurable: true, enumerable: false });
  try {
    const verdict = guard.evaluateSave(polluted);
    assert.deepEqual(verdict, objectPath(polluted));
    assert.match(verdict.reasons[0].message, /^Saving will make Spotler/);
  } finally {
    delete Object.prototype.languageId;
  }
  Object.prototype.donotemail = true;
  try {
    const request = base();
    assert.deepEqual(guard.evaluateSave(request), objectPath(request));
    assert.equal(guard.evaluateSave(request).prompt, false);
  } finally {
    delete Object.prototype.donotemail;
  }
});

test("an LCID with a sort order in its high bits speaks its language on both paths", () => {
  for (const [languageId, start] of [
    [0x10407, /^Durch das Speichern/],
    [0x10413, /^Als u opslaat/],
    [0x1040c, /^Si vous enregistrez/],
  ]) {
    const request = { entity: "contact", saveMode: 1, before: { email: "a@b.co" }, after: { donotemail: true }, languageId };
    const verdict = guard.evaluateSave(request);
    assert.deepEqual(verdict, objectPath(request), String(languageId));
    const plain = guard.evaluateSave({ ...request, languageId: languageId & 0xffff });
    assert.deepEqual(verdict, plain, `${languageId} speaks as ${languageId & 0xffff}`);
    assert.match(verdict.reasons[0].message, start);
  }
});

test("texts kept for many languages stay bounded", () => {
  const request = { entity: "contact", saveMode: 1, before: { email: "a@b.co" }, after: { donotemail: true } };
  collect();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 20000; i++) guard.evaluateSave({ ...request, languageId: 100000 + i });
  collect();
  const grown = process.memoryUsage().heapUsed - before;
  // Unbounded, twenty thousand languages kept about 30 MB of texts.
  assert.ok(grown < 5e6, `the heap grew by ${grown} bytes`);
});
