// Launches Debian's Chromium headless for the browser tests, with the flags this kind of
// machine needs (root: no sandbox; closed network: no background connections).
import { before, after } from "node:test";
import { chromium } from "playwright-core";
import { startServer } from "../../scripts/serve.mjs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      ...extraArgs,
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A test file's browser and demo server: started before its tests, closed after them.
 * Returns an object whose `server` and `browser` are set once started.
 */
export function useBrowser() {
  const context = { server: null, browser: null };
  before(async () => {
    context.server = await startServer();
    context.browser = await launchChromium();
  });
  after(async () => {
    await context.browser?.close();
    await context.server?.close();
  });
  return context;
}
