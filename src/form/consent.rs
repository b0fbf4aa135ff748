//! Consent on a Contact or Lead form: the person's current consent per option, and a warning
//! when the required consent rule fails.

use crate::consent::{unify_consent, ConsentRecord};
use crate::error::ApiError;
use crate::form::action::{Level, Notification};
use crate::form::optout::Unknown;
use crate::form::send::meets;
use crate::messages::{fill, text, Language, MessageId};
use crate::prelude::*;
use crate::text::build_text;

/// The notification with the current consent.
pub const CONSENT: &str = "consentguard.consent";
/// The notification about a missing required consent.
pub const CONSENT_REQUIRED: &str = "consentguard.consentrequired";

/// What to say when the consent records could not be read.
pub fn consent_unreadable(why: &Unknown, language: Language) -> Vec<Notification> {
    vec![
        Notification::show(
            CONSENT,
            Level::Warning,
            fill(
                MessageId::ConsentUnreadable,
                language,
                &[&why.reason(language)],
            ),
        ),
        Notification::clear(CONSENT_REQUIRED),
    ]
}

/// The current consent of one person, and whether it meets the required rule.
///
/// # Errors
/// Records that cannot be unified, or a required rule that does not parse.
pub fn consent_summary(
    records: &[ConsentRecord],
    required: Option<&str>,
    language: Language,
) -> Result<Vec<Notification>, ApiError> {
    let profiles = unify_consent(records).map_err(|e| ApiError::of_record("records", &e))?;
    let mut parts = Vec::new();
    for profile in &profiles {
        for (option, consent) in &profile.consents {
            let answer = text(
                if consent.value {
                    MessageId::Yes
                } else {
                    MessageId::No
                },
                language,
            );
            let part = fill(MessageId::ConsentOption, language, &[option, answer]);
            parts.push(match &consent.date {
                Some(date) => build_text!(&part, " (", date, ")"),
                None => part,
            });
        }
    }
    let summary = if parts.is_empty() {
        text(MessageId::ConsentNone, language).to_string()
    } else {
        fill(
            MessageId::ConsentSummary,
            language,
            &[&crate::text::join(&parts, ", ")],
        )
    };
    let missing = match required {
        Some(rule)
            if !meets(rule, records).map_err(|e| ApiError::of_rule_at("requiredConsent", e))? =>
        {
            Some(fill(MessageId::ConsentRequiredMissing, language, &[rule]))
        }
        _ => None,
    };
    Ok(vec![
        Notification::show(CONSENT, Level::Info, summary),
        Notification::show_or_clear(CONSENT_REQUIRED, Level::Warning, missing),
    ])
}
