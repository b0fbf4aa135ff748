//! Unification: one profile per key, with the current consent per option.
//!
//! - A later record with the same Consent ID replaces the earlier one (the primary key updates
//!   the consent), even if its key or option differs; when both are dated and the later record's
//!   date is earlier, the earlier record stays, so dated updates do not depend on row order.
//! - Between different records for one (key, option): a dated record beats an undated one, the
//!   latest date wins, and on equal dates or without dates the later record wins.
//! - Options compare case-insensitively; profiles come in the order their keys first appear.

use std::collections::HashMap;
use std::fmt;

use super::{fold_case, normalize_key, Consent, ConsentDate, ConsentProfile, ConsentRecord};

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

/// A record with what unification compares, parsed once.
struct Candidate<'a> {
    record: &'a ConsentRecord,
    key: String,
    date: Option<ConsentDate>,
}

/// Whether `later` (further down the input) supersedes `earlier` for the same (key, option).
fn supersedes(later: &Candidate, earlier: &Candidate) -> bool {
    match (later.date, earlier.date) {
        (Some(l), Some(e)) => l.instant() >= e.instant(),
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => true,
    }
}

/// Whether `later` replaces `earlier`, which has the same Consent ID.
fn updates(later: &Candidate, earlier: &Candidate) -> bool {
    match (later.date, earlier.date) {
        (Some(l), Some(e)) => l.instant() >= e.instant(),
        _ => true,
    }
}

/// Unify records into profiles.
///
/// # Errors
/// A record whose key is empty after normalization, whose option is empty, or whose date is
/// not ISO 8601; the error names the record's index and field.
pub fn unify_consent(records: &[ConsentRecord]) -> Result<Vec<ConsentProfile>, UnifyError> {
    let mut candidates = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let key = normalize_key(&record.key);
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
        let date = match &record.date {
            None => None,
            Some(text) => Some(ConsentDate::parse(text).ok_or_else(|| UnifyError {
                index,
                field: "date",
                message: format!("'{text}' is not an ISO 8601 date or date-time"),
            })?),
        };
        candidates.push(Candidate { record, key, date });
    }

    // Keys in order of first appearance, over every record.
    let mut profile_of_key: HashMap<&str, usize> = HashMap::new();
    let mut keys: Vec<&str> = Vec::new();
    for candidate in &candidates {
        profile_of_key
            .entry(candidate.key.as_str())
            .or_insert_with(|| {
                keys.push(candidate.key.as_str());
                keys.len() - 1
            });
    }

    // The surviving record per Consent ID.
    let mut alive = vec![true; candidates.len()];
    let mut holder_of_id: HashMap<&str, usize> = HashMap::new();
    for (index, candidate) in candidates.iter().enumerate() {
        let Some(id) = candidate.record.consent_id.as_deref() else {
            continue;
        };
        match holder_of_id.get(id).copied() {
            None => {
                holder_of_id.insert(id, index);
            }
            Some(earlier) => {
                let (loser, winner) = match candidates.get(earlier) {
                    Some(e) if updates(candidate, e) => (earlier, index),
                    _ => (index, earlier),
                };
                if let Some(slot) = alive.get_mut(loser) {
                    *slot = false;
                }
                holder_of_id.insert(id, winner);
            }
        }
    }

    // The current record per (profile, option). Slots are laid out over every record, so an
    // option updated by Consent ID keeps its place.
    let mut current: Vec<Vec<(String, Option<usize>)>> = vec![Vec::new(); keys.len()];
    let mut slot_of: HashMap<(usize, String), usize> = HashMap::new();
    for (index, candidate) in candidates.iter().enumerate() {
        let Some(&profile) = profile_of_key.get(candidate.key.as_str()) else {
            continue;
        };
        let Some(options) = current.get_mut(profile) else {
            continue;
        };
        let option = candidate.record.option.trim();
        let slot = *slot_of
            .entry((profile, fold_case(option)))
            .or_insert_with(|| {
                options.push((option.to_string(), None));
                options.len() - 1
            });
        if !alive.get(index).copied().unwrap_or(false) {
            continue;
        }
        if let Some(entry) = options.get_mut(slot) {
            let replace = match entry.1 {
                None => true,
                Some(held) => candidates
                    .get(held)
                    .is_some_and(|held| supersedes(candidate, held)),
            };
            if replace {
                *entry = (option.to_string(), Some(index));
            }
        }
    }

    Ok(keys
        .iter()
        .zip(current)
        .filter(|(_, options)| options.iter().any(|(_, index)| index.is_some()))
        .map(|(key, options)| ConsentProfile {
            key: key.to_string(),
            consents: options
                .into_iter()
                .filter_map(|(option, index)| {
                    let record = candidates.get(index?)?.record;
                    Some((
                        option,
                        Consent {
                            value: record.value,
                            date: record.date.clone(),
                            consent_id: record.consent_id.clone(),
                        },
                    ))
                })
                .collect(),
        })
        .collect())
}
