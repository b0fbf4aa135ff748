//! Reading consent tables from CSV (RFC 4180), with an error per bad row and its line number.
//!
//! The header names the columns in any order and case: `Consent ID`, `Email` and/or `Phone`,
//! `Consent option`, `Consent value`, and optionally `Consent date`. A note in parentheses after
//! a name is ignored, so the seed's `Consent ID (primary key)` reads as `Consent ID`. Files
//! exported with `;` or tab separators (Excel does so in many European locales) are read too:
//! the separator is the one the header row uses most.
//!
//! A quoted field keeps its exact text; an unquoted one is trimmed. A value in the `Email`
//! column must be an email address (the connector's rule, see `crate::email`), one in the `Phone`
//! column a phone number; a row that breaks its column's rule, or whose fields are all empty,
//! is reported with its line. Lines with no text at all are skipped.
//!
//! A table can be read in pieces ([`ConsentReader`]): a row split between two pieces is read
//! once both have come, so a large export never has to be held whole.

use crate::date::{ConsentDate, DayCache};
use crate::email::is_valid_email;
use crate::prelude::*;
use crate::scan::{guess_separator, has_escapes, line_end, scan_row, unescaped_copy, Field};
use crate::table::Row;
use crate::text::build_text;
use crate::{fold_char, parse_consent_value, trim};

/// A row that was left out, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError {
    /// 1-based line where the row starts; the header is line 1.
    pub line: usize,
    pub message: String,
}

/// Where each known column is in a row.
#[derive(Default)]
struct Columns {
    consent_id: Option<usize>,
    email: Option<usize>,
    phone: Option<usize>,
    option: Option<usize>,
    value: Option<usize>,
    date: Option<usize>,
    count: usize,
}

/// How much of a one-piece text is handed to the reader at a time: the reader copies what it
/// is given, so the copy stays small.
const PIECE: usize = 1 << 20;

/// Unread text longer than this is read again only once it has doubled. It is one unfinished
/// row (a quoted field that is never closed, a file without line breaks), read from its start
/// again each time: after every piece, a long one would take time growing with the square of
/// its length. Rows of consent tables are far shorter, so their reading is not delayed.
const LONG_ROW: usize = 4096;

/// Read a whole table, handing each good row to `accept`; returns the errors.
pub fn read_all(text: &str, accept: &mut impl FnMut(&Row)) -> Vec<CsvError> {
    let mut reader = ConsentReader::default();
    for piece in text.as_bytes().chunks(PIECE) {
        reader.push(piece, accept);
    }
    reader.finish(accept)
}

/// A consent table read piece by piece: [`push`](Self::push) each piece as it comes, then
/// [`finish`](Self::finish). The result is the same however the text is cut.
#[derive(Default)]
pub struct ConsentReader {
    /// Text not read yet: at most the start of one row, plus the piece being read.
    buffer: Vec<u8>,
    /// Where the space handed out by [`space`](Self::space) starts.
    space_start: Option<usize>,
    /// Line of the next row.
    line: usize,
    separator: Option<u8>,
    columns: Option<Columns>,
    /// The header was bad: the rest is not read.
    stopped: bool,
    /// A byte order mark was looked for.
    started: bool,
    fields: Vec<Field>,
    /// A row whose quoted fields hold `""` pairs, with them turned into quotes.
    unescaped: Vec<u8>,
    key: String,
    days: DayCache,
    errors: Vec<CsvError>,
    rows: u64,
    bytes: u64,
    /// Below this much unread text, a piece is only kept (see [`LONG_ROW`]).
    read_again_at: usize,
    /// How many times the unread text was read: what [`LONG_ROW`] keeps in check.
    #[cfg(test)]
    reads: usize,
}

impl ConsentReader {
    /// A reader at the start of a table.
    pub fn new() -> ConsentReader {
        ConsentReader::default()
    }

    /// Rows read so far (good and bad, not the header or blank lines).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Read the next piece of the table.
    pub fn push(&mut self, piece: &[u8], accept: &mut impl FnMut(&Row)) {
        self.buffer.extend_from_slice(piece);
        self.read(false, accept);
    }

    /// Room for the next piece, up to `length` bytes, to be written in place and then
    /// [`commit`](Self::commit)ted: the caller copies the piece once, straight into the buffer.
    pub fn space(&mut self, length: usize) -> &mut [u8] {
        let start = self.buffer.len();
        self.buffer.resize(start + length, 0);
        self.space_start = Some(start);
        self.buffer.get_mut(start..).unwrap_or_default()
    }

    /// Read the `written` bytes put into the last [`space`](Self::space).
    pub fn commit(&mut self, written: usize, accept: &mut impl FnMut(&Row)) {
        if let Some(start) = self.space_start.take() {
            let end = (start + written).min(self.buffer.len());
            self.buffer.truncate(end);
            self.read(false, accept);
        }
    }

    /// Read what is left (a last row without a line break) and return the errors.
    pub fn finish(self, accept: &mut impl FnMut(&Row)) -> Vec<CsvError> {
        self.finish_counted(accept).0
    }

    /// [`finish`](Self::finish), with the rows read in all (see [`rows`](Self::rows)).
    pub fn finish_counted(mut self, accept: &mut impl FnMut(&Row)) -> (Vec<CsvError>, u64) {
        if let Some(start) = self.space_start.take() {
            self.buffer.truncate(start);
        }
        self.read(true, accept);
        if self.columns.is_none() && !self.stopped {
            self.errors.push(CsvError {
                line: 1,
                message: "the text has no header row".into(),
            });
        }
        (self.errors, self.rows)
    }

    /// Read every complete row of the buffer (every row, when `last`), then drop them.
    ///
    /// `dyn`: one copy of the reader serves every caller, which keeps the module small; a call
    /// per row through a pointer costs nothing next to reading the row.
    fn read(&mut self, last: bool, accept: &mut dyn FnMut(&Row)) {
        if !last && self.buffer.len() < self.read_again_at {
            return;
        }
        #[cfg(test)]
        {
            self.reads += 1;
        }
        // Taken out while rows borrow it; put back below.
        let mut buffer = core::mem::take(&mut self.buffer);
        let mut pos = 0;
        if !self.started {
            if buffer.len() < 3 && !last {
                self.buffer = buffer;
                return;
            }
            self.started = true;
            self.line = 1;
            if buffer.starts_with("\u{feff}".as_bytes()) {
                // Dropped at once, so that no column of the first line counts it, however the
                // text is cut into pieces.
                buffer.drain(..3);
                self.bytes += 3;
            }
        }
        let mut unescaped = core::mem::take(&mut self.unescaped);
        // The longest start of the buffer that is UTF-8 text, checked once: row by row, the
        // check cost a few per cent of a table's reading, most of it in each row's first bytes.
        // A row within it is text too, as it starts and ends at line breaks (or the ends of
        // the buffer); the rest (a cut character, a bad byte) is checked row by row.
        let checked = match core::str::from_utf8(&buffer) {
            Ok(text) => text,
            Err(error) => buffer
                .get(..error.valid_up_to())
                .and_then(|valid| core::str::from_utf8(valid).ok())
                .unwrap_or_default(),
        };
        while pos < buffer.len() && !self.stopped {
            let Some(separator) = self.separator.or_else(|| {
                let end = line_end(&buffer, pos, last)?;
                let line = buffer.get(pos..end).unwrap_or_default();
                // Blank lines before the header say nothing about the separator: blank as a
                // row is blank (see `take_row`), which counts every Unicode space.
                let blank = core::str::from_utf8(line).is_ok_and(|line| line.trim().is_empty());
                (!blank).then(|| guess_separator(line))
            }) else {
                // A blank line before the header, or not yet a whole line.
                match line_end(&buffer, pos, last) {
                    Some(end) => match scan_row(&buffer, pos, b',', last, &mut self.fields) {
                        Some(scanned) => {
                            self.line += scanned.breaks;
                            pos = scanned.next.max(end);
                            continue;
                        }
                        None => break,
                    },
                    None => break,
                }
            };
            self.separator = Some(separator);
            let Some(scanned) = scan_row(&buffer, pos, separator, last, &mut self.fields) else {
                break;
            };
            let line = self.line;
            self.line += scanned.breaks;
            let (text, offset) = if has_escapes(&self.fields) {
                unescaped_copy(&buffer, pos, scanned.end, &mut self.fields, &mut unescaped);
                (core::str::from_utf8(&unescaped).ok(), 0)
            } else {
                let row = checked.get(pos..scanned.end).or_else(|| {
                    core::str::from_utf8(buffer.get(pos..scanned.end).unwrap_or_default()).ok()
                });
                (row, pos)
            };
            let outcome = match text {
                Some(text) => self.take_row(text, offset, scanned.error, accept),
                None => {
                    // A bad row, counted as `take_row` counts the others.
                    if self.columns.is_some() {
                        self.rows += 1;
                    }
                    Err("the row is not UTF-8 text".to_string())
                }
            };
            if let Err(message) = outcome {
                if self.columns.is_none() {
                    self.stopped = true;
                }
                self.errors.push(CsvError { line, message });
            }
            pos = scanned.next;
        }
        self.unescaped = unescaped;
        if self.stopped {
            pos = buffer.len();
        }
        self.bytes += pos as u64;
        buffer.drain(..pos);
        self.read_again_at = if buffer.len() > LONG_ROW {
            buffer.len().saturating_mul(2)
        } else {
            0
        };
        self.buffer = buffer;
    }

    /// The header, or a record for `accept`; `offset` is where `text` starts in the buffer.
    fn take_row(
        &mut self,
        text: &str,
        offset: usize,
        scan_error: Option<String>,
        accept: &mut dyn FnMut(&Row),
    ) -> Result<(), String> {
        let field = |f: &Field| text.get(f.start - offset..f.end - offset).unwrap_or("");
        if let [only] = self.fields.as_slice() {
            if !only.quoted && field(only).trim().is_empty() {
                return Ok(()); // a blank line
            }
        }
        if let Some(message) = scan_error {
            if self.columns.is_some() {
                self.rows += 1;
            }
            return Err(message);
        }
        let Some(columns) = &self.columns else {
            let cells: Vec<&str> = self.fields.iter().map(field).collect();
            self.columns = Some(read_header(&cells)?);
            return Ok(());
        };
        self.rows += 1;
        let row = record(columns, &self.fields, field, &mut self.key, &mut self.days)?;
        accept(&row);
        Ok(())
    }
}

#[cold]
#[inline(never)]
fn read_header(fields: &[&str]) -> Result<Columns, String> {
    let mut columns = Columns {
        count: fields.len(),
        ..Columns::default()
    };
    for (index, field) in fields.iter().enumerate() {
        let name = header_name(field);
        let slot = match name.as_str() {
            "consent id" => &mut columns.consent_id,
            "email" => &mut columns.email,
            "phone" => &mut columns.phone,
            "consent option" => &mut columns.option,
            "consent value" => &mut columns.value,
            "consent date" => &mut columns.date,
            // Other columns (names, sources, notes) are allowed and ignored.
            _ => continue,
        };
        if slot.is_some() {
            return Err(build_text!(
                "the header names the column '",
                field.trim(),
                "' twice"
            ));
        }
        *slot = Some(index);
    }
    let mut missing = Vec::new();
    if columns.email.is_none() && columns.phone.is_none() {
        missing.push("Email or Phone");
    }
    if columns.option.is_none() {
        missing.push("Consent option");
    }
    if columns.value.is_none() {
        missing.push("Consent value");
    }
    if missing.is_empty() {
        Ok(columns)
    } else {
        Err(build_text!(
            "the header has no ",
            crate::text::join(&missing, ", no "),
            " column"
        ))
    }
}

/// A header cell compared without case, extra spaces or a trailing `(note)`.
#[inline(never)]
fn header_name(field: &str) -> String {
    let mut name = field.trim();
    if name.ends_with(')') {
        if let Some(open) = name.rfind('(') {
            name = name.get(..open).unwrap_or(name).trim_end();
        }
    }
    // Words lower-cased and joined by one space, in one pass.
    let mut words = String::with_capacity(name.len());
    let mut between = false;
    for c in name.chars() {
        if c.is_whitespace() {
            between = true;
            continue;
        }
        if between && !words.is_empty() {
            words.push(' ');
        }
        between = false;
        words.push(c.to_ascii_lowercase());
    }
    words
}

/// The record of a row, or why it is left out.
fn record<'t>(
    columns: &Columns,
    fields: &[Field],
    text_of: impl Fn(&Field) -> &'t str,
    key: &'t mut String,
    days: &mut DayCache,
) -> Result<Row<'t>, String> {
    if fields.len() != columns.count {
        return Err(build_text!(
            "the row has ",
            fields.len(),
            " fields, the header has ",
            columns.count
        ));
    }
    // A quoted field as written, an unquoted one trimmed; `None` when it holds only spaces.
    let value = |index: Option<usize>| -> Option<&'t str> {
        let field = fields.get(index?)?;
        let text = text_of(field);
        let trimmed = trim(text);
        match (trimmed.is_empty(), field.quoted) {
            (true, _) => None,
            (false, true) => Some(text),
            (false, false) => Some(trimmed),
        }
    };
    if fields.iter().all(|f| trim(text_of(f)).is_empty()) {
        return Err("the row has only empty fields".into());
    }
    let email = value(columns.email);
    let phone = value(columns.phone);
    let folded: &'t str = if let Some(email) = email {
        if !is_valid_email(email) {
            return Err(quoting("Email '", email, "' is not an email address"));
        }
        fold_email(trim(email), key)
    } else if let Some(phone) = phone {
        if !normalize_phone(phone, key) {
            return Err(quoting(
                "Phone '",
                phone,
                "' is not a phone number (3 to 20 digits, optionally after a +)",
            ));
        }
        key.as_str()
    } else {
        return Err(match (columns.email, columns.phone) {
            (Some(_), Some(_)) => "neither Email nor Phone has a value",
            (Some(_), None) => "Email has no value",
            _ => "Phone has no value",
        }
        .to_string());
    };
    let option = value(columns.option).ok_or("Consent option has no value")?;
    let raw_value = value(columns.value).ok_or("Consent value has no value")?;
    let consent = parse_consent_value(raw_value).ok_or_else(|| {
        quoting(
            "Consent value '",
            raw_value,
            "' is not one of true/false, yes/no, 1/0",
        )
    })?;
    let date =
        match value(columns.date) {
            None => None,
            Some(text) => match ConsentDate::parse_with(text, days) {
                Some(parsed) => Some((text, parsed)),
                None => return Err(quoting(
                    "Consent date '",
                    text,
                    "' is not a date or date-time written as 2024-05-03 or 2024-05-03T10:15:00Z",
                )),
            },
        };
    Ok(Row {
        consent_id: value(columns.consent_id),
        key: folded,
        option,
        value: consent,
        date,
    })
}

/// Longest a field is quoted in an error, in bytes: a broken export can put megabytes in one
/// field, and an error list must stay readable.
const QUOTED: usize = 100;

/// An error that quotes a field between `before` and `after`, the field cut short (see
/// [`cut_short`]).
#[cold]
#[inline(never)]
fn quoting(before: &str, field: &str, after: &str) -> String {
    let (field, more) = cut_short(field);
    build_text!(before, field, more, after)
}

/// `text` as an error quotes it: whole, or its first [`QUOTED`] bytes (whole characters) and
/// an ellipsis.
#[cold]
fn cut_short(text: &str) -> (&str, &'static str) {
    if text.len() <= QUOTED {
        return (text, "");
    }
    let end = (0..=QUOTED)
        .rev()
        .find(|at| text.is_char_boundary(*at))
        .unwrap_or(0);
    (text.get(..end).unwrap_or_default(), "…")
}

/// An email as a key: lower case (see [`fold_char`]). Most emails are written in lower case
/// already, and then are their own key: no copy.
fn fold_email<'t>(email: &'t str, key: &'t mut String) -> &'t str {
    if ascii_without_capitals(email.as_bytes()) {
        return email;
    }
    key.clear();
    if email.is_ascii() {
        key.push_str(email);
        key.make_ascii_lowercase();
    } else {
        key.extend(email.chars().map(fold_char));
    }
    key
}

/// Whether every byte is ASCII and none is a capital letter, eight bytes at a time.
pub fn ascii_without_capitals(bytes: &[u8]) -> bool {
    const EVERY_BYTE: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = EVERY_BYTE << 7;
    // The high bit of each byte that is not ASCII, or is `A`..=`Z`. On the low seven bits, adding
    // 0x80 - b'A' sets a byte's high bit from `A` on and adding 0x80 - b'[' from past `Z` on;
    // neither carries into the next byte.
    let flags = |word: u64| {
        let low = word & !HIGH_BITS;
        let from_a = low + EVERY_BYTE * u64::from(0x80 - b'A');
        let past_z = low + EVERY_BYTE * u64::from(0x80 - b'[');
        (word | (from_a & !past_z)) & HIGH_BITS
    };
    let mut words = bytes.chunks_exact(8);
    let mut found = 0;
    for word in &mut words {
        found |= flags(u64::from_le_bytes(word.try_into().unwrap_or_default()));
    }
    let mut last = [0u8; 8];
    for (slot, byte) in last.iter_mut().zip(words.remainder()) {
        *slot = *byte;
    }
    (found | flags(u64::from_le_bytes(last))) == 0
}

/// A phone number as a key: without spaces, dashes, dots and parentheses, a leading `+` kept.
/// Whether what is left is a phone number: 3 to 20 digits, optionally after a `+`.
///
/// It drops the same characters as `normalize_key`. Not inlined, and one plain loop: this crate
/// is compiled for speed, which would otherwise unroll it into a kilobyte of code.
#[inline(never)]
fn normalize_phone(phone: &str, key: &mut String) -> bool {
    key.clear();
    if phone.is_ascii() {
        // Copied whole, then the dropped bytes taken out in place: copying the spans between
        // them cost a copy call per space of `+31 6 1234 5678`.
        let mut bytes = core::mem::take(key).into_bytes();
        bytes.extend_from_slice(phone.as_bytes());
        bytes.retain(|byte| {
            !matches!(
                byte,
                b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b'-' | b'.' | b'(' | b')'
            )
        });
        // Bytes of ASCII text: always UTF-8.
        *key = String::from_utf8(bytes).unwrap_or_default();
    } else {
        for c in phone.chars() {
            if !(c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')')) {
                key.push(c);
            }
        }
    }
    let digits = key.strip_prefix('+').unwrap_or(key);
    (3..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::{ascii_without_capitals, fold_email, ConsentReader, CsvError};
    use crate::fold_char;

    /// The options and Consent IDs of the rows `text` gives, its errors, and the rows and bytes
    /// read before the reader is finished, read in pieces cut at `cuts`.
    fn read_cut(text: &[u8], cuts: &[usize]) -> (Vec<String>, Vec<CsvError>, u64, u64) {
        let mut reader = ConsentReader::new();
        let mut read = Vec::new();
        let mut accept = |row: &crate::table::Row| {
            read.push(format!("{}:{}", row.consent_id.unwrap_or("-"), row.option));
        };
        let mut start = 0;
        for &cut in cuts.iter().chain([text.len()].iter()) {
            reader.push(&text[start..cut], &mut accept);
            start = cut;
        }
        let (rows, bytes) = (reader.rows(), reader.bytes());
        let errors = reader.finish(&mut accept);
        (read, errors, rows, bytes)
    }

    /// A row that is not UTF-8 (a bad byte, a character cut short at its end) is an error on its
    /// own line, and the rows around it, with quotes, escaped quotes and characters of two and
    /// three bytes, are read as written, wherever the text is cut into pieces (through the byte
    /// order mark and the blank lines before the header too). Until the reader is finished, the
    /// last row, which has no line break, waits: every other row and byte is counted.
    #[test]
    fn rows_that_are_not_utf8_are_errors_and_the_others_are_read_however_cut() {
        let text: &[u8] = b"\xef\xbb\xbf\n \r\nConsent ID,Email,Consent option,Consent value\n\
            1,a@b.nl,\"N\"\"\xc3\xa9\",true\n\
            2,b@b.nl,x\xff,true\n\
            3,c@b.nl,\xc3\x9c,false\n\
            4,d@b.nl,\xe2\x82,true\r\n\
            5,e@b.nl,\"\xe2\x82\xac \"\"\",1\n\
            6,f@b.nl,\xf0\x9f\x98\x80,0";
        let expected_rows = ["1:N\"é", "3:Ü", "5:€ \"", "6:😀"];
        let not_text = |line| CsvError {
            line,
            message: "the row is not UTF-8 text".into(),
        };
        let expected_errors = [not_text(5), not_text(7)];
        let last_row = "6,f@b.nl,😀,0".len();
        let whole = read_cut(text, &[]);
        assert_eq!(whole.0, expected_rows);
        assert_eq!(whole.1, expected_errors);
        assert_eq!((whole.2, whole.3), (5, (text.len() - last_row) as u64));
        for first in 0..=text.len() {
            for second in [first, first + 1, first + 7].map(|c| c.min(text.len())) {
                assert_eq!(
                    read_cut(text, &[first, second]),
                    whole,
                    "cut at {first}, {second}"
                );
            }
        }
        let every_byte: Vec<usize> = (1..text.len()).collect();
        assert_eq!(read_cut(text, &every_byte), whole);
    }

    /// Every byte value at every place of texts of every length up to 20: the word-at-a-time
    /// test says what a byte-by-byte one says.
    #[test]
    fn capitals_and_other_bytes_are_found_wherever_they_are() {
        for length in 0..=20 {
            for at in 0..length {
                for byte in 0..=255u8 {
                    let mut bytes = vec![b'a'; length];
                    bytes[at] = byte;
                    let plainly = bytes
                        .iter()
                        .all(|b| b.is_ascii() && !b.is_ascii_uppercase());
                    assert_eq!(ascii_without_capitals(&bytes), plainly, "{bytes:?}");
                }
                // Two capitals, which may share a byte's place in two different words.
                for other in at + 1..length {
                    let mut bytes = vec![b'a'; length];
                    bytes[at] = b'A';
                    bytes[other] = b'Z';
                    assert!(!ascii_without_capitals(&bytes), "{bytes:?}");
                }
            }
        }
    }

    /// Text that stays unread for long (a quoted field that is never closed, or one closed only
    /// far on) is read again a number of times that grows with the logarithm of its length, not
    /// after every piece; what is read is what one piece gives, and the rows after a long field
    /// that closes are read as they come.
    #[test]
    fn a_long_unfinished_row_is_not_read_again_after_every_piece() {
        let rows: String = (2..60_000)
            .map(|i| format!("{i},p{i}@x.nl,News,true\n"))
            .collect();
        let header = "Consent ID,Email,Consent option,Consent value\n1,a@b.nl,\"";
        let long_note = "a,\"\"b\n".repeat(40_000);
        for long in [
            format!("News,true\n{rows}"),
            format!("{long_note}\",true\n"),
        ] {
            let text = format!("{header}{long}{rows}");
            let whole = read_cut(text.as_bytes(), &[]);
            let mut reader = ConsentReader::new();
            let mut read = 0;
            let mut accept = |_: &crate::table::Row| read += 1;
            let long_end = header.len() + long.len();
            let mut reads_while_long = 0;
            for (index, piece) in text.as_bytes().chunks(1024).enumerate() {
                reader.push(piece, &mut accept);
                if (index + 1) * 1024 <= long_end {
                    reads_while_long = reader.reads;
                }
            }
            assert_eq!(reader.rows(), whole.2);
            assert_eq!(reader.bytes(), whole.3);
            let errors = reader.finish(&mut accept);
            assert_eq!((read, errors), (whole.0.len(), whole.1));
            let pieces = long_end / 1024;
            assert!(
                reads_while_long <= 20,
                "{reads_while_long} reads in {pieces} pieces"
            );
        }
    }

    /// A long field is quoted in its error cut short, at a character's end.
    #[test]
    fn errors_quote_long_fields_cut_short() {
        let long = "é".repeat(400);
        let text = format!("Email,Consent option,Consent value\n{long}@x,a,1\nb@x.nl,a,{long}\n");
        let (_, errors, _, _) = read_cut(text.as_bytes(), &[]);
        let quoted = "é".repeat(50);
        assert_eq!(
            errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>(),
            [
                format!("Email '{quoted}…' is not an email address"),
                format!("Consent value '{quoted}…' is not one of true/false, yes/no, 1/0"),
            ]
        );
        assert_eq!(super::cut_short("short"), ("short", ""));
    }

    #[test]
    fn an_email_folds_to_lower_case_and_is_its_own_key_when_it_is_already() {
        let mut key = String::new();
        for email in [
            "holly@contoso.com",
            "Holly@Contoso.COM",
            "ÉLODIE@exemple.fr",
            "z@[1.2.3.4]",
        ] {
            let expected: String = email.chars().map(fold_char).collect();
            assert_eq!(fold_email(email, &mut key), expected, "{email}");
        }
        let email = "person12@example.com";
        assert!(core::ptr::eq(fold_email(email, &mut key), email));
    }
}
