//! The JavaScript boundary, and the only file that knows about `JsValue`. Each export turns its
//! arguments into plain [`Value`]s, calls the core, and turns the result back. No rules here.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::anonymize_job::{interpret_anonymize_response, AnonymizeOutcome};
use crate::consent::{
    evaluate_segment, evaluate_segment_csv, parse_consent_csv, unify_consent, ConsentProfile,
    ConsentRecord,
};
use crate::email::is_valid_email;
use crate::form::form_texts;
use crate::form::guards::{
    consent_summary, consent_unreadable, delete_dialog, delete_failed, job_advice, send_advice,
    unknown_of, JobFacts, Recipient,
};
use crate::form::optout::{decide_email_data, Facts};
use crate::form::settings::read_settings;
use crate::messages::Language;
use crate::save::{evaluate_save, SaveRequest};
use crate::value::{Input, Value};

/// Deeper inputs are refused: no shape of the API nests more than a few levels, and a cyclic
/// object would otherwise recurse without end.
const MAX_DEPTH: usize = 32;

/// A JavaScript value as data. `undefined` properties count as absent, as in JSON.
fn from_js(value: &JsValue, depth: usize) -> Value {
    if value.is_null() || value.is_undefined() {
        Value::Null
    } else if let Some(b) = value.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Value::Number(n)
    } else if let Some(s) = value.as_string() {
        Value::String(s)
    } else if value.is_function() {
        Value::Unsupported("a function")
    } else if value.is_symbol() {
        Value::Unsupported("a symbol")
    } else if value.is_bigint() {
        Value::Unsupported("a bigint")
    } else if depth >= MAX_DEPTH {
        Value::Unsupported("a value nested too deeply")
    } else if let Some(array) = value.dyn_ref::<Array>() {
        Value::Array(array.iter().map(|item| from_js(&item, depth + 1)).collect())
    } else {
        let object: &Object = value.unchecked_ref();
        let mut fields = Vec::new();
        for key in Object::keys(object).iter() {
            let field = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
            if let (false, Some(name)) = (field.is_undefined(), key.as_string()) {
                fields.push((name, from_js(&field, depth + 1)));
            }
        }
        Value::Object(fields)
    }
}

/// A plain JavaScript value (objects and arrays, no `Map`s) from data.
fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null | Value::Unsupported(_) => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(*n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<Array>().into(),
        Value::Object(fields) => {
            let object = Object::new();
            for (name, field) in fields {
                // Setting a property on a fresh plain object cannot fail.
                let _ = Reflect::set(&object, &JsValue::from_str(name), &to_js(field));
            }
            object.into()
        }
    }
}

fn error(message: impl core::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

/// Judge a save: would it make the connector anonymize the contact in Spotler?
#[wasm_bindgen(js_name = evaluateSave)]
pub fn evaluate_save_js(request: JsValue) -> Result<JsValue, JsError> {
    let request =
        SaveRequest::read(Input::root(&from_js(&request, 0), "request")).map_err(error)?;
    Ok(to_js(&evaluate_save(&request).to_value()))
}

/// Whether an email address is valid for the connector (WHATWG rule, dotted domain).
#[wasm_bindgen(js_name = isValidEmail)]
pub fn is_valid_email_js(text: JsValue) -> Result<bool, JsError> {
    let text = from_js(&text, 0);
    Ok(is_valid_email(
        Input::root(&text, "text").str().map_err(error)?,
    ))
}

/// What the HTTP status of an "Anonymize Contact" Spotler Job means.
#[wasm_bindgen(js_name = interpretAnonymizeResponse)]
pub fn interpret_anonymize_response_js(status: JsValue) -> Result<String, JsError> {
    let status = from_js(&status, 0);
    let status = Input::root(&status, "status")
        .integer(i64::MIN, i64::MAX)
        .map_err(error)?;
    // An integer that is no HTTP status is not a success either.
    let outcome =
        u16::try_from(status).map_or(AnonymizeOutcome::Failed, interpret_anonymize_response);
    Ok(outcome.as_str().to_string())
}

/// Read a consent table (CSV with a header row).
#[wasm_bindgen(js_name = parseConsentCsv)]
pub fn parse_consent_csv_js(text: JsValue) -> Result<JsValue, JsError> {
    let text = from_js(&text, 0);
    let text = Input::root(&text, "text").str().map_err(error)?;
    Ok(to_js(&parse_consent_csv(text).to_value()))
}

/// Unify consent records into one profile per key.
#[wasm_bindgen(js_name = unifyConsent)]
pub fn unify_consent_js(records: JsValue) -> Result<JsValue, JsError> {
    let records = from_js(&records, 0);
    let records = Input::root(&records, "records")
        .array(ConsentRecord::read)
        .map_err(error)?;
    let profiles = unify_consent(&records).map_err(|e| error(format_args!("records{e}")))?;
    Ok(to_js(&Value::Array(
        profiles.iter().map(ConsentProfile::to_value).collect(),
    )))
}

/// Keys of the profiles a segment rule selects, in input order.
#[wasm_bindgen(js_name = evaluateSegment)]
pub fn evaluate_segment_js(rule: JsValue, profiles: JsValue) -> Result<JsValue, JsError> {
    let rule = from_js(&rule, 0);
    let rule = Input::root(&rule, "rule").str().map_err(error)?;
    let profiles = from_js(&profiles, 0);
    let profiles = Input::root(&profiles, "profiles")
        .array(ConsentProfile::read)
        .map_err(error)?;
    let keys = evaluate_segment(rule, &profiles).map_err(error)?;
    Ok(keys
        .iter()
        .map(|key| JsValue::from_str(key))
        .collect::<Array>()
        .into())
}

/// Parse a consent table, unify it and apply a segment rule, without handing every record across.
#[wasm_bindgen(js_name = evaluateSegmentCsv)]
pub fn evaluate_segment_csv_js(rule: JsValue, text: JsValue) -> Result<JsValue, JsError> {
    let rule = from_js(&rule, 0);
    let rule = Input::root(&rule, "rule").str().map_err(error)?;
    let text = from_js(&text, 0);
    let text = Input::root(&text, "text").str().map_err(error)?;
    let segment = evaluate_segment_csv(rule, text).map_err(error)?;
    Ok(to_js(&segment.to_value()))
}

// The form script's own calls, behind one export: every export costs glue on both sides of the
// boundary. Not part of the public API; each operation keeps a decision or a text of the form
// integration in this module.

/// An LCID passed as a number; anything else counts as none.
fn lcid(value: &JsValue) -> Option<u32> {
    value
        .as_f64()
        .filter(|n| n.fract() == 0.0 && *n > 0.0 && *n <= 65535.0)
        .map(|n| n as u32)
}

/// Run the form script's `operation` on `input` (and the optional string `text`) in the
/// language `lcid` (for `readFormSettings`, the user's).
#[wasm_bindgen(js_name = formCall)]
pub fn form_call_js(
    operation: &str,
    input: JsValue,
    text: Option<String>,
    lcid_value: JsValue,
) -> Result<JsValue, JsError> {
    let language = Language::from_optional_lcid(lcid(&lcid_value));
    let input = from_js(&input, 0);
    let text = text.as_deref();
    let value = match operation {
        "readFormSettings" => read_settings(&input, text).to_value(lcid(&lcid_value)),
        "decideEmailData" => decide_email_data(
            &Facts::read(Input::root(&input, "facts")).map_err(error)?,
            language,
        )
        .to_value(),
        "formTexts" => form_texts(language),
        "deleteDialog" => {
            let names = Input::root(&input, "names")
                .array(|v| v.str().map(str::to_string))
                .map_err(error)?;
            delete_dialog(&names, language)
        }
        "deleteFailed" => {
            let name = Input::root(&input, "name").str().map_err(error)?;
            Value::String(delete_failed(name, text.unwrap_or_default(), language))
        }
        "adviseSpotlerJob" => job_advice(
            &JobFacts::read(Input::root(&input, "facts")).map_err(error)?,
            language,
        ),
        "adviseSend" => {
            let recipients =
                Recipient::read_all(Input::root(&input, "recipients")).map_err(error)?;
            send_advice(&recipients, text, language).map_err(error)?
        }
        "summarizeConsent" => {
            let records = Input::root(&input, "records")
                .array(ConsentRecord::read)
                .map_err(error)?;
            consent_summary(&records, text, language).map_err(error)?
        }
        "consentUnreadable" => match unknown_of(Input::root(&input, "read")).map_err(error)? {
            Some(why) => Value::String(consent_unreadable(&why, language)),
            None => Value::Null,
        },
        _ => return Err(error(format_args!("unknown operation `{operation}`"))),
    };
    Ok(to_js(&value))
}
