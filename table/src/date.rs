//! Consent dates: ISO 8601 dates or date-times, compared as instants in UTC.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// A parsed consent date. A date without a time is midnight UTC of that day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConsentDate {
    instant: NaiveDateTime,
    date_only: bool,
}

impl ConsentDate {
    /// Parse `2024-05-03`, `2024-05-03T10:15`, `2024-05-03T10:15:00`, `2024-05-03T10:15:00.5Z`
    /// or `2024-05-03T10:15:00+02:00` (also `+0200` and `+02`; a space may stand for the `T`).
    /// A date-time without an offset is taken as UTC. Leading and trailing spaces are ignored.
    ///
    /// The fields are scanned here and checked by chrono (real days, hours below 24), which
    /// keeps chrono's format-string machinery out of the WebAssembly module.
    pub fn parse(text: &str) -> Option<ConsentDate> {
        let bytes = crate::trim(text).as_bytes();
        match parse_utc_seconds(bytes) {
            Some(date) => Some(date),
            None => ConsentDate::parse_any(bytes),
        }
    }

    /// [`parse`](Self::parse) on the trimmed bytes, in every accepted form.
    fn parse_any(bytes: &[u8]) -> Option<ConsentDate> {
        let mut scan = Scanner { bytes, pos: 0 };
        let year = scan.digits(4)?;
        scan.require(b'-')?;
        let month = scan.digits(2)?;
        scan.require(b'-')?;
        let day = scan.digits(2)?;
        let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
        if scan.done() {
            return Some(ConsentDate {
                instant: date.and_time(NaiveTime::MIN),
                date_only: true,
            });
        }
        if !matches!(scan.next()?, b'T' | b't' | b' ') {
            return None;
        }
        let hour = scan.digits(2)?;
        scan.require(b':')?;
        let minute = scan.digits(2)?;
        let (mut second, mut nanos) = (0, 0);
        if scan.eat(b':') {
            second = scan.digits(2)?;
            if scan.eat(b'.') || scan.eat(b',') {
                nanos = scan.fraction_as_nanos()?;
            }
        }
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
        let offset_seconds = scan.offset()?;
        if !scan.done() {
            return None;
        }
        let local = date.and_time(time);
        // Most exports write UTC (`Z`): no arithmetic then.
        let instant = if offset_seconds == 0 {
            local
        } else {
            local.checked_sub_signed(TimeDelta::try_seconds(offset_seconds)?)?
        };
        Some(ConsentDate {
            instant,
            date_only: false,
        })
    }

    /// Whether this date, used as a rule's operand, names a whole day.
    pub fn is_date_only(self) -> bool {
        self.date_only
    }

    /// The instant, in UTC.
    pub fn instant(self) -> NaiveDateTime {
        self.instant
    }

    /// The day of the instant, in UTC.
    pub fn day(self) -> NaiveDate {
        self.instant.date()
    }
}

/// `2024-05-03T10:15:00Z`, the form exports write most, read at its fixed places: a large table
/// has one on most rows, and the general reading takes about three times as long. Any other
/// text is left to the general reading.
fn parse_utc_seconds(bytes: &[u8]) -> Option<ConsentDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', n0, n1, b':', s0, s1, b'Z'] =
        *bytes
    else {
        return None;
    };
    let digit = |byte: u8| byte.is_ascii_digit().then(|| u32::from(byte - b'0'));
    let two = |tens: u8, ones: u8| Some(digit(tens)? * 10 + digit(ones)?);
    let year = two(y0, y1)? * 100 + two(y2, y3)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, two(m0, m1)?, two(d0, d1)?)?;
    let time = NaiveTime::from_hms_opt(two(h0, h1)?, two(n0, n1)?, two(s0, s1)?)?;
    Some(ConsentDate {
        instant: date.and_time(time),
        date_only: false,
    })
}

/// A cursor over the ASCII of a date.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let byte = self.bytes.get(self.pos).copied()?;
        self.pos += 1;
        Some(byte)
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.pos) == Some(&byte);
        if found {
            self.pos += 1;
        }
        found
    }

    #[inline]
    fn require(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// Exactly `count` decimal digits.
    #[inline]
    fn digits(&mut self, count: usize) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + count)?;
        let value = digits.iter().try_fold(0u32, |value, digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + u32::from(digit - b'0'))
        })?;
        self.pos += count;
        Some(value)
    }

    /// One or more digits of a decimal fraction of a second, as nanoseconds (beyond nine
    /// digits they are read and dropped).
    fn fraction_as_nanos(&mut self) -> Option<u32> {
        let start = self.pos;
        let mut nanos = 0u32;
        let mut scale = 100_000_000u32;
        while let Some(digit) = self.bytes.get(self.pos).copied().filter(u8::is_ascii_digit) {
            nanos += u32::from(digit - b'0') * scale;
            scale /= 10;
            self.pos += 1;
        }
        (self.pos > start).then_some(nanos)
    }

    /// `Z`, `±HH:MM`, `±HHMM`, `±HH`, or nothing (UTC), as seconds east of UTC.
    fn offset(&mut self) -> Option<i64> {
        if self.done() || self.eat(b'Z') || self.eat(b'z') {
            return Some(0);
        }
        let sign = match self.next()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let hours = i64::from(self.digits(2)?);
        let minutes = if self.done() {
            0
        } else {
            self.eat(b':');
            i64::from(self.digits(2)?)
        };
        (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::ConsentDate;

    #[test]
    fn accepted_forms() {
        let midnight = ConsentDate::parse("2024-05-03").map(|d| d.instant());
        assert_eq!(
            ConsentDate::parse("2024-05-03T00:00:00").map(|d| d.instant()),
            midnight
        );
        assert_eq!(
            ConsentDate::parse("2024-05-03T00:00:00Z").map(|d| d.instant()),
            midnight
        );
        assert_eq!(
            ConsentDate::parse("2024-05-03T02:00:00+02:00").map(|d| d.instant()),
            midnight
        );
        assert_eq!(
            ConsentDate::parse(" 2024-05-03 00:00:00 ").map(|d| d.instant()),
            midnight
        );
        assert!(ConsentDate::parse("2024-05-03T10:15:00.250Z").is_some());
        assert!(ConsentDate::parse("2024-05-03").is_some_and(|d| d.is_date_only()));
        assert!(ConsentDate::parse("2024-05-03T10:00:00").is_some_and(|d| !d.is_date_only()));
        assert_eq!(
            ConsentDate::parse("2024-05-03T01:30+0130").map(|d| d.instant()),
            midnight
        );
        assert_eq!(
            ConsentDate::parse("2024-05-02T22:00-02").map(|d| d.instant()),
            midnight
        );
        assert_eq!(
            ConsentDate::parse("2024-05-03T00:00:00,0z").map(|d| d.instant()),
            midnight
        );
        let fine = ConsentDate::parse("2024-05-03T00:00:00.123456789123Z").map(|d| d.instant());
        assert!(
            fine > midnight
                && fine < ConsentDate::parse("2024-05-03T00:00:01Z").map(|d| d.instant())
        );
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "",
            "2024-13-01",
            "2024-02-30",
            "03-05-2024",
            "3 May 2024",
            "2024-05-03T25:00:00",
            "yesterday",
            "2024-5-3",
            "2024-05-03T",
            "2024-05-03T10",
            "2024-05-03T10:00:00.",
            "2024-05-03T10:00:00+25:00",
            "2024-05-03T10:00:00 UTC",
            "2024-05-03x",
            "+2024-05-03",
            "２０２４-05-03",
        ] {
            assert_eq!(ConsentDate::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_common_form_reads_as_the_general_reading_does() {
        // `2024-05-03T10:15:00Z` with every field at, around and beyond its bounds, and with a
        // byte changed anywhere to something else (a letter, a space, another separator).
        let mut random = crate::seeded(5);
        let mut next = |below: u32| random(below as usize) as u32;
        let mut common = 0;
        for _ in 0..100_000 {
            let mut text = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                next(10_000),
                next(14),
                next(33),
                next(26),
                next(62),
                next(62)
            )
            .into_bytes();
            if next(4) == 0 {
                let at = next(text.len() as u32) as usize;
                text[at] = b"aZzT:- .+0"[next(10) as usize];
            }
            let text = String::from_utf8(text).unwrap();
            let fast = super::parse_utc_seconds(text.as_bytes());
            assert_eq!(
                fast.or_else(|| ConsentDate::parse_any(text.as_bytes())),
                ConsentDate::parse_any(text.as_bytes()),
                "{text}"
            );
            common += usize::from(fast.is_some());
        }
        assert!(common > 30_000, "only {common} read by the common form");
    }

    #[test]
    fn order_is_by_instant() {
        let earlier = ConsentDate::parse("2024-05-03T23:00:00+00:00");
        let later = ConsentDate::parse("2024-05-04T00:30:00+02:00");
        // 00:30+02:00 is 22:30 UTC on the 3rd, before 23:00.
        assert!(later < earlier);
    }
}
