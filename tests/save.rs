//! The save verdict, row by row from rules.md section B, fed the very JSON the form sends.
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use consent_guard::save::{evaluate_save, SaveRequest, SaveVerdict};
use consent_guard::value::{Input, InputError};
use serde_json::{json, Value};

fn read(json: Value) -> Result<SaveRequest, InputError> {
    SaveRequest::read(Input::root(&common::value(json), "request"))
}

fn request(json: Value) -> SaveRequest {
    read(json).expect("a valid request")
}

fn verdict(value: Value) -> SaveVerdict {
    evaluate_save(&request(value))
}

fn reason_codes(v: &SaveVerdict) -> Vec<String> {
    v.reasons.iter().map(|r| format!("{:?}", r.code)).collect()
}

fn notice_codes(v: &SaveVerdict) -> Vec<String> {
    v.notices.iter().map(|n| format!("{:?}", n.code)).collect()
}

/// An active contact with a valid email and nothing set: the common saved state.
fn clean() -> Value {
    json!({ "email": "holly@contoso.com", "donotemail": false, "donotbulkemail": false, "statecode": 0 })
}

struct Row {
    name: &'static str,
    entity: &'static str,
    save_mode: u32,
    before: Value,
    after: Value,
    awi: bool,
    reasons: &'static [&'static str],
    anonymize: bool,
    reset: bool,
    notices: &'static [&'static str],
}

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    let row =
        |name, entity, save_mode, before, after, awi, reasons, anonymize, reset, notices| Row {
            name,
            entity,
            save_mode,
            before,
            after,
            awi,
            reasons,
            anonymize,
            reset,
            notices,
        };
    vec![
        row("nothing changes", "contact", 1, clean(), json!({}), false, &[], false, false, &[]),
        row("unrelated save", "contact", 1, clean(), clean(), true, &[], false, false, &[]),
        row("Do Not Email set", "contact", 1, clean(), json!({"donotemail": true}), false, &["DoNotEmail"], true, false, &[]),
        row("Do Not Email from null", "contact", 1, json!({"email": "a@b.co", "donotemail": null}), json!({"donotemail": true}), false, &["DoNotEmail"], true, false, &[]),
        row("Do Not Email already set", "contact", 1, json!({"email": "holly@contoso.com", "donotemail": true}), json!({"donotemail": true}), false, &[], false, false, &[]),
        row("email cleared", "contact", 1, clean(), json!({"email": null}), false, &["NoValidEmail"], true, false, &[]),
        row("email emptied", "contact", 1, clean(), json!({"email": ""}), false, &["NoValidEmail"], true, false, &[]),
        row("email made invalid", "contact", 1, clean(), json!({"email": "holly@contoso"}), false, &["NoValidEmail"], true, false, &[]),
        row("email changed to another valid one", "contact", 1, clean(), json!({"email": "holly@fabrikam.com"}), false, &[], false, false, &[]),
        row("email already invalid", "contact", 1, json!({"email": "holly@contoso"}), json!({"email": ""}), false, &[], false, false, &[]),
        row("an unknown saved email counts as valid, so clearing it warns", "contact", 1, json!({"donotemail": false}), json!({"email": null}), false, &["NoValidEmail"], true, false, &[]),
        row("an unknown saved email is no cause: Do Not Email still warns", "contact", 1, json!({}), json!({"donotemail": true}), false, &["DoNotEmail"], true, false, &[]),
        row("a saved null email is a cause already", "contact", 1, json!({"email": null}), json!({"donotemail": true}), false, &[], false, false, &[]),
        row("deactivate with setting on", "contact", 5, clean(), json!({}), true, &["Inactive"], true, false, &[]),
        row("deactivate with setting off", "contact", 5, clean(), json!({}), false, &[], false, false, &[]),
        row("deactivate through statecode", "contact", 1, clean(), json!({"statecode": 1}), true, &["Inactive"], true, false, &[]),
        row("unknown statecode counts as active", "contact", 5, json!({"email": "holly@contoso.com"}), json!({}), true, &["Inactive"], true, false, &[]),
        row("already inactive", "contact", 5, json!({"email": "holly@contoso.com", "statecode": 1}), json!({}), true, &[], false, false, &[]),
        row("reactivate removes the last cause", "contact", 6, json!({"email": "holly@contoso.com", "statecode": 1}), json!({}), true, &[], false, false, &["Recreate"]),
        row("lead disqualify", "lead", 15, clean(), json!({}), true, &["Inactive"], true, false, &[]),
        row("lead qualify", "lead", 16, clean(), json!({"statecode": 0}), true, &["Inactive"], true, false, &[]),
        row("lead qualify with setting off", "lead", 16, clean(), json!({}), false, &[], false, false, &[]),
        row("qualify mode on a contact does not change state", "contact", 16, clean(), json!({}), true, &[], false, false, &[]),
        row("lead deactivate mode", "lead", 5, clean(), json!({}), true, &["Inactive"], true, false, &[]),
        row("bulk email opt-out alone", "contact", 1, clean(), json!({"donotbulkemail": true}), false, &["BulkEmailOptOut"], false, true, &[]),
        row("bulk email already set", "contact", 1, json!({"email": "holly@contoso.com", "donotbulkemail": true}), json!({"donotbulkemail": true}), false, &[], false, false, &[]),
        row("every reason together", "contact", 5, clean(), json!({"donotemail": true, "email": null, "donotbulkemail": true}), true, &["DoNotEmail", "NoValidEmail", "Inactive", "BulkEmailOptOut"], true, true, &[]),
        row("two anonymizing reasons", "lead", 1, clean(), json!({"donotemail": true, "email": "nope"}), false, &["DoNotEmail", "NoValidEmail"], true, false, &[]),
        row("a cause already held: the new one is no news", "contact", 1, json!({"email": "holly@contoso.com", "donotemail": true}), json!({"email": null}), false, &[], false, false, &[]),
        row("removing the last cause re-creates", "contact", 1, json!({"email": "holly@contoso.com", "donotemail": true}), json!({"donotemail": false}), false, &[], false, false, &["Recreate"]),
        row("removing one of two causes stays anonymized", "contact", 1, json!({"email": null, "donotemail": true}), json!({"donotemail": false}), false, &[], false, false, &["StaysAnonymized"]),
        row("fixing the email while inactive and setting off: no re-create", "contact", 1, json!({"email": "", "statecode": 1}), json!({"email": "holly@contoso.com"}), false, &[], false, false, &[]),
        row("create is never anonymized", "contact", 1, Value::Null, json!({"donotemail": true, "email": null, "donotbulkemail": true}), true, &[], false, false, &[]),
        row("account never anonymizes on save", "account", 5, clean(), json!({"donotemail": true, "email": null}), true, &[], false, false, &[]),
        row("opportunity never anonymizes", "opportunity", 1, clean(), json!({"donotemail": true}), false, &[], false, false, &[]),
        row("entity compares case-insensitively", "Contact", 1, clean(), json!({"donotemail": true}), false, &["DoNotEmail"], true, false, &[]),
        row("LEAD in capitals", "LEAD", 15, clean(), json!({}), true, &["Inactive"], true, false, &[]),
    ]
}

#[test]
fn rules_table() {
    for r in rows() {
        let v = verdict(json!({
            "entity": r.entity,
            "saveMode": r.save_mode,
            "before": r.before,
            "after": r.after,
            "settings": { "anonymizeWhenInactive": r.awi },
        }));
        assert_eq!(reason_codes(&v), r.reasons, "{}: reasons", r.name);
        assert_eq!(v.anonymize, r.anonymize, "{}: anonymize", r.name);
        assert_eq!(v.reset_permissions, r.reset, "{}: resetPermissions", r.name);
        assert_eq!(notice_codes(&v), r.notices, "{}: notices", r.name);
        assert_eq!(
            v.prompt, r.anonymize,
            "{}: prompt (mode {})",
            r.name, r.save_mode
        );
        assert!(!v.block, "{}: block outside AutoSave", r.name);
    }
}

#[test]
fn every_user_save_mode_prompts_and_autosave_blocks() {
    for mode in [1, 2, 5, 6, 7, 15, 16, 47, 58, 59] {
        let v = verdict(
            json!({"entity": "contact", "saveMode": mode, "before": clean(), "after": {"donotemail": true}}),
        );
        assert!(v.anonymize && v.prompt && !v.block, "mode {mode}");
    }
    let v = verdict(
        json!({"entity": "contact", "saveMode": 70, "before": clean(), "after": {"donotemail": true}}),
    );
    assert!(v.anonymize && v.block && !v.prompt, "AutoSave");
    let v = verdict(
        json!({"entity": "contact", "saveMode": 70, "before": clean(), "after": {"donotbulkemail": true}}),
    );
    assert!(
        v.reset_permissions && !v.block && !v.prompt,
        "AutoSave of a bulk opt-out goes through"
    );
}

#[test]
fn reactivate_overrides_the_form_statecode() {
    let v = verdict(
        json!({"entity": "contact", "saveMode": 6, "before": {"email": "a@b.co", "statecode": 1},
        "after": {"statecode": 1}, "settings": {"anonymizeWhenInactive": true}}),
    );
    assert_eq!(notice_codes(&v), ["Recreate"]);
}

#[test]
fn messages_follow_the_language() {
    let ask = |lcid: u32| {
        verdict(json!({"entity": "contact", "saveMode": 1, "before": clean(), "after": {"donotemail": true}, "languageId": lcid}))
            .reasons
            .first()
            .map(|r| r.message)
            .unwrap_or_default()
    };
    assert!(ask(1033).starts_with(
        "Saving will make Spotler anonymize this contact at the next sync (Do Not Email is set)"
    ));
    assert!(ask(1043).contains("anonimiseert"));
    assert!(ask(1031).contains("anonymisiert"));
    assert!(ask(1036).contains("anonymisera"));
    assert_eq!(ask(1049), ask(1033), "unknown LCIDs fall back to English");
}

#[test]
fn strict_shapes_name_the_field() {
    let error = |json: Value| read(json).expect_err("should be rejected").to_string();
    let base = || json!({"entity": "contact", "saveMode": 1, "before": null, "after": {}});
    let with = |path: &[&str], field: Value| {
        let mut request = base();
        let mut slot = &mut request;
        for name in path {
            slot = &mut slot[*name];
        }
        *slot = field;
        request
    };

    assert_eq!(
        error(with(&["after"], json!({"donotemial": true}))),
        "request.after.donotemial: unknown field; expected one of email, donotemail, donotbulkemail, statecode"
    );
    assert_eq!(
        error(with(&["after"], json!({"donotemail": "yes"}))),
        "request.after.donotemail: expected true or false, got the string \"yes\""
    );
    assert_eq!(
        error(with(&["before"], json!({"statecode": 1.5}))),
        "request.before.statecode: expected an integer from -2147483648 to 2147483647, got a number with a fraction or out of range"
    );
    assert_eq!(
        error(with(&["after"], json!({"email": 42}))),
        "request.after.email: expected a string, got the number 42"
    );
    assert_eq!(error(with(&["savemode"], json!(1))), "request.savemode: unknown field; expected one of entity, saveMode, before, after, settings, languageId");
    assert_eq!(
        error(with(&["settings"], json!({"anonymiseWhenInactive": true}))),
        "request.settings.anonymiseWhenInactive: unknown field; expected one of anonymizeWhenInactive"
    );
    assert_eq!(
        error(with(&["saveMode"], json!(-1))),
        "request.saveMode: expected an integer from 0 to 4294967295, got the number -1"
    );
    assert_eq!(
        error(with(&["entity"], Value::Null)),
        "request.entity: expected a string, got null"
    );
    assert_eq!(
        error(with(&["after"], json!([]))),
        "request.after: expected an object, got an array"
    );
    assert_eq!(
        error(json!("contact")),
        "request: expected an object, got the string \"contact\""
    );

    let mut no_before = base();
    no_before.as_object_mut().map(|o| o.remove("before"));
    assert_eq!(error(no_before), "request.before: missing field");

    // Null settings, a null languageId and null fields in the states are allowed.
    assert!(read(with(&["settings"], Value::Null)).is_ok());
    assert!(read(with(&["languageId"], Value::Null)).is_ok());
    assert!(read(with(
        &["after"],
        json!({"email": null, "donotemail": null, "donotbulkemail": null, "statecode": null})
    ))
    .is_ok());
}

#[test]
fn codes_are_named_as_the_api_names_them() {
    use consent_guard::save::{NoticeCode, ReasonCode};
    let reasons = [
        ReasonCode::DoNotEmail,
        ReasonCode::NoValidEmail,
        ReasonCode::Inactive,
        ReasonCode::BulkEmailOptOut,
    ];
    assert_eq!(
        reasons.map(ReasonCode::as_str),
        ["DoNotEmail", "NoValidEmail", "Inactive", "BulkEmailOptOut"]
    );
    let notices = [NoticeCode::Recreate, NoticeCode::StaysAnonymized];
    assert_eq!(
        notices.map(NoticeCode::as_str),
        ["Recreate", "StaysAnonymized"]
    );
}

#[test]
fn removing_one_cause_while_another_stays_says_the_contact_stays_anonymized() {
    // The email fixed while Do Not Email stays set.
    let fixed_email = verdict(json!({
        "entity": "contact", "saveMode": 1,
        "before": { "email": "not-an-email", "donotemail": true, "statecode": 0 },
        "after": { "email": "holly@contoso.com" },
    }));
    assert_eq!(notice_codes(&fixed_email), ["StaysAnonymized"]);
    // Reactivated ("Anonymize Contact When Inactive" on) while the email stays invalid.
    let reactivated = verdict(json!({
        "entity": "contact", "saveMode": 6,
        "before": { "email": "not-an-email", "statecode": 1 },
        "after": {}, "settings": { "anonymizeWhenInactive": true },
    }));
    assert_eq!(notice_codes(&reactivated), ["StaysAnonymized"]);
}
