// One consent-throughput measurement in a process of its own, so that its peak memory is its own:
// node --expose-gc bench/consent-worker.mjs <ours|three|papa|js|scan> <csv file> <seed>  → one line of JSON.
// The table is read from a file the runner wrote, so that generating it does not set the peak.
//   ours   evaluateSegmentCsv: the text in, the keys out (one call)
//   cold   the same, as the first table of a fresh module (no warm-up call before it)
//   three  parseConsentCsv, then unifyConsent, then evaluateSegment (the README's first example)
//   papa   PapaParse 5 + a Map + a direct predicate (what a JavaScript developer would write)
//   js     the project's own plain-JavaScript reading of the same rules
//   objects  the least the three calls can cost: only making and reading the objects they give back
//   scan   a plain byte scan of the UTF-8 text (counting line feeds, the encoding untimed): the machine's limit
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { evaluateSegment, evaluateSegmentCsv, moduleMemoryBytes, parseConsentCsv, ready, unifyConsent } from "consent-guard";
import { newsletterSegmentJs, newsletterSegmentPapa } from "./baseline.mjs";
import { consentCsv } from "./data.mjs";
import { objectsFloor, prepareObjectsFloor } from "./objects-floor.mjs";

const [impl, path, seedText] = process.argv.slice(2);
const seed = Number(seedText);
const RULE = "Consent option=Newsletter & Consent value=True";

await ready();
const encoder = new TextEncoder();
const encoded = new Map();
/** The objects floor's columns of a table, prepared before the clock starts. */
const prepared = new Map();
const prepareObjects = (csv) => {
  const records = parseConsentCsv(csv).records;
  prepared.set(csv, prepareObjectsFloor(records, unifyConsent(records)));
};
const implementations = {
  ours: (csv) => evaluateSegmentCsv(RULE, csv).keys,
  cold: (csv) => evaluateSegmentCsv(RULE, csv).keys,
  three: (csv) => evaluateSegment(RULE, unifyConsent(parseConsentCsv(csv).records)),
  papa: (csv) => newsletterSegmentPapa(csv, Papa),
  js: (csv) => newsletterSegmentJs(csv),
  objects: (csv) => {
    objectsFloor(prepared.get(csv));
    return [];
  },
  scan: (csv) => {
    // The text's bytes, encoded before the clock starts (see below): only the scan is timed.
    const bytes = encoded.get(csv) ?? encoder.encode(csv);
    // `indexOf` runs the engine's native search: the fastest scan JavaScript has.
    let lines = 0;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
    return [String(lines)];
  },
};
const run = implementations[impl];
const warmUp = consentCsv(20000, seed + 1);
if (impl === "objects") prepareObjects(warmUp);
if (impl !== "cold") run(warmUp); // warm-up, excluded
const csv = readFileSync(path, "utf8");
const rows = csv.split("\n").length - 2;
if (impl === "scan") encoded.set(csv, encoder.encode(csv));
if (impl === "objects") {
  prepared.clear();
  prepareObjects(csv);
}
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const faultsBefore = process.resourceUsage().minorPageFault;
const start = performance.now();
const keys = run(csv);
const ms = performance.now() - start;
// Pages the system mapped for the process during the run: memory touched for the first time.
const pageFaults = process.resourceUsage().minorPageFault - faultsBefore;
const maxRss = process.resourceUsage().maxRSS * 1024;
const memoryAfterOne = moduleMemoryBytes();
// A second run of the same table: the module's memory must not grow further, and the run
// finds that memory mapped already.
let secondMs = null;
if (impl === "ours") {
  const secondStart = performance.now();
  run(csv);
  secondMs = performance.now() - secondStart;
}
const memoryAfterTwo = moduleMemoryBytes();
let hash = 2166136261;
for (const key of keys) for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619) >>> 0;
console.log(
  JSON.stringify({
    impl,
    rows,
    bytes: encoder.encode(csv).length,
    ms,
    secondMs,
    pageFaults,
    keys: keys.length,
    hash,
    peakExtraBytes: Math.max(0, maxRss - rssBefore),
    memoryAfterOne,
    memoryAfterTwo,
  }),
);
