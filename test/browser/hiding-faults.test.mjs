// Email data stays hidden whenever a person's opt-out is set or cannot be known: an untick of
// GDPR Optout that is not saved, a fault before or without the rules module (the controls the
// settings name included), and Web API answers that do not hold what they should.
import { test } from "node:test";
import assert from "node:assert/strict";
import { note, state, useSimulatedForms } from "./simulated-forms.mjs";

const HOLLY = "11111111-1111-1111-1111-111111111111";
const FRANK = "22222222-2222-2222-2222-222222222222";
const OPPORTUNITY = "44444444-4444-4444-4444-444444444444";
const saved = { emailaddress1: "holly@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0 };
const people = () => ({
  [`contact:${HOLLY}`]: { fullname: "Holly Smith", msdyn_gdproptout: true, ...saved },
  [`contact:${FRANK}`]: { fullname: "Frank Lee", msdyn_gdproptout: false, ...saved, emailaddress1: "frank@contoso.com" },
});
/** Holly's contact form (opted out when saved), with `extra`. */
const hollyForm = (extra = {}) => ({ entity: "contact", id: HOLLY, attributes: { ...saved }, records: people(), ...extra });
const opportunity = (lookup) => ({
  entity: "opportunity",
  id: OPPORTUNITY,
  records: { ...people(), [`opportunity:${OPPORTUNITY}`]: { msdyn_gdproptout: false } },
  attributes: { parentcontactid: [lookup], name: "Deal" },
});
const holly = { id: HOLLY, name: "Holly Smith", entityType: "contact" };
const frank = { id: FRANK, name: "Frank Lee", entityType: "contact" };

const { context, openForm } = useSimulatedForms();
/** A page with the form and the bundle; see `openForm` for the options. */
const open = (spec, { settings, ...options } = {}) => openForm(spec, settings, options);
const visible = (page, name) => page.evaluate((n) => form.visible(n), name);
const pause = (page, ms) => page.evaluate((m) => new Promise((resolve) => setTimeout(resolve, m)), ms);

test("GDPR Optout unticked before the guard runs, and not saved, keeps the email data hidden", async () => {
  const page = await open(hollyForm({ attributes: { ...saved, msdyn_gdproptout: true } }), {
    // Another OnLoad handler or a business rule that ran first.
    prepare: () => form.set("msdyn_gdproptout", false),
  });
  assert.equal(await visible(page, "Timeline"), false);
  await page.close();
});

test("an unsaved untick kept through a refresh keeps the email data hidden", async () => {
  const page = await open(hollyForm({ attributes: { ...saved, msdyn_gdproptout: true } }));
  await page.evaluate(() => form.set("msdyn_gdproptout", false));
  await pause(page, 50);
  assert.equal(await visible(page, "Timeline"), false, "unticked, not saved");
  await page.evaluate(() => form.refresh({ keepChanges: true }));
  await pause(page, 100);
  assert.equal(await visible(page, "Timeline"), false, "still not saved after the refresh");
  await page.close();
});

test("a fault, or a module that cannot start, hides the controls the settings name too", async () => {
  const settings = { emailDataControls: ["notescontrol"], relationshipAnalyticsControls: ["analytics"] };
  const controls = ["notescontrol", "analytics"];
  // A platform fault during onLoad.
  let page = await open(hollyForm({ failAddOnLoad: true, controls }), { settings });
  assert.ok(note(await state(page), "consentguard.fault"));
  for (const name of ["Timeline", ...controls]) assert.equal(await visible(page, name), false, `fault: ${name}`);
  await page.close();
  // WebAssembly refused by the page's Content-Security-Policy.
  page = await open(hollyForm({ controls }), { settings: JSON.stringify(settings), csp: `script-src 'unsafe-inline' ${context.server.url}` });
  for (const name of ["Timeline", ...controls]) assert.equal(await visible(page, name), false, `no module: ${name}`);
  await page.close();
  // While onLoad is starting: hidden from its first moment.
  page = await open(hollyForm({ controls }), { load: false });
  const first = await page.evaluate((s) => {
    window.loading = ConsentGuard.onLoad(window.form.executionContext, s);
    return ["notescontrol", "analytics"].map((name) => form.visible(name));
  }, settings);
  assert.deepEqual(first, [false, false]);
  await page.evaluate(() => window.loading);
  await page.close();
});

test("controls named in an invalid list are hidden all the same, with or without the module", async () => {
  const controls = ["notescontrol", "emails", "analytics"];
  const settings = { emailDataControls: "notescontrol", relationshipAnalyticsControls: ["analytics", 3] };
  // Frank did not opt out: only the invalid settings hide anything.
  const frankForm = { ...hollyForm(), id: FRANK, attributes: { ...saved, emailaddress1: "frank@contoso.com" }, controls };
  let page = await open(frankForm, { settings });
  assert.ok(note(await state(page), "consentguard.settings"), "the invalid settings are reported");
  for (const name of ["Timeline", "notescontrol", "analytics"]) assert.equal(await visible(page, name), false, `module: ${name}`);
  await page.close();
  page = await open(frankForm, { settings: JSON.stringify(settings), csp: `script-src 'unsafe-inline' ${context.server.url}` });
  for (const name of ["Timeline", "notescontrol", "analytics"]) assert.equal(await visible(page, name), false, `no module: ${name}`);
  await page.close();
});

test("an own flag the Web API answers as no true or false keeps the email data hidden and says so", async () => {
  const answers = [
    [{ "@odata.etag": 'W/"1"' }, 1033, /could not be checked.*the answer leaves out msdyn_gdproptout/],
    [{ msdyn_gdproptout: "true" }, 1033, /could not be checked.*no true or false for msdyn_gdproptout but a string/],
    [{ msdyn_gdproptout: 1 }, 1043, /voor msdyn_gdproptout geen waar of onwaar maar een number/],
    [{}, 1036, /la réponse ne contient pas msdyn_gdproptout/],
  ];
  for (const [answer, userLanguageId, said] of answers) {
    const page = await open(hollyForm({ userLanguageId }), {
      prepare: `{
        const answer = ${JSON.stringify(answer)};
        const read = Xrm.WebApi.retrieveRecord.bind(Xrm.WebApi);
        Xrm.WebApi.retrieveRecord = (entity, id, options) =>
          options?.includes("msdyn_gdproptout") ? Promise.resolve(answer) : read(entity, id, options);
      }`,
    });
    const s = await state(page);
    assert.equal(s.timeline, false, JSON.stringify(answer));
    assert.match(note(s, "consentguard.emaildata").message, said, JSON.stringify(answer));
    await page.close();
  }
});

test("related people the Web API answers oddly keep the email data hidden and say so", async () => {
  // Flags as text.
  let page = await open(opportunity(holly), {
    prepare: () => {
      const read = Xrm.WebApi.retrieveMultipleRecords.bind(Xrm.WebApi);
      Xrm.WebApi.retrieveMultipleRecords = (entity, options) =>
        entity === "contact"
          ? read(entity, options).then((r) => ({ entities: r.entities.map((row) => ({ ...row, msdyn_gdproptout: String(row.msdyn_gdproptout) })) }))
          : read(entity, options);
    },
  });
  let s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /Holly Smith.*no true or false for msdyn_gdproptout but a string/);
  await page.close();
  // An answer that lists no records, after a lookup change.
  page = await open(opportunity(frank));
  assert.equal(await visible(page, "Timeline"), true);
  await page.evaluate(() => {
    const read = Xrm.WebApi.retrieveMultipleRecords.bind(Xrm.WebApi);
    Xrm.WebApi.retrieveMultipleRecords = (entity, options) => (entity === "contact" ? Promise.resolve({ value: [] }) : read(entity, options));
  });
  await page.evaluate((lookup) => form.set("parentcontactid", [lookup]), holly);
  await pause(page, 200);
  s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /could not be checked.*the answer lists no records/);
  await page.close();
});

test("a Timeline that a tab loads when first expanded takes the decision: hidden for an opt-out or without the module, shown otherwise", async () => {
  const tabs = { activities: ["LateTimeline"] };
  const timelines = ["Timeline", "LateTimeline"];
  const expand = (page) => page.evaluate(() => form.expandTab("activities"));
  // Holly opted out.
  let page = await open(hollyForm({ tabs, timelines }));
  assert.equal(await visible(page, "LateTimeline"), undefined, "not loaded yet");
  await expand(page);
  assert.equal(await visible(page, "LateTimeline"), false, "opted out");
  await page.close();
  // Frank did not.
  const frankForm = { ...hollyForm({ tabs, timelines }), id: FRANK, attributes: { ...saved, emailaddress1: "frank@contoso.com" } };
  page = await open(frankForm);
  await expand(page);
  assert.equal(await visible(page, "LateTimeline"), true, "not opted out");
  await page.close();
  // The module cannot start (Content-Security-Policy).
  page = await open(frankForm, { csp: `script-src 'unsafe-inline' ${context.server.url}` });
  await expand(page);
  assert.equal(await visible(page, "LateTimeline"), false, "no module");
  await page.close();
});
