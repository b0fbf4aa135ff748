// What a confirmation covers: the values the dialog named. Values typed while it is open are
// judged anew; commands a script cannot carry out (Activate, Mark Complete) are repeated by the user.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FRANK, answer, command, note, settle, state, useSimulatedForms } from "./simulated-forms.mjs";

const { openForm } = useSimulatedForms();

const frank = (attributes = {}) => ({
  entity: "contact",
  id: FRANK,
  attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false, ...attributes },
  records: { [`contact:${FRANK}`]: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false, ...attributes } },
});

/** A platform whose save runs its OnSave handlers after a pause (run in the page before `onLoad`). */
const deferSave = () => {
  const save = form.formContext.data.save.bind(form.formContext.data);
  form.formContext.data.save = (options) => new Promise((resolve) => setTimeout(resolve, 60)).then(() => save(options));
};

test("values typed while the dialog is open are judged anew: a new reason asks again, a harmless change saves", async () => {
  const page = await openForm(frank());
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 1), false);
  assert.match((await state(page)).dialogs[0].text, /Do Not Email/);
  // While the dialog is open: Do Not Email taken back, the email cleared instead.
  await page.evaluate(() => {
    form.set("donotemail", false);
    form.set("emailaddress1", null);
  });
  await answer(page, true);
  let s = await state(page);
  assert.deepEqual(s.saves, [], "nothing saved on a confirmation of other values");
  assert.equal(s.dialogs.length, 2, "asked again");
  assert.match(s.dialogs[1].text, /removed or not valid/);
  assert.doesNotMatch(s.dialogs[1].text, /Do Not Email is set/);
  await answer(page, true);
  s = await state(page);
  assert.deepEqual(s.saves, [1]);
  await page.close();

  const harmless = await openForm(frank());
  await harmless.evaluate(() => form.set("donotemail", true));
  await command(harmless, 1);
  await harmless.evaluate(() => form.set("donotemail", false));
  await answer(harmless, true);
  s = await state(harmless);
  assert.equal(s.dialogs.length, 1, "nothing left to ask about");
  assert.deepEqual(s.saves, [1]);
  await harmless.close();
});

test("a confirmed Activate is the user's to repeat: a script's save would not activate the record", async () => {
  const page = await openForm(frank({ statecode: 1 }));
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 6), false);
  await answer(page, true);
  let s = await state(page);
  assert.deepEqual(s.saves, [], "not turned into a plain save");
  assert.match(note(s, "consentguard.confirmed")?.message ?? "", /choose Activate again/);
  assert.equal(await command(page, 6), true, "the repeat goes ahead");
  s = await state(page);
  assert.deepEqual(s.saves, [6]);
  assert.equal(await page.evaluate(() => form.formContext.getAttribute("statecode").getValue()), 0);
  await page.close();
});

test("a held-back AutoSave's notice stays through a Cancel, and the Do Not Bulk Email notice goes once it is taken back", async () => {
  const page = await openForm(frank());
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 70), false);
  assert.ok(note(await state(page), "consentguard.autosave")?.message, "AutoSave held, and said so");
  assert.equal(await command(page, 1), false);
  await answer(page, false);
  let s = await state(page);
  assert.deepEqual(s.saves, []);
  assert.ok(note(s, "consentguard.autosave")?.message, "still unsaved: the notice stays");
  await page.close();

  const bulk = await openForm(frank());
  await bulk.evaluate(() => {
    form.set("donotbulkemail", true);
    form.set("donotemail", true);
  });
  await command(bulk, 1);
  await answer(bulk, false);
  s = await state(bulk);
  const bulkNotice = s.notifications.find((n) => /reset all of this contact's permissions/.test(n.message ?? ""));
  assert.ok(bulkNotice, "the bulk notice shows with the dialog");
  await bulk.evaluate(() => {
    form.set("donotbulkemail", false);
    form.set("donotemail", false);
  });
  s = await state(bulk);
  assert.equal(
    s.notifications.some((n) => /reset all of this contact's permissions/.test(n.message ?? "")),
    false,
    "gone once Do Not Bulk Email is taken back",
  );
  await bulk.close();
});

test("what is shown follows the unsaved values: a held AutoSave's warning goes when a refresh takes the change away, and Do Not Bulk Email's notice stays while it is unsaved", async () => {
  const page = await openForm(frank());
  await page.evaluate(() => {
    form.set("donotbulkemail", true);
    form.set("donotemail", true);
  });
  assert.equal(await command(page, 70), false);
  let s = await state(page);
  assert.ok(note(s, "consentguard.autosave")?.message, "the AutoSave is held, and says so");
  assert.match(note(s, "consentguard.bulkemail")?.message ?? "", /reset all of this contact's permissions/);
  // Do Not Email taken back: nothing would be held any more, but Do Not Bulk Email is still unsaved.
  await page.evaluate(() => form.set("donotemail", false));
  s = await state(page);
  assert.equal(note(s, "consentguard.autosave"), undefined, "nothing is held back now");
  assert.match(note(s, "consentguard.bulkemail")?.message ?? "", /reset all of this contact's permissions/, "still unsaved: still said");
  await page.close();

  const refreshed = await openForm(frank());
  await refreshed.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(refreshed, 70), false);
  assert.ok(note(await state(refreshed), "consentguard.autosave")?.message);
  // A refresh that drops the unsaved change sets the values without their OnChange.
  await refreshed.evaluate(() => form.refresh());
  await settle(refreshed);
  s = await state(refreshed);
  assert.equal(await refreshed.evaluate(() => form.value("donotemail")), false);
  assert.equal(note(s, "consentguard.autosave"), undefined, "no held-back change is left to warn about");
  await refreshed.close();
});

test("an AutoSave held while the dialog is open is said once the user cancels; a second click meanwhile asks nothing more", async () => {
  const page = await openForm(frank());
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 1), false);
  assert.equal(await command(page, 70), false, "AutoSave while the dialog is open");
  assert.equal(await command(page, 1), false, "a second click while the dialog is open");
  await answer(page, false);
  const s = await state(page);
  assert.equal(s.dialogs.length, 1, "the dialog answered the second click too");
  assert.deepEqual(s.saves, []);
  assert.ok(note(s, "consentguard.autosave")?.message, "the held AutoSave asks for an explicit save");
  assert.equal(await page.evaluate(() => form.value("donotemail")), true, "the user's value stays");
  await page.close();
});

test("a Save pressed while the form's facts are still being read is judged once they are in: asked about, not dropped", async () => {
  const spec = frank();
  spec.latencyMs = 300;
  const page = await openForm(spec, undefined, { load: false });
  await page.evaluate(() => {
    window.loading = ConsentGuard.onLoad(window.form.executionContext);
  });
  await page.evaluate(() => form.set("emailaddress1", "frank.lee@contoso.com"));
  assert.equal(await command(page, 70), false, "an AutoSave, held while the facts are read");
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 1), false, "the user's Save, held too");
  await page.evaluate(() => window.loading);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 700)));
  let s = await state(page);
  assert.equal(s.dialogs.length, 1, "the Save is asked about");
  assert.match(s.dialogs[0].text, /Do Not Email is set/);
  await answer(page, true);
  s = await state(page);
  assert.deepEqual(s.saves, [1]);
  await page.close();
});

test("values changed between the confirmation and a replayed save the platform runs a moment later are asked about, not saved unseen", async () => {
  const page = await openForm(frank(), undefined, { prepare: deferSave });
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 1), false);
  await page.evaluate(() => {
    form.dialogs.at(-1).answer(true);
    setTimeout(() => form.set("emailaddress1", null), 20);
  });
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
  let s = await state(page);
  assert.deepEqual(s.saves, [], "the email cleared after the confirmation is not saved unseen");
  assert.equal(s.dialogs.length, 2, "asked again");
  assert.match(s.dialogs[1].text, /removed or not valid/);
  await answer(page, true);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 150)));
  s = await state(page);
  assert.deepEqual(s.saves, [1]);
  await page.close();
});

test("a command pressed twice while the facts are read is one command: asked once, saved once", async () => {
  const slow = () => ({ ...frank(), latencyMs: 300 });
  const page = await openForm(slow(), undefined, { load: false });
  await page.evaluate(() => {
    window.loading = ConsentGuard.onLoad(window.form.executionContext);
  });
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 1), false);
  assert.equal(await command(page, 1), false, "pressed again while the facts are read");
  await page.evaluate(() => window.loading);
  await page.waitForFunction(() => form.dialogs.length > 0);
  await answer(page, false);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
  let s = await state(page);
  assert.equal(s.dialogs.length, 1, "Cancel is the answer to both presses");
  assert.deepEqual(s.saves, []);
  await page.close();

  const twice = await openForm(slow(), undefined, { load: false });
  await twice.evaluate(() => {
    window.loading = ConsentGuard.onLoad(window.form.executionContext);
  });
  await twice.evaluate(() => form.set("emailaddress1", "frank.lee@contoso.com"));
  await command(twice, 59);
  await command(twice, 59);
  await twice.evaluate(() => window.loading);
  await twice.evaluate(() => new Promise((resolve) => setTimeout(resolve, 700)));
  s = await state(twice);
  assert.deepEqual(s.saves, [59], "one Save & New");
  assert.equal(s.opened.length, 1, "one new form");
  await twice.close();
});

test("another command given while a confirmed save is replayed is judged once the replay is done, not lost", async () => {
  const page = await openForm(frank(), undefined, { prepare: deferSave });
  await page.evaluate(() => form.set("donotemail", true));
  assert.equal(await command(page, 1), false);
  await page.evaluate(() => {
    form.dialogs.at(-1).answer(true);
    setTimeout(() => form.command(2), 20);
  });
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 400)));
  const s = await state(page);
  assert.equal(s.dialogs.length, 1, "nothing new to ask about");
  assert.deepEqual(s.saves, [1, 2], "the Save & Close comes after the confirmed save");
  assert.equal(s.closed, true);
  await page.close();
});
