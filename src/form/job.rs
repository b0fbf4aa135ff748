//! The Spotler Job form: saving a job whose operation is "Anonymize Contact" asks first, and the
//! HTTP status the connector recorded for such a job is explained.

use crate::anonymize_job::{interpret_anonymize_response, AnonymizeOutcome};
use crate::consent::fold_case;
use crate::form::action::{notification, Action, Decision, Dialog, Level, Notification};
use crate::form::confirmation::{Command, Confirmation, Reason};
use crate::messages::{fill, text, Language, MessageId};
use crate::prelude::*;
use crate::save::SAVE_MODE_AUTOSAVE;
use crate::text::Piece;
use crate::value::{Fields, Input, InputError, Value};

/// An operation as the form holds it: the option's value and its label.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Operation {
    pub value: Option<i64>,
    pub text: Option<String>,
}

impl Operation {
    /// Read the option's value from the field `value` and its label from `text`, each absent or
    /// null when there is none.
    fn read(
        fields: &Fields,
        value: &'static str,
        text: &'static str,
    ) -> Result<Operation, InputError> {
        Ok(Operation {
            value: fields.optional_integer(value, i64::from(i32::MIN), i64::from(i32::MAX))?,
            text: fields.optional_str(text)?.map(str::to_string),
        })
    }

    /// Whether this is the operation the setting names: by the option's value when the setting
    /// is a number or a numeric text, by the option's label otherwise (ignoring case and
    /// surrounding space).
    pub fn is(&self, setting: &Value) -> bool {
        match setting {
            Value::Number(n) => self.value.is_some_and(|v| v as f64 == *n),
            Value::String(name) => {
                let name = name.trim();
                if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
                    // The option's value given as text, as a parameter box may hold it.
                    let digits = |t: &str| t.trim_start_matches('0').to_string();
                    self.value
                        .is_some_and(|v| digits(&v.to_text()) == digits(name))
                } else {
                    self.text
                        .as_deref()
                        .is_some_and(|t| fold_case(t.trim()) == fold_case(name))
                }
            }
            _ => false,
        }
    }
}

/// A Spotler Job form's state.
#[derive(Clone, Debug, PartialEq)]
pub struct JobFacts {
    /// The save mode of the save being judged (0 when only the result is described).
    pub save_mode: u32,
    /// The operation as saved; `None` for a job not yet created.
    pub saved_operation: Option<Operation>,
    /// The operation the save would persist.
    pub operation: Operation,
    /// The setting naming "Anonymize Contact": the option's value, or its label.
    pub anonymize_operation: Value,
    pub customer: String,
    /// The HTTP status the connector recorded, if any.
    pub status: Option<i64>,
}

impl JobFacts {
    /// Read `{ saveMode?, saved, savedOperation?, savedOperationText?, operation?,
    /// operationText?, anonymizeOperation, customer, status? }`: an operation is given by its
    /// option value and its label; `saved` says whether the job exists yet.
    pub fn read(input: Input) -> Result<JobFacts, InputError> {
        let fields = input.object(&[
            "saveMode",
            "saved",
            "savedOperation",
            "savedOperationText",
            "operation",
            "operationText",
            "anonymizeOperation",
            "customer",
            "status",
        ])?;
        let setting = fields.required("anonymizeOperation")?;
        let (Value::Number(_) | Value::String(_)) = setting.value else {
            return Err(setting.error("expected a number or a text"));
        };
        let saved = fields.optional_bool("saved")? == Some(true);
        Ok(JobFacts {
            save_mode: fields
                .optional_integer("saveMode", 0, i64::from(u32::MAX))?
                .unwrap_or(0) as u32,
            saved_operation: saved
                .then(|| Operation::read(&fields, "savedOperation", "savedOperationText"))
                .transpose()?,
            operation: Operation::read(&fields, "operation", "operationText")?,
            anonymize_operation: setting.value.clone(),
            customer: fields.required_str("customer")?.to_string(),
            status: fields.optional_integer("status", i64::MIN, i64::MAX)?,
        })
    }

    fn anonymizes(&self) -> bool {
        self.operation.is(&self.anonymize_operation)
    }
}

/// Saving an "Anonymize Contact" job that was not one before asks first; an AutoSave of one is
/// held back.
pub fn advise_job_save(facts: &JobFacts, language: Language) -> Action {
    let already = facts
        .saved_operation
        .as_ref()
        .is_some_and(|saved| saved.is(&facts.anonymize_operation));
    let customer = match facts.customer.trim() {
        "" => "?",
        name => name,
    };
    let mut notifications = Vec::new();
    let decision = if !facts.anonymizes() || already {
        notifications.push(Notification::clear(notification::AUTO_SAVE));
        Decision::Proceed
    } else if facts.save_mode == SAVE_MODE_AUTOSAVE {
        notifications.push(Notification::show(
            notification::AUTO_SAVE,
            Level::Warning,
            text(MessageId::AutoSaveBlocked, language),
        ));
        Decision::Block
    } else {
        notifications.push(Notification::clear(notification::AUTO_SAVE));
        Decision::Ask(Dialog::new(
            MessageId::JobTitle,
            fill(MessageId::JobText, language, &[customer]),
            MessageId::DialogConfirm,
            language,
        ))
    };
    let asks = matches!(decision, Decision::Ask(_));
    let action = Action::for_save(facts.save_mode, decision, notifications, language);
    if asks {
        action.recorded_as(Confirmation {
            command: Command::SpotlerJob,
            reasons: vec![Reason::new("AnonymizeJob", &[customer])],
        })
    } else {
        action
    }
}

/// What the recorded status means, for an "Anonymize Contact" job only: 410 anonymized, 404
/// already anonymized, anything else failed. For other operations nothing is said.
pub fn describe_job_result(facts: &JobFacts, language: Language) -> Notification {
    let (Some(status), true) = (facts.status, facts.anonymizes()) else {
        return Notification::clear(notification::JOB);
    };
    let outcome =
        u16::try_from(status).map_or(AnonymizeOutcome::Failed, interpret_anonymize_response);
    let show = |level, message: String| Notification::show(notification::JOB, level, message);
    match outcome {
        AnonymizeOutcome::Anonymized => {
            show(Level::Info, text(MessageId::JobAnonymized, language).into())
        }
        AnonymizeOutcome::AlreadyAnonymized => show(
            Level::Info,
            text(MessageId::JobAlreadyAnonymized, language).into(),
        ),
        AnonymizeOutcome::Failed => show(
            Level::Error,
            fill(MessageId::JobFailed, language, &[&status.to_text()]),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(value: i64, text: &str) -> Operation {
        Operation {
            value: Some(value),
            text: Some(text.into()),
        }
    }

    #[test]
    fn the_operation_is_named_by_value_numeric_text_or_label() {
        let anonymize = op(100000002, "Anonymize Contact");
        for setting in [
            Value::Number(100000002.0),
            Value::String("100000002".into()),
            Value::String(" 100000002 ".into()),
            Value::String("Anonymize Contact".into()),
            Value::String("  anonymize contact ".into()),
        ] {
            assert!(anonymize.is(&setting), "{setting:?}");
        }
        for setting in [
            Value::Number(100000001.0),
            Value::String("Sync Contact".into()),
            Value::String("1000000020".into()),
            Value::Bool(true),
        ] {
            assert!(!anonymize.is(&setting), "{setting:?}");
        }
        assert!(!Operation::default().is(&Value::String("Anonymize Contact".into())));
    }

    fn facts(operation: Operation, status: Option<i64>) -> JobFacts {
        JobFacts {
            save_mode: 1,
            saved_operation: None,
            operation,
            anonymize_operation: Value::String("Anonymize Contact".into()),
            customer: "Holly".into(),
            status,
        }
    }

    #[test]
    fn other_jobs_show_no_failure() {
        for status in [200, 204, 500] {
            let result = describe_job_result(
                &facts(op(1, "Sync Contact"), Some(status)),
                Language::English,
            );
            assert_eq!(result.message, None, "{status}");
        }
        let anonymize = op(3, "Anonymize Contact");
        assert_eq!(
            describe_job_result(&facts(anonymize.clone(), Some(200)), Language::English).level,
            Level::Error
        );
        assert_eq!(
            describe_job_result(&facts(anonymize.clone(), Some(410)), Language::English).level,
            Level::Info
        );
        assert_eq!(
            describe_job_result(&facts(anonymize, None), Language::English).message,
            None
        );
    }

    #[test]
    fn an_anonymize_job_asks_once_and_its_autosave_is_held_back() {
        let mut job = facts(op(3, "Anonymize Contact"), None);
        assert!(matches!(
            advise_job_save(&job, Language::English).decision,
            Decision::Ask(_)
        ));
        job.save_mode = SAVE_MODE_AUTOSAVE;
        assert_eq!(
            advise_job_save(&job, Language::English).decision,
            Decision::Block
        );
        job.saved_operation = Some(op(3, "Anonymize Contact"));
        assert_eq!(
            advise_job_save(&job, Language::English).decision,
            Decision::Proceed
        );
        let sync = facts(op(1, "Sync Contact"), None);
        assert_eq!(
            advise_job_save(&sync, Language::English).decision,
            Decision::Proceed
        );
    }
}
