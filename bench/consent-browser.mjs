// Consent throughput in headless Chromium, where the consent page runs: consent-guard's
// `evaluateSegmentCsv` (the built web resource), its three calls (`parseConsentCsv`,
// `unifyConsent`, `evaluateSegment`), their floor (only making and reading the objects those give
// back, see objects-floor.mjs) and PapaParse 5 + a `Map` + a direct predicate, on the same
// generated tables, each in fresh pages in rotating order.
import { startServer } from "../scripts/serve.mjs";
import { blankPage, pageScript } from "./page-script.mjs";
import { launchChromium } from "../test/browser/chromium.mjs";

/** data.mjs, the PapaParse baseline and PapaParse itself as one page script (`Bench`). */
function benchScript() {
  return pageScript(`export { consentCsv } from "./data.mjs"; export { newsletterSegmentPapa } from "./baseline.mjs"; export { default as Papa } from "papaparse"; export { objectsFloor, prepareObjectsFloor } from "./objects-floor.mjs";`);
}

const RULE = "Consent option=Newsletter & Consent value=True";

/** Per table size, per implementation: `{ ms: number[], keys, memory }`, and for the one call `secondMs`, the same table again on the same page. */
export async function measureConsentInChromium(sizes = [100000, 1000000], rounds = 3) {
  const script = await benchScript();
  const server = await startServer();
  // `gc()` for the pages, as Node's runs have it (consent-worker.mjs).
  const browser = await launchChromium(["--js-flags=--expose-gc"]);
  const results = {};
  try {
    for (const rows of sizes) {
      results[rows] = { ours: { ms: [] }, three: { ms: [] }, objects: { ms: [] }, papa: { ms: [] } };
      const order = ["ours", "three", "objects", "papa"];
      for (let round = 0; round < rounds; round++) {
        for (const which of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) {
          const page = await blankPage(browser, server, "consent");
          await page.addScriptTag({ content: script });
          if (which !== "papa") await page.addScriptTag({ url: `${server.url}/dist/consentguard.js` });
          const run = await page.evaluate(
            async ([which, rows, rule]) => {
              if (which !== "papa") await ConsentGuard.ready();
              const G = globalThis.ConsentGuard;
              // The objects floor's columns of each table, prepared before the clock starts.
              const prepared = new Map();
              const prepare = (csv) => {
                const records = G.parseConsentCsv(csv).records;
                prepared.set(csv, Bench.prepareObjectsFloor(records, G.unifyConsent(records)));
              };
              const select = {
                ours: (csv) => G.evaluateSegmentCsv(rule, csv).keys,
                three: (csv) => G.evaluateSegment(rule, G.unifyConsent(G.parseConsentCsv(csv).records)),
                objects: (csv) => (Bench.objectsFloor(prepared.get(csv)), []),
                papa: (csv) => Bench.newsletterSegmentPapa(csv, Bench.Papa),
              }[which];
              const warmUp = Bench.consentCsv(20000, 8);
              if (which === "objects") prepare(warmUp);
              select(warmUp); // warm-up, excluded
              prepared.clear();
              const csv = Bench.consentCsv(rows, 7);
              if (which === "objects") prepare(csv);
              // As in Node, where the text is read from a file: flat (a search makes the engine
              // join the pieces the generator's concatenation left), and the garbage of
              // generating it collected, before the clock starts.
              csv.indexOf("\u0001");
              globalThis.gc?.();
              const start = performance.now();
              const keys = select(csv);
              const ms = performance.now() - start;
              const memory = which === "papa" || which === "objects" ? 0 : G.moduleMemoryBytes();
              // The same table again: its memory is mapped already (the page's first large table maps it).
              let secondMs = null;
              if (which === "ours") {
                globalThis.gc?.();
                const secondStart = performance.now();
                select(csv);
                secondMs = performance.now() - secondStart;
              }
              return { ms, secondMs, keys: keys.length, first: keys[0], memory };
            },
            [which, rows, RULE],
          );
          await page.close();
          const slot = results[rows][which];
          slot.ms.push(run.ms);
          if (run.secondMs !== null) (slot.secondMs ??= []).push(run.secondMs);
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
