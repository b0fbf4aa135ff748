// Cedar deciding segment membership per unified profile, on a subset (too slow for a million rows):
// node bench/cedar-consent.mjs <rows> <seed>  → one line of JSON.
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { consentCsv } from "./data.mjs";
import { newsletterSegmentJs } from "./baseline.mjs";

const [rowsText, seedText] = process.argv.slice(2);
const rows = Number(rowsText);
const csv = consentCsv(rows, Number(seedText));
// Profiles as the baseline unifies them (parsing and unification are not Cedar's job).
const expected = newsletterSegmentJs(csv);
const { profiles } = await import("./profiles.mjs").then((m) => m.unifiedProfiles(csv));

const ok = cedar.preparsePolicySet("segment", {
  staticPolicies: 'permit(principal, action, resource) when { context.consents.contains({option: "newsletter", value: true}) };',
});
if (ok.type !== "success") throw new Error(JSON.stringify(ok));
const decide = (profile) => {
  const answer = cedar.statefulIsAuthorized({
    principal: { type: "Profile", id: "p" }, action: { type: "Action", id: "segment" }, resource: { type: "Segment", id: "s" },
    context: { consents: profile.consents }, preparsedPolicySetId: "segment", entities: [],
  });
  if (answer.type !== "success") throw new Error(JSON.stringify(answer));
  return answer.response.decision === "allow";
};
for (const profile of profiles.slice(0, 2000)) decide(profile); // warm-up, excluded
const start = performance.now();
const keys = profiles.filter(decide).map((p) => p.key);
const ms = performance.now() - start;
if (JSON.stringify(keys) !== JSON.stringify(expected)) throw new Error("Cedar's segment differs from the baseline's");
console.log(JSON.stringify({ rows, profiles: profiles.length, ms, keys: keys.length }));
