//! The fields of a consent row: trimmed, read as consent values, case folded.

/// `text` without surrounding whitespace. Most fields have none, which two byte checks tell
/// without walking the text as characters.
#[inline]
pub fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    // Empty fields are common too (an absent date, the unused one of Email and Phone).
    if bytes.is_empty() || (plain(bytes.first()) && plain(bytes.last())) {
        text
    } else {
        text.trim()
    }
}

/// A consent value as sources write it: `true/false`, `yes/no` or `1/0`, in any case.
pub fn parse_consent_value(text: &str) -> Option<bool> {
    let text = trim(text);
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    // By length first: one comparison per value instead of up to six.
    match text.len() {
        1 => match text.as_bytes().first() {
            Some(b'1') => Some(true),
            Some(b'0') => Some(false),
            _ => None,
        },
        2 => is("no").then_some(false),
        3 => is("yes").then_some(true),
        4 => is("true").then_some(true),
        5 => is("false").then_some(false),
        _ => None,
    }
}

/// One character in lower case, for comparisons: ASCII, Latin-1 and Latin Extended-A letters,
/// which cover the languages of this product's users (English, Dutch, German, French and their
/// neighbours). Other characters compare as written.
///
/// Written out rather than taken from `char::to_lowercase`, whose full Unicode tables would
/// add about a fifth to the WebAssembly module; the tests check it against the standard library.
pub fn fold_char(c: char) -> char {
    let code = u32::from(c);
    let folded = match code {
        0x41..=0x5a | 0xc0..=0xd6 | 0xd8..=0xde => code + 0x20,
        // Upper case at even code points, lower case at the next odd one.
        0x100..=0x12f | 0x132..=0x137 | 0x14a..=0x177 if code % 2 == 0 => code + 1,
        // Upper case at odd code points, lower case at the next even one.
        0x139..=0x148 | 0x179..=0x17e if code % 2 == 1 => code + 1,
        0x178 => 0xff,
        _ => code,
    };
    char::from_u32(folded).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_values() {
        for t in ["true", "TRUE", "True", "yes", "Yes", "1", " true "] {
            assert_eq!(parse_consent_value(t), Some(true), "{t:?}");
        }
        for f in ["false", "FALSE", "no", "NO", "0"] {
            assert_eq!(parse_consent_value(f), Some(false), "{f:?}");
        }
        for bad in [
            "", "y", "n", "2", "truee", "ja", "-1", "on", "yup", "okay", "nopes",
        ] {
            assert_eq!(parse_consent_value(bad), None, "{bad:?}");
        }
    }

    /// The values as a plain comparison of words without case reads them, for every ASCII text
    /// of one or two bytes and every word with one byte changed to any ASCII byte.
    #[test]
    fn consent_values_read_as_words_compared_without_case() {
        let plainly = |text: &str| -> Option<bool> {
            let text = text.trim();
            [("1", true), ("0", false), ("no", false), ("yes", true)]
                .into_iter()
                .chain([("true", true), ("false", false)])
                .find(|(word, _)| text.eq_ignore_ascii_case(word))
                .map(|(_, value)| value)
        };
        let mut texts: Vec<String> = Vec::new();
        for a in 0u8..128 {
            texts.push(char::from(a).to_string());
            for b in 0u8..128 {
                texts.push([char::from(a), char::from(b)].iter().collect());
            }
        }
        for word in ["no", "yes", "true", "false", "NO", "Yes", "TRUE", "False"] {
            for at in 0..word.len() {
                for byte in 0u8..128 {
                    let mut bytes = word.as_bytes().to_vec();
                    bytes[at] = byte;
                    texts.push(String::from_utf8(bytes).unwrap());
                }
            }
        }
        for text in &texts {
            assert_eq!(parse_consent_value(text), plainly(text), "{text:?}");
        }
    }

    #[test]
    fn fold_agrees_with_the_standard_library_where_it_folds() {
        for code in 0..=0x17f_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            // U+0130 (İ) lowercases to two characters; it is left as written.
            if code == 0x130 {
                assert_eq!(fold_char(c), c);
                continue;
            }
            let expected: String = c.to_lowercase().collect();
            assert_eq!(fold_char(c).to_string(), expected, "U+{code:04X}");
        }
        // Beyond Latin Extended-A characters compare as written.
        assert_eq!(fold_char('Ω'), 'Ω');
    }
}
