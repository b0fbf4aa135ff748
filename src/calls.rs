//! Every call the script makes, by name: read the input, run the rule, answer with data.
//!
//! The boundary hands each call over as its operation's name, its input as a [`Value`] (read
//! from JSON text) and the language; the answer goes back the same way. The names, inputs and
//! answers are declared in [`crate::shapes`], from which the TypeScript declarations are
//! generated, and a test checks every answer against them.

use crate::anonymize_job::{interpret_anonymize_response, AnonymizeOutcome};
use crate::consent::{
    evaluate_segment_csv, parse_consent_csv, parse_rule, unify_consent, unreadable_date,
    ConsentProfile, ConsentRecord,
};
use crate::email::is_valid_email;
use crate::error::ApiError;
use crate::form::action::Notification;
use crate::form::confirmation::{confirmation_note, note_failed, Confirmation, Confirmer};
use crate::form::consent::{consent_summary, consent_unreadable};
use crate::form::delete::{advise_delete, delete_failed};
use crate::form::fault_text;
use crate::form::job::{advise_job_save, describe_job_result, JobFacts};
use crate::form::optout::{decide_email_data, Facts};
use crate::form::save_guard::{advise_save, not_judged};
use crate::form::send::{advise_send, send_not_judged, unknown_of, SendFacts};
use crate::form::settings::{parse_settings_text, read_settings_on_form, OnForm, OrgSettings};
use crate::messages::{text as message_text, Language, MessageId};
use crate::prelude::*;
use crate::save::{evaluate_save, SaveRequest};
use crate::save_wire::{entity_kind, save_texts, NOTICES, REASONS};
use crate::text::build_text;
use crate::value::{Fields, Input, InputError, Value};

fn notifications(items: &[Notification]) -> Value {
    Value::Array(items.iter().map(Notification::to_value).collect())
}

/// What a parameter left out of the JSON was: `undefined` (JSON drops it), which every
/// parameter read through [`param`] refuses, naming it.
static ABSENT: Value = Value::Unsupported("undefined");

/// The parameter `name` of a public function (every one of them is required).
fn param<'a>(fields: &'a Fields<'a>, name: &'a str) -> Input<'a> {
    Input::root(fields.optional(name).map_or(&ABSENT, |v| v.value), name)
}

/// The text parameter `name` of a public function.
fn text<'a>(fields: &'a Fields<'a>, name: &'a str) -> Result<&'a str, ApiError> {
    Ok(param(fields, name).str()?)
}

/// Run `operation` on `input` in the language of `lcid` (for `readFormSettings`, the user's).
/// The public functions take their parameters as the fields of `input`, named as in the API.
pub fn call(operation: &str, input: &Value, lcid: Option<u32>) -> Result<Value, ApiError> {
    let language = Language::from_optional_lcid(lcid);
    // The public functions' parameters are named in their errors as in the API.
    let params = || Input::root(input, "arguments").fields();
    // The form's own calls read one input, named `facts` (the save request keeps its own name).
    let root = if operation == "adviseSave" {
        "request"
    } else {
        "facts"
    };
    let facts = Input::root(input, root);
    Ok(match operation {
        "evaluateSave" => {
            let params = params()?;
            evaluate_save(&SaveRequest::read(param(&params, "request"))?).to_value()
        }
        "isValidEmail" => call_text(operation, text(&params()?, "text")?, "")?,
        "interpretAnonymizeResponse" => {
            let params = params()?;
            let status = param(&params, "status").integer(i64::MIN, i64::MAX)?;
            // An integer that is no HTTP status is not a success either.
            let outcome = u16::try_from(status)
                .map_or(AnonymizeOutcome::Failed, interpret_anonymize_response);
            Value::from(outcome.as_str())
        }
        "parseConsentCsv" => call_text(operation, text(&params()?, "text")?, "")?,
        "unifyConsent" => {
            let params = params()?;
            let records = param(&params, "records").array(ConsentRecord::read)?;
            let profiles =
                unify_consent(&records).map_err(|e| ApiError::of_record("records", &e))?;
            Value::Array(profiles.iter().map(ConsentProfile::to_value).collect())
        }
        "evaluateSegment" => {
            let params = params()?;
            let rule = text(&params, "rule")?;
            let profiles = param(&params, "profiles").array(ConsentProfile::read)?;
            let rule_read = parse_rule(rule).map_err(|e| ApiError::of_rule(rule, e))?;
            if let Some(error) = unreadable_date(&rule_read, &profiles) {
                return Err(error.into());
            }
            let keys = rule_read.select(&profiles);
            Value::Array(keys.into_iter().map(Value::from).collect())
        }
        "evaluateSegmentCsv" => {
            let params = params()?;
            call_text(operation, text(&params, "rule")?, text(&params, "text")?)?
        }
        "readFormSettings" => {
            let fields =
                facts.object(&["settings", "entity", "org", "attributes", "moreParameters"])?;
            let given = fields
                .optional("settings")
                .map_or(&Value::Null, |v| v.value);
            let entity = fields.required_str("entity")?;
            let org = fields
                .optional("org")
                .map(|org| org_settings(org, language))
                .transpose()?
                .flatten();
            let attributes = match fields.optional("attributes") {
                Some(attributes) => attributes
                    .entries()?
                    .iter()
                    .map(|(name, kind)| match kind {
                        Value::String(kind) => (name.clone(), kind.clone()),
                        _ => (name.clone(), String::new()),
                    })
                    .collect(),
                None => Vec::new(),
            };
            let more_parameters = fields
                .optional("moreParameters")
                .map(|v| v.array(|item| Ok(item.value.clone())))
                .transpose()?
                .unwrap_or_default();
            let on_form = OnForm {
                more_parameters: &more_parameters,
                attributes: &attributes,
            };
            let outcome = read_settings_on_form(given, None, org.as_ref(), &on_form);
            outcome.to_value(lcid, entity)
        }
        "decideEmailData" => decide_email_data(&Facts::read(facts)?, language).to_value(),
        "adviseSave" => advise_save(&SaveRequest::read(facts)?).to_value(),
        "adviseJobSave" => advise_job_save(&JobFacts::read(facts)?, language).to_value(),
        "describeJobResult" => describe_job_result(&JobFacts::read(facts)?, language).to_value(),
        "adviseSend" => advise_send(&SendFacts::read(facts)?, language)
            .map_err(|e| ApiError::of_rule_at("requiredConsent", e))?
            .to_value(),
        "adviseDelete" => {
            let names = facts.array(|v| v.str().map(str::to_string))?;
            advise_delete(&names, language).to_value()
        }
        "deleteFailed" => {
            let fields = facts.object(&["name", "error"])?;
            let failed = delete_failed(
                fields.required_str("name")?,
                fields.required_str("error")?,
                language,
            );
            Value::String(failed)
        }
        "deleteWrongControl" => Value::from(message_text(MessageId::DeleteWrongControl, language)),
        "summarizeConsent" => {
            let fields = facts.object(&["records", "requiredConsent"])?;
            let records = fields
                .required("records")
                .and_then(|v| v.array(ConsentRecord::read))?;
            let required = fields.optional_str("requiredConsent")?;
            notifications(&consent_summary(&records, required, language)?)
        }
        "consentUnreadable" => match unknown_of(facts)? {
            Some(why) => notifications(&consent_unreadable(&why, language)),
            None => Value::Array(Vec::new()),
        },
        "entityKind" => Value::from(entity_kind(facts.str()?)),
        "saveTexts" => {
            let coded = |(code, message): (&str, &str)| {
                Value::object([("code", code.into()), ("message", message.into())])
            };
            let texts = save_texts(language);
            let reasons = REASONS.iter().map(|c| c.as_str()).zip(texts).map(coded);
            let notices = NOTICES
                .iter()
                .map(|c| c.as_str())
                .zip(texts.into_iter().skip(REASONS.len()))
                .map(coded);
            Value::object([
                ("reasons", Value::Array(reasons.collect())),
                ("notices", Value::Array(notices.collect())),
            ])
        }
        "faultText" => {
            let fields = facts.object(&["detail", "kind"])?;
            let detail = fields.required_str("detail")?;
            Value::String(match fields.required_str("kind")? {
                "save" => not_judged(detail, language),
                "send" => send_not_judged(detail, language),
                "note" => note_failed(detail, language),
                _ => fault_text(detail, language),
            })
        }
        "confirmationNote" => {
            let fields = facts.object(&["record", "userName", "userId", "at"])?;
            let record = Confirmation::read(fields.required("record")?)?;
            let confirmer = Confirmer {
                user_name: fields.required_str("userName")?.to_string(),
                user_id: fields.required_str("userId")?.to_string(),
                at: fields.required_str("at")?.to_string(),
            };
            confirmation_note(&record, &confirmer, language).to_value()
        }
        _ => return unknown(operation),
    })
}

/// The org's settings as the form script read them: null for an org without the variable,
/// else `{variable, text}` (its text, parsed here), `{variable, error, status?}` or
/// `{variable, timedOut}`.
fn org_settings(input: Input, language: Language) -> Result<Option<OrgSettings>, InputError> {
    if input.is_null() {
        return Ok(None);
    }
    let fields = input.object(&["variable", "text", "error", "status", "timedOut"])?;
    let variable = fields.required_str("variable")?.to_string();
    let status = fields.optional_integer("status", 100, 599)?;
    let timed_out = fields.optional("timedOut").map(|v| v.bool()).transpose()? == Some(true);
    Ok(Some(if let Some(error) = fields.optional_str("error")? {
        let reason = match status {
            Some(status) => build_text!("HTTP ", status, ": ", error),
            None => error.to_string(),
        };
        OrgSettings::Unreadable { variable, reason }
    } else if timed_out {
        OrgSettings::Unreadable {
            variable,
            reason: message_text(MessageId::ReasonNoAnswer, language).into(),
        }
    } else {
        let text = fields.required_str("text")?;
        match parse_settings_text(text) {
            Ok((value, repeated)) => OrgSettings::Given {
                variable,
                value,
                repeated,
            },
            Err(reason) => OrgSettings::NotJson { variable, reason },
        }
    }))
}

/// The operations whose parameters are all text, given as they are: `first` is the `text` of
/// `isValidEmail` and `parseConsentCsv`, the `rule` of `evaluateSegmentCsv` (whose `text` is
/// `second`). A large table crosses without being copied into a [`Value`].
pub fn call_text(operation: &str, first: &str, second: &str) -> Result<Value, ApiError> {
    Ok(match operation {
        "isValidEmail" => Value::Bool(is_valid_email(first)),
        "parseConsentCsv" => parse_consent_csv(first).to_value(),
        "evaluateSegmentCsv" => evaluate_segment_csv(first, second)
            .map_err(|e| ApiError::of_rule(first, e))?
            .to_value(),
        _ => return unknown(operation),
    })
}

fn unknown<T>(operation: &str) -> Result<T, ApiError> {
    Err(InputError {
        path: "operation".into(),
        message: build_text!("unknown operation `", operation, "`"),
    }
    .into())
}
