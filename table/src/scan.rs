//! RFC 4180 rows out of a buffer that may end in the middle of a row.
//!
//! Fields are separated by the separator, rows by CRLF, LF or CR, and `"…"` quotes a field, with
//! `""` for a quote and line breaks allowed inside. The separators and quotes are ASCII, so the
//! bytes between them stay whole UTF-8 characters. When the buffer ends before a row does and
//! more text may follow, the scanner says so and the row is scanned again once more has come.

use crate::prelude::*;
use crate::text::build_text;
/// Where a field of a scanned row is in the buffer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    pub start: usize,
    pub end: usize,
    /// Written in quotes: its text is kept exactly.
    pub quoted: bool,
    /// Holds `""` pairs still to be turned into quotes (see [`unescape`]).
    escaped: bool,
}

/// A row found by [`scan_row`].
#[derive(Debug, PartialEq)]
pub struct Scanned {
    /// End of the row's text, before its line break.
    pub end: usize,
    /// Where the next row starts.
    pub next: usize,
    /// Line breaks inside the row's quotes and at its end.
    pub breaks: usize,
    pub error: Option<String>,
}

/// Scan the row at `start` into `fields`. `None` when the buffer ends before the row does and
/// `last` says more text may follow.
pub fn scan_row(
    buffer: &[u8],
    start: usize,
    separator: u8,
    last: bool,
    fields: &mut Vec<Field>,
) -> Option<Scanned> {
    fields.clear();
    match scan_plain(buffer, start, separator, fields) {
        Plain::Row(scanned) => Some(scanned),
        Plain::From(pos) => scan_fields(buffer, pos, separator, last, fields),
    }
}

/// How far [`scan_plain`] got.
enum Plain {
    /// The whole row.
    Row(Scanned),
    /// Its fields up to the one that starts here, which [`scan_fields`] reads on.
    From(usize),
}

/// The row at `start` while its fields are plain (no quote) and its end is in the buffer: the
/// usual row, read sixteen bytes at a time, each block turned into a mask of the bytes that end a
/// field (see [`ends_mask`]).
fn scan_plain(buffer: &[u8], start: usize, separator: u8, fields: &mut Vec<Field>) -> Plain {
    let mut field_start = start;
    let mut block_start = start;
    while let Some(block) = buffer
        .get(block_start..block_start + 16)
        .and_then(|block| <&[u8; 16]>::try_from(block).ok())
    {
        let mut ends = ends_mask(block, separator);
        while ends != 0 {
            let at = block_start + ends.trailing_zeros() as usize;
            ends &= ends - 1;
            let field = Field {
                start: field_start,
                end: at,
                quoted: false,
                escaped: false,
            };
            let next = match buffer.get(at) {
                Some(&b) if b == separator => {
                    fields.push(field);
                    field_start = at + 1;
                    continue;
                }
                Some(b'\n') => at + 1,
                // A CR ends the row, with the LF after it if there is one; whether there is
                // one is known only once the byte after it has come.
                Some(b'\r') => match buffer.get(at + 1) {
                    Some(b'\n') => at + 2,
                    Some(_) => at + 1,
                    None => return Plain::From(field_start),
                },
                // A quote: this field and the rest are read by `scan_fields`.
                _ => return Plain::From(field_start),
            };
            fields.push(field);
            return Plain::Row(Scanned {
                end: at,
                next,
                breaks: 1,
                error: None,
            });
        }
        block_start += 16;
    }
    Plain::From(field_start)
}

/// Bit `i` set when byte `i` of `block` is the separator, a line break or a quote.
///
/// In WebAssembly with vector instructions: one load, four comparisons and a bit mask.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
fn ends_mask(block: &[u8; 16], separator: u8) -> u32 {
    use core::arch::wasm32::{u8x16, u8x16_bitmask, u8x16_eq, u8x16_splat, v128_or};
    let [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15] = *block;
    let bytes = u8x16(
        b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15,
    );
    let is = |byte: u8| u8x16_eq(bytes, u8x16_splat(byte));
    u32::from(u8x16_bitmask(v128_or(
        v128_or(is(separator), is(b'"')),
        v128_or(is(b'\n'), is(b'\r')),
    )))
}

/// Bit `i` set when byte `i` of `block` is the separator, a line break or a quote.
///
/// Elsewhere (the tests, the native tools): eight bytes at a time in a 64-bit word.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn ends_mask(block: &[u8; 16], separator: u8) -> u32 {
    let half = |bytes: &[u8]| {
        let word = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
        let flags = exact_zero_bytes(word ^ (EVERY_BYTE * u64::from(separator)))
            | exact_zero_bytes(word ^ (EVERY_BYTE * u64::from(b'\n')))
            | exact_zero_bytes(word ^ (EVERY_BYTE * u64::from(b'\r')))
            | exact_zero_bytes(word ^ (EVERY_BYTE * u64::from(b'"')));
        // One bit per byte at its bottom; the product gathers them, byte i's as bit i, into
        // the top byte.
        ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
    };
    half(block.get(..8).unwrap_or_default()) | (half(block.get(8..).unwrap_or_default()) << 8)
}

/// The high bit of each byte of `word` that is zero, and of no other byte.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn exact_zero_bytes(word: u64) -> u64 {
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((word & LOW_SEVEN).wrapping_add(LOW_SEVEN)) | word | LOW_SEVEN)
}

/// [`scan_row`] from the field that starts at `pos`, with the row's earlier fields in `fields`.
fn scan_fields(
    buffer: &[u8],
    mut pos: usize,
    separator: u8,
    last: bool,
    fields: &mut Vec<Field>,
) -> Option<Scanned> {
    let length = buffer.len();
    let mut breaks = 0;
    let mut error = None;
    loop {
        let mut field = Field {
            start: pos,
            end: pos,
            quoted: false,
            escaped: false,
        };
        if buffer.get(pos) == Some(&b'"') {
            field.quoted = true;
            field.start = pos + 1;
            pos += 1;
            loop {
                match buffer.get(pos) {
                    None if last => {
                        // Everything after an unclosed quote belongs to this row.
                        fields.push(Field {
                            end: length,
                            ..field
                        });
                        return Some(Scanned {
                            end: length,
                            next: length,
                            breaks,
                            error: Some("a quoted field is not closed".into()),
                        });
                    }
                    None => return None,
                    Some(b'"') => match buffer.get(pos + 1) {
                        Some(b'"') => {
                            field.escaped = true;
                            pos += 2;
                        }
                        None if !last => return None,
                        _ => break,
                    },
                    Some(b'\n') => {
                        breaks += 1;
                        pos += 1;
                    }
                    Some(b'\r') => match buffer.get(pos + 1) {
                        Some(b'\n') => pos += 1,
                        None if !last => return None,
                        _ => {
                            breaks += 1;
                            pos += 1;
                        }
                    },
                    Some(_) => pos += 1,
                }
            }
            field.end = pos;
            pos += 1;
            // Spaces after the closing quote are tolerated, unless a space is the separator.
            while let Some(&b) = buffer.get(pos) {
                if (b == b' ' || b == b'\t') && b != separator {
                    pos += 1;
                } else {
                    break;
                }
            }
            if !matches!(buffer.get(pos), Some(&b) if b == separator || b == b'\n' || b == b'\r')
                && pos < length
            {
                error.get_or_insert_with(|| {
                    build_text!(
                        "text after a closing quote (column ",
                        column(buffer, pos),
                        ")"
                    )
                });
                pos = plain_end(buffer, pos, separator);
            }
        } else {
            pos = plain_end(buffer, pos, separator);
            field.end = pos;
        }
        fields.push(field);
        match buffer.get(pos) {
            Some(&b) if b == separator => pos += 1,
            Some(b'\n') => {
                return Some(Scanned {
                    end: pos,
                    next: pos + 1,
                    breaks: breaks + 1,
                    error,
                })
            }
            Some(_) => match buffer.get(pos + 1) {
                // A CR: it may be the first half of a CRLF.
                None if !last => return None,
                next => {
                    return Some(Scanned {
                        end: pos,
                        next: pos + if next == Some(&b'\n') { 2 } else { 1 },
                        breaks: breaks + 1,
                        error,
                    })
                }
            },
            None if last => {
                return Some(Scanned {
                    end: pos,
                    next: pos,
                    breaks,
                    error,
                })
            }
            None => return None,
        }
    }
}

/// Where an unquoted field that starts at `pos` ends: at the separator, a line break or the end.
///
/// Eight bytes at a time while eight remain: most fields are an email or a date, and a byte at
/// a time was the reader's busiest loop.
fn plain_end(buffer: &[u8], mut pos: usize, separator: u8) -> usize {
    let (separators, line_feeds, returns) = (
        EVERY_BYTE * u64::from(separator),
        EVERY_BYTE * u64::from(b'\n'),
        EVERY_BYTE * u64::from(b'\r'),
    );
    while let Some(word) = buffer.get(pos..pos + 8) {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let ends = zero_bytes(word ^ separators)
            | zero_bytes(word ^ line_feeds)
            | zero_bytes(word ^ returns);
        if ends != 0 {
            // The lowest flag is always a true one (little-endian: the first byte in the text).
            return pos + (ends.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while let Some(&b) = buffer.get(pos) {
        if b == separator || b == b'\n' || b == b'\r' {
            break;
        }
        pos += 1;
    }
    pos
}

/// A byte of 1 in each of a word's eight bytes.
const EVERY_BYTE: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `word` that is zero. A flag may also be set above a zero byte
/// (the subtraction borrows), never below the first one, so the lowest flag is exact.
#[inline]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(EVERY_BYTE) & !word & (EVERY_BYTE << 7)
}

/// 1-based column, in characters, of `pos` on its line.
#[cold]
#[inline(never)]
fn column(buffer: &[u8], pos: usize) -> usize {
    let before = buffer.get(..pos).unwrap_or_default();
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n' || *b == b'\r')
        .map_or(0, |p| p + 1);
    let line = before.get(line_start..).unwrap_or_default();
    // Count characters, not bytes: every byte but UTF-8 continuation bytes starts one.
    line.iter().filter(|b| (**b & 0xc0) != 0x80).count() + 1
}

/// Whether a field of the row holds `""` pairs still to be turned into quotes.
pub fn has_escapes(fields: &[Field]) -> bool {
    fields.iter().any(|field| field.escaped)
}

/// The row at `buffer[start..end]` copied into `copy` with its `""` pairs turned into quotes;
/// the fields then point into the copy. Only rows with such pairs are copied: the others are
/// read where they are, out of text checked once for the whole buffer.
pub fn unescaped_copy(
    buffer: &[u8],
    start: usize,
    end: usize,
    fields: &mut [Field],
    copy: &mut Vec<u8>,
) {
    copy.clear();
    copy.extend_from_slice(buffer.get(start..end).unwrap_or_default());
    for field in fields.iter_mut() {
        field.start = field.start.saturating_sub(start);
        field.end = field.end.saturating_sub(start);
    }
    unescape(copy, fields);
}

/// Turn the `""` pairs of quoted fields into quotes, in place, moving each field's end.
fn unescape(buffer: &mut [u8], fields: &mut [Field]) {
    for field in fields.iter_mut().filter(|f| f.escaped) {
        let mut write = field.start;
        let mut read = field.start;
        while read < field.end {
            let Some(&b) = buffer.get(read) else {
                break;
            };
            if let Some(slot) = buffer.get_mut(write) {
                *slot = b;
            }
            write += 1;
            read += if b == b'"' { 2 } else { 1 };
        }
        // The bytes left behind, one per quote pair, are no longer the field's. They hold the
        // end of its text again, so a character may be cut among them, which would make the
        // row's text invalid UTF-8: they become quotes, which nothing reads.
        for left in buffer.get_mut(write..field.end).into_iter().flatten() {
            *left = b'"';
        }
        field.end = write;
        field.escaped = false;
    }
}

/// Whether a quote at `pos` of a line that starts at `start`, whose separator is not yet known,
/// opens a quoted field: only at a field's start for one of the separators a header may use.
/// A quote inside a name (`Size 5" disk`) is text, as the reader takes it once the separator is
/// known, and must not make the rest of the table look quoted.
fn opens_quote(line: &[u8], start: usize, pos: usize) -> bool {
    pos == start || matches!(line.get(pos.wrapping_sub(1)), Some(b',' | b';' | b'\t'))
}

/// Where the line at `start` ends (a line break outside quoted fields, or the end of the text),
/// or `None` when the buffer ends first and more text may follow. For the header, whose
/// separator is not yet known (see [`opens_quote`]).
#[inline(never)]
pub fn line_end(buffer: &[u8], start: usize, last: bool) -> Option<usize> {
    let mut quoted = false;
    let mut pos = start;
    while let Some(&b) = buffer.get(pos) {
        match b {
            b'"' if quoted || opens_quote(buffer, start, pos) => quoted = !quoted,
            b'\n' | b'\r' if !quoted => return Some(pos),
            _ => {}
        }
        pos += 1;
    }
    last.then_some(pos)
}

/// The separator of a table whose header is `line`: whichever of `,`, `;` and tab occurs most
/// often outside quoted fields (a comma on a tie), or a comma when none does.
#[cold]
#[inline(never)]
pub fn guess_separator(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for (pos, &b) in line.iter().enumerate() {
        match b {
            b'"' if quoted || opens_quote(line, 0, pos) => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let [comma, semicolon, tab] = counts;
    if semicolon > comma && semicolon >= tab {
        b';'
    } else if tab > comma && tab > semicolon {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_stays_utf8_when_its_quote_pairs_are_turned_into_quotes() {
        // A quote pair before a character of two, three and four bytes, and several pairs.
        for row in [
            "\"x\"\"é\",1",
            "\"\"\"€\"\"\",1",
            "\"a\"\"😀\"\"b\"\"\u{10348}\",1",
        ] {
            let mut buffer = row.as_bytes().to_vec();
            let mut fields = Vec::new();
            let scanned = scan_row(&buffer, 0, b',', true, &mut fields).unwrap();
            unescape(&mut buffer, &mut fields);
            let text = core::str::from_utf8(&buffer[..scanned.end]).expect("whole UTF-8");
            let field = &fields[0];
            let unquoted = row[1..row.rfind("\",").unwrap()].replace("\"\"", "\"");
            assert_eq!(&text[field.start..field.end], unquoted, "{row:?}");
        }
    }

    #[test]
    fn the_separator_most_often_outside_quotes_wins_and_a_comma_on_a_tie() {
        for (header, separator) in [
            (&b"a,b,c\td"[..], b','),
            (b"a\tb\tc,d", b'\t'),
            (b"a;b;c,d", b';'),
            (b"a,b\tc", b','),
            (b"a;b,c", b','),
            (b"a;b\tc", b';'),
            (b"a\tb\tc;d", b'\t'),
            (b"abc", b','),
            (b"\"a;b;c\"\tx", b'\t'),
        ] {
            assert_eq!(
                guess_separator(header),
                separator,
                "{}",
                String::from_utf8_lossy(header)
            );
        }
    }

    fn texts(buffer: &[u8], fields: &[Field]) -> Vec<String> {
        fields
            .iter()
            .map(|f| String::from_utf8_lossy(&buffer[f.start..f.end]).into_owned())
            .collect()
    }

    #[test]
    fn a_row_split_anywhere_waits_for_the_rest() {
        let row = b"a,\"b\"\"c\r\nd\",e\r\n";
        let mut fields = Vec::new();
        for cut in 0..row.len() {
            assert_eq!(
                scan_row(&row[..cut], 0, b',', false, &mut fields),
                None,
                "cut at {cut}"
            );
        }
        let scanned = scan_row(row, 0, b',', false, &mut fields).unwrap();
        assert_eq!((scanned.end, scanned.next, scanned.breaks), (13, 15, 2));
        let mut buffer = row.to_vec();
        unescape(&mut buffer, &mut fields);
        assert_eq!(texts(&buffer, &fields), ["a", "b\"c\r\nd", "e"]);
    }

    #[test]
    fn whitespace_after_a_quote_is_skipped_unless_it_separates() {
        let mut fields = Vec::new();
        let tabbed = b"a\t\"x\"\ttrue\n";
        let scanned = scan_row(tabbed, 0, b'\t', true, &mut fields).unwrap();
        assert_eq!(scanned.error, None);
        assert_eq!(texts(tabbed, &fields), ["a", "x", "true"]);
        let spaced = b"\"x\"  ,y";
        assert_eq!(
            scan_row(spaced, 0, b',', true, &mut fields).unwrap().error,
            None
        );
        assert_eq!(texts(spaced, &fields), ["x", "y"]);
        let junk = b"\"x\" z,y";
        let error = scan_row(junk, 0, b',', true, &mut fields).unwrap().error;
        assert_eq!(
            error.as_deref(),
            Some("text after a closing quote (column 5)")
        );
    }

    #[test]
    fn separators_are_guessed_outside_quotes() {
        assert_eq!(guess_separator(b"Email;Consent option;Consent value"), b';');
        assert_eq!(guess_separator(b"\"Id (a, b)\";Email;Option"), b';');
        assert_eq!(
            guess_separator(b"Email\tConsent option\tConsent value"),
            b'\t'
        );
        assert_eq!(guess_separator(b"Email,Consent option,Consent value"), b',');
        assert_eq!(guess_separator(b"Email"), b',');
        // A quote inside a name is text, not the start of a quoted field.
        assert_eq!(guess_separator(b"Email;Option;Value;Size 5\" disk"), b';');
        assert_eq!(guess_separator(b"Email;\"Option, a\";Value"), b';');
        assert_eq!(line_end(b"\"a\n\"b\rc", 0, false), Some(5));
        assert_eq!(line_end(b"x,\"a\n\"\rc", 0, false), Some(6));
        assert_eq!(line_end(b"a\"\n\"b\rc", 0, false), Some(2));
        assert_eq!(line_end(b"abc", 0, false), None);
        assert_eq!(line_end(b"abc", 0, true), Some(3));
    }

    /// The block-at-a-time path reads every row as the field-at-a-time one does: rows of every
    /// length with plain and quoted fields anywhere, every line break, cut anywhere.
    #[test]
    fn rows_read_by_blocks_as_field_by_field() {
        let cells = [
            "",
            "a",
            "person12@example.com",
            "\"x,\"\"y\"\"\"",
            "2025-07-12T11:00:00Z",
            "é😀",
            "\"\n\"",
        ];
        let breaks = ["\n", "\r\n", "\r", ""];
        let mut fast = Vec::new();
        let mut slow = Vec::new();
        for seed in 0..400usize {
            let mut row = String::new();
            for i in 0..(seed % 7) + 1 {
                if i > 0 {
                    row.push(',');
                }
                row.push_str(cells[(seed / 7 + i * 5 + seed * i) % cells.len()]);
            }
            row.push_str(breaks[seed % breaks.len()]);
            row.push_str("next,row\n");
            let bytes = row.as_bytes();
            for cut in (0..=bytes.len()).rev().step_by(3) {
                for last in [false, true] {
                    let buffer = &bytes[..cut];
                    let scanned = scan_row(buffer, 0, b',', last, &mut fast);
                    slow.clear();
                    let expected = scan_fields(buffer, 0, b',', last, &mut slow);
                    assert_eq!(scanned, expected, "{row:?} cut at {cut}");
                    if scanned.is_some() {
                        assert_eq!(fast, slow, "{row:?} cut at {cut}");
                    }
                }
            }
        }
    }

    /// Every byte of a block that ends a field, and no other, whatever stands beside it.
    #[test]
    fn a_block_marks_exactly_its_separators_line_breaks_and_quotes() {
        for separator in [b',', b';', b'\t'] {
            let ends = [separator, b'\n', b'\r', b'"'];
            let near = [
                0u8,
                0x80,
                0xff,
                b'x',
                separator ^ 1,
                b'\n' ^ 1,
                b'\r' ^ 1,
                b'"' ^ 1,
            ];
            for seed in 0..200usize {
                let block: [u8; 16] = core::array::from_fn(|i| {
                    let pick = (seed * 31 + i * 17 + (seed >> 3) * i) % 11;
                    match pick {
                        0..=3 => ends[pick],
                        _ => near[(pick + i) % near.len()],
                    }
                });
                let expected = block
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| ends.contains(b))
                    .fold(0u32, |mask, (i, _)| mask | (1 << i));
                assert_eq!(ends_mask(&block, separator), expected, "{block:?}");
            }
        }
    }

    /// The word-at-a-time search finds the first end at every offset of a word, among bytes
    /// that differ from an end by one bit (where the borrow of the zero test could mislead).
    #[test]
    fn a_plain_field_ends_at_its_first_end_wherever_it_falls() {
        for separator in [b',', b';', b'\t'] {
            for end in [separator, b'\n', b'\r'] {
                for at in 0..20 {
                    let fillers = [b'x', separator ^ 1, b'\n' ^ 1, b'\r' ^ 1, 0xc3, 0x00];
                    let mut buffer: Vec<u8> = (0..at).map(|i| fillers[i % fillers.len()]).collect();
                    buffer.push(end);
                    buffer.extend([
                        end ^ 1,
                        separator,
                        b'\n',
                        b'y',
                        b'\r',
                        b'z',
                        b'z',
                        b'z',
                        b'z',
                    ]);
                    assert_eq!(plain_end(&buffer, 0, separator), at, "{buffer:?}");
                    assert_eq!(plain_end(&buffer[..at], 0, separator), at, "cut {at}");
                }
            }
        }
    }
}
