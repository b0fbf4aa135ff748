// isValidEmail against the browser's own rule: Chromium's `<input type=email>` validity, plus the
// dotted domain the connector needs, on thousands of seeded generated strings. A disagreement
// prints the string.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useBrowser } from "./chromium.mjs";

const context = useBrowser();
const CASES = 6000;
const SEED = 20261203;

/** Strings near the edges of the rule: valid addresses, then one edit at a time. */
function generate(count, seed) {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (items) => items[Math.floor(next() * items.length)];
  const run = (alphabet, min, max) => Array.from({ length: min + Math.floor(next() * (max - min + 1)) }, () => pick(alphabet)).join("");
  const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const localChars = `${alnum}.!#$%&'*+/=?^_\`{|}~-`;
  const labelChars = `${alnum}-`;
  const noise = [" ", "\t", "\n", "\r", "\f", "@", ".", "-", ",", ";", ":", "<", ">", "(", ")", "[", "]", "\\", '"', "é", "ü", "\u00a0", "\u200b", "😀"];
  const label = () => (next() < 0.03 ? run(labelChars, 62, 66) : run(labelChars, 1, 8));
  const out = [];
  for (let i = 0; i < count; i++) {
    const labels = Array.from({ length: 1 + Math.floor(next() * 3) }, label);
    let text = `${run(localChars, 1, 10)}@${labels.join(".")}`;
    const edits = Math.floor(next() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * (text.length + 1));
      const kind = next();
      if (kind < 0.5) text = text.slice(0, at) + pick(noise) + text.slice(at);
      else if (kind < 0.8) text = text.slice(0, at) + text.slice(at + 1);
      else text = pick([" ", "\t", "\n"]) + text + pick(["", " ", "\r\n"]);
    }
    out.push(text);
  }
  return out;
}

test(`isValidEmail agrees with Chromium's <input type=email> and a dotted domain on ${CASES} generated strings`, async () => {
  const page = await context.browser.newPage();
  await page.goto(`${context.server.url}/index.html`);
  await page.setContent("<!doctype html><title>email</title>");
  await page.addScriptTag({ url: `${context.server.url}/dist/consentguard.js` });
  const strings = generate(CASES, SEED);
  const result = await page.evaluate(async (strings) => {
    await ConsentGuard.ready();
    const input = document.createElement("input");
    input.type = "email";
    const out = { disagreements: [], valid: 0, nonAscii: 0, nonAsciiBrowserValid: 0 };
    for (const text of strings) {
      input.value = text;
      // The browser strips newlines anywhere and whitespace at the ends, then validates what is left;
      // the module trims the ends only, so an address with a line break inside is no address.
      const trimmed = text.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "");
      const browser = input.value !== "" && !input.validity.typeMismatch && input.value === trimmed;
      const expected = browser && (input.value.split("@")[1] ?? "").includes(".");
      const ours = ConsentGuard.isValidEmail(text);
      if (/[^\x00-\x7f]/.test(trimmed)) {
        // Chromium turns an internationalized domain into punycode before it validates; the
        // production itself (and the module) allows ASCII only.
        out.nonAscii++;
        if (expected) out.nonAsciiBrowserValid++;
        if (ours) out.disagreements.push({ text, ours, expected: false });
        continue;
      }
      if (ours) out.valid++;
      if (ours !== expected) out.disagreements.push({ text, ours, expected });
    }
    return out;
  }, strings);
  await page.close();
  assert.deepEqual(
    result.disagreements.slice(0, 20).map((d) => `${JSON.stringify(d.text)}: module ${d.ours}, browser ${d.expected}`),
    [],
    `${result.disagreements.length} disagreements (seed ${SEED})`,
  );
  // The generator reaches both answers often: a test that only ever saw invalid strings proves little.
  assert.ok(result.valid > CASES / 5 && result.valid < CASES - CASES / 5, `valid: ${result.valid} of ${CASES}`);
  assert.ok(result.nonAscii > 50, `non-ASCII cases: ${result.nonAscii}`);
});
