//! What a Dynamics 365 form needs beyond the pure rules, one module per feature: the settings
//! and the form's plan, the opt-out decision for email data, and the guards (save, Spotler Job,
//! Send, Delete) that answer with the one [`action::Action`] the form script carries out.

use crate::prelude::*;
pub mod action;
pub mod confirmation;
pub mod consent;
pub mod delete;
pub mod job;
pub mod optout;
pub mod plan;
pub mod save_guard;
pub mod send;
pub mod settings;

use crate::messages::{fill, Language, MessageId};

/// What to tell the user when something unexpected went wrong on the form; email data stays
/// hidden. `detail` is what went wrong, as the platform or the module said it.
pub fn fault_text(detail: &str, language: Language) -> String {
    fill(MessageId::Fault, language, &[detail])
}
