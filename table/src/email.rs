//! Email validity as the connector needs it: an address Spotler can send to.
//!
//! The rule is the WHATWG HTML "valid e-mail address" production (what `<input type=email>`
//! accepts) on the text with ASCII whitespace trimmed, plus a domain with at least one dot,
//! since `holly@contoso` cannot receive mail from the internet.

/// The longest label a DNS name allows (RFC 1035); the WHATWG production keeps to it.
const MAX_LABEL_LEN: usize = 63;

/// Whether `text` is an email address the connector treats as valid.
///
/// Leading and trailing ASCII whitespace is ignored, as a browser's email input does.
pub fn is_valid_email(text: &str) -> bool {
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    // Most addresses have no surrounding space: two byte checks instead of a walk over characters.
    let address = if text.as_bytes().first().is_some_and(space)
        || text.as_bytes().last().is_some_and(space)
    {
        text.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'))
    } else {
        text
    };
    // Byte by byte: `@` and `.` are ASCII, so they never fall inside a character. One pass:
    // the local part up to the first `@`, then the domain's labels as they come.
    let bytes = address.as_bytes();
    let Some(at) = bytes.iter().position(|b| !is(LOCAL, *b)) else {
        return false;
    };
    if at == 0 || bytes.get(at) != Some(&b'@') {
        return false;
    }
    // Most domain bytes are letters and digits, which need no more than their class: a label's
    // ends and length are checked only at its dot and at the end. A second `@` lands in the
    // domain, where it is not a label character.
    let domain = bytes.get(at + 1..).unwrap_or_default();
    let mut labels = 1usize;
    let mut label_start = 0;
    for (index, &byte) in domain.iter().enumerate() {
        if is(EDGE, byte) {
            continue;
        }
        match byte {
            b'-' if index != label_start => {}
            b'.' if is_label(domain, label_start, index) => {
                labels += 1;
                label_start = index + 1;
            }
            _ => return false,
        }
    }
    is_label(domain, label_start, domain.len()) && labels >= 2
}

/// Whether `domain[start..end]`, of label characters, is a label: not empty, not too long, and
/// ending in a letter or digit (its start was checked as it came).
#[inline]
fn is_label(domain: &[u8], start: usize, end: usize) -> bool {
    end > start
        && end - start <= MAX_LABEL_LEN
        && domain.get(end - 1).is_some_and(|last| is(EDGE, *last))
}

/// A byte that may stand in the local part: letters, digits and ``.!#$%&'*+/=?^_`{|}~-``.
const LOCAL: u8 = 1;
/// A byte that may stand inside a domain label: letters, digits and `-`.
const LABEL: u8 = 2;
/// A byte that may start or end a domain label: letters and digits.
const EDGE: u8 = 4;

/// What each byte may be ([`LOCAL`], [`LABEL`], [`EDGE`]): one look-up per byte instead of a
/// chain of comparisons, on the path every row of a consent table takes.
static CLASSES: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut classes = [0; 256];
    let mut byte = 0u8;
    loop {
        let alphanumeric = byte.is_ascii_alphanumeric();
        let local_sign = matches!(
            byte,
            b'-' | b'.'
                | b'!'
                | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        );
        let class = if alphanumeric {
            LOCAL | LABEL | EDGE
        } else if byte == b'-' {
            LOCAL | LABEL
        } else if local_sign {
            LOCAL
        } else {
            0
        };
        // A `u8` is always below 256: the index is in bounds.
        #[allow(clippy::indexing_slicing)]
        {
            classes[byte as usize] = class;
        }
        if byte == u8::MAX {
            return classes;
        }
        byte += 1;
    }
}

/// Whether `byte` is of `class`.
#[inline]
fn is(class: u8, byte: u8) -> bool {
    CLASSES
        .get(usize::from(byte))
        .is_some_and(|classes| classes & class != 0)
}

#[cfg(test)]
mod tests {
    use super::{is, is_valid_email, EDGE, LABEL, LOCAL, MAX_LABEL_LEN};

    /// The rule read plainly, part by part and label by label, on text without surrounding space.
    fn plainly(address: &str) -> bool {
        let bytes = address.as_bytes();
        let Some(at) = bytes.iter().position(|b| *b == b'@') else {
            return false;
        };
        is_valid_local_part(&bytes[..at]) && is_valid_domain(&bytes[at + 1..])
    }

    fn is_valid_local_part(local: &[u8]) -> bool {
        !local.is_empty() && local.iter().all(|b| is(LOCAL, *b))
    }

    fn is_valid_domain(domain: &[u8]) -> bool {
        // Splitting also yields the empty labels of `a..b`, `.a` and `a.`, which `is_valid_label`
        // rejects; a second `@` lands here too and is not a label character.
        let mut labels = 0usize;
        for label in domain.split(|b| *b == b'.') {
            if !is_valid_label(label) {
                return false;
            }
            labels += 1;
        }
        labels >= 2
    }

    fn is_valid_label(bytes: &[u8]) -> bool {
        let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
            return false;
        };
        bytes.len() <= MAX_LABEL_LEN
            && is(EDGE, *first)
            && is(EDGE, *last)
            && bytes.iter().all(|b| is(LABEL, *b))
    }

    #[test]
    fn one_pass_reads_as_part_by_part_on_generated_addresses() {
        // Short texts over the bytes the rule treats differently, and long labels.
        let alphabet = [
            b'a', b'Z', b'0', b'-', b'.', b'@', b'_', b'+', b' ', 0xc3, 0xa9,
        ];
        let mut next = crate::seeded(11);
        let mut valid = 0;
        for _ in 0..200_000 {
            // A local part, an `@` and a few labels, each of a few bytes of the alphabet
            // (letters most of the time), now and then a label of about the longest length.
            let part = |next: &mut dyn FnMut(usize) -> usize| -> Vec<u8> {
                let len = if next(40) == 0 { 60 + next(6) } else { next(4) };
                (0..len)
                    .map(|_| {
                        if next(3) == 0 {
                            alphabet[next(alphabet.len())]
                        } else {
                            b'k'
                        }
                    })
                    .collect()
            };
            let mut bytes = part(&mut next);
            bytes.push(b'@');
            for label in 0..1 + next(3) {
                if label > 0 {
                    bytes.push(b'.');
                }
                bytes.extend(part(&mut next));
            }
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            let text = text.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'));
            assert_eq!(is_valid_email(text), plainly(text), "{text:?}");
            valid += usize::from(plainly(text));
        }
        assert!(valid > 10_000, "only {valid} valid addresses generated");
    }

    #[test]
    fn vectors_of_the_rules() {
        // Space before only, or after only, is trimmed too (not just space on both sides).
        let valid = [
            "holly@contoso.com",
            " frank+news@contoso.co.uk ",
            "\tholly@contoso.com",
            "holly@contoso.com\r\n",
        ];
        let invalid = [
            "",
            "holly@contoso",
            "holly.contoso.com",
            "holly@@contoso.com",
            "frank@-contoso.com",
            "frank@contoso.com.",
        ];
        for address in valid {
            assert!(is_valid_email(address), "{address:?} should be valid");
        }
        for address in invalid {
            assert!(!is_valid_email(address), "{address:?} should be invalid");
        }
    }

    #[test]
    fn more_vectors() {
        let cases: &[(&str, bool)] = &[
            ("a@b.co", true),
            ("first.last@sub.domain.example.org", true),
            ("o'brien@contoso.ie", true),
            ("x!#$%&'*+/=?^_`{|}~-@contoso.com", true),
            ("UPPER@CONTOSO.COM", true),
            ("\tholly@contoso.com\r\n", true),
            ("holly@contoso-corp.com", true),
            ("123@456.78", true),
            ("holly@contoso.c", true),
            ("   ", false),
            ("@contoso.com", false),
            ("holly@", false),
            ("holly@.contoso.com", false),
            ("holly@contoso..com", false),
            ("holly@contoso-.com", false),
            ("holly@con_toso.com", false),
            ("hol ly@contoso.com", false),
            ("holly@contoso .com", false),
            ("\"holly\"@contoso.com", false),
            ("holly(comment)@contoso.com", false),
            ("höll@contoso.com", false),
            ("holly@cöntoso.com", false),
            ("holly@contoso.com\u{a0}", false),
            ("holly@[10.0.0.1]", false),
            ("holly@contoso.com,frank@contoso.com", false),
        ];
        for (address, expected) in cases {
            assert_eq!(is_valid_email(address), *expected, "{address:?}");
        }
    }

    #[test]
    fn every_ascii_character_in_every_place() {
        // WHATWG: the local part takes letters, digits and these signs; a label takes letters,
        // digits and `-`, and starts and ends with a letter or digit.
        let local_signs = ".!#$%&'*+/=?^_`{|}~-";
        for c in (0u8..128).map(char::from) {
            let alphanumeric = c.is_ascii_alphanumeric();
            let in_local = alphanumeric || local_signs.contains(c);
            assert_eq!(
                is_valid_email(&format!("a{c}b@x.nl")),
                in_local,
                "{c:?} in the local part"
            );
            let inside_label = alphanumeric || c == '-' || c == '.';
            assert_eq!(
                is_valid_email(&format!("a@x{c}y.nl")),
                inside_label,
                "{c:?} in a label"
            );
            // `.` first in a label makes an empty one; space is trimmed at the ends.
            let edge =
                alphanumeric || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\x0c';
            assert_eq!(
                is_valid_email(&format!("a@x.nl{c}")),
                edge,
                "{c:?} ending the domain"
            );
        }
    }

    #[test]
    fn label_length_limit() {
        let label63 = "a".repeat(63);
        let label64 = "a".repeat(64);
        assert!(is_valid_email(&format!("x@{label63}.com")));
        assert!(!is_valid_email(&format!("x@{label64}.com")));
    }
}
