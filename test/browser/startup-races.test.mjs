// What happens while onLoad is still starting (the rules module, the org's settings and the
// record's own flag being read) and when reads come back out of order or the form is refreshed:
// the email data never shows on a guess, and no save slips past the guard or is judged against
// values the user typed.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { useBrowser } from "./chromium.mjs";
import { harnessScript } from "../harness/bundle.mjs";
import { answer, command, note, settle, state } from "./simulated-forms.mjs";

const HOLLY = "11111111-1111-1111-1111-111111111111";
const FRANK = "22222222-2222-2222-2222-222222222222";
const ACCOUNT = "33333333-3333-3333-3333-333333333333";
/** Frank's contact form, Do Not Email off and his GDPR Optout on the form (false), with `extra` (a Web API latency). */
const frankForm = (extra = {}) => ({
  entity: "contact",
  id: FRANK,
  attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false },
  records: { [`contact:${FRANK}`]: saved({ msdyn_gdproptout: false }) },
  ...extra,
});
const saved = (extra) => ({ fullname: "Frank Lee", emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, ...extra });

const context = useBrowser();
let harness;
before(async () => {
  harness = await harnessScript();
});

/** A page with a simulated form and the bundle loaded; `onLoad` is called and left running (its promise is `window.loading`). */
async function startForm(spec, settings) {
  const page = await context.browser.newPage();
  await page.setContent("<!doctype html><title>form</title>");
  await page.addScriptTag({ content: harness });
  await page.evaluate((s) => void Harness.form(s), spec);
  await page.addScriptTag({ url: `${context.server.url}/dist/consentguard.js` });
  await page.evaluate((s) => {
    window.loading = ConsentGuard.onLoad(window.form.executionContext, s);
  }, settings);
  return page;
}

const loaded = (page) => page.evaluate(() => window.loading);
const set = (page, name, value) => page.evaluate(([n, v]) => form.set(n, v), [name, value]);
/** Wait until the record's own GDPR Optout has been asked for through the Web API `count` times. */
const ownReads = (page, count) =>
  page.waitForFunction((n) => form.calls.filter((c) => c.method === "retrieveRecord" && /msdyn_gdproptout/.test(c.options ?? "")).length >= n, count);

test("a lookup changed while the record's own flag is still being read leaves the email data hidden", async () => {
  // Holly opted out; her flag is not on the form, so it is read, slowly. The lookup's change
  // needs no read of its own (it points at an account), so it would decide at once.
  const page = await startForm({
    entity: "contact",
    id: HOLLY,
    attributes: { emailaddress1: "holly@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, parentcustomerid: [] },
    records: { [`contact:${HOLLY}`]: { fullname: "Holly Smith", msdyn_gdproptout: true } },
    latencyMs: 300,
  });
  await ownReads(page, 1);
  await set(page, "parentcustomerid", [{ id: ACCOUNT, name: "Contoso", entityType: "account" }]);
  await settle(page);
  assert.equal((await state(page)).timeline, false, "not shown before the own flag is known");
  await loaded(page);
  assert.equal((await state(page)).timeline, false, "hidden once known: she opted out");
  await page.close();
});

test("an older read of the own flag that comes back after a newer one does not undo it", async () => {
  const page = await startForm({
    entity: "contact",
    id: FRANK,
    attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0 },
    records: { [`contact:${FRANK}`]: saved({ msdyn_gdproptout: false }) },
    latencyMs: 400,
  });
  // The first read is under way (it will answer "not opted out"); on the server the flag is then
  // set, and the user refreshes: the second read answers at once, before the first.
  await ownReads(page, 1);
  await page.evaluate((key) => {
    form.records[key] = { ...form.records[key], msdyn_gdproptout: true };
    form.latency(0);
    form.refresh();
  }, `contact:${FRANK}`);
  await ownReads(page, 2);
  await loaded(page);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  assert.equal((await state(page)).timeline, false, "the newer read (opted out) stands");
  await page.close();
});

test("onLoad resolves once the newest read of the own flag has decided, when a refresh started it", async () => {
  // The first read is under way; a refresh starts a second, slower one. The first one's answer
  // no longer decides, so onLoad waits for the second, and the data is shown when it resolves.
  const page = await startForm({
    ...frankForm({ latencyMs: 200 }),
    attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0 },
  });
  await ownReads(page, 1);
  await page.evaluate(() => {
    form.latency(600);
    form.refresh();
  });
  await ownReads(page, 2);
  await loaded(page);
  assert.equal((await state(page)).timeline, true, "decided by the newest read: Frank did not opt out");
  await page.close();
});

test("a save while onLoad is starting is held, then judged by the rules: Do Not Email asks", async () => {
  const page = await startForm(frankForm({ latencyMs: 300 }));
  await set(page, "donotemail", true);
  assert.equal(await command(page, 1), false, "held: the guard is not known yet");
  assert.equal(await command(page, 70), false, "an AutoSave meanwhile is held too");
  await loaded(page);
  await page.waitForFunction(() => form.dialogs.length === 1);
  let s = await state(page);
  assert.deepEqual(s.saves, [], "nothing saved before the user answers");
  await answer(page, true);
  s = await state(page);
  assert.deepEqual(s.saves, [1], "saved once, after the confirmation");
  assert.equal(s.dialogs.length, 1);
  await page.close();
});

test("a value typed while onLoad is starting is not taken for a saved one", async () => {
  const page = await startForm(frankForm({ latencyMs: 200 }));
  await set(page, "donotemail", true);
  await loaded(page);
  assert.equal(await command(page, 1), false, "the save that sets Do Not Email asks");
  const s = await state(page);
  assert.equal(s.dialogs.length, 1);
  assert.deepEqual(s.saves, []);
  await page.close();
});

test("after a refresh, saves are judged against the values the refresh brought", async () => {
  // Loaded with Do Not Email set; elsewhere it is cleared; the user refreshes and sets it again.
  const page = await startForm({
    entity: "contact",
    id: FRANK,
    attributes: { emailaddress1: "frank@contoso.com", donotemail: true, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false },
    records: { [`contact:${FRANK}`]: saved({ donotemail: true, msdyn_gdproptout: false }) },
  });
  await loaded(page);
  await page.evaluate((key) => {
    form.records[key] = { ...form.records[key], donotemail: false };
    form.refresh();
  }, `contact:${FRANK}`);
  await settle(page);
  assert.equal(await page.evaluate(() => form.value("donotemail")), false);
  await set(page, "donotemail", true);
  assert.equal(await command(page, 1), false, "setting Do Not Email again asks");
  assert.equal((await state(page)).dialogs.length, 1);
  await page.close();
});

test("a Deactivate while onLoad is starting is asked about once: the repeated command then passes", async () => {
  const page = await startForm(
    frankForm({ latencyMs: 200 }),
    { anonymizeWhenInactive: true },
  );
  assert.equal(await command(page, 5), false, "held while the guard starts");
  await loaded(page);
  await page.waitForFunction(() => form.dialogs.length === 1);
  await answer(page, true);
  let s = await state(page);
  assert.match(note(s, "consentguard.confirmed").message, /choose Deactivate again/);
  assert.equal(await command(page, 5), true, "the repeated Deactivate goes ahead without a second dialog");
  s = await state(page);
  assert.deepEqual(s.saves, [5]);
  assert.equal(s.dialogs.length, 1);
  await page.close();
});

test("a harmless Deactivate held while onLoad is starting is not called confirmed: the user repeats it", async () => {
  // "Anonymize Contact When Inactive" off: Deactivate needs no dialog, but it came before the
  // guard knew that, and a script cannot carry it out afterwards.
  const page = await startForm(frankForm({ latencyMs: 200 }));
  assert.equal(await command(page, 5), false, "held while the guard starts");
  await loaded(page);
  await settle(page);
  let s = await state(page);
  assert.equal(s.dialogs.length, 0, "nothing to ask");
  const notice = note(s, "consentguard.confirmed");
  assert.match(notice.message, /^Not done yet: consent-guard was still checking this form/);
  assert.doesNotMatch(notice.message, /Confirmed/);
  assert.equal(await command(page, 5), true, "the repeated Deactivate goes ahead");
  s = await state(page);
  assert.deepEqual(s.saves, [5]);
  assert.equal(note(s, "consentguard.confirmed"), undefined, "and the notice goes");
  await page.close();
});

test("a refresh that keeps a value the user typed does not take it for a saved one", async () => {
  const page = await startForm(frankForm());
  await loaded(page);
  await set(page, "donotemail", true);
  // Another script refreshes the data without saving; the platform keeps the typed value (changed).
  await page.evaluate(() => form.refresh({ keepChanges: true }));
  await settle(page);
  assert.equal(await command(page, 1), false, "the save that sets Do Not Email still asks");
  await page.close();
});

