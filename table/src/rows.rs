//! The rows of a [`Table`](crate::table::Table), and other per-row items, stored in chunks of
//! a fixed size.
//!
//! A table of a million rows does not know its row count until the end. One vector grown by
//! doubling would copy every item at each growth, and after the last growth hold up to twice
//! the room it needs, next to the old copy: WebAssembly memory never gives either back. Chunks
//! are allocated once each, at their full size, and never move; only the first one grows like
//! a vector, so a small table stays small.

use crate::prelude::*;
use crate::table::TableRow;

/// Items per chunk, a power of two: an index splits into chunk and offset by shifting.
const CHUNK_BITS: u32 = 16;
/// How many items each chunk but the last holds.
pub const CHUNK: usize = 1 << CHUNK_BITS;

/// How many items a pass over every item hands to one call of the function that does the work
/// (see [`Chunks::runs`]); it divides [`CHUNK`].
///
/// A browser first runs a WebAssembly function as compiled in haste, and uses the optimized
/// code it then compiles only from the function's next call on. A loop over a million items in
/// one call ran unoptimized from start to end on a page's first table (in Node, a first table
/// of a million rows took up to 1.6 times as long as one after a warm-up); a call per run
/// switches after the first few runs.
pub const RUN: usize = 8192;

const _: () = assert!(CHUNK.is_multiple_of(RUN));

/// Items in order, in chunks of [`CHUNK`] items.
pub struct Chunks<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

/// The rows of a table.
pub type Rows = Chunks<TableRow>;

impl<T> Default for Chunks<T> {
    fn default() -> Self {
        Chunks {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunks<T> {
    /// Room for about `items` items in the first chunk (never more than a chunk).
    pub fn with_capacity(items: usize) -> Chunks<T> {
        Chunks {
            chunks: vec![Vec::with_capacity(items.min(CHUNK))],
            len: 0,
        }
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Add an item at the end.
    #[inline]
    pub fn push(&mut self, item: T) {
        match self.chunks.last() {
            Some(last) if last.len() < CHUNK => {}
            // The first chunk of a table made without a capacity starts empty and grows.
            last => {
                let room = if last.is_some() { CHUNK } else { 0 };
                self.chunks.push(Vec::with_capacity(room));
            }
        }
        if let Some(last) = self.chunks.last_mut() {
            if last.len() == last.capacity() {
                // Only the first chunk starts smaller; it grows up to a chunk and no further.
                let room = (last.capacity() * 2).clamp(16, CHUNK);
                last.reserve_exact(room - last.len());
            }
            last.push(item);
            self.len += 1;
        }
    }

    /// Item `index`.
    #[inline]
    pub fn get(&self, index: usize) -> Option<&T> {
        self.chunks
            .get(index >> CHUNK_BITS)?
            .get(index & (CHUNK - 1))
    }

    /// Up to `count` items from `start`, as far as `start`'s chunk goes.
    #[inline]
    pub fn run(&self, start: usize, count: usize) -> &[T] {
        let chunk = self
            .chunks
            .get(start >> CHUNK_BITS)
            .map_or(&[][..], Vec::as_slice);
        let from = chunk.get(start & (CHUNK - 1)..).unwrap_or_default();
        from.get(..count).unwrap_or(from)
    }

    /// The items in runs of [`RUN`] (the last may be shorter), each with the number of its
    /// first item.
    pub fn runs(&self) -> impl Iterator<Item = (usize, &[T])> + '_ {
        (0..self.len)
            .step_by(RUN)
            .map(|start| (start, self.run(start, RUN)))
    }

    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.chunks.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::{Rows, CHUNK};
    use crate::table::TableRow;

    fn row(i: usize) -> TableRow {
        TableRow::new(
            i as u32,
            (i % 7) as u32,
            (i * 3) as u32,
            i.is_multiple_of(2),
            None,
        )
    }

    #[test]
    fn a_row_takes_24_bytes() {
        // A million rows are most of a large table's memory: a field added here costs megabytes.
        assert_eq!(core::mem::size_of::<TableRow>(), 24);
    }

    #[test]
    fn rows_across_chunks_are_found_and_listed_in_order() {
        let count = CHUNK * 2 + 5;
        let mut rows = Rows::with_capacity(3);
        assert!(rows.is_empty());
        for i in 0..count {
            rows.push(row(i));
        }
        assert_eq!(rows.len(), count);
        assert!(!rows.is_empty());
        for i in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, count - 1] {
            assert_eq!(rows.get(i).map(|r| r.profile), Some(i as u32), "row {i}");
        }
        assert!(rows.get(count).is_none());
        let listed: Vec<u32> = rows.iter().map(|r| r.profile).collect();
        assert_eq!(listed, (0..count as u32).collect::<Vec<_>>());
        // The first chunk grew to exactly a chunk, not beyond.
        assert_eq!(rows.chunks.first().map(Vec::capacity), Some(CHUNK));
    }

    #[test]
    fn a_run_stops_at_its_count_its_chunk_and_the_end() {
        let mut rows = Rows::with_capacity(CHUNK);
        for i in 0..CHUNK + 10 {
            rows.push(row(i));
        }
        let profiles = |s: &[TableRow]| s.iter().map(|r| r.profile).collect::<Vec<_>>();
        assert_eq!(profiles(rows.run(3, 4)), [3, 4, 5, 6]);
        let last = CHUNK as u32 - 1;
        assert_eq!(profiles(rows.run(CHUNK - 2, 4)), [last - 1, last]);
        assert_eq!(profiles(rows.run(CHUNK + 8, 32)), [last + 9, last + 10]);
        assert!(rows.run(CHUNK + 10, 32).is_empty());
        assert!(rows.run(CHUNK * 5, 32).is_empty());
    }
}
