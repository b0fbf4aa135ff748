//! Records and profiles handed over as columns: the paths of `unifyConsent` and
//! `evaluateSegment` for input that is plainly well formed.
//!
//! The script puts every text of a call back to back in one UTF-8 buffer, with the length of
//! each in UTF-16 units (what the script counts for free), and each record's or consent's
//! booleans as the bits of a byte. A table of a million records then crosses as three arrays
//! instead of a hundred megabytes of JSON to write, read and parse back on the other side. The
//! answers are numbers too: which records make each profile, which profiles a rule selects; the
//! script builds the documented objects from the values it handed over.
//!
//! They give up on anything that is not plainly right (a record that does not unify, a rule
//! that does not parse, lengths that do not fit the text): the script then makes the call as
//! JSON (see `calls`), whose errors name what is wrong. Either way the answer is the same; the
//! tests compare them, through the helpers at the end of this file that build and read columns
//! as the script does.

use super::records::{add_record, RecordRef};
use super::segment::{parse_rule, ConsentView};
use super::table::Table;
use super::{Consent, ConsentDate, ConsentProfile, ConsentRecord};
use crate::prelude::*;
use consent_table::columns::{utf16_length, Texts};
pub use consent_table::columns::{RecordColumns, HAS_DATE, HAS_ID, VALUE};

/// `unifyConsent` on records given as columns. Per record, `text` and `lengths` hold four texts (its
/// Consent ID, key, option and date; an absent one is empty) and `flags` one byte.
///
/// Writes the profiles into `shape`: their number, then per profile the length of its key in
/// UTF-16 units, its number of consents and the numbers of the records that hold them (3 × the
/// records + 1 entries always suffice). Answers the profiles' keys back to back; none when a
/// record does not unify, the texts do not fit their lengths or `shape` is too short.
pub fn unify_columns(
    text: &str,
    lengths: &[u32],
    flags: &[u8],
    shape: &mut [u32],
) -> Option<String> {
    let mut texts = Texts::new(text, lengths);
    let mut table = Table::with_capacity(flags.len());
    for (index, &flag) in flags.iter().enumerate() {
        let consent_id = texts.next()?;
        let key = texts.next()?;
        let option = texts.next()?;
        let date = texts.next()?;
        let record = RecordRef {
            consent_id: (flag & HAS_ID != 0).then_some(consent_id),
            key,
            option,
            value: flag & VALUE != 0,
            date: (flag & HAS_DATE != 0).then_some(date),
        };
        add_record(&mut table, index, record).ok()?;
    }
    if !texts.at_end() {
        return None;
    }
    let profiles = table.unify();
    let mut keys = String::new();
    let mut out = shape.iter_mut();
    *out.next()? = profiles.len() as u32;
    for (key, current) in profiles.iter() {
        let key = table.keys.get(key)?;
        keys.push_str(key);
        *out.next()? = utf16_length(key);
        *out.next()? = current.clone().count() as u32;
        for record in current {
            *out.next()? = record;
        }
    }
    Some(keys)
}

/// Bit of [`rule_reads`]: the rule reads consents' dates.
pub const READS_DATES: i32 = 1;
/// Bit of [`rule_reads`]: the rule reads consents' Consent IDs.
pub const READS_IDS: i32 = 2;

/// What of a consent `rule` reads besides its option and value ([`READS_DATES`],
/// [`READS_IDS`]), so that the script hands over only that; -1 when the rule does not parse.
pub fn rule_reads(rule: &str) -> i32 {
    match parse_rule(rule) {
        Ok(rule) => {
            (if rule.reads_dates() { READS_DATES } else { 0 })
                | (if rule.reads_ids() { READS_IDS } else { 0 })
        }
        Err(_) => -1,
    }
}

/// Bits of a consent's entry in [`select_columns`] below its option's number.
pub const OPTION_SHIFT: u32 = 3;

/// `evaluateSegment` on profiles given as columns.
///
/// - `text` and `lengths` hold the options, each once (`option_count` of them), then, only when the rule
///   reads them ([`rule_reads`]), each consent's date and Consent ID (an absent one is empty).
/// - `counts` holds each profile's number of consents.
/// - `consents` holds per consent its flags, and its option's number shifted by
///   [`OPTION_SHIFT`].
///
/// Answers the numbers of the profiles `rule` selects, in order; none when the rule does not
/// parse or the texts do not fit their lengths.
pub fn select_columns(
    rule: &str,
    text: &str,
    lengths: &[u32],
    option_count: u32,
    counts: &[u32],
    consents: &[u32],
) -> Option<Vec<u32>> {
    let rule = parse_rule(rule).ok()?;
    let reads_dates = rule.reads_dates();
    let reads_extra = reads_dates || rule.reads_ids();
    let mut texts = Texts::new(text, lengths);
    let options = (0..option_count)
        .map(|_| texts.next())
        .collect::<Option<Vec<&str>>>()?;
    // A rule that reads only options and values is decided once per option and value.
    let decided: Vec<[bool; 2]> = if reads_extra {
        Vec::new()
    } else {
        let decide = |option: &str, value: bool| {
            rule.matches(&ConsentView {
                option,
                value,
                date: None,
                consent_id: None,
            })
        };
        options
            .iter()
            .map(|option| [decide(option, false), decide(option, true)])
            .collect()
    };
    let mut consents = consents.iter();
    let mut selected = Vec::new();
    for (profile, &count) in counts.iter().enumerate() {
        let mut any = false;
        for _ in 0..count {
            let consent = *consents.next()?;
            let number = (consent >> OPTION_SHIFT) as usize;
            let value = consent & u32::from(VALUE) != 0;
            any |= if reads_extra {
                let (date, consent_id) = (texts.next()?, texts.next()?);
                let has = |flag: u8| consent & u32::from(flag) != 0;
                // A date the rule reads that is not one: the JSON path names it.
                let date = match reads_dates && has(HAS_DATE) {
                    true => Some(ConsentDate::parse(date)?.instant()),
                    false => None,
                };
                rule.matches(&ConsentView {
                    option: options.get(number)?,
                    value,
                    date,
                    consent_id: has(HAS_ID).then_some(consent_id),
                })
            } else {
                *decided.get(number)?.get(usize::from(value))?
            };
        }
        if any {
            selected.push(profile as u32);
        }
    }
    (texts.at_end() && consents.len() == 0).then_some(selected)
}

// What the script does with columns, for the tests and the fuzzer to check the module's side
// against: nothing at the boundary calls these, so they are not in the module.

/// Records as the script hands them to [`unify_columns`].
#[doc(hidden)]
pub fn columns_of_records(records: &[ConsentRecord]) -> RecordColumns {
    let mut columns = RecordColumns::default();
    for record in records {
        columns.push_record(
            record.consent_id.as_deref(),
            &record.key,
            &record.option,
            record.value,
            record.date.as_deref(),
        );
    }
    columns
}

/// The records `columns` hold, read as the script reads `parseConsentCsv`'s; none when the
/// texts do not fit their lengths.
#[doc(hidden)]
pub fn records_of_columns(columns: &RecordColumns) -> Option<Vec<ConsentRecord>> {
    let mut texts = Texts::new(&columns.text, &columns.lengths);
    let mut records = Vec::with_capacity(columns.flags.len());
    for &flag in &columns.flags {
        let (consent_id, key, option, date) =
            (texts.next()?, texts.next()?, texts.next()?, texts.next()?);
        records.push(ConsentRecord {
            consent_id: (flag & HAS_ID != 0).then(|| consent_id.to_string()),
            key: key.to_string(),
            option: option.to_string(),
            value: flag & VALUE != 0,
            date: (flag & HAS_DATE != 0).then(|| date.to_string()),
        });
    }
    texts.at_end().then_some(records)
}

/// The profiles of [`unify_columns`]'s answer (`keys` and `shape`), built as the script builds
/// them from the `records` it handed over.
#[doc(hidden)]
pub fn profiles_of(
    keys: &str,
    shape: &[u32],
    records: &[ConsentRecord],
) -> Option<Vec<ConsentProfile>> {
    let mut shape = shape.iter().map(|&n| n as usize);
    let count = shape.next()?;
    let mut keys = keys;
    let mut profiles = Vec::with_capacity(count);
    for _ in 0..count {
        let key_length = consent_table::columns::utf8_length(keys, shape.next()?)?;
        let (key, rest) = keys.split_at_checked(key_length)?;
        keys = rest;
        let mut consents = Vec::new();
        for _ in 0..shape.next()? {
            let record = records.get(shape.next()?)?;
            let consent = Consent {
                value: record.value,
                date: record.date.clone(),
                consent_id: record.consent_id.clone(),
            };
            consents.push((record.option.clone(), consent));
        }
        profiles.push(ConsentProfile {
            key: key.to_string(),
            consents,
        });
    }
    keys.is_empty().then_some(profiles)
}

/// Profiles as the script hands them to [`select_columns`].
#[derive(Debug, Default)]
#[doc(hidden)]
pub struct ProfileColumns {
    pub text: String,
    pub lengths: Vec<u32>,
    pub option_count: u32,
    pub counts: Vec<u32>,
    pub consents: Vec<u32>,
}

impl ProfileColumns {
    /// `profiles` for a rule that reads `reads` ([`rule_reads`]).
    pub fn of_profiles(profiles: &[ConsentProfile], reads: i32) -> ProfileColumns {
        let mut options: Vec<&str> = Vec::new();
        let (mut extra_text, mut extra_lengths) = (String::new(), Vec::new());
        let mut columns = ProfileColumns::default();
        for profile in profiles {
            columns.counts.push(profile.consents.len() as u32);
            for (option, consent) in &profile.consents {
                let number = match options.iter().position(|known| known == option) {
                    Some(number) => number,
                    None => {
                        options.push(option);
                        options.len() - 1
                    }
                };
                if reads & (READS_DATES | READS_IDS) != 0 {
                    for text in [&consent.date, &consent.consent_id] {
                        let text = text.as_deref().unwrap_or("");
                        extra_text.push_str(text);
                        extra_lengths.push(utf16_length(text));
                    }
                }
                let flag = |set: bool, flag: u8| if set { u32::from(flag) } else { 0 };
                columns.consents.push(
                    ((number as u32) << OPTION_SHIFT)
                        | flag(consent.value, VALUE)
                        | flag(consent.consent_id.is_some(), HAS_ID)
                        | flag(consent.date.is_some(), HAS_DATE),
                );
            }
        }
        for option in &options {
            columns.text.push_str(option);
            columns.lengths.push(utf16_length(option));
        }
        columns.option_count = options.len() as u32;
        columns.text.push_str(&extra_text);
        columns.lengths.extend(extra_lengths);
        columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_as_their_records() {
        let table = "Consent ID,Email,Phone,Consent option,Consent value,Consent date\n\
                     7,Ann@B.nl,,\" Caf\u{e9} \u{1f600} \",yes,2024-05-03\n\
                     ,,+31 20 123,News,no,\n\
                     \"\",c@d.nl,,x,true,\n";
        let parsed = crate::consent::parse_consent_csv(table);
        assert_eq!(parsed.records.len(), 3);
        let mut columns = RecordColumns::default();
        consent_table::csv::read_all(table, &mut |row| columns.push(row));
        assert_eq!(records_of_columns(&columns), Some(parsed.records));
        assert_eq!(columns.count(), 3);
    }
}
