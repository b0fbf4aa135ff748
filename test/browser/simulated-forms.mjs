// What the browser tests do on a simulated form: open one with the built bundle and onLoad
// called, read its state, run commands and answer dialogs as the user would.
import { before } from "node:test";
import { useBrowser } from "./chromium.mjs";
import { harnessScript } from "../harness/bundle.mjs";

/** Record ids the form tests share: two contacts, a Spotler Job and an email. */
export const HOLLY = "11111111-1111-1111-1111-111111111111";
export const FRANK = "22222222-2222-2222-2222-222222222222";
export const JOB = "66666666-6666-6666-6666-666666666666";
export const MAIL = "77777777-7777-7777-7777-777777777777";

/** A test file's browser, server and harness, and `openForm(spec, settings)` on them. */
export function useSimulatedForms() {
  const context = useBrowser();
  let harness;
  before(async () => {
    harness = await harnessScript();
  });
  /**
   * A page with a simulated form, the bundle loaded and `ConsentGuard.onLoad` resolved.
   * `prepare` runs before `onLoad` (a script that ran first, a Web API that answers oddly), `csp`
   * is the page's Content-Security-Policy, `load: false` leaves `onLoad` to the test, and
   * `origin` opens the page at the server's address (a blank page has no session storage), and
   * `beforeScript` runs before the bundle is loaded (which reads the org's settings at once).
   */
  const openForm = async (spec, settings, { prepare, beforeScript, csp, load = true, origin = false } = {}) => {
    const page = await context.browser.newPage();
    if (origin) await page.goto(`${context.server.url}/nothing-here`);
    const meta = csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : "";
    await page.setContent(`<!doctype html>${meta}<title>form</title>`);
    await page.addScriptTag({ content: harness });
    await page.evaluate((s) => void Harness.form(s), spec);
    if (beforeScript) await page.evaluate(beforeScript);
    await page.addScriptTag({ url: `${context.server.url}/dist/consentguard.js` });
    if (prepare) await page.evaluate(prepare);
    if (load) await page.evaluate((s) => ConsentGuard.onLoad(window.form.executionContext, s), settings);
    return page;
  };
  return { context, openForm };
}

/** Let the page's pending reads and timers run. */
export const settle = (page) => page.evaluate(() => new Promise((r) => setTimeout(r, 30)));

/** What the user sees and what the platform recorded. */
export const state = (page) =>
  page.evaluate(() => ({
    timeline: form.visible("Timeline"),
    notifications: form.notifications(),
    dialogs: form.dialogs.map((d) => d.strings),
    saves: form.saves.map((s) => s.saveMode),
    calls: form.calls,
    closed: form.closed,
    opened: form.opened,
  }));

/** The user runs a command (Save 1, Save & Close 2, Send 7, …) or AutoSave (70) fires; whether it went through. */
export const command = (page, mode) => page.evaluate((m) => form.command(m), mode);

/** The user answers the last dialog. */
export const answer = async (page, confirmed) => {
  await page.evaluate((c) => form.dialogs.at(-1).answer(c), confirmed);
  await settle(page);
};

/** The notification with `id`, if it shows. */
export const note = (s, id) => s.notifications.find((n) => n.id === id);

/** The Web API calls for the record's data: all but the one read of the org's settings. */
export const dataReads = (s) => s.calls.filter((c) => c.entity !== "environmentvariabledefinition");
