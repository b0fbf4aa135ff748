// Start-up when something is off: the module blocked by the page's Content-Security-Policy (every
// guard then asks where it cannot check), the
// org's settings answered oddly or kept oddly in the session, a form without PostSave, and a
// handler registered without its execution context. The guard fails closed every time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FRANK, HOLLY, MAIL, answer, command, settle, state, useSimulatedForms } from "./simulated-forms.mjs";

const { openForm } = useSimulatedForms();
const VARIABLE = "cg_ConsentGuardSettings";
/** No 'wasm-unsafe-eval': the module cannot compile. */
const CSP = "script-src 'unsafe-inline' http://127.0.0.1:*";

const holly = (extra = {}) => ({
  entity: "contact",
  id: HOLLY,
  controls: ["EmailGrid"],
  attributes: { emailaddress1: "holly@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: true },
  records: { [`contact:${HOLLY}`]: { msdyn_gdproptout: true } },
  environmentVariables: { [VARIABLE]: { value: JSON.stringify({ emailDataControls: ["EmailGrid"] }) } },
  ...extra,
});
const frank = (extra = {}) => ({
  entity: "contact",
  id: FRANK,
  attributes: {
    emailaddress1: "old@contoso.com",
    emailaddress2: "frank@contoso.com",
    donotemail: false,
    donotbulkemail: false,
    statecode: 0,
    msdyn_gdproptout: false,
    description: "",
  },
  records: { [`contact:${FRANK}`]: { msdyn_gdproptout: false } },
  ...extra,
});

/** A page with `spec`'s form as the page's form (`Xrm.Page`), `onLoad` left to the test. */
const openPageForm = (spec) =>
  openForm(spec, undefined, {
    load: false,
    prepare: () => {
      Xrm.Page = window.form.formContext;
    },
  });

test("the module blocked by CSP: the controls the org's variable names stay hidden, and the email column the settings name is watched", async () => {
  const page = await openForm(holly(), undefined, { csp: CSP });
  await settle(page);
  assert.equal(await page.evaluate(() => form.visible("Timeline")), false);
  assert.equal(await page.evaluate(() => form.visible("EmailGrid")), false, "named by the org's variable");
  await page.close();

  const other = await openForm(frank(), { emailAttribute: "emailaddress2" }, { csp: CSP });
  await settle(other);
  await other.evaluate(() => form.set("emailaddress2", null));
  assert.equal(await command(other, 1), false, "clearing the email the settings name asks first");
  assert.equal((await state(other)).dialogs.length, 1);
  await other.close();
});

test("an org query answered with no list is unreadable settings, in the user's language, read again by the next form", async () => {
  const page = await openForm(frank({ userLanguageId: 1043 }), undefined, {
    origin: true,
    load: false,
    beforeScript: () => {
      const read = Xrm.WebApi.retrieveMultipleRecords.bind(Xrm.WebApi);
      window.orgQueries = 0;
      Xrm.WebApi.retrieveMultipleRecords = (entity, options) => {
        if (entity !== "environmentvariabledefinition") return read(entity, options);
        window.orgQueries++;
        return Promise.resolve({});
      };
    },
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.evaluate(() => ConsentGuard.onLoad(window.form.executionContext));
  const { notifications } = await state(page);
  const settings = notifications.find((n) => n.id === "consentguard.settings");
  assert.match(settings?.message ?? "", /cg_ConsentGuardSettings/);
  assert.match(settings.message, /the answer lists no records/);
  assert.doesNotMatch(settings.message, /^consent-guard ran into/, "worded by the module, in Dutch");
  // Saves are judged by the rules module (in Dutch), not the fallback that says it did not load.
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 1), false);
  const [dialog] = (await state(page)).dialogs;
  assert.notEqual(dialog?.title, "Check before saving");
  assert.deepEqual(errors, []);
  // The page's own early read failed, so the form read again: a failed read is never kept.
  assert.equal(await page.evaluate(() => window.orgQueries), 2);
  await page.close();
});

test("settings kept oddly in the session are read again, not taken for an org without the variable", async () => {
  const spec = frank({ environmentVariables: { [VARIABLE]: { value: JSON.stringify({ anonymizeWhenInactive: true }) } } });
  for (const kept of ["{}", "5", '"x"', '{"text":5}']) {
    const page = await openForm(spec, undefined, {
      origin: true,
      beforeScript: `sessionStorage.setItem("consentguard.cg_ConsentGuardSettings", ${JSON.stringify(JSON.stringify(kept))})`,
      load: false,
    });
    await page.evaluate(() => ConsentGuard.onLoad(window.form.executionContext));
    // Deactivate: the org's "Anonymize Contact When Inactive" asks first.
    assert.equal(await command(page, 5), false, `kept ${kept}: Deactivate asks`);
    assert.equal((await state(page)).calls.filter((c) => c.entity === "environmentvariabledefinition").length, 1, kept);
    await page.close();
  }
});

test("settings kept in the session are used for ten minutes from when they were read, then read again", async () => {
  const spec = frank({ environmentVariables: { [VARIABLE]: { value: JSON.stringify({ anonymizeWhenInactive: true }) } } });
  for (const [age, asks, queries] of [
    [60 * 1000, false, 0],
    [11 * 60 * 1000, true, 1],
  ]) {
    const kept = JSON.stringify({ text: JSON.stringify({ anonymizeWhenInactive: false }), at: Date.now() - age });
    const page = await openForm(spec, undefined, {
      origin: true,
      beforeScript: `sessionStorage.setItem("consentguard.cg_ConsentGuardSettings", ${JSON.stringify(kept)})`,
      load: false,
    });
    await page.evaluate(() => ConsentGuard.onLoad(window.form.executionContext));
    assert.equal((await state(page)).calls.filter((c) => c.entity === "environmentvariabledefinition").length, queries, `kept ${age} ms ago`);
    assert.equal(await command(page, 5), !asks, `kept ${age} ms ago: Deactivate ${asks ? "asks" : "goes through"}`);
    await page.close();
  }
});

test("a form without PostSave still has its saves judged, not held for good", async () => {
  const page = await openForm(frank(), undefined, { load: false });
  await page.evaluate(() => {
    window.form.formContext.data.entity.addOnPostSave = undefined;
    return ConsentGuard.onLoad(window.form.executionContext);
  });
  await page.evaluate(() => form.set("description", "typo fixed"));
  assert.equal(await command(page, 1), true, "a save that changes nothing the connector reads goes through");
  await page.close();
});

test("a handler registered without its execution context guards the page's form (Xrm.Page) with the settings it was given", async () => {
  for (const call of [
    () => ConsentGuard.onLoad('{"emailDataControls":["EmailGrid"]}'),
    () => ConsentGuard.onLoad(window.form.formContext, { emailDataControls: ["EmailGrid"] }),
  ]) {
    const page = await openPageForm(holly({ environmentVariables: {} }));
    await page.evaluate(call);
    assert.equal(await page.evaluate(() => form.visible("Timeline")), false);
    assert.equal(await page.evaluate(() => form.visible("EmailGrid")), false);
    await page.evaluate(() => form.set("donotemail", true));
    assert.equal(await command(page, 1), false, "the save guard is in place");
    await page.close();
  }
});

test("settings split over several parameters (the parameter box's commas) are named, not half read, with or without the execution context", async () => {
  for (const call of [
    () => ConsentGuard.onLoad(window.form.executionContext, { languageId: 1043 }, { anonymizeWhenInactive: false, emailDataControls: ["EmailGrid"] }),
    () => ConsentGuard.onLoad({ languageId: 1043 }, { anonymizeWhenInactive: false, emailDataControls: ["EmailGrid"] }),
    // As the parameter box passes them: JSON text, with an empty value after them.
    () => ConsentGuard.onLoad(window.form.executionContext, '{"languageId": 1043}', '{"emailDataControls": ["EmailGrid"]}', ""),
  ]) {
    const page = await openPageForm(frank({ controls: ["EmailGrid"] }));
    await page.evaluate(call);
    const s = await state(page);
    const problem = s.notifications.find((n) => n.id === "consentguard.settings");
    assert.equal(problem?.level, "ERROR");
    assert.match(problem.message, /the form passes 2 parameters; give the settings as one JSON object/);
    assert.equal(s.timeline, false, "invalid settings keep email data hidden");
    assert.equal(await page.evaluate(() => form.visible("EmailGrid")), false, "the controls a parameter names are hidden too");
    assert.equal(await command(page, 5), false, "anonymizeWhenInactive counts as on: Deactivate asks");
    await page.close();
  }
});

test("empty parameters after the settings are no parameters: the settings are read as usual", async () => {
  for (const call of [
    () => ConsentGuard.onLoad(window.form.executionContext, '{"anonymizeWhenInactive": true}', undefined, ""),
    () => ConsentGuard.onLoad('{"anonymizeWhenInactive": true}', null, " "),
  ]) {
    const page = await openPageForm(frank());
    await page.evaluate(call);
    const s = await state(page);
    assert.equal(s.notifications.find((n) => n.id === "consentguard.settings"), undefined);
    assert.equal(s.timeline, true);
    assert.equal(await command(page, 5), false, "the setting is read: Deactivate asks");
    await page.close();
  }
});

test("the module blocked by CSP: an Email's Send and a Spotler Job's save ask first, as neither can be checked", async () => {
  const hollyRef = { id: HOLLY, name: "Holly Smith", entityType: "contact" };
  const people = { [`contact:${HOLLY}`]: { fullname: "Holly Smith", emailaddress1: "holly@contoso.com", donotemail: true, msdyn_gdproptout: true } };
  const mail = await openForm({ entity: "email", id: MAIL, attributes: { to: [hollyRef], cc: [], subject: "Offer" }, records: people }, undefined, {
    csp: CSP,
  });
  await settle(mail);
  // A draft saved is harmless; Send asks.
  assert.equal(await command(mail, 1), true);
  assert.equal(await command(mail, 7), false, "Send asks");
  let s = await state(mail);
  assert.equal(s.dialogs.length, 1);
  assert.match(s.dialogs[0].text, /could not check its recipients/);
  await answer(mail, true);
  assert.deepEqual((await state(mail)).saves, [1, 7]);
  await mail.close();

  const spotlerJob = { entity: "spotler_job", operationAttribute: "spotler_operation", anonymizeOperation: 3, resultAttribute: "spotler_status", customerAttribute: "spotler_customerid" };
  const job = await openForm({ entity: "spotler_job", attributes: { spotler_operation: 3, spotler_customerid: [hollyRef], spotler_status: null }, records: people }, { spotlerJob }, { csp: CSP });
  await settle(job);
  assert.equal(await command(job, 1), false, "a job's save asks");
  s = await state(job);
  assert.match(s.dialogs[0]?.text ?? "", /This Spotler Job may anonymize a contact/);
  assert.equal(await command(job, 70), false, "an AutoSave of a job is held");
  await job.close();
});
