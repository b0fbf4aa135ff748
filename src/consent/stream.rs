//! Consent tables read in pieces, by number: what the JavaScript side's streaming reader drives.
//!
//! A table being read is kept under a number until it is finished or dropped, so that pieces
//! can come from a file or a stream one at a time and the whole text is never held. A table read
//! for its records keeps them under its number after it is finished, until they are taken as
//! columns (see `columns`). Numbers are given by the caller and never used twice: a reader that
//! outlived its table (dropped, or lost when the module trapped) finds nothing, never another
//! table.

use super::columns::RecordColumns;
use super::segment::{parse_rule, Rule, RuleError};
use super::table::Table;
use super::CsvSegment;
use super::{errors_to_value, ConsentReader};
use crate::json::{write, write_integer};
use crate::prelude::*;

/// The most a table's expected size makes room for at once (64 MiB: a million rows of a typical
/// export).
const ROOM_AHEAD: usize = 64 << 20;

/// What becomes of the rows of a table.
enum Sink {
    /// Every record, as `parseConsentCsv` gives them.
    Records(RecordColumns),
    /// Unified and selected, as `evaluateSegmentCsv` does.
    Segment(Box<(Rule, Table)>),
}

/// One table being read.
struct TableStream {
    reader: ConsentReader,
    sink: Sink,
}

/// A table under its number.
enum Slot {
    Reading(Box<TableStream>),
    /// Read for its records, which wait to be taken.
    Read(RecordColumns),
}

/// The tables being read, by number.
#[derive(Default)]
pub struct Streams {
    open: Vec<(u32, Slot)>,
}

impl Streams {
    /// Start reading table `number` (one not used before): its records (`rule` is `None`) or
    /// the members of a segment. `expected_bytes` (0 when unknown) sizes the table ahead, so
    /// that it seldom grows.
    ///
    /// # Errors
    /// A [`RuleError`] when the rule does not parse.
    pub fn open(
        &mut self,
        number: u32,
        rule: Option<&str>,
        expected_bytes: usize,
    ) -> Result<(), RuleError> {
        // Room ahead for at most this much: a size given wrongly (or a reader left idle) must
        // not take memory that the module never gives back; a larger table grows as it comes.
        let expected_bytes = expected_bytes.min(ROOM_AHEAD);
        // Generated and exported tables run at about 64 bytes a row.
        let rows = expected_bytes / 64;
        let sink = match rule {
            None => Sink::Records(RecordColumns::with_capacity(expected_bytes)),
            Some(rule) => Sink::Segment(Box::new((parse_rule(rule)?, Table::with_capacity(rows)))),
        };
        let stream = TableStream {
            reader: ConsentReader::new(),
            sink,
        };
        self.drop_stream(number);
        self.open.push((number, Slot::Reading(Box::new(stream))));
        Ok(())
    }

    fn slot(&mut self, number: u32) -> Option<&mut Slot> {
        self.open
            .iter_mut()
            .find_map(|(held, slot)| (*held == number).then_some(slot))
    }

    /// Room for `length` bytes of the next piece of table `number`, to be [`commit`](Self::commit)ted.
    pub fn space(&mut self, number: u32, length: usize) -> Option<&mut [u8]> {
        Some(self.stream(number)?.reader.space(length))
    }

    /// Read the `written` bytes of the last space; the rows read so far.
    pub fn commit(&mut self, number: u32, written: usize) -> Option<u64> {
        let TableStream { reader, sink } = self.stream(number)?;
        match sink {
            Sink::Records(records) => reader.commit(written, &mut |row| records.push(row)),
            Sink::Segment(segment) => reader.commit(written, &mut |row| segment.1.push(row)),
        }
        Some(reader.rows())
    }

    /// Read the next piece of table `number`; the rows read so far.
    pub fn push(&mut self, number: u32, piece: &[u8]) -> Option<u64> {
        let room = self.space(number, piece.len())?;
        room.copy_from_slice(piece);
        self.commit(number, piece.len())
    }

    /// Finish table `number`: its result as `parseConsentCsv` or `evaluateSegmentCsv` gives it,
    /// as the JSON text of the answer (`[result, rows]`, with the rows read in all, good and
    /// bad). A segment's table is forgotten. A records table answers the number of its records in
    /// place of them, and keeps them until [`take_records`](Self::take_records).
    pub fn finish(&mut self, number: u32) -> Option<String> {
        let at = self.open.iter().position(|(held, _)| *held == number)?;
        let stream = match self.open.swap_remove(at) {
            (_, Slot::Reading(stream)) => stream,
            read => {
                self.open.push(read);
                return None;
            }
        };
        let TableStream { reader, sink } = *stream;
        Some(match sink {
            Sink::Records(mut records) => {
                let (errors, rows) = reader.finish_counted(&mut |row| records.push(row));
                let mut out = String::from("[{\"records\":");
                write_integer(records.count() as i64, &mut out);
                out.push_str(",\"errors\":");
                write(&errors_to_value(&errors), &mut out);
                out.push_str("},");
                write_integer(rows as i64, &mut out);
                out.push(']');
                self.open.push((number, Slot::Read(records)));
                out
            }
            Sink::Segment(segment) => {
                let (rule, mut table) = *segment;
                let (errors, rows) = reader.finish_counted(&mut |row| table.push(row));
                let profiles = rule.unify(&mut table);
                let segment = CsvSegment {
                    keys: rule.select_unified(&table, &profiles),
                    errors,
                    profiles: profiles.len(),
                };
                let mut out = String::from("[");
                write(&segment.to_value(), &mut out);
                out.push(',');
                write_integer(rows as i64, &mut out);
                out.push(']');
                out
            }
        })
    }

    /// Take the records of finished table `number` and forget it: their texts, with their
    /// lengths, flags and option numbers copied into `lengths`, `flags` and `options` (see
    /// `RecordColumns`).
    pub fn take_records(
        &mut self,
        number: u32,
        lengths: &mut [u32],
        flags: &mut [u8],
        options: &mut [u32],
    ) -> Option<String> {
        let at = self.open.iter().position(|(held, _)| *held == number)?;
        let records = match self.open.swap_remove(at) {
            (_, Slot::Read(records)) => records,
            reading => {
                self.open.push(reading);
                return None;
            }
        };
        // This gives back the list's memory when nothing else is open.
        self.drop_stream(number);
        lengths
            .get_mut(..records.lengths.len())?
            .copy_from_slice(&records.lengths);
        flags
            .get_mut(..records.flags.len())?
            .copy_from_slice(&records.flags);
        options
            .get_mut(..records.options.len())?
            .copy_from_slice(&records.options);
        Some(records.text)
    }

    /// Forget table `number`, unfinished (a cancelled read) or its records untaken.
    pub fn drop_stream(&mut self, number: u32) {
        self.open.retain(|(held, _)| *held != number);
        // Give back the list's memory once nothing is being read.
        if self.open.is_empty() {
            self.open = Vec::new();
        }
    }

    fn stream(&mut self, number: u32) -> Option<&mut TableStream> {
        match self.slot(number)? {
            Slot::Reading(stream) => Some(stream),
            Slot::Read(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RecordColumns, Streams};
    use crate::consent::records_of_columns;
    use crate::consent::{evaluate_segment_csv, parse_consent_csv};
    use crate::json::write;
    use crate::value::Value;

    /// `value` as the JSON text of a finished table's answer, with `rows` rows read.
    fn answered(value: &Value, rows: u32) -> String {
        let mut out = String::from("[");
        write(value, &mut out);
        out.push(',');
        out.push_str(&rows.to_string());
        out.push(']');
        out
    }

    const TABLE: &str = "Email,Consent option,Consent value\n\
                         a@b.com,News,true\n\
                         \"b@c.de\",\"News\",\"no\"\n\
                         c@d.nl,News,yes";

    #[test]
    fn a_table_in_pieces_gives_the_one_call_result() {
        let mut streams = Streams::default();
        let (records, segment) = (0, 1);
        streams.open(records, None, 0).unwrap();
        streams
            .open(
                segment,
                Some("Consent option=news & Consent value=true"),
                100,
            )
            .unwrap();
        for piece in TABLE.as_bytes().chunks(5) {
            streams.push(records, piece).unwrap();
            streams.push(segment, piece).unwrap();
        }
        let parsed = parse_consent_csv(TABLE);
        assert_eq!(
            streams.finish(records),
            Some(r#"[{"records":3,"errors":[]},3]"#.to_string())
        );
        // The records wait under their number until taken, then the number is free.
        assert_eq!(streams.finish(records), None);
        let mut columns = RecordColumns::default();
        let (mut lengths, mut flags, mut options) = (vec![0; 12], vec![0; 3], vec![9; 3]);
        let text = streams.take_records(records, &mut lengths, &mut flags, &mut options);
        (columns.text, columns.lengths, columns.flags) = (text.unwrap(), lengths, flags);
        assert_eq!(records_of_columns(&columns), Some(parsed.records));
        // Every row spells its option "News".
        assert_eq!(options, [0, 0, 0]);
        assert_eq!(
            streams.take_records(records, &mut [0; 12], &mut [0; 3], &mut [0; 3]),
            None
        );
        let expected = evaluate_segment_csv("Consent option=news & Consent value=true", TABLE);
        assert_eq!(
            streams.finish(segment),
            Some(answered(&expected.unwrap().to_value(), 3))
        );
        // Finished tables are forgotten.
        assert_eq!(streams.finish(records), None);
        assert_eq!(streams.push(segment, b"x"), None);
        assert!(streams.open.is_empty());
    }

    #[test]
    fn records_that_do_not_fit_are_not_taken_and_untaken_ones_can_be_dropped() {
        let mut streams = Streams::default();
        let table = b"Email,Consent option,Consent value\na@b.com,x,1\nc@d.com,y,0\n";
        let number = 7;
        streams.open(number, None, 0).unwrap();
        streams.push(number, table).unwrap();
        assert!(streams.finish(number).is_some());
        // Room for one record where there are two: nothing is copied, and the table is gone.
        assert_eq!(
            streams.take_records(number, &mut [0; 4], &mut [0; 1], &mut [0; 1]),
            None
        );
        assert!(streams.open.is_empty());
        // Finished but never taken: dropping it forgets its records.
        let number = 8;
        streams.open(number, None, 0).unwrap();
        streams.push(number, table).unwrap();
        assert!(streams.finish(number).is_some());
        streams.drop_stream(number);
        assert!(streams.open.is_empty());
        assert_eq!(
            streams.take_records(number, &mut [0; 8], &mut [0; 2], &mut [0; 2]),
            None
        );
    }

    #[test]
    fn a_bad_rule_opens_nothing_and_dropping_forgets() {
        let mut streams = Streams::default();
        assert!(streams.open(0, Some("Consent option="), 0).is_err());
        assert!(streams.open.is_empty());
        let number = 1;
        streams.open(number, None, 0).unwrap();
        assert_eq!(
            streams.push(number, b"Email,Consent option,Consent value\na@b.com,x,1\n"),
            Some(1)
        );
        streams.drop_stream(number);
        assert_eq!(streams.commit(number, 0), None);
        assert!(streams.open.is_empty());
    }
}
