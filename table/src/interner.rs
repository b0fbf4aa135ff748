//! Texts stored once each and numbered in order of first appearance.
//!
//! A consent table of a million rows has a few hundred thousand keys and up to a million Consent
//! IDs. Keeping them back to back in one string, with an open-addressing index of numbers, costs
//! one allocation per growth instead of one per text, and lets the table outlive the CSV text it
//! was read from (which a streamed table never holds whole).

use crate::prelude::*;

/// Texts back to back, each with its number.
#[derive(Default)]
pub struct Interner {
    text: String,
    /// End of text `i` in `text`; it starts where text `i - 1` ends.
    ends: Vec<u32>,
    /// Open addressing, a power of two long: 0 is empty, else the text's hash in the high half
    /// and its number plus one in the low half, so that most probes touch nothing else.
    slots: Vec<u64>,
}

/// A slot's entry for text number `number`.
fn entry(hash: u32, number: u32) -> u64 {
    (u64::from(hash) << 32) | u64::from(number + 1)
}

/// The hash `text` is stored under (see [`Interner::intern_hashed`]).
///
/// Per 8-byte word of the text, then its last eight bytes and its length: xor into the state,
/// multiply, and fold the high half back down (a xorshift, as in MurmurHash's finalizer). The
/// fold matters: with multiplying alone, as FxHash does, a difference in a word's high bytes
/// can cancel against one in the next word's low bytes, and one key in eight of the form
/// `person123@example.com` shared its hash with another. Fast on short keys and a few dozen
/// bytes of code; the keys are the caller's own data, so a hash an attacker could flood is no
/// concern here.
pub fn hash_of(text: &str) -> u32 {
    const SEED: u64 = 0xf135_7aea_2e62_a9c5;
    let step = |hash: u64, word: u64| {
        let mixed = (hash ^ word).wrapping_mul(SEED);
        mixed ^ (mixed >> 29)
    };
    let mut words = text.as_bytes().chunks_exact(8);
    let mut hash = 0;
    for word in &mut words {
        hash = step(
            hash,
            u64::from_le_bytes(word.try_into().unwrap_or_default()),
        );
    }
    hash = step(step(hash, last_word(text.as_bytes())), text.len() as u64);
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32
}

/// Whether `a` and `b` hold the same bytes, compared eight at a time: in WebAssembly, `==` on
/// slices calls a `memcmp` that compares byte by byte, which made it a tenth of a large table's
/// reading time.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut a_words = a.chunks_exact(8);
    let mut b_words = b.chunks_exact(8);
    let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or_default());
    (&mut a_words)
        .zip(&mut b_words)
        .all(|(x, y)| word(x) == word(y))
        && last_word(a) == last_word(b)
}

/// The last eight bytes of a text as one number (all of them, when it is shorter): they hold
/// the bytes after its last whole word, read in one load instead of one at a time.
#[inline]
fn last_word(bytes: &[u8]) -> u64 {
    match bytes
        .len()
        .checked_sub(8)
        .and_then(|start| bytes.get(start..))
    {
        Some(last) => u64::from_le_bytes(last.try_into().unwrap_or_default()),
        None => bytes
            .iter()
            .fold(0, |tail, byte| (tail << 8) | u64::from(*byte)),
    }
}

impl Interner {
    /// An interner with room for about `count` texts before it grows.
    pub fn with_capacity(count: usize) -> Interner {
        let mut interner = Interner::default();
        interner.ends.reserve(count);
        interner.slots = vec![0; (count * 2).next_power_of_two().max(16)];
        interner
    }

    /// How many texts there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Text number `index`.
    pub fn get(&self, index: u32) -> Option<&str> {
        let index = index as usize;
        let end = *self.ends.get(index)? as usize;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)? as usize,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// Text number `index` as bytes: no character boundaries to check.
    #[inline]
    pub fn bytes(&self, index: u32) -> Option<&[u8]> {
        let index = index as usize;
        let end = *self.ends.get(index)? as usize;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)? as usize,
            None => 0,
        };
        self.text.as_bytes().get(start..end)
    }

    /// The number of `text`, if it is stored.
    pub fn find(&self, text: &str) -> Option<u32> {
        self.probe(text, hash_of(text)).ok()
    }

    /// The number of `text`, storing it when it is new.
    pub fn intern(&mut self, text: &str) -> u32 {
        self.intern_hashed(text, hash_of(text))
    }

    /// The first slot a probe for `hash` reads. Reading it ahead, for several texts in a row,
    /// lets the processor fetch their slots from memory together instead of one after another.
    #[inline]
    pub fn first_slot(&self, hash: u32) -> u64 {
        let mask = self.slots.len().wrapping_sub(1);
        self.slots.get(hash as usize & mask).copied().unwrap_or(0)
    }

    /// The first byte of the text a slot holds when its hash is `hash` (else 0): read ahead
    /// like [`first_slot`](Self::first_slot), for the comparison a probe makes.
    #[inline]
    pub fn first_byte(&self, slot: u64, hash: u32) -> u8 {
        if slot == 0 || (slot >> 32) as u32 != hash {
            return 0;
        }
        let number = (slot as u32).wrapping_sub(1);
        self.bytes(number)
            .and_then(|text| text.first().copied())
            .unwrap_or(0)
    }

    /// [`intern`](Self::intern) with `hash` = [`hash_of`]`(text)` already computed.
    pub fn intern_hashed(&mut self, text: &str, hash: u32) -> u32 {
        if self.slots.is_empty() {
            self.grow();
        }
        let slot = match self.probe(text, hash) {
            Ok(found) => return found,
            Err(slot) => slot,
        };
        let number = self.ends.len() as u32;
        self.text.push_str(text);
        self.ends.push(self.text.len() as u32);
        if let Some(empty) = self.slots.get_mut(slot) {
            *empty = entry(hash, number);
        }
        // At most half full, so that probes stay short.
        if self.ends.len() * 2 > self.slots.len() {
            self.grow();
        }
        number
    }

    /// `Ok(number)` of `text`, or `Err(slot)`: the empty slot where it would go.
    fn probe(&self, text: &str, hash: u32) -> Result<u32, usize> {
        let mask = self.slots.len().wrapping_sub(1);
        if self.slots.is_empty() {
            return Err(usize::MAX);
        }
        let mut slot = hash as usize & mask;
        loop {
            match self.slots.get(slot).copied() {
                None | Some(0) => return Err(slot),
                Some(taken) => {
                    let number = (taken as u32).wrapping_sub(1);
                    if (taken >> 32) as u32 == hash
                        && self
                            .bytes(number)
                            .is_some_and(|held| same_bytes(held, text.as_bytes()))
                    {
                        return Ok(number);
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let mask = size - 1;
        let mut slots = vec![0; size];
        for &moved in self.slots.iter().filter(|s| **s != 0) {
            let mut slot = (moved >> 32) as usize & mask;
            while let Some(taken) = slots.get_mut(slot) {
                if *taken == 0 {
                    *taken = moved;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::Interner;

    #[test]
    fn numbers_in_order_of_first_appearance_across_growth() {
        let mut interner = Interner::default();
        let texts: Vec<String> = (0..5000).map(|i| format!("key{}", i % 1777)).collect();
        let numbers: Vec<u32> = texts.iter().map(|t| interner.intern(t)).collect();
        assert_eq!(interner.len(), 1777);
        for (text, number) in texts.iter().zip(&numbers) {
            assert_eq!(interner.get(*number), Some(text.as_str()));
            assert_eq!(interner.find(text), Some(*number));
        }
        assert_eq!(numbers[..3], [0, 1, 2]);
        assert_eq!(interner.find("absent"), None);
        assert_eq!(interner.get(1777), None);
    }

    #[test]
    fn texts_that_differ_anywhere_hash_apart() {
        // In their 8-byte words (high bytes of one and low bytes of the next, as numbered
        // emails do), in the bytes after the last whole word, or in length only. A hash that
        // mixed any of them poorly would make probes long, not answers wrong. By chance alone,
        // 20,000 texts would share a 32-bit hash about 0.05 times.
        let texts: Vec<String> = (0..10_000)
            .map(|i| format!("person{i}@example.com"))
            .chain((0..10_000).map(|i| format!("abcdefgh{i}")))
            .chain((0..40).map(|n| "\0".repeat(n)))
            .collect();
        let hashes: std::collections::HashSet<u32> =
            texts.iter().map(|text| super::hash_of(text)).collect();
        assert!(
            hashes.len() + 2 >= texts.len(),
            "{} of {}",
            hashes.len(),
            texts.len()
        );
    }

    #[test]
    fn texts_that_share_a_hash_are_told_apart() {
        // Among 200,000 texts some pairs share a 32-bit hash (about 4.6 pairs are expected):
        // the slot's hash alone must not decide that a text is stored.
        let mut seen = std::collections::HashMap::new();
        let (first, second) = (0..200_000)
            .map(|i| format!("p{i}@x.nl"))
            .find_map(|text| {
                let hash = super::hash_of(&text);
                seen.insert(hash, text.clone())
                    .map(|earlier| (earlier, text))
            })
            .expect("a pair of texts with one hash");
        let mut interner = Interner::with_capacity(4);
        assert_eq!(interner.intern(&first), 0);
        assert_eq!(interner.intern(&second), 1);
        assert_eq!(interner.find(&second), Some(1));
        assert_eq!(interner.find(&first), Some(0));
    }

    #[test]
    fn bytes_compare_as_slices_do() {
        // Texts of every length to 20 that differ in one byte anywhere, in a whole word or in
        // the bytes after the last one, and texts that differ only in length.
        for length in 0usize..20 {
            let text: Vec<u8> = (0..length).map(|i| b'a' + i as u8).collect();
            assert!(super::same_bytes(&text, &text.clone()));
            assert!(!super::same_bytes(&text, &text[..length.saturating_sub(1)]) || length == 0);
            for at in 0..length {
                let mut changed = text.clone();
                changed[at] ^= 0x20;
                assert!(!super::same_bytes(&text, &changed), "{length} {at}");
            }
        }
    }

    #[test]
    fn the_empty_text_and_prefixes_are_texts_of_their_own() {
        let mut interner = Interner::with_capacity(2);
        for text in ["", "a", "ab", "", "abc", "ab"] {
            interner.intern(text);
        }
        assert_eq!(interner.len(), 4);
        assert_eq!(interner.get(0), Some(""));
        assert_eq!(interner.get(2), Some("ab"));
        assert_eq!(interner.find("abc"), Some(3));
    }
}
