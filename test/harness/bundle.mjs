// The simulated-form harness as one script for a page (esbuild, in memory): `Harness.form(spec)`.
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

export async function harnessScript() {
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL("./form-harness.ts", import.meta.url))],
    bundle: true,
    format: "iife",
    globalName: "Harness",
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}
