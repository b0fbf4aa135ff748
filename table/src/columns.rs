//! Records as columns: texts back to back with their lengths in UTF-16 units, and flags. This is
//! how a table's records cross to JavaScript (and records and profiles back), without a JSON text
//! to write and parse on either side; `consent-guard`'s `consent::columns` has the calls and the
//! layout. Filling the columns is part of reading a large table, so it is here, compiled for speed.

use crate::interner::Interner;
use crate::prelude::*;
use crate::table::Row;

/// Flag of a record or a consent: its value is true.
pub const VALUE: u8 = 1;
/// Flag of a record or a consent: it has a Consent ID (else its text is empty and ignored).
pub const HAS_ID: u8 = 2;
/// Flag of a record or a consent: it has a date (else its text is empty and ignored).
pub const HAS_DATE: u8 = 4;

/// Texts back to back, each cut off by its length in UTF-16 units.
pub struct Texts<'a> {
    rest: &'a str,
    lengths: core::slice::Iter<'a, u32>,
    /// All of the text is ASCII: a unit is a byte.
    ascii: bool,
}

impl<'a> Texts<'a> {
    /// The texts of `text`, cut by `lengths`.
    pub fn new(text: &'a str, lengths: &'a [u32]) -> Texts<'a> {
        Texts {
            rest: text,
            lengths: lengths.iter(),
            ascii: text.is_ascii(),
        }
    }

    /// Whether every text and every length has been read.
    pub fn at_end(&self) -> bool {
        self.rest.is_empty() && self.lengths.len() == 0
    }
}

impl<'a> Iterator for Texts<'a> {
    type Item = &'a str;

    /// The next text; none when the lengths run out or do not fit the text.
    fn next(&mut self) -> Option<&'a str> {
        let units = *self.lengths.next()? as usize;
        // A text of ASCII has a byte per unit; in text that is not all ASCII, most texts still
        // are, which their first `units` bytes tell without walking characters.
        let ascii = self.ascii
            || self
                .rest
                .as_bytes()
                .get(..units)
                .is_some_and(<[u8]>::is_ascii);
        let bytes = if ascii {
            units
        } else {
            utf8_length(self.rest, units)?
        };
        let (text, rest) = self.rest.split_at_checked(bytes)?;
        self.rest = rest;
        Some(text)
    }
}

/// The bytes of the first `units` UTF-16 units of `text`; none when they end inside a
/// character or past the text.
pub fn utf8_length(text: &str, units: usize) -> Option<usize> {
    let mut counted = 0;
    for (at, character) in text.char_indices() {
        if counted >= units {
            return (counted == units).then_some(at);
        }
        counted += character.len_utf16();
    }
    (counted == units).then_some(text.len())
}

/// The length of `text` in UTF-16 units.
pub fn utf16_length(text: &str) -> u32 {
    if text.is_ascii() {
        text.len() as u32
    } else {
        text.encode_utf16().count() as u32
    }
}

/// Records as columns, as `parseConsentCsv` hands them over: per record four texts (its Consent
/// ID, key, option and date; an absent one is empty) with their lengths in UTF-16 units, one byte
/// of flags, and the number of its option's spelling.
#[derive(Default)]
pub struct RecordColumns {
    pub text: String,
    pub lengths: Vec<u32>,
    pub flags: Vec<u8>,
    /// Per record, its option's spelling numbered in order of first appearance: a table spells
    /// its few options the same way in row after row, and the script then makes one string of
    /// each spelling for all its records instead of one per record.
    pub options: Vec<u32>,
    spellings: Interner,
}

impl RecordColumns {
    /// Room for about `bytes` of text.
    pub fn with_capacity(bytes: usize) -> RecordColumns {
        RecordColumns {
            text: String::with_capacity(bytes),
            ..RecordColumns::default()
        }
    }

    /// Add a row's record.
    pub fn push(&mut self, row: &Row) {
        let date = row.date.map(|(text, _)| text);
        self.push_record(row.consent_id, row.key, row.option, row.value, date);
    }

    /// Add a record.
    pub fn push_record(
        &mut self,
        consent_id: Option<&str>,
        key: &str,
        option: &str,
        value: bool,
        date: Option<&str>,
    ) {
        for text in [consent_id.unwrap_or(""), key, option, date.unwrap_or("")] {
            self.text.push_str(text);
            self.lengths.push(utf16_length(text));
        }
        let flag = |set: bool, flag: u8| if set { flag } else { 0 };
        self.flags.push(
            flag(value, VALUE)
                | flag(consent_id.is_some(), HAS_ID)
                | flag(date.is_some(), HAS_DATE),
        );
        self.options.push(self.spellings.intern(option));
    }

    /// How many records there are.
    pub fn count(&self) -> usize {
        self.flags.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_numbered_by_their_exact_spelling() {
        let mut columns = RecordColumns::default();
        for option in ["News", "news", "News", " News", "SMS", "news"] {
            columns.push_record(None, "a@b.nl", option, true, None);
        }
        assert_eq!(columns.options, [0, 1, 0, 2, 3, 1]);
        assert_eq!(columns.count(), 6);
    }

    #[test]
    fn texts_are_cut_by_utf16_units() {
        // "é" is one unit and two bytes, "😀" two units and four bytes.
        let text = "aé😀bc";
        let mut texts = Texts::new(text, &[1, 1, 2, 0, 2]);
        let cut: Vec<&str> = core::iter::from_fn(|| texts.next()).collect();
        assert_eq!(cut, ["a", "é", "😀", "", "bc"]);
        assert!(texts.at_end());
        // Inside the surrogate pair, past the end, and text left over.
        assert_eq!(Texts::new("😀", &[1]).next(), None);
        assert_eq!(Texts::new("ab", &[3]).next(), None);
        let mut short = Texts::new("abc", &[2]);
        assert_eq!(short.next(), Some("ab"));
        assert!(!short.at_end());
        assert_eq!(utf16_length("a😀é"), 4);
    }
}
