// What a save is compared with: the values last saved, taken at load, after every save and after
// every refresh. A column the form does not hold as saved (not on the form, or already changed
// when onLoad runs) is read through the Web API each time, so that a save that would make the
// connector anonymize the contact always asks.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { useBrowser } from "./chromium.mjs";
import { harnessScript } from "../harness/bundle.mjs";
import { command, settle, state } from "./simulated-forms.mjs";

const FRANK = "22222222-2222-2222-2222-222222222222";
const RECORD = `contact:${FRANK}`;
const saved = (extra) => ({ fullname: "Frank Lee", emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false, ...extra });

const context = useBrowser();
let harness;
before(async () => {
  harness = await harnessScript();
});

/** A page with Frank's contact form (`attributes` on it, `record` saved; no record for a contact being created) and the bundle; `beforeLoad` runs before `onLoad`, whose promise is `window.loading`. */
async function startForm({ attributes, record, latencyMs }, settings, beforeLoad) {
  const page = await context.browser.newPage();
  await page.setContent("<!doctype html><title>form</title>");
  await page.addScriptTag({ content: harness });
  const saved = record ? { id: FRANK, records: { [RECORD]: record } } : {};
  await page.evaluate((s) => void Harness.form(s), { entity: "contact", attributes, latencyMs, ...saved });
  await page.addScriptTag({ url: `${context.server.url}/dist/consentguard.js` });
  if (beforeLoad) await page.evaluate(beforeLoad);
  await page.evaluate((s) => {
    window.loading = ConsentGuard.onLoad(window.form.executionContext, s);
  }, settings);
  return page;
}

const set = (page, name, value) => page.evaluate(([n, v]) => form.set(n, v), [name, value]);
/** Change the saved record elsewhere, then refresh the form. */
const changedElsewhere = (page, change) =>
  page.evaluate(
    ([key, change]) => {
      form.records[key] = { ...form.records[key], ...change };
      form.refresh();
    },
    [RECORD, change],
  );

/** Save the form; the save must be cancelled with one dialog. */
async function saveAsks(page, why) {
  assert.equal(await command(page, 1), false, `${why}: the save is cancelled`);
  const { dialogs } = await state(page);
  assert.equal(dialogs.length, 1, `${why}: and the user is asked`);
}

test("after Activate, a column not on the form (the state) is read again: a later save that anonymizes asks", async () => {
  // Inactive when the form opened, the state not on the form: the guard read it (inactive).
  const page = await startForm(
    { attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, msdyn_gdproptout: false }, record: saved({ statecode: 1 }) },
    { anonymizeWhenInactive: true },
  );
  await page.evaluate(() => window.loading);
  await settle(page);
  assert.equal(await command(page, 6), true, "Activate goes through");
  await settle(page);
  await set(page, "donotemail", true);
  await saveAsks(page, "Do Not Email on the contact that is active again");
  await page.close();
});

test("after a refresh, a column not on the form is judged by its saved value then", async () => {
  // Do Not Email is not on this form and was set when it opened; it is cleared elsewhere.
  const page = await startForm({
    attributes: { emailaddress1: "frank@contoso.com", donotbulkemail: false, statecode: 0, msdyn_gdproptout: false },
    record: saved({ donotemail: true }),
  });
  await page.evaluate(() => window.loading);
  await settle(page);
  await changedElsewhere(page, { donotemail: false });
  await settle(page);
  const reads = (await state(page)).calls.filter((c) => c.method === "retrieveRecord" && /donotemail/.test(c.options ?? ""));
  assert.equal(reads.length, 2, "read at load and again after the refresh");
  await set(page, "emailaddress1", "");
  await saveAsks(page, "the only valid email removed from a contact without Do Not Email");
  await page.close();
});

test("a refresh while the guard is still starting is not lost", async () => {
  // Do Not Email set when the form opened (already anonymized); cleared elsewhere and the form
  // refreshed while the org's settings are still being read.
  const page = await startForm({
    attributes: { emailaddress1: "frank@contoso.com", donotemail: true, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false },
    record: saved({ donotemail: true }),
    latencyMs: 400,
  });
  await changedElsewhere(page, { donotemail: false });
  assert.equal(await page.evaluate(() => form.value("donotemail")), false, "the refresh brought the cleared value");
  await page.evaluate(() => window.loading);
  await settle(page);
  await set(page, "donotemail", true);
  await saveAsks(page, "Do Not Email set again after the refresh");
  await page.close();
});

test("a value already changed when onLoad runs is not taken for a saved one", async () => {
  // Another OnLoad handler (or a business rule) that ran first set Do Not Email.
  const page = await startForm(
    { attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false }, record: saved() },
    undefined,
    () => form.formContext.getAttribute("donotemail").setValue(true),
  );
  assert.equal(await page.evaluate(() => form.formContext.getAttribute("donotemail").getIsDirty()), true);
  await page.evaluate(() => window.loading);
  await settle(page);
  await saveAsks(page, "Do Not Email set before the guard started");
  assert.equal(await page.evaluate((key) => form.records[key].donotemail, RECORD), false, "nothing was saved");
  await page.close();
});

test("a contact created on this form: once first saved, its later saves are compared with what was saved", async () => {
  const page = await startForm({ attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0 } });
  await page.evaluate(() => window.loading);
  await settle(page);
  assert.equal(await command(page, 1), true, "the first save creates the contact");
  await settle(page);
  await set(page, "donotemail", true);
  await saveAsks(page, "Do Not Email on the contact just created");
  await page.close();
});

test("a save reads the columns not on the form once: the read after PostSave answers for the data OnLoad that follows", async () => {
  // Inactive when the form opened, the state not on the form.
  const page = await startForm(
    { attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, msdyn_gdproptout: false, telephone1: null }, record: saved({ statecode: 1 }), latencyMs: 20 },
    { anonymizeWhenInactive: true },
  );
  await page.evaluate(() => window.loading);
  await settle(page);
  const stateReads = () => page.evaluate(() => form.calls.filter((c) => c.method === "retrieveRecord" && /statecode/.test(c.options ?? "")).length);
  const wait = () => page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
  assert.equal(await stateReads(), 1, "at load");
  await set(page, "telephone1", "555");
  assert.equal(await command(page, 1), true);
  await wait();
  assert.equal(await stateReads(), 2, "one more for the save");
  // A refresh later reads again: here the contact was activated elsewhere, and what the read
  // gives counts: Do Not Email on an active contact asks.
  await changedElsewhere(page, { statecode: 0 });
  await wait();
  assert.equal(await stateReads(), 3, "one more for the refresh");
  await set(page, "donotemail", true);
  await saveAsks(page, "Do Not Email on a contact activated elsewhere");
  await page.close();
});

test("a save's read answers only for the data OnLoad of that save: an Activate or a refresh meanwhile reads anew", async () => {
  const wait = (page) => page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 400)));
  // Inactive when opened, the state not on the form, and a Web API slow enough that the save's
  // read is still under way when the next command comes.
  const inactive = () =>
    startForm(
      { attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, msdyn_gdproptout: false, telephone1: null }, record: saved({ statecode: 1 }), latencyMs: 300 },
      { anonymizeWhenInactive: true },
    );
  // Activate while the save's read is under way.
  let page = await inactive();
  await page.evaluate(() => window.loading);
  await wait(page);
  await set(page, "telephone1", "555");
  assert.equal(await command(page, 1), true);
  assert.equal(await command(page, 6), true, "Activate");
  await wait(page);
  await set(page, "donotemail", true);
  await saveAsks(page, "Do Not Email after Activate");
  await page.close();
  // Activated elsewhere and refreshed while the save's read is under way.
  page = await inactive();
  await page.evaluate(() => window.loading);
  await wait(page);
  await set(page, "telephone1", "555");
  assert.equal(await command(page, 1), true);
  await changedElsewhere(page, { statecode: 0 });
  await wait(page);
  await set(page, "donotemail", true);
  await saveAsks(page, "Do Not Email after a refresh");
  await page.close();
});
