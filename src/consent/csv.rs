//! Reading consent tables from CSV (RFC 4180), with an error per bad row and its line number.
//!
//! The header names the columns in any order and case: `Consent ID`, `Email` and/or `Phone`,
//! `Consent option`, `Consent value`, and optionally `Consent date`. A note in parentheses after
//! a name is ignored, so the seed's `Consent ID (primary key)` reads as `Consent ID`. Files
//! exported with `;` or tab separators (Excel does so in many European locales) are read too.

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
        let errors = self
            .errors
            .iter()
            .map(|e| {
                Value::object([
                    ("line", Value::Number(e.line as f64)),
                    ("message", Value::String(e.message.clone())),
                ])
            })
            .collect();
        Value::object([
            (
                "records",
                Value::Array(self.records.iter().map(ConsentRecord::to_value).collect()),
            ),
            ("errors", Value::Array(errors)),
        ])
    }
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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let separator = guess_separator(text);
    let mut rows = Rows {
        text,
        pos: 0,
        line: 1,
        separator,
    };
    let mut parsed = ParsedCsv::default();

    let columns = loop {
        match rows.next() {
            None => {
                parsed.errors.push(CsvError {
                    line: 1,
                    message: "the text has no header row".into(),
                });
                return parsed;
            }
            Some(Err(error)) => {
                parsed.errors.push(error);
                return parsed;
            }
            Some(Ok(row)) if row.is_blank() => continue,
            Some(Ok(row)) => match read_header(&row.fields) {
                Ok(columns) => break columns,
                Err(message) => {
                    parsed.errors.push(CsvError {
                        line: row.line,
                        message,
                    });
                    return parsed;
                }
            },
        }
    };

    for row in rows {
        match row {
            Err(error) => parsed.errors.push(error),
            Ok(row) if row.is_blank() => {}
            Ok(row) => match read_record(&columns, &row.fields) {
                Ok(record) => parsed.records.push(record),
                Err(message) => parsed.errors.push(CsvError {
                    line: row.line,
                    message,
                }),
            },
        }
    }
    parsed
}

/// `,` unless the first line has none and has `;` or a tab.
fn guess_separator(text: &str) -> char {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first_line.contains(',') {
        ','
    } else if first_line.contains(';') {
        ';'
    } else if first_line.contains('\t') {
        '\t'
    } else {
        ','
    }
}

fn read_header(fields: &[String]) -> Result<Columns, String> {
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

fn read_record(columns: &Columns, fields: &[String]) -> Result<ConsentRecord, String> {
    if fields.len() != columns.count {
        return Err(format!(
            "the row has {} fields, the header has {}",
            fields.len(),
            columns.count
        ));
    }
    let cell = |index: Option<usize>| {
        index
            .and_then(|i| fields.get(i))
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
    };

    let key = cell(columns.email).or(cell(columns.phone)).ok_or_else(|| {
        match (columns.email, columns.phone) {
            (Some(_), Some(_)) => "neither Email nor Phone has a value",
            (Some(_), None) => "Email has no value",
            _ => "Phone has no value",
        }
        .to_string()
    })?;
    let option = cell(columns.option).ok_or("Consent option has no value")?;
    let raw_value = cell(columns.value).ok_or("Consent value has no value")?;
    let value = parse_consent_value(raw_value).ok_or_else(|| {
        format!("Consent value '{raw_value}' is not one of true/false, yes/no, 1/0")
    })?;
    let date = cell(columns.date);
    if let Some(date) = date {
        if ConsentDate::parse(date).is_none() {
            return Err(format!(
                "Consent date '{date}' is not an ISO 8601 date or date-time"
            ));
        }
    }
    Ok(ConsentRecord {
        consent_id: cell(columns.consent_id).map(str::to_string),
        key: normalize_key(key),
        option: option.to_string(),
        value,
        date: date.map(str::to_string),
    })
}

/// One row of fields and the line it starts on.
struct Row {
    line: usize,
    fields: Vec<String>,
}

impl Row {
    fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// An RFC 4180 reader: fields separated by the separator, rows by CRLF, LF or CR, `"…"` quoting
/// with `""` for a quote, and line breaks allowed inside quotes.
struct Rows<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    separator: char,
}

impl Iterator for Rows<'_> {
    type Item = Result<Row, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.text.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let start_line = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = rest.char_indices().peekable();
        let mut quoted = false;
        let mut field_started_quoted = false;
        let mut after_quote = false;
        let mut error: Option<String> = None;
        let mut consumed = rest.len();

        while let Some((i, c)) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek().is_some_and(|(_, n)| *n == '"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => {
                        quoted = false;
                        after_quote = true;
                    }
                    '\n' => {
                        self.line += 1;
                        field.push(c);
                    }
                    '\r' => {
                        if !chars.peek().is_some_and(|(_, n)| *n == '\n') {
                            self.line += 1;
                        }
                        field.push(c);
                    }
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                c if c == self.separator => {
                    fields.push(std::mem::take(&mut field));
                    field_started_quoted = false;
                    after_quote = false;
                }
                '\r' | '\n' => {
                    if c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n') {
                        chars.next();
                    }
                    self.line += 1;
                    consumed = chars.peek().map_or(rest.len(), |(j, _)| *j);
                    break;
                }
                '"' if field.is_empty() && !field_started_quoted => {
                    quoted = true;
                    field_started_quoted = true;
                }
                _ if after_quote => {
                    if c != ' ' && c != '\t' && error.is_none() {
                        error = Some(format!(
                            "text after a closing quote (column {})",
                            column_of(rest, i)
                        ));
                    }
                }
                _ => field.push(c),
            }
        }
        self.pos += consumed;
        if quoted {
            // The quote ran to the end of the text: everything after it belongs to this row.
            self.pos = self.text.len();
            return Some(Err(CsvError {
                line: start_line,
                message: "a quoted field is not closed".into(),
            }));
        }
        fields.push(field);
        Some(match error {
            Some(message) => Err(CsvError {
                line: start_line,
                message,
            }),
            None => Ok(Row {
                line: start_line,
                fields,
            }),
        })
    }
}

/// 1-based column of byte offset `i` on its line of `text`.
fn column_of(text: &str, i: usize) -> usize {
    let before = text.get(..i).unwrap_or("");
    let line_start = before.rfind(['\n', '\r']).map_or(0, |p| p + 1);
    before.get(line_start..).map_or(0, |s| s.chars().count()) + 1
}
