// The demo used as a person would: click, type, read what is shown. The page runs the real
// dist/consentguard.js on simulated Dynamics 365 forms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser } from "./chromium.mjs";

const context = useBrowser();

async function openDemo(path = "/") {
  const page = await context.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.errors = errors;
  await page.goto(context.server.url + path);
  // A form is used once its OnLoad is done: a box ticked before then would be set back.
  if ((await page.locator("#form").count()) > 0) await page.locator('#form[aria-busy="false"]').waitFor();
  return page;
}

const savedLines = (page) => page.locator("#log li", { hasText: "Saved (mode" });

test("opting a contact out makes the timeline disappear", async () => {
  const page = await openDemo("/?record=frank");
  await page.getByRole("heading", { name: "Timeline" }).waitFor();
  await page.getByLabel("GDPR Optout").check();
  await page.getByRole("heading", { name: "Timeline" }).waitFor({ state: "hidden" });
  await page.getByText("Email data is hidden: this record has GDPR Optout set.").waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("an opportunity shows its timeline only while its contact is not opted out", async () => {
  const page = await openDemo("/?record=renewal");
  await page.getByText("Email data is hidden: Holly Smith has GDPR Optout set.").waitFor();
  assert.equal(await page.getByRole("heading", { name: "Timeline" }).isVisible(), false);
  await page.getByLabel("Contact", { exact: true }).selectOption({ label: "Frank Lee (contact)" });
  await page.getByRole("heading", { name: "Timeline" }).waitFor();
  await page.close();
});

test("Do Not Email + Save: the dialog lists the reason; Cancel keeps the box ticked and saves nothing; OK saves once", async () => {
  const page = await openDemo("/?record=frank");
  await page.getByRole("heading", { name: "Timeline" }).waitFor();
  await page.getByLabel("Do Not Email", { exact: true }).check();
  await page.getByRole("toolbar").getByRole("button", { name: "Save", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  assert.equal(await dialog.getByRole("heading").textContent(), "Spotler will anonymize this contact");
  assert.match(await dialog.locator("p").textContent(), /Do Not Email is set\)\. This cannot be undone\./);

  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await page.getByLabel("Do Not Email", { exact: true }).isChecked(), true);
  assert.equal(await savedLines(page).count(), 0);

  await page.getByRole("toolbar").getByRole("button", { name: "Save", exact: true }).click();
  await dialog.getByRole("button", { name: "Go ahead" }).click();
  await savedLines(page).first().waitFor();
  assert.equal(await savedLines(page).count(), 1);
  assert.equal(await dialog.isVisible(), false, "no second dialog");
  // The confirmation is recorded as a note, read back in the record's timeline.
  const recorded = page.locator("#timeline-notes li", { hasText: "consent-guard: Save confirmed" });
  await recorded.waitFor();
  assert.match(await recorded.textContent(), /Nancy Anderson \(0a1b2c3d-0000-4000-8000-000000000001\) confirmed "Save" at .*- DoNotEmail: /s);
  await page.close();
});

test("Deactivate with Anonymize Contact When Inactive off: no dialog, the contact is inactive", async () => {
  const page = await openDemo("/?record=frank");
  await page.getByRole("heading", { name: "Timeline" }).waitFor();
  await page.getByRole("button", { name: "Deactivate" }).click();
  await page.locator("#record-status", { hasText: "Inactive" }).waitFor();
  assert.equal(await page.getByRole("dialog").isVisible(), false);
  assert.equal(await savedLines(page).count(), 1);
  await page.close();
});

test("the language setting turns the dialog Dutch", async () => {
  const page = await openDemo("/?record=ann");
  await page.getByRole("heading", { name: "Timeline" }).waitFor();
  await page.getByLabel("Language").selectOption("1043");
  await page.getByLabel("Anonymize Contact When Inactive").check();
  await page.getByRole("heading", { name: "Timeline" }).waitFor();
  await page.getByRole("button", { name: "Qualify", exact: true }).click();
  await page.getByRole("dialog").getByRole("heading", { name: "Spotler gaat deze contactpersoon anonimiseren" }).waitFor();
  await page.close();
});

test("the consent page: the seed's table gives frank@contoso.com for Newsletter, and a wrong rule shows where", async () => {
  const page = await openDemo("/consent.html");
  await page.locator("#members li").first().waitFor();
  assert.deepEqual(await page.locator("#members li").allTextContents(), ["frank@contoso.com"]);
  await page.getByLabel("Rule").fill("Consent option=Product updates & Consent value=True");
  assert.deepEqual(await page.locator("#members li").allTextContents(), ["holly@contoso.com"]);
  await page.getByLabel("Rule").fill("Consent option=");
  assert.equal(await page.locator("#rule-error").textContent(), "column 16: expected a value after '='");
  assert.equal(await page.locator("#rule-caret").textContent(), "Consent option=\n               ^");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the demo's Delete asks first and Send to an opted-out person names her", async () => {
  const page = await openDemo("/?record=ann");
  await page.getByText("Consent: Newsletter").waitFor();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("heading", { name: "Delete and anonymize in Spotler?" }).waitFor();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await page.locator("#log li", { hasText: "deleteRecord" }).count(), 0);

  await page.goto(context.server.url + "/?record=mail");
  await page.getByText("Email data is hidden: Holly Smith has GDPR Optout set.").waitFor();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await dialog.getByText("Holly Smith: GDPR Optout is set.").waitFor();
  await dialog.getByRole("button", { name: "Send anyway" }).click();
  await page.getByText("Confirmed: choose Send again").waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the demo's Save & Close closes and Save & New opens a new form, with nothing to warn about; a Delete says the record is gone", async () => {
  const page = await openDemo("/?record=frank");
  await page.getByRole("button", { name: "Save & Close" }).click();
  await page.getByText("The form was closed after saving.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Open the record again" }).isVisible(), true);
  await page.getByRole("button", { name: "Open the record again" }).click();
  await page.locator('#form[aria-busy="false"]').waitFor();
  await page.getByRole("button", { name: "Save & New" }).click();
  await page.getByRole("heading", { name: "New Contact" }).waitFor();

  await page.goto(`${context.server.url}/?record=ann`);
  await page.locator('#form[aria-busy="false"]').waitFor();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByText("The record was deleted and its form closed.", { exact: false }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Open the record again" }).isVisible(), false, "a deleted record is not opened again");
  assert.equal(await page.locator("#log li", { hasText: "Save & Close" }).count(), 0, "not said to be saved");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the demo's dialog from the keyboard: Escape cancels, Tab stays in it, the focus goes back to the command, and the reasons describe it", async () => {
  const page = await openDemo("/?record=frank");
  await page.getByLabel("Do Not Email").check();
  await page.getByRole("button", { name: "Save", exact: true }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  assert.match(await dialog.getAttribute("aria-describedby"), /dialog-text/);
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => Boolean(document.activeElement?.closest("[role=dialog]"))), true, `Tab ${i + 1} stays in the dialog`);
  }
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Save");
  assert.equal(await savedLines(page).count(), 0, "Escape is Cancel: nothing saved");
  assert.equal(await page.getByLabel("Do Not Email").isChecked(), true);
  assert.deepEqual(page.errors, []);
  await page.close();
});
