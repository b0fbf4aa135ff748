// The question "does this save need the confirm dialog?" as a Cedar policy, for the decision
// benchmarks in Node and in Chromium. Cedar has no email check and no notion of
// absent-means-unchanged, so it receives the states already resolved by the baseline's
// resolveSave: its figure is a lower bound for doing the whole job.
import { resolveSave } from "./baseline.mjs";

export const POLICY = `permit(principal, action == Action::"save", resource) when {
  context.person && context.saveMode != 70 &&
  !context.before.doNotEmail && context.before.validEmail && !(context.awi && !context.before.active) &&
  (context.after.doNotEmail || !context.after.validEmail || (context.awi && !context.after.active))
};`;

/** `request → prompt?` through Cedar's pre-parsed path, given Cedar's module (Node or web build). */
export function cedarPrompter(cedar) {
  const parsed = cedar.preparsePolicySet("save", { staticPolicies: POLICY });
  if (parsed.type !== "success") throw new Error(`Cedar rejected the policy: ${JSON.stringify(parsed)}`);
  return (request) => {
    const resolved = resolveSave(request);
    const context = resolved
      ? { person: true, saveMode: resolved.saveMode, awi: resolved.awi, before: resolved.before, after: resolved.after }
      : { person: false, saveMode: request.saveMode, awi: false, before: {}, after: {} };
    const answer = cedar.statefulIsAuthorized({
      principal: { type: "User", id: "u" },
      action: { type: "Action", id: "save" },
      resource: { type: "Record", id: "r" },
      context,
      preparsedPolicySetId: "save",
      entities: [],
    });
    if (answer.type !== "success") throw new Error(JSON.stringify(answer));
    return answer.response.decision === "allow";
  };
}
