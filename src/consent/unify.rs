//! Unification: one profile per key, with the current consent per option.
//!
//! - A later record with the same Consent ID replaces the earlier one (the primary key updates
//!   the consent), even if its key or option differs; when both are dated and the later record's
//!   date is earlier, the earlier record stays, so dated updates do not depend on row order.
//! - Between different records for one (key, option): a dated record beats an undated one, the
//!   latest date wins, and on equal dates or without dates the later record wins.
//! - Options compare case-insensitively; profiles come in the order their keys first appear.
//!
//! Keys, options and Consent IDs are interned into a [`Table`] as rows are read, so that the
//! unification itself compares integers.

use crate::json::write_string;
use crate::prelude::*;
use crate::text::{build_text, push_text, Piece};
use core::fmt;

use super::interner::{hash_of, Interner};
use super::{fold_char, normalize_key, trim, Consent, ConsentDate, ConsentProfile, ConsentRecord};

/// A record that cannot be unified.
#[derive(Clone, Debug, PartialEq)]
pub struct UnifyError {
    /// Index of the record in the input.
    pub index: usize,
    /// The field at fault.
    pub field: &'static str,
    pub message: String,
}

impl Piece for UnifyError {
    fn push_to(&self, out: &mut String) {
        push_text!(*out, "[", self.index, "].", self.field, ": ", self.message);
    }
}

impl fmt::Display for UnifyError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl core::error::Error for UnifyError {}

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

impl Row<'_> {
    /// The row as JSON text: the record [`to_record`](Self::to_record) gives, as the
    /// JavaScript API returns it (see `ConsentRecord::to_value`). A large table's records are
    /// written so as they are read, without an owned record or a value tree for each.
    pub fn write_json(&self, out: &mut String) {
        out.push('{');
        if let Some(id) = self.consent_id {
            out.push_str("\"consentId\":");
            write_string(id, out);
            out.push(',');
        }
        out.push_str("\"key\":");
        write_string(self.key, out);
        out.push_str(",\"option\":");
        write_string(self.option, out);
        out.push_str(if self.value {
            ",\"value\":true"
        } else {
            ",\"value\":false"
        });
        if let Some((date, _)) = self.date {
            out.push_str(",\"date\":");
            write_string(date, out);
        }
        out.push('}');
    }

    /// The row as an owned record.
    pub fn to_record(self) -> ConsentRecord {
        ConsentRecord {
            consent_id: self.consent_id.map(str::to_string),
            key: self.key.to_string(),
            option: self.option.to_string(),
            value: self.value,
            date: self.date.map(|(text, _)| text.to_string()),
        }
    }
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
const NO_ID: u32 = u32::MAX;

/// A row of a [`Table`]: its key, option and Consent ID as interned numbers.
#[derive(Clone, Copy, Debug)]
pub struct TableRow {
    /// Number of the key in [`Table::keys`]: also the profile's number.
    pub profile: u32,
    pub option: u32,
    pub id: u32,
    pub value: bool,
    pub date: Option<ConsentDate>,
}

/// Consent rows with keys, options and Consent IDs interned as they are added, so that
/// unification compares integers and a table of a million rows needs no string per row. The
/// table owns its texts: it outlives the text it was read from.
///
/// Keys and Consent IDs are interned a batch of rows at a time ([`BATCH`]): in a large table
/// every lookup misses the processor's caches, and reading the batch's slots ahead lets those
/// misses overlap instead of waiting for each other (the rows still go in one by one, in order).
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
    pub ids: Interner,
    /// The rows interned so far; see [`rows`](Self::rows).
    rows: Vec<TableRow>,
    pending: Vec<Pending>,
    /// The pending rows' keys and Consent IDs, back to back.
    pending_text: String,
    scratch: String,
    /// What reading ahead loaded, kept so that the reads are not optimized away.
    read_ahead: u8,
}

/// How many rows are interned together (see [`Table`]).
const BATCH: usize = 32;

/// A row whose key and Consent ID wait in [`Table::pending_text`].
struct Pending {
    /// Where the key ends and the Consent ID (if any) ends in `pending_text`.
    key_end: u32,
    id_end: Option<u32>,
    option: u32,
    value: bool,
    date: Option<ConsentDate>,
}

impl Table {
    /// A table with room for about `rows` rows.
    pub fn with_capacity(rows: usize) -> Table {
        Table {
            // About four rows a key in typical exports; the index grows when there are more.
            keys: Interner::with_capacity(rows / 4),
            ids: Interner::with_capacity(rows),
            rows: Vec::with_capacity(rows),
            ..Table::default()
        }
    }

    /// Add a checked, normalized row.
    pub fn push(&mut self, row: &Row) {
        let option = self.option_number(row.option);
        self.pending_text.push_str(row.key);
        let key_end = self.pending_text.len() as u32;
        let id_end = row.consent_id.map(|id| {
            self.pending_text.push_str(id);
            self.pending_text.len() as u32
        });
        self.pending.push(Pending {
            key_end,
            id_end,
            option,
            value: row.value,
            date: row.date.map(|(_, parsed)| parsed),
        });
        if self.pending.len() >= BATCH {
            self.flush();
        }
    }

    /// The number of an option as `option` spells it.
    fn option_number(&mut self, option: &str) -> u32 {
        if let Some(number) = self
            .spellings
            .find(option)
            .and_then(|spelling| self.spelling_options.get(spelling as usize))
        {
            return *number;
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

    /// Intern the pending rows' keys and Consent IDs and add the rows.
    fn flush(&mut self) {
        let mut hashes = [(0u32, 0u32); BATCH];
        let mut slots = [0u64; BATCH];
        let mut start = 0;
        for (pending, (hashes, slot)) in self.pending.iter().zip(hashes.iter_mut().zip(&mut slots))
        {
            let key = self
                .pending_text
                .get(start..pending.key_end as usize)
                .unwrap_or("");
            let key_hash = hash_of(key);
            let end = pending.id_end.unwrap_or(pending.key_end) as usize;
            let id_hash = hash_of(
                self.pending_text
                    .get(pending.key_end as usize..end)
                    .unwrap_or(""),
            );
            *hashes = (key_hash, id_hash);
            // Independent loads: their misses overlap.
            *slot = self.keys.first_slot(key_hash);
            self.read_ahead ^= self.ids.first_slot(id_hash) as u8;
            start = end;
        }
        for ((key_hash, _), slot) in hashes.iter().zip(&slots) {
            self.read_ahead ^= self.keys.first_byte(*slot, *key_hash);
        }
        let mut start = 0;
        for (pending, (key_hash, id_hash)) in self.pending.iter().zip(&hashes) {
            let key_end = pending.key_end as usize;
            let key = self.pending_text.get(start..key_end).unwrap_or("");
            let profile = self.keys.intern_hashed(key, *key_hash);
            let id = match pending.id_end {
                Some(id_end) => {
                    start = id_end as usize;
                    let id = self.pending_text.get(key_end..start).unwrap_or("");
                    self.ids.intern_hashed(id, *id_hash)
                }
                None => {
                    start = key_end;
                    NO_ID
                }
            };
            self.rows.push(TableRow {
                profile,
                option: pending.option,
                id,
                value: pending.value,
                date: pending.date,
            });
        }
        self.pending.clear();
        self.pending_text.clear();
    }

    /// The rows added so far, in order.
    pub fn rows(&mut self) -> &[TableRow] {
        self.flush();
        &self.rows
    }

    /// Row `index` of a table that has been [`unify`](Self::unify)-ed.
    pub fn row(&self, index: u32) -> Option<&TableRow> {
        self.rows.get(index as usize)
    }

    /// The option text of number `option`.
    pub fn option(&self, option: u32) -> Option<&str> {
        self.options.get(option as usize).map(String::as_str)
    }

    /// Unify the rows: per profile (in order of first appearance) and per option (in order of
    /// first appearance) the current row, if any survives. Profiles left without any are dropped.
    pub fn unify(&mut self) -> Vec<UnifiedProfile> {
        self.flush();
        let rows = &self.rows;
        // The surviving row per Consent ID.
        let mut alive = vec![true; rows.len()];
        let mut holder = vec![u32::MAX; self.ids.len()];
        for (index, row) in rows.iter().enumerate() {
            let Some(held) = holder.get_mut(row.id as usize) else {
                continue;
            };
            let earlier = *held as usize;
            if let Some(earlier_row) = rows.get(earlier) {
                let later_wins = updates(row, earlier_row);
                let loser = if later_wins { earlier } else { index };
                if let Some(slot) = alive.get_mut(loser) {
                    *slot = false;
                }
                if !later_wins {
                    continue;
                }
            }
            *held = index as u32;
        }

        // Slots are laid out over every row, so an option updated by Consent ID keeps its place.
        let mut profiles: Vec<UnifiedProfile> = (0..self.keys.len() as u32)
            .map(|key| UnifiedProfile {
                key,
                options: Vec::new(),
            })
            .collect();
        let mut read_ahead = 0u32;
        for (index, row) in rows.iter().enumerate() {
            if index % BATCH == 0 {
                read_ahead ^= read_profiles_ahead(&profiles, rows, index);
            }
            let Some(profile) = profiles.get_mut(row.profile as usize) else {
                continue;
            };
            let slot = match profile
                .options
                .iter()
                .position(|(option, _)| *option == row.option)
            {
                Some(slot) => slot,
                None => {
                    profile.options.push((row.option, None));
                    profile.options.len() - 1
                }
            };
            if !alive.get(index).copied().unwrap_or(false) {
                continue;
            }
            if let Some((_, current)) = profile.options.get_mut(slot) {
                let replace = match *current {
                    None => true,
                    Some(held) => rows
                        .get(held as usize)
                        .is_none_or(|held| supersedes(row, held)),
                };
                if replace {
                    *current = Some(index as u32);
                }
            }
        }
        profiles.retain(UnifiedProfile::has_consents);
        // Kept only so that the reads ahead are made.
        self.read_ahead ^= read_ahead as u8;
        profiles
    }
}

/// Read ahead what unifying the [`BATCH`] rows from `start` reads: each row's profile, then
/// the first of its options, then the row its option holds. In a large table each of these
/// misses the caches; read for many rows at once, the misses overlap (see [`Table`]).
fn read_profiles_ahead(profiles: &[UnifiedProfile], rows: &[TableRow], start: usize) -> u32 {
    let batch = rows.get(start..).unwrap_or_default();
    let batch = batch.get(..BATCH).unwrap_or(batch);
    let profile_of = |row: &TableRow| profiles.get(row.profile as usize);
    let mut read = 0;
    for row in batch {
        read ^= profile_of(row).map_or(0, |profile| profile.options.len() as u32);
    }
    for row in batch {
        read ^= profile_of(row)
            .and_then(|profile| profile.options.first())
            .map_or(0, |(option, _)| *option);
    }
    for row in batch {
        let held = profile_of(row).and_then(|profile| {
            let (_, current) = profile
                .options
                .iter()
                .find(|(option, _)| *option == row.option)?;
            rows.get((*current)? as usize)
        });
        read ^= held.map_or(0, |held| held.option);
    }
    read
}

fn instant(row: &TableRow) -> Option<chrono::NaiveDateTime> {
    row.date.map(ConsentDate::instant)
}

/// Whether `later` (further down the input) supersedes `earlier` for the same (key, option).
fn supersedes(later: &TableRow, earlier: &TableRow) -> bool {
    match (instant(later), instant(earlier)) {
        (Some(l), Some(e)) => l >= e,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => true,
    }
}

/// Whether `later` replaces `earlier`, which has the same Consent ID.
fn updates(later: &TableRow, earlier: &TableRow) -> bool {
    match (instant(later), instant(earlier)) {
        (Some(l), Some(e)) => l >= e,
        _ => true,
    }
}

/// A unified profile: its key (index into [`Table::keys`]) and per option, in order of first
/// appearance, the current row, if any survives.
pub struct UnifiedProfile {
    pub key: u32,
    pub options: Vec<(u32, Option<u32>)>,
}

impl UnifiedProfile {
    /// Whether any option has a current consent.
    pub fn has_consents(&self) -> bool {
        self.options.iter().any(|(_, current)| current.is_some())
    }
}

/// A record given as data, borrowed.
pub(super) struct RecordRef<'a> {
    pub consent_id: Option<&'a str>,
    pub key: &'a str,
    pub option: &'a str,
    pub value: bool,
    pub date: Option<&'a str>,
}

/// Check and normalize record number `index`, given as data, and add it to `table`.
pub(super) fn add_record(
    table: &mut Table,
    index: usize,
    record: RecordRef,
) -> Result<(), UnifyError> {
    let key = normalize_key(record.key);
    if key.is_empty() {
        return Err(UnifyError {
            index,
            field: "key",
            message: "the key is empty".into(),
        });
    }
    if record.option.trim().is_empty() {
        return Err(UnifyError {
            index,
            field: "option",
            message: "the option is empty".into(),
        });
    }
    let date = match record.date {
        None => None,
        Some(text) => Some((
            text,
            ConsentDate::parse(text).ok_or_else(|| UnifyError {
                index,
                field: "date",
                message: build_text!("'", text, "' is not an ISO 8601 date or date-time"),
            })?,
        )),
    };
    table.push(&Row {
        consent_id: record.consent_id,
        key: &key,
        option: record.option,
        value: record.value,
        date,
    });
    Ok(())
}

/// Check and normalize records given as data, into a table whose row `i` is record `i`.
fn table_of(records: &[ConsentRecord]) -> Result<Table, UnifyError> {
    let mut table = Table::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let record = RecordRef {
            consent_id: record.consent_id.as_deref(),
            key: &record.key,
            option: &record.option,
            value: record.value,
            date: record.date.as_deref(),
        };
        add_record(&mut table, index, record)?;
    }
    Ok(table)
}

/// Unify records into profiles.
///
/// # Errors
/// A record whose key is empty after normalization, whose option is empty, or whose date is
/// not ISO 8601; the error names the record's index and field.
pub fn unify_consent(records: &[ConsentRecord]) -> Result<Vec<ConsentProfile>, UnifyError> {
    let mut table = table_of(records)?;
    let unified = table.unify();
    let profile_of = |profile: &UnifiedProfile| {
        let consents = profile
            .options
            .iter()
            .filter_map(|(_, current)| {
                // The current record's own spelling, date text and Consent ID.
                let record = records.get((*current)? as usize)?;
                Some((
                    record.option.clone(),
                    Consent {
                        value: record.value,
                        date: record.date.clone(),
                        consent_id: record.consent_id.clone(),
                    },
                ))
            })
            .collect();
        Some(ConsentProfile {
            key: table.keys.get(profile.key)?.to_string(),
            consents,
        })
    };
    Ok(unified.iter().filter_map(profile_of).collect())
}

#[cfg(test)]
mod tests {
    use super::{Row, Table, BATCH, NO_ID};
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

    #[test]
    fn a_row_is_written_as_its_record_is() {
        let date = crate::consent::ConsentDate::parse("2024-05-03").unwrap();
        for (consent_id, key, option, value, dated) in [
            (None, "a@b.nl", "News", true, false),
            (
                Some("7"),
                "+3120",
                "Caf\u{e9} \"late\"\\ \n\t\u{1}",
                false,
                true,
            ),
            (Some(""), "", "", true, true),
        ] {
            let row = Row {
                consent_id,
                key,
                option,
                value,
                date: dated.then_some(("2024-05-03", date)),
            };
            let mut written = String::new();
            row.write_json(&mut written);
            let mut expected = String::new();
            crate::json::write(&row.to_record().to_value(), &mut expected);
            assert_eq!(written, expected);
        }
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
        let rows = table.rows().to_vec();
        assert_eq!(rows.len(), count);
        let profiles: Vec<u32> = rows.iter().map(|r| r.profile).collect();
        assert_eq!(profiles, numbered(keys.iter().map(|k| Some(k.as_str()))));
        let row_ids: Vec<u32> = rows.iter().map(|r| r.id).collect();
        assert_eq!(row_ids, numbered(ids.iter().map(Option::as_deref)));
        let options: Vec<u32> = rows.iter().map(|r| r.option).collect();
        let expected: Vec<u32> = (0..count).map(|i| u32::from(i % 5 >= 3)).collect();
        assert_eq!(options, expected);
        assert_eq!(table.options, ["News", "Sms"]);
        for (row, key) in rows.iter().zip(&keys) {
            assert_eq!(table.keys.get(row.profile), Some(key.as_str()));
        }
        assert!(rows
            .iter()
            .enumerate()
            .all(|(i, r)| r.value == (i % 2 == 0)));
    }
}
