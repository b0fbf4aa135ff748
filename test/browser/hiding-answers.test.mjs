// Email data stays hidden when an answer cannot be placed, when a control is both email data and
// relationship analytics, while the record's own flag is read again, and on the Spotler Job table.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HOLLY, note, settle, state, useSimulatedForms } from "./simulated-forms.mjs";

const { openForm } = useSimulatedForms();
const OPP = "44444444-4444-4444-4444-444444444444";
const ACC = "a0000000-0000-4000-8000-000000000001";
const PROJ = "55555555-5555-5555-5555-555555555555";
const fabrikam = { id: ACC, name: "Fabrikam", entityType: "account" };
const holly = { id: HOLLY, name: "Holly Smith", entityType: "contact" };
const records = (extra = {}) => ({
  [`contact:${HOLLY}`]: { fullname: "Holly Smith", msdyn_gdproptout: true, _parentcustomerid_value: ACC },
  [`account:${ACC}`]: { name: "Fabrikam", msdyn_gdproptout: false, _primarycontactid_value: null },
  ...extra,
});
/** The Web API answering `entity`'s lists without `column`, as an org where it is not readable would. */
const withoutColumn = (entity, column) =>
  `(() => { const read = Xrm.WebApi.retrieveMultipleRecords.bind(Xrm.WebApi);
    Xrm.WebApi.retrieveMultipleRecords = (e, o) => e === ${JSON.stringify(entity)}
      ? read(e, o).then((r) => ({ entities: r.entities.map(({ ${column}: _, ...row }) => row) }))
      : read(e, o); })()`;

test("an opted-out contact the answer does not place under an account, or a stakeholder it does not name, keeps the data hidden", async () => {
  const project = { entity: "new_project", id: PROJ, records: records({ [`new_project:${PROJ}`]: {} }), attributes: { new_name: "P", new_accountid: [fabrikam] } };
  let page = await openForm(project);
  assert.equal((await state(page)).timeline, false, "Holly, Fabrikam's contact, opted out");
  await page.close();
  page = await openForm(project, undefined, { beforeScript: withoutColumn("contact", "_parentcustomerid_value") });
  let s = await state(page);
  assert.equal(s.timeline, false, "not shown because the rows lack their account");
  assert.match(note(s, "consentguard.emaildata")?.message ?? "", /_parentcustomerid_value/);
  await page.close();

  const opportunity = {
    entity: "opportunity",
    id: OPP,
    attributes: { name: "Deal" },
    records: records({
      [`opportunity:${OPP}`]: { msdyn_gdproptout: false },
      "connection:c1": { _record1id_value: OPP, record2objecttypecode: 2, _record2id_value: HOLLY },
    }),
  };
  page = await openForm(opportunity, undefined, { beforeScript: withoutColumn("connection", "_record2id_value") });
  s = await state(page);
  assert.equal(s.timeline, false, "a stakeholder without its id is unknown, not nobody");
  assert.match(note(s, "consentguard.emaildata")?.message ?? "", /_record2id_value/);
  await page.close();
});

test("a control named as both email data and relationship analytics stays hidden when either decision hides it", async () => {
  const page = await openForm(
    { entity: "opportunity", id: OPP, controls: ["ra"], attributes: { name: "Deal", parentcontactid: [holly] }, records: records({ [`opportunity:${OPP}`]: { msdyn_gdproptout: false } }) },
    { emailDataControls: ["ra"], relationshipAnalyticsControls: ["ra", "Timeline"] },
  );
  await settle(page);
  assert.equal(await page.evaluate(() => form.visible("ra")), false);
  assert.equal(await page.evaluate(() => form.visible("Timeline")), false);
  await page.close();
});

test("relationship analytics are hidden while the record's own flag is read again", async () => {
  const frank = "22222222-2222-2222-2222-222222222222";
  const page = await openForm(
    {
      entity: "contact",
      id: frank,
      controls: ["ra"],
      attributes: { emailaddress1: "frank@contoso.com", donotemail: false, statecode: 0, msdyn_gdproptout: false },
      records: { [`contact:${frank}`]: { msdyn_gdproptout: false } },
    },
    { relationshipAnalyticsControls: ["ra"] },
  );
  await settle(page);
  assert.equal(await page.evaluate(() => form.visible("ra")), true);
  await page.evaluate(() => {
    window.form.latency(2000);
  });
  const visibleWhileRead = await page.evaluate(() => {
    form.refresh();
    return form.visible("ra");
  });
  assert.equal(visibleWhileRead, false);
  await page.close();
});

test("the Spotler Job table's form follows its account lookups like any custom table", async () => {
  const JOB = "66666666-6666-6666-6666-666666666666";
  const spotlerJob = { entity: "cg_spotlerjob", operationAttribute: "cg_operation", anonymizeOperation: 3, resultAttribute: "cg_status", customerAttribute: "cg_customer" };
  const page = await openForm(
    { entity: "cg_spotlerjob", id: JOB, attributes: { cg_operation: 1, cg_status: null, cg_customer: [fabrikam] }, records: records({ [`cg_spotlerjob:${JOB}`]: {} }) },
    { spotlerJob },
  );
  const s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata")?.message ?? "", /Holly Smith/);
  await page.close();
});

test("the contacts the rules name for an Account and an Opportunity count when their lookup is not on the form, and whatever relatedLookups says", async () => {
  const PRIMARY = "a0000000-0000-4000-8000-000000000002";
  const people = records({
    [`contact:${HOLLY}`]: { fullname: "Holly Smith", msdyn_gdproptout: true, _parentcustomerid_value: PRIMARY },
    [`account:${ACC}`]: {
      name: "Contoso",
      msdyn_gdproptout: false,
      _primarycontactid_value: HOLLY,
      "_primarycontactid_value@OData.Community.Display.V1.FormattedValue": "Holly Smith",
    },
    [`opportunity:${OPP}`]: { msdyn_gdproptout: false, _parentcontactid_value: HOLLY },
  });
  // The Account's primary contact (a contact of another account), its lookup not on the form.
  let page = await openForm({ entity: "account", id: ACC, attributes: { name: "Contoso" }, records: people });
  let s = await state(page);
  assert.equal(s.timeline, false);
  assert.match(note(s, "consentguard.emaildata")?.message ?? "", /Holly Smith/);
  await page.close();
  // The Opportunity's contact, its lookup not on the form.
  page = await openForm({ entity: "opportunity", id: OPP, attributes: { name: "Deal" }, records: people });
  assert.equal((await state(page)).timeline, false);
  await page.close();
  // On the form, with a relatedLookups list (say the org's, written for custom tables) that leaves it out.
  page = await openForm(
    { entity: "opportunity", id: OPP, attributes: { name: "Deal", parentcontactid: [holly] }, records: people },
    { relatedLookups: ["new_customerid"] },
  );
  assert.equal((await state(page)).timeline, false);
  await page.close();
  // The saved lookup cannot be read: unknown, hidden.
  page = await openForm({ entity: "opportunity", id: OPP, attributes: { name: "Deal" }, records: people, webApi: { forbidden: [OPP] } });
  assert.equal((await state(page)).timeline, false);
  await page.close();
});
