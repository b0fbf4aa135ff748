//! A consent table as unification reads it: rows with their key and option interned as
//! numbers and their Consent ID numbered, so that unification compares integers and a table of
//! a million rows needs no string per row.
//!
//! A large table misses the processor's caches on every lookup of a key, so rows are interned a
//! batch at a time with the index slots they will probe read ahead: the misses of a batch
//! overlap instead of waiting for each other. Consent IDs are not looked up while reading (see
//! `ids`).

use crate::date::{ConsentDate, DayCache};
use crate::ids::ConsentIds;
use crate::interner::{hash_of, same_bytes, Interner};
use crate::prelude::*;
use crate::rows::Rows;
use crate::{fold_char, trim};
use chrono::NaiveDateTime;

/// One consent row, checked and normalized, borrowed from its source.
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    pub consent_id: Option<&'a str>,
    /// The normalized key.
    pub key: &'a str,
    /// The option as the source holds it.
    pub option: &'a str,
    pub value: bool,
    /// The date as the source holds it, and parsed.
    pub date: Option<(&'a str, ConsentDate)>,
}

/// `option` as options compare: without surrounding space, case folded (see [`fold_char`]).
fn option_key<'t>(option: &'t str, scratch: &'t mut String) -> &'t str {
    let option = trim(option);
    if option
        .bytes()
        .all(|b| !b.is_ascii_uppercase() && b.is_ascii())
    {
        return option;
    }
    scratch.clear();
    scratch.extend(option.chars().map(fold_char));
    scratch
}

/// No Consent ID.
pub const NO_ID: u32 = u32::MAX;

/// A row of a [`Table`]: its key and option as interned numbers, its Consent ID by number. 24
/// bytes: a million rows are a large share of what a large table holds.
#[derive(Clone, Copy, Debug)]
pub struct TableRow {
    /// Number of the key in [`Table::keys`]: also the profile's number.
    pub profile: u32,
    /// The option's number shifted left by one, and the consent's value in the lowest bit.
    option_value: u32,
    /// Number of the Consent ID in [`Table::ids`], or [`NO_ID`].
    pub id: u32,
    /// The consent date as an instant in UTC (see [`ConsentDate::instant`]).
    pub date: Option<NaiveDateTime>,
}

impl TableRow {
    /// A row of option number `option` (below 2³¹: there are never more options than rows).
    pub fn new(
        profile: u32,
        option: u32,
        id: u32,
        value: bool,
        date: Option<NaiveDateTime>,
    ) -> TableRow {
        TableRow {
            profile,
            option_value: (option << 1) | u32::from(value),
            id,
            date,
        }
    }

    /// Number of the option in [`Table::options`].
    #[inline]
    pub fn option(&self) -> u32 {
        self.option_value >> 1
    }

    /// The consent's value.
    #[inline]
    pub fn value(&self) -> bool {
        self.option_value & 1 != 0
    }
}

/// Consent rows with keys and options interned and Consent IDs numbered as they are added, so
/// that unification compares integers and a table of a million rows needs no string per row.
/// The table owns its texts: it outlives the text it was read from.
///
/// Keys are interned a batch of rows at a time ([`BATCH`]): in a large table every lookup
/// misses the processor's caches, and reading the batch's slots ahead lets those misses overlap
/// instead of waiting for each other (the rows still go in one by one, in order).
#[derive(Default)]
pub struct Table {
    /// Keys in order of first appearance.
    pub keys: Interner,
    /// Options as first written, in order of first appearance.
    pub options: Vec<String>,
    /// Options as they compare (see [`option_key`]), numbered as `options`.
    option_keys: Interner,
    /// Options exactly as rows spell them, and their number in `options`: most tables spell
    /// each option one way, so a row's option is found without folding its case.
    spellings: Interner,
    spelling_options: Vec<u32>,
    /// The spellings last found in each of a few pairs of places, chosen by a spelling's length
    /// and first and last bytes (plus one; 0 is none): a table spells a handful of options,
    /// which then are found with a comparison or two instead of a hash and a probe.
    recent_spellings: RecentSpellings,
    /// Every row's Consent ID, numbered in row order.
    pub ids: ConsentIds,
    /// The rows interned so far (the pending ones are not yet).
    pub rows: Rows,
    pending: Vec<Pending>,
    /// The pending rows' keys, back to back.
    pending_text: String,
    scratch: String,
    /// Days of the dates of records handed over as data (see `ConsentDate::parse_with`).
    pub days: DayCache,
    /// What reading ahead loaded, kept so that the reads are not optimized away.
    pub read_ahead: u8,
}

/// How many places a table keeps recent spellings of options in.
const RECENT: usize = 64;

/// The places of recent spellings (see [`Table`]), all empty at first.
struct RecentSpellings([u32; RECENT]);

impl Default for RecentSpellings {
    fn default() -> Self {
        RecentSpellings([0; RECENT])
    }
}

/// The first of the two places of recent spellings (see [`Table`]) where `spelling` may be: by
/// its length and its first and last bytes, multiplied so that every bit of them moves the top
/// bits. Two places each, so that two options that share a pair still both stay in it; with one
/// place, two of the eight options of a typical table shared one and a quarter of the rows
/// missed.
fn recent_pair(spelling: &[u8]) -> usize {
    let first = u32::from(spelling.first().copied().unwrap_or(0));
    let last = u32::from(spelling.last().copied().unwrap_or(0));
    let mixed = ((spelling.len() as u32) ^ (first << 8) ^ (last << 16)).wrapping_mul(0x9e37_79b1);
    (mixed >> 27) as usize * 2
}

/// How many rows are interned together (see [`Table`]).
pub const BATCH: usize = 32;

/// A row whose key waits in [`Table::pending_text`].
struct Pending {
    /// Where the key ends in `pending_text`.
    key_end: u32,
    /// Number of the Consent ID in [`Table::ids`], or [`NO_ID`].
    id: u32,
    option: u32,
    value: bool,
    date: Option<NaiveDateTime>,
}

impl Table {
    /// A table with room for about `rows` rows.
    pub fn with_capacity(rows: usize) -> Table {
        Table {
            // About four rows a key in typical exports; the index grows when there are more.
            keys: Interner::with_capacity(rows / 4),
            ids: ConsentIds::with_capacity(rows),
            rows: Rows::with_capacity(rows),
            ..Table::default()
        }
    }

    /// Add a checked, normalized row.
    pub fn push(&mut self, row: &Row) {
        let option = self.option_number(row.option);
        self.pending_text.push_str(row.key);
        let key_end = self.pending_text.len() as u32;
        // The Consent ID goes straight to the IDs (they are only appended while reading), with
        // the number its row will have once the pending rows before it are added.
        let row_number = (self.rows.len() + self.pending.len()) as u32;
        let id = row
            .consent_id
            .map_or(NO_ID, |id| self.ids.push(id, hash_of(id), row_number));
        self.pending.push(Pending {
            key_end,
            id,
            option,
            value: row.value,
            date: row.date.map(|(_, parsed)| parsed.instant()),
        });
        if self.pending.len() >= BATCH {
            self.flush();
        }
    }

    /// The number of an option as `option` spells it.
    fn option_number(&mut self, option: &str) -> u32 {
        let bytes = option.as_bytes();
        let pair = recent_pair(bytes);
        let held = |place: usize| {
            self.recent_spellings
                .0
                .get(place)
                .and_then(|held| held.checked_sub(1))
                .filter(|spelling| {
                    self.spellings
                        .bytes(*spelling)
                        .is_some_and(|held| same_bytes(held, bytes))
                })
        };
        let recent = held(pair).or_else(|| held(pair + 1));
        if let Some(spelling) = recent.or_else(|| self.spellings.find(option)) {
            if recent.is_none() {
                // The pair's newer spelling becomes its older one.
                let newer = self.recent_spellings.0.get(pair).copied().unwrap_or(0);
                if let Some(older) = self.recent_spellings.0.get_mut(pair + 1) {
                    *older = newer;
                }
                if let Some(slot) = self.recent_spellings.0.get_mut(pair) {
                    *slot = spelling + 1;
                }
            }
            if let Some(number) = self.spelling_options.get(spelling as usize) {
                return *number;
            }
        }
        let folded = option_key(option, &mut self.scratch);
        let number = match self.option_keys.find(folded) {
            Some(found) => found,
            None => {
                // The first spelling is kept for the rule to compare with.
                self.options.push(option.to_string());
                self.option_keys.intern(folded)
            }
        };
        self.spellings.intern(option);
        self.spelling_options.push(number);
        number
    }

    /// Intern the pending rows' keys and add the rows.
    pub fn flush(&mut self) {
        let mut hashes = [0u32; BATCH];
        let mut slots = [0u64; BATCH];
        let mut start = 0;
        for (pending, hash) in self.pending.iter().zip(hashes.iter_mut()) {
            let key = self
                .pending_text
                .get(start..pending.key_end as usize)
                .unwrap_or("");
            *hash = hash_of(key);
            start = pending.key_end as usize;
        }
        // The loads alone, in a loop of a few instructions per row: the processor has many of
        // them in flight at once, where a loop that also hashed would fill its window with
        // the hashing and overlap only a few.
        for (key_hash, slot) in hashes.iter().zip(&mut slots) {
            *slot = self.keys.first_slot(*key_hash);
        }
        for (key_hash, slot) in hashes.iter().zip(&slots) {
            self.read_ahead ^= self.keys.first_byte(*slot, *key_hash);
        }
        let mut start = 0;
        for (pending, key_hash) in self.pending.iter().zip(&hashes) {
            let key_end = pending.key_end as usize;
            let key = self.pending_text.get(start..key_end).unwrap_or("");
            start = key_end;
            let profile = self.keys.intern_hashed(key, *key_hash);
            self.rows.push(TableRow::new(
                profile,
                pending.option,
                pending.id,
                pending.value,
                pending.date,
            ));
        }
        self.pending.clear();
        self.pending_text.clear();
    }

    /// Row `index` of a table that has been [`unify`](Self::unify)-ed.
    pub fn row(&self, index: u32) -> Option<&TableRow> {
        self.rows.get(index as usize)
    }

    /// The option text of number `option`.
    pub fn option(&self, option: u32) -> Option<&str> {
        self.options.get(option as usize).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::{Row, Table, TableRow, BATCH, NO_ID};
    use std::collections::HashMap;

    /// Numbers in order of first appearance, counted plainly.
    fn numbered<'a>(texts: impl Iterator<Item = Option<&'a str>>) -> Vec<u32> {
        let mut seen = HashMap::new();
        texts
            .map(|text| match text {
                Some(text) => {
                    let next = seen.len() as u32;
                    *seen.entry(text).or_insert(next)
                }
                None => NO_ID,
            })
            .collect()
    }

    /// Many spellings, which share the places of recent spellings with each other: every row's
    /// option is still the one its folded spelling first appeared as.
    #[test]
    fn options_are_numbered_by_their_folded_spelling_among_many() {
        let mut next = crate::seeded(11);
        let names: Vec<String> = (0..60)
            .map(|i| ["Opt", "opt", "OPT ", " oPt"][i % 4].to_string() + &(i / 4).to_string())
            .collect();
        let mut table = Table::with_capacity(8);
        let mut expected = Vec::new();
        let mut folded_numbers: HashMap<String, u32> = HashMap::new();
        for _ in 0..3000 {
            let name = &names[next(names.len())];
            let folded = name.trim().to_lowercase();
            let next_number = folded_numbers.len() as u32;
            expected.push(*folded_numbers.entry(folded).or_insert(next_number));
            table.push(&Row {
                consent_id: None,
                key: "k",
                option: name,
                value: true,
                date: None,
            });
        }
        table.flush();
        let options: Vec<u32> = (0..expected.len() as u32)
            .filter_map(|i| table.row(i))
            .map(TableRow::option)
            .collect();
        assert_eq!(options, expected);
    }

    #[test]
    fn rows_interned_in_batches_are_numbered_as_one_by_one() {
        // Keys and Consent IDs that come back within a batch, across batches and after the
        // indexes grew; some rows without a Consent ID; options spelled several ways.
        let count = BATCH * 40 + 7;
        let keys: Vec<String> = (0..count)
            .map(|i| format!("p{}@x.nl", (i * 7919) % 301))
            .collect();
        let ids: Vec<Option<String>> = (0..count)
            .map(|i| (i % 5 != 0).then(|| format!("{}", (i * 31) % 997)))
            .collect();
        let spellings = ["News", "news", " NEWS ", "Sms", "sms"];
        let mut table = Table::with_capacity(8);
        for (i, (key, id)) in keys.iter().zip(&ids).enumerate() {
            table.push(&Row {
                consent_id: id.as_deref(),
                key,
                option: spellings[i % spellings.len()],
                value: i % 2 == 0,
                date: None,
            });
        }
        table.unify();
        let rows: Vec<TableRow> = (0..count as u32)
            .filter_map(|i| table.row(i))
            .copied()
            .collect();
        assert_eq!(rows.len(), count);
        let profiles: Vec<u32> = rows.iter().map(|r| r.profile).collect();
        assert_eq!(profiles, numbered(keys.iter().map(|k| Some(k.as_str()))));
        // Consent IDs are numbered per row that has one, in row order.
        let row_ids: Vec<Option<&str>> = rows
            .iter()
            .map(|r| (r.id != NO_ID).then(|| table.ids.get(r.id).unwrap_or("?")))
            .collect();
        assert_eq!(
            row_ids,
            ids.iter().map(Option::as_deref).collect::<Vec<_>>()
        );
        let numbers: Vec<u32> = rows
            .iter()
            .map(|r| r.id)
            .filter(|id| *id != NO_ID)
            .collect();
        assert_eq!(numbers, (0..numbers.len() as u32).collect::<Vec<_>>());
        let options: Vec<u32> = rows.iter().map(TableRow::option).collect();
        let expected: Vec<u32> = (0..count).map(|i| u32::from(i % 5 >= 3)).collect();
        assert_eq!(options, expected);
        assert_eq!(table.options, ["News", "Sms"]);
        for (row, key) in rows.iter().zip(&keys) {
            assert_eq!(table.keys.get(row.profile), Some(key.as_str()));
        }
        assert!(rows
            .iter()
            .enumerate()
            .all(|(i, r)| r.value() == (i % 2 == 0)));
    }
}
