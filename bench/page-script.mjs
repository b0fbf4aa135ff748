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
