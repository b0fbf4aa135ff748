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
use crate::error::ApiError;
use crate::form::action::Notification;
use crate::form::consent::{consent_summary, consent_unreadable};
use crate::form::delete::{advise_delete, delete_failed};
use crate::form::fault_text;
use crate::form::job::{advise_job_save, describe_job_result, JobFacts};
use crate::form::optout::{decide_email_data, Facts};
use crate::form::save_guard::{advise_save, not_judged};
use crate::form::send::{advise_send, send_not_judged, unknown_of, SendFacts};
use crate::form::settings::read_settings;
use crate::messages::Language;
use crate::save::{evaluate_save, SaveRequest};
use crate::save_wire::{entity_kind, evaluate_save_bits, save_texts, NOTICES, REASONS};
use crate::value::{Input, InputError, Value};

// Talc instead of Rust's default dlmalloc: a smaller module and faster allocation. The module
// runs on one thread (no atomics target feature).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

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

/// A JavaScript `Error` carrying the error's `code` and, where they apply, `path`, `line` and
/// `column`, so that callers read positions from properties rather than from the text.
fn error(error: impl Into<ApiError>) -> JsValue {
    js_error(error.into())
}

#[inline(never)]
fn js_error(error: ApiError) -> JsValue {
    let object = js_sys::Error::new(&error.message);
    let set = |name: &str, value: JsValue| {
        // Setting a property on a fresh Error cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), &value);
    };
    set("code", JsValue::from_str(error.code.as_str()));
    if let Some(path) = &error.path {
        set("path", JsValue::from_str(path));
    }
    if let Some(line) = error.line {
        set("line", JsValue::from_f64(line as f64));
    }
    if let Some(column) = error.column {
        set("column", JsValue::from_f64(column as f64));
    }
    object.into()
}

/// Judge a save: would it make the connector anonymize the contact in Spotler?
#[wasm_bindgen(js_name = evaluateSave)]
pub fn evaluate_save_js(request: JsValue) -> Result<JsValue, JsValue> {
    let request =
        SaveRequest::read(Input::root(&from_js(&request, 0), "request")).map_err(error)?;
    Ok(to_js(&evaluate_save(&request).to_value()))
}

/// Judge a save given on the compact wire (see `save_wire`): the verdict as bits. Internal: the
/// shim's `evaluateSave` uses it for well-formed requests and the object path for the rest.
#[wasm_bindgen(js_name = evaluateSaveBits)]
pub fn evaluate_save_bits_js(
    kind: u32,
    save_mode: u32,
    flags: u32,
    before: i32,
    after: i32,
) -> u32 {
    evaluate_save_bits(kind, save_mode, flags, [before, after])
}

/// Whether an email address is valid for the connector (WHATWG rule, dotted domain).
#[wasm_bindgen(js_name = isValidEmail)]
pub fn is_valid_email_js(text: JsValue) -> Result<bool, JsValue> {
    let text = from_js(&text, 0);
    Ok(is_valid_email(
        Input::root(&text, "text").str().map_err(error)?,
    ))
}

/// What the HTTP status of an "Anonymize Contact" Spotler Job means.
#[wasm_bindgen(js_name = interpretAnonymizeResponse)]
pub fn interpret_anonymize_response_js(status: JsValue) -> Result<String, JsValue> {
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
pub fn parse_consent_csv_js(text: JsValue) -> Result<JsValue, JsValue> {
    let text = from_js(&text, 0);
    let text = Input::root(&text, "text").str().map_err(error)?;
    Ok(to_js(&parse_consent_csv(text).to_value()))
}

/// Unify consent records into one profile per key.
#[wasm_bindgen(js_name = unifyConsent)]
pub fn unify_consent_js(records: JsValue) -> Result<JsValue, JsValue> {
    let records = from_js(&records, 0);
    let records = Input::root(&records, "records")
        .array(ConsentRecord::read)
        .map_err(error)?;
    let profiles =
        unify_consent(&records).map_err(|e| error(ApiError::of_record("records", &e)))?;
    Ok(to_js(&Value::Array(
        profiles.iter().map(ConsentProfile::to_value).collect(),
    )))
}

/// Keys of the profiles a segment rule selects, in input order.
#[wasm_bindgen(js_name = evaluateSegment)]
pub fn evaluate_segment_js(rule: JsValue, profiles: JsValue) -> Result<JsValue, JsValue> {
    let rule = from_js(&rule, 0);
    let rule = Input::root(&rule, "rule").str().map_err(error)?;
    let profiles = from_js(&profiles, 0);
    let profiles = Input::root(&profiles, "profiles")
        .array(ConsentProfile::read)
        .map_err(error)?;
    let keys = evaluate_segment(rule, &profiles).map_err(|e| error(ApiError::of_rule(rule, e)))?;
    Ok(keys
        .iter()
        .map(|key| JsValue::from_str(key))
        .collect::<Array>()
        .into())
}

/// Parse a consent table, unify it and apply a segment rule, without handing every record across.
#[wasm_bindgen(js_name = evaluateSegmentCsv)]
pub fn evaluate_segment_csv_js(rule: JsValue, text: JsValue) -> Result<JsValue, JsValue> {
    let rule = from_js(&rule, 0);
    let rule = Input::root(&rule, "rule").str().map_err(error)?;
    let text = from_js(&text, 0);
    let text = Input::root(&text, "text").str().map_err(error)?;
    let segment =
        evaluate_segment_csv(rule, text).map_err(|e| error(ApiError::of_rule(rule, e)))?;
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

fn notifications(items: &[Notification]) -> Value {
    Value::Array(items.iter().map(Notification::to_value).collect())
}

/// Run the form script's `operation` on `input` in the language `lcid` (for
/// `readFormSettings`, the user's).
#[wasm_bindgen(js_name = formCall)]
pub fn form_call_js(
    operation: &str,
    input: JsValue,
    lcid_value: JsValue,
) -> Result<JsValue, JsValue> {
    let user_lcid = lcid(&lcid_value);
    let language = Language::from_optional_lcid(user_lcid);
    let input = from_js(&input, 0);
    // The public save request keeps the path its errors name elsewhere.
    let root = if operation == "adviseSave" {
        "request"
    } else {
        "facts"
    };
    let input = Input::root(&input, root);
    let value = match operation {
        "readFormSettings" => {
            let fields = input
                .object(&["settings", "jsonError", "entity"])
                .map_err(error)?;
            let given = fields
                .optional("settings")
                .map_or(&Value::Null, |v| v.value);
            let json_error = match fields.optional("jsonError") {
                Some(v) if !v.is_null() => Some(v.str().map_err(error)?),
                _ => None,
            };
            let entity = fields
                .required("entity")
                .and_then(|v| v.str())
                .map_err(error)?;
            read_settings(given, json_error).to_value(user_lcid, entity)
        }
        "decideEmailData" => {
            decide_email_data(&Facts::read(input).map_err(error)?, language).to_value()
        }
        "adviseSave" => advise_save(&SaveRequest::read(input).map_err(error)?).to_value(),
        "adviseJobSave" => {
            advise_job_save(&JobFacts::read(input).map_err(error)?, language).to_value()
        }
        "describeJobResult" => {
            describe_job_result(&JobFacts::read(input).map_err(error)?, language).to_value()
        }
        "adviseSend" => advise_send(&SendFacts::read(input).map_err(error)?, language)
            .map_err(|e| error(ApiError::of_rule_at("requiredConsent", e)))?
            .to_value(),
        "adviseDelete" => {
            let names = input
                .array(|v| v.str().map(str::to_string))
                .map_err(error)?;
            advise_delete(&names, language).to_value()
        }
        "deleteFailed" => {
            let fields = input.object(&["name", "error"]).map_err(error)?;
            let text = |name| fields.required(name).and_then(|v| v.str()).map_err(error);
            Value::String(delete_failed(text("name")?, text("error")?, language))
        }
        "summarizeConsent" => {
            let fields = input
                .object(&["records", "requiredConsent"])
                .map_err(error)?;
            let records = fields
                .required("records")
                .and_then(|v| v.array(ConsentRecord::read))
                .map_err(error)?;
            let required = match fields.optional("requiredConsent") {
                Some(v) if !v.is_null() => Some(v.str().map_err(error)?),
                _ => None,
            };
            notifications(&consent_summary(&records, required, language).map_err(error)?)
        }
        "consentUnreadable" => match unknown_of(input).map_err(error)? {
            Some(why) => notifications(&consent_unreadable(&why, language)),
            None => Value::Array(Vec::new()),
        },
        "entityKind" => Value::from(entity_kind(input.str().map_err(error)?)),
        "saveTexts" => {
            // The request's own LCID, read as `evaluateSave` reads it.
            let lcid = match input.value {
                Value::Null => None,
                _ => Some(input.integer(0, i64::from(u32::MAX)).map_err(error)? as u32),
            };
            let texts = save_texts(Language::from_optional_lcid(lcid));
            let coded = |(code, message): (&str, &str)| {
                Value::object([("code", code.into()), ("message", message.into())])
            };
            let reasons = REASONS.iter().map(|c| c.as_str()).zip(texts).map(coded);
            let notices = NOTICES
                .iter()
                .map(|c| c.as_str())
                .zip(texts.into_iter().skip(4))
                .map(coded);
            Value::object([
                ("reasons", Value::Array(reasons.collect())),
                ("notices", Value::Array(notices.collect())),
            ])
        }
        "faultText" => {
            let fields = input.object(&["detail", "kind"]).map_err(error)?;
            let detail = fields.required_str("detail").map_err(error)?;
            Value::String(match fields.required_str("kind").map_err(error)? {
                "save" => not_judged(detail, language),
                "send" => send_not_judged(detail, language),
                _ => fault_text(detail, language),
            })
        }
        _ => {
            return Err(error(InputError {
                path: "operation".into(),
                message: format!("unknown operation `{operation}`"),
            }))
        }
    };
    Ok(to_js(&value))
}
