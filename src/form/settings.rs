//! The settings an admin passes to `ConsentGuard.onLoad`, checked strictly.
//!
//! Unknown keys and wrong types are reported by name. Invalid settings never weaken the guard:
//! email data stays hidden, the save guard runs on the defaults, and an invalid
//! `anonymizeWhenInactive` counts as true (more warnings, never fewer).

use crate::consent::parse_rule;
use crate::form::plan::form_plan;
use crate::messages::{fill, Language, MessageId};
use crate::prelude::*;
use crate::text::{build_text, Piece};
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
    "recordConfirmations",
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
    /// Write a note on the record for every confirmation a user gives.
    pub record_confirmations: bool,
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
            record_confirmations: false,
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

/// An attribute's or table's name. Logical names are lower case: a schema name copied from the
/// maker portal (`EMailAddress1`) would otherwise name no attribute on any form, and its check
/// would be skipped without a word.
fn name(input: Input) -> Result<String, InputError> {
    let text = input.str()?.trim();
    if text.is_empty() {
        Err(input.error("expected a name, got an empty string"))
    } else {
        Ok(text.to_ascii_lowercase())
    }
}

fn spotler_job(input: Input) -> Result<SpotlerJobSettings, InputError> {
    let fields = input.object(JOB_KEYS)?;
    let operation = fields.required("anonymizeOperation")?;
    let usable = match operation.value {
        Value::Number(n) => crate::value::is_whole(*n),
        Value::String(text) => !text.trim().is_empty(),
        _ => false,
    };
    if !usable {
        return Err(operation.error(build_text!(
            "expected the option value (a whole number) or label of \"Anonymize Contact\", got ",
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

/// Attribute names (see [`name`]): read in lower case.
fn attribute_names(input: Input) -> Result<Vec<String>, InputError> {
    names(input).map(|names| {
        names
            .into_iter()
            .map(|name| name.to_ascii_lowercase())
            .collect()
    })
}

/// Control names, as the form designer names them (their case counts).
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

/// The control names that can be read out of an invalid list of controls to hide (a lone name, or
/// the names among other values): hidden all the same, since unsure is closed.
fn salvaged_names(value: &Value) -> Vec<String> {
    let name = |value: &Value| match value {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        _ => None,
    };
    match value {
        Value::Array(items) => items.iter().filter_map(name).collect(),
        other => name(other).into_iter().collect(),
    }
}

/// A list of controls to hide: the names, or, when the list is invalid, its problem noted and
/// the names that can be read out of it kept in `salvaged`.
fn controls_to_hide(
    problems: &mut Vec<String>,
    given: Option<Input>,
    salvaged: &mut Vec<String>,
) -> Option<Vec<String>> {
    let given = given?;
    match names(given) {
        Ok(names) => Some(names),
        Err(error) => {
            note(problems, error);
            salvaged.extend(salvaged_names(given.value));
            None
        }
    }
}

/// The settings of the whole org: the JSON environment variable of the consent-guard solution
/// (its current value, else its default), as the form script read it.
#[derive(Clone, Debug, PartialEq)]
pub enum OrgSettings {
    /// The variable's value, parsed, and the keys its text gives twice in one object.
    Given {
        variable: String,
        value: Value,
        repeated: Vec<String>,
    },
    /// The variable's text is not JSON: `reason` says why.
    NotJson { variable: String, reason: String },
    /// The variable could not be read: `reason` says why.
    Unreadable { variable: String, reason: String },
}

/// The keys one source of settings gives; `None` where it gives none (or an invalid one).
#[derive(Default)]
struct Layer {
    anonymize_when_inactive: Option<bool>,
    /// The source gave `anonymizeWhenInactive` but not as a boolean.
    anonymize_when_inactive_invalid: bool,
    email_data_controls: Option<Vec<String>>,
    related_lookups: Option<Vec<String>>,
    email_attribute: Option<String>,
    language_id: Option<u32>,
    relationship_analytics_controls: Option<Vec<String>>,
    /// Names read out of an invalid `emailDataControls`, hidden all the same.
    salvaged_controls: Vec<String>,
    /// Names read out of an invalid `relationshipAnalyticsControls`, hidden all the same.
    salvaged_analytics: Vec<String>,
    spotler_job: Option<SpotlerJobSettings>,
    consent_table: Option<ConsentTableSettings>,
    required_consent: Option<String>,
    record_confirmations: Option<bool>,
}

/// Longest an unknown key is quoted, in characters.
const KEY_SHOWN: usize = 40;

/// An unknown key as a problem quotes it: whole, or its first [`KEY_SHOWN`] characters and an
/// ellipsis (a broken variable can hold a key of megabytes).
fn cut_key(key: &str) -> (&str, &'static str) {
    match key.char_indices().nth(KEY_SHOWN) {
        Some((end, _)) => (key.get(..end).unwrap_or(key), "…"),
        None => (key, ""),
    }
}

/// Whether an unknown key is `anonymizeWhenInactive` written another way: another case, the
/// British spelling, with separators (`anonymize_when_inactive`), or the connector's own name
/// for the setting ("Anonymize Contact When Inactive").
fn misspells_anonymize_when_inactive(key: &str) -> bool {
    let letters: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        letters.as_str(),
        "anonymizewheninactive"
            | "anonymisewheninactive"
            | "anonymizecontactwheninactive"
            | "anonymisecontactwheninactive"
    )
}

/// Read one source of settings, an object named `root` in its problems; null gives nothing.
fn read_layer(value: &Value, root: &str, problems: &mut Vec<String>) -> Layer {
    let mut layer = Layer::default();
    if matches!(value, Value::Null) {
        return layer;
    }
    let fields = match Input::root(value, root).fields() {
        Ok(fields) => fields,
        Err(error) => {
            problems.push(error.to_text());
            layer.anonymize_when_inactive_invalid = true;
            return layer;
        }
    };
    for key in fields.unknown(KEYS) {
        let (shown, more) = cut_key(key);
        // A misspelt `anonymizeWhenInactive` (another case, the British spelling) was meant to
        // say something about it: unsure, it counts as true, like an invalid value.
        let meant_awi = misspells_anonymize_when_inactive(key);
        layer.anonymize_when_inactive_invalid |= meant_awi;
        problems.push(build_text!(
            root,
            ": unknown key `",
            shown,
            more,
            "`; expected one of ",
            crate::text::join(KEYS, ", "),
            if meant_awi {
                " (anonymizeWhenInactive counts as true until this is corrected)"
            } else {
                ""
            }
        ));
    }
    // Each key is read on its own, so one bad key does not hide the others' problems.
    let awi = fields
        .optional("anonymizeWhenInactive")
        .map(|v| v.bool())
        .transpose();
    layer.anonymize_when_inactive_invalid |= awi.is_err();
    layer.anonymize_when_inactive = keep(problems, awi);
    layer.email_data_controls = controls_to_hide(
        problems,
        fields.optional("emailDataControls"),
        &mut layer.salvaged_controls,
    );
    layer.related_lookups = keep(
        problems,
        fields
            .optional("relatedLookups")
            .map(attribute_names)
            .transpose(),
    );
    layer.email_attribute = keep(
        problems,
        fields.optional("emailAttribute").map(name).transpose(),
    );
    layer.language_id = keep(
        problems,
        fields.optional_integer("languageId", 1, 0xffff_ffff),
    )
    .map(|n| n as u32);
    layer.relationship_analytics_controls = controls_to_hide(
        problems,
        fields.optional("relationshipAnalyticsControls"),
        &mut layer.salvaged_analytics,
    );
    layer.spotler_job = keep(
        problems,
        fields.optional("spotlerJob").map(spotler_job).transpose(),
    );
    layer.consent_table = keep(
        problems,
        fields
            .optional("consentTable")
            .map(consent_table)
            .transpose(),
    );
    let rule = fields.optional("requiredConsent").map(|v| {
        let rule = v.str()?;
        parse_rule(rule).map_err(|e| v.error(e.to_text()))?;
        Ok(rule.to_string())
    });
    layer.required_consent = keep(problems, rule.transpose());
    layer.record_confirmations = keep(
        problems,
        fields
            .optional("recordConfirmations")
            .map(|v| v.bool())
            .transpose(),
    );
    layer
}

/// Settings typed as text, parsed: the value and the keys given twice in one object, or why the
/// text is no JSON. A byte order mark before it is read past; blank text is no settings.
pub fn parse_settings_text(text: &str) -> Result<(Value, Vec<String>), String> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Ok((Value::Null, Vec::new()));
    }
    crate::json::parse_noting_repeats(text).map_err(|not_json| {
        let before = text.get(..not_json.at).unwrap_or(text);
        build_text!(
            "unexpected ",
            if not_json.at >= text.len() {
                "end of text"
            } else {
                "text"
            },
            " at character ",
            before.chars().count() + 1
        )
    })
}

/// The form's settings when their text is no JSON: nothing given on the form can be trusted, so
/// warn more, never less.
fn not_json(reason: &str, problems: &mut Vec<String>) -> Layer {
    problems.push(build_text!(
        "settings: the text is not valid JSON (",
        reason,
        ")"
    ));
    Layer {
        anonymize_when_inactive_invalid: true,
        ..Layer::default()
    }
}

/// Keys a source's text gives twice: the first value is silently lost, so each is a problem,
/// and one that is (or misspells) `anonymizeWhenInactive` counts as on.
fn note_repeated(layer: &mut Layer, root: &str, repeated: &[String], problems: &mut Vec<String>) {
    for key in repeated {
        let (shown, more) = cut_key(key);
        problems.push(build_text!(
            root,
            ": `",
            shown,
            more,
            "` is given twice in one object; only the last value would count"
        ));
        if key == "anonymizeWhenInactive" || misspells_anonymize_when_inactive(key) {
            layer.anonymize_when_inactive_invalid = true;
        }
    }
}

/// The org's settings as a layer, with what was wrong in them named by the variable. A
/// variable that cannot be read or is no JSON counts as invalid settings: warn more, never less.
fn org_layer(org: &OrgSettings, problems: &mut Vec<String>) -> Layer {
    let distrusted = Layer {
        anonymize_when_inactive_invalid: true,
        ..Layer::default()
    };
    match org {
        OrgSettings::Given {
            variable,
            value,
            repeated,
        } => {
            let root = build_text!("environment variable ", variable);
            let mut layer = read_layer(value, &root, problems);
            note_repeated(&mut layer, &root, repeated, problems);
            layer
        }
        OrgSettings::NotJson { variable, reason } => {
            problems.push(build_text!(
                "environment variable ",
                variable,
                ": the text is not valid JSON (",
                reason,
                ")"
            ));
            distrusted
        }
        OrgSettings::Unreadable { variable, reason } => {
            problems.push(build_text!(
                "the environment variable ",
                variable,
                " could not be read (",
                reason,
                ")"
            ));
            distrusted
        }
    }
}

/// Read the settings: `value` is the object given on the form (null when none), `json_error`
/// the reason the text given there could not be parsed as JSON, and `org` the settings of the
/// whole org, if the solution's environment variable exists. The form's keys override the
/// org's, key by key; a problem in either makes the settings invalid.
pub fn read_settings(
    value: &Value,
    json_error: Option<&str>,
    org: Option<&OrgSettings>,
) -> SettingsOutcome {
    read_settings_on_form(value, json_error, org, &OnForm::default())
}

/// What the form adds to the settings it was given: the parameters its handler got after the
/// settings, and its columns with their types (`getAttributeType()`).
#[derive(Default)]
pub struct OnForm<'a> {
    /// The parameter box's further comma-separated values: one JSON object was meant.
    pub more_parameters: &'a [Value],
    /// The form's columns and their types; empty when unknown (nothing is checked).
    pub attributes: &'a [(String, String)],
}

/// [`read_settings`] for a form: the names the settings give are checked against the form's
/// columns, per source, so that each problem names where it came from and a column of the
/// wrong kind falls back as an invalid value does (the form's to the org's, the org's to the
/// default). A name not on this form is skipped: one list serves many forms.
pub fn read_settings_on_form(
    value: &Value,
    json_error: Option<&str>,
    org: Option<&OrgSettings>,
    on_form: &OnForm,
) -> SettingsOutcome {
    let mut problems = Vec::new();
    let org_settings = org;
    let mut org = org.map_or_else(Layer::default, |org| org_layer(org, &mut problems));
    if let Some(OrgSettings::Given { variable, .. }) = org_settings {
        check_layer(
            &mut org,
            &build_text!("environment variable ", variable),
            on_form.attributes,
            &mut problems,
        );
    }
    let mut form = if let Some(reason) = json_error {
        not_json(reason, &mut problems)
    } else if !on_form.more_parameters.is_empty() {
        // The form's parameter box passes each comma-separated value as a parameter of its own:
        // one object was meant. The controls each of them names are hidden all the same.
        problems.push(build_text!(
            "settings: the form passes ",
            on_form.more_parameters.len() + 1,
            " parameters; give the settings as one JSON object (keys separated by commas inside its braces)"
        ));
        let mut layer = Layer {
            anonymize_when_inactive_invalid: true,
            ..Layer::default()
        };
        for parameter in core::iter::once(value).chain(on_form.more_parameters) {
            salvage_controls(parameter, &mut layer);
        }
        layer
    } else if let Value::String(text) = value {
        // The parameter box's JSON text, read here so that a key given twice is seen.
        match parse_settings_text(text) {
            Ok((value, repeated)) => {
                let mut layer = read_layer(&value, "settings", &mut problems);
                note_repeated(&mut layer, "settings", &repeated, &mut problems);
                layer
            }
            Err(reason) => not_json(&reason, &mut problems),
        }
    } else {
        read_layer(value, "settings", &mut problems)
    };
    check_layer(&mut form, "settings", on_form.attributes, &mut problems);
    // A required consent is checked against consent read from the consent table: without one,
    // it would check nothing, and say nothing.
    if form.consent_table.is_none() && org.consent_table.is_none() {
        let root = match (&form.required_consent, org_settings) {
            (Some(_), _) => Some("settings".to_string()),
            (None, Some(OrgSettings::Given { variable, .. })) if org.required_consent.is_some() => {
                Some(build_text!("environment variable ", variable))
            }
            _ => None,
        };
        if let Some(root) = root {
            problems.push(build_text!(
                root,
                ".requiredConsent: needs consentTable, the table consent is read from"
            ));
        }
    }
    let defaults = FormSettings::default();
    let settings = FormSettings {
        // An invalid value anywhere counts as on: more warnings, never fewer.
        anonymize_when_inactive: org.anonymize_when_inactive_invalid
            || form.anonymize_when_inactive_invalid
            || form
                .anonymize_when_inactive
                .or(org.anonymize_when_inactive)
                .unwrap_or(defaults.anonymize_when_inactive),
        email_data_controls: with_salvaged(
            form.email_data_controls.or(org.email_data_controls),
            [&form.salvaged_controls, &org.salvaged_controls],
        ),
        related_lookups: form.related_lookups.or(org.related_lookups),
        email_attribute: form
            .email_attribute
            .or(org.email_attribute)
            .unwrap_or(defaults.email_attribute),
        language_id: form.language_id.or(org.language_id),
        relationship_analytics_controls: with_salvaged(
            form.relationship_analytics_controls
                .or(org.relationship_analytics_controls),
            [&form.salvaged_analytics, &org.salvaged_analytics],
        ),
        spotler_job: form.spotler_job.or(org.spotler_job),
        consent_table: form.consent_table.or(org.consent_table),
        required_consent: form.required_consent.or(org.required_consent),
        record_confirmations: form
            .record_confirmations
            .or(org.record_confirmations)
            .unwrap_or(defaults.record_confirmations),
    };
    SettingsOutcome { settings, problems }
}

/// The controls a parameter names (an object, or JSON text of one), kept to be hidden all the
/// same: the settings it belongs to are invalid.
fn salvage_controls(parameter: &Value, layer: &mut Layer) {
    let parsed;
    let fields = match parameter {
        Value::Object(fields) => fields,
        Value::String(text) => match crate::json::parse(text.trim_start_matches('\u{feff}')) {
            Ok(Value::Object(fields)) => {
                parsed = fields;
                &parsed
            }
            _ => return,
        },
        _ => return,
    };
    for (key, value) in fields {
        match key.as_str() {
            "emailDataControls" => layer.salvaged_controls.extend(salvaged_names(value)),
            "relationshipAnalyticsControls" => {
                layer.salvaged_analytics.extend(salvaged_names(value))
            }
            _ => {}
        }
    }
}

/// The type of column `name` on the form, if it is there.
fn kind_on_form<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(attribute, _)| attribute == name)
        .map(|(_, kind)| kind.as_str())
}

/// Check the column names one source (`root`) gives against the form's columns: a lookup to
/// check that is a column of another kind, or an email column that holds no text, is a problem
/// of that source, and the email column is dropped from it (so it falls back like an invalid
/// value). With no columns known, nothing is checked.
fn check_layer(
    layer: &mut Layer,
    root: &str,
    attributes: &[(String, String)],
    problems: &mut Vec<String>,
) {
    for (index, name) in layer.related_lookups.iter().flatten().enumerate() {
        if let Some(kind) = kind_on_form(attributes, name).filter(|kind| *kind != "lookup") {
            problems.push(build_text!(
                root,
                ".relatedLookups[",
                index,
                "]: `",
                name,
                "` is a column of type ",
                kind,
                " on this form, not a lookup"
            ));
        }
    }
    if let Some(email) = &layer.email_attribute {
        if let Some(kind) =
            kind_on_form(attributes, email).filter(|kind| *kind != "string" && *kind != "memo")
        {
            problems.push(build_text!(
                root,
                ".emailAttribute: `",
                email,
                "` is a column of type ",
                kind,
                " on this form, not text"
            ));
            layer.email_attribute = None;
        }
    }
}

/// The value read, or `None` with its problem noted.
/// The controls in force plus the names salvaged from invalid lists, each once.
fn with_salvaged(names: Option<Vec<String>>, salvaged: [&Vec<String>; 2]) -> Vec<String> {
    let mut all = names.unwrap_or_default();
    for name in salvaged.into_iter().flatten() {
        if !all.contains(name) {
            all.push(name.clone());
        }
    }
    all
}

fn keep<T>(problems: &mut Vec<String>, read: Result<Option<T>, InputError>) -> Option<T> {
    read.unwrap_or_else(|error| {
        note(problems, error);
        None
    })
}

/// One place that words a problem, rather than one per setting.
#[inline(never)]
fn note(problems: &mut Vec<String>, error: InputError) {
    problems.push(error.to_text());
}

impl SettingsOutcome {
    /// The result for the form script: the settings in force, a message when they are invalid,
    /// and the plan of the form of `entity` (which guards it gets and which columns they read).
    pub fn to_value(&self, user_lcid: Option<u32>, entity: &str) -> Value {
        let s = &self.settings;
        let lcid = s.language_id.or(user_lcid);
        let language = Language::from_optional_lcid(lcid);
        let problems = crate::text::join(&self.problems, "; ");
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
            ("recordConfirmations", s.record_confirmations.into()),
            ("message", message.into()),
            ("form", form_plan(entity, s).to_value()),
        ])
    }
}
