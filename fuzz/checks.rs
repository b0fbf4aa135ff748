//! The properties each fuzz target checks on arbitrary bytes. The cargo-fuzz targets (nightly)
//! call them, and so does `tests/fuzz_corpus.rs` on the committed corpus (stable, in `npm test`),
//! so that what fuzzing found stays found. Each panics when a property breaks.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use consent_guard::consent::{
    columns_of_records, evaluate_segment, evaluate_segment_csv, parse_consent_csv,
    parse_consent_value, parse_rule, profiles_of, record_of, records_of_columns, rule_reads,
    select_columns, unify_columns, unify_consent, ConsentProfile, ConsentReader, ParsedCsv,
    ProfileColumns,
};
use consent_guard::email::is_valid_email;
use consent_guard::form::settings::{read_settings, OrgSettings};
use consent_guard::json;
use consent_guard::save::{evaluate_save, SaveRequest};
use consent_guard::value::{Input, Value};

/// The CSV reader: any bytes in pieces read as in one piece; errors name real lines; and a
/// well-formed table built from the same bytes reads back as a simple reference reader says.
pub fn csv_reader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let whole = parse_consent_csv(&text);
    let lines = text.split(['\n', '\r']).count().max(1);
    for error in &whole.errors {
        assert!(
            error.line >= 1 && error.line <= lines,
            "{error:?} of {lines} lines"
        );
        assert!(!error.message.is_empty());
        // The text is a `str`: every row of it is UTF-8, however the reader cuts it.
        assert_ne!(error.message, "the row is not UTF-8 text", "{text:?}");
    }
    let cuts: Vec<usize> = data
        .iter()
        .take(4)
        .map(|b| usize::from(*b) * text.len() / 256)
        .collect();
    assert_eq!(
        read_in_pieces(text.as_bytes(), &cuts),
        whole,
        "read in pieces at {cuts:?}"
    );
    let segment = evaluate_segment_csv("Consent value=True", &text).expect("the rule parses");
    assert_eq!(
        segment.errors, whole.errors,
        "the one-call segment reports the same rows"
    );
    // The three calls (records, then profiles, then the segment) agree with the one call.
    let profiles = unify_consent(&whole.records).expect("records read from a table unify");
    assert_eq!(profiles.len(), segment.profiles, "the number of profiles");
    let keys = evaluate_segment("Consent value=True", &profiles).expect("the rule parses");
    assert_eq!(keys, segment.keys, "the three calls select the same keys");
    // A rule on one option: the one call unifies only that option's rows, and still agrees.
    if let Some(first) = whole.records.first() {
        let rule = format!(
            "Consent option=\"{}\" & Consent value=True",
            first.option.replace('"', "\"\"")
        );
        let one_option = evaluate_segment_csv(&rule, &text).expect("the rule parses");
        let keys = evaluate_segment(&rule, &profiles).expect("the rule parses");
        assert_eq!(
            keys, one_option.keys,
            "{rule}: the three calls select the same keys"
        );
        assert_eq!(
            profiles.len(),
            one_option.profiles,
            "{rule}: the number of profiles"
        );
    }
    column_paths_agree(&whole);
    // What crosses the boundary writes as JSON that reads back as the same value.
    let answer = whole.to_value();
    let mut written = String::new();
    json::write(&answer, &mut written);
    assert_eq!(json::parse(&written).as_ref(), Ok(&answer), "{written}");
    well_formed_table(data);
}

/// The column paths of `unifyConsent` and `evaluateSegment` answer as the general path does,
/// on the records of a table and the profiles they unify to.
fn column_paths_agree(parsed: &ParsedCsv) {
    let records = &parsed.records;
    let columns = columns_of_records(records);
    assert_eq!(records_of_columns(&columns).as_ref(), Some(records));
    let mut shape = vec![0; records.len() * 3 + 1];
    let keys = unify_columns(&columns.text, &columns.lengths, &columns.flags, &mut shape);
    let profiles = unify_consent(records).unwrap();
    assert_eq!(
        keys.and_then(|keys| profiles_of(&keys, &shape, records))
            .as_ref(),
        Some(&profiles),
        "unifyConsent's column path"
    );
    for rule in [
        "Consent value=True",
        "Consent date>=2024-01-01 | Consent ID=1",
    ] {
        let profile_columns = ProfileColumns::of_profiles(&profiles, rule_reads(rule));
        let selected = select_columns(
            rule,
            &profile_columns.text,
            &profile_columns.lengths,
            profile_columns.option_count,
            &profile_columns.counts,
            &profile_columns.consents,
        )
        .unwrap();
        let keys: Vec<String> = selected
            .iter()
            .map(|&n| profiles[n as usize].key.clone())
            .collect();
        assert_eq!(
            Ok(keys),
            evaluate_segment(rule, &profiles),
            "evaluateSegment's column path"
        );
    }
}

/// Read `bytes` cut at `cuts`, as a stream hands them over.
fn read_in_pieces(bytes: &[u8], cuts: &[usize]) -> ParsedCsv {
    let mut sorted = cuts.to_vec();
    sorted.sort_unstable();
    let mut reader = ConsentReader::new();
    let mut records = Vec::new();
    let mut start = 0;
    for (i, cut) in sorted.into_iter().chain([bytes.len()]).enumerate() {
        let cut = cut.clamp(start, bytes.len());
        let piece = &bytes[start..cut];
        if i % 2 == 0 {
            reader.push(piece, &mut |row| records.push(record_of(row)));
        } else {
            // As the module's memory takes a piece: written into room the reader gives.
            reader.space(piece.len()).copy_from_slice(piece);
            reader.commit(piece.len(), &mut |row| records.push(record_of(row)));
        }
        start = cut;
    }
    let errors = reader.finish(&mut |row| records.push(record_of(row)));
    ParsedCsv { records, errors }
}

/// Cells a generated table is made of: awkward for a CSV reader, plain for the consent rules.
const OPTIONS: [&str; 9] = [
    "Newsletter",
    "SMS",
    "a,b",
    "say \"hi\"",
    "two\nlines",
    " spaced ",
    "Événements",
    "x;y",
    // Quote pairs before characters of several bytes: each pair leaves a byte behind.
    "\"hi\" 日本 \"😀\"",
];
const VALUES: [&str; 6] = ["true", "False", "yes", "no", "1", "0"];

/// Quote a field when it must be (or when `always`), as RFC 4180 writes it.
fn field(text: &str, always: bool) -> String {
    if always || text.contains([',', '"', '\n', '\r']) || text.trim() != text {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A table that is well-formed by construction, from `data`: the reader must give each row's
/// key, option (as written) and value, in order.
fn well_formed_table(data: &[u8]) {
    let line_end = if data.first().is_some_and(|b| b & 1 == 1) {
        "\r\n"
    } else {
        "\n"
    };
    let mut text = format!("Email,Consent option,Consent value{line_end}");
    let mut expected = Vec::new();
    for (row, chunk) in data.chunks(3).skip(1).take(64).enumerate() {
        let [a, b, c] = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let key = format!("p{}@example.com", a % 16);
        let option = OPTIONS[usize::from(b) % OPTIONS.len()];
        let value = VALUES[usize::from(c) % VALUES.len()];
        text.push_str(&format!(
            "{},{},{}{line_end}",
            field(&key, c & 8 != 0),
            field(option, b & 16 != 0),
            value
        ));
        expected.push((
            key,
            option.to_string(),
            parse_consent_value(value).expect("a value"),
            row,
        ));
    }
    let parsed = parse_consent_csv(&text);
    assert_eq!(parsed.errors, [], "{text:?}");
    let got: Vec<(String, String, bool)> = parsed
        .records
        .iter()
        .map(|r| (r.key.clone(), r.option.clone(), r.value))
        .collect();
    let want: Vec<(String, String, bool)> =
        expected.into_iter().map(|(k, o, v, _)| (k, o, v)).collect();
    assert_eq!(got, want, "{text:?}");
}

/// People with dated and undated consents, ids and options in different case: what a rule is
/// evaluated on.
const PEOPLE: &str = "Email,Phone,Consent option,Consent value,Consent date,Consent ID\n\
    a@example.com,,Newsletter,true,2024-03-01,N-1\n\
    a@example.com,,SMS,false,,\n\
    ,+31 6 1234 5678,newsletter,false,2024-03-01T10:00:00Z,N-2\n\
    ,+31 6 1234 5678,Events,true,2023-12-31,\n\
    b@example.com,,Newsletter,true,,N-3\n\
    c@example.com,,Events,false,2025-01-01,E-9\n";

/// A rule that parses selects the same people by the one-call and the three-call path; `r & r`
/// selects what `r` does; `r | !r` selects everyone and `r & !r` no one (a consent matches a
/// test or its negation, never both).
fn rule_selects(rule: &str) {
    static PROFILES: std::sync::OnceLock<Vec<ConsentProfile>> = std::sync::OnceLock::new();
    let profiles = PROFILES.get_or_init(|| {
        let parsed = parse_consent_csv(PEOPLE);
        assert_eq!(parsed.errors, []);
        unify_consent(&parsed.records).expect("the records unify")
    });
    let one_call = evaluate_segment_csv(rule, PEOPLE).expect("the rule parses");
    let select = |rule: &str| evaluate_segment(rule, profiles).expect("the rule parses");
    let three_calls = select(rule);
    assert_eq!(
        one_call.keys, three_calls,
        "{rule:?}: one call and three calls"
    );
    assert_eq!(
        select(&format!("({rule}) & ({rule})")),
        three_calls,
        "{rule:?} & itself"
    );
    let everyone: Vec<String> = profiles.iter().map(|p| p.key.clone()).collect();
    assert_eq!(
        select(&format!("({rule}) | !({rule})")),
        everyone,
        "{rule:?} | its negation"
    );
    assert_eq!(
        select(&format!("({rule}) & !({rule})")),
        Vec::<String>::new(),
        "{rule:?} & its negation"
    );
}

/// The segment rule parser: a rule that parses prints back to an equal rule; one that does not
/// names a column inside the text (or just after it).
pub fn segment_rule(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_rule(text) {
        Ok(rule) => {
            let printed = rule.to_string();
            assert_eq!(
                parse_rule(&printed).as_ref(),
                Ok(&rule),
                "{text:?} printed as {printed:?}"
            );
            rule_selects(&printed);
        }
        Err(error) => {
            assert!(
                error.column >= 1 && error.column <= text.chars().count() + 1,
                "{text:?}: {error:?}"
            );
            assert!(error
                .to_string()
                .starts_with(&format!("column {}: ", error.column)));
        }
    }
}

/// `evaluateSave` on any JSON: a request that reads gives a verdict that keeps the invariants;
/// one that does not is named by its path.
pub fn save_request(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = json::parse(text) else { return };
    match SaveRequest::read(Input::root(&value, "request")) {
        Ok(request) => {
            let verdict = evaluate_save(&request);
            assert!(!(verdict.prompt && verdict.block));
            assert_eq!(verdict.prompt || verdict.block, verdict.anonymize);
            assert_eq!(verdict.block, verdict.anonymize && request.save_mode == 70);
            assert!(!verdict.anonymize || !verdict.reasons.is_empty());
            assert!(request.before.is_some() || !verdict.anonymize);
        }
        Err(error) => {
            assert!(error.path.starts_with("request"), "{error}");
            assert!(!error.message.is_empty());
        }
    }
}

/// Email validity: never panics, and a valid address has one `@` and a dotted domain of
/// letters, digits and hyphens.
pub fn email(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if is_valid_email(&text) {
        let trimmed = text.trim_matches([' ', '\t', '\n', '\r', '\x0c']);
        assert_eq!(trimmed.matches('@').count(), 1, "{text:?}");
        let domain = trimmed.split('@').nth(1).unwrap_or_default();
        assert!(
            domain.contains('.') && domain.split('.').all(|l| !l.is_empty() && l.len() <= 63),
            "{text:?}"
        );
        assert!(trimmed.is_ascii(), "{text:?}");
    }
}

/// The settings reader: any JSON, on the form and in the org's variable, gives settings and a
/// list of problems; problems never weaken the guard ("Anonymize Contact When Inactive" on).
pub fn settings(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (form, org) = text.split_once('\u{1f}').unwrap_or((&text, ""));
    // Form text that is not JSON comes with the parser's reason, as the boundary passes it.
    let (form, form_error) = match json::parse(form) {
        Ok(value) => (value, None),
        Err(_) => (Value::Null, Some("not JSON")),
    };
    let variable = String::from("cg_ConsentGuardSettings");
    // An org value that is not JSON is taken as the variable's unreadable text, or (after a
    // second separator) as a read that failed.
    let org = match (org.split_once('\u{1f}'), json::parse_noting_repeats(org)) {
        (_, Ok((value, repeated))) if !org.is_empty() => Some(OrgSettings::Given {
            variable,
            value,
            repeated,
        }),
        (Some((_, reason)), _) => Some(OrgSettings::Unreadable {
            variable,
            reason: reason.into(),
        }),
        (None, Err(_)) if !org.is_empty() => Some(OrgSettings::NotJson {
            variable,
            reason: org.into(),
        }),
        _ => None,
    };
    let outcome = read_settings(&form, form_error, org.as_ref());
    let value = outcome.to_value(Some(1033), "contact");
    let Value::Object(fields) = value else {
        panic!("settings answer as an object")
    };
    let valid = fields
        .iter()
        .find(|(name, _)| name == "valid")
        .map(|(_, v)| v.clone());
    assert_eq!(valid, Some(Value::Bool(outcome.problems.is_empty())));
    for problem in &outcome.problems {
        assert!(
            [
                "settings",
                "environment variable",
                "the environment variable"
            ]
            .iter()
            .any(|source| problem.starts_with(source)),
            "{problem}"
        );
    }
}

/// The boundary's value reader and writer: JSON that parses writes back to text that parses to
/// the same value, but for what the writer leaves out by design: a number that is no integer
/// of at most 2^53 (the API answers with none) is written as null, and -0 as 0.
pub fn value_reader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = json::parse(text) else { return };
    let mut written = String::new();
    json::write(&value, &mut written);
    let again =
        json::parse(&written).unwrap_or_else(|e| panic!("{written:?} does not parse again: {e:?}"));
    assert_eq!(again, as_written(&value), "{text:?} wrote {written:?}");
}

/// `value` as the writer keeps it.
fn as_written(value: &Value) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        Value::Number(n) if n.fract() == 0.0 && n.abs() <= EXACT => Value::Number(*n + 0.0),
        Value::Number(_) | Value::Unsupported(_) => Value::Null,
        Value::Array(items) => Value::Array(items.iter().map(as_written).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(n, v)| (n.clone(), as_written(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Every operation of the module's call dispatch (the public functions and the form script's
/// own calls) on arbitrary JSON: the first byte chooses the operation and the language, the rest
/// is the input. No input makes the module panic (a trap at the boundary), and every answer has
/// the shape declared for it, from which the TypeScript types are generated.
pub fn form_calls(data: &[u8]) {
    const LANGUAGES: [Option<u32>; 6] = [
        None,
        Some(1033),
        Some(1043),
        Some(1031),
        Some(1036),
        Some(0x10407),
    ];
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let operations = consent_guard::shapes::OPERATIONS;
    let operation = &operations[usize::from(selector) % operations.len()];
    let language = LANGUAGES[usize::from(selector) / operations.len() % LANGUAGES.len()];
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(input) = json::parse(text) else { return };
    if let Ok(answer) = consent_guard::calls::call(operation.name, &input, language) {
        if let Err(e) = consent_guard::shapes::check(&answer, &operation.output, "answer") {
            panic!(
                "{} on {text:?} answers off its declaration: {e}",
                operation.name
            );
        }
    }
}
