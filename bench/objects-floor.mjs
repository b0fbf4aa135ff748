// The least the three-call path can cost in JavaScript: making the objects the contract gives
// back (`parseConsentCsv`'s records, `unifyConsent`'s profiles) and reading each once, as the
// next call must. Nothing is read from the text, checked, unified or selected; the values come
// from flat columns prepared before the clock starts, and every text is cut out of one string,
// as the shim does. Whatever the module does on top, the three calls cannot be faster than this.

/**
 * Columns of `records` and `profiles` (the three calls' own answers on the table), untimed:
 * the texts back to back, their lengths, the flags, and per profile which records hold its consents.
 */
export function prepareObjectsFloor(records, profiles) {
  const texts = [];
  const lengths = new Uint32Array(records.length * 4);
  const flags = new Uint8Array(records.length);
  records.forEach((record, i) => {
    const parts = [record.consentId ?? "", record.key, record.option, record.date ?? ""];
    parts.forEach((text, j) => {
      texts.push(text);
      lengths[i * 4 + j] = text.length;
    });
    flags[i] = (record.value ? 1 : 0) | (record.consentId === undefined ? 0 : 2) | (record.date === undefined ? 0 : 4);
  });
  // Each consent is made from a record of its option: the one of its Consent ID where it has
  // one, else one spread over the table, so that the records are reached in no better order
  // than unification reaches them.
  const byId = new Map();
  const byOption = new Map();
  records.forEach((record, i) => {
    if (record.consentId !== undefined) byId.set(record.consentId, i);
    const list = byOption.get(record.option) ?? [];
    list.push(i);
    byOption.set(record.option, list);
  });
  const counts = new Uint32Array(profiles.length);
  const holders = [];
  profiles.forEach((profile, p) => {
    for (const option in profile.consents) {
      const consent = profile.consents[option];
      const spread = byOption.get(option) ?? [0];
      holders.push(byId.get(consent.consentId) ?? spread[(p * 7919) % spread.length]);
      counts[p]++;
    }
  });
  const text = texts.join("");
  const keyText = profiles.map((profile) => profile.key).join("");
  const keyLengths = Uint32Array.from(profiles, (profile) => profile.key.length);
  // Flat strings, as the module's answers are: a search makes the engine join the pieces.
  text.indexOf("\u0001");
  keyText.indexOf("\u0001");
  return { text, lengths, flags, counts, holders: Uint32Array.from(holders), keyText, keyLengths, recordCount: records.length };
}

/** Make the records and profiles from `prepared` and read each field once; answers how many fields were read. */
export function objectsFloor(prepared) {
  const { text, lengths, flags, counts, holders, keyText, keyLengths } = prepared;
  const records = new Array(flags.length);
  let at = 0;
  for (let i = 0, l = 0; i < flags.length; i++, l += 4) {
    const flag = flags[i];
    const idEnd = at + lengths[l];
    const keyEnd = idEnd + lengths[l + 1];
    const optionEnd = keyEnd + lengths[l + 2];
    const dateEnd = optionEnd + lengths[l + 3];
    const key = text.slice(idEnd, keyEnd);
    const option = text.slice(keyEnd, optionEnd);
    const value = (flag & 1) !== 0;
    if (flag & 2) {
      const consentId = text.slice(at, idEnd);
      records[i] = flag & 4 ? { consentId, key, option, value, date: text.slice(optionEnd, dateEnd) } : { consentId, key, option, value };
    } else {
      records[i] = flag & 4 ? { key, option, value, date: text.slice(optionEnd, dateEnd) } : { key, option, value };
    }
    at = dateEnd;
  }
  let read = 0;
  for (const record of records) for (const name in record) if (record[name] !== undefined) read++;
  const profiles = new Array(counts.length);
  let holder = 0;
  let keyStart = 0;
  for (let p = 0; p < profiles.length; p++) {
    const consents = {};
    for (let c = counts[p]; c > 0; c--) {
      const record = records[holders[holder++]];
      consents[record.option] = record.date === undefined ? { value: record.value } : { value: record.value, date: record.date };
    }
    const keyEnd = keyStart + keyLengths[p];
    profiles[p] = { key: keyText.slice(keyStart, keyEnd), consents };
    keyStart = keyEnd;
  }
  for (const profile of profiles) {
    for (const name in profile) if (profile[name] !== undefined) read++;
    for (const option in profile.consents) {
      const consent = profile.consents[option];
      for (const name in consent) if (consent[name] !== undefined) read++;
    }
  }
  return read;
}
