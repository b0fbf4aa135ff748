// ConsentGuard.onLoad on simulated Contact, Lead, Opportunity and Account forms (xrm-mock plus
// the harness's Web API, save pipeline and dialogs), against the built dist/consentguard.js.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { useBrowser } from "./chromium.mjs";
import { harnessScript } from "../harness/bundle.mjs";
import { answer, command, dataReads, note, state } from "./simulated-forms.mjs";

const HOLLY = "11111111-1111-1111-1111-111111111111";
const FRANK = "22222222-2222-2222-2222-222222222222";
const ACCOUNT = "33333333-3333-3333-3333-333333333333";
const OPPORTUNITY = "44444444-4444-4444-4444-444444444444";
const LEAD = "55555555-5555-5555-5555-555555555555";
const people = {
  [`contact:${HOLLY}`]: { fullname: "Holly Smith", msdyn_gdproptout: true, parentcustomerid: ACCOUNT, _parentcustomerid_value: ACCOUNT },
  [`contact:${FRANK}`]: { fullname: "Frank Lee", msdyn_gdproptout: false, emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0 },
};
const holly = [{ id: `{${HOLLY.toUpperCase()}}`, name: "Holly Smith", entityType: "contact" }];
const frank = [{ id: FRANK, name: "Frank Lee", entityType: "contact" }];

const context = useBrowser();
let harness;

before(async () => {
  harness = await harnessScript();
});


/** A page with a simulated form and the bundle loaded; `onLoad` is called unless `load: false`. */
async function openForm(spec, { settings, clock = false, csp, load = true } = {}) {
  const page = await context.browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  if (clock) await page.clock.install();
  const meta = csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : "";
  await page.setContent(`<!doctype html>${meta}<title>form</title>`);
  await page.addScriptTag({ content: harness });
  await page.evaluate((s) => void Harness.form(s), spec);
  await page.addScriptTag({ url: `${context.server.url}/dist/consentguard.js` });
  page.errors = errors;
  if (load) await onLoad(page, settings);
  return page;
}

const onLoad = (page, settings) => page.evaluate((s) => ConsentGuard.onLoad(window.form.executionContext, s), settings);
const set = (page, name, value) => page.evaluate(([n, v]) => form.set(n, v), [name, value]);

const contact = (attributes = {}, extra = {}) => ({
  entity: "contact",
  id: FRANK,
  attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, ...attributes },
  records: people,
  ...extra,
});

test("a contact whose GDPR Optout is on the form and true: the timeline is hidden when onLoad resolves", async () => {
  const page = await openForm(contact({ msdyn_gdproptout: true }));
  const s = await state(page);
  assert.equal(s.timeline, false);
  assert.deepEqual(note(s, "consentguard.emaildata"), {
    id: "consentguard.emaildata", level: "INFO", message: "Email data is hidden: this record has GDPR Optout set.",
  });
  assert.deepEqual(s.calls.filter((c) => c.options?.includes("msdyn_gdproptout")), [], "no Web API read when the column is on the form");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the warm-up before OnLoad leaves the open form untouched and reads nothing for it; OnLoad then guards it as usual", async () => {
  // An opted-out contact with a related record, so that touching this form or reading for it
  // would show; the org's settings cannot be read, so that the warm-up reading them again would too.
  const spec = contact({ msdyn_gdproptout: true, parentcustomerid: holly }, { webApi: { rejectEntities: ["environmentvariabledefinition"] } });
  const page = await openForm(spec, { load: false });
  // The warm-up runs in a task of its own once the module is ready: let it run.
  await page.evaluate(() => ConsentGuard.ready().then(() => new Promise((resolve) => setTimeout(resolve, 100))));
  const before = await state(page);
  assert.equal(before.timeline, true, "the timeline is as the form opened it");
  assert.deepEqual(before.notifications, []);
  assert.deepEqual(
    before.calls.map((c) => c.entity),
    ["environmentvariabledefinition"],
    "no Web API call but the script's own read of the org's settings, not repeated when it failed",
  );
  await onLoad(page);
  const after = await state(page);
  assert.equal(after.timeline, false);
  assert.ok(note(after, "consentguard.emaildata"));
  assert.ok(
    dataReads(after).some((c) => c.entity === "contact" && c.options.includes(`contactid eq ${HOLLY}`)),
    "the related contact is read now",
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the flag not on the form is read through the Web API; not opted out shows the timeline", async () => {
  const page = await openForm(contact());
  const s = await state(page);
  assert.equal(s.timeline, true);
  assert.deepEqual(dataReads(s)[0], { method: "retrieveRecord", entity: "contact", id: FRANK, options: "?$select=msdyn_gdproptout" });
  assert.equal(s.notifications.length, 0);
  await page.close();
});

test("a new record (no id) shows the timeline without reading anything", async () => {
  const page = await openForm({ entity: "lead", attributes: { emailaddress1: null, donotemail: false } });
  const s = await state(page);
  assert.equal(s.timeline, true);
  assert.deepEqual(dataReads(s), []);
  await page.close();
});

test("an opportunity whose contact lookups point at an opted-out person: hidden, one call for both, re-applied on change", async () => {
  const page = await openForm({
    entity: "opportunity", id: OPPORTUNITY, records: { ...people, [`opportunity:${OPPORTUNITY}`]: { msdyn_gdproptout: false } },
    attributes: { parentcontactid: holly, customerid: frank, name: "Deal" },
  });
  let s = await state(page);
  assert.equal(s.timeline, false);
  assert.equal(note(s, "consentguard.emaildata").message, "Email data is hidden: Holly Smith has GDPR Optout set.");
  const contactReads = s.calls.filter((c) => c.entity === "contact");
  assert.equal(contactReads.length, 1, "one call reads both contacts");
  assert.match(contactReads[0].options, new RegExp(`contactid eq ${HOLLY} or contactid eq ${FRANK}`));

  await set(page, "parentcontactid", frank);
  await page.waitForFunction(() => form.visible("Timeline") === true);
  s = await state(page);
  assert.equal(note(s, "consentguard.emaildata"), undefined, "the notification is cleared when it no longer applies");
  await page.close();
});

test("ticking GDPR Optout on the form hides at once; unticking shows again only after the save", async () => {
  const page = await openForm(contact({ msdyn_gdproptout: false }));
  assert.equal((await state(page)).timeline, true);
  await set(page, "msdyn_gdproptout", true);
  await page.waitForFunction(() => form.visible("Timeline") === false);
  assert.equal(await command(page, 1), true);
  await set(page, "msdyn_gdproptout", false);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 20)));
  assert.equal((await state(page)).timeline, false, "the saved value is still true");
  await command(page, 1);
  await page.waitForFunction(() => form.visible("Timeline") === true);
  await page.close();
});

test("an account with an opted-out child contact hides its timeline", async () => {
  const page = await openForm({ entity: "account", id: ACCOUNT, records: { ...people, [`account:${ACCOUNT}`]: { msdyn_gdproptout: false } }, attributes: { name: "Contoso" } });
  const s = await state(page);
  assert.equal(s.timeline, false);
  assert.equal(note(s, "consentguard.emaildata").message, "Email data is hidden: a contact of this account has GDPR Optout set.");
  assert.ok(s.calls.some((c) => c.entity === "contact" && c.options.includes(`_parentcustomerid_value eq ${ACCOUNT} and msdyn_gdproptout eq true`)));
  await page.close();
});

test("an org without the msdyn_gdproptout column: nothing to honour, no fault", async () => {
  const page = await openForm({ ...contact(), attributes: { parentcustomerid: holly }, webApi: { noColumn: true } });
  const s = await state(page);
  assert.equal(s.timeline, true);
  assert.deepEqual(s.notifications, []);
  await page.close();
});

test("faults fail closed with a notification: a rejected call, a 403 on the related record, a call that never answers", async () => {
  let page = await openForm({ ...contact(), webApi: { reject: "The network connection was lost." } });
  let s = await state(page);
  assert.equal(s.timeline, false);
  assert.deepEqual(note(s, "consentguard.emaildata"), {
    id: "consentguard.emaildata", level: "WARNING",
    message: "Email data is hidden: whether this record opted out (GDPR Optout) could not be checked (The network connection was lost.). Reload the form to try again.",
  });
  await page.close();

  page = await openForm({
    entity: "opportunity", id: OPPORTUNITY, records: { ...people, [`opportunity:${OPPORTUNITY}`]: { msdyn_gdproptout: false } },
    attributes: { parentcontactid: frank }, webApi: { forbidden: [FRANK] },
  });
  s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /whether Frank Lee opted out .*\(no access\)/);
  await page.close();

  page = await openForm({ ...contact(), webApi: { hang: true } }, { clock: true, load: false });
  const loading = onLoad(page);
  await page.clock.runFor(9000);
  await loading;
  s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /\(no answer in time\)/);
  await page.close();
});

test("settings: JSON text, named controls (missing ones skipped), and invalid settings reported by name", async () => {
  let page = await openForm(contact({ msdyn_gdproptout: true }, { controls: ["notescontrol"] }), {
    settings: '{"emailDataControls": ["notescontrol", "not_on_this_form"], "languageId": 1031}',
  });
  let s = await state(page);
  assert.equal(await page.evaluate(() => form.visible("notescontrol")), false);
  assert.equal(note(s, "consentguard.emaildata").message, "E-Mail-Daten sind ausgeblendet: Für diesen Datensatz ist GDPR Optout gesetzt.");
  assert.equal(note(s, "consentguard.settings"), undefined);
  await page.close();

  page = await openForm(contact(), { settings: { anonymiseWhenInactive: true, anonymizeWhenInactive: "yes" } });
  s = await state(page);
  assert.equal(s.timeline, false, "invalid settings keep email data hidden");
  const problem = note(s, "consentguard.settings");
  assert.equal(problem.level, "ERROR");
  assert.match(problem.message, /unknown key `anonymiseWhenInactive`/);
  assert.match(problem.message, /settings\.anonymizeWhenInactive: expected true or false/);
  // An invalid anonymizeWhenInactive counts as true: Deactivate asks.
  assert.equal(await command(page, 5), false);
  assert.equal((await state(page)).dialogs.length, 1);
  await page.close();

  page = await openForm(contact(), { settings: "{anonymizeWhenInactive: true" });
  s = await state(page);
  assert.match(note(s, "consentguard.settings").message, /the text is not valid JSON/);
  await page.close();
});

test("Do Not Email + Save: cancelled, the dialog lists the reason; Cancel keeps the value and saves nothing", async () => {
  const page = await openForm(contact());
  await set(page, "donotemail", true);
  assert.equal(await command(page, 1), false, "the save is cancelled at once");
  let s = await state(page);
  assert.deepEqual(s.dialogs, [{
    title: "Spotler will anonymize this contact",
    text: "Saving will make Spotler anonymize this contact at the next sync (Do Not Email is set). This cannot be undone.",
    confirmButtonLabel: "Go ahead",
    cancelButtonLabel: "Cancel",
  }]);
  await answer(page, false);
  s = await state(page);
  assert.deepEqual(s.saves, []);
  assert.equal(await page.evaluate(() => form.value("donotemail")), true, "the user's value stays on the form");
  await page.close();
});

test("confirm saves once with no second dialog, and the saved state becomes the new baseline", async () => {
  const page = await openForm(contact());
  await set(page, "donotemail", true);
  await command(page, 1);
  await answer(page, true);
  let s = await state(page);
  assert.deepEqual(s.saves, [1]);
  assert.equal(s.dialogs.length, 1);
  assert.equal(await command(page, 1), true, "saving again asks nothing: the cause is saved");
  s = await state(page);
  assert.equal(s.dialogs.length, 1);
  await page.close();
});

test("Save & Close closes and Save & New opens a new form after confirmation", async () => {
  let page = await openForm(contact());
  await set(page, "emailaddress1", "");
  await command(page, 2);
  await answer(page, true);
  let s = await state(page);
  assert.deepEqual(s.saves, [2]);
  assert.equal(s.closed, true);
  assert.match(s.dialogs[0].text, /the email address is removed or not valid/);
  await page.close();

  page = await openForm(contact());
  await set(page, "donotemail", true);
  await command(page, 59);
  await answer(page, true);
  s = await state(page);
  assert.deepEqual(s.saves, [59]);
  assert.deepEqual(s.opened, [{ entityName: "contact" }]);
  await page.close();
});

test("AutoSave never slips through: blocked silently with a notification, and cancelled while the dialog is open", async () => {
  const page = await openForm(contact());
  await set(page, "donotemail", true);
  assert.equal(await command(page, 70), false);
  let s = await state(page);
  assert.deepEqual(s.dialogs, []);
  assert.equal(note(s, "consentguard.autosave").level, "WARNING");
  await command(page, 1);
  assert.equal(await command(page, 70), false, "AutoSave while the dialog is open");
  s = await state(page);
  assert.deepEqual(s.saves, []);
  await answer(page, true);
  s = await state(page);
  assert.deepEqual(s.saves, [1]);
  assert.equal(note(s, "consentguard.autosave"), undefined, "cleared after the explicit save");
  await page.close();
});

test("Assign that would anonymize: confirmed, the user assigns again (a save from script would only save)", async () => {
  const page = await openForm(contact());
  await set(page, "donotemail", true);
  assert.equal(await command(page, 47), false, "Assign is cancelled to ask");
  await answer(page, true);
  let s = await state(page);
  assert.deepEqual(s.saves, [], "nothing saved in the Assign's place");
  assert.match(note(s, "consentguard.confirmed").message, /choose Assign again/);
  assert.equal(await command(page, 47), true, "the repeated Assign goes ahead");
  s = await state(page);
  assert.deepEqual(s.saves, [47]);
  assert.equal(s.dialogs.length, 1);
  await page.close();
});

test("Deactivate with the setting on: confirm, then the repeated command passes once; with it off: no dialog", async () => {
  let page = await openForm(contact(), { settings: { anonymizeWhenInactive: true } });
  assert.equal(await command(page, 5), false);
  await answer(page, true);
  let s = await state(page);
  assert.match(note(s, "consentguard.confirmed").message, /choose Deactivate again/);
  assert.deepEqual(s.saves, []);
  assert.equal(await command(page, 5), true, "the repeated Deactivate goes ahead");
  s = await state(page);
  assert.deepEqual(s.saves, [5]);
  assert.equal(s.dialogs.length, 1);
  await page.close();

  page = await openForm(contact(), { settings: { anonymizeWhenInactive: true } });
  await command(page, 5);
  await answer(page, true);
  await set(page, "emailaddress1", "other@contoso.com");
  assert.equal(await command(page, 5), false, "changed values ask again");
  await page.close();

  page = await openForm(contact());
  assert.equal(await command(page, 5), true);
  assert.deepEqual((await state(page)).dialogs, []);
  await page.close();
});

test("Qualify on a lead in Dutch asks in Dutch", async () => {
  const page = await openForm({ entity: "lead", id: LEAD, userLanguageId: 1043, records: { [`lead:${LEAD}`]: { msdyn_gdproptout: false } },
    attributes: { emailaddress1: "lead@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0 } }, { settings: { anonymizeWhenInactive: true } });
  assert.equal(await command(page, 16), false);
  const s = await state(page);
  assert.equal(s.dialogs[0].title, "Spotler gaat deze contactpersoon anonimiseren");
  assert.equal(s.dialogs[0].confirmButtonLabel, "Doorgaan");
  await answer(page, true);
  assert.match(note(await state(page), "consentguard.confirmed").message, /kies nogmaals Kwalificeren/);
  await page.close();
});

test("Do Not Bulk Email only: saved with a notification, no dialog; other saves are untouched", async () => {
  const page = await openForm(contact());
  await set(page, "donotbulkemail", true);
  assert.equal(await command(page, 1), true);
  const s = await state(page);
  assert.deepEqual(s.dialogs, []);
  assert.match(note(s, "consentguard.bulkemail").message, /reset all of this contact's permissions/);
  await set(page, "emailaddress1", "frank.lee@contoso.com");
  assert.equal(await command(page, 1), true);
  assert.equal(note(await state(page), "consentguard.bulkemail"), undefined);
  await page.close();
});

test("a save that fails on the server does not advance the saved state", async () => {
  const page = await openForm(contact());
  await set(page, "donotemail", true);
  await page.evaluate(() => form.failNextSave());
  await command(page, 1);
  await answer(page, true);
  assert.deepEqual((await state(page)).saves, []);
  assert.equal(await command(page, 1), false, "the next save asks again");
  assert.equal((await state(page)).dialogs.length, 2);
  await page.close();
});

test("onLoad registered twice guards once", async () => {
  const page = await openForm(contact());
  await onLoad(page);
  await set(page, "donotemail", true);
  await command(page, 1);
  assert.equal((await state(page)).dialogs.length, 1);
  await page.close();
});

test("WebAssembly blocked by CSP: hidden, the notification names 'wasm-unsafe-eval', and risky saves still ask", async () => {
  const page = await openForm(contact(), { csp: `script-src 'unsafe-inline' ${context.server.url}` });
  let s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.fault").message, /'wasm-unsafe-eval' to the script-src directive/);
  await set(page, "donotemail", true);
  assert.equal(await command(page, 1), false);
  s = await state(page);
  assert.match(s.dialogs[0].text, /may make Spotler anonymize this contact/);
  // Delete still asks, in the fallback's words, and deletes only on confirmation.
  const deleting = page.evaluate(() => ConsentGuard.confirmDelete(window.form.formContext));
  await page.waitForFunction(() => form.dialogs.length === 2);
  assert.match((await state(page)).dialogs[1].text, /makes Spotler anonymize the contact at once\. This cannot be undone\./);
  await answer(page, true);
  await deleting;
  s = await state(page);
  assert.deepEqual(s.calls.filter((c) => c.method === "deleteRecord").map((c) => c.entity), ["contact"]);
  // The pure functions say why they cannot answer: awaiting ready() again would not help.
  const later = await page.evaluate(() => {
    try {
      ConsentGuard.isValidEmail("a@b.nl");
      return "answered";
    } catch (e) {
      return { code: e.code, message: e.message };
    }
  });
  assert.equal(later.code, "moduleUnavailable");
  assert.match(later.message, /^isValidEmail: the rules module could not be instantiated: /);
  await page.close();
});

test("fields missing from the form are read through the Web API, and a save is still judged", async () => {
  const page = await openForm({ entity: "contact", id: FRANK, attributes: { emailaddress1: "frank@contoso.com" }, records: people });
  let s = await state(page);
  assert.ok(s.calls.some((c) => c.method === "retrieveRecord" && c.options === "?$select=donotemail,donotbulkemail,statecode"));
  await set(page, "emailaddress1", null);
  assert.equal(await command(page, 1), false, "removing the email still asks");
  s = await state(page);
  assert.match(s.dialogs[0].text, /the email address is removed or not valid/);
  await page.close();
});

test("attribute names in settings are logical names: a schema name copied in another case still guards", async () => {
  // A custom table's lookup named as the maker portal shows its schema name.
  let page = await openForm(
    { entity: "incident", id: OPPORTUNITY, attributes: { title: "Case", customerid: holly }, records: { ...people, [`incident:${OPPORTUNITY}`]: {} } },
    { settings: { relatedLookups: ["CustomerId"] } },
  );
  let s = await state(page);
  assert.equal(s.timeline, false, "Holly, the case's customer, opted out");
  assert.equal(note(s, "consentguard.settings"), undefined);
  await page.close();
  // The email the connector syncs, named by its schema name: clearing it still asks.
  page = await openForm(contact(), { settings: { emailAttribute: "EMailAddress1" } });
  await set(page, "emailaddress1", null);
  assert.equal(await command(page, 1), false, "removing the email asks");
  s = await state(page);
  assert.match(s.dialogs[0].text, /the email address is removed or not valid/);
  await page.close();
});

test("settings naming a column of the wrong kind on this form are reported, and the guard errs on the safe side", async () => {
  // A text column where a lookup belongs, and a yes/no column as the synced email.
  const page = await openForm(contact(), { settings: { relatedLookups: ["emailaddress1"], emailAttribute: "donotemail" } });
  let s = await state(page);
  const problem = note(s, "consentguard.settings");
  assert.equal(problem?.level, "ERROR");
  assert.match(problem.message, /settings\.relatedLookups\[0\]: `emailaddress1` is a column of type string on this form, not a lookup/);
  assert.match(problem.message, /settings\.emailAttribute: `donotemail` is a column of type boolean on this form, not text/);
  assert.equal(s.timeline, false, "invalid settings keep email data hidden");
  // The default email column is watched: clearing it asks, and saves are not all refused.
  await set(page, "emailaddress1", null);
  assert.equal(await command(page, 1), false);
  s = await state(page);
  assert.match(s.dialogs[0].text, /the email address is removed or not valid/);
  await page.close();
});

test("empty lookups and lookups to other entities are not read", async () => {
  const page = await openForm({
    entity: "opportunity", id: OPPORTUNITY, records: { ...people, [`opportunity:${OPPORTUNITY}`]: { msdyn_gdproptout: false } },
    attributes: { parentcontactid: [], ownerid: [{ id: "99999999-9999-9999-9999-999999999999", name: "A user", entityType: "systemuser" }], customerid: [{ id: ACCOUNT, name: "Contoso", entityType: "account" }] },
  });
  const s = await state(page);
  assert.equal(s.timeline, true);
  assert.deepEqual(dataReads(s).filter((c) => c.entity !== "opportunity" && c.entity !== "connection"), []);
  await page.close();
});

test("a dialog that fails to open counts as cancelled: nothing is saved", async () => {
  const page = await openForm(contact());
  await page.evaluate(() => {
    Xrm.Navigation.openConfirmDialog = () => Promise.reject(new Error("dialog service unavailable"));
  });
  await set(page, "donotemail", true);
  assert.equal(await command(page, 1), false);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 10)));
  assert.deepEqual((await state(page)).saves, []);
  assert.equal(await command(page, 70), false, "and AutoSave still cannot slip it through");
  await page.close();
});

test("names with HTML reach the user only as text", async () => {
  const evil = '<img src=x onerror="window.pwned=1">';
  const page = await openForm({
    entity: "opportunity", id: OPPORTUNITY, records: { ...people, [`opportunity:${OPPORTUNITY}`]: { msdyn_gdproptout: false } },
    attributes: { parentcontactid: [{ id: HOLLY, name: evil, entityType: "contact" }] },
  }, { settings: { emailDataControls: ['<script>alert(1)</script>'] } });
  const s = await state(page);
  assert.equal(note(s, "consentguard.emaildata").message, `Email data is hidden: ${evil} has GDPR Optout set.`);
  assert.equal(await page.evaluate(() => document.querySelectorAll("img, script:not([src])").length), 1, "only the harness's own inline script");
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.close();
});

test("a save that cannot be judged (the email column holds no text: another script broke it) is held back with the reason", async () => {
  const page = await openForm(contact(), { load: false });
  await page.evaluate(() => {
    window.form.formContext.getAttribute("emailaddress1").getValue = () => ["not", "text"];
  });
  await onLoad(page);
  assert.equal(await command(page, 1), false);
  const s = await state(page);
  assert.equal(
    note(s, "consentguard.fault").message,
    "Not saved: consent-guard could not check whether this save makes Spotler anonymize the contact (request.before.email: expected a string, got an array).",
  );
  assert.deepEqual(s.saves, []);
  await page.close();
});

test("an opportunity's stakeholders count: an opted-out one hides the timeline; unlisted ones fail closed", async () => {
  const connection = (id, contact, name) => ({
    [`connection:${id}`]: { _record1id_value: OPPORTUNITY, _record2id_value: contact, record2objecttypecode: 2, "_record2id_value@OData.Community.Display.V1.FormattedValue": name },
  });
  const records = { ...people, [`opportunity:${OPPORTUNITY}`]: { msdyn_gdproptout: false }, ...connection("c1", FRANK, "Frank Lee"), ...connection("c2", HOLLY, "Holly Smith") };
  let page = await openForm({ entity: "opportunity", id: OPPORTUNITY, records, attributes: { parentcontactid: frank } });
  let s = await state(page);
  assert.equal(s.timeline, false);
  assert.equal(note(s, "consentguard.emaildata").message, "Email data is hidden: Holly Smith has GDPR Optout set.");
  const contactReads = s.calls.filter((c) => c.entity === "contact");
  assert.equal(contactReads.length, 1, "the lookup and the stakeholders are read in one call");
  await page.close();

  page = await openForm({ entity: "opportunity", id: OPPORTUNITY, records: { ...people, [`opportunity:${OPPORTUNITY}`]: { msdyn_gdproptout: false } },
    attributes: {} });
  assert.equal((await state(page)).timeline, true, "no stakeholders, nothing opted out");
  await page.close();

  page = await openForm({ entity: "opportunity", id: OPPORTUNITY, records, attributes: {}, webApi: { rejectEntities: ["connection"] } });
  s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /whether the opportunity's stakeholders opted out \(GDPR Optout\) could not be checked/);
  await page.close();
});

test("the first decision does not wait for the saved values of columns missing from the form", async () => {
  // The Web API never answers and the page's clock stands still: only a read that is awaited can hold onLoad.
  const page = await openForm(
    { entity: "contact", id: FRANK, attributes: { emailaddress1: "frank@contoso.com", msdyn_gdproptout: false }, records: people, webApi: { hang: true } },
    { clock: true, load: false },
  );
  const resolved = await Promise.race([onLoad(page).then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
  assert.equal(resolved, true, "onLoad resolved while the saved values were still being read");
  const s = await state(page);
  assert.equal(s.timeline, true);
  assert.ok(s.calls.some((c) => c.options === "?$select=donotemail,donotbulkemail,statecode"), "the saved values are still read");
  await set(page, "emailaddress1", null);
  assert.equal(await command(page, 1), false, "a save in between is judged on the form's values");
  await page.close();
});
