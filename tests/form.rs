//! The form integration's decisions: settings and the opt-out decision from what was read.
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use consent_guard::form::optout::{decide_email_data, Facts};
use consent_guard::form::settings::read_settings;
use consent_guard::messages::Language;
use consent_guard::value::{Input, Value};
use serde_json::json;

fn settings(json: serde_json::Value) -> consent_guard::form::settings::SettingsOutcome {
    read_settings(&common::value(json), None, None)
}

#[test]
fn default_and_valid_settings() {
    let none = read_settings(&Value::Null, None, None);
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
fn a_misspelt_anonymize_when_inactive_counts_as_true_and_long_keys_are_cut() {
    for key in [
        "anonymiseWhenInactive",
        "AnonymizeWhenInactive",
        " ANONYMISEWHENINACTIVE ",
        "anonymize_when_inactive",
        "Anonymize Contact When Inactive",
        "anonymizeContactWhenInactive",
    ] {
        let read = settings(json!({ key: false }));
        assert!(read.settings.anonymize_when_inactive, "{key}");
        assert_eq!(read.problems.len(), 1);
        assert!(
            read.problems[0]
                .ends_with("(anonymizeWhenInactive counts as true until this is corrected)"),
            "{}",
            read.problems[0]
        );
    }
    // Another unknown key says nothing about anonymizeWhenInactive.
    let other = settings(json!({ "anonymizeWhenIdle": true }));
    assert!(!other.settings.anonymize_when_inactive);
    assert!(!other.problems[0].contains("counts as true"));
    let long = "k".repeat(3000);
    let read = settings(json!({ long.as_str(): 1 }));
    assert!(
        read.problems[0].starts_with(&format!("settings: unknown key `{}…`;", "k".repeat(40))),
        "{}",
        read.problems[0]
    );
    assert!(read.problems[0].len() < 400);
}

fn on_form(
    value: serde_json::Value,
    org: Option<serde_json::Value>,
    more: &[serde_json::Value],
    attributes: &[(&str, &str)],
) -> consent_guard::form::settings::SettingsOutcome {
    let more: Vec<Value> = more.iter().cloned().map(common::value).collect();
    let attributes: Vec<(String, String)> = attributes
        .iter()
        .map(|(n, k)| (n.to_string(), k.to_string()))
        .collect();
    let org = org.map(|value| consent_guard::form::settings::OrgSettings::Given {
        variable: "cg_ConsentGuardSettings".into(),
        value: common::value(value),
        repeated: Vec::new(),
    });
    consent_guard::form::settings::read_settings_on_form(
        &common::value(value),
        None,
        org.as_ref(),
        &consent_guard::form::settings::OnForm {
            more_parameters: &more,
            attributes: &attributes,
        },
    )
}

#[test]
fn names_of_columns_of_the_wrong_kind_on_this_form_are_problems_of_their_source() {
    let attributes = [
        ("title", "string"),
        ("customerid", "lookup"),
        ("donotemail", "boolean"),
        ("statuscode", "optionset"),
        ("emailaddress2", "string"),
    ];
    let read = on_form(
        json!({ "relatedLookups": ["customerid", "title", "new_elsewhere"], "emailAttribute": "donotemail" }),
        Some(json!({ "emailAttribute": "emailaddress2", "relatedLookups": ["statuscode"] })),
        &[],
        &attributes,
    );
    assert_eq!(
        read.problems,
        [
            "environment variable cg_ConsentGuardSettings.relatedLookups[0]: `statuscode` is a column of type optionset on this form, not a lookup",
            "settings.relatedLookups[1]: `title` is a column of type string on this form, not a lookup",
            "settings.emailAttribute: `donotemail` is a column of type boolean on this form, not text",
        ]
    );
    // The form's email column in error falls back to the org's, as an invalid value does.
    assert_eq!(read.settings.email_attribute, "emailaddress2");
    // Names that fit, or are not on this form, are no problem.
    let fine = on_form(
        json!({ "relatedLookups": ["customerid", "new_elsewhere"], "emailAttribute": "new_mail" }),
        None,
        &[],
        &attributes,
    );
    assert!(fine.problems.is_empty(), "{:?}", fine.problems);
    assert_eq!(fine.settings.email_attribute, "new_mail");
}

#[test]
fn several_parameters_where_one_object_was_meant_are_named_and_err_on_the_safe_side() {
    // The parameter box's values as objects and as JSON text: the controls each names are kept.
    let read = on_form(
        json!({ "languageId": 1043 }),
        None,
        &[
            json!({ "anonymizeWhenInactive": false, "emailDataControls": ["notes1"] }),
            json!("{\"relationshipAnalyticsControls\": \"ra1\"}"),
        ],
        &[],
    );
    assert_eq!(
        read.problems,
        ["settings: the form passes 3 parameters; give the settings as one JSON object (keys separated by commas inside its braces)"]
    );
    assert!(read.settings.anonymize_when_inactive);
    assert!(read
        .settings
        .email_data_controls
        .contains(&"notes1".to_string()));
    assert!(read
        .settings
        .relationship_analytics_controls
        .contains(&"ra1".to_string()));
    assert_eq!(read.settings.language_id, None);
    // A list given as the settings is no object, and said so plainly, however long.
    for list in [json!([{ "languageId": 1043 }]), json!([{}, {}])] {
        assert_eq!(
            settings(list).problems,
            ["settings: expected an object, got an array"]
        );
    }
}

#[test]
fn a_key_given_twice_in_typed_text_is_a_problem_and_anonymize_when_inactive_counts_as_on() {
    use consent_guard::form::settings::{parse_settings_text, OrgSettings};
    let (value, repeated) = parse_settings_text(
        "\u{feff}{\"anonymizeWhenInactive\": true, \"languageId\": 1043, \"anonymizeWhenInactive\": false}",
    )
    .unwrap();
    assert_eq!(repeated, ["anonymizeWhenInactive"]);
    let org = OrgSettings::Given {
        variable: "cg_ConsentGuardSettings".into(),
        value,
        repeated,
    };
    let read = read_settings(&Value::Null, None, Some(&org));
    assert_eq!(
        read.problems,
        ["environment variable cg_ConsentGuardSettings: `anonymizeWhenInactive` is given twice in one object; only the last value would count"]
    );
    assert!(read.settings.anonymize_when_inactive, "unsure: on");
    assert_eq!(
        read.settings.language_id,
        Some(1043),
        "the other keys still count"
    );
    // The form's parameter box text is read the same way.
    let form = settings(json!("{\"languageId\": 1043, \"languageId\": 1031}"));
    assert_eq!(
        form.problems,
        ["settings: `languageId` is given twice in one object; only the last value would count"]
    );
    assert!(!form.settings.anonymize_when_inactive);
    // Blank text is no settings; text that is no JSON says where.
    assert!(settings(json!("  ")).problems.is_empty());
    assert_eq!(
        settings(json!("{\"languageId\": 1043,}")).problems,
        ["settings: the text is not valid JSON (unexpected text at character 21)"]
    );
    assert_eq!(
        settings(json!("{\"languageId\": ")).problems,
        ["settings: the text is not valid JSON (unexpected end of text at character 16)"]
    );
}

#[test]
fn attribute_names_are_read_as_logical_names_and_control_names_as_given() {
    let read = settings(json!({
        "relatedLookups": ["CustomerId", " ParentContactId "],
        "emailAttribute": "EMailAddress1",
        "emailDataControls": ["Timeline", "NotesControl"],
    }));
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!(
        read.settings.related_lookups.as_deref(),
        Some(&["customerid".to_string(), "parentcontactid".to_string()][..])
    );
    assert_eq!(read.settings.email_attribute, "emailaddress1");
    assert_eq!(
        read.settings.email_data_controls,
        ["Timeline", "NotesControl"]
    );
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
            "settings: unknown key `anonymiseWhenInactive`; expected one of anonymizeWhenInactive, emailDataControls, relatedLookups, emailAttribute, languageId, relationshipAnalyticsControls, spotlerJob, consentTable, requiredConsent, recordConfirmations (anonymizeWhenInactive counts as true until this is corrected)",
            "settings.anonymizeWhenInactive: expected true or false, got the string \"yes\"",
            "settings.emailDataControls: expected an array, got the string \"Timeline\"",
            "settings.relatedLookups[0]: expected a control or attribute name, got an empty string",
            "settings.languageId: expected an integer from 1 to 4294967295, got a number with a fraction or out of range",
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
    assert_eq!(
        bad.settings.email_data_controls,
        ["Timeline"],
        "a lone name where a list belongs is hidden all the same"
    );
    let salvaged = settings(json!({
        "emailDataControls": [" notescontrol ", 3, "", null, "emails"],
        "relationshipAnalyticsControls": { "name": "analytics" },
    }));
    assert_eq!(salvaged.problems.len(), 2, "{:?}", salvaged.problems);
    assert_eq!(
        salvaged.settings.email_data_controls,
        ["notescontrol", "emails"],
        "the names among other values are hidden all the same"
    );
    assert!(salvaged.settings.relationship_analytics_controls.is_empty());
    // An invalid list of the form adds its names to the org's list, which stays in force.
    let org = consent_guard::form::settings::OrgSettings::Given {
        variable: "cg_settings".into(),
        value: common::value(json!({ "emailDataControls": ["orgcontrol"] })),
        repeated: Vec::new(),
    };
    let both = read_settings(
        &common::value(json!({ "emailDataControls": "formcontrol" })),
        None,
        Some(&org),
    );
    assert_eq!(
        both.settings.email_data_controls,
        ["orgcontrol", "formcontrol"]
    );

    let text = read_settings(
        &Value::Null,
        Some("Unexpected token } in JSON at position 9"),
        None,
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
        let value = bad.to_value(Some(lcid), "contact");
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
    assert!(
        !no_column.0,
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
    // Each reason with what it is about, when they differ.
    assert_eq!(
        failed.3,
        "Email data is hidden: whether this record, a contact of this account opted out (GDPR Optout) \
         could not be checked (this record: Network error; a contact of this account: no answer in time). \
         Reload the form to try again."
    );
    let same_reason = decide(
        json!({"own": {"timedOut": true}, "related": [{"name": "Lee Lead", "read": {"timedOut": true}}], "settingsValid": true}),
    );
    assert!(
        same_reason
            .3
            .contains("whether this record, Lee Lead opted out (GDPR Optout) could not be checked (no answer in time)."),
        "{}",
        same_reason.3
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
    assert_eq!(error, "facts.related[0].read.valeu: unknown field; expected one of value, error, status, timedOut, missing, malformed, column, found");
}

mod guards {
    use super::common;
    use consent_guard::consent::ConsentRecord;
    use consent_guard::form::action::{Decision, FollowUp, Level};
    use consent_guard::form::consent::consent_summary;
    use consent_guard::form::delete::advise_delete;
    use consent_guard::form::job::{advise_job_save, describe_job_result, JobFacts};
    use consent_guard::form::send::{advise_send, Recipient, SendFacts};
    use consent_guard::form::settings::read_settings;
    use consent_guard::messages::Language;
    use consent_guard::value::Input;
    use serde_json::json;

    fn dialog_text(decision: &Decision) -> &str {
        match decision {
            Decision::Ask(dialog) => &dialog.text,
            other => panic!("expected a dialog, got {other:?}"),
        }
    }

    fn job(facts: serde_json::Value) -> JobFacts {
        JobFacts::read(Input::root(&common::value(facts), "facts")).unwrap()
    }

    #[test]
    fn a_spotler_job_asks_before_anonymizing_and_explains_its_result() {
        let en = Language::English;
        let new_job = job(
            json!({"saveMode": 1, "operation": 3, "operationText": "Anonymize Contact", "anonymizeOperation": 3, "customer": "Holly Smith"}),
        );
        assert!(dialog_text(&advise_job_save(&new_job, en).decision)
            .contains("anonymize Holly Smith when the job runs"));
        let unchanged = job(
            json!({"saveMode": 1, "saved": true, "savedOperation": 3, "savedOperationText": "Anonymize Contact", "operation": 3,
            "operationText": "Anonymize Contact", "anonymizeOperation": "Anonymize Contact", "customer": "Holly", "status": 410}),
        );
        assert_eq!(advise_job_save(&unchanged, en).decision, Decision::Proceed);
        let result = describe_job_result(&unchanged, en);
        assert_eq!(
            (result.level, result.message.as_deref()),
            (
                Level::Info,
                Some("Spotler anonymized the contact (HTTP 410 Gone).")
            )
        );
        let failed = job(
            json!({"operation": 3, "anonymizeOperation": "3", "customer": "Holly", "status": 500}),
        );
        assert_eq!(describe_job_result(&failed, en).message.as_deref(),
            Some("Spotler did not anonymize the contact (HTTP 500): the job failed. Check the connector's log and run a new job."));
        let sync = job(
            json!({"operation": 1, "operationText": "Sync Contact", "anonymizeOperation": 3, "customer": "Holly", "status": 200}),
        );
        assert_eq!(
            describe_job_result(&sync, en).message,
            None,
            "another job's success is no failure"
        );
        let by_text = job(
            json!({"saveMode": 2, "saved": true, "savedOperation": null, "operation": 100000002, "operationText": "Anonymize Contact",
            "anonymizeOperation": "anonymize contact", "customer": ""}),
        );
        let action = advise_job_save(&by_text, en);
        assert!(dialog_text(&action.decision).contains("anonymize ? when"));
        assert!(matches!(action.follow_up, FollowUp::Replay(_)));
        assert!(JobFacts::read(Input::root(
            &common::value(json!({"operation": 1, "anonymizeOperation": true, "customer": ""})),
            "facts"
        ))
        .is_err());
        assert!(JobFacts::read(Input::root(
            &common::value(
                json!({"operation": {"value": 1}, "anonymizeOperation": 1, "customer": ""})
            ),
            "facts"
        ))
        .is_err());
    }

    fn record(option: &str, value: bool) -> ConsentRecord {
        ConsentRecord {
            consent_id: None,
            key: "holly@contoso.com".into(),
            option: option.into(),
            value,
            date: Some("2024-05-03".into()),
        }
    }

    #[test]
    fn sending_names_each_recipient_and_why() {
        let recipient = |name: &str, flagged: bool, consents: Vec<ConsentRecord>| Recipient {
            name: name.into(),
            donotemail: flagged,
            opted_out: flagged,
            consents: Some(consents),
            unknown: None,
        };
        let rule = "Consent option=Newsletter & Consent value=True";
        let mut facts = SendFacts {
            save_mode: 7,
            recipients: Some(vec![
                recipient("Holly", true, vec![record("Newsletter", false)]),
                recipient("Frank", false, vec![record("Newsletter", true)]),
                recipient("Ann", false, vec![]),
            ]),
            required_consent: Some(rule.into()),
        };
        let action = advise_send(&facts, Language::English).unwrap();
        assert_eq!(
            dialog_text(&action.decision),
            format!("This email goes to:\nHolly: Do Not Email is set.\nHolly: GDPR Optout is set.\nHolly: no consent for {rule}.\nAnn: no consent for {rule}.")
        );
        assert!(
            matches!(&action.follow_up, FollowUp::AllowRepeat(notice, _) if notice.contains("choose Send again"))
        );
        facts.save_mode = 1;
        assert_eq!(
            advise_send(&facts, Language::English).unwrap().decision,
            Decision::Proceed,
            "a plain save is not guarded"
        );
        facts.save_mode = 7;
        facts
            .recipients
            .as_mut()
            .unwrap()
            .retain(|r| r.name == "Frank");
        assert_eq!(
            advise_send(&facts, Language::English).unwrap().decision,
            Decision::Proceed
        );
        let pending = SendFacts {
            recipients: None,
            ..facts.clone()
        };
        assert_eq!(
            advise_send(&pending, Language::English).unwrap().decision,
            Decision::Wait,
            "Send waits for its facts"
        );
        let plain = SendFacts {
            save_mode: 70,
            ..pending
        };
        assert_eq!(
            advise_send(&plain, Language::English).unwrap().decision,
            Decision::Proceed,
            "an AutoSave does not"
        );
        facts.required_consent = Some("Consent option=".into());
        assert!(advise_send(&facts, Language::English).is_err());
    }

    #[test]
    fn a_name_like_a_placeholder_is_shown_as_it_is() {
        for name in ["{0}", "{1}", "Record {1}"] {
            let facts = SendFacts {
                save_mode: 7,
                recipients: Some(vec![Recipient {
                    name: name.into(),
                    donotemail: true,
                    opted_out: false,
                    consents: None,
                    unknown: None,
                }]),
                required_consent: Some("Consent option=X".into()),
            };
            let action = advise_send(&facts, Language::English).unwrap();
            assert_eq!(
                dialog_text(&action.decision),
                format!("This email goes to:\n{name}: Do Not Email is set.")
            );
            let deleting = advise_delete(&[name.into()], Language::English);
            assert!(
                dialog_text(&deleting.decision).starts_with(&format!("Deleting {name} makes")),
                "{name}"
            );
        }
    }

    #[test]
    fn consent_on_the_form() {
        let records = vec![record("Newsletter", true), record("SMS", false)];
        let shown = consent_summary(
            &records,
            Some("Consent option=SMS & Consent value=True"),
            Language::Dutch,
        )
        .unwrap();
        assert_eq!(
            shown[0].message.as_deref(),
            Some("Toestemming: Newsletter: ja (2024-05-03), SMS: nee (2024-05-03).")
        );
        assert_eq!(shown[1].level, Level::Warning);
        assert_eq!(shown[1].message.as_deref(), Some("Deze persoon heeft niet de vereiste toestemming (Consent option=SMS & Consent value=True)."));
        // French puts a space before each colon, the option's too.
        let french = consent_summary(&records, None, Language::French).unwrap();
        assert_eq!(
            french[0].message.as_deref(),
            Some("Consentement : Newsletter : oui (2024-05-03), SMS : non (2024-05-03).")
        );
        let none = consent_summary(&[], None, Language::English).unwrap();
        assert_eq!(
            none[0].message.as_deref(),
            Some("Consent: no consent records for this person.")
        );
        assert_eq!(none[1].message, None);
        let error =
            consent_summary(&records, Some("Consent option="), Language::English).unwrap_err();
        assert_eq!(
            (error.path.as_deref(), error.column),
            (Some("requiredConsent"), Some(16))
        );
    }

    #[test]
    fn the_delete_dialog_names_the_records() {
        let action = advise_delete(
            &["Holly Smith".into(), "Frank Lee".into()],
            Language::German,
        );
        assert!(dialog_text(&action.decision)
            .starts_with("Durch das Löschen von Holly Smith, Frank Lee anonymisiert Spotler"));
        let Decision::Ask(dialog) = &action.decision else {
            unreachable!()
        };
        assert_eq!(dialog.confirm, "Löschen");
    }

    #[test]
    fn the_new_settings_are_checked_too() {
        let good = read_settings(
            &common::value(json!({
                "relationshipAnalyticsControls": ["ra_panel"],
                "spotlerJob": {"entity": "Spotler_Job", "operationAttribute": "spotler_operation", "anonymizeOperation": 3,
                    "resultAttribute": "spotler_status", "customerAttribute": "spotler_customerid"},
                "consentTable": {"entity": "new_consent", "keyAttribute": "new_email", "optionAttribute": "new_option", "valueAttribute": "new_value"},
                "requiredConsent": "Consent option=Newsletter & Consent value=True",
            })),
            None,
            None,
        );
        assert_eq!(good.problems, Vec::<String>::new());
        assert_eq!(
            good.settings
                .spotler_job
                .as_ref()
                .map(|j| j.entity.as_str()),
            Some("spotler_job")
        );
        let bad = read_settings(
            &common::value(json!({
                "spotlerJob": {"entity": "spotler_job"},
                "consentTable": {"entity": "x", "keyAttribute": "k", "optionAttribute": "o", "valueAttribute": "v", "dateAtribute": "d"},
                "requiredConsent": "Consent option=",
            })),
            None,
            None,
        );
        // The "Anonymize Contact" option by its label; an empty label names none.
        let job = |operation: serde_json::Value| {
            read_settings(
                &common::value(json!({"spotlerJob": {"entity": "spotler_job", "operationAttribute": "op",
                    "anonymizeOperation": operation, "resultAttribute": "st", "customerAttribute": "cu"}})),
                None,
                None,
            )
            .problems
        };
        assert_eq!(job(json!("Anonymize Contact")), Vec::<String>::new());
        assert_eq!(job(json!("  ")), ["settings.spotlerJob.anonymizeOperation: expected the option value (a whole number) or label of \"Anonymize Contact\", got the string \"  \""]);
        assert_eq!(bad.problems, [
            "settings.spotlerJob.anonymizeOperation: missing field",
            "settings.consentTable.dateAtribute: unknown field; expected one of entity, keyAttribute, optionAttribute, valueAttribute, dateAttribute, idAttribute",
            "settings.requiredConsent: column 16: expected a value after '='",
        ]);
    }
}

mod org_settings {
    use super::common;
    use consent_guard::form::settings::{read_settings, OrgSettings};
    use consent_guard::value::Value;
    use serde_json::json;

    const VARIABLE: &str = "cg_ConsentGuardSettings";

    fn org(value: serde_json::Value) -> OrgSettings {
        OrgSettings::Given {
            variable: VARIABLE.into(),
            value: common::value(value),
            repeated: Vec::new(),
        }
    }

    /// A required consent needs a consent table to check it against, from the form or the org:
    /// without one it would check nothing, so it is reported where it was set.
    #[test]
    fn a_required_consent_without_a_consent_table_is_a_problem() {
        let rule = "Consent option=Newsletter & Consent value=True";
        let table = json!({"entity": "new_consent", "keyAttribute": "k", "optionAttribute": "o", "valueAttribute": "v"});
        let problems = |form: serde_json::Value, org_value: Option<serde_json::Value>| {
            let org_value = org_value.map(org);
            read_settings(&common::value(form), None, org_value.as_ref()).problems
        };
        assert_eq!(
            problems(json!({ "requiredConsent": rule }), None),
            ["settings.requiredConsent: needs consentTable, the table consent is read from"]
        );
        assert_eq!(
            problems(json!({}), Some(json!({ "requiredConsent": rule }))),
            ["environment variable cg_ConsentGuardSettings.requiredConsent: needs consentTable, the table consent is read from"]
        );
        assert!(problems(
            json!({ "requiredConsent": rule }),
            Some(json!({ "consentTable": table }))
        )
        .is_empty());
        assert!(problems(
            json!({ "consentTable": table }),
            Some(json!({ "requiredConsent": rule }))
        )
        .is_empty());
        assert!(problems(json!({}), None).is_empty());
    }

    #[test]
    fn the_org_settings_apply_and_the_form_overrides_them_key_by_key() {
        let org = org(
            json!({ "anonymizeWhenInactive": true, "languageId": 1043, "emailAttribute": "emailaddress2" }),
        );
        let only_org = read_settings(&Value::Null, None, Some(&org));
        assert!(only_org.problems.is_empty());
        assert!(only_org.settings.anonymize_when_inactive);
        assert_eq!(only_org.settings.language_id, Some(1043));
        assert_eq!(only_org.settings.email_attribute, "emailaddress2");

        let form = common::value(json!({ "anonymizeWhenInactive": false, "languageId": 1036 }));
        let both = read_settings(&form, None, Some(&org));
        assert!(both.problems.is_empty());
        assert!(
            !both.settings.anonymize_when_inactive,
            "the form's key wins"
        );
        assert_eq!(both.settings.language_id, Some(1036));
        assert_eq!(
            both.settings.email_attribute, "emailaddress2",
            "a key the form leaves out stays the org's"
        );
    }

    #[test]
    fn a_bad_variable_is_named_and_errs_on_the_safe_side() {
        let unknown = read_settings(
            &common::value(json!({ "anonymizeWhenInactive": false })),
            None,
            Some(&org(json!({ "anonymiseWhenInactive": true }))),
        );
        assert_eq!(unknown.problems.len(), 1);
        assert!(unknown.problems[0].starts_with(
            "environment variable cg_ConsentGuardSettings: unknown key `anonymiseWhenInactive`"
        ));

        let wrong_type = read_settings(
            &common::value(json!({ "anonymizeWhenInactive": false })),
            None,
            Some(&org(json!({ "anonymizeWhenInactive": "yes" }))),
        );
        assert_eq!(
            wrong_type.problems,
            ["environment variable cg_ConsentGuardSettings.anonymizeWhenInactive: expected true or false, got the string \"yes\""]
        );
        assert!(
            wrong_type.settings.anonymize_when_inactive,
            "an invalid value anywhere counts as on"
        );

        let not_json = read_settings(
            &Value::Null,
            None,
            Some(&OrgSettings::NotJson {
                variable: VARIABLE.into(),
                reason: "Unexpected end of JSON input".into(),
            }),
        );
        assert_eq!(
            not_json.problems,
            ["environment variable cg_ConsentGuardSettings: the text is not valid JSON (Unexpected end of JSON input)"]
        );
        assert!(not_json.settings.anonymize_when_inactive);

        let unreadable = read_settings(
            &Value::Null,
            None,
            Some(&OrgSettings::Unreadable {
                variable: VARIABLE.into(),
                reason: "no answer within 8 seconds".into(),
            }),
        );
        assert_eq!(
            unreadable.problems,
            ["the environment variable cg_ConsentGuardSettings could not be read (no answer within 8 seconds)"]
        );
        assert!(unreadable.settings.anonymize_when_inactive);

        let not_an_object = read_settings(&Value::Null, None, Some(&org(json!([1]))));
        assert_eq!(not_an_object.problems.len(), 1);
        assert!(
            not_an_object.problems[0].starts_with("environment variable cg_ConsentGuardSettings")
        );
    }

    #[test]
    fn an_org_without_the_variable_or_with_an_empty_one_is_no_fault() {
        let none = read_settings(&Value::Null, None, None);
        let empty = read_settings(&Value::Null, None, Some(&org(json!({}))));
        assert!(none.problems.is_empty() && empty.problems.is_empty());
        assert_eq!(none.settings, empty.settings);
        assert!(!empty.settings.record_confirmations);
    }
}

mod confirmation_notes {
    use super::common;
    use consent_guard::form::confirmation::{
        confirmation_note, Command, Confirmation, Confirmer, Reason,
    };
    use consent_guard::form::delete::advise_delete;
    use consent_guard::form::save_guard::advise_save;
    use consent_guard::messages::Language;
    use consent_guard::save::SaveRequest;
    use consent_guard::value::Input;
    use serde_json::json;

    fn confirmer() -> Confirmer {
        Confirmer {
            user_name: "Nancy Anderson".into(),
            user_id: "0a1b2c3d-0000-4000-8000-000000000001".into(),
            at: "2026-12-03T08:15:00.000Z".into(),
        }
    }

    #[test]
    fn a_save_that_asks_carries_its_reasons_for_the_note() {
        let request = common::value(json!({
            "entity": "contact", "saveMode": 5, "before": { "email": "frank@contoso.com", "donotemail": false, "statecode": 0 },
            "after": { "donotemail": true }, "settings": { "anonymizeWhenInactive": true }, "languageId": 1033,
        }));
        let action = advise_save(&SaveRequest::read(Input::root(&request, "request")).unwrap());
        let record = action.record.expect("a save that asks is recorded");
        assert_eq!(record.command, Command::Deactivate);
        let codes: Vec<&str> = record.reasons.iter().map(|r| r.code).collect();
        assert_eq!(codes, ["DoNotEmail", "Inactive"]);

        let plain = common::value(json!({
            "entity": "contact", "saveMode": 1, "before": { "email": "frank@contoso.com" }, "after": { "donotbulkemail": true },
        }));
        let bulk_only = advise_save(&SaveRequest::read(Input::root(&plain, "request")).unwrap());
        assert_eq!(
            bulk_only.record, None,
            "a save that does not ask has nothing to record"
        );
    }

    #[test]
    fn the_note_says_who_when_what_and_why_in_the_base_language() {
        let record = Confirmation {
            command: Command::Deactivate,
            reasons: vec![Reason::new("DoNotEmail", &[]), Reason::new("Inactive", &[])],
        };
        let english = confirmation_note(&record, &confirmer(), Language::English);
        assert_eq!(english.subject, "consent-guard: Deactivate confirmed");
        for part in [
            "Nancy Anderson",
            "0a1b2c3d-0000-4000-8000-000000000001",
            "2026-12-03T08:15:00.000Z",
            "\"Deactivate\"",
            "- DoNotEmail: Saving will make Spotler anonymize",
            "- Inactive: ",
            concat!("consent-guard ", env!("CARGO_PKG_VERSION")),
        ] {
            assert!(english.text.contains(part), "{part:?} in {}", english.text);
        }
        let dutch = confirmation_note(&record, &confirmer(), Language::Dutch);
        assert_eq!(dutch.subject, "consent-guard: Deactiveren bevestigd");
        assert!(
            dutch.text.contains("- DoNotEmail: Als u opslaat"),
            "{}",
            dutch.text
        );

        let delete = advise_delete(&["Holly".into(), "Frank".into()], Language::German)
            .record
            .expect("a Delete is recorded");
        let note = confirmation_note(&delete, &confirmer(), Language::French);
        assert!(note.text.contains("« Supprimer »"), "{}", note.text);
        assert!(
            note.text.contains("- Delete: ") && note.text.contains("Holly, Frank"),
            "{}",
            note.text
        );
    }

    #[test]
    fn a_recorded_confirmation_reads_back_only_as_written() {
        let written = Confirmation {
            command: Command::Send,
            reasons: vec![Reason::new(
                "RecipientNoConsent",
                &["Frank", "Consent value=True"],
            )],
        };
        let value = written.to_value();
        assert_eq!(
            Confirmation::read(Input::root(&value, "record")).unwrap(),
            written
        );
        for (bad, why) in [
            (
                json!({ "command": "sned", "reasons": [] }),
                "unknown command `sned`",
            ),
            (
                json!({ "command": "send", "reasons": [{ "code": "Whim", "args": [] }] }),
                "unknown reason `Whim`",
            ),
            (
                json!({ "command": "send", "reasons": [{ "code": "RecipientOptedOut", "args": [] }] }),
                "`RecipientOptedOut` names 1 values",
            ),
        ] {
            let bad = common::value(bad);
            let error = Confirmation::read(Input::root(&bad, "record")).unwrap_err();
            assert!(error.to_string().contains(why), "{error}");
        }
    }
}

/// Behaviours a mutation run (`cargo mutants`) showed no test named.
mod named_by_mutants {
    use super::common;
    use consent_guard::calls::call;
    use consent_guard::form::optout::{classify_error, FlagRead, Unknown};
    use consent_guard::messages::{text, Language, MessageId};
    use consent_guard::save_wire::{save_texts, NOTICES, REASONS};
    use consent_guard::value::Value;
    use serde_json::json;

    #[test]
    fn each_sign_of_missing_access_counts_on_its_own() {
        let no_access = FlagRead::Unknown(Unknown::NoAccess);
        assert_eq!(classify_error("Forbidden", Some(403)), no_access);
        assert_eq!(
            classify_error(
                "Principal user is missing prvReadContact privilege",
                Some(400)
            ),
            no_access
        );
        assert_eq!(classify_error("Access is denied.", None), no_access);
        assert_eq!(
            classify_error("Generic SQL error", Some(500)),
            FlagRead::Unknown(Unknown::Failed("Generic SQL error".into()))
        );
    }

    #[test]
    fn a_failed_read_is_named_and_a_value_is_not() {
        let notifications = |read: serde_json::Value| match call(
            "consentUnreadable",
            &common::value(read),
            Some(1033),
        )
        .unwrap()
        {
            Value::Array(items) => items,
            other => panic!("{other:?}"),
        };
        let failed = notifications(json!({ "error": "denied", "status": 403 }));
        let shown = format!("{failed:?}");
        assert!(
            shown.contains(text(MessageId::ReasonNoAccess, Language::English)),
            "{shown}"
        );
        assert!(notifications(json!({ "value": true })).is_empty());
    }

    #[test]
    fn an_own_flag_given_as_null_is_no_flag() {
        let decide = |facts: serde_json::Value| {
            call("decideEmailData", &common::value(facts), Some(1033)).unwrap()
        };
        let base = json!({ "related": [], "settingsValid": true });
        let mut with_null = base.clone();
        with_null["own"] = serde_json::Value::Null;
        assert_eq!(decide(with_null), decide(base));
    }

    #[test]
    fn relationship_analytics_hide_for_the_record_itself_or_invalid_settings_only() {
        let hide_analytics = |settings_valid: bool| {
            let facts = json!({
                "own": { "value": false }, "ownOnForm": false,
                "related": [{ "name": "Holly", "read": { "value": true } }],
                "settingsValid": settings_valid,
            });
            let Value::Object(fields) =
                call("decideEmailData", &common::value(facts), Some(1033)).unwrap()
            else {
                panic!("an object")
            };
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            };
            assert_eq!(
                field("hide"),
                Some(Value::Bool(true)),
                "a related opt-out hides the email data"
            );
            field("hideAnalytics")
        };
        assert_eq!(
            hide_analytics(true),
            Some(Value::Bool(false)),
            "another record's opt-out leaves them"
        );
        assert_eq!(
            hide_analytics(false),
            Some(Value::Bool(true)),
            "invalid settings hide them"
        );
    }

    #[test]
    fn an_answer_without_the_flag_or_the_list_is_unknown_and_worded_by_the_module() {
        let decide = |own: serde_json::Value, language: u32| {
            let facts = json!({ "own": own, "related": [], "settingsValid": true });
            format!(
                "{:?}",
                call("decideEmailData", &common::value(facts), Some(language)).unwrap()
            )
        };
        let left_out = decide(
            json!({ "malformed": "flag", "column": "msdyn_gdproptout" }),
            1033,
        );
        assert!(left_out.contains("(\"hide\", Bool(true))"), "{left_out}");
        assert!(
            left_out.contains("the answer leaves out msdyn_gdproptout"),
            "{left_out}"
        );
        let text = decide(
            json!({ "malformed": "flag", "column": "msdyn_gdproptout", "found": "string" }),
            1031,
        );
        assert!(
            text.contains("für msdyn_gdproptout kein wahr oder falsch, sondern ein string"),
            "{text}"
        );
        let no_list = decide(json!({ "malformed": "list" }), 1036);
        assert!(
            no_list.contains("ne liste aucun enregistrement"),
            "{no_list}"
        );
        // Anything else is a wrong input, named.
        let facts = json!({ "own": { "malformed": "rows" }, "related": [], "settingsValid": true });
        let error = call("decideEmailData", &common::value(facts), Some(1033)).unwrap_err();
        assert!(format!("{error:?}").contains("own.malformed"), "{error:?}");
        let facts = json!({ "own": { "malformed": "flag" }, "related": [], "settingsValid": true });
        let error = call("decideEmailData", &common::value(facts), Some(1033)).unwrap_err();
        assert!(format!("{error:?}").contains("column"), "{error:?}");
    }

    #[test]
    fn a_linked_account_hides_by_its_opted_out_contacts_or_when_they_cannot_be_listed() {
        let decide = |linked: serde_json::Value, language: u32| {
            let facts = json!({
                "own": null,
                "related": [{ "name": "Contoso", "read": { "value": false } }],
                "linkedAccounts": linked,
                "settingsValid": true,
            });
            format!(
                "{:?}",
                call("decideEmailData", &common::value(facts), Some(language)).unwrap()
            )
        };
        let none = decide(json!([{ "name": "Contoso", "optedOut": [] }]), 1033);
        assert!(none.contains("(\"hide\", Bool(false))"), "{none}");
        let named = decide(
            json!([{ "name": "Contoso", "optedOut": ["Holly Smith", "Ivy Chen"] }]),
            1033,
        );
        assert!(named.contains("(\"hide\", Bool(true))"), "{named}");
        assert!(named.contains("Holly Smith, Ivy Chen"), "{named}");
        let unlisted = decide(
            json!([
                { "name": "Contoso", "optedOut": [] },
                { "name": "Fabrikam", "unread": { "error": "denied", "status": 403 } },
            ]),
            1043,
        );
        assert!(unlisted.contains("(\"hide\", Bool(true))"), "{unlisted}");
        assert!(
            unlisted.contains("de contactpersonen van Fabrikam")
                && unlisted.contains("geen toegang"),
            "{unlisted}"
        );
        // Contacts without the column (no Sales Insights) have no opt-out to honour.
        let no_column = decide(
            json!([{ "name": "Contoso", "unread": { "error": "Could not find a property named 'msdyn_gdproptout' on type 'Microsoft.Dynamics.CRM.contact'.", "status": 400 } }]),
            1033,
        );
        assert!(no_column.contains("(\"hide\", Bool(false))"), "{no_column}");
        // Opted-out contacts are named even when another account's could not be listed.
        let both = decide(
            json!([
                { "name": "Contoso", "optedOut": ["Holly Smith"] },
                { "name": "Fabrikam", "unread": { "timedOut": true } },
            ]),
            1033,
        );
        assert!(both.contains("Holly Smith"), "{both}");
        let facts = json!({ "related": [], "linkedAccounts": [{ "name": "Contoso" }], "settingsValid": true });
        let error = call("decideEmailData", &common::value(facts), Some(1033)).unwrap_err();
        assert!(format!("{error:?}").contains("optedOut"), "{error:?}");
    }

    #[test]
    fn an_unknown_opt_out_is_a_warning_and_a_known_one_information() {
        let level = |own: serde_json::Value| {
            let facts = json!({ "own": own, "related": [], "settingsValid": true });
            let answer = call("decideEmailData", &common::value(facts), Some(1033)).unwrap();
            let shown = format!("{answer:?}");
            ["WARNING", "INFO"]
                .into_iter()
                .find(|level| shown.contains(&format!("\"{level}\"")))
        };
        assert_eq!(
            level(json!({ "error": "denied", "status": 403 })),
            Some("WARNING")
        );
        assert_eq!(level(json!({ "value": true })), Some("INFO"));
    }

    #[test]
    fn the_compact_wire_texts_are_the_reasons_and_notices_in_order() {
        for language in [Language::English, Language::Dutch] {
            let texts = save_texts(language);
            let expected: Vec<&str> = REASONS
                .iter()
                .map(|code| text(code.message_id(), language))
                .chain(NOTICES.iter().map(|code| text(code.message_id(), language)))
                .collect();
            assert_eq!(texts.to_vec(), expected);
        }
    }

    #[test]
    fn options_in_capitals_unify_with_the_same_option_in_lower_case() {
        use consent_guard::consent::{unify_consent, ConsentRecord};
        let record = |option: &str, value: bool, date: &str| ConsentRecord {
            consent_id: None,
            key: "a@b.com".into(),
            option: option.into(),
            value,
            date: Some(date.into()),
        };
        let profiles = unify_consent(&[
            record("SMS", true, "2024-01-01"),
            record("sms", false, "2024-02-01"),
        ])
        .unwrap();
        assert_eq!(profiles.len(), 1);
        assert_eq!(profiles[0].consents.len(), 1, "{:?}", profiles[0].consents);
        assert!(!profiles[0].consents[0].1.value, "the later record wins");
    }
}
