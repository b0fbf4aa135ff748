// Save-decision latency in headless Chromium, where users run the script: consent-guard's
// `evaluateSave` (the built web resource) and the plain-JavaScript baseline, each in fresh pages
// in alternating order. The same requests and warm-up as bench/decisions.mjs, in batches of 1,000.
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { startServer } from "../scripts/serve.mjs";
import { launchChromium } from "../test/browser/chromium.mjs";

/** bench/data.mjs and bench/baseline.mjs as one page script: `Bench.saveRequests`, `Bench.evaluateSaveJs`. */
async function benchScript() {
  const entry = `export { saveRequests } from "./data.mjs"; export { evaluateSaveJs } from "./baseline.mjs";`;
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: fileURLToPath(new URL(".", import.meta.url)), loader: "js" },
    bundle: true,
    format: "iife",
    globalName: "Bench",
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

export async function measureDecisionsInChromium(rounds = 5) {
  const script = await benchScript();
  const server = await startServer();
  const browser = await launchChromium();
  const perCall = { ours: [], js: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const which of round % 2 ? ["js", "ours"] : ["ours", "js"]) {
        const page = await browser.newPage();
        await page.setContent("<!doctype html><title>decisions</title>");
        await page.addScriptTag({ content: script });
        if (which === "ours") await page.addScriptTag({ url: `${server.url}/dist/consentguard.js` });
        const samples = await page.evaluate(
          async ([which, seed]) => {
            if (which === "ours") await ConsentGuard.ready();
            const decide = which === "ours" ? (r) => ConsentGuard.evaluateSave(r).prompt : (r) => Bench.evaluateSaveJs(r).prompt;
            const requests = Bench.saveRequests(20000, seed);
            for (const r of requests.slice(0, 5000)) decide(r); // warm-up, excluded
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
          [which, 5 + round],
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
