//! Consent IDs: each row's, kept as read, and which rows repeat an earlier row's.
//!
//! A later record with the same Consent ID replaces the earlier one (see `unify`), so a table
//! must find the rows that share an ID. Most IDs are unique: numbering them as they are read,
//! in one index of a million entries (16 MB), made every row wait for a read from far outside
//! the processor's nearer caches. Here reading only appends (the ID's text, its hash, its row),
//! and the repeats are found afterwards a part at a time: the IDs are sorted by the top bits of
//! their hash into parts of some ten thousand, and each part gets a small index that stays in
//! the caches.

use crate::interner::same_bytes;
use crate::prelude::*;
use crate::rows::Chunks;

/// About how many IDs a part holds: its index (12 bytes a slot, twice as many slots) then
/// fits in a processor's second-level cache.
const PART: usize = 16384;

/// At most this many parts (as a power of two): sorting writes to every part at once, and
/// more places to write to than the processor keeps pages mapped for would make most writes
/// wait for a page-table walk.
const MAX_PART_BITS: u32 = 6;

/// One occurrence of a Consent ID.
#[derive(Clone, Copy)]
struct Occurrence {
    /// Where its text ends in [`ConsentIds::text`]; it starts where the one before ends.
    end: u32,
    hash: u32,
    /// The row it is in.
    row: u32,
}

/// The Consent IDs of a table's rows, in the order of the rows, numbered from 0.
#[derive(Default)]
pub struct ConsentIds {
    text: String,
    occurrences: Chunks<Occurrence>,
}

impl ConsentIds {
    /// Room for about `count` IDs.
    pub fn with_capacity(count: usize) -> ConsentIds {
        ConsentIds {
            text: String::new(),
            occurrences: Chunks::with_capacity(count),
        }
    }

    /// Add the ID of row `row`, whose [`hash_of`](crate::interner::hash_of) is `hash`; its number.
    pub fn push(&mut self, id: &str, hash: u32, row: u32) -> u32 {
        let number = self.occurrences.len() as u32;
        self.text.push_str(id);
        self.occurrences.push(Occurrence {
            end: self.text.len() as u32,
            hash,
            row,
        });
        number
    }

    /// How many IDs there are.
    pub fn len(&self) -> usize {
        self.occurrences.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.occurrences.is_empty()
    }

    /// ID number `number`.
    pub fn get(&self, number: u32) -> Option<&str> {
        let (start, end) = self.span(number)?;
        self.text.get(start..end)
    }

    fn span(&self, number: u32) -> Option<(usize, usize)> {
        let number = number as usize;
        let end = self.occurrences.get(number)?.end as usize;
        let start = match number.checked_sub(1) {
            Some(before) => self.occurrences.get(before)?.end as usize,
            None => 0,
        };
        Some((start, end))
    }

    fn bytes(&self, number: u32) -> Option<&[u8]> {
        let (start, end) = self.span(number)?;
        self.text.as_bytes().get(start..end)
    }

    /// Each ID's hash and number (hash in the high half), grouped into parts by the hash's top
    /// bits and in their order within each part, and where each part starts (and, last, ends).
    /// A part's index is then probed by the hash's low bits.
    fn sorted_by_part(&self) -> (Vec<usize>, Vec<u64>) {
        let count = self.occurrences.len();
        let part_bits = (count / PART)
            .next_power_of_two()
            .trailing_zeros()
            .min(MAX_PART_BITS);
        let parts = 1usize << part_bits;
        let mut starts = vec![0usize; parts + 1];
        for (_, run) in self.occurrences.runs() {
            count_parts(run, part_bits, &mut starts);
        }
        for part in 0..parts {
            let before = starts.get(part).copied().unwrap_or(0);
            if let Some(start) = starts.get_mut(part + 1) {
                *start += before;
            }
        }
        let mut cursors = starts.clone();
        let mut sorted = vec![0u64; count];
        for (first, run) in self.occurrences.runs() {
            sort_into_parts(run, first, part_bits, &mut cursors, &mut sorted);
        }
        (starts, sorted)
    }

    /// Go through the rows that share an ID with an earlier row. Per ID, in the order of the
    /// rows: `repeat(held, later)` is called with the row that holds the ID so far (at first the
    /// ID's first row) and the next row with it, which holds it from then on. IDs are equal
    /// when their bytes are.
    pub fn repeats(&self, mut repeat: impl FnMut(u32, u32)) {
        if self.occurrences.len() < 2 {
            return;
        }
        let (starts, sorted) = self.sorted_by_part();
        let mut index = PartIndex::default();
        for part in starts.windows(2) {
            let (Some(&start), Some(&end)) = (part.first(), part.get(1)) else {
                continue;
            };
            let Some(entries) = sorted.get(start..end) else {
                continue;
            };
            if entries.len() >= 2 {
                self.repeats_in_part(entries, &mut index, &mut repeat);
            }
        }
    }

    /// [`repeats`](Self::repeats) among the IDs of one part (`entries`, see
    /// [`sorted_by_part`](Self::sorted_by_part)), with `index` as its index. A call per part,
    /// so that a browser's optimized code takes over early (see [`RUN`](crate::rows::RUN)).
    #[inline(never)]
    fn repeats_in_part(
        &self,
        entries: &[u64],
        index: &mut PartIndex,
        repeat: &mut impl FnMut(u32, u32),
    ) {
        let row_of = |number: u32| self.occurrences.get(number as usize).map(|o| o.row);
        let size = (entries.len() * 2).next_power_of_two();
        let mask = size - 1;
        let PartIndex { firsts, held_rows } = index;
        firsts.clear();
        firsts.resize(size, 0);
        held_rows.clear();
        held_rows.resize(size, NO_ROW);
        for &entry in entries {
            let hash = (entry >> 32) as u32;
            let number = entry as u32;
            let mut slot = hash as usize & mask;
            while let Some(held_entry) = firsts.get_mut(slot) {
                if *held_entry == 0 {
                    *held_entry = entry + 1;
                    break;
                }
                let first = (*held_entry - 1) as u32;
                if (*held_entry >> 32) as u32 == hash
                    && self
                        .bytes(first)
                        .zip(self.bytes(number))
                        .is_some_and(|(a, b)| same_bytes(a, b))
                {
                    if let Some(held_row) = held_rows.get_mut(slot) {
                        let held = match *held_row {
                            NO_ROW => row_of(first),
                            row => Some(row),
                        };
                        if let (Some(held), Some(later)) = (held, row_of(number)) {
                            repeat(held, later);
                            *held_row = later;
                        }
                    }
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
    }
}

/// The index of one part's IDs, reused from part to part: per slot, the first number of an ID
/// (plus one; 0 is empty) with its hash, and beside it the row that holds the ID once it has
/// come back (before, its first row, looked up only then: most IDs never come back).
#[derive(Default)]
struct PartIndex {
    firsts: Vec<u64>,
    held_rows: Vec<u32>,
}

/// The part of an ID whose hash is `hash`, among `1 << part_bits` parts: the hash's top bits.
#[inline]
fn part_of(hash: u32, part_bits: u32) -> usize {
    hash.checked_shr(32 - part_bits).unwrap_or(0) as usize
}

/// Count the occurrences of `run` per part, into `counts[part + 1]`.
#[inline(never)]
fn count_parts(run: &[Occurrence], part_bits: u32, counts: &mut [usize]) {
    for occurrence in run {
        if let Some(count) = counts.get_mut(part_of(occurrence.hash, part_bits) + 1) {
            *count += 1;
        }
    }
}

/// Write the occurrences of `run` (numbered from `first`) into their parts of `sorted`, each
/// as its hash (in the high half) and number, at its part's cursor.
#[inline(never)]
fn sort_into_parts(
    run: &[Occurrence],
    first: usize,
    part_bits: u32,
    cursors: &mut [usize],
    sorted: &mut [u64],
) {
    for (number, occurrence) in (first..).zip(run) {
        if let Some(cursor) = cursors.get_mut(part_of(occurrence.hash, part_bits)) {
            if let Some(slot) = sorted.get_mut(*cursor) {
                *slot = (u64::from(occurrence.hash) << 32) | number as u64;
            }
            *cursor += 1;
        }
    }
}

/// No row has held the ID yet but its first.
const NO_ROW: u32 = u32::MAX;

#[cfg(test)]
mod tests {
    use super::{ConsentIds, PART};
    use crate::interner::hash_of;
    use std::collections::HashMap;

    /// Per ID, every (held, later) call `repeats` should make, found plainly: each later row
    /// holds the ID from then on.
    fn plainly(ids: &[(String, u32)]) -> Vec<(u32, u32)> {
        let mut held: HashMap<&str, u32> = HashMap::new();
        let mut calls = Vec::new();
        for (id, row) in ids {
            match held.get_mut(id.as_str()) {
                Some(holder) => {
                    calls.push((*holder, *row));
                    *holder = *row;
                }
                None => {
                    held.insert(id, *row);
                }
            }
        }
        calls
    }

    fn repeats_of(ids: &[(String, u32)]) -> Vec<(u32, u32)> {
        let mut store = ConsentIds::with_capacity(4);
        for (number, (id, row)) in ids.iter().enumerate() {
            assert_eq!(store.push(id, hash_of(id), *row), number as u32);
        }
        for (number, (id, _)) in ids.iter().enumerate() {
            assert_eq!(store.get(number as u32), Some(id.as_str()));
        }
        assert_eq!(store.len(), ids.len());
        assert!(!store.is_empty());
        let mut calls = Vec::new();
        store.repeats(|held, later| calls.push((held, later)));
        // Parts are gone through one after another: compare per ID, in row order.
        calls.sort_by_key(|(_, later)| *later);
        calls
    }

    #[test]
    fn repeats_are_found_per_id_in_row_order_across_many_parts() {
        // Enough IDs for many parts; rows skip numbers (rows without an ID); some IDs come
        // back often, some once, some differ only in case or length.
        let count = PART * 20 + 17;
        let ids: Vec<(String, u32)> = (0..count)
            .map(|i| {
                let id = match i % 7 {
                    0 => format!("C{}", (i * 31) % 501),
                    1 => format!("c{}", (i * 31) % 501),
                    2 => format!("C{}\0", (i * 31) % 501),
                    _ => format!("id-{i}"),
                };
                (id, (i * 2 + i % 3) as u32)
            })
            .collect();
        let expected = plainly(&ids);
        assert!(expected.len() > 1000);
        assert_eq!(repeats_of(&ids), expected);
    }

    #[test]
    fn ids_that_share_a_hash_are_still_told_apart() {
        // Texts are compared by their bytes, not only their hash: here every ID has one hash.
        let mut store = ConsentIds::default();
        store.push("a", 7, 0);
        store.push("b", 7, 1);
        store.push("a", 7, 2);
        store.push("ab", 7, 3);
        store.push("b", 7, 4);
        let mut calls = Vec::new();
        store.repeats(|held, later| calls.push((held, later)));
        calls.sort_unstable();
        assert_eq!(calls, [(0, 2), (1, 4)]);
    }

    #[test]
    fn two_rows_with_one_id_are_a_repeat() {
        // The least a table (and a part) can hold that has a repeat.
        let mut store = ConsentIds::default();
        store.push("7", hash_of("7"), 3);
        store.push("7", hash_of("7"), 9);
        let mut calls = Vec::new();
        store.repeats(|held, later| calls.push((held, later)));
        assert_eq!(calls, [(3, 9)]);
    }

    #[test]
    fn ids_that_share_a_hash_are_found_along_long_probes() {
        // Forty IDs under one hash, each back twice: every probe walks past the others.
        let mut store = ConsentIds::default();
        let ids: Vec<String> = (0..40).map(|i| format!("id{i}")).collect();
        let mut row = 0;
        for _ in 0..3 {
            for id in &ids {
                store.push(id, 7, row);
                row += 1;
            }
        }
        assert_eq!(store.len(), 120);
        let mut calls = Vec::new();
        store.repeats(|held, later| calls.push((held, later)));
        calls.sort_unstable();
        let mut expected: Vec<(u32, u32)> = (0..40)
            .flat_map(|i| [(i, i + 40), (i + 40, i + 80)])
            .collect();
        expected.sort_unstable();
        assert_eq!(calls, expected);
    }

    #[test]
    fn no_repeats_without_two_ids() {
        let mut store = ConsentIds::default();
        assert!(store.is_empty());
        store.repeats(|_, _| panic!("no ID"));
        store.push("a", hash_of("a"), 5);
        store.repeats(|_, _| panic!("one ID"));
        assert_eq!(store.len(), 1);
    }
}
