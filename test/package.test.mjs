// The npm package as a developer installs it: the ESM entry declared in package.json
// `exports`, imported by name, running in Node (WebAssembly + DecompressionStream).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as guard from "consent-guard";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

test("package.json declares the ESM entry, its types and the raw wasm, and lists them in files", () => {
  assert.equal(manifest.type, "module");
  assert.deepEqual(Object.keys(manifest.exports["."]), ["types", "default"]);
  for (const file of [manifest.exports["."].types, manifest.exports["."].default, manifest.exports["./wasm"], manifest.exports["./consentguard.js"]]) {
    assert.doesNotThrow(() => readFileSync(new URL(`../${file}`, import.meta.url)), file);
    assert.ok(manifest.files.some((entry) => file.replace("./", "").startsWith(entry)), `${file} is in "files"`);
  }
});

test("the ESM entry exports the same functions as the global, usable after ready()", async () => {
  assert.throws(() => guard.isValidEmail("a@b.co"), /not ready/);
  await guard.ready();
  assert.equal(guard.isValidEmail("a@b.co"), true);
  const verdict = guard.evaluateSave({ entity: "lead", saveMode: 16, before: { email: "a@b.co" }, after: {}, settings: { anonymizeWhenInactive: true } });
  assert.deepEqual(verdict.reasons.map((r) => r.code), ["Inactive"]);
  const parsed = guard.parseConsentCsv("Phone,Consent option,Consent value\n+31 (0)6-1234 5678,SMS,yes\n");
  assert.deepEqual(guard.unifyConsent(parsed.records), [{ key: "+310612345678", consents: { SMS: { value: true } } }]);
  assert.throws(() => guard.evaluateSegment("Consent value=", []), (e) => e instanceof guard.ConsentGuardError && /column 15/.test(e.message));
  const table = "Consent ID,Email,Consent option,Consent value\n1,a@b.co,Newsletter,True\n2,c@d.co,Newsletter,nope\n1,a@b.co,Newsletter,False\n3,e@f.co,Newsletter,yes\n";
  assert.deepEqual(guard.evaluateSegmentCsv("Consent option=Newsletter & Consent value=True", table), {
    keys: ["e@f.co"],
    errors: [{ line: 3, message: "Consent value 'nope' is not one of true/false, yes/no, 1/0" }],
    profiles: 2,
  });
  assert.throws(() => guard.evaluateSegmentCsv("Consent option=", table), /evaluateSegmentCsv: column 16/);
});

test("what JSON cannot say is named in the error, however large the input", async () => {
  await guard.ready();
  const record = { key: "a@b.nl", option: "News", value: true };
  for (const [odd, described] of [
    [{ date: Number.NaN }, /records\[1\]\.date: .*NaN/],
    [{ consentId: () => 1 }, /records\[1\]\.consentId: .*function/],
    [{ date: 10n }, /records\[1\]\.date: .*bigint/],
    [{ value: Number.POSITIVE_INFINITY }, /records\[1\]\.value: expected true or false, got a number/],
  ]) {
    assert.throws(() => guard.unifyConsent([record, { ...record, ...odd }]), (error) => {
      assert.match(error.message, described);
      return error.code === "invalidInput";
    });
  }
  // The same records without them unify.
  assert.equal(guard.unifyConsent([record, { ...record, date: "2024-05-03" }]).length, 1);
});
