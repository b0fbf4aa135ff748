// Form load in headless Chromium: from the script's first statement (module instantiation
// included) to `onLoad` resolved, on a Contact form whose opt-out flag is on the form; `runs`
// fresh pages. Parsing the script comes before its first statement and is timed on its own.
import { readFileSync } from "node:fs";
import { startServer } from "../scripts/serve.mjs";
import { harnessScript } from "../test/harness/bundle.mjs";
import { launchChromium } from "../test/browser/chromium.mjs";
import { blankPage } from "./page-script.mjs";

/**
 * The web resource with a first statement that notes the time in `globalThis.__scriptStart`:
 * the script starts there, once the browser has parsed all of it. Parsing depends on how a page
 * loads the file (Chromium can parse a `<script src>` while it downloads), so it is timed apart.
 */
function timedSource(source) {
  const strict = '"use strict";';
  const mark = "globalThis.__scriptStart=performance.now();";
  const at = source.indexOf(strict);
  if (at < 0 || at > 200) throw new Error("dist/consentguard.js no longer starts with its \"use strict\" directive");
  return source.slice(0, at + strict.length) + mark + source.slice(at + strict.length);
}

/**
 * `delay` 0: `onLoad` right after `ready()` (the worst case, timed from the script's start).
 * `delay` > 0: `onLoad` that many milliseconds after the script starts, as a form raises it once
 * the platform has loaded the rest of the form; then `onLoad` itself is timed.
 */
export async function measureFormLoad(runs = 30, delay = 0) {
  const harness = await harnessScript();
  const server = await startServer();
  const browser = await launchChromium();
  const samples = [];
  try {
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage();
      await page.setContent("<!doctype html><title>load</title>");
      await page.addScriptTag({ content: harness });
      await page.evaluate(() => {
        Harness.form({
          entity: "contact",
          id: "a1a1a1a1-0000-4000-8000-000000000001",
          attributes: { emailaddress1: "holly@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: true },
        });
      });
      // The web resource is fetched first (as the platform does before running it), then timed from its first statement.
      const source = timedSource(await (await fetch(`${server.url}/dist/consentguard.js`)).text());
      const sample = await page.evaluate(async ([code, delay]) => {
        const inserted = performance.now();
        const script = document.createElement("script");
        script.textContent = code;
        document.head.append(script);
        const evaluated = performance.now();
        const start = globalThis.__scriptStart;
        await ConsentGuard.ready();
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay - (performance.now() - start)));
        const instantiated = performance.now();
        await ConsentGuard.onLoad(window.form.executionContext);
        const loaded = performance.now();
        if (window.form.visible("Timeline") !== false) throw new Error("the timeline should be hidden");
        return {
          parse: start - inserted,
          total: loaded - start,
          evaluate: evaluated - start,
          instantiate: instantiated - evaluated,
          onLoad: loaded - instantiated,
        };
      }, [source, delay]);
      samples.push(sample);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return samples;
}

/**
 * The start-up steps one by one, each on a fresh page: decoding the inlined base64, inflating it,
 * compiling and instantiating the module (on the same bytes as the script uses), then the script's own `ready()`
 * (all of these plus instantiation) and its first and second `evaluateSave`.
 */
export async function measureStartupSteps(runs = 20) {
  const server = await startServer();
  const browser = await launchChromium();
  const samples = [];
  try {
    const source = timedSource(await (await fetch(`${server.url}/dist/consentguard.js`)).text());
    const base64 = /"([A-Za-z0-9+/=]{10000,})"/.exec(source)?.[1];
    if (!base64) throw new Error("no inlined module found in dist/consentguard.js");
    const size = readFileSync(new URL("../build/consent_guard_bg.wasm", import.meta.url)).length;
    // The wasm-bindgen glue, served to the page by the browser itself, to time instantiation alone.
    const glue = readFileSync(new URL("../build/pkg/consent_guard.js", import.meta.url));
    for (let run = 0; run < runs; run++) {
      let page = await blankPage(browser, server, "steps");
      await page.route(`${server.url}/glue.js`, (route) => route.fulfill({ body: glue, contentType: "text/javascript" }));
      const steps = await page.evaluate(async ([text, size, base]) => {
        const { initSync } = await import(`${base}/glue.js`);
        const t0 = performance.now();
        const fromBase64 = Uint8Array.fromBase64;
        const bytes = fromBase64 ? fromBase64(text) : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
        const t1 = performance.now();
        // As the script does it (shim/core.ts): the stream's own writer and reader, then a synchronous compile.
        const stream = new DecompressionStream("deflate");
        const writer = stream.writable.getWriter();
        writer.write(bytes).catch(() => undefined);
        writer.close().catch(() => undefined);
        const reader = stream.readable.getReader();
        const wasm = new Uint8Array(size);
        let length = 0;
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          wasm.set(chunk.value, length);
          length += chunk.value.length;
        }
        const t2 = performance.now();
        const module = new WebAssembly.Module(wasm);
        const t3 = performance.now();
        initSync({ module });
        const t4 = performance.now();
        return { decode: t1 - t0, inflate: t2 - t1, compile: t3 - t2, instantiate: t4 - t3 };
      }, [base64, size, server.url]);
      await page.close();
      page = await browser.newPage();
      await page.setContent("<!doctype html><title>steps</title>");
      const whole = await page.evaluate(async (code) => {
        const request = { entity: "contact", saveMode: 1, before: { email: "holly@contoso.com" }, after: { donotemail: true } };
        const script = document.createElement("script");
        script.textContent = code;
        document.head.append(script);
        const t0 = globalThis.__scriptStart;
        await ConsentGuard.ready();
        const t1 = performance.now();
        ConsentGuard.evaluateSave(request);
        const t2 = performance.now();
        ConsentGuard.evaluateSave(request);
        const t3 = performance.now();
        return { ready: t1 - t0, firstDecision: t2 - t1, secondDecision: t3 - t2 };
      }, source);
      samples.push({ ...steps, ...whole });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return samples;
}
