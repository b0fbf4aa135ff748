//! The moments beyond a Contact's save where a user can trigger anonymization or reach a person
//! without consent: deleting, saving a Spotler Job, sending an email, and consent on the form.

use crate::anonymize_job::{interpret_anonymize_response, AnonymizeOutcome};
use crate::consent::{parse_rule, unify_consent, ConsentRecord, RuleError};
use crate::form::optout::{Read, Unknown};
use crate::messages::{fill, text, Language, MessageId};
use crate::value::{Input, InputError, Value};

fn string(text: impl Into<String>) -> Value {
    Value::String(text.into())
}

fn dialog(title: MessageId, text_value: String, confirm: MessageId, language: Language) -> Value {
    Value::object([
        ("title", string(text(title, language))),
        ("text", string(text_value)),
        ("confirmButtonLabel", string(text(confirm, language))),
        (
            "cancelButtonLabel",
            string(text(MessageId::DialogCancel, language)),
        ),
    ])
}

/// The confirm dialog before deleting Contacts, Leads or Accounts, naming them.
pub fn delete_dialog(names: &[String], language: Language) -> Value {
    dialog(
        MessageId::DeleteTitle,
        fill(MessageId::DeleteText, language, &[&names.join(", ")]),
        MessageId::DeleteConfirm,
        language,
    )
}

/// What to tell the user when a delete failed.
pub fn delete_failed(name: &str, error: &str, language: Language) -> String {
    fill(MessageId::DeleteFailed, language, &[name, error])
}

/// A Spotler Job form's state.
#[derive(Clone, Debug, PartialEq)]
pub struct JobFacts {
    /// The operation as saved; `None` for a job not yet created.
    pub saved_operation: Option<Value>,
    /// The operation the save would persist.
    pub operation: Value,
    /// The value meaning "Anonymize Contact".
    pub anonymize_operation: Value,
    pub customer: String,
    /// The HTTP status the connector recorded, if any.
    pub status: Option<i64>,
}

impl JobFacts {
    /// Read `{ savedOperation?, operation, anonymizeOperation, customer, status? }`.
    pub fn read(input: Input) -> Result<JobFacts, InputError> {
        let fields = input.object(&[
            "savedOperation",
            "operation",
            "anonymizeOperation",
            "customer",
            "status",
        ])?;
        let any = |v: Input| Ok(v.value.clone());
        Ok(JobFacts {
            saved_operation: fields.optional("savedOperation").map(any).transpose()?,
            operation: fields.required("operation").and_then(any)?,
            anonymize_operation: fields.required("anonymizeOperation").and_then(any)?,
            customer: fields
                .required("customer")
                .and_then(|v| v.str().map(str::to_string))?,
            status: fields.optional_integer("status", 0, 999)?,
        })
    }
}

/// Whether saving the job asks first, and what its result means.
pub fn job_advice(facts: &JobFacts, language: Language) -> Value {
    let anonymizes = facts.operation == facts.anonymize_operation;
    let already = facts.saved_operation.as_ref() == Some(&facts.anonymize_operation);
    let prompt = anonymizes && !already;
    let result = facts.status.map(|status| {
        let outcome =
            u16::try_from(status).map_or(AnonymizeOutcome::Failed, interpret_anonymize_response);
        let (level, message) = match outcome {
            AnonymizeOutcome::Anonymized => {
                ("INFO", text(MessageId::JobAnonymized, language).to_string())
            }
            AnonymizeOutcome::AlreadyAnonymized => (
                "INFO",
                text(MessageId::JobAlreadyAnonymized, language).to_string(),
            ),
            AnonymizeOutcome::Failed => (
                "ERROR",
                fill(MessageId::JobFailed, language, &[&status.to_string()]),
            ),
        };
        Value::object([
            ("outcome", string(outcome.as_str())),
            ("level", string(level)),
            ("message", string(message)),
        ])
    });
    let customer = if facts.customer.trim().is_empty() {
        "?"
    } else {
        facts.customer.as_str()
    };
    Value::object([
        ("prompt", Value::Bool(prompt)),
        (
            "dialog",
            if prompt {
                dialog(
                    MessageId::JobTitle,
                    fill(MessageId::JobText, language, &[customer]),
                    MessageId::DialogConfirm,
                    language,
                )
            } else {
                Value::Null
            },
        ),
        ("result", result.unwrap_or(Value::Null)),
    ])
}

/// One recipient of an email and what is known of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipient {
    pub name: String,
    pub donotemail: bool,
    pub opted_out: bool,
    /// Their consent records, when a required consent is configured.
    pub consents: Option<Vec<ConsentRecord>>,
    /// Why they could not be checked, if they could not.
    pub unknown: Option<Unknown>,
}

impl Recipient {
    fn read(input: Input) -> Result<Recipient, InputError> {
        let fields = input.object(&["name", "donotemail", "optOut", "consents", "unknown"])?;
        let flag = |name| -> Result<bool, InputError> {
            Ok(fields
                .optional(name)
                .map(|v| if v.is_null() { Ok(false) } else { v.bool() })
                .transpose()?
                .unwrap_or(false))
        };
        let opt_out = fields.optional("optOut").map(Read::read).transpose()?;
        let unknown = match (
            fields
                .optional("unknown")
                .map(unknown_of)
                .transpose()?
                .flatten(),
            &opt_out,
        ) {
            (Some(why), _) => Some(why),
            (None, Some(Read::Unknown(why))) => Some(why.clone()),
            (None, _) => None,
        };
        Ok(Recipient {
            name: fields
                .required("name")
                .and_then(|v| v.str().map(str::to_string))?,
            donotemail: flag("donotemail")?,
            // The opt-out read as it happened: an org without the column has none to honour,
            // and a read that failed otherwise makes the recipient unknown.
            opted_out: opt_out.as_ref() == Some(&Read::Value(Some(true))),
            consents: fields
                .optional("consents")
                .map(|v| v.array(ConsentRecord::read))
                .transpose()?,
            unknown,
        })
    }

    /// Read `[{ name, donotemail?, optOut?, consents?, unknown? }]`, where `optOut` and
    /// `unknown` are reads as the form script saw them (`{ value } | { error, status? } | { timedOut }`).
    pub fn read_all(input: Input) -> Result<Vec<Recipient>, InputError> {
        input.array(Recipient::read)
    }
}

/// Whether the person's consent records meet `rule` (a segment rule over their one profile).
fn meets(rule: &str, records: &[ConsentRecord]) -> Result<bool, RuleError> {
    let rule = parse_rule(rule)?;
    let profiles = unify_consent(records).unwrap_or_default();
    Ok(!rule.select(&profiles).is_empty())
}

/// Whether sending asks first: one line per recipient who has Do Not Email, is opted out, or
/// lacks the required consent.
///
/// # Errors
/// A required consent rule that does not parse.
pub fn send_advice(
    recipients: &[Recipient],
    required: Option<&str>,
    language: Language,
) -> Result<Value, RuleError> {
    let mut lines = Vec::new();
    for recipient in recipients {
        if let Some(why) = &recipient.unknown {
            let reason = why.reason(language);
            // Fail closed: a recipient who could not be checked is named too.
            lines.push(fill(
                MessageId::SendUnknown,
                language,
                &[&recipient.name, &reason],
            ));
        }
        if recipient.donotemail {
            lines.push(fill(
                MessageId::SendDoNotEmail,
                language,
                &[&recipient.name],
            ));
        }
        if recipient.opted_out {
            lines.push(fill(MessageId::SendOptedOut, language, &[&recipient.name]));
        }
        if let (Some(rule), Some(records)) = (required, &recipient.consents) {
            if !meets(rule, records)? {
                lines.push(fill(
                    MessageId::SendNoConsent,
                    language,
                    &[&recipient.name, rule],
                ));
            }
        }
    }
    let prompt = !lines.is_empty();
    let body = format!(
        "{}\n{}",
        text(MessageId::SendIntro, language),
        lines.join("\n")
    );
    Ok(Value::object([
        ("prompt", Value::Bool(prompt)),
        (
            "dialog",
            if prompt {
                dialog(MessageId::SendTitle, body, MessageId::SendConfirm, language)
            } else {
                Value::Null
            },
        ),
        ("repeat", string(text(MessageId::RepeatSend, language))),
    ]))
}

/// Why a read failed, from `{ timedOut } | { error, status? } | { missing }`; `None` when the
/// read did not fail.
pub fn unknown_of(input: Input) -> Result<Option<Unknown>, InputError> {
    Ok(match Read::read(input)? {
        Read::Unknown(why) => Some(why),
        Read::Value(_) | Read::NoColumn => None,
    })
}

/// What to say when the consent records could not be read.
pub fn consent_unreadable(why: &Unknown, language: Language) -> String {
    fill(
        MessageId::ConsentUnreadable,
        language,
        &[&why.reason(language)],
    )
}

/// The current consent of one person, and whether it meets the required rule.
///
/// # Errors
/// Records that cannot be unified, or a required rule that does not parse.
pub fn consent_summary(
    records: &[ConsentRecord],
    required: Option<&str>,
    language: Language,
) -> Result<Value, String> {
    let profiles = unify_consent(records).map_err(|e| format!("records{e}"))?;
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
            parts.push(match &consent.date {
                Some(date) => format!("{option}: {answer} ({date})"),
                None => format!("{option}: {answer}"),
            });
        }
    }
    let summary = if parts.is_empty() {
        text(MessageId::ConsentNone, language).to_string()
    } else {
        fill(MessageId::ConsentSummary, language, &[&parts.join(", ")])
    };
    let missing = match required {
        Some(rule) if !meets(rule, records).map_err(|e| e.to_string())? => {
            string(fill(MessageId::ConsentRequiredMissing, language, &[rule]))
        }
        _ => Value::Null,
    };
    Ok(Value::object([
        ("summary", string(summary)),
        ("requiredMissing", missing),
    ]))
}
