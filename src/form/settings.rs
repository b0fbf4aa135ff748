//! The settings an admin passes to `ConsentGuard.onLoad`, checked strictly.
//!
//! Unknown keys and wrong types are reported by name. Invalid settings never weaken the guard:
//! email data stays hidden, the save guard runs on the defaults, and an invalid
//! `anonymizeWhenInactive` counts as true (more warnings, never fewer).

use crate::consent::parse_rule;
use crate::form::plan::form_plan;
use crate::messages::{fill, Language, MessageId};
use crate::value::{Input, InputError, Value};

const KEYS: &[&str] = &[
    "anonymizeWhenInactive",
    "emailDataControls",
    "relatedLookups",
    "emailAttribute",
    "languageId",
    "relationshipAnalyticsControls",
    "spotlerJob",
    "consentTable",
    "requiredConsent",
];

const JOB_KEYS: &[&str] = &[
    "entity",
    "operationAttribute",
    "anonymizeOperation",
    "resultAttribute",
    "customerAttribute",
];
const CONSENT_KEYS: &[&str] = &[
    "entity",
    "keyAttribute",
    "optionAttribute",
    "valueAttribute",
    "dateAttribute",
    "idAttribute",
];

/// Where the org keeps its Spotler Jobs.
#[derive(Clone, Debug, PartialEq)]
pub struct SpotlerJobSettings {
    pub entity: String,
    pub operation_attribute: String,
    /// The operation's value for "Anonymize Contact" (an option set value or a text).
    pub anonymize_operation: Value,
    /// The column holding the HTTP status the connector recorded.
    pub result_attribute: String,
    /// The lookup to the Customer (Account/Contact) or Lead.
    pub customer_attribute: String,
}

/// Where the org keeps consent records, and their columns.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsentTableSettings {
    pub entity: String,
    pub key_attribute: String,
    pub option_attribute: String,
    pub value_attribute: String,
    pub date_attribute: Option<String>,
    pub id_attribute: Option<String>,
}

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
    /// Relationship analytics controls, hidden when the record is opted out.
    pub relationship_analytics_controls: Vec<String>,
    pub spotler_job: Option<SpotlerJobSettings>,
    pub consent_table: Option<ConsentTableSettings>,
    /// A segment rule every person should meet; checked when it parses.
    pub required_consent: Option<String>,
}

impl Default for FormSettings {
    fn default() -> Self {
        FormSettings {
            anonymize_when_inactive: false,
            email_data_controls: Vec::new(),
            related_lookups: None,
            email_attribute: "emailaddress1".into(),
            language_id: None,
            relationship_analytics_controls: Vec::new(),
            spotler_job: None,
            consent_table: None,
            required_consent: None,
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

fn name(input: Input) -> Result<String, InputError> {
    let text = input.str()?.trim();
    if text.is_empty() {
        Err(input.error("expected a name, got an empty string"))
    } else {
        Ok(text.to_string())
    }
}

fn spotler_job(input: Input) -> Result<SpotlerJobSettings, InputError> {
    let fields = input.object(JOB_KEYS)?;
    let operation = fields.required("anonymizeOperation")?;
    let usable = match operation.value {
        Value::Number(n) => n.fract() == 0.0,
        Value::String(text) => !text.trim().is_empty(),
        _ => false,
    };
    if !usable {
        return Err(operation.error(format!(
            "expected the option value (a whole number) or label of \"Anonymize Contact\", got {}",
            operation.value.describe()
        )));
    }
    Ok(SpotlerJobSettings {
        entity: fields
            .required("entity")
            .and_then(name)?
            .to_ascii_lowercase(),
        operation_attribute: fields.required("operationAttribute").and_then(name)?,
        anonymize_operation: operation.value.clone(),
        result_attribute: fields.required("resultAttribute").and_then(name)?,
        customer_attribute: fields.required("customerAttribute").and_then(name)?,
    })
}

fn consent_table(input: Input) -> Result<ConsentTableSettings, InputError> {
    let fields = input.object(CONSENT_KEYS)?;
    Ok(ConsentTableSettings {
        entity: fields
            .required("entity")
            .and_then(name)?
            .to_ascii_lowercase(),
        key_attribute: fields.required("keyAttribute").and_then(name)?,
        option_attribute: fields.required("optionAttribute").and_then(name)?,
        value_attribute: fields.required("valueAttribute").and_then(name)?,
        date_attribute: fields.optional("dateAttribute").map(name).transpose()?,
        id_attribute: fields.optional("idAttribute").map(name).transpose()?,
    })
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
    let awi = fields
        .optional("anonymizeWhenInactive")
        .map(|v| v.bool())
        .transpose();
    // An invalid value counts as on: more warnings, never fewer.
    settings.anonymize_when_inactive = awi.as_ref().map_or(true, |v| v.unwrap_or(false));
    keep(problems, awi);
    settings.email_data_controls = keep(
        problems,
        fields.optional("emailDataControls").map(names).transpose(),
    )
    .unwrap_or_default();
    settings.related_lookups = keep(
        problems,
        fields.optional("relatedLookups").map(names).transpose(),
    );
    if let Some(name) = keep(
        problems,
        fields.optional("emailAttribute").map(name).transpose(),
    ) {
        settings.email_attribute = name;
    }
    settings.language_id =
        keep(problems, fields.optional_integer("languageId", 1, 0xffff)).map(|n| n as u32);
    settings.relationship_analytics_controls = keep(
        problems,
        fields
            .optional("relationshipAnalyticsControls")
            .map(names)
            .transpose(),
    )
    .unwrap_or_default();
    settings.spotler_job = keep(
        problems,
        fields.optional("spotlerJob").map(spotler_job).transpose(),
    );
    settings.consent_table = keep(
        problems,
        fields
            .optional("consentTable")
            .map(consent_table)
            .transpose(),
    );
    let rule = fields.optional("requiredConsent").map(|v| {
        let rule = v.str()?;
        parse_rule(rule).map_err(|e| v.error(e.to_string()))?;
        Ok(rule.to_string())
    });
    settings.required_consent = keep(problems, rule.transpose());
    outcome
}

/// The value read, or `None` with its problem noted.
fn keep<T>(problems: &mut Vec<String>, read: Result<Option<T>, InputError>) -> Option<T> {
    read.unwrap_or_else(|error| {
        note(problems, error);
        None
    })
}

/// One place that words a problem, rather than one per setting.
#[inline(never)]
fn note(problems: &mut Vec<String>, error: InputError) {
    problems.push(error.to_string());
}

impl SettingsOutcome {
    /// The result for the form script: the settings in force, a message when they are invalid,
    /// and the plan of the form of `entity` (which guards it gets and which columns they read).
    pub fn to_value(&self, user_lcid: Option<u32>, entity: &str) -> Value {
        let s = &self.settings;
        let lcid = s.language_id.or(user_lcid);
        let language = Language::from_optional_lcid(lcid);
        let problems = self.problems.join("; ");
        let message = (!problems.is_empty())
            .then(|| fill(MessageId::SettingsInvalid, language, &[&problems]));
        let job = s.spotler_job.as_ref().map(|job| {
            Value::object([
                ("operationAttribute", (&job.operation_attribute).into()),
                ("anonymizeOperation", job.anonymize_operation.clone()),
                ("resultAttribute", (&job.result_attribute).into()),
                ("customerAttribute", (&job.customer_attribute).into()),
            ])
        });
        let table = s.consent_table.as_ref().map(|table| {
            Value::object([
                ("entity", (&table.entity).into()),
                ("keyAttribute", (&table.key_attribute).into()),
                ("optionAttribute", (&table.option_attribute).into()),
                ("valueAttribute", (&table.value_attribute).into()),
                ("dateAttribute", table.date_attribute.as_ref().into()),
                ("idAttribute", table.id_attribute.as_ref().into()),
            ])
        });
        Value::object([
            ("valid", self.problems.is_empty().into()),
            ("anonymizeWhenInactive", s.anonymize_when_inactive.into()),
            ("emailDataControls", s.email_data_controls.as_slice().into()),
            ("relatedLookups", s.related_lookups.as_deref().into()),
            ("languageId", lcid.unwrap_or(1033).into()),
            (
                "relationshipAnalyticsControls",
                s.relationship_analytics_controls.as_slice().into(),
            ),
            ("spotlerJob", job.into()),
            ("consentTable", table.into()),
            ("requiredConsent", s.required_consent.as_ref().into()),
            ("message", message.into()),
            ("form", form_plan(entity, s).to_value()),
        ])
    }
}
