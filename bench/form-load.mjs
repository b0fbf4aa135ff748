// Form load in headless Chromium: from the script's start (module instantiation included) to
// `onLoad` resolved, on a Contact form whose opt-out flag is on the form; `runs` fresh pages.
import { startServer } from "../scripts/serve.mjs";
import { harnessScript } from "../test/harness/bundle.mjs";
import { launchChromium } from "../test/browser/chromium.mjs";

export async function measureFormLoad(runs = 30) {
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
      const source = await (await fetch(`${server.url}/dist/consentguard.js`)).text();
      const sample = await page.evaluate(async (code) => {
        const start = performance.now();
        const script = document.createElement("script");
        script.textContent = code;
        document.head.append(script);
        const evaluated = performance.now();
        await ConsentGuard.ready();
        const instantiated = performance.now();
        await ConsentGuard.onLoad(window.form.executionContext);
        const loaded = performance.now();
        if (window.form.visible("Timeline") !== false) throw new Error("the timeline should be hidden");
        return { total: loaded - start, evaluate: evaluated - start, instantiate: instantiated - evaluated, onLoad: loaded - instantiated };
      }, source);
      samples.push(sample);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return samples;
}
