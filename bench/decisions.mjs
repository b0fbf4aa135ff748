// Save-decision latency of one implementation, in a process of its own (Cedar's module and ours
// in one Node 20 process trip a V8 deoptimizer fault):
// node bench/decisions.mjs <ours|js|tight|cedar> <round> [warm-up calls, default 5,000]
//   → one line of JSON with per-call times (µs).
import { saveRequests } from "./data.mjs";
import { evaluateSaveJs, evaluateSaveJsTight } from "./baseline.mjs";
import { cedarPrompter } from "./cedar-save.mjs";

const [which, roundText, warmUpText] = process.argv.slice(2);
const WARM_UP = Number(warmUpText ?? 5000);
// Only the module under test is loaded: Cedar's and ours in one process trip the V8 fault.
const cedar = which === "cedar" ? await import("@cedar-policy/cedar-wasm/nodejs") : null;
const guard = which === "cedar" ? null : await import("consent-guard");
await guard?.ready();

const cedarPrompt = cedar ? cedarPrompter(cedar) : null;

const implementations = {
  ours: (r) => guard.evaluateSave(r).prompt,
  js: (r) => evaluateSaveJs(r).prompt,
  tight: (r) => evaluateSaveJsTight(r).prompt,
  cedar: cedarPrompt,
};
const decide = implementations[which];
if (!decide) throw new Error(`usage: decisions.mjs <${Object.keys(implementations).join("|")}> <round>`);

// Agreement on 10,000 random requests before any timing: the baseline with the rules module
// on the whole verdict (in the "js" and "ours" runs), Cedar with the baseline on the dialog.
const check = saveRequests(10000, 11);
const shape = (v) => JSON.stringify([v.anonymize, v.resetPermissions, v.prompt, v.block, v.reasons.map((r) => r.code), v.notices.map((n) => n.code)]);
const baseline = which === "tight" ? evaluateSaveJsTight : evaluateSaveJs;
for (const request of check) {
  const agrees = guard ? shape(baseline(request)) === shape(guard.evaluateSave(request)) : decide(request) === evaluateSaveJs(request).prompt;
  if (!agrees) throw new Error(`${which} disagrees on ${JSON.stringify(request)}`);
}

const CALLS = 20000;
const BATCH = 100;
const requests = saveRequests(CALLS, 5 + Number(roundText ?? 0));
for (let i = 0; i < WARM_UP; i++) decide(requests[i % requests.length]); // warm-up, excluded
let sink = 0;
const perCall = [];
for (let start = 0; start < requests.length; start += BATCH) {
  const t0 = performance.now();
  for (let i = start; i < start + BATCH; i++) sink += decide(requests[i]) ? 1 : 0;
  perCall.push(((performance.now() - t0) * 1000) / BATCH);
}
console.log(JSON.stringify({ which, checked: check.length, calls: CALLS, batch: BATCH, sink, perCall }));
