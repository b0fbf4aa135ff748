//! Unification: one profile per key, with the current consent per option.
//!
//! - A later record with the same Consent ID replaces the earlier one (the primary key updates
//!   the consent), even if its key or option differs; when both are dated and the later record's
//!   date is earlier, the earlier record stays, so dated updates do not depend on row order.
//! - Between different records for one (key, option): a dated record beats an undated one, the
//!   latest date wins, and on equal dates or without dates the later record wins.
//! - Options compare case-insensitively; profiles come in the order their keys first appear.
//!
//! Keys, options and Consent IDs are interned into a [`Table`](crate::table::Table) as rows are
//! read, so that the unification itself compares integers. Records given as data are unified
//! through the same table (`consent-guard`'s `unify_consent`).

use crate::date::ConsentDate;
use crate::prelude::*;
use crate::table::{Table, TableRow, BATCH};

impl Table {
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
