// The npm package as a developer installs it: the ESM entry declared in package.json
// `exports`, imported by name, running in Node (WebAssembly + DecompressionStream).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runInThisContext } from "node:vm";
import * as esbuild from "esbuild";
import * as guard from "consent-guard";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

test("package.json declares the ESM entry, the web resource, their types and the license, and lists them in files", () => {
  assert.equal(manifest.type, "module");
  assert.deepEqual(Object.keys(manifest.exports["."]), ["types", "default"]);
  assert.deepEqual(Object.keys(manifest.exports["./consentguard.js"]), ["types", "default"]);
  for (const file of [
    manifest.exports["."].types,
    manifest.exports["."].default,
    manifest.exports["./consentguard.js"].types,
    manifest.exports["./consentguard.js"].default,
    "LICENSE",
  ]) {
    assert.doesNotThrow(() => readFileSync(new URL(`../${file}`, import.meta.url)), file);
    assert.ok(manifest.files.some((entry) => file.replace("./", "").startsWith(entry)), `${file} is in "files"`);
  }
  // TypeScript's older resolution (`node10`, what `module: commonjs` gets) reads no `exports`:
  // the web resource's subpath finds its declarations through `typesVersions`.
  assert.deepEqual(manifest.typesVersions, { "*": { "consentguard.js": [manifest.exports["./consentguard.js"].types] } });
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

test("a bundler keeps the web resource, whose only work is defining the global", async () => {
  // With "sideEffects": false it was dropped, and the bundle was a hundred bytes without it.
  assert.deepEqual(manifest.sideEffects, ["./dist/consentguard.js"]);
  const bundled = await esbuild.build({
    stdin: { contents: 'import "consent-guard/consentguard.js"; await ConsentGuard.ready();', resolveDir: new URL(".", import.meta.url).pathname },
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  assert.deepEqual(bundled.warnings, []);
  assert.ok(bundled.outputFiles[0].text.length > 100_000, `${bundled.outputFiles[0].text.length} bytes`);
});

test("errors: named, their place only where it applies, their code always one of the documented ones, and instanceof across copies", async () => {
  await guard.ready();
  assert.equal(guard.ConsentGuardError.name, "ConsentGuardError");
  const wrong = (() => {
    try {
      guard.evaluateSave(undefined);
    } catch (error) {
      return error;
    }
  })();
  assert.equal(wrong.message, "evaluateSave: request: expected an object, got undefined");
  assert.equal(wrong.path, "request");
  assert.equal("line" in wrong, false);
  assert.equal("column" in wrong, false);
  assert.throws(() => guard.isValidEmail(), /isValidEmail: text: expected a string, got undefined/);
  // A caller's toJSON that throws with a code of its own is bad input, not that code.
  const thrower = {
    key: "a@b.co",
    option: "N",
    value: true,
    toJSON() {
      throw Object.assign(new Error("tj"), { code: "ETJ" });
    },
  };
  assert.throws(() => guard.unifyConsent([thrower]), (e) => e instanceof guard.ConsentGuardError && e.code === "invalidInput");
  // The web resource loaded beside the package: its errors are ConsentGuardErrors too.
  runInThisContext(readFileSync(new URL("../dist/consentguard.js", import.meta.url), "utf8"));
  await globalThis.ConsentGuard.ready();
  assert.notEqual(globalThis.ConsentGuard.ConsentGuardError, guard.ConsentGuardError);
  assert.throws(() => globalThis.ConsentGuard.evaluateSegment("Consent value=", []), (e) => e instanceof guard.ConsentGuardError && e.code === "invalidRule");
  assert.throws(() => guard.evaluateSegment("Consent value=", []), (e) => e instanceof globalThis.ConsentGuard.ConsentGuardError);
  assert.equal(new Error("plain") instanceof guard.ConsentGuardError, false);
});
