//! The column paths of `unifyConsent` and `evaluateSegment` (`src/consent/columns.rs`) answer as
//! the general path does on generated records and profiles, and give up on anything unusual,
//! which the script then sends the general way.
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::Random;
use consent_guard::consent::{
    columns_of_records, evaluate_segment, profiles_of, rule_reads, select_columns, unify_columns,
    unify_consent, ConsentProfile, ConsentRecord, ProfileColumns, OPTION_SHIFT, READS_DATES,
    READS_IDS,
};

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.next(n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const KEYS: [&str; 8] = [
    "a@b.nl",
    " A@B.NL ",
    "c@d.de",
    "+31 (6) 12-34",
    "+316 1234",
    "\"q\\uote\"@x.fr",
    "\u{c9}mile@x.fr",
    "\u{1f600}@x.fr",
];
const OPTIONS: [&str; 8] = [
    "News",
    "news",
    " NEWS ",
    "Sms",
    "Caf\u{e9} \"x\"\n",
    "sms",
    "\u{1f600}",
    "__proto__",
];
const DATES: [Option<&str>; 6] = [
    None,
    Some("2024-05-03"),
    Some("2024-05-03T10:00:00Z"),
    Some("2024-05-02T23:00:00-02:00"),
    Some("2023-01-01"),
    Some("2024-05-03T10:00"),
];

fn records(seed: &mut Random, count: usize) -> Vec<ConsentRecord> {
    (0..count)
        .map(|_| ConsentRecord {
            consent_id: match seed.below(4) {
                0 => None,
                1 => Some("\u{e9}".repeat(seed.below(3))),
                n => Some((n + seed.below(5)).to_string()),
            },
            key: seed.pick(&KEYS).to_string(),
            option: seed.pick(&OPTIONS).to_string(),
            value: seed.below(2) == 0,
            date: DATES[seed.below(DATES.len())].map(str::to_string),
        })
        .collect()
}

/// `unifyConsent` through the columns, as the script makes the call and reads the answer.
fn unify_through_columns(records: &[ConsentRecord]) -> Option<Vec<ConsentProfile>> {
    let columns = columns_of_records(records);
    let mut shape = vec![0; records.len() * 3 + 1];
    let keys = unify_columns(&columns.text, &columns.lengths, &columns.flags, &mut shape)?;
    profiles_of(&keys, &shape, records)
}

/// `evaluateSegment` through the columns, as the script makes the call and reads the answer.
fn select_through_columns(rule: &str, profiles: &[ConsentProfile]) -> Option<Vec<String>> {
    let reads = rule_reads(rule);
    let columns = ProfileColumns::of_profiles(profiles, reads);
    let selected = select_columns(
        rule,
        &columns.text,
        &columns.lengths,
        columns.option_count,
        &columns.counts,
        &columns.consents,
    )?;
    Some(
        selected
            .iter()
            .map(|&n| profiles[n as usize].key.clone())
            .collect(),
    )
}

#[test]
fn unify_answers_as_the_general_path_on_generated_records() {
    let mut seed = Random(0x9e37_79b9_7f4a_7c15);
    for round in 0..400 {
        let records = records(&mut seed, round % 40);
        let general = unify_consent(&records).ok();
        assert!(general.is_some(), "{records:?}");
        assert_eq!(unify_through_columns(&records), general, "{records:?}");
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
        "Consent option=\u{1f600} | Consent ID=\u{e9}",
    ];
    for round in 0..200 {
        let profiles = unify_consent(&records(&mut seed, round % 30)).unwrap();
        for rule in rules {
            let general = evaluate_segment(rule, &profiles).ok();
            assert!(general.is_some(), "{rule}");
            assert_eq!(select_through_columns(rule, &profiles), general, "{rule}");
        }
    }
}

#[test]
fn what_the_rule_reads_is_what_crosses() {
    assert_eq!(rule_reads("Consent option=a & Consent value=true"), 0);
    assert_eq!(rule_reads("Consent date>2024-01-01"), READS_DATES);
    assert_eq!(rule_reads("!(Consent ID=1)"), READS_IDS);
    assert_eq!(
        rule_reads("Consent ID=1 | Consent date<2024-01-01"),
        READS_DATES | READS_IDS
    );
    assert_eq!(rule_reads("Consent value="), -1);
}

#[test]
fn records_that_do_not_unify_are_left_to_the_general_path() {
    let good = ConsentRecord {
        consent_id: Some("1".into()),
        key: "a@b.nl".into(),
        option: "News".into(),
        value: true,
        date: Some("2024-05-03".into()),
    };
    for bad in [
        ConsentRecord {
            key: " ".into(),
            ..good.clone()
        },
        ConsentRecord {
            option: " ".into(),
            ..good.clone()
        },
        ConsentRecord {
            date: Some("May".into()),
            ..good.clone()
        },
    ] {
        let records = [good.clone(), bad];
        assert!(unify_consent(&records).is_err());
        assert_eq!(unify_through_columns(&records), None, "{records:?}");
    }
    // Columns that do not fit: a length past the text, text left over, too few lengths, a
    // character cut in two, and no room for the answer.
    let columns = columns_of_records(std::slice::from_ref(&good));
    let unify = |text: &str, lengths: &[u32], flags: &[u8], room: usize| {
        unify_columns(text, lengths, flags, &mut vec![0; room])
    };
    let (text, lengths, flags) = (&columns.text, &columns.lengths, &columns.flags);
    assert!(unify(text, lengths, flags, 4).is_some());
    assert_eq!(unify(text, &[1, 6, 4, 11], flags, 4), None);
    assert_eq!(unify(&format!("{text}x"), lengths, flags, 4), None);
    assert_eq!(unify(text, &lengths[..3], flags, 4), None);
    assert_eq!(unify("\u{1f600}a@b.nlNews", &[1, 7, 4, 0], &[1], 4), None);
    assert_eq!(unify(text, lengths, flags, 3), None);
}

#[test]
fn profiles_that_do_not_fit_are_left_to_the_general_path() {
    let rule = "Consent option=news & Consent value=true";
    let select = |text: &str, lengths: &[u32], options: u32, counts: &[u32], consents: &[u32]| {
        select_columns(rule, text, lengths, options, counts, consents)
    };
    let yes = (0 << OPTION_SHIFT) | 1;
    assert_eq!(select("News", &[4], 1, &[1], &[yes]), Some(vec![0]));
    assert_eq!(select("News", &[4], 1, &[0, 1], &[yes]), Some(vec![1]));
    // An option that was not named, a consent too many or too few, a bad rule.
    assert_eq!(
        select("News", &[4], 1, &[1], &[(1 << OPTION_SHIFT) | 1]),
        None
    );
    assert_eq!(select("News", &[4], 1, &[1], &[yes, yes]), None);
    assert_eq!(select("News", &[4], 1, &[2], &[yes]), None);
    assert_eq!(select("News", &[4], 2, &[1], &[yes]), None);
    assert_eq!(
        select_columns("Consent value=", "News", &[4], 1, &[1], &[yes]),
        None
    );
    // A rule that reads dates takes each consent's date and Consent ID.
    let dated = "Consent date>=2024-01-01";
    assert_eq!(
        select_columns(dated, "News2024-05-031", &[4, 10, 1], 1, &[1], &[1 | 2 | 4]),
        Some(vec![0])
    );
    assert_eq!(select_columns(dated, "News", &[4], 1, &[1], &[1]), None);
}
