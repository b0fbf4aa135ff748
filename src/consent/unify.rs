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

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;

use super::{fold_char, normalize_key, Consent, ConsentDate, ConsentProfile, ConsentRecord};

/// A record that cannot be unified.
#[derive(Clone, Debug, PartialEq)]
pub struct UnifyError {
    /// Index of the record in the input.
    pub index: usize,
    /// The field at fault.
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for UnifyError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "[{}].{}: {}", self.index, self.field, self.message)
    }
}

impl std::error::Error for UnifyError {}

/// One consent row, borrowed from its source where possible, checked and normalized.
#[derive(Clone, Debug)]
pub struct Row<'a> {
    pub consent_id: Option<Cow<'a, str>>,
    /// The normalized key.
    pub key: Cow<'a, str>,
    /// The option as written, trimmed.
    pub option: Cow<'a, str>,
    pub value: bool,
    /// The date as written, and parsed.
    pub date: Option<(Cow<'a, str>, ConsentDate)>,
}

impl Row<'_> {
    /// The row as an owned record.
    pub fn into_record(self) -> ConsentRecord {
        ConsentRecord {
            consent_id: self.consent_id.map(Cow::into_owned),
            key: self.key.into_owned(),
            option: self.option.into_owned(),
            value: self.value,
            date: self.date.map(|(text, _)| text.into_owned()),
        }
    }
}

/// Text hashed and compared as [`fold_char`] sees it, without building the folded string.
struct Caseless<'a>(Cow<'a, str>);

impl Hash for Caseless<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for c in self.0.chars() {
            state.write_u32(u32::from(fold_char(c)));
        }
    }
}

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0
            .chars()
            .map(fold_char)
            .eq(other.0.chars().map(fold_char))
    }
}

impl Eq for Caseless<'_> {}

/// No Consent ID.
const NO_ID: u32 = u32::MAX;

/// A row of a [`Table`]: its key, option and Consent ID as interned numbers.
#[derive(Clone, Copy, Debug)]
pub struct TableRow {
    /// Index of the key in [`Table::keys`]: also the profile's index.
    pub profile: u32,
    pub option: u32,
    pub id: u32,
    pub value: bool,
    pub date: Option<ConsentDate>,
}

/// Consent rows with keys, options and Consent IDs interned as they are added, so that
/// unification compares integers and a table of a million rows needs no string per row.
#[derive(Default)]
pub struct Table<'a> {
    /// Keys in order of first appearance.
    pub keys: Vec<Cow<'a, str>>,
    /// Options as first written, in order of first appearance.
    pub options: Vec<Cow<'a, str>>,
    pub ids: Vec<Cow<'a, str>>,
    pub rows: Vec<TableRow>,
    key_index: FxHashMap<Cow<'a, str>, u32>,
    option_index: FxHashMap<Caseless<'a>, u32>,
    id_index: FxHashMap<Cow<'a, str>, u32>,
}

/// The number of `key` in `list`, adding it when it is new. Looks up before inserting, so that
/// a key seen before costs no clone.
fn intern<'a>(
    index: &mut FxHashMap<Cow<'a, str>, u32>,
    list: &mut Vec<Cow<'a, str>>,
    text: Cow<'a, str>,
) -> u32 {
    if let Some(&found) = index.get(text.as_ref()) {
        return found;
    }
    let next = list.len() as u32;
    list.push(text.clone());
    index.insert(text, next);
    next
}

impl<'a> Table<'a> {
    /// A table with room for about `rows` rows.
    pub fn with_capacity(rows: usize) -> Table<'a> {
        let mut table = Table::default();
        table.rows.reserve(rows);
        table.id_index.reserve(rows);
        table.key_index.reserve(rows / 2);
        table
    }

    /// Add a checked, normalized row.
    pub fn push(&mut self, row: Row<'a>) {
        let Row {
            consent_id,
            key,
            option,
            value,
            date,
        } = row;
        let profile = intern(&mut self.key_index, &mut self.keys, key);
        let option = match self.option_index.get(&Caseless(Cow::Borrowed(&option))) {
            Some(&found) => found,
            None => {
                // Options are few: the first spelling is kept for the rule to compare with.
                let next = self.options.len() as u32;
                self.options.push(option.clone());
                self.option_index.insert(Caseless(option), next);
                next
            }
        };
        let id = match consent_id {
            None => NO_ID,
            Some(id) => intern(&mut self.id_index, &mut self.ids, id),
        };
        self.rows.push(TableRow {
            profile,
            option,
            id,
            value,
            date: date.map(|(_, parsed)| parsed),
        });
    }

    /// Unify the rows: per profile (in order of first appearance) and per option (in order of
    /// first appearance) the current row, if any survives. Profiles left without any are dropped.
    pub fn unify(&self) -> Vec<UnifiedProfile> {
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
        for (index, row) in rows.iter().enumerate() {
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
        profiles
    }
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

/// Check and normalize records given as data, into a table whose row `i` is record `i`.
fn table_of(records: &[ConsentRecord]) -> Result<Table<'_>, UnifyError> {
    let mut table = Table::default();
    for (index, record) in records.iter().enumerate() {
        let key = normalize_key(&record.key);
        if key.is_empty() {
            return Err(UnifyError {
                index,
                field: "key",
                message: "the key is empty".into(),
            });
        }
        let option = record.option.trim();
        if option.is_empty() {
            return Err(UnifyError {
                index,
                field: "option",
                message: "the option is empty".into(),
            });
        }
        let date = match &record.date {
            None => None,
            Some(text) => Some((
                Cow::Borrowed(text.as_str()),
                ConsentDate::parse(text).ok_or_else(|| UnifyError {
                    index,
                    field: "date",
                    message: format!("'{text}' is not an ISO 8601 date or date-time"),
                })?,
            )),
        };
        table.push(Row {
            consent_id: record.consent_id.as_deref().map(Cow::Borrowed),
            key: Cow::Owned(key),
            option: Cow::Borrowed(option),
            value: record.value,
            date,
        });
    }
    Ok(table)
}

/// Unify records into profiles.
///
/// # Errors
/// A record whose key is empty after normalization, whose option is empty, or whose date is
/// not ISO 8601; the error names the record's index and field.
pub fn unify_consent(records: &[ConsentRecord]) -> Result<Vec<ConsentProfile>, UnifyError> {
    let table = table_of(records)?;
    let profile_of = |profile: &UnifiedProfile| {
        let consents = profile
            .options
            .iter()
            .filter_map(|(_, current)| {
                // The current record's own spelling, date text and Consent ID.
                let record = records.get((*current)? as usize)?;
                Some((
                    record.option.trim().to_string(),
                    Consent {
                        value: record.value,
                        date: record.date.clone(),
                        consent_id: record.consent_id.clone(),
                    },
                ))
            })
            .collect();
        Some(ConsentProfile {
            key: table.keys.get(profile.key as usize)?.to_string(),
            consents,
        })
    };
    Ok(table.unify().iter().filter_map(profile_of).collect())
}
