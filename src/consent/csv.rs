//! Reading consent tables from CSV (RFC 4180), with an error per bad row and its line number.
//!
//! The header names the columns in any order and case: `Consent ID`, `Email` and/or `Phone`,
//! `Consent option`, `Consent value`, and optionally `Consent date`. A note in parentheses after
//! a name is ignored, so the seed's `Consent ID (primary key)` reads as `Consent ID`. Files
//! exported with `;` or tab separators (Excel does so in many European locales) are read too.

use std::borrow::Cow;

use super::unify::Row;
use super::{normalize_key, parse_consent_value, ConsentDate, ConsentRecord};
use crate::value::Value;

/// A row that was left out, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError {
    /// 1-based line where the row starts; the header is line 1.
    pub line: usize,
    pub message: String,
}

/// The rows that were read, and the ones that were not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedCsv {
    pub records: Vec<ConsentRecord>,
    pub errors: Vec<CsvError>,
}

impl ParsedCsv {
    /// The result as the JavaScript API returns it.
    pub fn to_value(&self) -> Value {
        Value::object([
            (
                "records",
                Value::Array(self.records.iter().map(ConsentRecord::to_value).collect()),
            ),
            ("errors", errors_to_value(&self.errors)),
        ])
    }
}

/// Row errors as the JavaScript API returns them: `[{ line, message }]`.
pub(super) fn errors_to_value(errors: &[CsvError]) -> Value {
    let error = |e: &CsvError| {
        Value::object([
            ("line", Value::Number(e.line as f64)),
            ("message", Value::String(e.message.clone())),
        ])
    };
    Value::Array(errors.iter().map(error).collect())
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

/// Parse a consent table. Bad rows are reported with their line and left out; the others are
/// kept. A header that lacks a required column yields that one error and no records.
pub fn parse_consent_csv(text: &str) -> ParsedCsv {
    let mut parsed = ParsedCsv::default();
    let errors = read_rows(text, |row| parsed.records.push(row.into_record()));
    parsed.errors = errors;
    parsed
}

/// Read every row of a consent table, handing each good one to `accept`; returns the errors.
/// Fields borrow from `text` wherever they can, so reading allocates little.
pub(super) fn read_rows<'a>(text: &'a str, mut accept: impl FnMut(Row<'a>)) -> Vec<CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        separator: guess_separator(text),
    };
    let mut errors = Vec::new();
    let mut fields: Vec<Cow<'a, str>> = Vec::new();

    let columns = loop {
        let line = reader.line;
        match reader.next_row(&mut fields) {
            None => {
                errors.push(CsvError {
                    line: 1,
                    message: "the text has no header row".into(),
                });
                return errors;
            }
            Some(Err(message)) => {
                errors.push(CsvError { line, message });
                return errors;
            }
            Some(Ok(())) if is_blank(&fields) => continue,
            Some(Ok(())) => match read_header(&fields) {
                Ok(columns) => break columns,
                Err(message) => {
                    errors.push(CsvError { line, message });
                    return errors;
                }
            },
        }
    };

    loop {
        let line = reader.line;
        match reader.next_row(&mut fields) {
            None => break,
            Some(Err(message)) => errors.push(CsvError { line, message }),
            Some(Ok(())) if is_blank(&fields) => {}
            Some(Ok(())) => match read_record(&columns, &mut fields) {
                Ok(row) => accept(row),
                Err(message) => errors.push(CsvError { line, message }),
            },
        }
    }
    errors
}

fn is_blank(fields: &[Cow<str>]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

/// `,` unless the first line has none and has `;` or a tab.
fn guess_separator(text: &str) -> u8 {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first_line.contains(',') {
        b','
    } else if first_line.contains(';') {
        b';'
    } else if first_line.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

fn read_header(fields: &[Cow<str>]) -> Result<Columns, String> {
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
            return Err(format!(
                "the header names the column '{}' twice",
                field.trim()
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
        Err(format!(
            "the header has no {} column",
            missing.join(", no ")
        ))
    }
}

/// A header cell compared without case, extra spaces or a trailing `(note)`.
fn header_name(field: &str) -> String {
    let mut name = field.trim();
    if name.ends_with(')') {
        if let Some(open) = name.rfind('(') {
            name = name.get(..open).unwrap_or(name).trim_end();
        }
    }
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// A field trimmed, keeping the borrow when it can.
fn trimmed(field: Cow<'_, str>) -> Cow<'_, str> {
    match field {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
    }
}

fn read_record<'a>(columns: &Columns, fields: &mut [Cow<'a, str>]) -> Result<Row<'a>, String> {
    if fields.len() != columns.count {
        return Err(format!(
            "the row has {} fields, the header has {}",
            fields.len(),
            columns.count
        ));
    }
    let mut take = |index: Option<usize>| -> Option<Cow<'a, str>> {
        let field = trimmed(std::mem::take(fields.get_mut(index?)?));
        (!field.is_empty()).then_some(field)
    };
    let email = take(columns.email);
    let phone = take(columns.phone);
    let option = take(columns.option);
    let raw_value = take(columns.value);
    let date = take(columns.date);
    let consent_id = take(columns.consent_id);

    let key = email.or(phone).ok_or_else(|| {
        match (columns.email, columns.phone) {
            (Some(_), Some(_)) => "neither Email nor Phone has a value",
            (Some(_), None) => "Email has no value",
            _ => "Phone has no value",
        }
        .to_string()
    })?;
    let option = option.ok_or("Consent option has no value")?;
    let raw_value = raw_value.ok_or("Consent value has no value")?;
    let value = parse_consent_value(&raw_value).ok_or_else(|| {
        format!("Consent value '{raw_value}' is not one of true/false, yes/no, 1/0")
    })?;
    let date = match date {
        None => None,
        Some(text) => match ConsentDate::parse(&text) {
            Some(parsed) => Some((text, parsed)),
            None => {
                return Err(format!(
                    "Consent date '{text}' is not an ISO 8601 date or date-time"
                ))
            }
        },
    };
    let key = normalized_key(key);
    if key.is_empty() {
        return Err("the Email or Phone value has no characters left once normalized".to_string());
    }
    Ok(Row {
        consent_id,
        key,
        option,
        value,
        date,
    })
}

/// The normalized key, borrowing when normalization changes nothing.
fn normalized_key(key: Cow<'_, str>) -> Cow<'_, str> {
    let normalized = normalize_key(&key);
    if normalized == *key {
        key
    } else {
        Cow::Owned(normalized)
    }
}

/// An RFC 4180 reader over bytes (the separators and quotes are ASCII, so UTF-8 stays intact):
/// fields separated by the separator, rows by CRLF, LF or CR, `"…"` quoting with `""` for a
/// quote, and line breaks allowed inside quotes.
struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    line: usize,
    separator: u8,
}

impl<'a> Reader<'a> {
    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// Read the next row into `fields`; `None` at the end of the text.
    fn next_row(&mut self, fields: &mut Vec<Cow<'a, str>>) -> Option<Result<(), String>> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        fields.clear();
        let mut error = None;
        loop {
            let (field, ended) = match self.bytes.get(self.pos) {
                Some(b'"') => match self.quoted_field() {
                    Ok(done) => done,
                    Err(message) => {
                        // The quote ran to the end of the text: everything after it belongs to this row.
                        self.pos = self.bytes.len();
                        return Some(Err(message));
                    }
                },
                _ => self.plain_field(),
            };
            fields.push(field);
            match ended {
                FieldEnd::Separator => {}
                FieldEnd::Row => break,
                FieldEnd::TextAfterQuote(column) => {
                    error.get_or_insert(format!("text after a closing quote (column {column})"));
                    // Skip the rest of the field.
                    let (_, end) = self.plain_field();
                    if !matches!(end, FieldEnd::Separator) {
                        break;
                    }
                }
            }
        }
        Some(error.map_or(Ok(()), Err))
    }

    /// Consume a line break at the current position, if any, and count it.
    fn end_of_row(&mut self) -> bool {
        match self.bytes.get(self.pos) {
            Some(b'\r') => {
                self.pos += if self.bytes.get(self.pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.line += 1;
                true
            }
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                true
            }
            None => true,
            _ => false,
        }
    }

    fn plain_field(&mut self) -> (Cow<'a, str>, FieldEnd) {
        let start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            if b == self.separator {
                let field = self.slice(start, self.pos);
                self.pos += 1;
                return (Cow::Borrowed(field), FieldEnd::Separator);
            }
            if b == b'\n' || b == b'\r' {
                break;
            }
            self.pos += 1;
        }
        let field = self.slice(start, self.pos);
        self.end_of_row();
        (Cow::Borrowed(field), FieldEnd::Row)
    }

    fn quoted_field(&mut self) -> Result<(Cow<'a, str>, FieldEnd), String> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run_start = start;
        loop {
            match self.bytes.get(self.pos) {
                None => return Err("a quoted field is not closed".into()),
                Some(b'"') if self.bytes.get(self.pos + 1) == Some(&b'"') => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(self.slice(run_start, self.pos + 1));
                    self.pos += 2;
                    run_start = self.pos;
                }
                Some(b'"') => break,
                Some(b'\n') => {
                    self.line += 1;
                    self.pos += 1;
                }
                Some(b'\r') => {
                    if self.bytes.get(self.pos + 1) != Some(&b'\n') {
                        self.line += 1;
                    }
                    self.pos += 1;
                }
                Some(_) => self.pos += 1,
            }
        }
        let field = match owned {
            None => Cow::Borrowed(self.slice(start, self.pos)),
            Some(mut text) => {
                text.push_str(self.slice(run_start, self.pos));
                Cow::Owned(text)
            }
        };
        self.pos += 1; // the closing quote
                       // Spaces after the closing quote are tolerated; anything else is an error.
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(&b) if b == self.separator => {
                self.pos += 1;
                Ok((field, FieldEnd::Separator))
            }
            _ if self.end_of_row() => Ok((field, FieldEnd::Row)),
            _ => Ok((field, FieldEnd::TextAfterQuote(self.column()))),
        }
    }

    /// 1-based column (in characters) of the current position on its line.
    fn column(&self) -> usize {
        let before = self.slice(0, self.pos);
        let line_start = before.rfind(['\n', '\r']).map_or(0, |p| p + 1);
        before.get(line_start..).map_or(0, |s| s.chars().count()) + 1
    }
}

/// How a field ended.
enum FieldEnd {
    Separator,
    Row,
    /// Text follows a closing quote, at this column.
    TextAfterQuote(usize),
}
