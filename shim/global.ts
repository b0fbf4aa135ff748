/**
 * The one-file web resource: defines `globalThis.ConsentGuard` for Dynamics 365 forms.
 * Loading the file a second time keeps the first `ConsentGuard`.
 * @module
 */

import * as api from "./index";
import { warmUp } from "./form/onload";
import { readOrgSettings } from "./form/org-settings";

const host = globalThis as { ConsentGuard?: unknown };
if (host.ConsentGuard === undefined) {
  host.ConsentGuard = Object.freeze({ ...api });
  // Start instantiating at once: a form loads its libraries before it raises OnLoad, so the
  // module is usually ready by then. A failure is reported by onLoad, which awaits the same promise.
  api.ready().then(
    () => setTimeout(warmUp, 0),
    () => undefined,
  );
  // The org's settings too (one Web API query per browser session, which never rejects): the
  // first form's OnLoad then finds the round trip under way or done instead of starting it. In a
  // task of its own, since a page's first look at its session storage takes milliseconds that
  // the script's own run should not. A page without `Xrm` (a test page, the npm package) makes
  // no call; `onLoad` reads them then.
  if ((globalThis as { Xrm?: unknown }).Xrm !== undefined) setTimeout(() => void readOrgSettings(), 0);
}
