//! The form integration's decisions: settings and the opt-out decision from what was read.

mod common;

use consent_guard::form::optout::{decide_email_data, Facts};
use consent_guard::form::settings::read_settings;
use consent_guard::messages::Language;
use consent_guard::value::{Input, Value};
use serde_json::json;

fn settings(json: serde_json::Value) -> consent_guard::form::settings::SettingsOutcome {
    read_settings(&common::value(json), None)
}

#[test]
fn default_and_valid_settings() {
    let none = read_settings(&Value::Null, None);
    assert!(none.problems.is_empty());
    assert!(!none.settings.anonymize_when_inactive);
    assert_eq!(none.settings.email_attribute, "emailaddress1");
    assert_eq!(none.settings.related_lookups, None);

    let all = settings(json!({
        "anonymizeWhenInactive": true,
        "emailDataControls": ["Timeline", " notescontrol "],
        "relatedLookups": ["parentcustomerid"],
        "emailAttribute": "emailaddress2",
        "languageId": 1043,
    }));
    assert_eq!(all.problems, Vec::<String>::new());
    assert!(all.settings.anonymize_when_inactive);
    assert_eq!(
        all.settings.email_data_controls,
        ["Timeline", "notescontrol"]
    );
    assert_eq!(
        all.settings.related_lookups.as_deref(),
        Some(&["parentcustomerid".to_string()][..])
    );
    assert_eq!(all.settings.email_attribute, "emailaddress2");
    assert_eq!(all.settings.language_id, Some(1043));
}

#[test]
fn every_problem_is_named_and_the_guard_errs_on_the_safe_side() {
    let bad = settings(json!({
        "anonymiseWhenInactive": true,
        "anonymizeWhenInactive": "yes",
        "emailDataControls": "Timeline",
        "relatedLookups": ["", 3],
        "languageId": 1043.5,
    }));
    assert_eq!(
        bad.problems,
        [
            "settings: unknown key `anonymiseWhenInactive`; expected one of anonymizeWhenInactive, emailDataControls, relatedLookups, emailAttribute, languageId",
            "settings.anonymizeWhenInactive: expected true or false, got the string \"yes\"",
            "settings.emailDataControls: expected an array, got the string \"Timeline\"",
            "settings.relatedLookups[0]: expected a control or attribute name, got an empty string",
            "settings.languageId: expected an integer from 1 to 65535, got a number with a fraction or out of range",
        ]
    );
    assert!(
        bad.settings.anonymize_when_inactive,
        "an invalid anonymizeWhenInactive counts as true"
    );
    assert_eq!(
        bad.settings.related_lookups, None,
        "a bad list falls back to every lookup"
    );

    let text = read_settings(
        &Value::Null,
        Some("Unexpected token } in JSON at position 9"),
    );
    assert_eq!(
        text.problems,
        ["settings: the text is not valid JSON (Unexpected token } in JSON at position 9)"]
    );
    assert!(text.settings.anonymize_when_inactive);

    let list = settings(json!(["anonymizeWhenInactive"]));
    assert_eq!(
        list.problems,
        ["settings: expected an object, got an array"]
    );

    let message = |lcid| {
        let value = bad.to_value(Some(lcid));
        let Value::Object(fields) = value else {
            panic!("an object")
        };
        fields
            .into_iter()
            .find(|(k, _)| k == "message")
            .map(|(_, v)| v)
    };
    // languageId was invalid, so the user's language is used.
    let Some(Value::String(dutch)) = message(1043) else {
        panic!("a message")
    };
    assert!(
        dutch.starts_with("De instellingen van consent-guard zijn ongeldig: settings: unknown key"),
        "{dutch}"
    );
}

fn decide(facts: serde_json::Value) -> (bool, Option<&'static str>, Option<&'static str>, String) {
    let facts = Facts::read(Input::root(&common::value(facts), "facts")).expect("valid facts");
    let d = decide_email_data(&facts, Language::English);
    (d.hide, d.cause, d.level, d.message.unwrap_or_default())
}

#[test]
fn opt_out_decisions() {
    let shown = decide(json!({"own": {"value": false}, "related": [], "settingsValid": true}));
    assert_eq!(shown, (false, None, None, String::new()));

    let own = decide(json!({"own": {"value": true}, "related": [], "settingsValid": true}));
    assert_eq!(
        own,
        (
            true,
            Some("OwnOptOut"),
            Some("INFO"),
            "Email data is hidden: this record has GDPR Optout set.".into()
        )
    );

    let ticked_on_form = decide(
        json!({"own": {"value": false}, "ownOnForm": true, "related": [], "settingsValid": true}),
    );
    assert_eq!(ticked_on_form.1, Some("OwnOptOut"));
    let unticked_unsaved = decide(
        json!({"own": {"value": true}, "ownOnForm": false, "related": [], "settingsValid": true}),
    );
    assert!(
        unticked_unsaved.0,
        "stays hidden until the save goes through"
    );

    let related = decide(json!({"related": [
        {"name": "Holly Smith", "read": {"value": true}},
        {"name": "Frank Lee", "read": {"value": false}},
        {"name": "Holly Smith", "read": {"value": true}},
    ], "settingsValid": true}));
    assert_eq!(
        related,
        (
            true,
            Some("RelatedOptOut"),
            Some("INFO"),
            "Email data is hidden: Holly Smith has GDPR Optout set.".into()
        )
    );

    let no_column = decide(
        json!({"own": {"error": "Could not find a property named 'msdyn_gdproptout' on type 'Microsoft.Dynamics.CRM.contact'."},
        "related": [{"name": "Frank", "read": {"error": "Could not find a property named 'msdyn_gdproptout'", "status": 400}}], "settingsValid": true}),
    );
    assert_eq!(
        no_column.0, false,
        "an org without the column has no opt-out to honour"
    );

    let timeout = decide(json!({"own": {"timedOut": true}, "related": [], "settingsValid": true}));
    assert_eq!(timeout, (true, Some("Unknown"), Some("WARNING"),
        "Email data is hidden: whether this record opted out (GDPR Optout) could not be checked (no answer in time). Reload the form to try again.".into()));

    let forbidden = decide(
        json!({"related": [{"name": "Ann", "read": {"error": "Principal user is missing prvReadContact privilege", "status": 403}}], "settingsValid": true}),
    );
    assert!(
        forbidden.3.contains("whether Ann opted out") && forbidden.3.contains("(no access)"),
        "{}",
        forbidden.3
    );

    let missing = decide(
        json!({"related": [{"name": "Ann", "read": {"missing": true}}], "settingsValid": true}),
    );
    assert!(missing.3.contains("(no access)"));

    let failed = decide(
        json!({"own": {"error": "Network error"}, "related": [], "accountContacts": {"timedOut": true}, "settingsValid": true}),
    );
    assert!(
        failed
            .3
            .contains("whether this record, a contact of this account opted out")
            && failed.3.contains("(Network error)"),
        "{}",
        failed.3
    );

    let children = decide(
        json!({"own": {"value": false}, "related": [], "accountContacts": {"value": true}, "settingsValid": true}),
    );
    assert_eq!(
        children.3,
        "Email data is hidden: a contact of this account has GDPR Optout set."
    );

    let known_beats_unknown = decide(
        json!({"own": {"timedOut": true}, "related": [{"name": "Holly", "read": {"value": true}}], "settingsValid": true}),
    );
    assert_eq!(known_beats_unknown.1, Some("RelatedOptOut"));

    let bad_settings =
        decide(json!({"own": {"value": false}, "related": [], "settingsValid": false}));
    assert_eq!(
        bad_settings,
        (true, Some("SettingsInvalid"), None, String::new())
    );
}

#[test]
fn facts_are_read_strictly() {
    let error = Facts::read(Input::root(
        &common::value(
            json!({"related": [{"name": "x", "read": {"valeu": true}}], "settingsValid": true}),
        ),
        "facts",
    ))
    .unwrap_err()
    .to_string();
    assert_eq!(error, "facts.related[0].read: unknown field `valeu`; expected one of value, error, status, timedOut, missing");
}
