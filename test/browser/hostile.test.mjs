// Hostile values through every export of the built bundle in headless Chromium: each call
// either answers or throws an Error, and afterwards the module still answers correctly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser } from "./chromium.mjs";

const context = useBrowser();

test("no hostile input crashes the module or leaves it unusable", async () => {
  const page = await context.browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.setContent(`<!doctype html><script src="${context.server.url}/dist/consentguard.js"></script>`);
  const report = await page.evaluate(async () => {
    await ConsentGuard.ready();
    const G = ConsentGuard;
    const nested = (depth) => (depth === 0 ? [] : [nested(depth - 1)]);
    const huge = "x".repeat(1_000_000);
    const hostileValues = [
      undefined, null, NaN, Infinity, -0, 2 ** 60, "", huge, "\u0000\ud800", Symbol("s"), 10n, () => 1,
      [], nested(200), {}, JSON.parse('{"__proto__": {"polluted": true}}'), Object.create(null), new Date(0), /re/, new Map(),
    ];
    const bigCsv = "Consent ID,Email,Consent option,Consent value,Consent date\n" +
      Array.from({ length: 150_000 }, (_, i) => `${i},p${i % 5000}@example.com,"Opt ""${i % 7}""",${i % 3 ? "yes" : "no"},2025-01-0${1 + (i % 9)}`).join("\n");
    const calls = {
      evaluateSave: (v) => G.evaluateSave(v),
      evaluateSaveField: (v) => G.evaluateSave({ entity: "contact", saveMode: 1, before: { email: v }, after: { donotemail: v } }),
      isValidEmail: (v) => G.isValidEmail(v),
      interpretAnonymizeResponse: (v) => G.interpretAnonymizeResponse(v),
      parseConsentCsv: (v) => G.parseConsentCsv(v),
      unifyConsent: (v) => G.unifyConsent(v),
      unifyConsentRecord: (v) => G.unifyConsent([{ key: v, option: v, value: true }]),
      evaluateSegment: (v) => G.evaluateSegment(v, [{ key: "a@b.co", consents: { A: { value: true } } }]),
      evaluateSegmentProfiles: (v) => G.evaluateSegment("Consent value=True", v),
      evaluateSegmentCsv: (v) => G.evaluateSegmentCsv("Consent value=True", v),
      createConsentReader: (v) => G.createConsentReader(v).finish(),
      createConsentReaderRule: (v) => G.createConsentReader({ rule: v }).finish(),
      createConsentReaderSize: (v) => G.createConsentReader({ size: v, onProgress: v }).finish(),
      consentReaderPush: (v) => {
        const reader = G.createConsentReader();
        reader.push("Email,Consent option,Consent value\n");
        reader.push(v);
        return reader.finish();
      },
      readConsentTable: (v) => G.readConsentTable(v),
      readConsentTableOptions: (v) => G.readConsentTable("Email,Consent option,Consent value\na@b.co,A,true\n", v),
      readConsentTableStream: (v) =>
        G.readConsentTable(new ReadableStream({ start: (controller) => (controller.enqueue(v), controller.close()) })),
    };
    // Exports that never throw or reject, whatever they are given: the ribbon's Delete commands.
    const quiet = {
      confirmDelete: (v) => G.confirmDelete(v),
      confirmDeleteSelected: (v) => G.confirmDelete({ getGrid: () => v }, v),
    };
    let tried = 0;
    const notErrors = [];
    for (const [name, call] of Object.entries(calls)) {
      for (const value of hostileValues) {
        tried++;
        try {
          // Awaited, so that a rejection counts as the error it is.
          await call(value);
        } catch (error) {
          if (!(error instanceof Error) || error.name !== "ConsentGuardError") notErrors.push(`${name}: ${String(error)}`);
        }
      }
    }
    const quietFailures = [];
    for (const [name, call] of Object.entries(quiet)) {
      for (const value of hostileValues) {
        tried++;
        try {
          const result = call(value);
          if (!(result instanceof Promise)) quietFailures.push(`${name}: no promise`);
          await result;
        } catch (error) {
          quietFailures.push(`${name}: ${String(error)}`);
        }
      }
    }
    const memory = G.moduleMemoryBytes();
    const started = performance.now();
    const bigParse = G.parseConsentCsv(bigCsv);
    const bigSegment = G.evaluateSegmentCsv("Consent option=\"Opt \"\"3\"\"\" & Consent value=True", bigCsv);
    const bigMs = performance.now() - started;
    const longEmail = G.isValidEmail(`${"a".repeat(100_000)}@contoso.com`);
    const longRule = (() => {
      try {
        return G.evaluateSegment("(".repeat(50_000) + "Consent value=True" + ")".repeat(50_000), []);
      } catch (error) {
        return error.message.slice(0, 40);
      }
    })();
    // onLoad never throws and never rejects, whatever it is given.
    const onLoadOutcomes = [];
    for (const context of [undefined, null, 42, {}, { getFormContext: () => ({}) }, { getFormContext: () => null }, { getFormContext: () => 7 }, { getFormContext: () => { throw new Error("x"); } }]) {
      try {
        const result = ConsentGuard.onLoad(context, "{not json");
        await result;
        onLoadOutcomes.push(result instanceof Promise ? "resolved" : "not a promise");
      } catch (error) {
        onLoadOutcomes.push(`threw ${error}`);
      }
    }
    return {
      onLoadOutcomes,
      quietFailures,
      memory,
      tried,
      notErrors,
      polluted: ({}).polluted === true,
      bigRecords: bigParse.records.length,
      bigErrors: bigParse.errors.length,
      bigKeys: bigSegment.keys.length,
      bigMs,
      longEmail,
      longRule,
      afterwards: {
        save: G.evaluateSave({ entity: "contact", saveMode: 1, before: { email: "a@b.co" }, after: { donotemail: true } }).prompt,
        email: G.isValidEmail("holly@contoso.com"),
        segment: G.evaluateSegment("Consent option=A & Consent value=True", [{ key: "a@b.co", consents: { A: { value: true } } }]),
      },
    };
  });
  assert.deepEqual(report.onLoadOutcomes, Array(8).fill("resolved"));
  assert.equal(report.tried, 20 * 19);
  assert.deepEqual(report.quietFailures, [], "the Delete command never throws or rejects");
  assert.ok(Number.isInteger(report.memory) && report.memory > 0);
  assert.deepEqual(report.notErrors, [], "every failure is a ConsentGuardError");
  assert.equal(report.polluted, false, "no prototype pollution");
  assert.equal(report.bigRecords, 150_000);
  assert.equal(report.bigErrors, 0);
  assert.ok(report.bigKeys > 0);
  // The WHATWG production sets no length limit on the local part: answered, not crashed.
  assert.equal(report.longEmail, true);
  assert.match(report.longRule, /^evaluateSegment: column 65: the rule nes/);
  assert.deepEqual(report.afterwards, { save: true, email: true, segment: ["a@b.co"] });
  assert.deepEqual(pageErrors, []);
  await page.close();
});
