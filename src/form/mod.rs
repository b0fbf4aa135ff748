//! What a Dynamics 365 form needs beyond the pure rules: its settings, the opt-out decision
//! from what the form and the Web API said, and the fixed texts of the save guard.

pub mod guards;
pub mod optout;
pub mod settings;

use crate::messages::{text, Language, MessageId};
use crate::value::Value;

/// The fixed texts the form script shows, in `language`.
pub fn form_texts(language: Language) -> Value {
    let t = |id| Value::String(text(id, language).to_string());
    Value::object([
        ("dialogTitle", t(MessageId::DialogTitle)),
        ("confirmButtonLabel", t(MessageId::DialogConfirm)),
        ("cancelButtonLabel", t(MessageId::DialogCancel)),
        ("autoSaveBlocked", t(MessageId::AutoSaveBlocked)),
        ("repeatDeactivate", t(MessageId::RepeatDeactivate)),
        ("repeatDisqualify", t(MessageId::RepeatDisqualify)),
        ("repeatQualify", t(MessageId::RepeatQualify)),
    ])
}
