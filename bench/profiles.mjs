// Unified profiles of a consent table in the shape Cedar's policy reads: { key, consents: [{ option, value }] },
// with options lowercased. Built with the rules module's own parse and unify.
import { ready, parseConsentCsv, unifyConsent } from "consent-guard";

export async function unifiedProfiles(csv) {
  await ready();
  const profiles = unifyConsent(parseConsentCsv(csv).records).map((p) => ({
    key: p.key,
    consents: Object.entries(p.consents).map(([option, c]) => ({ option: option.toLowerCase(), value: c.value })),
  }));
  return { profiles };
}
