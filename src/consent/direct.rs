//! The direct paths of `unifyConsent` and `evaluateSegment`: records and profiles are read from
//! the call's JSON text as they come and answered as JSON text, with no tree of values and no
//! owned record in between, which is most of what a large table otherwise costs.
//!
//! They take plainly well-formed input only. Anything else (a wrong type, an unknown or a
//! repeated field, a record that does not unify, a rule that does not parse) makes them give
//! up, and the call is read the general way (`crate::calls`), whose errors name what is wrong.
//! Either way the answer is the same; the tests compare the two.

use alloc::borrow::Cow;

use super::segment::{parse_rule, ConsentView};
use super::unify::{add_record, RecordRef, Table};
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
    if !cursor.eat(b'{') {
        return None;
    }
    if cursor.eat(b'}') {
        return Some(());
    }
    loop {
        let name = cursor.string()?;
        if !cursor.eat(b':') {
            return None;
        }
        read(&name, cursor)?;
        if cursor.eat(b'}') {
            return Some(());
        }
        if !cursor.eat(b',') {
            return None;
        }
    }
}

/// The items of an array, each read by `read`.
fn items<'a>(
    cursor: &mut Cursor<'a>,
    mut read: impl FnMut(&mut Cursor<'a>) -> Option<()>,
) -> Option<()> {
    if !cursor.eat(b'[') {
        return None;
    }
    if cursor.eat(b']') {
        return Some(());
    }
    loop {
        read(cursor)?;
        if cursor.eat(b']') {
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

#[cfg(test)]
mod tests {
    use super::{evaluate_segment_json, unify_consent_json};
    use crate::calls::call;
    use crate::json::{parse, write};

    /// The answer of the general path, as the boundary writes it; `None` for an error.
    fn general(operation: &str, input: &str) -> Option<String> {
        let value = call(operation, &parse(input).ok()?, None).ok()?;
        let mut out = String::from("[");
        write(&value, &mut out);
        out.push(']');
        Some(out)
    }

    /// A small generator of test data (xorshift), so that the tables vary with the seed.
    struct Seeded(u64);

    impl Seeded {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }
    }

    const KEYS: [&str; 7] = [
        "a@b.nl",
        " A@B.NL ",
        "c@d.de",
        "+31 (6) 12-34",
        "+316 1234",
        "\"q\\\\uote\"@x.fr",
        "\u{c9}mile@x.fr",
    ];
    const OPTIONS: [&str; 6] = ["News", "news", " NEWS ", "Sms", "Caf\u{e9} \"x\"\n", "sms"];
    const DATES: [&str; 6] = [
        "null",
        "\"2024-05-03\"",
        "\"2024-05-03T10:00:00Z\"",
        "\"2024-05-02T23:00:00-02:00\"",
        "\"2023-01-01\"",
        "\"2024-05-03 10:00\"",
    ];

    fn string(text: &str) -> String {
        let mut out = String::new();
        crate::json::write_string(text, &mut out);
        out
    }

    fn records(seed: &mut Seeded, count: usize) -> String {
        let mut out = String::from("{ \"records\" : [");
        for i in 0..count {
            if i > 0 {
                out.push_str(", ");
            }
            let id = match seed.below(4) {
                0 => "null".to_string(),
                1 => String::new(),
                n => string(&(n + seed.below(5)).to_string()),
            };
            let mut fields = vec![
                format!("\"key\":{}", string(seed.pick(&KEYS))),
                format!("\"option\":{}", string(seed.pick(&OPTIONS))),
                format!("\"value\":{}", seed.below(2) == 0),
            ];
            if !id.is_empty() {
                fields.push(format!("\"consentId\":{id}"));
            }
            let date = seed.pick(&DATES);
            if seed.below(3) > 0 {
                fields.push(format!("\"date\":{date}"));
            }
            // Fields in any order.
            let first = seed.below(fields.len());
            fields.swap(0, first);
            out.push('{');
            out.push_str(&fields.join(","));
            out.push('}');
        }
        out.push_str("]}");
        out
    }

    #[test]
    fn unify_answers_as_the_general_path_on_generated_records() {
        let mut seed = Seeded(0x9e37_79b9_7f4a_7c15);
        for round in 0..400 {
            let input = records(&mut seed, round % 40);
            let direct = unify_consent_json(&input);
            assert!(direct.is_some(), "{input}");
            assert_eq!(direct, general("unifyConsent", &input), "{input}");
        }
    }

    #[test]
    fn segments_answer_as_the_general_path_on_unified_profiles() {
        let mut seed = Seeded(7);
        let rules = [
            "Consent option=news & Consent value=True",
            "Consent option=sms | Consent date>=2024-05-03",
            "!(Consent ID=3) & Consent date<2024-05-03T10:00",
            "Consent date!=2023-01-01",
        ];
        for round in 0..200 {
            let records = records(&mut seed, round % 30);
            let profiles = general("unifyConsent", &records).unwrap();
            // `[profiles]` without its brackets.
            let profiles = &profiles[1..profiles.len() - 1];
            for rule in rules {
                let input = format!("{{\"rule\":{},\"profiles\":{profiles}}}", string(rule));
                let direct = evaluate_segment_json(&input);
                assert!(direct.is_some(), "{input}");
                assert_eq!(direct, general("evaluateSegment", &input), "{input}");
            }
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_general_path() {
        for input in [
            "{\"records\":[{\"key\":\"a@b.nl\",\"option\":\"x\",\"value\":1}]}",
            "{\"records\":[{\"key\":\"a@b.nl\",\"option\":\"x\",\"value\":true,\"extra\":1}]}",
            "{\"records\":[{\"key\":\"a@b.nl\",\"key\":\"c@d.nl\",\"option\":\"x\",\"value\":true}]}",
            "{\"records\":[{\"key\":\" \",\"option\":\"x\",\"value\":true}]}",
            "{\"records\":[{\"key\":\"a@b.nl\",\"option\":\" \",\"value\":true}]}",
            "{\"records\":[{\"key\":\"a@b.nl\",\"option\":\"x\",\"value\":true,\"date\":\"May\"}]}",
            "{\"records\":[{\"key\":\"a@b.nl\",\"option\":\"x\"}]}",
            "{\"records\":[{\"key\":{\"\\u0000\":\"function\"},\"option\":\"x\",\"value\":true}]}",
            "{\"records\":[],\"more\":1}",
            "{\"records\":[]} x",
            "{\"records\":{}}",
            "{\"rows\":[]}",
        ] {
            assert_eq!(unify_consent_json(input), None, "{input}");
        }
        let profile = |consents: &str| {
            format!("{{\"rule\":\"Consent value=true\",\"profiles\":[{{\"key\":\"k\",\"consents\":{consents}}}]}}")
        };
        for input in [
            profile("{\"a\":{\"value\":true},\"a\":{\"value\":false}}"),
            profile("{\"a\":{\"value\":\"yes\"}}"),
            profile("{\"a\":{\"value\":true,\"note\":1}}"),
            profile("[]"),
            "{\"rule\":\"Consent value=\",\"profiles\":[]}".to_string(),
            "{\"profiles\":[],\"rule\":\"Consent value=true\"}".to_string(),
        ] {
            assert_eq!(evaluate_segment_json(&input), None, "{input}");
        }
        assert_eq!(
            evaluate_segment_json(&profile("{}")),
            general("evaluateSegment", &profile("{}"))
        );
    }
}
