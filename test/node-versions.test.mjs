// The package on the oldest Node it declares (`engines`: 20): Node 20.0–20.11 have
// DecompressionStream without the "deflate-raw" format (added in 20.12), so the inlined module
// must inflate with a format they have. Emulated here, in a process of its own, before the
// package is loaded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

test("the module is instantiated where DecompressionStream knows only 'deflate' and 'gzip', as on Node 20.0–20.11", async () => {
  assert.equal(manifest.engines.node, ">=20");
  const Native = globalThis.DecompressionStream;
  const formats = [];
  globalThis.DecompressionStream = class extends Native {
    constructor(format) {
      formats.push(format);
      if (format !== "deflate" && format !== "gzip") {
        throw new TypeError(`The argument 'format' must be one of: 'deflate', 'gzip'. Received '${format}'`);
      }
      super(format);
    }
  };
  try {
    const guard = await import("consent-guard");
    await guard.ready();
    assert.equal(guard.isValidEmail("holly@contoso.com"), true);
    assert.deepEqual(guard.evaluateSegmentCsv("Consent value=True", "Email,Consent option,Consent value\na@b.co,A,yes\n").keys, ["a@b.co"]);
    assert.deepEqual(formats, ["deflate"]);
  } finally {
    globalThis.DecompressionStream = Native;
  }
});
