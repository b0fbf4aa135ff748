// The consent page with a 50 MB export, as a person would use it: choose the file, watch the
// progress bar, read the results (capped, with a count of the rest), or press Cancel.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as guard from "consent-guard";
import { consentCsv } from "../../bench/data.mjs";
import { useBrowser } from "./chromium.mjs";

const context = useBrowser();
const RULE = "Consent option=Newsletter & Consent value=True";
const scratch = mkdtempSync(join(tmpdir(), "consent-page-"));
const path = join(scratch, "export.csv");
let expected;

before(async () => {
  // 800,000 generated rows (about 50 MB), and 300 bad ones spread through them.
  const lines = consentCsv(800000, 11).split("\n");
  for (let i = 1; i <= 300; i++) lines.splice(i * 2500, 0, `x${i},not-an-email,,Newsletter,true,`);
  const text = lines.join("\n");
  writeFileSync(path, text);
  await guard.ready();
  const segment = guard.evaluateSegmentCsv(RULE, text);
  const everyone = guard.evaluateSegmentCsv("Consent value=True | Consent value=False", text);
  expected = { bytes: Buffer.byteLength(text), segment, profiles: everyone.keys };
  assert.ok(expected.bytes > 50e6, `${expected.bytes} bytes`);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

async function openPage() {
  const page = await context.browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.errors = errors;
  await page.goto(`${context.server.url}/consent.html`);
  await page.locator("#members li").first().waitFor();
  return page;
}

const texts = (page, id) => page.locator(`#${id} li`).allTextContents();
const count = (n) => n.toLocaleString("en");

test("a 50 MB export is read in a Worker with a progress bar; the page answers meanwhile; the results are capped", async () => {
  const page = await openPage();
  await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(path);
  const bar = page.getByRole("progressbar", { name: "Reading the file" });
  await bar.waitFor();
  // Progress moves before the end, and names bytes, rows and rows per second.
  await page.waitForFunction(() => {
    const progress = document.querySelector("#read-progress");
    return progress.value > 0 && progress.value < progress.max;
  });
  assert.match(await page.locator("#read-figures").textContent(), /^[\d.,]+ of 5\d(\.\d)? MB, [\d,]+ rows, [\d,]+ rows\/s$/);
  // The page's own thread is free: the segment card still answers while the file is read.
  await page.getByLabel("Rule", { exact: true }).fill("Consent option=Product updates & Consent value=True");
  await page.getByText("holly@contoso.com").first().waitFor();
  assert.equal(await bar.isVisible(), true, "the file is still being read");
  await page.getByLabel("Rule", { exact: true }).fill(RULE);

  await page.locator("#read-results").waitFor();
  const { segment, profiles, bytes } = expected;
  assert.equal(
    await page.locator("#read-status").textContent(),
    `Read export.csv: ${count(800300)} rows in ${await page.locator("#read-status").evaluate((el) => el.textContent.match(/in ([\d.]+) s/)[1])} s, ${count(profiles.length)} profiles, ${count(segment.keys.length)} members, ${count(segment.errors.length)} rows left out.`,
  );
  assert.equal(segment.errors.length, 300);
  const members = await texts(page, "read-members");
  assert.deepEqual(members.slice(0, 200), segment.keys.slice(0, 200));
  assert.equal(members[200], `… and ${count(segment.keys.length - 200)} more`);
  const shownProfiles = await texts(page, "read-profiles");
  assert.deepEqual(shownProfiles.slice(0, 200), profiles.slice(0, 200));
  const errors = await texts(page, "read-errors");
  assert.deepEqual(errors.slice(0, 3), segment.errors.slice(0, 3).map((e) => `Line ${e.line}: ${e.message}`));
  assert.equal(errors[200], "… and 100 more");
  assert.ok(bytes > 50e6);
  assert.equal(await bar.isVisible(), false);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("Cancel stops the read, drops the Worker and shows no results", async () => {
  const page = await openPage();
  const workers = [];
  page.on("worker", (worker) => workers.push(worker));
  await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(path);
  await page.waitForFunction(() => document.querySelector("#read-progress").value > 0);
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByText("Cancelled: export.csv was not read to the end.").waitFor();
  assert.equal(await page.locator("#read-results").isVisible(), false);
  assert.equal(await page.getByRole("progressbar").isVisible(), false);
  assert.equal(workers.length, 1);
  // The Worker is gone: its module's memory for the table went with it.
  await new Promise((resolve) => (workers[0].isClosed?.() ? resolve() : workers[0].once("close", resolve)));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("small files: the last row without a line break counts, a file that is not a consent table is no success, and no rule still lists profiles", async () => {
  const page = await openPage();
  const choose = async (name, text) => {
    const file = join(scratch, name);
    writeFileSync(file, text);
    await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(file);
    await page.waitForFunction((n) => document.querySelector("#read-status").textContent.includes(n) && !/^Reading/.test(document.querySelector("#read-status").textContent), name);
    return { status: await page.locator("#read-status").textContent(), className: await page.locator("#read-status").getAttribute("class") };
  };
  const table = "Email,Consent option,Consent value\na@b.nl,Newsletter,true\nc@d.nl,Newsletter,false\ne@f.nl,Newsletter,true";
  const read = await choose("notrail.csv", table);
  assert.match(read.status, /^Read notrail\.csv: 3 rows in [\d.]+ s, 3 profiles, 2 members, 0 rows left out\.$/);
  assert.equal(read.className, "status ok");
  // The same input takes the same file again.
  assert.equal(await page.locator("#file").inputValue(), "");

  const other = await choose("people.csv", "name,age\nbob,3\n");
  assert.equal(other.status, "Nothing read from people.csv: line 1: the header has no Email or Phone, no Consent option, no Consent value column");
  assert.equal(other.className, "status fault");

  await page.getByLabel("Rule", { exact: true }).fill("");
  const noRule = await choose("norule.csv", table);
  assert.match(noRule.status, /^Read norule\.csv: 3 rows in [\d.]+ s, 3 profiles, no members \(no segment rule\), 0 rows left out\.$/);
  assert.deepEqual(await texts(page, "read-profiles"), ["a@b.nl", "c@d.nl", "e@f.nl"]);
  assert.deepEqual(await texts(page, "read-members"), ["(no segment rule)"]);
  assert.deepEqual(page.errors, []);
  await page.close();
});
