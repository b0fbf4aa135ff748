//! The consent CSV reader on real files: separators, line ends, exact quoted text, each key
//! column judged by its own rule, empty rows, and tables read in pieces.
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use consent_guard::consent::{
    evaluate_segment_csv, normalize_key, parse_consent_csv, record_of, unify_consent,
    ConsentReader, CsvError, ParsedCsv,
};
use proptest::prelude::*;

fn errors(parsed: &ParsedCsv) -> Vec<(usize, &str)> {
    parsed
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect()
}

#[test]
fn tab_separated_with_a_quoted_field_before_a_tab() {
    let parsed = parse_consent_csv("Email\tConsent option\tConsent value\na@b.com\t\"x\"\ttrue\n");
    assert_eq!(errors(&parsed), []);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.records[0].option, "x");
    // A quoted header cell too.
    let quoted_header =
        parse_consent_csv("\"Email\"\t\"Consent option\"\t\"Consent value\"\na@b.com\tx\tyes\n");
    assert_eq!(errors(&quoted_header), []);
    assert_eq!(quoted_header.records.len(), 1);
}

#[test]
fn cr_line_ends_with_semicolons_or_tabs_and_a_comma_in_the_data() {
    let parsed = parse_consent_csv("Email;Consent option;Consent value\ra@b.com;x,y;true\r");
    assert_eq!(errors(&parsed), []);
    assert_eq!(parsed.records[0].option, "x,y");
    let tabs = parse_consent_csv(
        "Email\tConsent option\tConsent value\ra@b.com\tx,y\ttrue\rb@c.de\tz\tno",
    );
    assert_eq!(errors(&tabs), []);
    assert_eq!(tabs.records.len(), 2);
    // The separator is the one the header uses most, even with a comma in a header note.
    let noted = parse_consent_csv(
        "Consent ID (primary, key);Email;Consent option;Consent value\n1;a@b.com;x;1\n",
    );
    assert_eq!(errors(&noted), []);
    assert_eq!(noted.records[0].consent_id.as_deref(), Some("1"));
}

#[test]
fn a_quote_inside_a_header_name_is_text_and_the_separator_is_the_headers() {
    // Before, the quote opened a quoted field for the guess, which then ran into the next line
    // and counted its commas: the whole table was lost to "the header has no Email".
    let text = "Email;Consent option;Consent value;Size 5\" disk\na@b.co;x;yes;\"one, two, three, four\"\n";
    let parsed = parse_consent_csv(text);
    assert_eq!(errors(&parsed), []);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(parsed.records[0].option, "x");
    for cut in 0..=text.len() {
        if text.is_char_boundary(cut) {
            assert_eq!(read_in_pieces(text, &[cut]), parsed, "cut at {cut}");
        }
    }
}

#[test]
fn quoted_text_is_kept_exactly() {
    let csv = "Consent ID,Email,Consent option,Consent value\n\
               \" B  \",a@b.com,\"\na\",true\n\
               \tC ,a@b.com,  plain  ,false\n";
    let parsed = parse_consent_csv(csv);
    assert_eq!(errors(&parsed), []);
    assert_eq!(parsed.records[0].consent_id.as_deref(), Some(" B  "));
    assert_eq!(parsed.records[0].option, "\na");
    // Unquoted fields are trimmed.
    assert_eq!(parsed.records[1].consent_id.as_deref(), Some("C"));
    assert_eq!(parsed.records[1].option, "plain");
    // Options still match without case or surrounding space, and keep their spelling.
    let profiles = unify_consent(&parsed.records).unwrap();
    let segment = evaluate_segment_csv("Consent option=A", csv).unwrap();
    assert_eq!(segment.keys, ["a@b.com"]);
    assert_eq!(profiles[0].consents[0].0, "\na");
}

#[test]
fn a_quote_pair_before_a_character_of_several_bytes_is_read() {
    // The pair turned into one quote leaves a byte behind; it must not cut the row's text.
    let csv = "Consent ID,Email,Consent option,Consent value\n\
               \"7\"\"é\",a@b.com,\"Café \"\"😀\"\"\",true\n";
    let parsed = parse_consent_csv(csv);
    assert_eq!(errors(&parsed), []);
    assert_eq!(parsed.records[0].consent_id.as_deref(), Some("7\"é"));
    assert_eq!(parsed.records[0].option, "Café \"😀\"");
    let segment = evaluate_segment_csv("Consent option=café \"😀\" & Consent ID=7\"é", csv);
    assert_eq!(segment.unwrap().keys, ["a@b.com"]);
}

#[test]
fn each_key_column_is_judged_by_its_own_rule() {
    let csv = "Email,Phone,Consent option,Consent value\n\
               not-an-email,,News,true\n\
               ,+31 6 1234 5678,News,true\n\
               ,call me,News,true\n\
               holly@contoso,+31 6 1234 5678,News,true\n\
               Holly@Contoso.com,,News,true\n\
               ,12,News,true\n";
    let parsed = parse_consent_csv(csv);
    assert_eq!(
        errors(&parsed),
        [
            (2, "Email 'not-an-email' is not an email address"),
            (
                4,
                "Phone 'call me' is not a phone number (3 to 20 digits, optionally after a +)"
            ),
            (5, "Email 'holly@contoso' is not an email address"),
            (
                7,
                "Phone '12' is not a phone number (3 to 20 digits, optionally after a +)"
            ),
        ]
    );
    let keys: Vec<&str> = parsed.records.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["+31612345678", "holly@contoso.com"]);
}

/// A phone's key drops what `unifyConsent`'s normalization drops, whatever the whitespace.
#[test]
fn phone_keys_are_normalized_as_records_are() {
    for phone in [
        "020\u{b}123 4567",
        "+31\u{a0}20-123.45 67",
        "(020) 123\t4567",
    ] {
        let parsed = parse_consent_csv(&format!(
            "Phone,Consent option,Consent value\n\"{phone}\",News,true\n"
        ));
        assert_eq!(errors(&parsed), [], "{phone:?}");
        assert_eq!(parsed.records[0].key, normalize_key(phone), "{phone:?}");
    }
}

#[test]
fn rows_of_empty_fields_are_reported_and_blank_lines_skipped() {
    let csv = "Email,Consent option,Consent value\n\
               a@b.com,x,true\n\
               ,,\n\
               \n\
               \"\",  ,\n\
               b@c.de,y,false\n";
    let parsed = parse_consent_csv(csv);
    assert_eq!(
        errors(&parsed),
        [
            (3, "the row has only empty fields"),
            (5, "the row has only empty fields")
        ]
    );
    assert_eq!(parsed.records.len(), 2);
}

#[test]
fn a_byte_order_mark_and_bad_utf8_rows() {
    let mut bytes = "\u{feff}Email,Consent option,Consent value\na@b.com,x,1\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"b@c.de,\xff\xfe,1\nc@d.nl,z,0\n");
    let mut reader = ConsentReader::new();
    let mut keys = Vec::new();
    reader.push(&bytes, &mut |row| keys.push(row.key.to_string()));
    let errors = reader.finish(&mut |row| keys.push(row.key.to_string()));
    assert_eq!(keys, ["a@b.com", "c@d.nl"]);
    assert_eq!(
        errors,
        [CsvError {
            line: 3,
            message: "the row is not UTF-8 text".into()
        }]
    );
}

/// Read `text` cut at the given byte offsets, the way a stream hands it over.
fn read_in_pieces(text: &str, cuts: &[usize]) -> ParsedCsv {
    let bytes = text.as_bytes();
    let mut reader = ConsentReader::new();
    let mut records = Vec::new();
    let mut start = 0;
    for &cut in cuts.iter().chain([bytes.len()].iter()) {
        let cut = cut.clamp(start, bytes.len());
        let piece = &bytes[start..cut];
        // Half the pieces go through `space` and `commit`, as the JavaScript side writes them.
        if cut % 2 == 0 {
            reader.push(piece, &mut |row| records.push(record_of(row)));
        } else {
            let room = reader.space(piece.len() + 7);
            room[..piece.len()].copy_from_slice(piece);
            reader.commit(piece.len(), &mut |row| records.push(record_of(row)));
        }
        start = cut;
    }
    let errors = reader.finish(&mut |row| records.push(record_of(row)));
    ParsedCsv { records, errors }
}

const AWKWARD: &str =
    "\u{feff}Consent ID;Email;Phone;Consent option;Consent value;Consent date\r\n\
    1;Anne@Example.COM;;\"News; \"\"weekly\"\"\r\nletter\";yes;\r\n\
    2;;+31 (0)6-12;SMS;1;2024-01-02\r\
    \r\n\
    ;;;;;\n\
    3;b@c.de;;\"x\" z;1;\n\
    4;c@d.nl;;Événements;no;2024-05-03T10:00:00+02:00\n\
    5;d@e.fr;;\"open";

#[test]
fn one_byte_at_a_time_equals_one_piece() {
    let whole = parse_consent_csv(AWKWARD);
    let read: Vec<(&str, &str)> = whole
        .records
        .iter()
        .map(|r| (r.key.as_str(), r.option.as_str()))
        .collect();
    assert_eq!(
        read,
        [
            ("anne@example.com", "News; \"weekly\"\r\nletter"),
            ("+310612", "SMS"),
            ("c@d.nl", "Événements")
        ]
    );
    assert_eq!(
        errors(&whole),
        [
            (6, "the row has only empty fields"),
            (7, "text after a closing quote (column 15)"),
            (9, "a quoted field is not closed")
        ]
    );
    let every_byte: Vec<usize> = (1..AWKWARD.len()).collect();
    assert_eq!(read_in_pieces(AWKWARD, &every_byte), whole);
    for cut in 0..=AWKWARD.len() {
        assert_eq!(read_in_pieces(AWKWARD, &[cut]), whole, "cut at {cut}");
    }
}

proptest! {
    #[test]
    fn any_cutting_gives_the_one_piece_result(
        mut cuts in proptest::collection::vec(0usize..AWKWARD.len(), 0..12)
    ) {
        cuts.sort_unstable();
        prop_assert_eq!(read_in_pieces(AWKWARD, &cuts), parse_consent_csv(AWKWARD));
    }
}

/// Found by fuzzing: with a byte order mark, an error's column on the first line counted the mark
/// when the text came in one piece, and not when it came in several.
#[test]
fn a_byte_order_mark_is_no_column() {
    let text = "\u{feff}Email,\"Consent option\"x,Consent value\n";
    let expected = [CsvError {
        line: 1,
        message: "text after a closing quote (column 23)".into(),
    }];
    assert_eq!(parse_consent_csv(text).errors, expected);
    for cut in 1..text.len() {
        assert_eq!(
            read_in_pieces(text, &[cut]).errors,
            expected,
            "cut at {cut}"
        );
    }
}

/// Progress as a stream reports it: the bytes of every complete row read (a byte order mark
/// included) and the rows, good and bad, without the header or blank lines.
#[test]
fn progress_counts_the_bytes_and_rows_read() {
    let text =
        "\u{feff}Email,Consent option,Consent value\na@b.com,x,1\n\nnot-an-email,y,0\nc@d.nl,z,1";
    let bytes = text.as_bytes();
    let mut reader = ConsentReader::new();
    let mut seen = 0;
    let header_end = text.find("a@b.com").unwrap();
    reader.push(&bytes[..header_end], &mut |_| seen += 1);
    assert_eq!((reader.bytes(), reader.rows()), (header_end as u64, 0));
    let rest = &bytes[header_end..];
    let incomplete = rest.len() - "c@d.nl,z,1".len();
    reader.push(&rest[..incomplete], &mut |_| seen += 1);
    // The last row has no line break yet: it is not read until more comes or the table ends.
    assert_eq!(reader.bytes(), (header_end + incomplete) as u64);
    assert_eq!(
        reader.rows(),
        2,
        "one good row and one bad, not the blank line"
    );
    reader.push(&rest[incomplete..], &mut |_| seen += 1);
    assert_eq!(reader.rows(), 2);
    let errors = reader.finish(&mut |_| seen += 1);
    assert_eq!(seen, 2);
    assert_eq!(errors.len(), 1);
}

/// Behaviours a mutation run (`cargo mutants`) showed no test named.
mod named_by_mutants {
    use super::*;

    #[test]
    fn blank_lines_before_the_header_count_as_lines() {
        let parsed =
            parse_consent_csv("\n\nEmail,Consent option,Consent value\nnot-an-email,x,1\n");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 4);
    }

    #[test]
    fn a_line_of_other_spaces_before_the_header_leaves_the_separator_to_the_header() {
        // No-break and ideographic spaces, and a vertical tab: blank as a row, so blank here too.
        for blank in ["\u{a0}", "\u{3000} ", "\x0b"] {
            let text = format!("{blank}\nEmail;Consent option;Consent value\na@b.nl;N;true\n");
            let parsed = parse_consent_csv(&text);
            assert_eq!(parsed.errors, [], "{blank:?}");
            assert_eq!(parsed.records.len(), 1, "{blank:?}");
        }
    }

    #[test]
    fn a_row_with_a_quoting_error_counts_as_a_row_read() {
        let mut reader = ConsentReader::new();
        reader.push(
            b"Email,Consent option,Consent value\na@b.com,\"x\"y,1\nb@c.de,z,0\n",
            &mut |_| {},
        );
        assert_eq!(reader.rows(), 2);
    }

    #[test]
    fn with_both_key_columns_and_neither_value_the_error_says_so() {
        let parsed = parse_consent_csv("Email,Phone,Consent option,Consent value\n,,x,1\n");
        assert_eq!(parsed.errors.len(), 1);
        assert!(
            parsed.errors[0]
                .message
                .contains("neither Email nor Phone has a value"),
            "{:?}",
            parsed.errors
        );
    }

    #[test]
    fn phone_separators_are_dropped_from_the_key() {
        let parsed = parse_consent_csv(
            "Phone,Consent option,Consent value\n+31 (0)6-12.34.56,x,1\n06 1234 5678,y,0\n",
        );
        assert_eq!(parsed.errors, []);
        let keys: Vec<&str> = parsed.records.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["+3106123456", "0612345678"]);
        // Beyond ASCII (a no-break space, an ideographic space) the separators go too.
        let wide =
            parse_consent_csv("Phone,Consent option,Consent value\n+31\u{a0}6-12\u{3000}34,x,1\n");
        assert_eq!(wide.errors, []);
        assert_eq!(wide.records[0].key, "+3161234");
    }

    #[test]
    fn an_unclosed_quote_that_ends_in_a_carriage_return_is_reported() {
        let parsed = parse_consent_csv("Email,Consent option,Consent value\na@b.com,\"x\r");
        assert_eq!(
            parsed.errors,
            [CsvError {
                line: 2,
                message: "a quoted field is not closed".into()
            }]
        );
    }

    #[test]
    fn a_carriage_return_inside_quotes_counts_as_a_line() {
        let parsed = parse_consent_csv(
            "Email,Consent option,Consent value\na@b.com,\"x\ry\",1\nnot-an-email,z,0\n",
        );
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 4, "{:?}", parsed.errors);
    }

    #[test]
    fn a_quoted_field_at_the_very_end_of_the_table_is_read() {
        let text = "Email,Consent option,Consent value\na@b.com,x,\"1\"";
        let parsed = parse_consent_csv(text);
        assert_eq!(parsed.errors, []);
        assert_eq!(parsed.records.len(), 1);
        for cut in 1..text.len() {
            assert_eq!(read_in_pieces(text, &[cut]), parsed, "cut at {cut}");
        }
    }

    /// The header's separator, read back from where the first row's fields split.
    fn options(text: &str) -> Vec<String> {
        let parsed = parse_consent_csv(text);
        assert_eq!(parsed.errors, [], "{text:?}");
        parsed.records.into_iter().map(|r| r.option).collect()
    }

    #[test]
    fn separators_inside_a_quoted_header_cell_do_not_count() {
        // Three commas, a tab and a semicolon inside quotes; two semicolons outside.
        let text = "Email;\"Consent option (a,b,c,d\tx;y)\";Consent value\na@b.com;p,q;1\n";
        assert_eq!(options(text), ["p,q"]);
        let text = "Email,\"Consent option (a;b;c;d)\",Consent value\na@b.com,p;q,1\n";
        assert_eq!(options(text), ["p;q"]);
        let text = "Email,\"Consent option (a\tb\tc\td)\",Consent value\na@b.com,p\tq,1\n";
        assert_eq!(options(text), ["p\tq"]);
    }

    #[test]
    fn commas_outnumbering_a_semicolon_or_a_tab_in_the_header_win() {
        let text = "Email,Consent option (yes;no),Consent value\na@b.com,p;q,1\n";
        assert_eq!(options(text), ["p;q"]);
        let text = "Email,Consent option (yes\tno),Consent value\na@b.com,p\tq,1\n";
        assert_eq!(options(text), ["p\tq"]);
    }

    #[test]
    fn the_column_of_text_after_a_closing_quote_counts_characters() {
        // "a@b.com," is 8 characters and "\"Événements\"" 12: the x is the 21st character
        // (the 22nd byte).
        let parsed =
            parse_consent_csv("Email,Consent option,Consent value\na@b.com,\"Événements\"x,1\n");
        assert_eq!(parsed.errors.len(), 1);
        assert!(
            parsed.errors[0].message.contains("(column 21)"),
            "{:?}",
            parsed.errors
        );
    }
}
