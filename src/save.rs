//! The save verdict: would this save make the connector anonymize the contact in Spotler?
//!
//! A save is judged as a transition from the last saved state (`before`) to the state it would
//! persist (`after`). Only a transition warns: a cause that already held before the save means
//! the Spotler contact is anonymized already, and a record not yet created has no Spotler contact.

use crate::email::is_valid_email;
use crate::messages::{text, Language, MessageId};
use crate::prelude::*;
use crate::value::{Fields, Input, InputError, Value};

/// D365 save mode of Save and Close: the form closes after the save.
pub const SAVE_MODE_SAVE_AND_CLOSE: u32 = 2;
/// D365 save mode of an Email's Send command.
pub const SAVE_MODE_SEND: u32 = 7;
/// D365 save mode of Save and New: a new form opens after the save.
pub const SAVE_MODE_SAVE_AND_NEW: u32 = 59;
/// D365 save mode of a Deactivate command.
pub const SAVE_MODE_DEACTIVATE: u32 = 5;
/// D365 save mode of a Reactivate command.
pub const SAVE_MODE_REACTIVATE: u32 = 6;
/// D365 save mode of an Assign command.
pub const SAVE_MODE_ASSIGN: u32 = 47;
/// D365 save mode of a lead's Disqualify command.
pub const SAVE_MODE_DISQUALIFY: u32 = 15;
/// D365 save mode of a lead's Qualify command.
pub const SAVE_MODE_QUALIFY: u32 = 16;
/// D365 save mode of AutoSave: never shows a dialog.
pub const SAVE_MODE_AUTOSAVE: u32 = 70;
/// Mark Complete (save as completed), on an activity's form.
pub const SAVE_MODE_MARK_COMPLETE: u32 = 58;

/// A field of `after`: absent means unchanged from `before`, null means cleared.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Field<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Field<T> {
    /// This field as it will be after the save, given its saved value.
    fn or_saved<'a>(&'a self, saved: &'a Field<T>) -> Option<&'a T> {
        match self {
            Field::Absent => saved.value(),
            Field::Null => None,
            Field::Value(value) => Some(value),
        }
    }

    fn value(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null => None,
        }
    }
}

impl<T> Field<T> {
    /// Read the field `name` of `fields`: absent, null, or a value read with `read`.
    fn read_in(
        fields: &Fields,
        name: &'static str,
        read: impl FnOnce(Input) -> Result<T, InputError>,
    ) -> Result<Field<T>, InputError> {
        fields
            .optional(name)
            .map_or(Ok(Field::Absent), |v| Field::read(v, read))
    }

    /// Read a field that may be null, with `read` for its value.
    fn read(
        input: Input,
        read: impl FnOnce(Input) -> Result<T, InputError>,
    ) -> Result<Field<T>, InputError> {
        if input.is_null() {
            Ok(Field::Null)
        } else {
            read(input).map(Field::Value)
        }
    }
}

/// The columns the connector reads, as saved or as a save would persist them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordState {
    /// The synced email (by default `emailaddress1`).
    pub email: Field<String>,
    /// Do Not Email (`donotemail`).
    pub donotemail: Field<bool>,
    /// Do Not Bulk Email (`donotbulkemail`).
    pub donotbulkemail: Field<bool>,
    /// `statecode`: 0 is active (open, for a lead).
    pub statecode: Field<i64>,
}

impl RecordState {
    /// Read `{ email?, donotemail?, donotbulkemail?, statecode? }`, each value or null.
    pub fn read(input: Input) -> Result<RecordState, InputError> {
        let fields = input.object(&["email", "donotemail", "donotbulkemail", "statecode"])?;
        let email = |v: Input| v.str().map(str::to_string);
        let flag = |v: Input| v.bool();
        let statecode = |v: Input| v.integer(i64::from(i32::MIN), i64::from(i32::MAX));
        Ok(RecordState {
            email: Field::read_in(&fields, "email", email)?,
            donotemail: Field::read_in(&fields, "donotemail", flag)?,
            donotbulkemail: Field::read_in(&fields, "donotbulkemail", flag)?,
            statecode: Field::read_in(&fields, "statecode", statecode)?,
        })
    }
}

/// Connector settings that change the verdict.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SaveSettings {
    /// Mirrors the connector's "Anonymize Contact When Inactive".
    pub anonymize_when_inactive: bool,
}

/// One save to judge.
#[derive(Clone, Debug, PartialEq)]
pub struct SaveRequest {
    /// Logical name of the entity, compared case-insensitively.
    pub entity: String,
    /// The D365 save mode (1 Save, 2 Save and Close, 5 Deactivate, 70 AutoSave, …).
    pub save_mode: u32,
    /// The last saved values; `None` for a record not yet created.
    pub before: Option<RecordState>,
    /// What the save would persist.
    pub after: RecordState,
    pub settings: SaveSettings,
    /// LCID for the messages; English when absent.
    pub language_id: Option<u32>,
}

impl SaveRequest {
    /// Read a request. `before` is required (null for a create), so that a caller who forgets
    /// it does not silently get the answer for a create.
    ///
    /// # Errors
    /// A wrong type, a missing required field or an unknown field, naming its path.
    pub fn read(input: Input) -> Result<SaveRequest, InputError> {
        let fields = input.object(&[
            "entity",
            "saveMode",
            "before",
            "after",
            "settings",
            "languageId",
        ])?;
        let settings = |v: Input| {
            let fields = v.object(&["anonymizeWhenInactive"])?;
            let awi = fields.optional("anonymizeWhenInactive").map(|v| v.bool());
            Ok(SaveSettings {
                anonymize_when_inactive: awi.transpose()?.unwrap_or(false),
            })
        };
        let before = fields.required("before")?;
        let settings = fields
            .optional("settings")
            .filter(|v| !v.is_null())
            .map(settings);
        let language_id = fields.optional_integer("languageId", 0, i64::from(u32::MAX))?;
        Ok(SaveRequest {
            entity: fields.required_str("entity")?.to_string(),
            save_mode: fields
                .required("saveMode")?
                .integer(0, i64::from(u32::MAX))? as u32,
            before: (!before.is_null())
                .then(|| RecordState::read(before))
                .transpose()?,
            after: fields.required("after").and_then(RecordState::read)?,
            settings: settings.transpose()?.unwrap_or_default(),
            language_id: language_id.map(|n| n as u32),
        })
    }
}

/// Why a save matters to the connector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReasonCode {
    DoNotEmail,
    NoValidEmail,
    Inactive,
    BulkEmailOptOut,
}

/// Information about the Spotler contact that never asks for confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeCode {
    Recreate,
    StaysAnonymized,
}

/// A code with its text in the requested language.
#[derive(Clone, Debug, PartialEq)]
pub struct Coded<C> {
    pub code: C,
    pub message: &'static str,
}

/// What the form should do with a save.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SaveVerdict {
    /// The connector would anonymize the contact after this save.
    pub anonymize: bool,
    /// The connector would reset all permissions to false.
    pub reset_permissions: bool,
    /// A user-started save that needs the confirm dialog.
    pub prompt: bool,
    /// An AutoSave that must be cancelled.
    pub block: bool,
    pub reasons: Vec<Coded<ReasonCode>>,
    pub notices: Vec<Coded<NoticeCode>>,
}

impl ReasonCode {
    /// The name the JavaScript API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::DoNotEmail => "DoNotEmail",
            ReasonCode::NoValidEmail => "NoValidEmail",
            ReasonCode::Inactive => "Inactive",
            ReasonCode::BulkEmailOptOut => "BulkEmailOptOut",
        }
    }

    /// The text that explains this reason.
    pub fn message_id(self) -> MessageId {
        match self {
            ReasonCode::DoNotEmail => MessageId::ReasonDoNotEmail,
            ReasonCode::NoValidEmail => MessageId::ReasonNoValidEmail,
            ReasonCode::Inactive => MessageId::ReasonInactive,
            ReasonCode::BulkEmailOptOut => MessageId::ReasonBulkEmailOptOut,
        }
    }
}

impl NoticeCode {
    /// The name the JavaScript API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeCode::Recreate => "Recreate",
            NoticeCode::StaysAnonymized => "StaysAnonymized",
        }
    }

    /// The text that explains this notice.
    pub fn message_id(self) -> MessageId {
        match self {
            NoticeCode::Recreate => MessageId::NoticeRecreate,
            NoticeCode::StaysAnonymized => MessageId::NoticeStaysAnonymized,
        }
    }
}

impl SaveVerdict {
    /// The verdict as the JavaScript API returns it.
    pub fn to_value(&self) -> Value {
        let coded = |code: &str, message: &str| {
            Value::object([("code", code.into()), ("message", message.into())])
        };
        let reasons = self
            .reasons
            .iter()
            .map(|r| coded(r.code.as_str(), r.message));
        let notices = self
            .notices
            .iter()
            .map(|n| coded(n.code.as_str(), n.message));
        Value::object([
            ("anonymize", self.anonymize.into()),
            ("resetPermissions", self.reset_permissions.into()),
            ("prompt", self.prompt.into()),
            ("block", self.block.into()),
            ("reasons", Value::Array(reasons.collect())),
            ("notices", Value::Array(notices.collect())),
        ])
    }
}

/// The entities whose saves the connector acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Person {
    Contact,
    Lead,
}

impl Person {
    /// The person an entity's logical name means, compared case-insensitively.
    pub fn from_entity(entity: &str) -> Option<Person> {
        if entity.eq_ignore_ascii_case("contact") {
            Some(Person::Contact)
        } else if entity.eq_ignore_ascii_case("lead") {
            Some(Person::Lead)
        } else {
            None
        }
    }
}

/// The causes of anonymization that hold in one state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Causes {
    do_not_email: bool,
    no_valid_email: bool,
    inactive: bool,
}

impl Causes {
    fn any(self) -> bool {
        self.do_not_email || self.no_valid_email || self.inactive
    }
}

/// A resolved state: every field known.
struct Resolved {
    email_valid: bool,
    donotemail: bool,
    donotbulkemail: bool,
    active: bool,
}

impl Resolved {
    fn causes(&self, anonymize_when_inactive: bool) -> Causes {
        Causes {
            do_not_email: self.donotemail,
            no_valid_email: !self.email_valid,
            inactive: anonymize_when_inactive && !self.active,
        }
    }
}

/// A statecode of 0 is active (open, for a lead); an unknown one counts as active, since only
/// an active record can be deactivated.
fn is_active(statecode: Option<&i64>) -> bool {
    statecode.is_none_or(|code| *code == 0)
}

/// A state as the rule reads it: the email by its validity alone.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StateFacts {
    /// Whether the email is valid (absent: unknown; null: cleared).
    pub email_valid: Field<bool>,
    pub donotemail: Field<bool>,
    pub donotbulkemail: Field<bool>,
    pub statecode: Field<i64>,
}

impl RecordState {
    /// What the rule reads of this state.
    pub fn facts(&self) -> StateFacts {
        StateFacts {
            email_valid: match &self.email {
                Field::Absent => Field::Absent,
                Field::Null => Field::Null,
                Field::Value(email) => Field::Value(is_valid_email(email)),
            },
            donotemail: self.donotemail,
            donotbulkemail: self.donotbulkemail,
            statecode: self.statecode,
        }
    }
}

/// Whether an email field is valid; `saved` answers for an absent one.
fn email_valid(field: Field<bool>, saved: bool) -> bool {
    match field {
        Field::Absent => saved,
        Field::Null => false,
        Field::Value(valid) => valid,
    }
}

/// The saved state. An absent field is unknown and counts as no cause (a valid email, not Do
/// Not Email, active), so that a save which sets a cause still warns.
fn resolve_before(before: &StateFacts) -> Resolved {
    Resolved {
        email_valid: email_valid(before.email_valid, true),
        donotemail: before.donotemail.value() == Some(&true),
        donotbulkemail: before.donotbulkemail.value() == Some(&true),
        active: is_active(before.statecode.value()),
    }
}

fn resolve_after(
    person: Person,
    save_mode: u32,
    before: &StateFacts,
    after: &StateFacts,
) -> Resolved {
    // The command decides the state for these modes, whatever the form's statecode says.
    let active = match (save_mode, person) {
        (SAVE_MODE_DEACTIVATE, _) => false,
        (SAVE_MODE_REACTIVATE, _) => true,
        (SAVE_MODE_DISQUALIFY | SAVE_MODE_QUALIFY, Person::Lead) => false,
        _ => is_active(after.statecode.or_saved(&before.statecode)),
    };
    Resolved {
        email_valid: email_valid(after.email_valid, email_valid(before.email_valid, true)),
        donotemail: after.donotemail.or_saved(&before.donotemail) == Some(&true),
        donotbulkemail: after.donotbulkemail.or_saved(&before.donotbulkemail) == Some(&true),
        active,
    }
}

/// Whether the connector syncs records of `entity` (a Contact or a Lead), case-insensitively.
pub fn is_person(entity: &str) -> bool {
    Person::from_entity(entity).is_some()
}

/// Judge one save.
pub fn evaluate_save(request: &SaveRequest) -> SaveVerdict {
    let before = request.before.as_ref().map(RecordState::facts);
    let bits = judge(
        Person::from_entity(&request.entity),
        request.save_mode,
        before.as_ref(),
        &request.after.facts(),
        request.settings.anonymize_when_inactive,
    );
    SaveVerdict::from_bits(bits, Language::from_optional_lcid(request.language_id))
}

/// Judge one save from what the rule reads: the person (none for other entities), the save mode,
/// the saved state (none for a create), the state the save would persist, and "Anonymize
/// Contact When Inactive". The answer is the verdict's bits (see [`crate::save_wire`]): the
/// compact wire hands them over as they are, [`SaveVerdict::from_bits`] adds the texts.
pub fn judge(
    person: Option<Person>,
    save_mode: u32,
    before: Option<&StateFacts>,
    after: &StateFacts,
    awi: bool,
) -> u32 {
    let (Some(person), Some(before)) = (person, before) else {
        // Other entities never anonymize; a create has no Spotler contact yet.
        return 0;
    };
    let saved = resolve_before(before);
    let next = resolve_after(person, save_mode, before, after);
    let (was, will) = (saved.causes(awi), next.causes(awi));

    // With a cause already in place the Spotler contact is (or is about to be) anonymized,
    // whatever this save adds: only the first cause is news.
    let anonymize = !was.any() && will.any();
    let reset_permissions = next.donotbulkemail && !saved.donotbulkemail;
    let removed_a_cause = (was.do_not_email && !will.do_not_email)
        || (was.no_valid_email && !will.no_valid_email)
        || (was.inactive && !will.inactive);
    // The seed: a later sync re-creates the contact if it has a valid email and is active.
    let recreate = was.any() && !will.any() && next.active;
    let stays_anonymized = !recreate && removed_a_cause && will.any();
    let autosave = save_mode == SAVE_MODE_AUTOSAVE;
    let bit = |set: bool, bit: u32| u32::from(set) << bit;
    bit(anonymize, verdict_bits::ANONYMIZE)
        | bit(reset_permissions, verdict_bits::RESET_PERMISSIONS)
        | bit(anonymize && !autosave, verdict_bits::PROMPT)
        | bit(anonymize && autosave, verdict_bits::BLOCK)
        | bit(anonymize && will.do_not_email, verdict_bits::REASONS)
        | bit(anonymize && will.no_valid_email, verdict_bits::REASONS + 1)
        | bit(anonymize && will.inactive, verdict_bits::REASONS + 2)
        | bit(reset_permissions, verdict_bits::REASONS + 3)
        | bit(recreate, verdict_bits::NOTICES)
        | bit(stays_anonymized, verdict_bits::NOTICES + 1)
}

/// Where each part of a verdict is in [`judge`]'s answer.
pub mod verdict_bits {
    pub const ANONYMIZE: u32 = 0;
    pub const RESET_PERMISSIONS: u32 = 1;
    pub const PROMPT: u32 = 2;
    pub const BLOCK: u32 = 3;
    /// The first of the reasons' bits, in the order of [`REASON_CODES`](super::REASON_CODES).
    pub const REASONS: u32 = 4;
    /// The first of the notices' bits, in the order of [`NOTICE_CODES`](super::NOTICE_CODES).
    pub const NOTICES: u32 = 8;
}

/// The reasons in the order of their verdict bits.
pub const REASON_CODES: [ReasonCode; 4] = [
    ReasonCode::DoNotEmail,
    ReasonCode::NoValidEmail,
    ReasonCode::Inactive,
    ReasonCode::BulkEmailOptOut,
];

/// The notices in the order of their verdict bits.
pub const NOTICE_CODES: [NoticeCode; 2] = [NoticeCode::Recreate, NoticeCode::StaysAnonymized];

impl SaveVerdict {
    /// The verdict [`judge`] answered as bits, with its texts in `language`.
    pub fn from_bits(bits: u32, language: Language) -> SaveVerdict {
        let set = |bit: u32| bits & (1 << bit) != 0;
        let mut verdict = SaveVerdict {
            anonymize: set(verdict_bits::ANONYMIZE),
            reset_permissions: set(verdict_bits::RESET_PERMISSIONS),
            prompt: set(verdict_bits::PROMPT),
            block: set(verdict_bits::BLOCK),
            reasons: Vec::new(),
            notices: Vec::new(),
        };
        for (bit, code) in (verdict_bits::REASONS..).zip(REASON_CODES) {
            if set(bit) {
                let message = text(code.message_id(), language);
                verdict.reasons.push(Coded { code, message });
            }
        }
        for (bit, code) in (verdict_bits::NOTICES..).zip(NOTICE_CODES) {
            if set(bit) {
                let message = text(code.message_id(), language);
                verdict.notices.push(Coded { code, message });
            }
        }
        verdict
    }
}
