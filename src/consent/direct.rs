//! The direct paths of `unifyConsent` and `evaluateSegment`: records and profiles are read from
//! the call's JSON text as they come and answered as JSON text, with no tree of values and no
//! owned record in between, which is most of what a large table otherwise costs.
//!
//! They take plainly well-formed input only. Anything else (a wrong type, an unknown or a
//! repeated field, a record that does not unify, a rule that does not parse) makes them give
//! up, and the call is read the general way (`crate::calls`), whose errors name what is wrong.
//! Either way the answer is the same; the tests compare the two.

use alloc::borrow::Cow;

use super::records::{add_record, RecordRef};
use super::segment::{parse_rule, ConsentView};
use super::table::Table;
use super::ConsentDate;
use crate::json::{write_string, Cursor};
use crate::prelude::*;

/// Profiles with more consents than this are left to the general path, which handles an
/// option named twice its own way (the later value, at the first place).
const MAX_CONSENTS: usize = 64;

/// A record as the text holds it.
struct Record<'a> {
    consent_id: Option<Cow<'a, str>>,
    key: Cow<'a, str>,
    option: Cow<'a, str>,
    value: bool,
    date: Option<Cow<'a, str>>,
}

/// Fill `slot` unless it is filled already (a field given twice).
fn fill<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

/// The fields of an object, in any order: `read` reads the value of each name it knows and
/// gives up on others.
fn fields<'a>(
    cursor: &mut Cursor<'a>,
    mut read: impl FnMut(&str, &mut Cursor<'a>) -> Option<()>,
) -> Option<()> {
    list(cursor, b'{', b'}', |cursor| {
        let name = cursor.string()?;
        if !cursor.eat(b':') {
            return None;
        }
        read(&name, cursor)
    })
}

/// The items of an array, each read by `read`.
fn items<'a>(
    cursor: &mut Cursor<'a>,
    read: impl FnMut(&mut Cursor<'a>) -> Option<()>,
) -> Option<()> {
    list(cursor, b'[', b']', read)
}

/// What `open` and `close` enclose, separated by commas, each entry read by `read`.
fn list<'a>(
    cursor: &mut Cursor<'a>,
    open: u8,
    close: u8,
    mut read: impl FnMut(&mut Cursor<'a>) -> Option<()>,
) -> Option<()> {
    if !cursor.eat(open) {
        return None;
    }
    if cursor.eat(close) {
        return Some(());
    }
    loop {
        read(cursor)?;
        if cursor.eat(close) {
            return Some(());
        }
        if !cursor.eat(b',') {
            return None;
        }
    }
}

/// `{ consentId?, key, option, value, date? }`.
fn record<'a>(cursor: &mut Cursor<'a>) -> Option<Record<'a>> {
    let (mut consent_id, mut key, mut option, mut value, mut date) = (None, None, None, None, None);
    fields(cursor, |name, cursor| match name {
        "consentId" => fill(&mut consent_id, cursor.optional_string()?),
        "key" => fill(&mut key, cursor.string()?),
        "option" => fill(&mut option, cursor.string()?),
        "value" => fill(&mut value, cursor.bool()?),
        "date" => fill(&mut date, cursor.optional_string()?),
        _ => None,
    })?;
    Some(Record {
        consent_id: consent_id.flatten(),
        key: key?,
        option: option?,
        value: value?,
        date: date.flatten(),
    })
}

/// The one field of `{ "<name>": … }` up to its value: the input of a call with one parameter.
fn parameter(cursor: &mut Cursor, name: &str) -> Option<()> {
    (cursor.string()?.as_ref() == name && cursor.eat(b':')).then_some(())
}

/// `unifyConsent`'s answer to the input `{"records": […]}`, as the JSON text `[profiles]`.
pub fn unify_consent_json(input: &str) -> Option<String> {
    let mut cursor = Cursor::new(input);
    if !cursor.eat(b'{') {
        return None;
    }
    parameter(&mut cursor, "records")?;
    // Records are about a hundred bytes of JSON each.
    let mut table = Table::with_capacity(input.len() / 100);
    // Where each record starts: the current ones are read again for the answer.
    let mut starts: Vec<usize> = Vec::new();
    items(&mut cursor, |cursor| {
        starts.push(cursor.position());
        let record = record(cursor)?;
        let data = RecordRef {
            consent_id: record.consent_id.as_deref(),
            key: &record.key,
            option: &record.option,
            value: record.value,
            date: record.date.as_deref(),
        };
        add_record(&mut table, starts.len() - 1, data).ok()
    })?;
    if !(cursor.eat(b'}') && cursor.at_end()) {
        return None;
    }
    let profiles = table.unify();
    let mut out = String::with_capacity(input.len());
    out.push_str("[[");
    for (number, profile) in profiles.iter().enumerate() {
        if number > 0 {
            out.push(',');
        }
        out.push_str("{\"key\":");
        write_string(table.keys.get(profile.key)?, &mut out);
        out.push_str(",\"consents\":{");
        let mut first = true;
        for current in profile.options.iter().filter_map(|(_, current)| *current) {
            cursor.seek(*starts.get(current as usize)?);
            let record = record(&mut cursor)?;
            if !first {
                out.push(',');
            }
            first = false;
            // As `ConsentProfile::to_value` writes it: the record's own spelling of the option.
            write_string(&record.option, &mut out);
            out.push_str(if record.value {
                ":{\"value\":true"
            } else {
                ":{\"value\":false"
            });
            if let Some(date) = &record.date {
                out.push_str(",\"date\":");
                write_string(date, &mut out);
            }
            if let Some(id) = &record.consent_id {
                out.push_str(",\"consentId\":");
                write_string(id, &mut out);
            }
            out.push('}');
        }
        out.push_str("}}");
    }
    out.push_str("]]");
    Some(out)
}

/// `evaluateSegment`'s answer to the input `{"rule": "…", "profiles": […]}`, as the JSON text
/// `[keys]`.
pub fn evaluate_segment_json(input: &str) -> Option<String> {
    let mut cursor = Cursor::new(input);
    if !cursor.eat(b'{') {
        return None;
    }
    parameter(&mut cursor, "rule")?;
    let rule = parse_rule(&cursor.string()?).ok()?;
    let reads_dates = rule.reads_dates();
    if !cursor.eat(b',') {
        return None;
    }
    parameter(&mut cursor, "profiles")?;
    let mut out = String::from("[[");
    let mut selected = 0usize;
    // The options of the profile being read, back to back, and where each ends.
    let (mut options, mut ends) = (String::new(), Vec::new());
    items(&mut cursor, |cursor| {
        let (mut key, mut consents) = (None, None);
        fields(cursor, |name, cursor| match name {
            "key" => fill(&mut key, cursor.string()?),
            "consents" => {
                options.clear();
                ends.clear();
                let mut any = false;
                fields(cursor, |option, cursor| {
                    let mut start = 0;
                    let named_before = ends.iter().any(|&end| {
                        let before = options.get(start..end);
                        start = end;
                        before == Some(option)
                    });
                    if named_before || ends.len() >= MAX_CONSENTS {
                        return None;
                    }
                    options.push_str(option);
                    ends.push(options.len());
                    let (mut value, mut date, mut consent_id) = (None, None, None);
                    fields(cursor, |name, cursor| match name {
                        "value" => fill(&mut value, cursor.bool()?),
                        "date" => fill(&mut date, cursor.optional_string()?),
                        "consentId" => fill(&mut consent_id, cursor.optional_string()?),
                        _ => None,
                    })?;
                    let date = date.flatten();
                    let consent_id = consent_id.flatten();
                    // As `Rule::select` reads a consent: a date that does not parse is none.
                    any |= rule.matches(&ConsentView {
                        option,
                        value: value?,
                        date: date
                            .as_deref()
                            .filter(|_| reads_dates)
                            .and_then(ConsentDate::parse),
                        consent_id: consent_id.as_deref(),
                    });
                    Some(())
                })?;
                fill(&mut consents, any)
            }
            _ => None,
        })?;
        let key = key?;
        if consents? {
            if selected > 0 {
                out.push(',');
            }
            selected += 1;
            write_string(&key, &mut out);
        }
        Some(())
    })?;
    if !(cursor.eat(b'}') && cursor.at_end()) {
        return None;
    }
    out.push_str("]]");
    Some(out)
}
