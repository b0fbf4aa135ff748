//! The direct JSON paths of `unifyConsent` and `evaluateSegment` (`src/consent/direct.rs`)
//! answer as the general path does on generated records and profiles, and leave anything
//! unusual to it.
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::Random;
use consent_guard::calls::call;
use consent_guard::consent::{evaluate_segment_json, unify_consent_json};
use consent_guard::json::{parse, write, write_string};

/// The answer of the general path, as the boundary writes it; `None` for an error.
fn general(operation: &str, input: &str) -> Option<String> {
    let value = call(operation, &parse(input).ok()?, None).ok()?;
    let mut out = String::from("[");
    write(&value, &mut out);
    out.push(']');
    Some(out)
}

/// A number below `n`, and one of `from`.
impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.next(n as u64) as usize
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
    write_string(text, &mut out);
    out
}

fn records(seed: &mut Random, count: usize) -> String {
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
    let mut seed = Random(0x9e37_79b9_7f4a_7c15);
    for round in 0..400 {
        let input = records(&mut seed, round % 40);
        let direct = unify_consent_json(&input);
        assert!(direct.is_some(), "{input}");
        assert_eq!(direct, general("unifyConsent", &input), "{input}");
    }
}

#[test]
fn segments_answer_as_the_general_path_on_unified_profiles() {
    let mut seed = Random(7);
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
