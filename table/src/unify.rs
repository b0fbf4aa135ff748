//! Unification: one profile per key, with the current consent per option.
//!
//! - A later record with the same Consent ID replaces the earlier one (the primary key updates
//!   the consent), even if its key or option differs, and whatever their dates say.
//! - Between different records for one (key, option): a dated record beats an undated one, the
//!   latest date wins, and on equal dates or without dates the later record wins.
//! - Options compare case-insensitively; profiles come in the order their keys first appear.
//!
//! Keys and options are interned into a [`Table`](crate::table::Table) as rows are read, so
//! that the unification itself compares integers; rows that repeat a Consent ID are found
//! afterwards (`ids`). Records given as data are unified through the same table
//! (`consent-guard`'s `unify_consent`).

use crate::prelude::*;
use crate::rows::{Rows, CHUNK, RUN};
use crate::table::{Table, TableRow, BATCH};

impl Table {
    /// Unify the rows: per profile (in order of first appearance) and per option (in order of
    /// first appearance) the current row, if any survives. Profiles left without any are dropped.
    pub fn unify(&mut self) -> Unified {
        self.unify_options(None)
    }

    /// [`unify`](Self::unify), with current rows kept only for the options `wanted` marks (by
    /// number; `None`: every option). The profiles are the same: a profile whose every
    /// surviving row is of another option is kept, with no consents. A segment rule that reads
    /// one option of eight then skips the other seven in the pass that misses the caches on
    /// every row.
    pub fn unify_options(&mut self, wanted: Option<&[bool]>) -> Unified {
        self.flush();
        let rows = &self.rows;
        // A later row with an earlier row's Consent ID replaces it.
        let mut alive = vec![true; rows.len()];
        self.ids.repeats(|held, _later| {
            if let Some(slot) = alive.get_mut(held as usize) {
                *slot = false;
            }
        });

        // Slots are laid out over every row, so an option updated by Consent ID keeps its place.
        // Room for a further block for one profile in four: with options to spare beyond the
        // first block's, the vector does not double (and copy) near its end.
        let keys = self.keys.len();
        let mut blocks = Vec::with_capacity(keys + keys / 4);
        blocks.resize(keys, Block::EMPTY);
        // Per profile, whether a row of it survives, where rows of unwanted options are skipped.
        let mut surviving = wanted.map(|_| vec![false; keys]);
        let mut pass = Pass {
            blocks: &mut blocks,
            rows,
            alive: &alive,
            wanted,
            surviving: surviving.as_deref_mut(),
            read_ahead: 0,
        };
        for (start, run) in rows.runs() {
            pass.unify_run(start, run);
        }
        let read_ahead = pass.read_ahead;
        let profiles = match &surviving {
            Some(surviving) => (0..keys as u32)
                .filter(|key| surviving.get(*key as usize).copied().unwrap_or(false))
                .collect(),
            None => (0..keys as u32)
                .filter(|key| current_rows(&blocks, *key).next().is_some())
                .collect(),
        };
        // Kept only so that the reads ahead are made.
        self.read_ahead ^= read_ahead as u8;
        Unified { profiles, blocks }
    }
}

/// One pass of unification over the rows (see [`Table::unify_options`]).
struct Pass<'a> {
    blocks: &'a mut Vec<Block>,
    rows: &'a Rows,
    alive: &'a [bool],
    /// Per option, whether it is unified; `None`: every option is.
    wanted: Option<&'a [bool]>,
    /// Per profile, whether a row of it survives (only when some options are skipped).
    surviving: Option<&'a mut [bool]>,
    /// What reading ahead loaded, kept so that the reads are not optimized away.
    read_ahead: u32,
}

impl Pass<'_> {
    /// Whether rows of `option` are unified.
    #[inline]
    fn wants(&self, option: u32) -> bool {
        self.wanted
            .is_none_or(|wanted| wanted.get(option as usize).copied().unwrap_or(false))
    }

    /// Unify `run`, the rows from `start`: each row that is `alive` becomes its (profile,
    /// option)'s current row if it supersedes the one held. A call per run, not one loop over
    /// every row, so that a browser's optimized code takes over early (see [`RUN`]).
    #[inline(never)]
    fn unify_run(&mut self, start: usize, run: &[TableRow]) {
        for (index, row) in (start..).zip(run) {
            if index % BATCH == 0 {
                self.read_ahead ^= self.read_blocks_ahead(index);
            }
            let alive = self.alive.get(index).copied().unwrap_or(false);
            let wanted = self.wants(row.option());
            if let Some(seen) = self
                .surviving
                .as_deref_mut()
                .and_then(|surviving| surviving.get_mut(row.profile as usize))
            {
                *seen |= alive;
            }
            if !wanted {
                continue;
            }
            // The slot is taken even for a replaced row: an option updated by Consent ID keeps
            // its place among the profile's options.
            let Some((block, slot)) = slot_of(self.blocks, row.profile, row.option()) else {
                continue;
            };
            if !alive {
                continue;
            }
            let Some(block) = self.blocks.get_mut(block) else {
                continue;
            };
            if let Some(current) = block.current.get_mut(slot) {
                let replace = self
                    .rows
                    .get(*current as usize)
                    .is_none_or(|held| supersedes(row, held));
                if replace {
                    *current = index as u32;
                    let bit = 1 << slot;
                    block.values = if row.value() {
                        block.values | bit
                    } else {
                        block.values & !bit
                    };
                }
            }
        }
    }

    /// Read ahead what unifying the [`BATCH`] rows from `start` reads: each wanted row's
    /// profile block, then the row its option holds. In a large table each of these misses the
    /// caches; read for many rows at once, the misses overlap (see [`Table`]).
    fn read_blocks_ahead(&self, start: usize) -> u32 {
        // Batches start at multiples of BATCH, which divides a chunk: a batch is never cut short.
        let batch = self.rows.run(start, BATCH);
        let blocks = &self.blocks;
        let mut read = 0;
        for row in batch.iter().filter(|row| self.wants(row.option())) {
            read ^= blocks
                .get(row.profile as usize)
                .map_or(0, |block| u32::from(block.len));
        }
        for row in batch.iter().filter(|row| self.wants(row.option())) {
            let held = blocks.get(row.profile as usize).and_then(|block| {
                let (_, current) = block.slots().find(|(option, _)| *option == row.option())?;
                self.rows.get(current as usize)
            });
            read ^= held.map_or(0, TableRow::option);
        }
        read
    }
}

// A batch of rows read ahead never spans two chunks (see `read_blocks_ahead`), nor two runs.
const _: () = assert!(CHUNK.is_multiple_of(BATCH) && RUN.is_multiple_of(BATCH));

/// How many options a [`Block`] holds.
const SLOTS: usize = 4;

/// No row, or no next block.
const NONE: u32 = u32::MAX;

/// Options of one profile with their current rows: block number `p` holds the first options of
/// profile `p`, and further ones continue in blocks added at the end. One vector of blocks for
/// all profiles instead of one allocation each, which took a tenth of a large table's time.
#[derive(Clone, Copy)]
struct Block {
    options: [u32; SLOTS],
    /// Per option, its current row ([`NONE`] while no row holds it).
    current: [u32; SLOTS],
    len: u16,
    /// Per option (bit `slot`), the value of its current row: a rule on options and values
    /// alone is then decided without reading the rows, which a large table has in no cache.
    values: u16,
    next: u32,
}

impl Block {
    const EMPTY: Block = Block {
        options: [0; SLOTS],
        current: [NONE; SLOTS],
        len: 0,
        values: 0,
        next: NONE,
    };

    /// The options held with a current row: each one's option, value and row.
    fn consents(&self) -> impl Iterator<Item = Consent> + Clone + '_ {
        self.slots()
            .enumerate()
            .filter(|(_, (_, current))| *current != NONE)
            .map(|(slot, (option, row))| Consent {
                option,
                value: self.values & (1 << slot) != 0,
                row,
            })
    }

    /// The options held, with their current rows.
    fn slots(&self) -> impl Iterator<Item = (u32, u32)> + Clone + '_ {
        let len = self.len as usize;
        self.options
            .iter()
            .zip(&self.current)
            .take(len)
            .map(|(o, c)| (*o, *c))
    }
}

/// The block and slot of `option` in `profile`, added when the profile has no slot for it yet.
fn slot_of(blocks: &mut Vec<Block>, profile: u32, option: u32) -> Option<(usize, usize)> {
    let mut number = profile as usize;
    loop {
        let added = blocks.len() as u32;
        let block = blocks.get_mut(number)?;
        if let Some(slot) = block.slots().position(|(held, _)| held == option) {
            return Some((number, slot));
        }
        let len = block.len as usize;
        if len < SLOTS {
            *block.options.get_mut(len)? = option;
            block.len += 1;
            return Some((number, len));
        }
        if block.next == NONE {
            block.next = added;
            blocks.push(Block::EMPTY);
            number = added as usize;
        } else {
            number = block.next as usize;
        }
    }
}

/// The current consents of `profile`, in the order their options first appeared.
fn current_consents(blocks: &[Block], profile: u32) -> impl Iterator<Item = Consent> + Clone + '_ {
    let chain = core::iter::successors(blocks.get(profile as usize), |block| {
        blocks.get(block.next as usize)
    });
    chain.flat_map(Block::consents)
}

/// The current rows of `profile`'s options, in the order the options first appeared.
fn current_rows(blocks: &[Block], profile: u32) -> impl Iterator<Item = u32> + Clone + '_ {
    current_consents(blocks, profile).map(|consent| consent.row)
}

/// A profile's current consent for one option.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Consent {
    /// Number of the option in [`Table::options`].
    pub option: u32,
    pub value: bool,
    /// The row it is from.
    pub row: u32,
}

/// Whether `later` (further down the input) supersedes `earlier` for the same (key, option).
fn supersedes(later: &TableRow, earlier: &TableRow) -> bool {
    match (later.date, earlier.date) {
        (Some(l), Some(e)) => l >= e,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => true,
    }
}

/// Unified profiles: the ones with at least one current consent (after
/// [`Table::unify_options`], at least one surviving row, whose consents may all be of options
/// left out), in the order their keys first appeared, and per profile the current row of each
/// option.
pub struct Unified {
    /// The kept profiles' numbers, which are their keys' numbers in [`Table::keys`].
    profiles: Vec<u32>,
    blocks: Vec<Block>,
}

impl Unified {
    /// How many profiles there are.
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// The profiles, in order: each one's key number and its current rows (one per option, in
    /// the order the options first appeared).
    pub fn iter(&self) -> impl Iterator<Item = (u32, impl Iterator<Item = u32> + Clone + '_)> + '_ {
        self.profiles
            .iter()
            .map(|key| (*key, current_rows(&self.blocks, *key)))
    }

    /// The profiles, in order: each one's key number and its current consents (in the order of
    /// [`iter`](Self::iter)), with their options and values, read without the rows.
    pub fn consents(
        &self,
    ) -> impl Iterator<Item = (u32, impl Iterator<Item = Consent> + Clone + '_)> + '_ {
        self.profiles
            .iter()
            .map(|key| (*key, current_consents(&self.blocks, *key)))
    }
}

#[cfg(test)]
mod tests {
    use super::Consent;
    use crate::table::{Row, Table};

    /// Per key, its options in order of first appearance with the last row of each: what
    /// unification gives for undated rows without Consent IDs.
    fn plainly(rows: &[(usize, usize)]) -> Vec<(String, Vec<u32>)> {
        let mut profiles: Vec<(usize, Vec<(usize, u32)>)> = Vec::new();
        for (index, (key, option)) in rows.iter().enumerate() {
            let at = match profiles.iter().position(|(k, _)| k == key) {
                Some(at) => at,
                None => {
                    profiles.push((*key, Vec::new()));
                    profiles.len() - 1
                }
            };
            let options = &mut profiles[at].1;
            match options.iter_mut().find(|(o, _)| o == option) {
                Some(held) => held.1 = index as u32,
                None => options.push((*option, index as u32)),
            }
        }
        profiles
            .into_iter()
            .map(|(key, options)| (format!("k{key}"), options.iter().map(|o| o.1).collect()))
            .collect()
    }

    #[test]
    fn profiles_with_many_options_keep_them_in_order() {
        // Up to 13 options a profile, so that a profile's options continue in further blocks,
        // interleaved between profiles.
        let mut next = crate::seeded(7);
        for count in [0, 1, 5, 40, 400, 3000, 20_000] {
            let rows: Vec<(usize, usize)> = (0..count).map(|_| (next(30), next(13))).collect();
            let mut table = Table::with_capacity(4);
            let keys: Vec<String> = rows.iter().map(|(k, _)| format!("k{k}")).collect();
            let options: Vec<String> = rows.iter().map(|(_, o)| format!("o{o}")).collect();
            let values: Vec<bool> = (0..count).map(|_| next(2) == 0).collect();
            for ((key, option), value) in keys.iter().zip(&options).zip(&values) {
                table.push(&Row {
                    consent_id: None,
                    key,
                    option,
                    value: *value,
                    date: None,
                });
            }
            let unified = table.unify();
            let got: Vec<(String, Vec<u32>)> = unified
                .iter()
                .map(|(key, current)| (table.keys.get(key).unwrap().to_string(), current.collect()))
                .collect();
            assert_eq!(got, plainly(&rows), "{count} rows");
            assert_eq!(unified.len(), got.len());
            assert_eq!(unified.is_empty(), got.is_empty());
            // The consents read from the blocks are their rows' options and values.
            let from_blocks: Vec<Vec<Consent>> =
                unified.consents().map(|(_, c)| c.collect()).collect();
            let from_rows: Vec<Vec<Consent>> = got
                .iter()
                .map(|(_, current)| {
                    current
                        .iter()
                        .map(|row| {
                            let held = table.row(*row).unwrap();
                            Consent {
                                option: held.option(),
                                value: held.value(),
                                row: *row,
                            }
                        })
                        .collect()
                })
                .collect();
            assert_eq!(from_blocks, from_rows, "{count} rows");
        }
    }
}
