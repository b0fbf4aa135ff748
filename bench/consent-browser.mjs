// Consent throughput in headless Chromium, where the consent page runs: consent-guard's
// `evaluateSegmentCsv` (the built web resource) and PapaParse 5 + a `Map` + a direct predicate,
// on the same generated tables, each in fresh pages in alternating order.
import { startServer } from "../scripts/serve.mjs";
import { pageScript } from "./page-script.mjs";
import { launchChromium } from "../test/browser/chromium.mjs";

/** data.mjs, the PapaParse baseline and PapaParse itself as one page script (`Bench`). */
function benchScript() {
  return pageScript(`export { consentCsv } from "./data.mjs"; export { newsletterSegmentPapa } from "./baseline.mjs"; export { default as Papa } from "papaparse";`);
}

const RULE = "Consent option=Newsletter & Consent value=True";

/** Per table size, per implementation: `{ ms: number[], keys, memory }`. */
export async function measureConsentInChromium(sizes = [100000, 1000000], rounds = 3) {
  const script = await benchScript();
  const server = await startServer();
  const browser = await launchChromium();
  const results = {};
  try {
    for (const rows of sizes) {
      results[rows] = { ours: { ms: [] }, papa: { ms: [] } };
      for (let round = 0; round < rounds; round++) {
        for (const which of round % 2 ? ["papa", "ours"] : ["ours", "papa"]) {
          const page = await browser.newPage();
          await page.goto(`${server.url}/index.html`);
          await page.setContent("<!doctype html><title>consent</title>");
          await page.addScriptTag({ content: script });
          if (which === "ours") await page.addScriptTag({ url: `${server.url}/dist/consentguard.js` });
          const run = await page.evaluate(
            async ([which, rows, rule]) => {
              if (which === "ours") await ConsentGuard.ready();
              const select = which === "ours" ? (csv) => ConsentGuard.evaluateSegmentCsv(rule, csv).keys : (csv) => Bench.newsletterSegmentPapa(csv, Bench.Papa);
              select(Bench.consentCsv(20000, 8)); // warm-up, excluded
              const csv = Bench.consentCsv(rows, 7);
              const start = performance.now();
              const keys = select(csv);
              const ms = performance.now() - start;
              return { ms, keys: keys.length, first: keys[0], memory: which === "ours" ? ConsentGuard.moduleMemoryBytes() : 0 };
            },
            [which, rows, RULE],
          );
          await page.close();
          const slot = results[rows][which];
          slot.ms.push(run.ms);
          slot.keys = run.keys;
          slot.first = run.first;
          slot.memory = run.memory;
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
}
