// The built dist/consentguard.js in headless Chromium, loaded as a classic script the way a
// Dynamics 365 form loads a web resource: every export through the real boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser } from "./chromium.mjs";

const context = useBrowser();

/** A fresh page with the bundle loaded (`times` script tags) and, unless told not to, ready. */
async function pageWithBundle({ times = 1, ready = true } = {}) {
  const page = await context.browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  const tags = Array.from({ length: times }, () => `<script src="${context.server.url}/dist/consentguard.js"></script>`);
  await page.setContent(`<!doctype html><title>bundle</title>${tags.join("")}`);
  if (ready) await page.evaluate(() => ConsentGuard.ready());
  page.uncaughtErrors = errors;
  return page;
}

test("the script defines ConsentGuard, whose functions throw until ready() resolves", async () => {
  const page = await context.browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  // The checks run in the same script as the bundle, right after it: no task or microtask can
  // have run in between, so the module's instantiation (which starts at once) cannot have finished.
  const source = await (await fetch(`${context.server.url}/dist/consentguard.js`)).text();
  await page.setContent("<!doctype html><title>early</title>");
  await page.addScriptTag({
    content: `${source}
      try { ConsentGuard.isValidEmail("a@b.co"); window.early = "no error"; }
      catch (e) { window.early = { isError: e instanceof Error, name: e.name, message: e.message }; }
      window.readyEarly = ConsentGuard.isReady();`,
  });
  const before = await page.evaluate(() => ({
    names: Object.keys(ConsentGuard).sort(),
    error: window.early,
    frozen: Object.isFrozen(ConsentGuard),
    ready: window.readyEarly,
  }));
  for (const name of ["ready", "onLoad", "evaluateSave", "isValidEmail", "interpretAnonymizeResponse", "parseConsentCsv", "unifyConsent", "evaluateSegment", "evaluateSegmentCsv"]) {
    assert.ok(before.names.includes(name), `ConsentGuard.${name}`);
  }
  assert.equal(before.frozen, true);
  assert.equal(before.ready, false);
  assert.deepEqual(before.error, {
    isError: true,
    name: "ConsentGuardError",
    message: "isValidEmail: the rules module is not ready; await ready() first (ConsentGuard.ready() in the web resource)",
  });
  const after = await page.evaluate(async () => {
    const first = ConsentGuard.ready();
    const same = first === ConsentGuard.ready();
    await first;
    return { same, ready: ConsentGuard.isReady(), valid: ConsentGuard.isValidEmail("a@b.co") };
  });
  assert.deepEqual(after, { same: true, ready: true, valid: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("loading the script twice keeps the first ConsentGuard", async () => {
  const page = await context.browser.newPage();
  await page.setContent(
    `<!doctype html><script src="${context.server.url}/dist/consentguard.js"></script>` +
      `<script>window.firstGuard = ConsentGuard;</script>` +
      `<script src="${context.server.url}/dist/consentguard.js"></script>`,
  );
  const result = await page.evaluate(async () => {
    await ConsentGuard.ready();
    return { same: window.firstGuard === ConsentGuard, works: ConsentGuard.interpretAnonymizeResponse(410) };
  });
  assert.deepEqual(result, { same: true, works: "anonymized" });
  await page.close();
});

test("evaluateSave returns the verdict's full shape, in the user's language", async () => {
  const page = await pageWithBundle();
  const verdicts = await page.evaluate(() => {
    const before = { email: "holly@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0 };
    return {
      prompt: ConsentGuard.evaluateSave({ entity: "contact", saveMode: 1, before, after: { donotemail: true } }),
      autosave: ConsentGuard.evaluateSave({ entity: "contact", saveMode: 70, before, after: { email: null } }),
      bulk: ConsentGuard.evaluateSave({ entity: "lead", saveMode: 2, before, after: { donotbulkemail: true } }),
      dutch: ConsentGuard.evaluateSave({
        entity: "lead", saveMode: 15, before, after: {}, settings: { anonymizeWhenInactive: true }, languageId: 1043,
      }),
      create: ConsentGuard.evaluateSave({ entity: "contact", saveMode: 1, before: null, after: { donotemail: true } }),
      recreate: ConsentGuard.evaluateSave({
        entity: "contact", saveMode: 1, before: { ...before, donotemail: true }, after: { donotemail: false }, languageId: 1031,
      }),
    };
  });
  assert.deepEqual(Object.keys(verdicts.prompt), ["anonymize", "resetPermissions", "prompt", "block", "reasons", "notices"]);
  assert.deepEqual(verdicts.prompt, {
    anonymize: true,
    resetPermissions: false,
    prompt: true,
    block: false,
    reasons: [{
      code: "DoNotEmail",
      message: "Saving will make Spotler anonymize this contact at the next sync (Do Not Email is set). This cannot be undone.",
    }],
    notices: [],
  });
  assert.equal(verdicts.autosave.block, true);
  assert.equal(verdicts.autosave.prompt, false);
  assert.deepEqual(verdicts.autosave.reasons.map((r) => r.code), ["NoValidEmail"]);
  assert.deepEqual(
    { ...verdicts.bulk, reasons: verdicts.bulk.reasons.map((r) => r.code) },
    { anonymize: false, resetPermissions: true, prompt: false, block: false, reasons: ["BulkEmailOptOut"], notices: [] },
  );
  assert.equal(verdicts.dutch.prompt, true);
  assert.match(verdicts.dutch.reasons[0].message, /^Als u opslaat, anonimiseert Spotler deze contactpersoon /);
  assert.deepEqual(verdicts.create, { anonymize: false, resetPermissions: false, prompt: false, block: false, reasons: [], notices: [] });
  assert.equal(verdicts.recreate.notices[0].code, "Recreate");
  assert.match(verdicts.recreate.notices[0].message, /Synchronisierung/);
  await page.close();
});

test("isValidEmail and interpretAnonymizeResponse", async () => {
  const page = await pageWithBundle();
  const result = await page.evaluate(() => ({
    emails: ["holly@contoso.com", " frank+news@contoso.co.uk ", "", "holly@contoso", "holly.contoso.com",
      "holly@@contoso.com", "frank@-contoso.com", "frank@contoso.com."].map((e) => ConsentGuard.isValidEmail(e)),
    statuses: [410, 404, 200, 500, 0, 70000, -1].map((s) => ConsentGuard.interpretAnonymizeResponse(s)),
  }));
  assert.deepEqual(result.emails, [true, true, false, false, false, false, false, false]);
  assert.deepEqual(result.statuses, ["anonymized", "alreadyAnonymized", "failed", "failed", "failed", "failed", "failed"]);
  await page.close();
});

test("the consent pipeline on the seed's table: CSV, unification, the two segments", async () => {
  const page = await pageWithBundle();
  const result = await page.evaluate(() => {
    const csv = "Consent ID,Email,Consent option,Consent value\n1,holly@contoso.com,Newsletter,False\n" +
      "2,holly@contoso.com,Product updates,True\n3,Frank@Contoso.com,Newsletter,True\n4,frank@contoso.com,Product updates,False\n" +
      "5,ann@contoso.com,Newsletter,perhaps\n";
    const parsed = ConsentGuard.parseConsentCsv(csv);
    const profiles = ConsentGuard.unifyConsent(parsed.records);
    return {
      parsed,
      profiles,
      newsletter: ConsentGuard.evaluateSegment("Consent option=Newsletter & Consent value=True", profiles),
      updates: ConsentGuard.evaluateSegment("Consent option=Product updates & Consent value=True", profiles),
    };
  });
  assert.deepEqual(result.parsed.records[0], { consentId: "1", key: "holly@contoso.com", option: "Newsletter", value: false });
  assert.equal(result.parsed.records[2].key, "frank@contoso.com");
  assert.deepEqual(result.parsed.errors, [{ line: 6, message: "Consent value 'perhaps' is not one of true/false, yes/no, 1/0" }]);
  assert.deepEqual(result.profiles, [
    { key: "holly@contoso.com", consents: { Newsletter: { value: false, consentId: "1" }, "Product updates": { value: true, consentId: "2" } } },
    { key: "frank@contoso.com", consents: { Newsletter: { value: true, consentId: "3" }, "Product updates": { value: false, consentId: "4" } } },
  ]);
  assert.deepEqual(result.newsletter, ["frank@contoso.com"]);
  assert.deepEqual(result.updates, ["holly@contoso.com"]);
  await page.close();
});

test("bad input throws an Error naming the field or position, and the module keeps working", async () => {
  const page = await pageWithBundle();
  const outcomes = await page.evaluate(() => {
    const cyclic = { entity: "contact", saveMode: 1, before: null };
    cyclic.after = cyclic;
    const attempts = {
      misspelt: () => ConsentGuard.evaluateSave({ entity: "contact", saveMode: 1, before: null, after: { donotemial: true } }),
      wrongType: () => ConsentGuard.evaluateSave({ entity: "contact", saveMode: 1, before: { donotemail: "yes" }, after: {} }),
      functionValue: () => ConsentGuard.evaluateSave({ entity: "contact", saveMode: 1, before: null, after: { donotemail: () => true } }),
      missingBefore: () => ConsentGuard.evaluateSave({ entity: "contact", saveMode: 1, after: {} }),
      nanMode: () => ConsentGuard.evaluateSave({ entity: "contact", saveMode: NaN, before: null, after: {} }),
      cyclic: () => ConsentGuard.evaluateSave(cyclic),
      proto: () => ConsentGuard.evaluateSave(JSON.parse('{"entity":"contact","saveMode":1,"before":null,"after":{},"__proto__":{"x":1}}')),
      emailNumber: () => ConsentGuard.isValidEmail(42),
      statusText: () => ConsentGuard.interpretAnonymizeResponse("410"),
      statusFraction: () => ConsentGuard.interpretAnonymizeResponse(410.5),
      csvNull: () => ConsentGuard.parseConsentCsv(null),
      recordValue: () => ConsentGuard.unifyConsent([{ key: "a@b.co", option: "News", value: true }, { key: "a@b.co", option: "News", value: "yes" }]),
      recordDate: () => ConsentGuard.unifyConsent([{ key: "a@b.co", option: "News", value: true, date: "someday" }]),
      notArray: () => ConsentGuard.unifyConsent({}),
      rule: () => ConsentGuard.evaluateSegment("Consent option=", []),
      ruleLines: () => ConsentGuard.evaluateSegment("Consent value=True &\n  Consent option=", []),
      csvRule: () => ConsentGuard.evaluateSegmentCsv("Consent option=", "Email,Consent option,Consent value\n"),
      emptyKey: () => ConsentGuard.unifyConsent([{ key: "a@b.co", option: "News", value: true }, { key: " ", option: "News", value: true }]),
      profiles: () => ConsentGuard.evaluateSegment("Consent value=True", [{ key: "a@b.co", consents: { News: { value: 1 } } }]),
    };
    const results = {};
    for (const [name, attempt] of Object.entries(attempts)) {
      try {
        results[name] = { returned: attempt() };
      } catch (e) {
        results[name] = {
          isError: e instanceof Error,
          isGuardError: e instanceof ConsentGuard.ConsentGuardError,
          message: e.message,
          properties: { code: e.code, path: e.path, line: e.line, column: e.column },
        };
      }
    }
    results.afterwards = ConsentGuard.evaluateSave({ entity: "contact", saveMode: 1, before: { email: "a@b.co" }, after: { donotemail: true } }).prompt;
    return results;
  });
  const expected = {
    misspelt: "evaluateSave: request.after.donotemial: unknown field; expected one of email, donotemail, donotbulkemail, statecode",
    wrongType: 'evaluateSave: request.before.donotemail: expected true or false, got the string "yes"',
    functionValue: "evaluateSave: request.after.donotemail: expected true or false, got a function",
    missingBefore: "evaluateSave: request.before: missing field",
    nanMode: "evaluateSave: request.saveMode: expected an integer from 0 to 4294967295, got NaN",
    cyclic: "evaluateSave: request.after",
    proto: "evaluateSave: request.__proto__: unknown field",
    emailNumber: "isValidEmail: text: expected a string, got the number 42",
    statusText: 'interpretAnonymizeResponse: status: expected an integer, got the string "410"',
    statusFraction: "interpretAnonymizeResponse: status: expected an integer from",
    csvNull: "parseConsentCsv: text: expected a string, got null",
    recordValue: 'unifyConsent: records[1].value: expected true or false, got the string "yes"',
    recordDate: "unifyConsent: records[0].date: 'someday' is not a date or date-time written as 2024-05-03 or 2024-05-03T10:15:00Z",
    notArray: "unifyConsent: records: expected an array, got an object",
    rule: "evaluateSegment: column 16: expected a value after '='",
    ruleLines: "evaluateSegment: line 2, column 18: expected a value after '='",
    csvRule: "evaluateSegmentCsv: column 16:",
    emptyKey: "unifyConsent: records[1].key: the key is empty",
    profiles: "evaluateSegment: profiles[0].consents.News.value: expected true or false, got the number 1",
  };
  // Positions as properties, so that no caller reads them out of the text.
  const input = (path) => ({ code: "invalidInput", path, line: undefined, column: undefined });
  const properties = {
    misspelt: input("request.after.donotemial"),
    wrongType: input("request.before.donotemail"),
    missingBefore: input("request.before"),
    emailNumber: input("text"),
    recordValue: input("records[1].value"),
    notArray: input("records"),
    profiles: input("profiles[0].consents.News.value"),
    rule: { code: "invalidRule", path: undefined, line: 1, column: 16 },
    ruleLines: { code: "invalidRule", path: undefined, line: 2, column: 18 },
    csvRule: { code: "invalidRule", path: undefined, line: 1, column: 16 },
    emptyKey: { code: "invalidRecord", path: "records[1].key", line: undefined, column: undefined },
  };
  for (const [name, expectedProperties] of Object.entries(properties)) {
    assert.deepEqual(outcomes[name].properties, expectedProperties, name);
  }
  for (const [name, start] of Object.entries(expected)) {
    const outcome = outcomes[name];
    assert.equal(outcome.isError, true, `${name} throws an Error (got ${JSON.stringify(outcome)})`);
    assert.equal(outcome.isGuardError, true, `${name} throws a ConsentGuardError`);
    assert.ok(outcome.message.startsWith(start), `${name}: ${outcome.message}`);
  }
  assert.equal(outcomes.afterwards, true, "a call after the errors still works");
  await page.close();
});

test("the warm-up after instantiation leaves every answer as a first call would give it", async () => {
  const page = await pageWithBundle();
  // The warm-up runs in a task of its own after ready(): let it run first.
  const answers = await page.evaluate(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const request = (languageId) => ({ entity: "contact", saveMode: 1, before: { email: "holly@contoso.com" }, after: { donotemail: true }, languageId });
    return {
      dutch: ConsentGuard.evaluateSave(request(1043)).reasons.map((r) => r.message),
      english: ConsentGuard.evaluateSave(request(undefined)).reasons.map((r) => r.message),
      lead: ConsentGuard.evaluateSave({ ...request(1031), entity: "lead", before: { email: "a@b.co", statecode: 0 }, after: { statecode: 1 }, settings: { anonymizeWhenInactive: true } }).prompt,
      account: ConsentGuard.evaluateSave({ ...request(1033), entity: "account" }).prompt,
    };
  });
  assert.deepEqual(answers.dutch, [
    "Als u opslaat, anonimiseert Spotler deze contactpersoon bij de volgende synchronisatie (Geen e-mail is ingesteld). Dit kan niet ongedaan worden gemaakt.",
  ]);
  assert.deepEqual(answers.english, [
    "Saving will make Spotler anonymize this contact at the next sync (Do Not Email is set). This cannot be undone.",
  ]);
  assert.equal(answers.lead, true);
  assert.equal(answers.account, false);
  assert.deepEqual(page.uncaughtErrors, []);
  await page.close();
});
