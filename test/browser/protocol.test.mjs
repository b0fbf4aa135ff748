// The guard protocol on simulated forms with the built dist/consentguard.js: what every guard
// gains from the one executor (AutoSave, Save & Close / Save & New, a second command while the
// user decides, a dialog that fails to open), the Spotler Job's operation given as value, numeric
// text or label, columns chosen by `emailAttribute` for Send and consent alike, failures in the
// user's language, and names that look like placeholders.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FRANK, HOLLY, JOB, MAIL, answer, command, note, settle, state, useSimulatedForms } from "./simulated-forms.mjs";

const people = () => ({
  [`contact:${HOLLY}`]: { fullname: "Holly Smith", emailaddress1: "holly@contoso.com", donotemail: false, msdyn_gdproptout: true },
  // Frank's synced address is his second one; his first is an old one without consent.
  [`contact:${FRANK}`]: { fullname: "Frank Lee", emailaddress1: "old@contoso.com", emailaddress2: "frank@contoso.com", donotemail: false, msdyn_gdproptout: false },
  "new_consent:c1": { new_email: "frank@contoso.com", new_option: "Newsletter", new_value: true, new_date: "2024-05-03" },
});
const holly = { id: HOLLY, name: "Holly Smith", entityType: "contact" };
const frank = { id: FRANK, name: "Frank Lee", entityType: "contact" };
const consentTable = { entity: "new_consent", keyAttribute: "new_email", optionAttribute: "new_option", valueAttribute: "new_value", dateAttribute: "new_date" };
const OPERATIONS = [
  { value: 100000000, text: "Sync Contact" },
  { value: 100000001, text: "Update Permissions" },
  { value: 100000002, text: "Anonymize Contact" },
];
const spotlerJob = (anonymizeOperation) => ({
  entity: "spotler_job", operationAttribute: "spotler_operation", anonymizeOperation, resultAttribute: "spotler_status", customerAttribute: "spotler_customerid",
});
const job = (operation, extra = {}) => ({
  entity: "spotler_job",
  attributes: { spotler_operation: operation, spotler_customerid: [holly], spotler_status: null },
  options: { spotler_operation: OPERATIONS },
  records: people(),
  ...extra,
});

const { openForm } = useSimulatedForms();

test("an AutoSave of a Spotler Job that would anonymize is held back with a notification, and the explicit save asks", async () => {
  const page = await openForm(job(100000002), { spotlerJob: spotlerJob(100000002) });
  assert.equal(await command(page, 70), false);
  let s = await state(page);
  assert.deepEqual(s.dialogs, [], "AutoSave never opens a dialog");
  assert.deepEqual(s.saves, []);
  assert.equal(note(s, "consentguard.autosave").level, "WARNING");
  assert.match(note(s, "consentguard.autosave").message, /^Not saved automatically/);
  assert.equal(await command(page, 1), false);
  await answer(page, true);
  s = await state(page);
  assert.deepEqual(s.saves, [1]);
  assert.equal(note(s, "consentguard.autosave"), undefined, "cleared once the job is saved");
  await page.close();
});

test("a confirmed Spotler Job keeps the user's intent: Save & Close closes, Save & New opens a new form", async () => {
  let page = await openForm(job(100000002), { spotlerJob: spotlerJob(100000002) });
  assert.equal(await command(page, 2), false);
  await answer(page, true);
  let s = await state(page);
  assert.deepEqual(s.saves, [2]);
  assert.equal(s.closed, true);
  await page.close();

  page = await openForm(job(100000002), { spotlerJob: spotlerJob(100000002) });
  assert.equal(await command(page, 59), false);
  await answer(page, true);
  s = await state(page);
  assert.deepEqual(s.saves, [59]);
  assert.deepEqual(s.opened, [{ entityName: "spotler_job" }]);
  await page.close();
});

test("Save pressed again while the Job's dialog is open asks once and saves once", async () => {
  const page = await openForm(job(100000002), { spotlerJob: spotlerJob(100000002) });
  assert.equal(await command(page, 1), false);
  assert.equal(await command(page, 1), false, "the second Save is held while the user decides");
  assert.equal(await command(page, 70), false, "and so is an AutoSave");
  assert.equal((await state(page)).dialogs.length, 1);
  await answer(page, true);
  const s = await state(page);
  assert.deepEqual(s.saves, [1]);
  assert.equal(s.dialogs.length, 1);
  await page.close();
});

test("the Job's operation may be given as its label or as its value in text; other operations never ask", async () => {
  for (const anonymizeOperation of ["Anonymize Contact", " anonymize contact ", "100000002", 100000002]) {
    const page = await openForm(job(100000002), { spotlerJob: spotlerJob(anonymizeOperation) });
    const s = await state(page);
    assert.equal(note(s, "consentguard.settings"), undefined, `${JSON.stringify(anonymizeOperation)} is a valid setting`);
    assert.equal(await command(page, 1), false, `${JSON.stringify(anonymizeOperation)} asks`);
    assert.equal((await state(page)).dialogs[0]?.title, "Anonymize in Spotler?");
    await page.close();
  }
  const page = await openForm(job(100000000), { spotlerJob: spotlerJob("Anonymize Contact") });
  assert.equal(await command(page, 1), true, "a Sync Contact job is saved at once");
  await page.close();
});

test("a successful job of another operation shows no failure; an Anonymize Contact job's result is explained", async () => {
  for (const [operation, status] of [[100000000, 200], [100000001, 204]]) {
    const page = await openForm(job(operation, { id: JOB }), { spotlerJob: spotlerJob("Anonymize Contact") });
    await page.evaluate((v) => form.set("spotler_status", v), status);
    assert.equal(note(await state(page), "consentguard.job"), undefined, `${operation} with HTTP ${status}`);
    await page.close();
  }
  const page = await openForm(job(100000002, { id: JOB }), { spotlerJob: spotlerJob("Anonymize Contact") });
  await page.evaluate(() => form.set("spotler_status", 410));
  assert.equal(note(await state(page), "consentguard.job").level, "INFO");
  await page.evaluate(() => form.set("spotler_status", 200));
  assert.match(note(await state(page), "consentguard.job").message, /did not anonymize the contact \(HTTP 200\)/);
  await page.close();
});

test("a Send whose dialog fails to open sends nothing, and the next Send asks again", async () => {
  const page = await openForm({ entity: "email", id: MAIL, attributes: { to: [holly], cc: [] }, records: people() }, {});
  await page.evaluate(() => {
    window.dialogAttempts = 0;
    Xrm.Navigation.openConfirmDialog = () => {
      window.dialogAttempts++;
      return Promise.reject(new Error("dialog service unavailable"));
    };
  });
  await settle(page);
  assert.equal(await command(page, 7), false);
  await settle(page);
  let s = await state(page);
  assert.deepEqual(s.saves, []);
  assert.equal(note(s, "consentguard.confirmed"), undefined, "nothing was confirmed");
  assert.equal(await command(page, 7), false, "the next Send is judged again");
  await settle(page);
  s = await state(page);
  assert.deepEqual(s.saves, []);
  assert.equal(await page.evaluate(() => window.dialogAttempts), 2, "each Send tried to ask");
  await page.close();
});

test("while a Send asks, or waits for its recipients, another Send or an AutoSave is held", async () => {
  let page = await openForm({ entity: "email", id: MAIL, attributes: { to: [holly], cc: [] }, records: people() }, {});
  await settle(page);
  assert.equal(await command(page, 7), false);
  assert.equal(await command(page, 70), false, "an AutoSave while the dialog is open");
  assert.equal(await command(page, 7), false, "a second Send while the dialog is open");
  let s = await state(page);
  assert.equal(s.dialogs.length, 1);
  assert.deepEqual(s.saves, []);
  await page.close();

  page = await openForm({ entity: "email", id: MAIL, latencyMs: 200, attributes: { to: [holly], cc: [] }, records: people() }, {});
  assert.equal(await command(page, 7), false, "Send before the recipients are read is held");
  assert.equal(await command(page, 7), false, "and so is a second one");
  await page.waitForFunction(() => form.dialogs.length === 1);
  await settle(page);
  s = await state(page);
  assert.equal(s.dialogs.length, 1, "one dialog for both");
  assert.deepEqual(s.saves, []);
  await page.close();
});

test("a confirmed Spotler Job whose save fails on the server stays open and asks again", async () => {
  const page = await openForm(job(100000002), { spotlerJob: spotlerJob(100000002) });
  await page.evaluate(() => form.failNextSave());
  assert.equal(await command(page, 2), false);
  await answer(page, true);
  let s = await state(page);
  assert.deepEqual(s.saves, []);
  assert.equal(s.closed, false, "Save & Close does not close after a failed save");
  assert.equal(await command(page, 1), false, "the next save asks again");
  s = await state(page);
  assert.equal(s.dialogs.length, 2);
  await page.close();
});

test("a held-back AutoSave's warning goes once the user takes the change back", async () => {
  const contact = { entity: "contact", id: FRANK, attributes: { emailaddress1: "frank@contoso.com", donotemail: false, statecode: 0 }, records: people() };
  const page = await openForm(contact);
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 70), false, "AutoSave of Do Not Email is held back");
  assert.ok(note(await state(page), "consentguard.autosave"));
  await page.evaluate(() => form.set("emailaddress1", "frank.lee@contoso.com"));
  assert.ok(note(await state(page), "consentguard.autosave"), "another change keeps it: Do Not Email is still set");
  await page.evaluate(() => form.set("donotemail", false));
  assert.equal(note(await state(page), "consentguard.autosave"), undefined, "Do Not Email taken back: the warning goes");
  await page.close();
});

test("a confirmed Deactivate survives an AutoSave in between", async () => {
  const contact = { entity: "contact", id: FRANK, attributes: { emailaddress1: "frank@contoso.com", donotemail: false, statecode: 0 }, records: people() };
  const page = await openForm(contact, { anonymizeWhenInactive: true });
  assert.equal(await command(page, 5), false);
  await answer(page, true);
  assert.equal(await command(page, 70), true, "an AutoSave of unchanged values goes through");
  assert.match(note(await state(page), "consentguard.confirmed").message, /choose Deactivate again/);
  assert.equal(await command(page, 5), true, "the repeated Deactivate still passes");
  assert.equal((await state(page)).dialogs.length, 1);
  await page.close();
});

test("a confirmed Deactivate's notice goes once the record is saved with other values, and Deactivate asks again", async () => {
  const contact = { entity: "contact", id: FRANK, attributes: { emailaddress1: "frank@contoso.com", donotemail: false, statecode: 0 }, records: people() };
  const page = await openForm(contact, { anonymizeWhenInactive: true });
  assert.equal(await command(page, 5), false);
  await answer(page, true);
  assert.ok(note(await state(page), "consentguard.confirmed"));
  await page.evaluate(() => form.set("emailaddress1", "frank.lee@contoso.com"));
  assert.equal(await command(page, 1), true, "a save of a harmless change goes through");
  assert.equal(note(await state(page), "consentguard.confirmed"), undefined, "the confirmation no longer holds");
  assert.equal(await command(page, 5), false, "so Deactivate asks again");
  assert.equal((await state(page)).dialogs.length, 2);
  await page.close();
});

test("a Spotler Job result that is no HTTP status is explained as a failure, and the job is still guarded", async () => {
  for (const status of [1000, -1]) {
    const page = await openForm(job(100000002, { id: JOB }), { spotlerJob: spotlerJob("Anonymize Contact") });
    await page.evaluate((v) => form.set("spotler_status", v), status);
    let s = await state(page);
    assert.equal(note(s, "consentguard.fault"), undefined, `${status} is no fault`);
    assert.equal(note(s, "consentguard.job").level, "ERROR");
    await page.evaluate(() => form.set("spotler_operation", 100000000));
    await page.evaluate(() => form.set("spotler_operation", 100000002));
    assert.equal(await command(page, 1), true, "a job saved as Anonymize Contact before does not ask again");
    s = await state(page);
    assert.equal(note(s, "consentguard.fault"), undefined);
    await page.close();
  }
});

test("emailAttribute holds for Send and consent alike", async () => {
  const settings = { emailAttribute: "emailaddress2", consentTable, requiredConsent: "Consent option=Newsletter & Consent value=True" };
  let page = await openForm({ entity: "email", id: MAIL, attributes: { to: [frank], cc: [] }, records: people() }, settings);
  await page.waitForFunction(() => form.calls.some((c) => c.entity === "new_consent"));
  await settle(page);
  assert.ok((await state(page)).calls.some((c) => c.entity === "contact" && /emailaddress2/.test(c.options)), "the recipient's second address is read");
  assert.equal(await command(page, 7), true, "Frank consented with the address the connector syncs");
  assert.deepEqual((await state(page)).dialogs, []);
  await page.close();

  page = await openForm(
    { entity: "email", id: MAIL, attributes: { to: [frank], cc: [] }, records: people() },
    { ...settings, emailAttribute: "emailaddress1" },
  );
  await page.waitForFunction(() => form.calls.some((c) => c.entity === "new_consent"));
  await settle(page);
  assert.equal(await command(page, 7), false, "judged by the first address, he has no consent");
  await page.close();

  page = await openForm(
    { entity: "contact", id: FRANK, attributes: { emailaddress1: "old@contoso.com", emailaddress2: "frank@contoso.com", msdyn_gdproptout: false }, records: people() },
    settings,
  );
  await page.waitForFunction(() => form.notifications().some((n) => n.id === "consentguard.consent"));
  const s = await state(page);
  assert.equal(note(s, "consentguard.consent").message, "Consent: Newsletter: yes (2024-05-03).");
  assert.equal(note(s, "consentguard.consentrequired"), undefined);
  await page.close();
});

test("a failure's notification is in the user's language", async () => {
  const page = await openForm(
    { entity: "contact", id: FRANK, userLanguageId: 1043, attributes: { emailaddress1: "frank@contoso.com" }, records: people() },
    undefined,
    {
      // Another script broke the email column: it holds no text.
      prepare: () => {
        window.form.formContext.getAttribute("emailaddress1").getValue = () => ["not", "text"];
      },
    },
  );
  assert.equal(await command(page, 1), false);
  const fault = note(await state(page), "consentguard.fault");
  assert.equal(fault.level, "ERROR");
  assert.equal(
    fault.message,
    "Niet opgeslagen: consent-guard kon niet controleren of Spotler de contactpersoon door dit opslaan gaat anonimiseren (request.before.email: expected a string, got an array).",
  );
  await page.close();
});

test("records and recipients named like placeholders are shown by exactly that name", async () => {
  const names = ["{0}", "{1}", "Record {1}"];
  const rule = "Consent option=Newsletter & Consent value=True";
  const records = people();
  const to = names.map((name, i) => {
    const id = `9999999${i}-9999-9999-9999-999999999999`;
    records[`contact:${id}`] = { fullname: name, emailaddress1: `p${i}@contoso.com`, donotemail: false, msdyn_gdproptout: false };
    return { id, name, entityType: "contact" };
  });
  // "no consent for {1}" has a second argument: a name holding `{1}` must not be read again.
  let page = await openForm({ entity: "email", id: MAIL, attributes: { to, cc: [] }, records }, { consentTable, requiredConsent: rule });
  await page.waitForFunction(() => form.calls.filter((c) => c.entity === "new_consent").length >= 3);
  await settle(page);
  assert.equal(await command(page, 7), false);
  await page.waitForFunction(() => form.dialogs.length === 1);
  assert.equal((await state(page)).dialogs[0].text, ["This email goes to:", ...names.map((n) => `${n}: no consent for ${rule}.`)].join("\n"));
  await page.close();

  for (const name of names) {
    // A delete the user may not do: "{0} could not be deleted: {1}" names the record as it is.
    page = await openForm({ entity: "contact", id: FRANK, name, attributes: {}, records: people(), webApi: { forbidden: [FRANK] } }, {});
    const deleting = page.evaluate(() => ConsentGuard.confirmDelete(window.form.formContext));
    await page.waitForFunction(() => form.dialogs.length === 1);
    assert.ok((await state(page)).dialogs[0].text.startsWith(`Deleting ${name} makes Spotler`), name);
    await answer(page, true);
    await deleting;
    assert.equal(note(await state(page), "consentguard.fault").message, `${name} could not be deleted: Principal user is missing prvDeletecontact privilege.`);
    await page.close();
  }
});
