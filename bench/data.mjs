// Seeded, reproducible data for the benchmarks: save requests and consent tables.

/** mulberry32: a small seeded PRNG; `next()` gives [0, 1). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (next, items) => items[Math.floor(next() * items.length)];
const chance = (next, p) => next() < p;

const EMAILS = ["holly@contoso.com", "frank.lee@fabrikam.co.uk", "ann+news@jansen-bv.nl", "x@y.io"];
const BAD_EMAILS = ["", "holly@contoso", "frank.contoso.com", "a@@b.com", "  "];

function state(next) {
  const s = {};
  if (chance(next, 0.95)) s.email = chance(next, 0.93) ? pick(next, EMAILS) : chance(next, 0.5) ? null : pick(next, BAD_EMAILS);
  if (chance(next, 0.9)) s.donotemail = chance(next, 0.08);
  if (chance(next, 0.9)) s.donotbulkemail = chance(next, 0.1);
  if (chance(next, 0.6)) s.statecode = chance(next, 0.9) ? 0 : 1;
  return s;
}

function change(next, before) {
  const after = {};
  if (chance(next, 0.25)) after.email = chance(next, 0.6) ? pick(next, EMAILS) : chance(next, 0.5) ? null : pick(next, BAD_EMAILS);
  if (chance(next, 0.2)) after.donotemail = chance(next, 0.5);
  if (chance(next, 0.15)) after.donotbulkemail = chance(next, 0.5);
  if (chance(next, 0.1)) after.statecode = chance(next, 0.5) ? 0 : 1;
  if (chance(next, 0.3)) Object.assign(after, { email: before?.email ?? null });
  return after;
}

/** A realistic mix of saves: mostly contacts and leads, mostly plain saves, some AutoSaves and commands. */
export function saveRequests(count, seed = 1) {
  const next = random(seed);
  const requests = [];
  for (let i = 0; i < count; i++) {
    const entity = pick(next, ["contact", "contact", "contact", "lead", "lead", "account", "opportunity", "Contact"]);
    const saveMode = pick(next, [1, 1, 1, 1, 2, 59, 70, 70, 5, 6, 15, 16]);
    const before = chance(next, 0.05) ? null : state(next);
    const request = { entity, saveMode, before, after: change(next, before) };
    if (chance(next, 0.5)) request.settings = { anonymizeWhenInactive: chance(next, 0.5) };
    if (chance(next, 0.3)) request.languageId = pick(next, [1033, 1043, 1031, 1036]);
    requests.push(request);
  }
  return requests;
}

const OPTIONS = ["Newsletter", "Product updates", "Events, Europe", "Surveys", "Partner offers", "SMS", "Webinars", "Phone calls"];

/**
 * A consent table of `rows` rows: about 4 rows per key (email or phone), many options per key,
 * one row in ten updating an earlier Consent ID, most rows dated, some fields quoted.
 */
export function consentCsv(rows, seed = 7) {
  const next = random(seed);
  const keys = Math.max(1, Math.floor(rows / 4));
  const lines = ["Consent ID,Email,Phone,Consent option,Consent value,Consent date"];
  const written = [];
  for (let i = 0; i < rows; i++) {
    const update = written.length > 0 && chance(next, 0.1);
    const base = update ? written[Math.floor(next() * written.length)] : null;
    const k = base ? base.k : Math.floor(next() * keys);
    const id = base ? base.id : String(i + 1);
    const option = base ? base.option : pick(next, OPTIONS);
    const byPhone = k % 5 === 0;
    const email = byPhone ? "" : (k % 7 === 0 ? `Person${k}@Example.COM` : `person${k}@example.com`);
    const phone = byPhone ? `+31 6 ${String(10000000 + k).slice(0, 4)} ${String(10000000 + k).slice(4)}` : "";
    const value = pick(next, ["True", "False", "true", "yes", "no", "1", "0"]);
    const date = chance(next, 0.8)
      ? `2025-${String(1 + Math.floor(next() * 12)).padStart(2, "0")}-${String(1 + Math.floor(next() * 28)).padStart(2, "0")}T${String(Math.floor(next() * 24)).padStart(2, "0")}:00:00Z`
      : "";
    const quotedOption = option.includes(",") ? `"${option}"` : option;
    lines.push(`${id},${email},${phone},${quotedOption},${value},${date}`);
    if (!update) written.push({ k, id, option });
  }
  return lines.join("\n") + "\n";
}
