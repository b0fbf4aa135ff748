//! The compact wire of `evaluateSave`: a request crosses as five numbers, the verdict comes back
//! as one, and the texts are fetched once per language, entity kinds once per name and email
//! validity once per address (the JavaScript side caches what this module answered). Walking
//! the request object property by property, and building the verdict object, cost twenty times
//! the rule itself; this wire does neither. The rule is the same [`judge`] that
//! [`crate::save::evaluate_save`] calls.
//!
//! Flags, two bits per field (0 absent, 1 null, 2 false or not valid, 3 true or valid; a
//! statecode is 2 when present):
//! bits 0–1 `before.donotemail`, 2–3 `before.donotbulkemail`, 4–5 `after.donotemail`,
//! 6–7 `after.donotbulkemail`, 8–9 `before.email`, 10–11 `after.email`, 12–13 `before.statecode`,
//! 14–15 `after.statecode`; bit 16 `before` is null (a create); bit 17 "Anonymize Contact When
//! Inactive". The verdict: bit 0 anonymize, 1 reset permissions, 2 prompt, 3 block, 4–7 the
//! reasons of [`REASONS`], 8–9 the notices of [`NOTICES`].

use crate::messages::{text, Language};
use crate::save::{
    judge, Field, NoticeCode, Person, ReasonCode, StateFacts, NOTICE_CODES, REASON_CODES,
};

/// The reasons in the order of their verdict bits (4–7).
pub const REASONS: [ReasonCode; 4] = REASON_CODES;

/// The notices in the order of their verdict bits (8–9).
pub const NOTICES: [NoticeCode; 2] = NOTICE_CODES;

/// Bit 16: `before` is null.
pub const CREATE: u32 = 1 << 16;
/// Bit 17: "Anonymize Contact When Inactive" is on.
pub const ANONYMIZE_WHEN_INACTIVE: u32 = 1 << 17;

/// How the rules see an entity: 1 a Contact, 2 a Lead (the people the connector syncs), 0
/// anything else. The JavaScript side caches the answer per entity name.
pub fn entity_kind(entity: &str) -> u32 {
    match Person::from_entity(entity) {
        Some(Person::Contact) => 1,
        Some(Person::Lead) => 2,
        None => 0,
    }
}

/// One field of a state from its two flag bits at `shift`, its value read with `value`.
fn field<T>(flags: u32, shift: u32, value: impl FnOnce(bool) -> T) -> Field<T> {
    match (flags >> shift) & 3 {
        0 => Field::Absent,
        1 => Field::Null,
        bits => Field::Value(value(bits == 3)),
    }
}

fn state(flags: u32, first: u32, statecode: i32) -> StateFacts {
    // `first` is 0 for `before` (bits 0–3) and 4 for `after` (bits 4–7).
    let side = first / 2;
    StateFacts {
        donotemail: field(flags, first, |set| set),
        donotbulkemail: field(flags, first + 2, |set| set),
        email_valid: field(flags, 8 + side, |valid| valid),
        statecode: field(flags, 12 + side, |_| i64::from(statecode)),
    }
}

/// Judge a save given on the compact wire (the module's doc says the layout). `entity_kind` is
/// what [`entity_kind`] answered for the entity.
pub fn evaluate_save_bits(entity_kind: u32, save_mode: u32, flags: u32, states: [i32; 2]) -> u32 {
    let person = match entity_kind {
        1 => Some(Person::Contact),
        2 => Some(Person::Lead),
        _ => None,
    };
    let before = (flags & CREATE == 0).then(|| state(flags, 0, states[0]));
    let after = state(flags, 4, states[1]);
    let awi = flags & ANONYMIZE_WHEN_INACTIVE != 0;
    judge(person, save_mode, before.as_ref(), &after, awi)
}

/// The texts of [`REASONS`] then [`NOTICES`] in `language`, fetched once per language.
pub fn save_texts(language: Language) -> [&'static str; 6] {
    let reasons = REASONS.map(|code| text(code.message_id(), language));
    let notices = NOTICES.map(|code| text(code.message_id(), language));
    [
        reasons[0], reasons[1], reasons[2], reasons[3], notices[0], notices[1],
    ]
}
