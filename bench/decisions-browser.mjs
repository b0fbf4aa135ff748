// Save-decision latency in headless Chromium, where users run the script: consent-guard's
// `evaluateSave` (the built web resource), the plain-JavaScript baseline and Cedar-wasm's web
// build on its pre-parsed path, each in fresh pages in alternating order. The same requests and
// warm-up as bench/decisions.mjs, in batches of 1,000.
import { readFileSync } from "node:fs";
import { startServer } from "../scripts/serve.mjs";
import { blankPage, pageScript } from "./page-script.mjs";
import { launchChromium } from "../test/browser/chromium.mjs";

/** bench/data.mjs, baseline.mjs and cedar-save.mjs as one page script: `Bench.saveRequests`, `Bench.evaluateSaveJs`, `Bench.evaluateSaveJsTight`, `Bench.cedarPrompter`. */
function benchScript() {
  return pageScript(`export { saveRequests } from "./data.mjs"; export { evaluateSaveJs, evaluateSaveJsTight } from "./baseline.mjs"; export { cedarPrompter } from "./cedar-save.mjs";`);
}

/**
 * `warmUp` calls (cycling over the requests) run untimed before each page's 20,000 timed calls;
 * `implementations` says which of "ours", "js", "tight" and "cedar" are measured.
 */
export async function measureDecisionsInChromium(rounds = 5, { warmUp = 5000, implementations = ["ours", "js", "tight", "cedar"] } = {}) {
  const script = await benchScript();
  const server = await startServer();
  const browser = await launchChromium();
  // Cedar's web build (an ES module and its wasm) is served to the pages by the browser itself.
  const cedarDir = new URL("../node_modules/@cedar-policy/cedar-wasm/web/", import.meta.url);
  const cedarFiles = {
    "cedar_wasm.js": { body: readFileSync(new URL("cedar_wasm.js", cedarDir)), contentType: "text/javascript" },
    "cedar_wasm_bg.wasm": { body: readFileSync(new URL("cedar_wasm_bg.wasm", cedarDir)), contentType: "application/wasm" },
  };
  const perCall = Object.fromEntries(implementations.map((which) => [which, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...implementations].reverse() : implementations;
      for (const which of order) {
        const page = await blankPage(browser, server, "decisions");
        await page.route(`${server.url}/cedar/*`, (route) => route.fulfill(cedarFiles[new URL(route.request().url()).pathname.slice(7)]));
        await page.addScriptTag({ content: script });
        if (which === "ours") await page.addScriptTag({ url: `${server.url}/dist/consentguard.js` });
        const samples = await page.evaluate(
          async ([which, seed, base, warmUp]) => {
            if (which === "ours") await ConsentGuard.ready();
            let cedarPrompt;
            if (which === "cedar") {
              const cedar = await import(`${base}/cedar/cedar_wasm.js`);
              await cedar.default({ module_or_path: `${base}/cedar/cedar_wasm_bg.wasm` });
              cedarPrompt = Bench.cedarPrompter(cedar);
              // Agreement with the baseline on the dialog decision before timing.
              for (const r of Bench.saveRequests(2000, 11)) {
                if (cedarPrompt(r) !== Bench.evaluateSaveJs(r).prompt) throw new Error(`Cedar disagrees on ${JSON.stringify(r)}`);
              }
            }
            const decide =
              which === "ours"
                ? (r) => ConsentGuard.evaluateSave(r).prompt
                : which === "cedar"
                  ? cedarPrompt
                  : which === "tight"
                    ? (r) => Bench.evaluateSaveJsTight(r).prompt
                    : (r) => Bench.evaluateSaveJs(r).prompt;
            const requests = Bench.saveRequests(20000, seed);
            for (let i = 0; i < warmUp; i++) decide(requests[i % requests.length]); // warm-up, excluded
            const out = [];
            let sink = 0;
            // Chromium coarsens its timers (0.1 ms here): batches of 1,000 calls keep a 0.1 µs resolution.
            for (let start = 0; start < requests.length; start += 1000) {
              const t0 = performance.now();
              for (let i = start; i < start + 1000; i++) sink += decide(requests[i]) ? 1 : 0;
              out.push((performance.now() - t0) / 1000 * 1000);
            }
            return sink >= 0 ? out : [];
          },
          [which, 5 + round, server.url, warmUp],
        );
        perCall[which].push(...samples);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return perCall;
}
