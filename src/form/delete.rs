//! The Delete guard: deleting a Contact, Lead or Account makes Spotler anonymize the contact at
//! once, so the command asks first, naming the records.

use crate::form::action::{Action, AfterReplay, Decision, Dialog, FollowUp};
use crate::form::confirmation::{Command, Confirmation, Reason};
use crate::messages::{fill, Language, MessageId};
use crate::prelude::*;

/// Ask before deleting the records `names`, then delete them.
pub fn advise_delete(names: &[String], language: Language) -> Action {
    let names = crate::text::join(names, ", ");
    Action {
        decision: Decision::Ask(Dialog::new(
            MessageId::DeleteTitle,
            fill(MessageId::DeleteText, language, &[&names]),
            MessageId::DeleteConfirm,
            language,
        )),
        notifications: Vec::new(),
        // Deleted from a form, the record is gone: the form closes.
        follow_up: FollowUp::Replay(AfterReplay::Close),
        record: Some(Confirmation {
            command: Command::Delete,
            reasons: vec![Reason::new("Delete", &[&names])],
        }),
    }
}

/// What to tell the user when deleting `name` failed with `error`.
pub fn delete_failed(name: &str, error: &str, language: Language) -> String {
    fill(MessageId::DeleteFailed, language, &[name, error])
}
