// Beyond the save button, on simulated forms with the built dist/consentguard.js: the delete
// guard (form and view), the Spotler Job form, the Send guard, consent on the form, and
// relationship analytics controls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FRANK, HOLLY, JOB, MAIL, answer, note, settle, state, useSimulatedForms } from "./simulated-forms.mjs";

const people = () => ({
  [`contact:${HOLLY}`]: { fullname: "Holly Smith", emailaddress1: "holly@contoso.com", donotemail: false, msdyn_gdproptout: true },
  [`contact:${FRANK}`]: { fullname: "Frank Lee", emailaddress1: "frank@contoso.com", donotemail: false, msdyn_gdproptout: false },
  "new_consent:c1": { new_email: "frank@contoso.com", new_option: "Newsletter", new_value: true, new_date: "2024-05-03" },
  "new_consent:c2": { new_email: "frank@contoso.com", new_option: "SMS", new_value: false },
  "new_consent:c3": { new_email: "holly@contoso.com", new_option: "Newsletter", new_value: true },
});
const holly = { id: HOLLY, name: "Holly Smith", entityType: "contact" };
const frank = { id: FRANK, name: "Frank Lee", entityType: "contact" };
const consentTable = { entity: "new_consent", keyAttribute: "new_email", optionAttribute: "new_option", valueAttribute: "new_value", dateAttribute: "new_date" };
const spotlerJob = { entity: "spotler_job", operationAttribute: "spotler_operation", anonymizeOperation: 3, resultAttribute: "spotler_status", customerAttribute: "spotler_customerid" };

const { openForm } = useSimulatedForms();

test("relationship analytics controls are hidden when the record itself is opted out", async () => {
  let page = await openForm({ entity: "contact", id: HOLLY, records: people(), controls: ["ra_panel"], attributes: { msdyn_gdproptout: true } },
    { relationshipAnalyticsControls: ["ra_panel", "not_on_this_form"] });
  assert.equal(await page.evaluate(() => form.visible("ra_panel")), false);
  await page.close();
  page = await openForm({ entity: "contact", id: FRANK, records: people(), controls: ["ra_panel"], attributes: { msdyn_gdproptout: false, parentcustomerid: [holly] } },
    { relationshipAnalyticsControls: ["ra_panel"] });
  assert.equal(await page.evaluate(() => form.visible("ra_panel")), true, "a related record's opt-out does not hide this record's analytics");
  assert.equal(await page.evaluate(() => form.visible("Timeline")), false);
  await page.close();
});

test("delete on a form asks, names the record, deletes through the Web API and leaves the form", async () => {
  const page = await openForm({ entity: "contact", id: FRANK, name: "Frank Lee", records: people(), attributes: { emailaddress1: "frank@contoso.com" } });
  let done = page.evaluate(() => ConsentGuard.confirmDelete(window.form.formContext));
  await page.waitForFunction(() => form.dialogs.length === 1);
  let s = await state(page);
  assert.equal(s.dialogs[0].title, "Delete and anonymize in Spotler?");
  assert.match(s.dialogs[0].text, /^Deleting Frank Lee makes Spotler anonymize the contact at once.*This cannot be undone\.$/);
  assert.equal(s.dialogs[0].confirmButtonLabel, "Delete");
  await answer(page, false);
  await done;
  s = await state(page);
  assert.deepEqual(s.calls.filter((c) => c.method === "deleteRecord"), [], "Cancel deletes nothing");
  assert.equal(s.closed, false);

  done = page.evaluate(() => ConsentGuard.confirmDelete(window.form.formContext));
  await page.waitForFunction(() => form.dialogs.length === 2);
  await answer(page, true);
  await done;
  s = await state(page);
  assert.deepEqual(s.calls.filter((c) => c.method === "deleteRecord"), [{ method: "deleteRecord", entity: "contact", id: FRANK }]);
  assert.equal(s.closed, true);
  await page.close();
});

test("delete on a form speaks the language its settings chose, not the user's", async () => {
  const page = await openForm(
    { entity: "contact", id: FRANK, name: "Frank Lee", userLanguageId: 1033, records: people(), attributes: { emailaddress1: "frank@contoso.com" } },
    { languageId: 1043 },
  );
  const done = page.evaluate(() => ConsentGuard.confirmDelete(window.form.formContext));
  await page.waitForFunction(() => form.dialogs.length === 1);
  assert.equal((await state(page)).dialogs[0].title, "Verwijderen en anonimiseren in Spotler?");
  await answer(page, false);
  await done;
  await page.close();
});

test("an unexpected fault on a guarded form is reported in the language its settings chose", async () => {
  const page = await openForm(
    { entity: "contact", id: FRANK, userLanguageId: 1033, failAddOnLoad: true, records: people(), attributes: { msdyn_gdproptout: false } },
    { languageId: 1043 },
  );
  const s = await state(page);
  assert.equal(s.timeline, false, "the email data stays hidden");
  assert.match(note(s, "consentguard.fault").message, /^consent-guard liep tegen een probleem aan, dus e-mailgegevens blijven verborgen: .*addOnLoad is not available/);
  await page.close();
});

test("delete from a view deletes every selected record after one confirmation and refreshes the grid", async () => {
  const page = await openForm({ entity: "contact", id: FRANK, records: people(), attributes: {} });
  const done = page.evaluate(([a, b]) => {
    window.refreshed = 0;
    const rows = [[a, "Holly Smith"], [b, "Frank Lee"]].map(([id, name]) => ({
      getData: () => ({ getEntity: () => ({ getId: () => `{${id.toUpperCase()}}`, getPrimaryAttributeValue: () => name }) }),
    }));
    const grid = { getEntityName: () => "contact", refresh: () => window.refreshed++, getGrid: () => ({ getSelectedRows: () => rows }) };
    return ConsentGuard.confirmDelete(grid, [`{${a.toUpperCase()}}`, b]);
  }, [HOLLY, FRANK]);
  await page.waitForFunction(() => form.dialogs.length === 1);
  assert.match((await state(page)).dialogs[0].text, /^Deleting Holly Smith, Frank Lee makes Spotler/);
  await answer(page, true);
  await done;
  const s = await state(page);
  assert.deepEqual(s.calls.filter((c) => c.method === "deleteRecord").map((c) => c.id), [HOLLY, FRANK]);
  assert.equal(await page.evaluate(() => window.refreshed), 1);
  await page.close();
});

test("delete from a view says which records were not deleted, even when the grid then fails to refresh", async () => {
  const page = await openForm({ entity: "contact", id: FRANK, records: people(), attributes: {}, webApi: { forbidden: [HOLLY] } });
  const done = page.evaluate(([a, b]) => {
    const grid = {
      getEntityName: () => "contact",
      refresh: () => {
        throw new Error("the grid is gone");
      },
      getGrid: () => ({ getSelectedRows: () => [] }),
    };
    return ConsentGuard.confirmDelete(grid, [a, b]).then(() => "resolved");
  }, [HOLLY, FRANK]);
  await page.waitForFunction(() => form.dialogs.length === 1);
  await answer(page, true);
  assert.equal(await done, "resolved", "never rejects");
  const alerts = await page.evaluate(() => form.alerts);
  assert.equal(alerts.length, 1);
  assert.match(alerts[0], /prvDeletecontact/);
  await page.close();
});

test("delete from a view pressed twice while it starts asks once and deletes once, in the language the org's settings chose", async () => {
  const page = await openForm({
    entity: "contact",
    id: FRANK,
    records: people(),
    attributes: {},
    latencyMs: 300,
    environmentVariables: { cg_ConsentGuardSettings: { defaultValue: "{}", value: '{"languageId":1043}' } },
  });
  const done = page.evaluate((id) => {
    const grid = { getEntityName: () => "contact", refresh: () => undefined, getGrid: () => ({ getSelectedRows: () => [] }) };
    const first = ConsentGuard.confirmDelete(grid, [id]);
    return new Promise((resolve) => setTimeout(resolve, 50)).then(() => Promise.all([first, ConsentGuard.confirmDelete(grid, [id])]));
  }, FRANK);
  await page.waitForFunction(() => form.dialogs.length >= 1);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 600)));
  let s = await state(page);
  assert.equal(s.dialogs.length, 1, "one dialog");
  assert.equal(s.dialogs[0].title, "Verwijderen en anonimiseren in Spotler?", "in the org's language, not the user's");
  await answer(page, true);
  await done;
  s = await state(page);
  assert.deepEqual(s.calls.filter((c) => c.method === "deleteRecord").map((c) => c.id), [FRANK], "one delete");
  await page.close();
});

test("a subgrid's Delete given the form (PrimaryControl) instead of the grid deletes nothing and says so", async () => {
  const page = await openForm({ entity: "account", id: FRANK, records: people(), attributes: {} });
  await page.evaluate((id) => ConsentGuard.confirmDelete(window.form.formContext, [id]), HOLLY);
  const s = await state(page);
  assert.deepEqual(s.dialogs, []);
  assert.deepEqual(s.calls.filter((c) => c.method === "deleteRecord"), []);
  assert.match(note(s, "consentguard.fault")?.message ?? "", /passes the form \(PrimaryControl\) instead of the grid/);
  await page.close();
});

test("the Spotler Job form asks before an Anonymize Contact job and explains the result", async () => {
  let page = await openForm(
    { entity: "spotler_job", attributes: { spotler_operation: 3, spotler_customerid: [holly], spotler_status: null }, records: people() },
    { spotlerJob },
  );
  assert.equal(await page.evaluate(() => form.command(1)), false);
  let s = await state(page);
  assert.equal(s.dialogs[0].title, "Anonymize in Spotler?");
  assert.match(s.dialogs[0].text, /makes Spotler anonymize Holly Smith when the job runs/);
  await answer(page, true);
  s = await state(page);
  assert.deepEqual(s.saves, [1]);
  assert.equal(s.dialogs.length, 1, "no second dialog");
  await page.close();

  page = await openForm(
    { entity: "spotler_job", id: JOB, attributes: { spotler_operation: 3, spotler_customerid: [holly], spotler_status: 404 }, records: people() },
    { spotlerJob, languageId: 1036 },
  );
  s = await state(page);
  assert.deepEqual(note(s, "consentguard.job"), {
    id: "consentguard.job", level: "INFO", message: "Le contact était déjà anonymisé dans Spotler (HTTP 404), ce qui compte comme une réussite.",
  });
  assert.equal(await page.evaluate(() => form.command(1)), true, "a job saved as Anonymize before does not ask again");
  await page.evaluate(() => form.set("spotler_status", 500));
  assert.equal(note(await state(page), "consentguard.job").level, "ERROR");
  await page.close();
});

test("Send to an opted-out recipient or one without the required consent is cancelled with a dialog naming them", async () => {
  const page = await openForm(
    { entity: "email", id: MAIL, attributes: { to: [holly, frank], cc: [], subject: "Offer" }, records: people() },
    { consentTable, requiredConsent: "Consent option=SMS & Consent value=True" },
  );
  assert.equal(await page.evaluate(() => form.command(7)), false);
  await page.waitForFunction(() => form.dialogs.length === 1);
  let s = await state(page);
  assert.equal(s.dialogs[0].text, [
    "This email goes to:",
    "Holly Smith: GDPR Optout is set.",
    "Holly Smith: no consent for Consent option=SMS & Consent value=True.",
    "Frank Lee: no consent for Consent option=SMS & Consent value=True.",
  ].join("\n"));
  await answer(page, true);
  s = await state(page);
  assert.match(note(s, "consentguard.confirmed").message, /choose Send again/);
  assert.deepEqual(s.saves, []);
  assert.equal(await page.evaluate(() => form.command(7)), true, "the repeated Send goes ahead");
  assert.equal(await page.evaluate(() => form.command(1)), true, "a plain save of the email is not guarded");
  await page.close();
});

test("Send after another script changed the recipients without a change event is judged on the new recipients", async () => {
  const page = await openForm({ entity: "email", id: MAIL, attributes: { to: [frank], cc: [] }, records: people() });
  await settle(page);
  await page.evaluate((h) => form.formContext.getAttribute("to").setValue([h]), holly);
  assert.equal(await page.evaluate(() => form.command(7)), false, "held while Holly is read");
  await page.waitForFunction(() => form.dialogs.length === 1);
  assert.match((await state(page)).dialogs[0].text, /Holly Smith: GDPR Optout is set\./);
  await page.close();
});

test("consent on a contact's form, with a warning when the required consent is missing", async () => {
  const page = await openForm(
    { entity: "contact", id: FRANK, attributes: { emailaddress1: "Frank@Contoso.com", msdyn_gdproptout: false }, records: people() },
    { consentTable, requiredConsent: "Consent option=SMS & Consent value=True", languageId: 1043 },
  );
  await page.waitForFunction(() => form.notifications().some((n) => n.id === "consentguard.consent"));
  const s = await state(page);
  assert.equal(note(s, "consentguard.consent").message, "Toestemming: Newsletter: ja (2024-05-03), SMS: nee.");
  assert.equal(note(s, "consentguard.consentrequired").message, "Deze persoon heeft niet de vereiste toestemming (Consent option=SMS & Consent value=True).");
  assert.equal(note(s, "consentguard.consentrequired").level, "WARNING");
  await page.close();
});

test("a recipient who cannot be read is named, and an unreadable consent table is said so, in the user's language", async () => {
  let page = await openForm(
    { entity: "email", id: MAIL, attributes: { to: [frank], cc: [] }, records: people(), webApi: { forbidden: [FRANK] } },
    { languageId: 1031 },
  );
  assert.equal(await page.evaluate(() => form.command(7)), false);
  await page.waitForFunction(() => form.dialogs.length === 1);
  assert.match((await state(page)).dialogs[0].text, /Frank Lee: konnte nicht geprüft werden \(kein Zugriff\)\./);
  await page.close();

  page = await openForm(
    { entity: "contact", id: FRANK, attributes: { emailaddress1: "frank@contoso.com" }, records: people(), webApi: { rejectEntities: ["new_consent"] } },
    { consentTable },
  );
  await page.waitForFunction(() => form.notifications().some((n) => n.id === "consentguard.consent"));
  assert.equal(note(await state(page), "consentguard.consent").message, "Consent could not be read (The new_consent table is not available.).");
  await page.close();
});

test("Send to recipients who may receive it goes out at once, once their facts are read", async () => {
  const page = await openForm({ entity: "email", id: MAIL, attributes: { to: [frank], cc: [] }, records: people() }, {});
  await page.waitForFunction(() => form.calls.some((c) => c.entity === "contact"));
  await settle(page);
  assert.equal(await page.evaluate(() => form.command(7)), true);
  const s = await state(page);
  assert.deepEqual(s.dialogs, []);
  assert.deepEqual(s.saves, [7]);
  await page.close();
});

test("Send in an org without the GDPR Optout column asks about no one", async () => {
  const page = await openForm({ entity: "email", id: MAIL, attributes: { to: [frank], cc: [] }, records: people(), webApi: { noColumn: true } }, {});
  await page.waitForFunction(() => form.calls.filter((c) => c.entity === "contact").length >= 2);
  await settle(page);
  assert.equal(await page.evaluate(() => form.command(7)), true);
  assert.deepEqual((await state(page)).dialogs, []);
  await page.close();
});
