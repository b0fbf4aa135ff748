//! The save guard of a Contact, Lead or any record form: the save verdict turned into the
//! action the form script carries out.

use crate::form::action::{notification, Action, Decision, Dialog, Level, Notification};
use crate::form::confirmation::{Command, Confirmation, Reason};
use crate::messages::{fill, Language, MessageId};
use crate::prelude::*;
use crate::save::{evaluate_save, ReasonCode, SaveRequest};

/// What the form does with a save: ask with every reason that anonymizes, hold back an
/// AutoSave, and say what Do Not Bulk Email and the notices mean without asking.
pub fn advise_save(request: &SaveRequest) -> Action {
    let language = Language::from_optional_lcid(request.language_id);
    let verdict = evaluate_save(request);
    let mut dialog_reasons = Vec::new();
    let mut recorded = Vec::new();
    let mut bulk_email = None;
    for reason in &verdict.reasons {
        if reason.code == ReasonCode::BulkEmailOptOut {
            bulk_email = Some(reason.message.to_string());
        } else {
            dialog_reasons.push(reason.message);
            recorded.push(Reason::new(reason.code.as_str(), &[]));
        }
    }
    let notices: Vec<&str> = verdict.notices.iter().map(|n| n.message).collect();
    let mut notifications = vec![
        Notification::show_or_clear(notification::BULK_EMAIL, Level::Info, bulk_email),
        Notification::show_or_clear(
            notification::NOTICE,
            Level::Info,
            (!notices.is_empty()).then(|| crate::text::join(&notices, " ")),
        ),
    ];
    let decision = if verdict.block {
        notifications.push(Notification::show(
            notification::AUTO_SAVE,
            Level::Warning,
            crate::messages::text(MessageId::AutoSaveBlocked, language),
        ));
        Decision::Block
    } else {
        // A held-back AutoSave's notice stays while the user is asked: the change is still
        // unsaved until they confirm (a save that goes through clears it).
        if !verdict.prompt {
            notifications.push(Notification::clear(notification::AUTO_SAVE));
        }
        if verdict.prompt {
            Decision::Ask(Dialog::new(
                MessageId::DialogTitle,
                crate::text::join(&dialog_reasons, "\n\n"),
                MessageId::DialogConfirm,
                language,
            ))
        } else {
            Decision::Proceed
        }
    };
    let asks = matches!(decision, Decision::Ask(_));
    let action = Action::for_save(request.save_mode, decision, notifications, language);
    if asks {
        action.recorded_as(Confirmation {
            command: Command::of_save_mode(request.save_mode),
            reasons: recorded,
        })
    } else {
        action
    }
}

/// What to tell the user when a save could not be judged and was held back.
pub fn not_judged(detail: &str, language: Language) -> String {
    fill(MessageId::SaveNotJudged, language, &[detail])
}
