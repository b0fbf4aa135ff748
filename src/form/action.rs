//! The guard protocol: for every guarded moment (a save, a Spotler Job save, Send, Delete) the
//! module answers with one [`Action`], and the form script has one executor that carries it out.
//!
//! What a save mode means, and which commands the script cannot replay, is decided here too, so
//! that the executor knows nothing of save modes.

use crate::form::confirmation::Confirmation;
use crate::messages::{text, Language, MessageId};
use crate::prelude::*;
use crate::save::{
    SAVE_MODE_ASSIGN, SAVE_MODE_DEACTIVATE, SAVE_MODE_DISQUALIFY, SAVE_MODE_MARK_COMPLETE,
    SAVE_MODE_QUALIFY, SAVE_MODE_REACTIVATE, SAVE_MODE_SAVE_AND_CLOSE, SAVE_MODE_SAVE_AND_NEW,
    SAVE_MODE_SEND,
};
use crate::value::Value;

/// Stable ids of the form notifications an action sets or clears.
pub mod notification {
    /// An AutoSave that was held back.
    pub const AUTO_SAVE: &str = "consentguard.autosave";
    /// Do Not Bulk Email resets the Spotler permissions.
    pub const BULK_EMAIL: &str = "consentguard.bulkemail";
    /// Information about the Spotler contact.
    pub const NOTICE: &str = "consentguard.notice";
    /// A confirmed command the user repeats.
    pub const CONFIRMED: &str = "consentguard.confirmed";
    /// The result of a Spotler Job.
    pub const JOB: &str = "consentguard.job";
}

/// How prominent a form notification is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    /// The level as `setFormNotification` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "INFO",
            Level::Warning => "WARNING",
            Level::Error => "ERROR",
        }
    }
}

/// Show a form notification, or clear it (`message` `None`).
#[derive(Clone, Debug, PartialEq)]
pub struct Notification {
    pub id: &'static str,
    pub level: Level,
    pub message: Option<String>,
}

impl Notification {
    /// Show `message` under `id`.
    pub fn show(id: &'static str, level: Level, message: impl Into<String>) -> Notification {
        Notification {
            id,
            level,
            message: Some(message.into()),
        }
    }

    /// Clear the notification `id`.
    pub fn clear(id: &'static str) -> Notification {
        Notification {
            id,
            level: Level::Info,
            message: None,
        }
    }

    /// Show `message` under `id` when there is one, else clear it.
    pub fn show_or_clear(id: &'static str, level: Level, message: Option<String>) -> Notification {
        Notification { id, level, message }
    }

    /// The notification as the form script reads it.
    pub fn to_value(&self) -> Value {
        let message = self.message.as_ref().into();
        Value::object([
            ("id", self.id.into()),
            ("level", self.level.as_str().into()),
            ("message", message),
        ])
    }
}

/// The confirm dialog's texts, as `Xrm.Navigation.openConfirmDialog` takes them.
#[derive(Clone, Debug, PartialEq)]
pub struct Dialog {
    pub title: String,
    pub text: String,
    pub confirm: String,
    pub cancel: String,
}

impl Dialog {
    /// A dialog titled `title` with `text`, confirmed by `confirm`, in `language`.
    pub fn new(
        title: MessageId,
        text_value: String,
        confirm: MessageId,
        language: Language,
    ) -> Dialog {
        Dialog {
            title: text(title, language).into(),
            text: text_value,
            confirm: text(confirm, language).into(),
            cancel: text(MessageId::DialogCancel, language).into(),
        }
    }

    fn to_value(&self) -> Value {
        Value::object([
            ("title", (&self.title).into()),
            ("text", (&self.text).into()),
            ("confirmButtonLabel", (&self.confirm).into()),
            ("cancelButtonLabel", (&self.cancel).into()),
        ])
    }
}

/// What the guard does with the user's command.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Let it go ahead.
    Proceed,
    /// Cancel it without asking (an AutoSave); the notifications say why.
    Block,
    /// Cancel it, ask, and carry it out once confirmed.
    Ask(Dialog),
    /// Hold it until the facts still being read are in, then decide again.
    Wait,
}

/// What happens once the user confirmed (or, for a command held back while its facts were
/// read, once the facts say it may go ahead).
#[derive(Clone, Debug, PartialEq)]
pub enum FollowUp {
    /// Carry out the original command again, then `after`.
    Replay(AfterReplay),
    /// The script cannot carry it out: let the user's repeated command pass while the values
    /// stay as confirmed, and say so (the first text); the second says so for a command that
    /// went ahead unasked but was held while the facts were being read (the form starting, or
    /// recipients being looked up).
    AllowRepeat(String, String),
}

/// What the platform does after the command itself, which a replayed save must do too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterReplay {
    Stay,
    Close,
    OpenNew,
}

impl AfterReplay {
    fn as_str(self) -> &'static str {
        match self {
            AfterReplay::Stay => "stay",
            AfterReplay::Close => "close",
            AfterReplay::OpenNew => "openNew",
        }
    }
}

/// The module's answer for one guarded moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub decision: Decision,
    /// Notifications to show or clear, whatever the decision.
    pub notifications: Vec<Notification>,
    pub follow_up: FollowUp,
    /// What a confirmation confirms, for the note that may record it; with [`Decision::Ask`].
    pub record: Option<Confirmation>,
}

impl Action {
    /// The action for a command in `save_mode`, with the follow-up that mode needs.
    pub fn for_save(
        save_mode: u32,
        decision: Decision,
        notifications: Vec<Notification>,
        language: Language,
    ) -> Action {
        Action {
            decision,
            notifications,
            follow_up: follow_up(save_mode, language),
            record: None,
        }
    }

    /// This action, whose confirmation is recorded as `record` says.
    pub fn recorded_as(self, record: Confirmation) -> Action {
        Action {
            record: Some(record),
            ..self
        }
    }

    /// The action as the form script reads it:
    /// `{ kind, notifications, dialog, replay, afterReplay, confirmedNotice, heldNotice, record }`.
    pub fn to_value(&self) -> Value {
        let (kind, dialog) = match &self.decision {
            Decision::Proceed => ("proceed", Value::Null),
            Decision::Block => ("block", Value::Null),
            Decision::Wait => ("wait", Value::Null),
            Decision::Ask(dialog) => ("ask", dialog.to_value()),
        };
        let (after, notice, held) = match &self.follow_up {
            FollowUp::Replay(after) => (*after, None, None),
            FollowUp::AllowRepeat(notice, held) => (AfterReplay::Stay, Some(notice), Some(held)),
        };
        let shown = |text: Option<&String>| {
            text.map(|t| Notification::show(notification::CONFIRMED, Level::Info, t).to_value())
        };
        let (notice, held) = (shown(notice), shown(held));
        let notifications = self
            .notifications
            .iter()
            .map(Notification::to_value)
            .collect();
        Value::object([
            ("kind", kind.into()),
            ("notifications", Value::Array(notifications)),
            ("dialog", dialog),
            ("replay", notice.is_none().into()),
            ("afterReplay", after.as_str().into()),
            ("confirmedNotice", notice.into()),
            ("heldNotice", held.into()),
            (
                "record",
                self.record
                    .as_ref()
                    .map_or(Value::Null, Confirmation::to_value),
            ),
        ])
    }
}

/// What a command in `save_mode` needs once confirmed. Deactivate, Activate, Assign, Disqualify,
/// Qualify, Mark Complete and Send cannot be replayed from a form script (a save from script
/// only saves, whatever save mode it names): the user repeats them.
pub fn follow_up(save_mode: u32, language: Language) -> FollowUp {
    let repeat = |id| {
        FollowUp::AllowRepeat(
            text(id, language).into(),
            text(MessageId::RepeatHeld, language).into(),
        )
    };
    match save_mode {
        SAVE_MODE_DEACTIVATE => repeat(MessageId::RepeatDeactivate),
        SAVE_MODE_REACTIVATE => repeat(MessageId::RepeatActivate),
        SAVE_MODE_MARK_COMPLETE => repeat(MessageId::RepeatMarkComplete),
        SAVE_MODE_ASSIGN => repeat(MessageId::RepeatAssign),
        SAVE_MODE_DISQUALIFY => repeat(MessageId::RepeatDisqualify),
        SAVE_MODE_QUALIFY => repeat(MessageId::RepeatQualify),
        SAVE_MODE_SEND => repeat(MessageId::RepeatSend),
        SAVE_MODE_SAVE_AND_CLOSE => FollowUp::Replay(AfterReplay::Close),
        SAVE_MODE_SAVE_AND_NEW => FollowUp::Replay(AfterReplay::OpenNew),
        _ => FollowUp::Replay(AfterReplay::Stay),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_save_mode_has_its_follow_up() {
        let en = Language::English;
        assert_eq!(follow_up(1, en), FollowUp::Replay(AfterReplay::Stay));
        assert_eq!(follow_up(2, en), FollowUp::Replay(AfterReplay::Close));
        assert_eq!(follow_up(59, en), FollowUp::Replay(AfterReplay::OpenNew));
        assert_eq!(follow_up(70, en), FollowUp::Replay(AfterReplay::Stay));
        for (mode, command) in [
            (5, "Deactivate"),
            (6, "Activate"),
            (58, "Mark Complete"),
            (47, "Assign"),
            (15, "Disqualify"),
            (16, "Qualify"),
            (7, "Send"),
        ] {
            match follow_up(mode, en) {
                FollowUp::AllowRepeat(notice, _) => {
                    assert!(
                        notice.contains(&format!("choose {command} again")),
                        "{mode}: {notice}"
                    )
                }
                other => panic!("mode {mode} cannot be replayed, got {other:?}"),
            }
        }
        match follow_up(16, Language::Dutch) {
            FollowUp::AllowRepeat(notice, _) => {
                assert!(notice.contains("Kwalificeren"), "{notice}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_action_reads_as_the_executor_expects() {
        let action = Action::for_save(
            2,
            Decision::Ask(Dialog::new(
                MessageId::DialogTitle,
                "why".into(),
                MessageId::DialogConfirm,
                Language::English,
            )),
            vec![Notification::clear(notification::AUTO_SAVE)],
            Language::English,
        );
        let Value::Object(fields) = action.to_value() else {
            panic!("an object")
        };
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "kind",
                "notifications",
                "dialog",
                "replay",
                "afterReplay",
                "confirmedNotice",
                "heldNotice",
                "record"
            ]
        );
        assert_eq!(fields[0].1, Value::String("ask".into()));
        assert_eq!(fields[3].1, Value::Bool(true));
        assert_eq!(fields[4].1, Value::String("close".into()));
    }
}
