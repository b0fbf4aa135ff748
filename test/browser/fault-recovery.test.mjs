// A fault notice says what could not be done; once that part of the guard works again, the
// notice goes: a save judged again, a decision on the email data made again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FRANK, HOLLY, answer, command, note, settle, state, useSimulatedForms } from "./simulated-forms.mjs";

const { context, openForm: open } = useSimulatedForms();
/** The form with `onLoad` resolved and its first reads done. */
const openForm = async (spec, settings, options) => {
  const page = await open(spec, settings, options);
  await settle(page);
  return page;
};
const saved = { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, telephone1: null };
const people = () => ({
  [`contact:${HOLLY}`]: { fullname: "Holly Smith", msdyn_gdproptout: true, ...saved, emailaddress1: "holly@contoso.com" },
  [`contact:${FRANK}`]: { fullname: "Frank Lee", msdyn_gdproptout: false, ...saved },
});
const holly = { id: HOLLY, name: "Holly Smith", entityType: "contact" };
const OPPORTUNITY = "44444444-4444-4444-4444-444444444444";

/** A script that makes `getValue` of attribute `name` throw, as a form in a bad state might, until `window.recovered` is set. */
const failingScript = (name) => `{
  const attribute = window.form.executionContext.getFormContext().getAttribute(${JSON.stringify(name)});
  const getValue = attribute.getValue.bind(attribute);
  attribute.getValue = () => {
    if (window.recovered) return getValue();
    throw new Error(${JSON.stringify(`${name} could not be read`)});
  };
}`;
const failing = (page, name) => page.evaluate(failingScript(name));
const recover = (page) => page.evaluate(() => (window.recovered = true));

test("a save held back by a fault: the next save judged clears the fault notice", async () => {
  const page = await openForm({ entity: "contact", id: FRANK, attributes: { ...saved }, records: people() });
  await page.evaluate(() => form.set("telephone1", "555"));
  await failing(page, "emailaddress1");
  assert.equal(await command(page, 1), false, "held back");
  await settle(page);
  let s = await state(page);
  assert.match(note(s, "consentguard.fault")?.message ?? "", /^Not saved: consent-guard could not check/);
  assert.deepEqual(s.saves, []);
  // The same save again, now judged: it goes through and the fault notice goes.
  await recover(page);
  assert.equal(await command(page, 1), true);
  await settle(page);
  s = await state(page);
  assert.equal(note(s, "consentguard.fault"), undefined);
  assert.deepEqual(s.saves, [1]);
  await page.close();
});

test("a fault while deciding on the email data: the next decision clears the notice", async () => {
  const page = await openForm({
    entity: "opportunity",
    id: OPPORTUNITY,
    records: { ...people(), [`opportunity:${OPPORTUNITY}`]: { msdyn_gdproptout: false } },
    attributes: { parentcontactid: [{ id: FRANK, name: "Frank Lee", entityType: "contact" }], name: "Deal" },
  });
  assert.equal((await state(page)).timeline, true);
  // A lookup change whose value cannot be read: a fault, and the data hidden.
  await failing(page, "parentcontactid");
  await page.evaluate(() => window.form.executionContext.getFormContext().getAttribute("parentcontactid").fireOnChange());
  await settle(page);
  let s = await state(page);
  assert.match(note(s, "consentguard.fault")?.message ?? "", /parentcontactid could not be read/, JSON.stringify(s.notifications));
  assert.equal(s.timeline, false);
  // The next change is decided: Holly opted out, so the data stays hidden, for that reason now.
  await recover(page);
  await page.evaluate((lookup) => form.set("parentcontactid", [lookup]), holly);
  await settle(page);
  s = await state(page);
  assert.equal(note(s, "consentguard.fault"), undefined);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /Holly Smith/);
  await page.close();
});

test("a save's fault stays when the email data is decided, until a save is judged", async () => {
  const frank = { id: FRANK, name: "Frank Lee", entityType: "contact" };
  const page = await openForm({ entity: "contact", id: FRANK, attributes: { ...saved, managerid: [frank] }, records: people() });
  await page.evaluate(() => form.set("telephone1", "555"));
  await failing(page, "emailaddress1");
  assert.equal(await command(page, 1), false, "held back");
  await settle(page);
  const fault = note(await state(page), "consentguard.fault");
  assert.match(fault?.message ?? "", /^Not saved/);
  await recover(page);
  await page.evaluate((lookup) => form.set("managerid", [lookup]), holly);
  await settle(page);
  let s = await state(page);
  assert.match(note(s, "consentguard.emaildata")?.message ?? "", /Holly Smith/, "decided");
  assert.deepEqual(note(s, "consentguard.fault"), fault, "the save's fault stays");
  assert.equal(await command(page, 1), true);
  await settle(page);
  s = await state(page);
  assert.equal(note(s, "consentguard.fault"), undefined);
  await page.close();
});

test("a fault of the form as a whole stays, also through a part's fault and its recovery", async () => {
  for (const [why, spec, options] of [
    ["the platform refuses a handler", { failAddOnLoad: true }, {}],
    ["the module cannot start (Content-Security-Policy)", {}, { csp: `script-src 'unsafe-inline' ${context.server.url}` }],
  ]) {
    const page = await openForm({ entity: "contact", id: FRANK, attributes: { ...saved }, records: people(), ...spec }, undefined, options);
    const fault = note(await state(page), "consentguard.fault");
    assert.ok(fault, `${why}: reported`);
    // A save that cannot be judged shows its own fault; once saves are judged again, the
    // form's fault shows again.
    await page.evaluate(() => form.set("telephone1", "555"));
    await failing(page, "emailaddress1");
    assert.equal(await command(page, 1), false, `${why}: held back`);
    await settle(page);
    assert.match(note(await state(page), "consentguard.fault").message, /emailaddress1 could not be read/, why);
    await recover(page);
    await command(page, 1);
    await settle(page);
    assert.deepEqual(note(await state(page), "consentguard.fault"), fault, why);
    await page.close();
  }
});

test("a fault of the first decision, made while onLoad runs, goes with the next decision", async () => {
  const page = await openForm(
    {
      entity: "opportunity",
      id: OPPORTUNITY,
      records: { ...people(), [`opportunity:${OPPORTUNITY}`]: { msdyn_gdproptout: false } },
      attributes: { parentcontactid: [{ id: FRANK, name: "Frank Lee", entityType: "contact" }], name: "Deal" },
    },
    undefined,
    { prepare: failingScript("parentcontactid") },
  );
  let s = await state(page);
  assert.match(note(s, "consentguard.fault")?.message ?? "", /parentcontactid could not be read/);
  assert.equal(s.timeline, false);
  await recover(page);
  await page.evaluate(() => window.form.executionContext.getFormContext().getAttribute("parentcontactid").fireOnChange());
  await settle(page);
  s = await state(page);
  assert.equal(note(s, "consentguard.fault"), undefined);
  assert.equal(s.timeline, true, "Frank did not opt out");
  await page.close();
});

test("a Delete that failed stays reported when a save is judged", async () => {
  const page = await openForm({ entity: "contact", id: FRANK, attributes: { ...saved }, records: people() });
  await page.evaluate(() => form.set("telephone1", "555"));
  await failing(page, "emailaddress1");
  assert.equal(await command(page, 1), false);
  await settle(page);
  await recover(page);
  await page.evaluate(() => {
    Xrm.WebApi.deleteRecord = () => Promise.reject({ message: "The record is locked." });
  });
  const deleting = page.evaluate(() => ConsentGuard.confirmDelete(window.form.formContext));
  await page.waitForFunction(() => form.dialogs.length === 1);
  await answer(page, true);
  await deleting;
  assert.match(note(await state(page), "consentguard.fault").message, /The record is locked/);
  await command(page, 1);
  await settle(page);
  assert.match(note(await state(page), "consentguard.fault")?.message ?? "", /The record is locked/);
  await page.close();
});
