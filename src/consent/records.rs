//! Consent records given as data (from the CSV reader or from JavaScript): checked, normalized,
//! numbered in a [`Table`] and unified into profiles.

use crate::prelude::*;
use crate::text::{build_text, push_text, Piece};
use core::fmt;

use super::table::{Row, Table};
use super::{normalize_key, trim, Consent, ConsentDate, ConsentProfile, ConsentRecord, CsvError};
use consent_table::csv::read_all;

/// The rows that were read, and the ones that were not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedCsv {
    pub records: Vec<ConsentRecord>,
    pub errors: Vec<CsvError>,
}

/// Parse a consent table. Bad rows are reported with their line and left out; the others are
/// kept. A header that lacks a required column yields that one error and no records.
pub fn parse_consent_csv(text: &str) -> ParsedCsv {
    let mut records = Vec::new();
    let errors = read_all(text, &mut |row: &Row| records.push(record_of(row)));
    ParsedCsv { records, errors }
}

/// A row as an owned record.
pub fn record_of(row: &Row) -> ConsentRecord {
    ConsentRecord {
        consent_id: row.consent_id.map(str::to_string),
        key: row.key.to_string(),
        option: row.option.to_string(),
        value: row.value,
        date: row.date.map(|(text, _)| text.to_string()),
    }
}

/// A record that cannot be unified.
#[derive(Clone, Debug, PartialEq)]
pub struct UnifyError {
    /// Index of the record in the input.
    pub index: usize,
    /// The field at fault.
    pub field: &'static str,
    pub message: String,
}

impl Piece for UnifyError {
    fn push_to(&self, out: &mut String) {
        push_text!(*out, "[", self.index, "].", self.field, ": ", self.message);
    }
}

impl fmt::Display for UnifyError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl core::error::Error for UnifyError {}

/// A record given as data, borrowed.
pub struct RecordRef<'a> {
    pub consent_id: Option<&'a str>,
    pub key: &'a str,
    pub option: &'a str,
    pub value: bool,
    pub date: Option<&'a str>,
}

/// Check and normalize record number `index`, given as data, and add it to `table`.
pub fn add_record(table: &mut Table, index: usize, record: RecordRef) -> Result<(), UnifyError> {
    let key = normalize_key(record.key);
    if key.is_empty() {
        return Err(UnifyError {
            index,
            field: "key",
            message: "the key is empty".into(),
        });
    }
    if trim(record.option).is_empty() {
        return Err(UnifyError {
            index,
            field: "option",
            message: "the option is empty".into(),
        });
    }
    let date = match record.date {
        None => None,
        Some(text) => Some((
            text,
            ConsentDate::parse_with(text, &mut table.days).ok_or_else(|| UnifyError {
                index,
                field: "date",
                message: build_text!(
                    "'",
                    text,
                    "' is not a date or date-time written as 2024-05-03 or 2024-05-03T10:15:00Z"
                ),
            })?,
        )),
    };
    table.push(&Row {
        consent_id: record.consent_id,
        key: &key,
        option: record.option,
        value: record.value,
        date,
    });
    Ok(())
}

/// Check and normalize records given as data, into a table whose row `i` is record `i`.
fn table_of(records: &[ConsentRecord]) -> Result<Table, UnifyError> {
    let mut table = Table::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let record = RecordRef {
            consent_id: record.consent_id.as_deref(),
            key: &record.key,
            option: &record.option,
            value: record.value,
            date: record.date.as_deref(),
        };
        add_record(&mut table, index, record)?;
    }
    Ok(table)
}

/// Unify records into profiles.
///
/// # Errors
/// A record whose key is empty after normalization, whose option is empty, or whose date is
/// not ISO 8601; the error names the record's index and field.
pub fn unify_consent(records: &[ConsentRecord]) -> Result<Vec<ConsentProfile>, UnifyError> {
    let mut table = table_of(records)?;
    let unified = table.unify();
    let profiles = unified.iter().filter_map(|(key, current)| {
        let consents = current
            .filter_map(|current| {
                // The current record's own spelling, date text and Consent ID.
                let record = records.get(current as usize)?;
                Some((
                    record.option.clone(),
                    Consent {
                        value: record.value,
                        date: record.date.clone(),
                        consent_id: record.consent_id.clone(),
                    },
                ))
            })
            .collect();
        Some(ConsentProfile {
            key: table.keys.get(key)?.to_string(),
            consents,
        })
    });
    Ok(profiles.collect())
}
