// On the forms of entities the rules do not list one by one (a custom table, a case), an account
// lookup counts with the account: its own GDPR Optout, its primary contact and its contacts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { note, state, useSimulatedForms } from "./simulated-forms.mjs";

const CONTOSO = "a0000000-0000-4000-8000-000000000001";
const FABRIKAM = "a0000000-0000-4000-8000-000000000002";
const HOLLY = "11111111-1111-1111-1111-111111111111";
const FRANK = "22222222-2222-2222-2222-222222222222";
const IVY = "33333333-3333-3333-3333-333333333333";
const PROJECT = "55555555-5555-5555-5555-555555555555";
const person = (fullname, optedOut, parent) => ({
  fullname,
  msdyn_gdproptout: optedOut,
  emailaddress1: `${fullname.split(" ")[0].toLowerCase()}@example.com`,
  ...(parent ? { _parentcustomerid_value: parent } : {}),
});
/** Contoso: Frank (not opted out) is its primary contact, Holly (opted out) one of its contacts. Fabrikam: Ivy, not opted out. */
const records = (changes = {}) => ({
  [`account:${CONTOSO}`]: {
    name: "Contoso",
    msdyn_gdproptout: false,
    _primarycontactid_value: FRANK,
    [`_primarycontactid_value@OData.Community.Display.V1.FormattedValue`]: "Frank Lee",
  },
  [`account:${FABRIKAM}`]: {
    name: "Fabrikam",
    msdyn_gdproptout: false,
    _primarycontactid_value: IVY,
    [`_primarycontactid_value@OData.Community.Display.V1.FormattedValue`]: "Ivy Chen",
  },
  [`contact:${FRANK}`]: person("Frank Lee", false, CONTOSO),
  [`contact:${HOLLY}`]: person("Holly Smith", true, CONTOSO),
  [`contact:${IVY}`]: person("Ivy Chen", false, FABRIKAM),
  [`new_project:${PROJECT}`]: {},
  ...changes,
});
const contoso = { id: CONTOSO, name: "Contoso", entityType: "account" };
const fabrikam = { id: FABRIKAM, name: "Fabrikam", entityType: "account" };
const project = (account, extra = {}) => ({
  entity: "new_project",
  id: PROJECT,
  records: records(),
  attributes: { new_name: "Rollout", new_accountid: account ? [account] : null },
  ...extra,
});

const { openForm } = useSimulatedForms();
const open = (spec, { settings, ...options } = {}) => openForm(spec, settings, options);
/**
 * A script for `prepare`: the Web API answers a multiple-record read of `entity` whose options
 * hold `marker` with `answer(read, entity, options)` (a function that closes over nothing: its
 * source runs in the page), and every other read as usual.
 */
const answering = (entity, marker, answer) => `{
  const read = Xrm.WebApi.retrieveMultipleRecords.bind(Xrm.WebApi);
  Xrm.WebApi.retrieveMultipleRecords = (entity, options) =>
    entity === ${JSON.stringify(entity)} && options.includes(${JSON.stringify(marker)}) ? (${answer})(read, entity, options) : read(entity, options);
}`;
const pause = (page, ms) => page.evaluate((m) => new Promise((resolve) => setTimeout(resolve, m)), ms);

test("an account lookup hides the email data when a contact of the account opted out, and names the contact", async () => {
  const page = await open(project(contoso));
  const s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /Holly Smith/);
  assert.doesNotMatch(note(s, "consentguard.emaildata").message, /Frank Lee/);
  await page.close();
  // An account none of whose people opted out leaves it shown.
  const shown = await open(project(fabrikam));
  const t = await state(shown);
  assert.equal(t.timeline, true);
  assert.equal(note(t, "consentguard.emaildata"), undefined);
  await shown.close();
});

test("an account's primary contact and its own flag count too", async () => {
  // Ivy, Fabrikam's primary contact, opted out (her parent is another account).
  let page = await open(project(fabrikam, { records: records({ [`contact:${IVY}`]: person("Ivy Chen", true, CONTOSO) }) }));
  let s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /Ivy Chen/);
  await page.close();
  // Fabrikam itself opted out.
  const opted = records();
  opted[`account:${FABRIKAM}`].msdyn_gdproptout = true;
  page = await open(project(fabrikam, { records: opted }));
  s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /Fabrikam/);
  await page.close();
});

test("contacts of an account that cannot be listed keep the email data hidden, and the notice says whose and why", async () => {
  const page = await open(project(fabrikam, { userLanguageId: 1043 }), {
    prepare: answering("contact", "_parentcustomerid_value", (read, entity, options) => Promise.reject({ message: "Principal user is missing prvReadContact privilege.", status: 403 })),
  });
  const s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /de contactpersonen van Fabrikam.*geen toegang/);
  await page.close();
});

test("changing the account lookup decides again", async () => {
  const page = await open(project(fabrikam));
  assert.equal((await state(page)).timeline, true);
  await page.evaluate((lookup) => form.set("new_accountid", [lookup]), contoso);
  await pause(page, 200);
  assert.equal((await state(page)).timeline, false);
  await page.evaluate((lookup) => form.set("new_accountid", [lookup]), fabrikam);
  await pause(page, 200);
  assert.equal((await state(page)).timeline, true);
  await page.close();
});

test("forms whose related records the rules list one by one do not follow account lookups", async () => {
  // An Opportunity counts its contact and stakeholders, not every contact of its account.
  const page = await open({
    entity: "opportunity",
    id: "44444444-4444-4444-4444-444444444444",
    records: { ...records(), "opportunity:44444444-4444-4444-4444-444444444444": { msdyn_gdproptout: false } },
    attributes: { name: "Deal", parentaccountid: [contoso] },
  });
  const s = await state(page);
  assert.equal(s.timeline, true);
  assert.ok(!s.calls.some((c) => c.entity === "account"), "no account read");
  await page.close();
});

test("an account the answer leaves out (no access) leaves its primary contact unknown: hidden, and said", async () => {
  // Ivy, Fabrikam's primary contact, opted out; her parent is Contoso, so only the primary
  // contact finds her. The user cannot read Fabrikam, and the org has no GDPR Optout on Account.
  const page = await open(
    project(fabrikam, {
      records: records({ [`contact:${IVY}`]: person("Ivy Chen", true, CONTOSO) }),
      webApi: { forbidden: [FABRIKAM] },
    }),
    {
      prepare: answering("account", "msdyn_gdproptout", (read, entity, options) => Promise.reject({ message: "Could not find a property named 'msdyn_gdproptout' on type 'Microsoft.Dynamics.CRM.account'.", status: 400 })),
    },
  );
  const s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /the contacts of Fabrikam.*could not be checked \(no access\)/);
  await page.close();
});

test("the primary contacts that cannot be read keep the email data hidden, with the reason", async () => {
  const page = await open(project(fabrikam), {
    prepare: answering("account", "_primarycontactid_value", (read, entity, options) => Promise.reject({ message: "Server busy", status: 503 })),
  });
  const s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /the contacts of Fabrikam.*could not be checked \(Server busy\)/);
  await page.close();
});

test("many opted-out contacts of an account are named up to a bound", async () => {
  const many = {};
  for (let i = 0; i < 55; i++) many[`contact:c0000000-0000-4000-8000-${String(i).padStart(12, "0")}`] = person(`Person ${i}`, true, CONTOSO);
  const page = await open(project(contoso, { records: records(many) }));
  const s = await state(page);
  assert.equal(s.timeline, false);
  const named = note(s, "consentguard.emaildata").message.match(/Person \d+|Holly Smith/g) ?? [];
  assert.ok(named.length >= 1 && named.length <= 50, `${named.length} named`);
  await page.close();
});

test("an account answer without the primary contact column leaves it unknown: hidden, and said", async () => {
  const page = await open(project(fabrikam), {
    prepare: answering("account", "_primarycontactid_value", (read, entity, options) => read(entity, options).then((r) => ({ entities: r.entities.map(({ _primarycontactid_value, ...rest }) => rest) }))),
  });
  const s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata").message, /the contacts of Fabrikam.*the answer leaves out _primarycontactid_value/);
  await page.close();
});
