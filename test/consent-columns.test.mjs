// Records and profiles cross to the module as columns when they are plain (shim/columns.ts); the
// answers must be the very ones the JSON path gives. Class instances take the JSON path (the
// engine's JSON.stringify is what reads them), so each generated input is sent both ways.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as guard from "consent-guard";
import { random } from "../bench/data.mjs";

await guard.ready();

const pick = (next, items) => items[Math.floor(next() * items.length)];
const KEYS = ["a@b.nl", " A@B.NL ", "c@d.de", "+31 (6) 12-34", "+316 1234", '"q\\uote"@x.fr', "Émile@x.fr", "😀@x.fr", "日本@例え.jp"];
const OPTIONS = ["News", "news", " NEWS ", "Sms", 'Café "x"\n', "sms", "😀", "__proto__", "constructor", "10", "2", "toString"];
const DATES = [undefined, null, "2024-05-03", "2024-05-03T10:00:00Z", "2024-05-02T23:00:00-02:00", "2023-01-01", "2024-05-03T10:00"];
const IDS = [undefined, null, "", "1", "2", "3", "é", "ééé", "😀"];
const RULES = [
  "Consent option=news & Consent value=True",
  "Consent option=sms | Consent date>=2024-05-03",
  "!(Consent ID=3) & Consent date<2024-05-03T10:00",
  "Consent date!=2023-01-01",
  "Consent option=😀 | Consent ID=é",
  "Consent option=__proto__ & Consent value=false",
];

/** Seeded records, with optional fields absent, undefined or null, and in any order. */
function records(seed) {
  const next = random(seed);
  return Array.from({ length: Math.floor(next() * 40) }, () => {
    const fields = [
      ["key", pick(next, KEYS)],
      ["option", pick(next, OPTIONS)],
      ["value", next() < 0.5],
    ];
    const id = pick(next, IDS);
    if (id !== undefined || next() < 0.3) fields.push(["consentId", id]);
    const date = pick(next, DATES);
    if (date !== undefined || next() < 0.3) fields.push(["date", date]);
    if (next() < 0.1) fields.push(["note", undefined]);
    fields.sort(() => next() - 0.5);
    return Object.fromEntries(fields);
  });
}

/** A class instance with the same own fields (`__proto__` too): JSON.stringify reads it, so the JSON path does. */
class Held {}
const held = (object) => {
  const copy = new Held();
  for (const [name, value] of Object.entries(object)) Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};
const heldProfiles = (profiles) =>
  profiles.map((p) => held({ ...p, consents: held(Object.fromEntries(Object.entries(p.consents).map(([o, c]) => [o, held(c)]))) }));

/** `run()`, and how many times it called JSON.stringify (the JSON path's first step). */
function stringifyCalls(run) {
  const original = JSON.stringify;
  let calls = 0;
  JSON.stringify = (...args) => {
    calls++;
    return original(...args);
  };
  try {
    return { result: run(), calls };
  } finally {
    JSON.stringify = original;
  }
}

/** The same answer: the same values, and the same JSON (so the same order of fields and options). */
function same(actual, expected, message) {
  assert.deepStrictEqual(actual, expected, message);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), message);
}

test("unifyConsent and evaluateSegment answer through the columns as through JSON, on 300 generated tables", () => {
  let profilesSeen = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const input = records(seed);
    const columns = stringifyCalls(() => guard.unifyConsent(input));
    assert.equal(columns.calls, 0, `seed ${seed}: plain records cross as columns`);
    const json = stringifyCalls(() => guard.unifyConsent(input.map(held)));
    // (An empty list has no instance in it.)
    assert.ok(json.calls > 0 || input.length === 0, `seed ${seed}: class instances go the JSON path`);
    same(columns.result, json.result, `seed ${seed}`);
    const profiles = columns.result;
    profilesSeen += profiles.length;
    for (const rule of RULES) {
      const selected = stringifyCalls(() => guard.evaluateSegment(rule, profiles));
      assert.equal(selected.calls, 0, `seed ${seed}, ${rule}: plain profiles cross as columns`);
      same(selected.result, guard.evaluateSegment(rule, heldProfiles(profiles)), `seed ${seed}, ${rule}`);
    }
  }
  assert.ok(profilesSeen > 1000);
});

test("a list of thousands of records is written into the module a part at a time, with the same answer", () => {
  // Several parts (a few thousand texts each), non-ASCII text in every one of them.
  const input = Array.from({ length: 12_000 }, (_, i) => records(i + 1)[0] ?? { key: `k${i}@x.nl`, option: "News", value: true });
  const columns = stringifyCalls(() => guard.unifyConsent(input));
  assert.equal(columns.calls, 0);
  same(columns.result, guard.unifyConsent(input.map(held)));
  // A lone surrogate in a late part: the JSON path, which answers it as it does.
  const lone = input.map((record, i) => (i === 11_000 ? { ...record, option: "a\udc00" } : record));
  const viaJson = stringifyCalls(() => guard.unifyConsent(lone));
  assert.ok(viaJson.calls > 0);
  same(viaJson.result, guard.unifyConsent(lone.map(held)));
  // A getter that makes a call of its own while the list is read, one that writes a part into
  // the module's room and then goes the JSON path: the outer call must not use the room, which
  // now holds the inner call's texts (of the same lengths as its own, in other letters).
  const plain = Array.from({ length: 3_000 }, (_, i) => ({ key: `k${String(i).padStart(5, "0")}@x.nl`, option: "News", value: i % 3 === 0 }));
  const innerInput = [...plain.slice(0, 2_000).map((record) => ({ ...record, key: record.key.replace("k", "j") })), held(plain[0])];
  let inner;
  const reentrant = plain.map((record, i) =>
    i === 2_500
      ? Object.defineProperty({ ...record }, "key", {
          enumerable: true,
          get: () => {
            inner = guard.unifyConsent(innerInput);
            return record.key;
          },
        })
      : record,
  );
  same(guard.unifyConsent(reentrant), guard.unifyConsent(plain.map(held)));
  same(inner, guard.unifyConsent(innerInput.map(held)));
});

test("an option named __proto__ is a consent of its own, as JSON.parse makes it", () => {
  const [profile] = guard.unifyConsent([{ key: "a@b.nl", option: "__proto__", value: true }]);
  assert.equal(Object.getPrototypeOf(profile.consents), Object.prototype);
  assert.deepEqual(Object.keys(profile.consents), ["__proto__"]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(profile.consents, "__proto__")?.value, { value: true });
  assert.deepEqual(guard.evaluateSegment("Consent option=__proto__", [profile]), ["a@b.nl"]);
});

test("what is not plainly a record or a profile goes the JSON path, with the same answer or error", () => {
  const record = { key: "a@b.nl", option: "News", value: true };
  // A lone surrogate, an enumerable property added to Object.prototype, a toJSON.
  const lone = [{ ...record, key: "\ud800a@b.nl" }];
  const viaJson = stringifyCalls(() => guard.unifyConsent(lone));
  assert.ok(viaJson.calls > 0);
  same(viaJson.result, guard.unifyConsent(lone.map(held)));
  Object.prototype.polluted = 1;
  try {
    const polluted = stringifyCalls(() => guard.unifyConsent([record]));
    assert.ok(polluted.calls > 0);
    same(polluted.result, [{ key: "a@b.nl", consents: { News: { value: true } } }]);
  } finally {
    delete Object.prototype.polluted;
  }
  same(guard.unifyConsent([{ ...record, toJSON: undefined }, { toJSON: () => ({ ...record, value: false }) }]), [
    { key: "a@b.nl", consents: { News: { value: false } } },
  ]);
  // Errors are the JSON path's: a getter that throws, a wrong type, a record that does not unify.
  const throwing = Object.defineProperty({ ...record }, "option", { enumerable: true, get: () => assert.fail("read") });
  assert.throws(() => guard.unifyConsent([throwing]), guard.ConsentGuardError);
  assert.throws(() => guard.unifyConsent([{ ...record, value: "yes" }]), /records\[0\]\.value/);
  assert.throws(() => guard.unifyConsent([record, { ...record, date: "May" }]), /\[1\]\.date/);
  assert.throws(() => guard.evaluateSegment("Consent value=", [{ key: "k", consents: {} }]), /column 15/);
  assert.throws(() => guard.evaluateSegment("Consent value=true", [{ key: "k", consents: { A: { value: 1 } } }]), /value/);
});

test("profiles, keys and option names the columns cannot carry as they are go the JSON path too", () => {
  const profile = (consents, key = "a@b.nl") => ({ key, consents });
  const rule = "Consent option=N | Consent ID=1";
  const cases = [
    // A key with a lone surrogate: the JSON path answers it with a replacement character.
    [profile({ N: { value: true } }, "a\ud800@b.nl")],
    // Null dates and Consent IDs are absent; an unknown field set to undefined is no field.
    [profile({ N: { value: true, date: null, consentId: null, note: undefined } })],
  ];
  for (const profiles of cases) {
    same(guard.evaluateSegment(rule, profiles), guard.evaluateSegment(rule, heldProfiles(profiles)));
  }
  assert.ok(stringifyCalls(() => guard.evaluateSegment(rule, cases[0])).calls > 0);
  assert.equal(stringifyCalls(() => guard.evaluateSegment(rule, cases[1])).calls, 0);
  assert.throws(() => guard.evaluateSegment(rule, [profile({ N: { value: true, note: 1 } })]), /note/);
  // A toJSON of the list itself is what JSON.stringify reads.
  const listed = [profile({ N: { value: false } })];
  listed.toJSON = () => [profile({ N: { value: true } })];
  same(guard.evaluateSegment("Consent value=true", listed), ["a@b.nl"]);
  const records = [{ key: "a@b.nl", option: "N", value: false }];
  records.toJSON = () => [{ key: "c@d.nl", option: "N", value: true }];
  same(guard.unifyConsent(records), [{ key: "c@d.nl", consents: { N: { value: true } } }]);
  // A surrogate pair split between a key and an option: the module finds a length that cuts a character.
  const split = [{ key: "x\ud83d", option: "\ude00", value: true }];
  const viaJson = stringifyCalls(() => guard.unifyConsent(split));
  assert.ok(viaJson.calls > 0);
  same(viaJson.result, guard.unifyConsent(split.map(held)));
});

test("an option named like a setter of Object.prototype is still an own consent", () => {
  let set = 0;
  Object.defineProperty(Object.prototype, "trap", { set: () => set++, configurable: true });
  try {
    const [profile] = guard.unifyConsent([{ key: "a@b.nl", option: "trap", value: true }]);
    assert.deepEqual(Object.getOwnPropertyDescriptor(profile.consents, "trap")?.value, { value: true });
    assert.equal(set, 0);
  } finally {
    delete Object.prototype.trap;
  }
});

test("parseConsentCsv's records have the fields of their JSON, in order, with their exact text", () => {
  const { records } = guard.parseConsentCsv(
    'Consent ID,Email,Phone,Consent option,Consent value,Consent date\n7,Ann@B.nl,,"😀 é ""x""",yes,2024-05-03\n,,+31 20 123,News,no,\n',
  );
  assert.deepEqual(
    records.map((r) => Object.keys(r)),
    [
      ["consentId", "key", "option", "value", "date"],
      ["key", "option", "value"],
    ],
  );
  same(records, [
    { consentId: "7", key: "ann@b.nl", option: '😀 é "x"', value: true, date: "2024-05-03" },
    { key: "+3120123", option: "News", value: false },
  ]);
});

test("a date a rule reads that is not a date is an error naming it; a rule that reads no date ignores it", () => {
  const profiles = [
    { key: "a@b.nl", consents: { News: { value: true, date: "2025-02-01" } } },
    { key: "c@d.nl", consents: { News: { value: true }, SMS: { value: true, date: "someday" } } },
  ];
  assert.throws(
    () => guard.evaluateSegment("Consent date>2024-01-01", profiles),
    (e) =>
      e instanceof guard.ConsentGuardError &&
      e.code === "invalidInput" &&
      e.path === "profiles[1].consents.SMS.date" &&
      e.message === "evaluateSegment: profiles[1].consents.SMS.date: 'someday' is not a date or date-time written as 2024-05-03 or 2024-05-03T10:15:00Z",
  );
  assert.deepEqual(guard.evaluateSegment("Consent option=News", profiles), ["a@b.nl", "c@d.nl"]);
  assert.deepEqual(guard.evaluateSegment("Consent date>2024-01-01", profiles.slice(0, 1)), ["a@b.nl"]);
});
