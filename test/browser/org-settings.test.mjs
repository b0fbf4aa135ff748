// The settings of the whole org: the consent-guard solution's JSON environment variable, read
// once per ten minutes of a browser session, under the settings of the form's parameter box (key by key).
import { test } from "node:test";
import assert from "node:assert/strict";
import { harnessScript } from "../harness/bundle.mjs";
import { FRANK, command, note, settle, state, useSimulatedForms } from "./simulated-forms.mjs";

const { context, openForm } = useSimulatedForms();
const VARIABLE = "cg_ConsentGuardSettings";
const records = { [`contact:${FRANK}`]: { msdyn_gdproptout: false } };

/** A Contact form (not opted out) in an org whose variable is `variable` (none when undefined). */
const contact = (variable, extra = {}) => ({
  entity: "contact",
  id: FRANK,
  attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false },
  records,
  ...(variable ? { environmentVariables: { [VARIABLE]: variable } } : {}),
  ...extra,
});

const variableReads = (s) => s.calls.filter((c) => c.entity === "environmentvariabledefinition");

test("the variable's current value beats its default, in one query", async () => {
  const page = await openForm(
    contact({ defaultValue: JSON.stringify({ anonymizeWhenInactive: false }), value: JSON.stringify({ anonymizeWhenInactive: true }) }),
  );
  const s = await state(page);
  assert.equal(note(s, "consentguard.settings"), undefined);
  assert.equal(s.timeline, true);
  assert.deepEqual(variableReads(s), [
    {
      method: "retrieveMultipleRecords",
      entity: "environmentvariabledefinition",
      options: `?$select=schemaname,defaultvalue&$filter=schemaname eq '${VARIABLE}'&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)`,
    },
  ]);
  // "Anonymize Contact When Inactive" is on, from the org: Deactivate asks.
  assert.equal(await command(page, 5), false);
  assert.equal((await state(page)).dialogs.length, 1);
  await page.close();

  const byDefault = await openForm(contact({ defaultValue: JSON.stringify({ anonymizeWhenInactive: true }) }));
  assert.equal(await command(byDefault, 5), false, "without a current value the default counts");
  await byDefault.close();
});

test("the form's parameter box overrides the org's settings key by key", async () => {
  const org = { value: JSON.stringify({ anonymizeWhenInactive: true, languageId: 1043 }) };
  const page = await openForm(contact(org), { languageId: 1036 });
  assert.equal(await command(page, 5), false, "anonymizeWhenInactive still comes from the org");
  const [dialog] = (await state(page)).dialogs;
  assert.equal(dialog.cancelButtonLabel, "Annuler", "the form's languageId wins");
  await page.close();

  const off = await openForm(contact(org), JSON.stringify({ anonymizeWhenInactive: false }));
  assert.equal(await command(off, 5), true, "the form turns the org's setting off");
  await off.close();
});

test("a byte order mark before the JSON (as some editors save it) is no fault, in the variable or in the form's parameters", async () => {
  for (const [variable, settings] of [
    [{ value: `\uFEFF${JSON.stringify({ anonymizeWhenInactive: true })}` }, undefined],
    [undefined, `\uFEFF${JSON.stringify({ anonymizeWhenInactive: true })}`],
  ]) {
    const page = await openForm(contact(variable), settings);
    const s = await state(page);
    assert.equal(note(s, "consentguard.settings"), undefined, JSON.stringify(note(s, "consentguard.settings")));
    assert.equal(s.timeline, true);
    // Read, not only forgiven: "Anonymize Contact When Inactive" is on, so Deactivate asks.
    assert.equal(await command(page, 5), false);
    await page.close();
  }
});

test("a key given twice (the first value silently lost) is named, in the variable or the form's parameters, and anonymizeWhenInactive counts as on", async () => {
  const twice = '{"anonymizeWhenInactive": true, "languageId": 1033, "anonymizeWhenInactive": false}';
  for (const [variable, settings, source] of [
    [{ value: twice }, undefined, "environment variable cg_ConsentGuardSettings"],
    [undefined, twice, "settings"],
  ]) {
    const page = await openForm(contact(variable), settings);
    const s = await state(page);
    const problem = note(s, "consentguard.settings");
    assert.equal(problem?.level, "ERROR");
    assert.ok(problem.message.includes(`${source}: \`anonymizeWhenInactive\` is given twice in one object`), problem.message);
    assert.equal(s.timeline, false, "invalid settings keep email data hidden");
    assert.equal(await command(page, 5), false, "Deactivate asks");
    await page.close();
  }
});

test("bad JSON or an unknown key in the variable is named on the form, and email data stays hidden", async () => {
  for (const [value, expected] of [
    ["{anonymizeWhenInactive: true", /environment variable cg_ConsentGuardSettings: the text is not valid JSON/],
    [JSON.stringify({ anonymiseWhenInactive: true }), /environment variable cg_ConsentGuardSettings: unknown key `anonymiseWhenInactive`/],
    [JSON.stringify({ languageId: "nl" }), /environment variable cg_ConsentGuardSettings\.languageId: expected an integer/],
  ]) {
    const page = await openForm(contact({ value }));
    const s = await state(page);
    const problem = note(s, "consentguard.settings");
    assert.equal(problem?.level, "ERROR", value);
    assert.match(problem.message, expected);
    assert.equal(s.timeline, false, `${value}: invalid settings keep email data hidden`);
    await page.close();
  }
});

test("an org without the variable is no fault; a failing read is reported and fails closed", async () => {
  const without = await openForm(contact(undefined));
  let s = await state(without);
  assert.equal(note(s, "consentguard.settings"), undefined);
  assert.equal(s.timeline, true);
  assert.equal(variableReads(s).length, 1, "it looked once");
  await without.close();

  const failing = await openForm(contact({ value: "{}" }, { webApi: { rejectEntities: ["environmentvariabledefinition"] } }));
  s = await state(failing);
  const problem = note(s, "consentguard.settings");
  assert.match(problem?.message ?? "", /the environment variable cg_ConsentGuardSettings could not be read \(The environmentvariabledefinition table is not available\.\)/);
  assert.equal(s.timeline, false, "unsure is closed");
  // Invalid settings count "Anonymize Contact When Inactive" as on: more warnings, never fewer.
  assert.equal(await command(failing, 5), false);
  await failing.close();
});

test("the variable is read as the script loads, before the form raises OnLoad", async () => {
  const page = await context.browser.newPage();
  await page.setContent("<!doctype html><title>form</title>");
  await page.addScriptTag({ content: await harnessScript() });
  await page.evaluate((s) => void Harness.form(s), contact({ value: JSON.stringify({ anonymizeWhenInactive: true }) }));
  await page.addScriptTag({ url: `${context.server.url}/dist/consentguard.js` });
  await settle(page);
  assert.equal(variableReads(await state(page)).length, 1, "read when the script loaded");
  await page.evaluate(() => ConsentGuard.onLoad(window.form.executionContext));
  const s = await state(page);
  assert.equal(variableReads(s).length, 1, "onLoad found the read done");
  assert.equal(await command(page, 5), false, "and used it: Deactivate asks");
  await page.close();
});

test("after ten minutes the variable is read again, so a value an administrator corrected takes effect", async () => {
  const page = await openForm(contact({ value: JSON.stringify({ anonymizeWhenInactive: true }) }));
  assert.equal(variableReads(await state(page)).length, 1);
  // Eleven minutes on, the administrator has turned the setting off; the next form reads it anew.
  await page.evaluate(() => {
    const now = Date.now.bind(Date);
    Date.now = () => now() + 11 * 60 * 1000;
  });
  await page.evaluate((spec) => void Harness.form(spec), contact({ value: JSON.stringify({ anonymizeWhenInactive: false }) }));
  await page.evaluate(() => ConsentGuard.onLoad(window.form.executionContext));
  await settle(page);
  const s = await state(page);
  assert.equal(variableReads(s).length, 1, "one new query");
  assert.equal(await command(page, 5), true, "the corrected value holds: Deactivate goes through unasked");
  await page.close();
});

test("a second form in the same session makes no call for the variable", async () => {
  const page = await openForm(contact({ value: JSON.stringify({ anonymizeWhenInactive: true }) }));
  assert.equal(variableReads(await state(page)).length, 1);
  // The next form of the session (the same page, as the app keeps its scripts loaded).
  await page.evaluate((spec) => void Harness.form(spec), contact({ value: JSON.stringify({ anonymizeWhenInactive: false }) }));
  await page.evaluate(() => ConsentGuard.onLoad(window.form.executionContext));
  await settle(page);
  const s = await state(page);
  assert.deepEqual(variableReads(s), [], "no second query");
  assert.equal(await command(page, 5), false, "the session's value still holds");
  await page.close();
});
