//! Consent records in the Customer Insights style: parse them, unify them by email or phone,
//! and select profiles with segment rules such as `Consent option=Newsletter & Consent value=True`.
//!
//! Reading a table, numbering its keys and options and unifying its rows is the work of the
//! `consent-table` crate, compiled for speed; this module gives it its JavaScript shapes and
//! adds records given as data and the segment rules.

use crate::prelude::*;
use alloc::borrow::Cow;
mod columns;
mod records;
mod segment;
mod stream;

use crate::value::{Input, InputError, Value};
use consent_table::csv::ascii_without_capitals;
use consent_table::{csv, table, unify};

pub use columns::{
    columns_of_records, profiles_of, records_of_columns, rule_reads, select_columns, unify_columns,
    ProfileColumns, RecordColumns, HAS_DATE, HAS_ID, OPTION_SHIFT, READS_DATES, READS_IDS, VALUE,
};
pub use consent_table::csv::{ConsentReader, CsvError};
pub use consent_table::date::ConsentDate;
pub use consent_table::{fold_char, parse_consent_value, trim};
pub use records::{parse_consent_csv, record_of, unify_consent, ParsedCsv, UnifyError};
pub use segment::{evaluate_segment, parse_rule, unreadable_date, Rule, RuleError};
pub use stream::Streams;

/// One consent as a source holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsentRecord {
    /// The primary key: a later record with the same ID updates the consent.
    pub consent_id: Option<String>,
    /// The alternate key the profile is unified on: an email address or a phone number.
    pub key: String,
    /// The type of consent, e.g. `Newsletter`.
    pub option: String,
    /// Whether the person consents.
    pub value: bool,
    /// ISO 8601 date or date-time of the consent.
    pub date: Option<String>,
}

/// The current consent for one option of a profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Consent {
    pub value: bool,
    pub date: Option<String>,
    pub consent_id: Option<String>,
}

/// A unified customer profile: one key and its current consent per option.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsentProfile {
    pub key: String,
    /// Options and their consents, in the order the options first appeared.
    pub consents: Vec<(String, Consent)>,
}

/// The members of a segment of a consent table, and the rows that were left out.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvSegment {
    pub keys: Vec<String>,
    pub errors: Vec<CsvError>,
    /// How many unified profiles the rule was applied to.
    pub profiles: usize,
}

/// Parse `csv`, unify it and apply `rule`, in one go: what `parseConsentCsv`, `unifyConsent`
/// and `evaluateSegment` do together, without handing every record across the boundary.
///
/// # Errors
/// A [`RuleError`] when the rule does not parse (checked before the table is read).
pub fn evaluate_segment_csv(rule: &str, csv: &str) -> Result<CsvSegment, RuleError> {
    let rule = parse_rule(rule)?;
    // About 64 bytes a row: room for most tables without growing.
    let mut table = table::Table::with_capacity(csv.len() / 64);
    let errors = csv::read_all(csv, &mut |row| table.push(row));
    let profiles = rule.unify(&mut table);
    Ok(CsvSegment {
        keys: rule.select_unified(&table, &profiles),
        errors,
        profiles: profiles.len(),
    })
}

impl CsvSegment {
    /// The result as the JavaScript API returns it.
    pub fn to_value(&self) -> Value {
        Value::object([
            (
                "keys",
                Value::Array(self.keys.iter().map(|k| Value::String(k.clone())).collect()),
            ),
            ("errors", errors_to_value(&self.errors)),
            ("profiles", Value::Number(self.profiles as f64)),
        ])
    }
}

/// An optional text field: absent or null is `None`.
fn optional_text(input: Input) -> Result<Option<String>, InputError> {
    if input.is_null() {
        Ok(None)
    } else {
        input.str().map(|s| Some(s.to_string()))
    }
}

fn text(input: Input) -> Result<String, InputError> {
    input.str().map(str::to_string)
}

/// Adds the field to `fields` when there is a value.
fn push_optional(fields: &mut Vec<(String, Value)>, name: &str, text: Option<&str>) {
    if let Some(text) = text {
        fields.push((name.to_string(), Value::String(text.to_string())));
    }
}

impl ConsentRecord {
    /// Read `{ consentId?, key, option, value, date? }`.
    ///
    /// # Errors
    /// A wrong type, a missing or an unknown field, naming its path.
    pub fn read(input: Input) -> Result<ConsentRecord, InputError> {
        let fields = input.object(&["consentId", "key", "option", "value", "date"])?;
        Ok(ConsentRecord {
            consent_id: fields
                .optional("consentId")
                .map(optional_text)
                .transpose()?
                .flatten(),
            key: fields.required("key").and_then(text)?,
            option: fields.required("option").and_then(text)?,
            value: fields.required("value").and_then(|v| v.bool())?,
            date: fields
                .optional("date")
                .map(optional_text)
                .transpose()?
                .flatten(),
        })
    }

    /// The record as the JavaScript API returns it; absent fields are left out.
    pub fn to_value(&self) -> Value {
        let mut fields = Vec::with_capacity(5);
        push_optional(&mut fields, "consentId", self.consent_id.as_deref());
        fields.push(("key".into(), Value::String(self.key.clone())));
        fields.push(("option".into(), Value::String(self.option.clone())));
        fields.push(("value".into(), Value::Bool(self.value)));
        push_optional(&mut fields, "date", self.date.as_deref());
        Value::Object(fields)
    }
}

impl ConsentProfile {
    /// Read `{ key, consents: { [option]: { value, date?, consentId? } } }`.
    ///
    /// # Errors
    /// A wrong type, a missing or an unknown field, naming its path.
    pub fn read(input: Input) -> Result<ConsentProfile, InputError> {
        let fields = input.object(&["key", "consents"])?;
        let key = fields.required("key").and_then(text)?;
        let consents = fields.required("consents").and_then(|consents| {
            let mut out = Vec::new();
            for (option, value) in consents.entries()? {
                let input = Input {
                    value,
                    path: crate::value::Path::Field(&consents.path, option),
                };
                let consent = input.object(&["value", "date", "consentId"])?;
                out.push((
                    option.clone(),
                    Consent {
                        value: consent.required("value").and_then(|v| v.bool())?,
                        date: consent
                            .optional("date")
                            .map(optional_text)
                            .transpose()?
                            .flatten(),
                        consent_id: consent
                            .optional("consentId")
                            .map(optional_text)
                            .transpose()?
                            .flatten(),
                    },
                ));
            }
            Ok(out)
        })?;
        Ok(ConsentProfile { key, consents })
    }

    /// The profile as the JavaScript API returns it.
    pub fn to_value(&self) -> Value {
        let consents = self
            .consents
            .iter()
            .map(|(option, consent)| {
                let mut fields = vec![("value".to_string(), Value::Bool(consent.value))];
                push_optional(&mut fields, "date", consent.date.as_deref());
                push_optional(&mut fields, "consentId", consent.consent_id.as_deref());
                (option.clone(), Value::Object(fields))
            })
            .collect();
        Value::object([
            ("key", Value::String(self.key.clone())),
            ("consents", Value::Object(consents)),
        ])
    }
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

/// The key a profile is unified on: an email trimmed and lowercased, or a phone number without
/// spaces, dashes, dots and parentheses (a leading `+` kept). Text with an `@` is an email.
///
/// Borrowed when the key is already normalized, as every key of a table the reader read is:
/// a table of a million records then makes no copy of its keys to unify them.
pub fn normalize_key(key: &str) -> Cow<'_, str> {
    let key = trim(key);
    let dropped = |c: char| c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')');
    if key.contains('@') {
        if ascii_without_capitals(key.as_bytes()) {
            Cow::Borrowed(key)
        } else {
            Cow::Owned(fold_case(key))
        }
    } else if !key.contains(dropped) {
        Cow::Borrowed(key)
    } else if key.is_ascii() {
        // A byte at a time: most numbers are ASCII.
        Cow::Owned(
            key.bytes()
                .map(char::from)
                .filter(|c| !dropped(*c))
                .collect(),
        )
    } else {
        Cow::Owned(key.chars().filter(|c| !dropped(*c)).collect())
    }
}

/// `text` with every character passed through [`fold_char`].
pub fn fold_case(text: &str) -> String {
    if text.is_ascii() {
        // What `fold_char` does to ASCII, a byte at a time.
        text.to_ascii_lowercase()
    } else {
        text.chars().map(fold_char).collect()
    }
}

/// Text equality as segment rules and option names use it: case-insensitive.
/// `folded` must already be passed through [`fold_case`].
fn eq_caseless(text: &str, folded: &str) -> bool {
    if text.is_ascii() && folded.is_ascii() {
        text.eq_ignore_ascii_case(folded)
    } else {
        text.chars().map(fold_char).eq(folded.chars())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalize() {
        let cases = [
            ("  Holly@Contoso.COM ", "holly@contoso.com"),
            ("frank@contoso.com", "frank@contoso.com"),
            ("+31 (0)20-123.45 67", "+310201234567"),
            ("020 123 4567", "0201234567"),
            (" +1 (425) 555-0100 ", "+14255550100"),
            ("+14255550100", "+14255550100"),
            ("Émile@X.fr", "émile@x.fr"),
            ("émile@x.fr", "émile@x.fr"),
            ("ab@x.nL", "ab@x.nl"),
        ];
        for (raw, normalized) in cases {
            assert_eq!(normalize_key(raw), normalized, "{raw:?}");
        }
    }

    #[test]
    fn caseless_text() {
        assert!(eq_caseless("Newsletter", "newsletter"));
        assert!(eq_caseless("ÉTÉ", "été"));
        assert!(eq_caseless("ŒUVRES Ÿ", "œuvres ÿ"));
        assert!(eq_caseless("Straße", "straße"));
        assert!(!eq_caseless("Newsletters", "newsletter"));
        assert_eq!(fold_case("Événements & ÇA"), "événements & ça");
    }
}
