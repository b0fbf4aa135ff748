// Seeded random sequences of what a user and the platform do on a Contact form ("Anonymize
// Contact When Inactive" on): fields typed, Save, Save & Close, Save & New, AutoSave,
// Deactivate, dialogs answered, pauses, refreshes, some while the form's facts are still read
// (slow Web API, onLoad not awaited) and some with a platform that runs a replayed save's OnSave
// later. For every sequence the contract's promises hold (CONTRACT 3.6-3.9), with
// `ConsentGuard.evaluateSave` as the oracle:
// 1. every save that would anonymize was confirmed in a dialog about those very values, answered
//    after the previous anonymizing save (and, for a save the script replays, after the previous
//    save), and no Cancel about those values came after that confirmation;
// 2. AutoSave (70) never persists an anonymizing change;
// 3. at most one dialog is open at a time;
// 4. no page error and no unhandled rejection;
// 5. the script never changes what the user typed (only a refresh does).
// A failure names the sequence's seed and steps; FOUND replays the sequences longer runs broke.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FRANK, useSimulatedForms } from "./simulated-forms.mjs";

const { openForm } = useSimulatedForms();

const SETTINGS = { anonymizeWhenInactive: true };
const SEQUENCES = process.env.SAVE_SEQUENCE_SEED ? 1 : 100;
/** The first seed; SAVE_SEQUENCE_SEED=n plays that one sequence alone. */
const FIRST_SEED = Number(process.env.SAVE_SEQUENCE_SEED ?? 0x5eed);
/** Sequences played at once, each on its own page. */
const PAGES = 4;
/** Frank's saved values with no cause for anonymization. */
const CLEAN = { emailaddress1: "frank@contoso.com", donotemail: false, donotbulkemail: false, statecode: 0, msdyn_gdproptout: false };
const EMAILS = ["frank@contoso.com", "frank.lee@contoso.com", "frank@", "not an email", null];

/** mulberry32: a small deterministic PRNG, numbers in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `items`, uniformly. */
const pick = (rand, items) => items[Math.floor(rand() * items.length)];

/** The kinds of step, each as many times as its weight: makes one step. */
const STEP_KINDS = [
  ...Array(2).fill((rand) => ({ kind: "set", name: "donotemail", value: rand() < 0.6 })),
  (rand) => ({ kind: "set", name: "donotbulkemail", value: rand() < 0.5 }),
  ...Array(2).fill((rand) => ({ kind: "set", name: "emailaddress1", value: pick(rand, EMAILS) })),
  ...Array(2).fill(() => ({ kind: "command", mode: 1 })),
  ...[2, 59, 5, 5].map((mode) => () => ({ kind: "command", mode })),
  ...Array(2).fill(() => ({ kind: "command", mode: 70 })),
  ...Array(4).fill((rand) => ({ kind: "answer", confirmed: rand() < 0.6 })),
  ...Array(2).fill((rand) => ({ kind: "wait", ms: Math.floor(rand() * 151) })),
  () => ({ kind: "refresh" }),
];

/** The sequence of `seed`: the record's saved values, how the form starts, and its 6-15 steps. */
function sequence(seed) {
  const rand = prng(seed);
  const initial = { ...CLEAN, emailaddress1: rand() < 0.05 ? null : CLEAN.emailaddress1, donotemail: rand() < 0.05, donotbulkemail: rand() < 0.1 };
  const slow = rand() < 0.3;
  const deferred = rand() < 0.3;
  const steps = Array.from({ length: 6 + Math.floor(rand() * 10) }, () => pick(rand, STEP_KINDS)(rand));
  return { name: `seed ${seed}`, initial, slow, deferred, steps, rand };
}

/** A step from its description (the format `describe` gives). */
function parse(text) {
  const [kind, arg = ""] = text.split(/ (.*)/);
  if (kind === "set") return { kind, name: arg.slice(0, arg.indexOf("=")), value: JSON.parse(arg.slice(arg.indexOf("=") + 1)) };
  if (kind === "command") return { kind, mode: Number(arg) };
  if (kind === "answer") return { kind, confirmed: arg === "true" };
  return kind === "wait" ? { kind, ms: Number(arg) } : { kind: "refresh" };
}

/** Sequences longer runs found (reduced by hand), replayed as they are on a record with no cause: `steps` as `describe` writes them. */
const FOUND = [
  {
    name: "a Deactivate held during a replay, asked again and cancelled, then pressed again",
    deferred: true,
    steps: "command 5 | answer true | set donotemail=true | command 1 | set donotemail=false | answer true | command 5 | wait 150 | answer false | command 5",
  },
  {
    name: "the same with the first Deactivate and a Save pressed while the facts are read",
    slow: true,
    deferred: true,
    steps: "command 5 | command 1 | wait 300 | answer true | command 5 | wait 150 | answer false | command 5",
  },
].map(({ steps, ...found }) => ({ initial: CLEAN, slow: false, deferred: false, rand: prng(1), ...found, steps: steps.split(" | ").map(parse) }));

/** A step as the failure message shows it. */
const describe = (step) =>
  ({ set: `set ${step.name}=${JSON.stringify(step.value)}`, command: `command ${step.mode}`, answer: `answer ${step.confirmed}`, wait: `wait ${step.ms}` })[
    step.kind
  ] ?? "refresh";

/** The platform runs a script's save (a replay) a moment later, its OnSave included. */
const deferSave = () => {
  const save = form.formContext.data.save.bind(form.formContext.data);
  form.formContext.data.save = (options) => new Promise((resolve) => setTimeout(resolve, 60)).then(() => save(options));
};

/** In the page: record each dialog's values when it opens, dialogs opened over an open one, unhandled rejections; `answerOpen` answers the open dialog. */
const instrument = () => {
  const fields = () => ({ email: form.value("emailaddress1") ?? null, donotemail: form.value("donotemail"), donotbulkemail: form.value("donotbulkemail") });
  window.probe = { answers: [], overlaps: 0, rejections: [] };
  addEventListener("unhandledrejection", (event) => probe.rejections.push(String(event.reason?.message ?? event.reason)));
  const push = form.dialogs.push;
  form.dialogs.push = function (dialog) {
    if (form.dialogs.some((d) => !d.answered)) probe.overlaps += 1;
    dialog.values = fields();
    return push.call(this, dialog);
  };
  window.answerOpen = (confirmed) => {
    const dialog = form.dialogs.find((d) => !d.answered);
    if (!dialog) return false;
    dialog.answered = true;
    probe.answers.push({ confirmed, at: form.saves.length, values: dialog.values, text: dialog.strings.text });
    dialog.answer(confirmed);
    return true;
  };
};

/** In the page: the oracle's complaints about `form.saves` (invariants 1 and 2), judged from `initial`. */
const judgeSaves = ([initial, settings]) => {
  const state = (v) => ({ email: v.emailaddress1 ?? null, donotemail: v.donotemail, donotbulkemail: v.donotbulkemail, statecode: v.statecode });
  const verdict = (saveMode, before, after) => ConsentGuard.evaluateSave({ entity: "contact", saveMode, before, after, settings });
  const inactive = verdict(5, { statecode: 0 }, {}).reasons.find((r) => r.code === "Inactive").message;
  const same = (a, b) => a.email === b.email && a.donotemail === b.donotemail && a.donotbulkemail === b.donotbulkemail;
  const problems = [];
  let before = state(initial);
  let lastAnonymizing = -1;
  form.saves.forEach(({ saveMode, values }, i) => {
    const after = state(values);
    if (verdict(saveMode, before, after).anonymize) {
      const what = `save #${i} (mode ${saveMode}) of ${JSON.stringify(after)} over ${JSON.stringify(before)} anonymizes`;
      if (saveMode === 70) problems.push(`${what}: an AutoSave`);
      // The last dialog about these values (for Deactivate: about deactivating) answered before this save.
      const asked = probe.answers.filter((a) => a.at <= i && same(a.values, after) && (saveMode !== 5 || a.text.includes(inactive))).at(-1);
      const covered = asked?.confirmed === true && asked.at > lastAnonymizing && (saveMode === 5 || asked.at === i);
      if (!covered) problems.push(`${what}, unconfirmed (last dialog about these values: ${JSON.stringify(asked ?? null)})`);
      lastAnonymizing = i;
    }
    before = after;
  });
  if (probe.overlaps > 0) problems.push(`${probe.overlaps} dialog(s) opened while another was open`);
  for (const reason of probe.rejections) problems.push(`unhandled rejection: ${reason}`);
  return problems;
};

/** In the page: the user's fields as the form shows them, and how many dialogs are open. */
const look = () => ({
  values: { donotemail: form.value("donotemail"), donotbulkemail: form.value("donotbulkemail"), emailaddress1: form.value("emailaddress1") ?? null },
  saved: form.records[Object.keys(form.records).find((k) => k.startsWith("contact:"))],
  open: form.dialogs.filter((d) => !d.answered).length,
});

/** Run one step on the page; returns what happened, for the log. */
async function run(page, step) {
  switch (step.kind) {
    case "set":
      await page.evaluate(([n, v]) => form.set(n, v), [step.name, step.value]);
      return "";
    case "command":
      return (await page.evaluate((m) => form.command(m), step.mode)) ? " -> saved" : " -> cancelled";
    case "answer":
      return (await page.evaluate((c) => answerOpen(c), step.confirmed)) ? "" : " (no dialog open)";
    case "wait":
      await page.evaluate((ms) => new Promise((r) => setTimeout(r, ms)), step.ms);
      return "";
    default:
      await page.evaluate(() => form.refresh());
      return "";
  }
}

/** Play a sequence on a fresh form; returns its problems, with the steps that led to them. */
async function play({ name, initial, slow, deferred, steps, rand }) {
  const spec = { entity: "contact", id: FRANK, attributes: initial, records: { [`contact:${FRANK}`]: { ...initial } } };
  if (slow) spec.latencyMs = 200;
  const page = await openForm(spec, SETTINGS, { load: false, prepare: deferred ? deferSave : undefined });
  const errors = [];
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  await page.evaluate(instrument);
  await page.evaluate((s) => {
    window.loading = ConsentGuard.onLoad(form.executionContext, s);
  }, SETTINGS);
  if (!slow) await page.evaluate(() => window.loading);
  const log = [`initial ${JSON.stringify(initial)}${slow ? ", latencyMs 200, onLoad not awaited" : ""}${deferred ? ", deferred save" : ""}`];
  const problems = [];
  const expected = { donotemail: initial.donotemail, donotbulkemail: initial.donotbulkemail, emailaddress1: initial.emailaddress1 };
  for (const step of steps) {
    try {
      log.push(describe(step) + (await run(page, step)));
    } catch (error) {
      log.push(`${describe(step)} -> threw`);
      problems.push(`"${describe(step)}" threw: ${error.message}`);
    }
    const seen = await page.evaluate(look);
    if (step.kind === "set") expected[step.name] = step.value;
    if (step.kind === "refresh") for (const name of Object.keys(expected)) expected[name] = seen.saved[name] ?? null;
    if (JSON.stringify(seen.values) !== JSON.stringify(expected)) {
      problems.push(`after "${log.at(-1)}" the form shows ${JSON.stringify(seen.values)}, the user left ${JSON.stringify(expected)}`);
      Object.assign(expected, seen.values); // each change reported once
    }
    if (seen.open > 1) problems.push(`after "${log.at(-1)}" ${seen.open} dialogs are open`);
  }
  // The end: every open dialog answered, until the form has nothing left to ask.
  await page.evaluate(() => window.loading);
  for (let round = 0; ; round += 1) {
    await page.evaluate((ms) => new Promise((r) => setTimeout(r, ms)), slow ? 260 : 100);
    const confirmed = rand() < 0.5;
    if (!(await page.evaluate((c) => answerOpen(c), confirmed))) break;
    log.push(`(end) answer ${confirmed}`);
    if (round === 10) {
      problems.push("dialogs keep opening after 10 answers");
      break;
    }
  }
  problems.push(...(await page.evaluate(judgeSaves, [initial, SETTINGS])), ...errors);
  const saves = await page.evaluate(() => form.saves.map((s) => s.saveMode));
  await page.close();
  return problems.length === 0 ? null : `${name}: ${problems.join("; ")}\n  steps: ${log.join(" | ")}\n  saves: ${JSON.stringify(saves)}`;
}

test(`${SEQUENCES} seeded random sequences of edits, commands, answers, waits and refreshes keep the save guard's promises`, async () => {
  const failures = [];
  let next = 0;
  // A few pages at a time: each sequence has a form of its own.
  const worker = async () => {
    while (next < SEQUENCES) {
      const failure = await play(sequence(FIRST_SEED + next++));
      if (failure) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: PAGES }, worker));
  failures.sort();
  assert.deepEqual(failures, [], `${failures.length} of ${SEQUENCES} sequences broke the contract:\n${failures.join("\n")}`);
});

test("sequences that broke the contract in longer runs keep its promises", async () => {
  const failures = [];
  for (const found of FOUND) {
    const failure = await play(found);
    if (failure) failures.push(failure);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${FOUND.length} sequences broke the contract:\n${failures.join("\n")}`);
});
