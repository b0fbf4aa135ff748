//! The compact wire of `evaluateSave` gives the same verdict as the documented objects, on
//! 10,000 generated requests.
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::Random;
use consent_guard::email::is_valid_email;
use consent_guard::save::{evaluate_save, Field, RecordState, SaveRequest, SaveSettings};
use consent_guard::save_wire::{
    entity_kind, evaluate_save_bits, ANONYMIZE_WHEN_INACTIVE, CREATE, NOTICES, REASONS,
};

/// Random requests, drawn from the seeded generator.
impl Random {
    fn field<T>(&mut self, value: impl FnOnce(&mut Random) -> T) -> Field<T> {
        match self.next(4) {
            0 => Field::Absent,
            1 => Field::Null,
            _ => Field::Value(value(self)),
        }
    }

    fn state(&mut self) -> RecordState {
        const EMAILS: [&str; 6] = [
            "holly@contoso.com",
            "a@b.co",
            "",
            "holly@contoso",
            "x y@z.io",
            "ann+news@jansen-bv.nl",
        ];
        RecordState {
            email: self.field(|r| EMAILS[r.next(6) as usize].to_string()),
            donotemail: self.field(|r| r.next(2) == 1),
            donotbulkemail: self.field(|r| r.next(2) == 1),
            statecode: self.field(|r| r.next(3) as i64),
        }
    }
}

/// Two flag bits for a field at `shift`, as the JavaScript side writes them.
fn bits<T>(field: &Field<T>, shift: u32, value_bits: impl FnOnce(&T) -> u32) -> u32 {
    (match field {
        Field::Absent => 0,
        Field::Null => 1,
        Field::Value(v) => value_bits(v),
    }) << shift
}

fn encode(request: &SaveRequest) -> (u32, [i32; 2]) {
    let flag = |set: &bool| if *set { 3 } else { 2 };
    let email = |e: &String| if is_valid_email(e) { 3 } else { 2 };
    let mut flags = 0;
    let empty = RecordState::default();
    let before = request.before.as_ref().unwrap_or(&empty);
    if request.before.is_none() {
        flags |= CREATE;
    }
    for (state, first, side) in [(before, 0, 0), (&request.after, 4, 1)] {
        flags |=
            bits(&state.donotemail, first, flag) | bits(&state.donotbulkemail, first + 2, flag);
        flags |=
            bits(&state.email, 8 + side * 2, email) | bits(&state.statecode, 12 + side * 2, |_| 2);
    }
    if request.settings.anonymize_when_inactive {
        flags |= ANONYMIZE_WHEN_INACTIVE;
    }
    let code = |s: &RecordState| match s.statecode {
        Field::Value(c) => c as i32,
        _ => 0,
    };
    (flags, [code(before), code(&request.after)])
}

#[test]
fn the_compact_wire_agrees_with_the_documented_objects() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    const ENTITIES: [&str; 6] = [
        "contact",
        "lead",
        "Contact",
        "LEAD",
        "account",
        "opportunity",
    ];
    const MODES: [u32; 10] = [1, 2, 5, 6, 7, 15, 16, 59, 70, 0];
    for _ in 0..10_000 {
        let request = SaveRequest {
            entity: ENTITIES[random.next(6) as usize].into(),
            save_mode: MODES[random.next(10) as usize],
            before: (random.next(10) != 0).then(|| random.state()),
            after: random.state(),
            settings: SaveSettings {
                anonymize_when_inactive: random.next(2) == 1,
            },
            language_id: None,
        };
        let verdict = evaluate_save(&request);
        let (flags, states) = encode(&request);
        let wire = evaluate_save_bits(
            entity_kind(&request.entity),
            request.save_mode,
            flags,
            states,
        );
        let decoded = (
            wire & 1 != 0,
            wire & 2 != 0,
            wire & 4 != 0,
            wire & 8 != 0,
            REASONS
                .iter()
                .enumerate()
                .filter(|(i, _)| wire & (1 << (4 + i)) != 0)
                .map(|(_, c)| *c)
                .collect::<Vec<_>>(),
            NOTICES
                .iter()
                .enumerate()
                .filter(|(i, _)| wire & (1 << (8 + i)) != 0)
                .map(|(_, c)| *c)
                .collect::<Vec<_>>(),
        );
        let expected = (
            verdict.anonymize,
            verdict.reset_permissions,
            verdict.prompt,
            verdict.block,
            verdict.reasons.iter().map(|r| r.code).collect::<Vec<_>>(),
            verdict.notices.iter().map(|n| n.code).collect::<Vec<_>>(),
        );
        assert_eq!(decoded, expected, "{request:?}");
    }
}

#[test]
fn entities_are_told_apart_as_the_rule_does() {
    assert_eq!(
        [
            entity_kind("contact"),
            entity_kind("CONTACT"),
            entity_kind("lead"),
            entity_kind("Lead")
        ],
        [1, 1, 2, 2]
    );
    assert_eq!(
        [
            entity_kind("account"),
            entity_kind(""),
            entity_kind("contacts")
        ],
        [0, 0, 0]
    );
}
