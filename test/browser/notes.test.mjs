// A record of every confirmation (setting `recordConfirmations`): a note on the record, in the
// org's base language, written after the user's command went on its way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FRANK, HOLLY, MAIL, answer, command, note, settle, state, useSimulatedForms } from "./simulated-forms.mjs";

const { openForm } = useSimulatedForms();
const USER_ID = "0a1b2c3d-0000-4000-8000-000000000001";
const VERSION = JSON.parse(await (await import("node:fs/promises")).readFile(new URL("../../package.json", import.meta.url), "utf8")).version;

const people = () => ({
  [`contact:${HOLLY}`]: { fullname: "Holly Smith", emailaddress1: "holly@contoso.com", donotemail: true, msdyn_gdproptout: false },
  [`contact:${FRANK}`]: { fullname: "Frank Lee", emailaddress1: "frank@contoso.com", donotemail: false, msdyn_gdproptout: false },
});

/** Frank's Contact form in an org whose base language is Dutch, used in English. */
const frank = (extra = {}) => ({
  entity: "contact",
  id: FRANK,
  name: "Frank Lee",
  attributes: { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false },
  records: people(),
  orgLanguageId: 1043,
  ...extra,
});

const notes = (page) => page.evaluate(() => form.notes());
const set = (page, name, value) => page.evaluate(([n, v]) => form.set(n, v), [name, value]);

test("a confirmed save is recorded on the record: who, when, what and why, in the org's base language", async () => {
  const page = await openForm(frank(), { recordConfirmations: true });
  await set(page, "donotemail", true);
  assert.equal(await command(page, 1), false);
  await answer(page, false);
  assert.deepEqual(await notes(page), [], "Cancel records nothing");

  assert.equal(await command(page, 1), false);
  await answer(page, true);
  await settle(page);
  assert.deepEqual((await state(page)).saves, [1], "the save went ahead once");
  const [written, ...more] = await notes(page);
  assert.equal(more.length, 0);
  assert.equal(written["objectid_contact@odata.bind"], `/contacts(${FRANK})`);
  assert.equal(written.subject, "consent-guard: Opslaan bevestigd");
  assert.match(written.notetext, new RegExp(`^Nancy Anderson \\(${USER_ID}\\) heeft "Opslaan" bevestigd op \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\(UTC\\)`));
  assert.match(written.notetext, /\n- DoNotEmail: Als u opslaat, /, "the reason's code and its Dutch text");
  assert.ok(written.notetext.endsWith(`consent-guard ${VERSION}`), written.notetext);
  await page.close();
});

test("without recordConfirmations nothing is written", async () => {
  const page = await openForm(frank(), {});
  await set(page, "donotemail", true);
  await command(page, 1);
  await answer(page, true);
  await settle(page);
  assert.deepEqual((await state(page)).saves, [1]);
  assert.deepEqual(await notes(page), []);
  await page.close();
});

test("a note that cannot be written is reported with its reason, once, and the save still happens once", async () => {
  const page = await openForm(frank({ webApi: { rejectEntities: ["annotation"] } }), { recordConfirmations: true });
  await set(page, "donotemail", true);
  await command(page, 1);
  await answer(page, true);
  await settle(page);
  const s = await state(page);
  assert.deepEqual(s.saves, [1]);
  assert.equal(s.calls.filter((c) => c.method === "createRecord").length, 1, "not retried");
  const reported = note(s, "consentguard.note");
  assert.equal(reported?.level, "WARNING");
  assert.match(reported.message, /could not be recorded as a note on this record \(The annotation table is not available\.\)/);
  await page.close();
});

test("Deactivate, which the user repeats, is recorded once, when confirmed", async () => {
  const page = await openForm(frank(), { recordConfirmations: true, anonymizeWhenInactive: true, languageId: 1031 });
  assert.equal(await command(page, 5), false);
  await answer(page, true);
  await settle(page);
  assert.equal(await command(page, 5), true, "the repeated command passes");
  await settle(page);
  const written = await notes(page);
  assert.equal(written.length, 1);
  assert.equal(written[0].subject, "consent-guard: Deactiveren bevestigd");
  assert.match(written[0].notetext, /\n- Inactive: /);
  await page.close();
});

test("an Assign and an Activate are recorded as what they are, not as a save", async () => {
  for (const [mode, statecode, subject] of [
    [47, 0, "consent-guard: Toewijzen bevestigd"],
    [6, 1, "consent-guard: Activeren bevestigd"],
  ]) {
    const page = await openForm(frank({ attributes: { ...frank().attributes, statecode } }), { recordConfirmations: true });
    await set(page, "donotemail", true);
    assert.equal(await command(page, mode), false);
    await answer(page, true);
    await settle(page);
    assert.equal(await command(page, mode), true, "the repeated command passes");
    await settle(page);
    const written = await notes(page);
    assert.equal(written.length, 1);
    assert.equal(written[0].subject, subject);
    await page.close();
  }
});

test("Delete, from a form and from a view as the ribbon calls it, is recorded on no record (it is being deleted)", async () => {
  const page = await openForm(frank({ environmentVariables: { cg_ConsentGuardSettings: { value: JSON.stringify({ recordConfirmations: true }) } } }));
  // From a view: SelectedControl and SelectedControlSelectedItemIds.
  const done = page.evaluate(([a, b]) => {
    const rows = [[a, "Holly Smith"], [b, "Frank Lee"]].map(([id, name]) => ({
      getData: () => ({ getEntity: () => ({ getId: () => `{${id.toUpperCase()}}`, getPrimaryAttributeValue: () => name }) }),
    }));
    const grid = { getEntityName: () => "contact", refresh: () => undefined, getGrid: () => ({ getSelectedRows: () => rows }) };
    return ConsentGuard.confirmDelete(grid, [`{${a.toUpperCase()}}`, `{${b.toUpperCase()}}`]);
  }, [HOLLY, FRANK]);
  await page.waitForFunction(() => form.dialogs.length === 1);
  await answer(page, true);
  await done;
  await settle(page);
  const [written] = await notes(page);
  assert.ok(written, "a note was written");
  assert.equal(written.subject, "consent-guard: Verwijderen bevestigd");
  assert.ok(!Object.keys(written).some((key) => key.endsWith("@odata.bind")), "about no record");
  assert.match(written.notetext, /- Delete: .*Holly Smith, Frank Lee/);
  await page.close();
});

test("Send anyway is recorded on the email", async () => {
  const page = await openForm(
    { entity: "email", id: MAIL, attributes: { to: [{ id: HOLLY, name: "Holly Smith", entityType: "contact" }], cc: [] }, records: people() },
    { recordConfirmations: true },
  );
  await settle(page);
  assert.equal(await command(page, 7), false);
  await answer(page, true);
  await settle(page);
  const [written] = await notes(page);
  assert.equal(written?.["objectid_email@odata.bind"], `/emails(${MAIL})`);
  assert.match(written.notetext, /- RecipientDoNotEmail: .*Holly Smith/);
  await page.close();
});
