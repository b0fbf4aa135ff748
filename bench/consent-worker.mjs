// One consent-throughput measurement in a process of its own, so that its peak memory is its own:
// node --expose-gc bench/consent-worker.mjs <ours|js> <csv file> <seed>  → one line of JSON.
// The table is read from a file the runner wrote, so that generating it does not set the peak.
import { readFileSync } from "node:fs";
import { ready, evaluateSegmentCsv } from "consent-guard";
import { consentCsv } from "./data.mjs";
import { newsletterSegmentJs } from "./baseline.mjs";

const [impl, path, seedText] = process.argv.slice(2);
const seed = Number(seedText);
const RULE = "Consent option=Newsletter & Consent value=True";

await ready();
const run = impl === "ours" ? (csv) => evaluateSegmentCsv(RULE, csv).keys : (csv) => newsletterSegmentJs(csv);
run(consentCsv(20000, seed + 1)); // warm-up, excluded
const csv = readFileSync(path, "utf8");
const rows = csv.split("\n").length - 2;
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const start = performance.now();
const keys = run(csv);
const ms = performance.now() - start;
const maxRss = process.resourceUsage().maxRSS * 1024;
let hash = 2166136261;
for (const key of keys) for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619) >>> 0;
console.log(JSON.stringify({ impl, rows, ms, keys: keys.length, hash, peakExtraBytes: Math.max(0, maxRss - rssBefore) }));
