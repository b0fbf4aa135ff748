//! The record of a confirmation: when a user goes ahead after a warning (a save that makes
//! Spotler anonymize the contact, a Delete, a Spotler Job that anonymizes, a Send to people who
//! should not get email), the form script can write a note on the record that says who
//! confirmed what, when and why, in the org's base language, for the privacy officer.
//!
//! An [`Action`](crate::form::action::Action) that asks carries a [`Confirmation`]: the command
//! and its reasons as codes with the values their texts name, so that the note can word them in
//! another language than the dialog's.

use crate::messages::{fill, text, Language, MessageId};
use crate::prelude::*;
use crate::save::{
    SAVE_MODE_ASSIGN, SAVE_MODE_DEACTIVATE, SAVE_MODE_DISQUALIFY, SAVE_MODE_MARK_COMPLETE,
    SAVE_MODE_QUALIFY, SAVE_MODE_REACTIVATE, SAVE_MODE_SEND,
};
use crate::text::build_text;
use crate::value::{Input, InputError, Value};

/// The command a user confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Save,
    Deactivate,
    Activate,
    Assign,
    MarkComplete,
    Qualify,
    Disqualify,
    Delete,
    Send,
    SpotlerJob,
}

const COMMANDS: [(Command, &str, MessageId); 10] = [
    (Command::Save, "save", MessageId::ConfirmedSave),
    (Command::Activate, "activate", MessageId::ConfirmedActivate),
    (Command::Assign, "assign", MessageId::ConfirmedAssign),
    (
        Command::MarkComplete,
        "markComplete",
        MessageId::ConfirmedMarkComplete,
    ),
    (
        Command::Deactivate,
        "deactivate",
        MessageId::ConfirmedDeactivate,
    ),
    (Command::Qualify, "qualify", MessageId::ConfirmedQualify),
    (
        Command::Disqualify,
        "disqualify",
        MessageId::ConfirmedDisqualify,
    ),
    (Command::Delete, "delete", MessageId::ConfirmedDelete),
    (Command::Send, "send", MessageId::ConfirmedSend),
    (
        Command::SpotlerJob,
        "spotlerJob",
        MessageId::ConfirmedSpotlerJob,
    ),
];

impl Command {
    /// The command a save in `save_mode` runs.
    pub fn of_save_mode(save_mode: u32) -> Command {
        match save_mode {
            SAVE_MODE_DEACTIVATE => Command::Deactivate,
            SAVE_MODE_REACTIVATE => Command::Activate,
            SAVE_MODE_ASSIGN => Command::Assign,
            SAVE_MODE_MARK_COMPLETE => Command::MarkComplete,
            SAVE_MODE_QUALIFY => Command::Qualify,
            SAVE_MODE_DISQUALIFY => Command::Disqualify,
            SAVE_MODE_SEND => Command::Send,
            _ => Command::Save,
        }
    }

    fn entry(self) -> (Command, &'static str, MessageId) {
        COMMANDS
            .into_iter()
            .find(|(command, _, _)| *command == self)
            .unwrap_or(COMMANDS[0])
    }

    /// The name the form script passes back.
    pub fn as_str(self) -> &'static str {
        self.entry().1
    }
}

/// The reasons a note can give, by code: the text that words each, and how many values it names.
const REASONS: [(&str, MessageId, usize); 9] = [
    ("DoNotEmail", MessageId::ReasonDoNotEmail, 0),
    ("NoValidEmail", MessageId::ReasonNoValidEmail, 0),
    ("Inactive", MessageId::ReasonInactive, 0),
    // The names of the records deleted.
    ("Delete", MessageId::DeleteText, 1),
    // The customer the Spotler Job anonymizes.
    ("AnonymizeJob", MessageId::JobText, 1),
    // The recipient, and why it could not be checked.
    ("RecipientUnknown", MessageId::SendUnknown, 2),
    ("RecipientDoNotEmail", MessageId::SendDoNotEmail, 1),
    ("RecipientOptedOut", MessageId::SendOptedOut, 1),
    // The recipient, and the rule not met.
    ("RecipientNoConsent", MessageId::SendNoConsent, 2),
];

/// One reason of a confirmation: its code and the values its text names.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub code: &'static str,
    pub args: Vec<String>,
}

impl Reason {
    /// The reason `code` (one of the codes above) naming `args`.
    pub fn new(code: &'static str, args: &[&str]) -> Reason {
        Reason {
            code,
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// The reason's text in `language`.
    fn text(&self, language: Language) -> String {
        let id = REASONS
            .iter()
            .find(|(code, _, _)| *code == self.code)
            .map_or(MessageId::Fault, |(_, id, _)| *id);
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        fill(id, language, &args)
    }
}

/// What a user is asked to confirm, for the note that records it.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirmation {
    pub command: Command,
    pub reasons: Vec<Reason>,
}

impl Confirmation {
    /// `{ command, reasons: [{ code, args }] }`.
    pub fn to_value(&self) -> Value {
        let reasons = self.reasons.iter().map(|reason| {
            let args = Value::Array(reason.args.iter().map(Value::from).collect());
            Value::object([("code", reason.code.into()), ("args", args)])
        });
        Value::object([
            ("command", self.command.as_str().into()),
            ("reasons", Value::Array(reasons.collect())),
        ])
    }

    /// Read what [`Confirmation::to_value`] wrote.
    pub fn read(input: Input) -> Result<Confirmation, InputError> {
        let fields = input.object(&["command", "reasons"])?;
        let command = fields.required("command")?;
        let name = command.str()?;
        let command = COMMANDS
            .iter()
            .find(|(_, known, _)| *known == name)
            .map(|(command, _, _)| *command)
            .ok_or_else(|| command.error(build_text!("unknown command `", name, "`")))?;
        let reasons = fields.required("reasons")?.array(|item| {
            let fields = item.object(&["code", "args"])?;
            let code = fields.required("code")?;
            let name = code.str()?;
            let (known, _, count) = REASONS
                .iter()
                .find(|(known, _, _)| *known == name)
                .ok_or_else(|| code.error(build_text!("unknown reason `", name, "`")))?;
            let args = fields
                .required("args")?
                .array(|arg| arg.str().map(str::to_string))?;
            if args.len() != *count {
                return Err(item.error(build_text!("`", name, "` names ", count, " values")));
            }
            Ok(Reason { code: known, args })
        })?;
        Ok(Confirmation { command, reasons })
    }
}

/// Who confirmed, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirmer {
    pub user_name: String,
    pub user_id: String,
    /// When, as UTC ISO 8601 text (the browser's clock).
    pub at: String,
}

/// A note (annotation) as the Web API creates it: `subject` and `notetext`.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub subject: String,
    pub text: String,
}

impl Note {
    /// `{ subject, notetext }`, the annotation's columns.
    pub fn to_value(&self) -> Value {
        Value::object([
            ("subject", (&self.subject).into()),
            ("notetext", (&self.text).into()),
        ])
    }
}

/// The note recording `confirmation` by `confirmer`, in `language` (the org's base language),
/// with every reason as its code and its text.
pub fn confirmation_note(
    confirmation: &Confirmation,
    confirmer: &Confirmer,
    language: Language,
) -> Note {
    let command = text(confirmation.command.entry().2, language);
    let reasons: Vec<String> = confirmation
        .reasons
        .iter()
        .map(|reason| build_text!("- ", reason.code, ": ", reason.text(language)))
        .collect();
    let text = fill(
        MessageId::NoteText,
        language,
        &[
            &confirmer.user_name,
            &confirmer.user_id,
            command,
            &confirmer.at,
            &crate::text::join(&reasons, "\n"),
            env!("CARGO_PKG_VERSION"),
        ],
    );
    Note {
        subject: fill(MessageId::NoteSubject, language, &[command]),
        text,
    }
}

/// What to tell the user when the note could not be written.
pub fn note_failed(detail: &str, language: Language) -> String {
    fill(MessageId::NoteFailed, language, &[detail])
}
