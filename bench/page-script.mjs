// Benchmark modules bundled into one classic page script that defines `Bench`.
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

/** `entry` (ES module source importing from bench/) bundled as a page script whose exports are `Bench`. */
export async function pageScript(entry) {
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

/**
 * A fresh page with an empty document at the server's origin (so that it may load the server's
 * files and modules), and nothing else on it: the demo's own page would load the web resource and
 * run its demo form, whose instance a second copy of the script then keeps.
 */
export async function blankPage(browser, server, title) {
  const page = await browser.newPage();
  await page.route(`${server.url}/blank.html`, (route) =>
    route.fulfill({ body: `<!doctype html><title>${title}</title>`, contentType: "text/html" }),
  );
  await page.goto(`${server.url}/blank.html`);
  return page;
}
