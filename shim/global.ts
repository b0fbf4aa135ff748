/**
 * The one-file web resource: defines `globalThis.ConsentGuard` for Dynamics 365 forms.
 * Loading the file a second time keeps the first `ConsentGuard`.
 * @module
 */

import * as api from "./index";
import { warmUp } from "./form/onload";

const host = globalThis as { ConsentGuard?: unknown };
if (host.ConsentGuard === undefined) {
  host.ConsentGuard = Object.freeze({ ...api });
  // Start instantiating at once: a form loads its libraries before it raises OnLoad, so the
  // module is usually ready by then. A failure is reported by onLoad, which awaits the same promise.
  api.ready().then(
    () => setTimeout(warmUp, 0),
    () => undefined,
  );
}
