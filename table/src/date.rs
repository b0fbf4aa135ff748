//! Consent dates: ISO 8601 dates or date-times, compared as instants in UTC.

use crate::prelude::*;
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

    /// [`parse`](Self::parse), with the days of the common form kept in `days`: what a table's
    /// reader uses, once per row.
    pub fn parse_with(text: &str, days: &mut DayCache) -> Option<ConsentDate> {
        let bytes = crate::trim(text).as_bytes();
        match parse_utc_seconds_with(bytes, &mut |day: &[u8; 10]| days.day(day)) {
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
        // A leap second (`23:59:60`) is ISO 8601; chrono keeps it as a second 59 a second long.
        let time = match second {
            60 => {
                NaiveTime::from_hms_nano_opt(hour, minute, 59, nanos.checked_add(1_000_000_000)?)?
            }
            _ => NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?,
        };
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
    parse_utc_seconds_with(bytes, &mut |day: &[u8; 10]| day_of(day))
}

/// [`parse_utc_seconds`], with the day found by `day`.
#[inline]
fn parse_utc_seconds_with(
    bytes: &[u8],
    day: &mut impl FnMut(&[u8; 10]) -> Option<NaiveDate>,
) -> Option<ConsentDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', n0, n1, b':', s0, s1, b'Z'] =
        *bytes
    else {
        return None;
    };
    let date = day(&[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1])?;
    let time = NaiveTime::from_hms_opt(two(h0, h1)?, two(n0, n1)?, two(s0, s1)?)?;
    Some(ConsentDate {
        instant: date.and_time(time),
        date_only: false,
    })
}

/// The value of two decimal digits.
#[inline]
fn two(tens: u8, ones: u8) -> Option<u32> {
    let digit = |byte: u8| byte.is_ascii_digit().then(|| u32::from(byte - b'0'));
    Some(digit(tens)? * 10 + digit(ones)?)
}

/// The day `YYYY-MM-DD` names, if it is a real one.
fn day_of(day: &[u8; 10]) -> Option<NaiveDate> {
    let [y0, y1, y2, y3, _, m0, m1, _, d0, d1] = *day;
    let year = two(y0, y1)? * 100 + two(y2, y3)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, two(m0, m1)?, two(d0, d1)?)
}

/// How many days a [`DayCache`] holds: one place per month and day, which a table's dates
/// within one year never share.
const CACHED_DAYS: usize = 512;

/// Days recently read by [`ConsentDate::parse_with`], each at a place chosen by its month and
/// day: a table's dates fall on a few hundred days, and a day found here skips the digits and
/// the calendar's checks, which took most of the time of reading a date.
pub struct DayCache {
    /// Per place, the text of the day held there (none yet: zeros, which no date is) and the day.
    days: Vec<([u8; 10], NaiveDate)>,
}

impl Default for DayCache {
    fn default() -> Self {
        DayCache {
            days: vec![([0; 10], NaiveDate::MIN); CACHED_DAYS],
        }
    }
}

impl DayCache {
    /// The day `day` names, from the cache when it holds it.
    #[inline]
    fn day(&mut self, day: &[u8; 10]) -> Option<NaiveDate> {
        let [_, _, _, _, _, m0, m1, _, d0, d1] = *day;
        // Only the digits' low bits: a text that is not a date is checked on the way in.
        let place = (usize::from(m0 & 1) * 10 + usize::from(m1 & 15)) * 32
            + usize::from(d0 & 3) * 10
            + usize::from(d1 & 15);
        let Some(slot) = self.days.get_mut(place % CACHED_DAYS) else {
            return day_of(day);
        };
        if slot.0 == *day {
            return Some(slot.1);
        }
        let date = day_of(day)?;
        *slot = (*day, date);
        Some(date)
    }
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
    use super::{ConsentDate, DayCache};

    /// A day is found in the cache once it has been read, and a place shared by the same month
    /// and day of two years holds the one read last: each read gives its own day.
    #[test]
    fn a_day_cache_gives_each_day_its_own_date() {
        let mut days = DayCache::default();
        for text in [b"2025-07-12", b"2025-07-12", b"2024-07-12", b"2025-07-12"] {
            let (year, day) = (if text[3] == b'5' { 2025 } else { 2024 }, 12);
            assert_eq!(
                days.day(text),
                chrono::NaiveDate::from_ymd_opt(year, 7, day),
                "{text:?}"
            );
        }
        assert_eq!(days.day(b"2025-02-30"), None);
        assert_eq!(days.day(b"2025-13-01"), None);
    }

    /// Dates read through one day cache read as they do alone: real and unreal days (30
    /// February, month 13, day 0), the same month and day in many years (which share a place),
    /// times out of range and other forms, in a random order that comes back to each.
    #[test]
    fn a_day_cache_reads_every_date_as_reading_it_alone_does() {
        let mut next = crate::seeded(7);
        let mut days = DayCache::default();
        let mut cached = 0;
        for _ in 0..60_000 {
            let year = [1999, 2000, 2023, 2024, 2025, 2100, 9999][next(7)];
            let (month, day) = (next(15), next(34));
            let (hour, minute) = ([0, 9, 23, 24][next(4)], [0, 59, 60][next(3)]);
            let text = match next(12) {
                0 => format!("{year:04}-{month:02}-{day:02}"),
                1 => format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:00+02:00"),
                2 => format!("{year:04}-{month:02}-{day:02}X{hour:02}:{minute:02}:00Z"),
                3 => format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:0aZ"),
                _ => format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:30Z"),
            };
            let with_cache = ConsentDate::parse_with(&text, &mut days);
            assert_eq!(with_cache, ConsentDate::parse(&text), "{text}");
            cached += usize::from(with_cache.is_some());
        }
        assert!(cached > 10_000, "only {cached} dates were real");
    }

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
    fn a_leap_second_is_a_date_between_its_neighbours() {
        let date = |text: &str| ConsentDate::parse(text).map(ConsentDate::instant);
        let leap = date("2016-12-31T23:59:60Z").expect("a leap second");
        assert!(date("2016-12-31T23:59:59.999Z").unwrap() < leap);
        assert!(leap < date("2017-01-01T00:00:00Z").unwrap());
        assert!(date("2016-12-31T23:59:60.5Z").unwrap() > leap);
        assert_eq!(date("2016-12-31T23:59:61Z"), None);
    }

    #[test]
    fn order_is_by_instant() {
        let earlier = ConsentDate::parse("2024-05-03T23:00:00+00:00");
        let later = ConsentDate::parse("2024-05-04T00:30:00+02:00");
        // 00:30+02:00 is 22:30 UTC on the 3rd, before 23:00.
        assert!(later < earlier);
    }
}
