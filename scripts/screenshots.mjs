// Takes the README's screenshots of the demo's key states, in headless Chromium:
// `npm run build && npm run screenshots` rewrites docs/screenshots/*.png.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./serve.mjs";
import { launchChromium } from "../test/browser/chromium.mjs";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "screenshots");
mkdirSync(out, { recursive: true });

const server = await startServer();
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 640 } });
const shoot = async (name) => {
  await page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
};
const timeline = page.getByRole("heading", { name: "Timeline" });

await page.goto(`${server.url}/?record=holly`);
await page.getByText("Email data is hidden").waitFor();
await shoot("form-opted-out");

await page.goto(`${server.url}/?record=frank`);
await timeline.waitFor();
await page.getByLabel("Do Not Email", { exact: true }).check();
await page.getByRole("toolbar").getByRole("button", { name: "Save", exact: true }).click();
await page.getByRole("dialog").waitFor();
await shoot("form-save-dialog");

await page.goto(`${server.url}/?record=renewal`);
await page.getByText("Email data is hidden: Holly Smith").waitFor();
await shoot("form-related-opt-out");

await page.goto(`${server.url}/?record=ann`);
await timeline.waitFor();
await page.getByLabel("Language").selectOption("1043");
await page.getByLabel("Anonymize Contact When Inactive").check();
await timeline.waitFor();
await page.getByRole("button", { name: "Qualify", exact: true }).click();
await page.getByRole("dialog").waitFor();
await shoot("form-qualify-dutch");

await page.goto(`${server.url}/?record=mail`);
await page.getByText("Email data is hidden").waitFor();
await page.getByRole("button", { name: "Send", exact: true }).click();
await page.getByRole("dialog").waitFor();
await shoot("form-send-guard");

await page.goto(`${server.url}/?record=frank`);
await page.getByText("Consent: Newsletter").waitFor();
await page.getByRole("button", { name: "Delete", exact: true }).click();
await page.getByRole("dialog").waitFor();
await shoot("form-delete-guard");

await page.setViewportSize({ width: 1000, height: 900 });
await page.goto(`${server.url}/consent.html`);
await page.locator("#members li").first().waitFor();
await shoot("consent");

await browser.close();
await server.close();
