//! The settings an admin passes to `ConsentGuard.onLoad`, checked strictly.
//!
//! Unknown keys and wrong types are reported by name. Invalid settings never weaken the guard:
//! email data stays hidden, the save guard runs on the defaults, and an invalid
//! `anonymizeWhenInactive` counts as true (more warnings, never fewer).

use crate::messages::{fill, Language, MessageId};
use crate::value::{Input, InputError, Value};

const KEYS: &[&str] = &[
    "anonymizeWhenInactive",
    "emailDataControls",
    "relatedLookups",
    "emailAttribute",
    "languageId",
];

/// The settings in force on a form.
#[derive(Clone, Debug, PartialEq)]
pub struct FormSettings {
    pub anonymize_when_inactive: bool,
    /// Controls added to the timeline controls; empty when not set.
    pub email_data_controls: Vec<String>,
    /// Lookups to check; `None` means every lookup on the form.
    pub related_lookups: Option<Vec<String>>,
    pub email_attribute: String,
    pub language_id: Option<u32>,
}

impl Default for FormSettings {
    fn default() -> Self {
        FormSettings {
            anonymize_when_inactive: false,
            email_data_controls: Vec::new(),
            related_lookups: None,
            email_attribute: "emailaddress1".into(),
            language_id: None,
        }
    }
}

/// Settings as read, with what was wrong in them.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsOutcome {
    pub settings: FormSettings,
    /// Each problem names the key at fault; empty when the settings are valid.
    pub problems: Vec<String>,
}

fn names(input: Input) -> Result<Vec<String>, InputError> {
    input.array(|item| {
        let name = item.str()?.trim();
        if name.is_empty() {
            Err(item.error("expected a control or attribute name, got an empty string"))
        } else {
            Ok(name.to_string())
        }
    })
}

/// Read the settings: `value` is the object given (null when none), `json_error` the reason
/// the text given could not be parsed as JSON, if it was text that failed to parse.
pub fn read_settings(value: &Value, json_error: Option<&str>) -> SettingsOutcome {
    let mut outcome = SettingsOutcome {
        settings: FormSettings::default(),
        problems: Vec::new(),
    };
    if let Some(reason) = json_error {
        outcome
            .problems
            .push(format!("settings: the text is not valid JSON ({reason})"));
        // Nothing can be trusted: warn more, never less.
        outcome.settings.anonymize_when_inactive = true;
        return outcome;
    }
    if matches!(value, Value::Null) {
        return outcome;
    }
    let fields = match Input::root(value, "settings").fields() {
        Ok(fields) => fields,
        Err(error) => {
            outcome.problems.push(error.to_string());
            outcome.settings.anonymize_when_inactive = true;
            return outcome;
        }
    };
    let problems = &mut outcome.problems;
    for key in fields.unknown(KEYS) {
        problems.push(format!(
            "settings: unknown key `{key}`; expected one of {}",
            KEYS.join(", ")
        ));
    }
    // Each key is read on its own, so one bad key does not hide the others' problems.
    let settings = &mut outcome.settings;
    match fields
        .optional("anonymizeWhenInactive")
        .map(|v| v.bool())
        .transpose()
    {
        Ok(found) => settings.anonymize_when_inactive = found.unwrap_or(false),
        Err(e) => {
            problems.push(e.to_string());
            settings.anonymize_when_inactive = true;
        }
    }
    match fields.optional("emailDataControls").map(names).transpose() {
        Ok(found) => settings.email_data_controls = found.unwrap_or_default(),
        Err(e) => problems.push(e.to_string()),
    }
    match fields.optional("relatedLookups").map(names).transpose() {
        Ok(found) => settings.related_lookups = found,
        Err(e) => problems.push(e.to_string()),
    }
    match fields
        .optional("emailAttribute")
        .map(|v| v.str().map(|s| s.trim().to_string()))
        .transpose()
    {
        Ok(Some(name)) if !name.is_empty() => settings.email_attribute = name,
        Ok(Some(_)) => problems.push(
            "settings.emailAttribute: expected an attribute name, got an empty string".into(),
        ),
        Ok(None) => {}
        Err(e) => problems.push(e.to_string()),
    }
    match fields
        .optional("languageId")
        .map(|v| v.integer(1, 0xffff))
        .transpose()
    {
        Ok(found) => settings.language_id = found.map(|n| n as u32),
        Err(e) => problems.push(e.to_string()),
    }
    outcome
}

impl SettingsOutcome {
    /// The result for the form script: the settings in force, and a message when they are invalid.
    pub fn to_value(&self, user_lcid: Option<u32>) -> Value {
        let s = &self.settings;
        let language = Language::from_optional_lcid(s.language_id.or(user_lcid));
        let strings = |items: &[String]| {
            Value::Array(items.iter().map(|i| Value::String(i.clone())).collect())
        };
        let message = if self.problems.is_empty() {
            Value::Null
        } else {
            Value::String(fill(
                MessageId::SettingsInvalid,
                language,
                &[&self.problems.join("; ")],
            ))
        };
        Value::object([
            ("valid", Value::Bool(self.problems.is_empty())),
            (
                "anonymizeWhenInactive",
                Value::Bool(s.anonymize_when_inactive),
            ),
            ("emailDataControls", strings(&s.email_data_controls)),
            (
                "relatedLookups",
                s.related_lookups.as_deref().map_or(Value::Null, strings),
            ),
            ("emailAttribute", Value::String(s.email_attribute.clone())),
            (
                "languageId",
                Value::Number(f64::from(s.language_id.or(user_lcid).unwrap_or(1033))),
            ),
            ("message", message),
        ])
    }
}
