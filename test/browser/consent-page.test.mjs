// The consent page with a 50 MB export, as a person would use it: choose the file, watch the
// progress bar, read the results (capped, with a count of the rest), or press Cancel.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
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
  assert.match(await page.locator("#read-figures").textContent(), /^[\d.,]+ (kB|MB) of 5\d(\.\d)? MB, [\d,]+ rows?, [\d,]+ rows\/s$/);
  // The page's own thread is free: the segment card still answers while the file is read.
  await page.getByLabel("Rule", { exact: true }).fill("Consent option=Product updates & Consent value=True");
  await page.getByText("holly@contoso.com").first().waitFor();
  assert.equal(await bar.isVisible(), true, "the file is still being read");
  await page.getByLabel("Rule", { exact: true }).fill(RULE);

  await page.locator("#read-results").waitFor();
  const { segment, profiles, bytes } = expected;
  assert.equal(
    await page.locator("#read-status").textContent(),
    `Read export.csv: ${count(800300)} rows in ${await page.locator("#read-status").evaluate((el) => el.textContent.match(/in ([\d.]+) s/)[1])} s, ${count(profiles.length)} profiles, ${count(segment.keys.length)} members of the rule “${RULE}”, ${count(segment.errors.length)} rows left out.`,
  );
  // Rows were left out: read, but not green.
  assert.equal(await page.locator("#read-status").getAttribute("class"), "status warn");
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
  // Its end is listened for from its start: it may end before the click returns.
  page.on("worker", (worker) => workers.push({ worker, closed: new Promise((resolve) => worker.once("close", resolve)) }));
  await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(path);
  await page.waitForFunction(() => document.querySelector("#read-progress").value > 0);
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByText("Cancelled: export.csv was not read to the end.").waitFor();
  assert.equal(await page.locator("#read-results").isVisible(), false);
  assert.equal(await page.getByRole("progressbar").isVisible(), false);
  assert.equal(workers.length, 1);
  // The Worker is gone: its module's memory for the table went with it.
  await workers[0].closed;
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
  assert.match(read.status, /^Read notrail\.csv: 3 rows in [\d.]+ s, 3 profiles, 2 members of the rule “Consent option=Newsletter & Consent value=True”, 0 rows left out\.$/);
  assert.equal(read.className, "status ok");
  // The same input takes the same file again.
  assert.equal(await page.locator("#file").inputValue(), "");

  const other = await choose("people.csv", "name,age\nbob,3\n");
  assert.equal(other.status, "Nothing read from people.csv: line 1: the header has no Email or Phone, no Consent option, no Consent value column.");
  assert.equal(other.className, "status fault");

  await page.getByLabel("Rule", { exact: true }).fill("");
  const noRule = await choose("norule.csv", table);
  assert.match(noRule.status, /^Read norule\.csv: 3 rows in [\d.]+ s, 3 profiles, no members \(no segment rule\), 0 rows left out\.$/);
  assert.deepEqual(await texts(page, "read-profiles"), ["a@b.nl", "c@d.nl", "e@f.nl"]);
  assert.deepEqual(await texts(page, "read-members"), ["(no segment rule)"]);
  // No rule asked for is no fault: every row went into a profile.
  assert.equal(noRule.className, "status ok");

  const headerOnly = await choose("header.csv", "Email,Consent option,Consent value\n");
  assert.equal(headerOnly.status, "Nothing read from header.csv: it has no rows after its header.");
  assert.equal(headerOnly.className, "status warn");
  const tiny = join(scratch, "tiny.csv");
  writeFileSync(tiny, "Email,Consent option,Consent value\na@b.nl,N,true\n");
  await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(tiny);
  await page.waitForFunction(() => /^Read tiny/.test(document.querySelector("#read-status").textContent));
  assert.match(await page.locator("#read-figures").textContent(), /^49 bytes of 49 bytes, 1 row, /);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a file changed on disk while it is read is no complete read, and reading it again says it changed", async () => {
  const page = await openPage();
  const growing = join(scratch, "growing.csv");
  writeFileSync(growing, consentCsv(400000, 3));
  await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(growing);
  await page.waitForFunction(() => document.querySelector("#read-progress").value > 0);
  appendFileSync(growing, "added@x.nl,Newsletter,true\n".repeat(1000));
  await page.waitForFunction(() => !/^Reading/.test(document.querySelector("#read-status").textContent));
  assert.equal(
    await page.locator("#read-status").textContent(),
    "growing.csv could not be read: it changed or went away since it was chosen: choose it again",
  );
  assert.equal(await page.locator("#read-status").getAttribute("class"), "status fault");

  // Read to the end, then changed, then read again with another rule.
  writeFileSync(growing, "Email,Consent option,Consent value\na@b.nl,Newsletter,true\n");
  await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(growing);
  await page.waitForFunction(() => /^Read growing/.test(document.querySelector("#read-status").textContent));
  appendFileSync(growing, "c@d.nl,Newsletter,true\n");
  await page.getByLabel("Rule", { exact: true }).fill("Consent value=True");
  await page.getByRole("button", { name: "Read the file again with this rule" }).click();
  await page.waitForFunction(() => / could not be read: /.test(document.querySelector("#read-status").textContent));
  assert.equal(
    await page.locator("#read-status").textContent(),
    "growing.csv could not be read: it changed or went away since it was chosen: choose it again",
  );
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the pasted table shows at most 200 profiles and members with a count of the rest, and a file dropped anywhere on the page is read", async () => {
  const page = await openPage();
  const rows = Array.from({ length: 450 }, (_, i) => `p${i}@x.nl,Newsletter,true`).join("\n");
  await page.locator("#csv").fill(`Email,Consent option,Consent value\n${rows}\n`);
  await page.waitForFunction(() => document.querySelectorAll("#profiles tbody tr").length === 201, null, { timeout: 5000 });
  assert.equal(await page.locator("#profiles tbody tr").last().textContent(), "… and 250 more");
  assert.equal((await texts(page, "members")).at(-1), "… and 250 more");
  assert.equal(await page.locator("#members-count").textContent(), "450 members");
  // A wrong rule is tied to its input for assistive technology.
  await page.getByLabel("Rule", { exact: true }).fill("Consent option=");
  assert.equal(await page.getByLabel("Rule", { exact: true }).getAttribute("aria-invalid"), "true");

  // A file dropped on the Segment card, not a drop target of its own: read, the page kept.
  const dropped = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["Email,Consent option,Consent value\na@b.nl,N,true\n"], "dropped.csv", { type: "text/csv" }));
    return transfer;
  });
  await page.dispatchEvent("#segment-title", "dragover", { dataTransfer: dropped });
  await page.dispatchEvent("#segment-title", "drop", { dataTransfer: dropped });
  await page.waitForFunction(() => /^Read dropped\.csv/.test(document.querySelector("#read-status").textContent));
  assert.match(page.url(), /consent\.html$/);
  // Text dragged into the paste box or the rule still goes in: only files are taken.
  const textDrop = await page.evaluate(() =>
    ["csv", "rule"].map((id) => {
      const transfer = new DataTransfer();
      transfer.setData("text/plain", "dragged");
      const drop = new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true });
      document.getElementById(id).dispatchEvent(drop);
      return drop.defaultPrevented;
    }),
  );
  assert.deepEqual(textDrop, [false, false]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

/** Choose `text` (a string or bytes) as file `name` on the page, and wait for the read to end: its status line and class. */
async function choose(page, name, text) {
  const file = join(scratch, name);
  writeFileSync(file, text);
  await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(file);
  await page.waitForFunction((n) => {
    const status = document.querySelector("#read-status").textContent;
    return status.includes(n) && !/^Reading/.test(status);
  }, name);
  return { status: await page.locator("#read-status").textContent(), className: await page.locator("#read-status").getAttribute("class") };
}

test("what the page says of a file: counts in the singular, the rule's own error, no green for a file of rejected or non-UTF-8 rows, long keys cut short", async () => {
  const page = await openPage();
  const header = "Consent ID,Email,Consent option,Consent value\n";
  const one = await choose(page, "one.csv", `${header}1,a@b.nl,Newsletter,true\n`);
  assert.match(one.status, /^Read one\.csv: 1 row in [\d.]+ s, 1 profile, 1 member of the rule “Consent option=Newsletter & Consent value=True”, 0 rows left out\.$/);
  assert.equal(one.className, "status ok");
  assert.equal(await page.locator("#read-members-title").textContent(), "Members of the segment “Consent option=Newsletter & Consent value=True”");
  assert.deepEqual(await texts(page, "read-errors"), ["(none)"]);

  const bad = Array.from({ length: 1000 }, (_, i) => `${i},not-an-email-${i},Newsletter,true`).join("\n");
  const rejected = await choose(page, "rejected.csv", `${header}${bad}\n`);
  assert.match(rejected.status, /^Read rejected\.csv: 1,000 rows in [\d.]+ s, 0 profiles, 0 members of the rule .*, 1,000 rows left out\.$/);
  assert.equal(rejected.className, "status fault");

  // Windows-1252: "é" is one byte, no UTF-8.
  const latin = Buffer.concat([Buffer.from(`${header}1,a@b.nl,Nieuwsbrief `), Buffer.from([0xe9]), Buffer.from(",true\n2,c@d.nl,Newsletter,true\n")]);
  const legacy = await choose(page, "legacy.csv", latin);
  assert.match(legacy.status, /1 row left out\. The file is not UTF-8 text: save it as “CSV UTF-8” and read it again\.$/);
  assert.equal(legacy.className, "status warn");

  const long = await choose(page, "long.csv", `${header}1,${"a".repeat(300000)}@b.nl,Newsletter,true\n`);
  assert.match(long.status, /1 profile/);
  const [shown] = await texts(page, "read-profiles");
  assert.equal(shown, `${"a".repeat(100)}…`);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 1400);

  await page.getByLabel("Rule", { exact: true }).fill("Consent option=");
  const typo = await choose(page, "typo.csv", `${header}1,a@b.nl,Newsletter,true\n`);
  assert.match(typo.status, /1 profile, no members \(column 16: expected a value after '='\), 0 rows left out\.$/);
  assert.deepEqual(await texts(page, "read-members"), ["(column 16: expected a value after '=')"]);
  assert.equal(typo.className, "status fault");
  assert.equal(await page.locator("#read-figures").getAttribute("aria-live"), null, "the figures change too often to be announced");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("results read with another rule say so and can be read again; several files dropped at once say which was read", async () => {
  const page = await openPage();
  const table = "Email,Consent option,Consent value\na@b.nl,Newsletter,true\nc@d.nl,Product updates,true\n";
  await choose(page, "two.csv", table);
  assert.deepEqual(await texts(page, "read-members"), ["a@b.nl"]);
  assert.equal(await page.locator("#read-stale").isVisible(), false);
  const rule = page.getByLabel("Rule", { exact: true });
  await rule.fill("Consent option=Product updates & Consent value=True");
  assert.equal(await page.locator("#read-stale").isVisible(), true);
  assert.match(await page.locator("#read-stale-text").textContent(), /for the rule “Consent option=Newsletter & Consent value=True”, not the one in the Rule box/);
  await page.getByRole("button", { name: "Read the file again with this rule" }).click();
  await page.waitForFunction(() => document.querySelector("#read-members li")?.textContent === "c@d.nl");
  assert.equal(await page.locator("#read-stale").isVisible(), false);
  await rule.fill("Consent option=Product updates & Consent value=True ");
  assert.equal(await page.locator("#read-stale").isVisible(), true, "any other text is another rule");
  await rule.fill("Consent option=Product updates & Consent value=True");
  assert.equal(await page.locator("#read-stale").isVisible(), false);

  await page.evaluate((text) => {
    const files = new DataTransfer();
    files.items.add(new File([text], "first.csv"));
    files.items.add(new File([text], "second.csv"));
    document.querySelector("#export-title").parentElement.dispatchEvent(new DragEvent("drop", { dataTransfer: files, bubbles: true, cancelable: true }));
  }, table);
  await page.waitForFunction(() => /^Read first\.csv/.test(document.querySelector("#read-status").textContent));
  assert.match(await page.locator("#read-status").textContent(), /^Read first\.csv \(only the first of the 2 files dropped\): 2 rows/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a Worker that cannot start, a file cut short while it is read, and Cancel from the keyboard", async () => {
  const page = await openPage();
  await page.route("**/dist/demo/consent-worker.js", (route) => route.fulfill({ status: 404, body: "" }));
  const missing = await choose(page, "small.csv", "Email,Consent option,Consent value\na@b.nl,N,true\n");
  assert.equal(missing.status, "small.csv could not be read: the background reader could not be started");
  assert.equal(missing.className, "status fault");
  await page.unroute("**/dist/demo/consent-worker.js");

  // A file that loses most of its bytes while it is read is no complete read.
  const shrinking = join(scratch, "shrinking.csv");
  writeFileSync(shrinking, consentCsv(300000, 5));
  await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(shrinking);
  await page.waitForFunction(() => document.querySelector("#read-progress").value > 0);
  truncateSync(shrinking, 100000);
  await page.waitForFunction(() => !/^Reading/.test(document.querySelector("#read-status").textContent));
  const cut = await page.locator("#read-status").textContent();
  assert.doesNotMatch(cut, /^Read shrinking/, cut);
  assert.equal(await page.locator("#read-status").getAttribute("class"), "status fault");

  // Cancel pressed with the keyboard: the focus goes back to the file input, not to the page.
  await page.getByLabel(/Choose or drop a consent CSV/).setInputFiles(path);
  await page.waitForFunction(() => document.querySelector("#read-progress").value > 0);
  await page.getByRole("button", { name: "Cancel" }).focus();
  await page.keyboard.press("Space");
  await page.getByText("Cancelled: export.csv was not read to the end.").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "file");
  await page.close();
});
