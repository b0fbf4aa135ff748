// Plain-JavaScript implementations of the same rules, written only as the benchmark's baseline.
// The runner checks that they agree with the rules module before timing them.

const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const ASCII_SPACE = /^[ \t\n\r\f]+|[ \t\n\r\f]+$/g;

export function isValidEmailJs(text) {
  return EMAIL.test(text.replace(ASCII_SPACE, ""));
}

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined;
const active = (code) => code === undefined || code === null || code === 0;

/** The save state resolved as the rules do: absent = unchanged (or unknown: no cause), null = cleared. */
export function resolveSave(r) {
  const entity = r.entity.toLowerCase();
  const person = entity === "contact" || entity === "lead" ? entity : null;
  if (!person || r.before === null) return null;
  const b = r.before;
  const a = r.after;
  const beforeValid = has(b, "email") ? (b.email === null ? false : isValidEmailJs(b.email)) : true;
  const afterValid = has(a, "email") ? (a.email === null ? false : isValidEmailJs(a.email)) : beforeValid;
  let afterActive;
  if (r.saveMode === 5) afterActive = false;
  else if (r.saveMode === 6) afterActive = true;
  else if ((r.saveMode === 15 || r.saveMode === 16) && person === "lead") afterActive = false;
  else afterActive = active(has(a, "statecode") ? a.statecode : b.statecode);
  const bDne = b.donotemail === true;
  const bBulk = b.donotbulkemail === true;
  return {
    awi: r.settings?.anonymizeWhenInactive === true,
    saveMode: r.saveMode,
    before: { doNotEmail: bDne, validEmail: beforeValid, active: active(b.statecode), bulk: bBulk },
    after: {
      doNotEmail: has(a, "donotemail") ? a.donotemail === true : bDne,
      validEmail: afterValid,
      active: afterActive,
      bulk: has(a, "donotbulkemail") ? a.donotbulkemail === true : bBulk,
    },
  };
}

const MESSAGES = {
  DoNotEmail: "Saving will make Spotler anonymize this contact at the next sync (Do Not Email is set). This cannot be undone.",
  NoValidEmail: "Saving will make Spotler anonymize this contact at the next sync (the email address is removed or not valid). This cannot be undone.",
  Inactive: "Saving will make Spotler anonymize this contact at the next sync (the record becomes inactive). This cannot be undone.",
  BulkEmailOptOut: "Saving will make Spotler reset all of this contact's permissions to opted out at the next sync (Do Not Bulk Email is set).",
  Recreate: "The next sync re-creates this contact in Spotler.",
  StaysAnonymized: "This contact stays anonymized in Spotler.",
};

export function evaluateSaveJs(r) {
  const s = resolveSave(r);
  const verdict = { anonymize: false, resetPermissions: false, prompt: false, block: false, reasons: [], notices: [] };
  if (!s) return verdict;
  const was = { dne: s.before.doNotEmail, nve: !s.before.validEmail, ina: s.awi && !s.before.active };
  const will = { dne: s.after.doNotEmail, nve: !s.after.validEmail, ina: s.awi && !s.after.active };
  const wasAny = was.dne || was.nve || was.ina;
  const willAny = will.dne || will.nve || will.ina;
  const reason = (code) => verdict.reasons.push({ code, message: MESSAGES[code] });
  verdict.anonymize = !wasAny && willAny;
  if (verdict.anonymize) {
    if (will.dne) reason("DoNotEmail");
    if (will.nve) reason("NoValidEmail");
    if (will.ina) reason("Inactive");
  }
  verdict.resetPermissions = s.after.bulk && !s.before.bulk;
  if (verdict.resetPermissions) reason("BulkEmailOptOut");
  const removed = (was.dne && !will.dne) || (was.nve && !will.nve) || (was.ina && !will.ina);
  if (wasAny && !willAny && s.after.active) verdict.notices.push({ code: "Recreate", message: MESSAGES.Recreate });
  else if (removed && willAny) verdict.notices.push({ code: "StaysAnonymized", message: MESSAGES.StaysAnonymized });
  verdict.prompt = verdict.anonymize && r.saveMode !== 70;
  verdict.block = verdict.anonymize && r.saveMode === 70;
  return verdict;
}

const validEmails = new Map();
/** Email validity remembered per address (256 at most), as consent-guard's script remembers the module's answers. */
function isValidEmailCached(text) {
  let valid = validEmails.get(text);
  if (valid === undefined) {
    if (validEmails.size >= 256) validEmails.clear();
    valid = isValidEmailJs(text);
    validEmails.set(text, valid);
  }
  return valid;
}

/**
 * The same rules as {@link evaluateSaveJs}, written tighter: no intermediate objects, email
 * validity remembered per address. Like it, it checks no types; its texts are English only.
 */
export function evaluateSaveJsTight(r) {
  const verdict = { anonymize: false, resetPermissions: false, prompt: false, block: false, reasons: [], notices: [] };
  const entity = r.entity;
  const lower = entity === "contact" || entity === "lead" ? entity : entity.toLowerCase();
  const person = lower === "contact" || lower === "lead" ? lower : null;
  const b = r.before;
  if (!person || b === null) return verdict;
  const a = r.after;
  const beforeValid = has(b, "email") ? b.email !== null && isValidEmailCached(b.email) : true;
  const afterValid = has(a, "email") ? a.email !== null && isValidEmailCached(a.email) : beforeValid;
  const mode = r.saveMode;
  const afterActive =
    mode === 5 ? false : mode === 6 ? true : (mode === 15 || mode === 16) && person === "lead" ? false : active(has(a, "statecode") ? a.statecode : b.statecode);
  const awi = r.settings?.anonymizeWhenInactive === true;
  const beforeDne = b.donotemail === true;
  const beforeBulk = b.donotbulkemail === true;
  const afterDne = has(a, "donotemail") ? a.donotemail === true : beforeDne;
  const afterBulk = has(a, "donotbulkemail") ? a.donotbulkemail === true : beforeBulk;
  const wasInactive = awi && !active(b.statecode);
  const willInactive = awi && !afterActive;
  const wasAny = beforeDne || !beforeValid || wasInactive;
  const willAny = afterDne || !afterValid || willInactive;
  verdict.anonymize = !wasAny && willAny;
  if (verdict.anonymize) {
    if (afterDne) verdict.reasons.push({ code: "DoNotEmail", message: MESSAGES.DoNotEmail });
    if (!afterValid) verdict.reasons.push({ code: "NoValidEmail", message: MESSAGES.NoValidEmail });
    if (willInactive) verdict.reasons.push({ code: "Inactive", message: MESSAGES.Inactive });
  }
  verdict.resetPermissions = afterBulk && !beforeBulk;
  if (verdict.resetPermissions) verdict.reasons.push({ code: "BulkEmailOptOut", message: MESSAGES.BulkEmailOptOut });
  const removed = (beforeDne && !afterDne) || (!beforeValid && afterValid) || (wasInactive && !willInactive);
  if (wasAny && !willAny && afterActive) verdict.notices.push({ code: "Recreate", message: MESSAGES.Recreate });
  else if (removed && willAny) verdict.notices.push({ code: "StaysAnonymized", message: MESSAGES.StaysAnonymized });
  verdict.prompt = verdict.anonymize && mode !== 70;
  verdict.block = verdict.anonymize && mode === 70;
  return verdict;
}

/** RFC 4180 rows of `text` (comma-separated). */
function* rows(text) {
  let field = "";
  let row = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      yield row;
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    yield row;
  }
}

const VALUES = { true: true, yes: true, 1: true, false: false, no: false, 0: false };

/** Parse, unify and select `Consent option=Newsletter & Consent value=True`, the rules module's way. */
export function newsletterSegmentJs(csv) {
  const iterator = rows(csv);
  return newsletterSegmentOfRows(iterator.next().value, iterator);
}

const TRUTH = new Map([
  ["true", true],
  ["yes", true],
  ["1", true],
  ["false", false],
  ["no", false],
  ["0", false],
]);
const truth = (text) => TRUTH.get(text) ?? TRUTH.get(text.trim().toLowerCase());
const PHONE_JUNK = /[\s\-.()]/g;
const keyOf = (email, phone) => {
  const raw = email.trim() || phone.trim();
  return raw.includes("@") ? raw.toLowerCase() : raw.replace(PHONE_JUNK, "");
};
/** A Consent ID as a `Map` key: a plain decimal integer (no sign, no leading zero, at most 9 digits) as that number, else its text. */
function idKey(text) {
  const length = text.length;
  if (length === 0 || length > 9 || text.charCodeAt(0) === 48) return text;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return text;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * The same with PapaParse 5 reading the text, as a JavaScript developer would write it for speed:
 * the most used CSV parser, its rows unified with a `Map`, the predicate pushed into the
 * unification (only Newsletter consents are held; every row still registers its key, in order of
 * first appearance, and retires an earlier Newsletter row with its Consent ID), Consent IDs that
 * are plain numbers kept as numbers. It judges no email, phone, value or date, which the rules
 * module does for every row.
 */
export function newsletterSegmentPapa(csv, Papa) {
  const rows = Papa.parse(csv).data;
  const header = rows[0].map((cell) => cell.trim().toLowerCase());
  const [cId, cEmail, cPhone, cOption, cValue, cDate] = ["consent id", "email", "phone", "consent option", "consent value", "consent date"].map((name) =>
    header.indexOf(name),
  );
  const profiles = new Map(); // key -> { best: its current Newsletter record, or null }
  const byId = new Map(); // Consent ID -> its Newsletter record, while no later row has that ID
  const records = []; // Newsletter records, in row order
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    if (r.length === 1 && r[0] === "") continue; // an empty line
    const key = keyOf(r[cEmail] ?? "", r[cPhone] ?? "");
    if (key === "" && r.every((field) => field.trim() === "")) continue;
    let profile = profiles.get(key);
    if (profile === undefined) profiles.set(key, (profile = { best: null }));
    const idText = r[cId].trim();
    const id = idText === "" ? null : idKey(idText);
    if (id !== null && byId.size !== 0) {
      const earlier = byId.get(id);
      if (earlier !== undefined) {
        earlier.alive = false;
        byId.delete(id);
      }
    }
    const option = r[cOption].trim();
    if (option.length !== 10 || option.toLowerCase() !== "newsletter") continue;
    const date = r[cDate].trim();
    const record = { profile, date: date === "" ? null : Date.parse(date), value: truth(r[cValue]), alive: true };
    records.push(record);
    if (id !== null) byId.set(id, record);
  }
  for (const record of records) {
    if (!record.alive) continue;
    // A later row wins on an equal date; a dated row beats an undated one.
    const held = record.profile.best;
    if (held === null || (record.date !== null ? held.date === null || record.date >= held.date : held.date === null)) record.profile.best = record;
  }
  const keys = [];
  for (const [key, profile] of profiles) if (profile.best?.value === true) keys.push(key);
  return keys;
}

/** Unify rows of cells under `headerCells` and select the newsletter segment. */
function newsletterSegmentOfRows(headerCells, iterator) {
  const header = headerCells.map((h) => h.trim().toLowerCase());
  const col = (name) => header.indexOf(name);
  const [cId, cEmail, cPhone, cOption, cValue, cDate] = ["consent id", "email", "phone", "consent option", "consent value", "consent date"].map(col);
  const records = [];
  for (const r of iterator) {
    if (r.every((f) => f.trim() === "")) continue;
    const rawKey = (r[cEmail] ?? "").trim() || (r[cPhone] ?? "").trim();
    const key = rawKey.includes("@") ? rawKey.toLowerCase() : rawKey.replace(/[\s\-.()]/g, "");
    const value = VALUES[(r[cValue] ?? "").trim().toLowerCase()];
    const dateText = (r[cDate] ?? "").trim();
    records.push({ id: (r[cId] ?? "").trim() || null, key, option: (r[cOption] ?? "").trim(), value, date: dateText ? Date.parse(dateText) : null });
  }
  // The surviving record per Consent ID: the later one.
  const alive = new Array(records.length).fill(true);
  const holder = new Map();
  records.forEach((rec, i) => {
    if (rec.id === null) return;
    const earlier = holder.get(rec.id);
    if (earlier !== undefined) alive[earlier] = false;
    holder.set(rec.id, i);
  });
  // Profiles in order of first appearance; the current consent per option.
  const profiles = new Map();
  records.forEach((rec, i) => {
    let options = profiles.get(rec.key);
    if (!options) profiles.set(rec.key, (options = new Map()));
    const option = rec.option.toLowerCase();
    if (!options.has(option)) options.set(option, null);
    if (!alive[i]) return;
    const held = options.get(option);
    const h = held === null ? null : records[held];
    const supersedes = h === null || (rec.date !== null && h.date !== null ? rec.date >= h.date : rec.date !== null || h.date === null);
    if (supersedes) options.set(option, i);
  });
  const keys = [];
  for (const [key, options] of profiles) {
    if (![...options.values()].some((i) => i !== null)) continue;
    for (const [option, i] of options) {
      if (i !== null && option === "newsletter" && records[i].value === true) {
        keys.push(key);
        break;
      }
    }
  }
  return keys;
}
