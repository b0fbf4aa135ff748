//! Properties of every parser and entry point, on generated input (proptest). `cargo test` runs
//! a few hundred cases each; `npm run fuzz` runs many more for a fixed time.
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use consent_guard::consent::{
    evaluate_segment_csv, parse_consent_csv, parse_rule, unify_consent, ConsentRecord,
};
use consent_guard::email::is_valid_email;
use consent_guard::save::{evaluate_save, SaveRequest};
use consent_guard::value::{Input, Value};
use proptest::prelude::*;

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Consent option".to_string()),
        Just("consent VALUE".to_string()),
        Just("Consent date".to_string()),
        Just("Consent ID".to_string()),
    ]
}

/// Rule text built from the grammar, with awkward values (quotes, operators, spaces, accents).
fn rule_text() -> impl Strategy<Value = String> {
    let comparison = (
        field(),
        prop_oneof![Just("="), Just("!=")],
        "[a-zA-Zé0-9 &|()\"!<>=-]{0,12}",
    )
        .prop_map(|(f, op, value)| {
            let value = if f.eq_ignore_ascii_case("consent value") {
                if value.len() % 2 == 0 {
                    "True".to_string()
                } else {
                    "no".to_string()
                }
            } else if f.eq_ignore_ascii_case("consent date") {
                "2024-05-03".to_string()
            } else {
                format!("\"{}\"", value.replace('"', "\"\""))
            };
            format!("{f}{op}{value}")
        });
    comparison.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} & {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} | {b}")),
            inner.clone().prop_map(|a| format!("!({a})")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

fn record() -> impl Strategy<Value = ConsentRecord> {
    (
        prop::option::of(0u8..6),
        prop_oneof![
            Just("holly@contoso.com"),
            Just(" HOLLY@contoso.com"),
            Just("frank@contoso.com"),
            Just("+31 6 1234")
        ],
        prop_oneof![
            Just("Newsletter"),
            Just("newsletter"),
            Just("SMS"),
            Just("Événements")
        ],
        any::<bool>(),
    )
        .prop_map(|(id, key, option, value)| ConsentRecord {
            consent_id: id.map(|i| i.to_string()),
            key: key.to_string(),
            option: option.to_string(),
            value,
            date: None,
        })
}

fn state() -> impl Strategy<Value = serde_json::Value> {
    (
        prop::option::of(prop::option::of(prop_oneof![
            Just("a@b.co"),
            Just(""),
            Just("bad@"),
            Just(" x@y.io ")
        ])),
        prop::option::of(prop::option::of(any::<bool>())),
        prop::option::of(prop::option::of(any::<bool>())),
        prop::option::of(prop::option::of(0i64..3)),
    )
        .prop_map(|(email, dne, bulk, state)| {
            let mut object = serde_json::Map::new();
            let mut put = |name: &str, value: Option<serde_json::Value>| {
                if let Some(value) = value {
                    object.insert(name.to_string(), value);
                }
            };
            put(
                "email",
                email.map(|e| e.map_or(serde_json::Value::Null, |e| e.into())),
            );
            put(
                "donotemail",
                dne.map(|v| v.map_or(serde_json::Value::Null, serde_json::Value::Bool)),
            );
            put(
                "donotbulkemail",
                bulk.map(|v| v.map_or(serde_json::Value::Null, serde_json::Value::Bool)),
            );
            put(
                "statecode",
                state.map(|v| v.map_or(serde_json::Value::Null, |s| s.into())),
            );
            serde_json::Value::Object(object)
        })
}

proptest! {
    // 256 cases each unless PROPTEST_CASES says otherwise (scripts/fuzz.sh sets it).

    #[test]
    fn a_rule_that_parses_prints_back_to_an_equal_rule(text in rule_text()) {
        let rule = parse_rule(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let printed = rule.to_string();
        prop_assert_eq!(parse_rule(&printed), Ok(rule), "{} printed as {}", text, printed);
    }

    #[test]
    fn any_rule_text_parses_or_names_a_column(text in "\\PC{0,40}") {
        match parse_rule(&text) {
            Ok(rule) => prop_assert_eq!(parse_rule(&rule.to_string()), Ok(rule)),
            Err(error) => {
                prop_assert!(error.column >= 1 && error.column <= text.chars().count() + 1, "{:?}", error);
                let prefix = format!("column {}: ", error.column);
                prop_assert!(error.to_string().starts_with(&prefix), "{}", error);
            }
        }
    }

    #[test]
    fn unify_does_not_depend_on_the_order_of_dated_rows_of_distinct_ids(records in prop::collection::vec(record(), 1..24), seed in any::<u64>()) {
        // Distinct dates, one per row, and distinct Consent IDs: a row that repeats an ID
        // replaces the earlier one by its place, whatever its date.
        let dated: Vec<ConsentRecord> = records.into_iter().enumerate().map(|(i, mut r)| {
            r.date = Some(format!("2024-01-{:02}T{:02}:00:00Z", 1 + (i * 7919 + 13) % 28, i % 24));
            r.consent_id = r.consent_id.map(|_| format!("id{i}"));
            r
        }).collect();
        let mut shuffled = dated.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let canonical = |records: &[ConsentRecord]| {
            let mut profiles = unify_consent(records).unwrap_or_default();
            profiles.sort_by(|a, b| a.key.cmp(&b.key));
            profiles.into_iter().map(|mut p| {
                let mut consents: Vec<(String, bool, Option<String>)> =
                    p.consents.drain(..).map(|(o, c)| (o.to_lowercase(), c.value, c.date)).collect();
                consents.sort();
                (p.key, consents)
            }).collect::<Vec<_>>()
        };
        // Equal dates could tie; the generator gives distinct instants unless the hours collide.
        let instants: std::collections::HashSet<_> = dated.iter().filter_map(|r| r.date.clone()).collect();
        prop_assume!(instants.len() == dated.len());
        prop_assert_eq!(canonical(&dated), canonical(&shuffled));
    }

    /// The one call unifies only the options a rule on options and values can select; its keys
    /// and profile count equal the three steps', however Consent IDs move rows between keys
    /// and options and dates decide between rows.
    #[test]
    fn the_one_call_segment_equals_the_three_steps(
        rows in prop::collection::vec(
            (0..6usize, 0..5usize, any::<bool>(), prop::option::of(0..4usize), prop::option::of(0..12usize)),
            0..60,
        ),
        rule in option_rule(),
    ) {
        let options = ["Newsletter", "newsletter ", "SMS", "Events", "Post"];
        let mut csv = String::from("Consent ID,Email,Consent option,Consent value,Consent date\n");
        for (key, option, value, date, id) in &rows {
            let id = id.map(|id| id.to_string()).unwrap_or_default();
            let date = date.map(|day| format!("2024-03-0{}", day + 1)).unwrap_or_default();
            csv.push_str(&format!("{id},p{key}@example.com,{},{value},{date}\n", options[*option]));
        }
        let parsed = parse_consent_csv(&csv);
        let profiles = unify_consent(&parsed.records).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let three = consent_guard::consent::evaluate_segment(&rule, &profiles).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let one = evaluate_segment_csv(&rule, &csv).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(one.keys, three, "{}", rule);
        prop_assert_eq!(one.profiles, profiles.len());
    }

    #[test]
    fn a_verdict_never_prompts_and_blocks_at_once(
        entity in prop_oneof![Just("contact"), Just("Lead"), Just("account")],
        save_mode in prop_oneof![Just(1u32), Just(2), Just(5), Just(6), Just(15), Just(16), Just(59), Just(70)],
        before in prop::option::of(state()),
        after in state(),
        awi in any::<bool>(),
    ) {
        let json = serde_json::json!({"entity": entity, "saveMode": save_mode, "before": before, "after": after,
            "settings": {"anonymizeWhenInactive": awi}});
        let request = SaveRequest::read(Input::root(&common::value(json), "request")).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let verdict = evaluate_save(&request);
        prop_assert!(!(verdict.prompt && verdict.block));
        prop_assert_eq!(verdict.prompt || verdict.block, verdict.anonymize);
        prop_assert_eq!(verdict.block, verdict.anonymize && save_mode == 70);
        prop_assert!(!verdict.anonymize || !verdict.reasons.is_empty());
        prop_assert!(request.before.is_some() || (verdict == Default::default()));
    }

    #[test]
    fn bad_request_shapes_are_named_by_path(value in arbitrary_value()) {
        if let Err(error) = SaveRequest::read(Input::root(&value, "request")) {
            prop_assert!(error.path.starts_with("request"), "{}", error);
            prop_assert!(!error.message.is_empty());
        }
    }

    #[test]
    fn any_csv_text_is_read_without_losing_a_row_silently(text in "(\\PC|[,;\"\\n\\r]){0,200}") {
        let parsed = parse_consent_csv(&text);
        let lines = text.split(['\n', '\r']).count().max(1);
        for error in &parsed.errors {
            prop_assert!(error.line >= 1 && error.line <= lines, "{:?} of {}", error, lines);
            prop_assert!(!error.message.is_empty());
        }
        // The one-call segment reads the same rows and reports the same errors.
        let segment = evaluate_segment_csv("Consent value=True", &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(segment.errors, parsed.errors);
    }

    #[test]
    fn email_validity_never_panics_and_needs_one_at_and_a_dotted_domain(text in "\\PC{0,60}") {
        if is_valid_email(&text) {
            let trimmed = text.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'));
            prop_assert_eq!(trimmed.matches('@').count(), 1);
            prop_assert!(trimmed.split('@').nth(1).is_some_and(|d| d.contains('.')));
        }
    }
}

/// A rule on options and values only, which the one call decides per option: tests of
/// `Consent option` (some of them options no row has) and `Consent value`, under `&`, `|`, `!`.
fn option_rule() -> impl Strategy<Value = String> {
    let test = prop_oneof![
        (
            prop_oneof![Just("="), Just("!=")],
            prop_oneof![
                Just("Newsletter"),
                Just("sms"),
                Just("Events"),
                Just("Absent")
            ]
        )
            .prop_map(|(op, option)| format!("Consent option{op}{option}")),
        any::<bool>().prop_map(|value| format!("Consent value={value}")),
    ];
    test.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) & ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) | ({b})")),
            inner.prop_map(|a| format!("!({a})")),
        ]
    })
}

/// Any JSON-like value, a few levels deep.
fn arbitrary_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(Value::Number),
        "\\PC{0,8}".prop_map(Value::String),
        Just(Value::Unsupported("a function")),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("entity".to_string()),
                        Just("saveMode".to_string()),
                        Just("before".to_string()),
                        Just("after".to_string()),
                        Just("email".to_string()),
                        Just("__proto__".to_string()),
                        "[a-z]{1,6}"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(Value::Object),
        ]
    })
}
