//! Consent: CSV, unification and segment rules (rules.md section C), with the seed's table.
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use consent_guard::consent::{
    evaluate_segment, parse_consent_csv, parse_rule, unify_consent, ConsentProfile, ConsentRecord,
};

const SEED: &str = "\
Consent ID,Email,Consent option,Consent value
1,holly@contoso.com,Newsletter,False
2,holly@contoso.com,Product updates,True
3,frank@contoso.com,Newsletter,True
4,frank@contoso.com,Product updates,False
";

fn profiles(csv: &str) -> Vec<ConsentProfile> {
    let parsed = parse_consent_csv(csv);
    assert_eq!(parsed.errors, [], "no row errors expected");
    unify_consent(&parsed.records).expect("unifies")
}

fn segment(rule: &str, profiles: &[ConsentProfile]) -> Vec<String> {
    evaluate_segment(rule, profiles).expect("rule parses")
}

fn record(
    id: Option<&str>,
    key: &str,
    option: &str,
    value: bool,
    date: Option<&str>,
) -> ConsentRecord {
    ConsentRecord {
        consent_id: id.map(str::to_string),
        key: key.to_string(),
        option: option.to_string(),
        value,
        date: date.map(str::to_string),
    }
}

#[test]
fn the_seed_table_and_its_two_segments() {
    let unified = profiles(SEED);
    let keys: Vec<&str> = unified.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["holly@contoso.com", "frank@contoso.com"]);
    assert_eq!(
        segment("Consent option=Newsletter & Consent value=True", &unified),
        ["frank@contoso.com"]
    );
    assert_eq!(
        segment(
            "Consent option=Product updates & Consent value=True",
            &unified
        ),
        ["holly@contoso.com"]
    );
}

#[test]
fn the_seed_header_with_its_notes_and_other_separators() {
    let annotated = SEED.replace(
        "Consent ID,Email,",
        "Consent ID (primary key),Email (alternate key),",
    );
    assert_eq!(profiles(&annotated).len(), 2);
    let semicolons = SEED.replace(',', ";");
    assert_eq!(profiles(&semicolons).len(), 2);
    let reordered = "consent VALUE,consent option,EMAIL\r\nTrue,Newsletter,Frank@Contoso.com\r\n";
    assert_eq!(
        segment(
            "Consent option=newsletter & Consent value=true",
            &profiles(reordered)
        ),
        ["frank@contoso.com"]
    );
}

#[test]
fn rfc4180_quoting_and_line_numbers() {
    let csv = "Email,Consent option,Consent value,Notes\n\
               \"a@b.co\",\"Say \"\"hi\"\"\",yes,\"two\nlines\"\n\
               \n\
               c@d.co,Newsletter,maybe,\n\
               e@f.co,Newsletter,1,x,extra\n\
               ,Newsletter,1,\n\
               g@h.co,\"unterminated,1,\n";
    let parsed = parse_consent_csv(csv);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.records[0].option, "Say \"hi\"");
    let errors: Vec<(usize, &str)> = parsed
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                5,
                "Consent value 'maybe' is not one of true/false, yes/no, 1/0"
            ),
            (6, "the row has 5 fields, the header has 4"),
            (7, "Email has no value"),
            (8, "a quoted field is not closed"),
        ]
    );
}

#[test]
fn header_problems() {
    let no_option = parse_consent_csv("Email,Consent value\na@b.co,true\n");
    assert_eq!(no_option.errors[0].line, 1);
    assert_eq!(
        no_option.errors[0].message,
        "the header has no Consent option column"
    );
    assert!(no_option.records.is_empty());
    let nothing = parse_consent_csv("Name\nx\n");
    assert_eq!(
        nothing.errors[0].message,
        "the header has no Email or Phone, no Consent option, no Consent value column"
    );
    let twice = parse_consent_csv("Email,email,Consent option,Consent value\n");
    assert_eq!(
        twice.errors[0].message,
        "the header names the column 'email' twice"
    );
    assert_eq!(
        parse_consent_csv("").errors[0].message,
        "the text has no header row"
    );
    let after_blank =
        parse_consent_csv("\n\nPhone,Consent option,Consent value\n+31 6-1234 5678,SMS,true\n");
    assert_eq!(after_blank.records[0].key, "+31612345678");
}

#[test]
fn bad_dates_and_text_after_quotes_are_reported() {
    let csv = "Email,Consent option,Consent value,Consent date\n\
               a@b.co,News,true,2024-02-30\n\
               a@b.co,\"News\"x,true,\n\
               a@b.co,News,true,2024-05-03T10:00:00+02:00\n";
    let parsed = parse_consent_csv(csv);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.errors[0].line, 2);
    assert!(parsed.errors[0]
        .message
        .contains("'2024-02-30' is not a date or date-time"));
    assert_eq!(parsed.errors[1].line, 3);
    assert!(parsed.errors[1]
        .message
        .starts_with("text after a closing quote"));
}

#[test]
fn update_by_consent_id() {
    let csv = format!("{SEED}1,holly@contoso.com,Newsletter,True\n");
    let unified = profiles(&csv);
    assert_eq!(
        segment("Consent option=Newsletter & Consent value=True", &unified),
        ["holly@contoso.com", "frank@contoso.com"]
    );
    let holly = &unified[0].consents;
    assert_eq!(
        holly.iter().map(|(o, _)| o.as_str()).collect::<Vec<_>>(),
        ["Newsletter", "Product updates"]
    );
}

#[test]
fn a_consent_id_can_move_to_another_key() {
    let records = [
        record(Some("7"), "holly@contoso.com", "Newsletter", true, None),
        record(Some("8"), "frank@contoso.com", "Newsletter", false, None),
        record(Some("7"), "frank@contoso.com", "Newsletter", true, None),
    ];
    let unified = unify_consent(&records).unwrap();
    // Holly's only record moved to Frank: she has no profile left.
    assert_eq!(unified.len(), 1);
    assert_eq!(unified[0].key, "frank@contoso.com");
    let (_, consent) = &unified[0].consents[0];
    assert!(consent.value);
    assert_eq!(consent.consent_id.as_deref(), Some("7"));
}

#[test]
fn latest_date_wins_between_ids_and_dated_beats_undated() {
    let records = [
        record(Some("1"), "a@b.co", "News", true, Some("2024-05-03")),
        record(Some("2"), "A@B.CO ", "news", false, Some("2024-01-01")),
        record(Some("3"), "a@b.co", "News", false, None),
    ];
    let unified = unify_consent(&records).unwrap();
    let consents = &unified[0].consents;
    assert_eq!(consents.len(), 1);
    assert!(consents[0].1.value, "the 2024-05-03 consent is current");
    assert_eq!(consents[0].1.consent_id.as_deref(), Some("1"));

    let undated = [
        record(None, "a@b.co", "News", true, None),
        record(None, "a@b.co", "News", false, None),
    ];
    assert!(
        !unify_consent(&undated).unwrap()[0].consents[0].1.value,
        "without dates the later row wins"
    );
    let equal = [
        record(None, "a@b.co", "News", true, Some("2024-05-03")),
        record(None, "a@b.co", "News", false, Some("2024-05-03T00:00:00Z")),
    ];
    assert!(
        !unify_consent(&equal).unwrap()[0].consents[0].1.value,
        "on equal dates the later row wins"
    );
}

#[test]
fn a_later_row_with_the_same_consent_id_replaces_the_earlier_whatever_its_date() {
    // The primary key updates the consent: the later row holds it even when it is dated
    // earlier, and even on another key (the record moved, which leaves c@d.co without any).
    // Between different IDs the latest date wins, in any row order.
    let rows = [
        record(Some("1"), "a@b.co", "News", true, Some("2024-06-01")),
        record(Some("1"), "a@b.co", "News", false, Some("2024-01-01")),
        record(Some("2"), "+31 6 1234", "SMS", true, Some("2023-01-01")),
        record(Some("3"), "+3161234", "SMS", false, Some("2022-01-01")),
        record(Some("4"), "c@d.co", "News", true, Some("2024-06-01")),
        record(Some("4"), "e@f.co", "News", false, Some("2024-01-01")),
    ];
    let profiles = unify_consent(&rows).unwrap();
    let summary: Vec<(&str, bool, Option<&str>)> = profiles
        .iter()
        .map(|p| {
            let consent = &p.consents[0].1;
            (p.key.as_str(), consent.value, consent.date.as_deref())
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("a@b.co", false, Some("2024-01-01")),
            ("+3161234", true, Some("2023-01-01")),
            ("e@f.co", false, Some("2024-01-01")),
        ]
    );
    let mut swapped = rows.clone();
    swapped.swap(2, 3);
    assert!(unify_consent(&swapped).unwrap()[1].consents[0].1.value);
}

#[test]
fn unify_reports_the_record_and_field() {
    let bad_date = [
        record(None, "a@b.co", "News", true, None),
        record(None, "a@b.co", "News", true, Some("soon")),
    ];
    assert_eq!(
        unify_consent(&bad_date).unwrap_err().to_string(),
        "[1].date: 'soon' is not a date or date-time written as 2024-05-03 or 2024-05-03T10:15:00Z"
    );
    let empty_key = [record(None, " ( ) ", "News", true, None)];
    assert_eq!(
        unify_consent(&empty_key).unwrap_err().to_string(),
        "[0].key: the key is empty"
    );
    let empty_option = [record(None, "a@b.co", " ", true, None)];
    assert_eq!(
        unify_consent(&empty_option).unwrap_err().to_string(),
        "[0].option: the option is empty"
    );
}

#[test]
fn rule_language() {
    let csv = "Consent ID,Email,Consent option,Consent value,Consent date\n\
               1,holly@contoso.com,Newsletter,False,2024-01-10\n\
               2,holly@contoso.com,Product updates,True,2024-03-01T09:30:00Z\n\
               3,frank@contoso.com,Newsletter,True,\n\
               4,frank@contoso.com,Product updates,False,2023-12-31\n\
               5,\"ann@contoso.com\",\"Events & \"\"Fairs\"\"\",yes,2024-02-15\n";
    let p = profiles(csv);
    let cases: &[(&str, &[&str])] = &[
        ("Consent option=Newsletter", &["holly@contoso.com", "frank@contoso.com"]),
        ("consent OPTION = newsletter & consent value = TRUE", &["frank@contoso.com"]),
        ("Consent value=True", &["holly@contoso.com", "frank@contoso.com", "ann@contoso.com"]),
        ("Consent value!=True", &["holly@contoso.com", "frank@contoso.com"]),
        ("!Consent value=True", &["holly@contoso.com", "frank@contoso.com"]),
        ("Consent option=Newsletter & Consent value=True | Consent option=Product updates & Consent value=True",
            &["holly@contoso.com", "frank@contoso.com"]),
        ("Consent option=Newsletter & (Consent value=True | Consent ID=1)", &["holly@contoso.com", "frank@contoso.com"]),
        ("Consent option=\"Events & \"\"Fairs\"\"\"", &["ann@contoso.com"]),
        ("Consent date>=2024-02-01", &["holly@contoso.com", "ann@contoso.com"]),
        ("Consent date<2024-01-01", &["frank@contoso.com"]),
        ("Consent date=2024-03-01", &["holly@contoso.com"]),
        ("Consent date>2024-03-01T09:00:00Z & Consent date<=2024-03-01T09:30:00Z", &["holly@contoso.com"]),
        ("Consent date!=2024-03-01 & Consent option=Newsletter", &["holly@contoso.com", "frank@contoso.com"]),
        ("Consent ID=4", &["frank@contoso.com"]),
        ("Consent option=Newsletter & Consent option=Product updates", &[]),
        ("!(Consent option=Newsletter | Consent option=Product updates)", &["ann@contoso.com"]),
        ("Consent value=yes & Consent value!=0", &["holly@contoso.com", "frank@contoso.com", "ann@contoso.com"]),
    ];
    for (rule, expected) in cases {
        assert_eq!(segment(rule, &p), *expected, "{rule}");
    }
}

#[test]
fn rule_errors_name_the_column() {
    let cases: &[(&str, &str)] = &[
        ("Consent option=", "column 16: expected a value after '='"),
        ("Consent option=Newsletter & Consent value=", "column 43: expected a value after '='"),
        ("", "column 1: the rule is empty"),
        ("   ", "column 4: the rule is empty"),
        ("Consent optoin=Newsletter", "column 1: unknown field 'Consent optoin': use Consent option, Consent value, Consent date or Consent ID"),
        ("Newsletter", "column 1: unknown field 'Newsletter': use Consent option, Consent value, Consent date or Consent ID"),
        ("Consent option Newsletter", "column 16: expected an operator ('=' or '!=') after the field"),
        ("Consent value=maybe", "column 15: 'maybe' is not a consent value: use True or False (or yes/no, 1/0)"),
        ("Consent date=3 May", "column 14: '3 May' is not a date or date-time written as 2024-05-03 or 2024-05-03T10:15:00Z"),
        ("Consent option<News", "column 15: '<' compares dates only (Consent date)"),
        ("(Consent option=News", "column 21: expected ')' to close the '(' at column 1"),
        ("Consent option=News)", "column 20: ')' has no matching '('"),
        ("Consent option=News &", "column 22: expected a condition, such as Consent option=Newsletter"),
        ("Consent option=\"News", "column 16: the quote opened here is not closed"),
        ("Consent option=\"News\" x", "column 23: expected '&' or '|' between conditions"),
        ("Consent option=News & | Consent value=True", "column 23: expected a field: Consent option, Consent value, Consent date or Consent ID"),
    ];
    for (rule, message) in cases {
        let error = parse_rule(rule).expect_err(rule);
        assert_eq!(error.to_string(), *message, "{rule:?}");
    }
}

#[test]
fn rules_print_back_to_equal_rules() {
    let rules = [
        "Consent option=Newsletter & Consent value=True",
        "Consent option=\"a \"\"b\"\" & c\" | !(Consent value=False & Consent ID!=7)",
        "!!Consent date>=2024-01-01 & (Consent option=A | Consent option=B) & Consent date<\"2024-05-03T10:00:00Z\"",
        "((Consent option=A))",
        // Found by the property tests: a nested group of the same kind printed without parentheses.
        "Consent option=\"\" & (Consent option=\"\" & Consent option=\"\")",
        "(Consent ID=1 | Consent ID=2) | Consent ID=3",
    ];
    for text in rules {
        let rule = parse_rule(text).unwrap();
        let printed = rule.to_string();
        assert_eq!(
            parse_rule(&printed).unwrap(),
            rule,
            "{text} printed as {printed}"
        );
    }
}

#[test]
fn the_one_call_segment_of_a_table_equals_the_three_steps() {
    let csv = "Consent ID,Email,Phone,Consent option,Consent value,Consent date\n\
               1,Holly@Contoso.com,,Newsletter,true,2024-01-01\n\
               2,,+31 6 1234 5678,SMS,yes,\n\
               3,frank@contoso.com,,\"Events, Europe\",1,2024-02-01T10:00:00Z\n\
               1,holly@contoso.com,,newsletter,false,2023-01-01\n\
               4,frank@contoso.com,,Newsletter,TRUE,\n\
               5,ann@contoso.com,,Newsletter,maybe,\n\
               6,holly@contoso.com,,NEWSLETTER,no,2024-03-01\n\
               2,,+31612345678,SMS,no,\n";
    let parsed = parse_consent_csv(csv);
    let profiles = unify_consent(&parsed.records).unwrap();
    for rule in [
        "Consent option=Newsletter & Consent value=True",
        "Consent option=SMS | Consent ID=3",
        "!(Consent value=True) & Consent date>=2024-01-01",
        "Consent option=\"events, europe\"",
    ] {
        let one_call = consent_guard::consent::evaluate_segment_csv(rule, csv).unwrap();
        assert_eq!(
            one_call.keys,
            evaluate_segment(rule, &profiles).unwrap(),
            "{rule}"
        );
        assert_eq!(one_call.errors, parsed.errors);
        assert_eq!(one_call.profiles, profiles.len());
    }
    assert_eq!(
        consent_guard::consent::evaluate_segment_csv("Consent option=", csv)
            .unwrap_err()
            .to_string(),
        "column 16: expected a value after '='"
    );
}

/// Tables of several thousand rows (more than one pass of the unification, profiles with more
/// options than a block holds, options spelled in other cases and with accents): the one call,
/// which unifies only the options a rule on options and values can select, gives the keys and
/// the profile count of the three steps for every rule.
#[test]
fn the_one_call_equals_the_three_steps_on_large_tables() {
    let options = [
        "Newsletter",
        "NEWSLETTER ",
        "Straße",
        "STRASSE",
        "Ünï",
        "üNÏ",
        "SMS",
        "Events",
        "Post",
        "Webinars",
        "Surveys",
        "Partner offers",
    ];
    let rules = [
        "Consent option=Newsletter & Consent value=True",
        "Consent option=straße",
        "Consent option=ünï & Consent value=False",
        "!(Consent option=Newsletter)",
        "Consent option!=SMS & Consent value=True",
        "Consent value=True | Consent value=False",
        "Consent option=Absent",
        "(Consent option=Events | Consent option=Post) & !(Consent value=True)",
        "Consent option=Newsletter & Consent date>=2025-06-01",
        "Consent ID=17 | Consent option=SMS",
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    for rows in [9_000, 20_000] {
        let mut csv = String::from("Consent ID,Email,Consent option,Consent value,Consent date\n");
        for _ in 0..rows {
            let id = if next(10) == 0 {
                String::new()
            } else {
                next(rows / 4).to_string()
            };
            let date = if next(5) == 0 {
                String::new()
            } else {
                format!("2025-{:02}-{:02}", 1 + next(12), 1 + next(28))
            };
            let value = next(2) == 0;
            csv.push_str(&format!(
                "{id},p{}@example.com,{},{value},{date}\n",
                next(300),
                options[next(options.len())]
            ));
        }
        let parsed = parse_consent_csv(&csv);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors.first());
        let profiles = unify_consent(&parsed.records).unwrap();
        for rule in rules {
            let one_call = consent_guard::consent::evaluate_segment_csv(rule, &csv).unwrap();
            assert_eq!(
                one_call.keys,
                evaluate_segment(rule, &profiles).unwrap(),
                "{rule}"
            );
            assert_eq!(one_call.profiles, profiles.len(), "{rule}");
        }
    }
}

#[test]
fn deeply_nested_rules_are_an_error_not_a_stack_overflow() {
    let deep = format!(
        "{}Consent value=True{}",
        "(".repeat(50_000),
        ")".repeat(50_000)
    );
    assert_eq!(
        parse_rule(&deep).unwrap_err().to_string(),
        "column 65: the rule nests '!' and '(' more than 64 deep"
    );
    let nots = format!("{}Consent value=True", "!".repeat(100));
    assert!(parse_rule(&nots).is_err());
    let fine = format!("{}Consent value=True{}", "(".repeat(64), ")".repeat(64));
    assert!(parse_rule(&fine).is_ok());
}

#[test]
fn the_nesting_limit_counts_depth_not_groups_side_by_side() {
    // A hundred groups one after another nest one deep each.
    let side_by_side = vec!["(Consent value=True)"; 100].join(" & ");
    assert!(parse_rule(&side_by_side).is_ok());
    let negations = vec!["!Consent option=A"; 100].join(" | ");
    assert!(parse_rule(&negations).is_ok());
}

#[test]
fn rules_print_in_their_shortest_form() {
    for (text, printed) in [
        (
            "Consent option=A & (Consent option=B | Consent option=C)",
            "Consent option=\"a\" & (Consent option=\"b\" | Consent option=\"c\")",
        ),
        (
            "Consent option=A | Consent option=B & Consent value=False",
            "Consent option=\"a\" | Consent option=\"b\" & Consent value=False",
        ),
        ("!Consent value=True", "!Consent value=True"),
        ("!!Consent ID!=7", "!!Consent ID!=\"7\""),
        (
            "!(Consent option=A | Consent date<2024-01-01)",
            "!(Consent option=\"a\" | Consent date<\"2024-01-01\")",
        ),
    ] {
        assert_eq!(parse_rule(text).unwrap().to_string(), printed, "{text}");
    }
}

#[test]
fn a_value_error_names_the_column_of_the_value_past_the_spaces() {
    let error = parse_rule("Consent value=   maybe").unwrap_err();
    assert_eq!(error.column, 18, "{error}");
    let error = parse_rule("Consent date >=  yesterday").unwrap_err();
    assert_eq!(error.column, 18, "{error}");
}

#[test]
fn a_quoted_option_with_spaces_around_it_means_the_option_inside_them() {
    // The table keeps the option as written (" A "); a rule that quotes it as shown matches it,
    // through the profiles and through the one call alike.
    let table = "Email,Consent option,Consent value\na@b.nl,\" A \",yes\nc@d.nl,AB,yes\n";
    let profiles = unify_consent(&parse_consent_csv(table).records).unwrap();
    assert_eq!(profiles[0].consents[0].0, " A ");
    for rule in [
        "Consent option=\" A \"",
        "Consent option=\"a\"",
        "Consent option= A ",
    ] {
        let selected = parse_rule(rule).unwrap().select(&profiles);
        assert_eq!(selected, ["a@b.nl"], "{rule}");
        let one_call = consent_guard::consent::evaluate_segment_csv(rule, table).unwrap();
        assert_eq!(one_call.keys, ["a@b.nl"], "{rule}");
    }
    let others = parse_rule("Consent option!=\" A \"")
        .unwrap()
        .select(&profiles);
    assert_eq!(others, ["c@d.nl"]);
}
