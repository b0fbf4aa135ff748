//! The declared shapes (`src/shapes.rs`, from which the TypeScript declarations are generated)
//! and the module's real behaviour must agree: every declared operation exists, accepts every
//! field its input declares and no other, and answers exactly with its declared output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use consent_guard::calls::call;
use consent_guard::shapes::{check, shape_named, Ty, OPERATIONS, SHAPES};
use consent_guard::value::Value;
use serde_json::json;

/// Inputs of every operation, together giving every declared field a value at least once.
fn examples() -> Vec<(&'static str, serde_json::Value)> {
    let state = json!({ "email": "holly@contoso.com", "donotemail": false, "donotbulkemail": null, "statecode": 0 });
    let request = json!({
        "entity": "contact", "saveMode": 1, "before": state,
        "after": { "email": null, "donotemail": true, "statecode": 1 },
        "settings": { "anonymizeWhenInactive": true }, "languageId": 1043,
    });
    let record = json!({ "consentId": "c1", "key": "holly@contoso.com", "option": "Newsletter", "value": true, "date": "2025-01-02" });
    let profile = json!({ "key": "holly@contoso.com", "consents": { "Newsletter": { "value": true, "date": "2025-01-02", "consentId": "c1" } } });
    let csv = "Consent ID,Email,Consent option,Consent value,Consent date\n1,holly@contoso.com,Newsletter,yes,2025-01-02\n2,,x,maybe,\n";
    let job = json!({
        "saveMode": 1, "saved": true, "savedOperation": 100000001, "savedOperationText": "Sync",
        "operation": 100000002, "operationText": "Anonymize Contact", "anonymizeOperation": "Anonymize Contact",
        "customer": "Holly", "status": 410,
    });
    let settings = json!({
        "anonymizeWhenInactive": true, "emailDataControls": ["Timeline"], "relatedLookups": ["parentcustomerid"],
        "emailAttribute": "emailaddress1", "languageId": 1036, "relationshipAnalyticsControls": ["RA"],
        "spotlerJob": { "entity": "spotler_job", "operationAttribute": "op", "anonymizeOperation": 100000002, "resultAttribute": "status", "customerAttribute": "customer" },
        "consentTable": { "entity": "consent", "keyAttribute": "email", "optionAttribute": "option", "valueAttribute": "value", "dateAttribute": "date", "idAttribute": "id" },
        "requiredConsent": "Consent option=Newsletter & Consent value=True", "recordConfirmations": true,
    });
    vec![
        ("evaluateSave", json!({ "request": request })),
        ("isValidEmail", json!({ "text": "holly@contoso.com" })),
        ("interpretAnonymizeResponse", json!({ "status": 410 })),
        ("parseConsentCsv", json!({ "text": csv })),
        ("unifyConsent", json!({ "records": [record, record] })),
        (
            "evaluateSegment",
            json!({ "rule": "Consent option=Newsletter & Consent value=True", "profiles": [profile] }),
        ),
        (
            "evaluateSegmentCsv",
            json!({ "rule": "Consent value=True", "text": csv }),
        ),
        (
            "readFormSettings",
            json!({ "settings": settings, "entity": "contact" }),
        ),
        (
            "readFormSettings",
            json!({ "settings": settings, "entity": "spotler_job", "org": { "variable": "cg_ConsentGuardSettings", "text": "{\"languageId\": 1043}" } }),
        ),
        (
            "readFormSettings",
            json!({ "settings": "{\"x\": 1", "entity": "account", "org": { "variable": "cg_ConsentGuardSettings", "text": "{" } }),
        ),
        (
            "readFormSettings",
            json!({ "settings": null, "entity": "lead", "org": { "variable": "cg_ConsentGuardSettings", "error": "denied", "status": 403 } }),
        ),
        (
            "readFormSettings",
            json!({ "entity": "lead", "org": { "variable": "cg_ConsentGuardSettings", "timedOut": true } }),
        ),
        ("readFormSettings", json!({ "entity": "lead", "org": null })),
        (
            "readFormSettings",
            json!({ "settings": "{\"languageId\": 1043, \"languageId\": 1031}", "entity": "lead", "org": { "variable": "cg_ConsentGuardSettings", "text": "{\"anonymizeWhenInactive\": true}" } }),
        ),
        (
            "readFormSettings",
            json!({ "settings": { "relatedLookups": ["subject"] }, "entity": "lead", "attributes": { "subject": "string", "parentcontactid": "lookup" } }),
        ),
        (
            "readFormSettings",
            json!({ "settings": "{\"languageId\": 1043}", "entity": "lead", "moreParameters": ["{\"emailDataControls\": [\"notes1\"]}"] }),
        ),
        (
            "decideEmailData",
            json!({
                "own": { "value": true }, "ownOnForm": null,
                "related": [
                    { "name": "Frank", "read": { "error": "denied", "status": 403 } },
                    { "name": "Holly", "read": { "malformed": "flag", "column": "msdyn_gdproptout", "found": "string" } },
                    { "name": "Ivy", "read": { "malformed": "list" } },
                ],
                "accountContacts": { "timedOut": true }, "stakeholders": { "missing": true },
                "linkedAccounts": [{ "name": "Contoso", "optedOut": ["Holly"] }, { "name": "Fabrikam", "unread": { "timedOut": true } }],
                "settingsValid": true,
            }),
        ),
        ("adviseSave", request.clone()),
        ("adviseJobSave", job.clone()),
        ("describeJobResult", job),
        (
            "adviseSend",
            json!({
                "saveMode": 7, "requiredConsent": "Consent value=True",
                "recipients": [
                    { "name": "Holly", "donotemail": true, "optOut": { "value": false }, "consents": [record] },
                    { "name": "Frank", "unknown": { "error": "denied" } },
                ],
            }),
        ),
        ("adviseSend", json!({ "saveMode": 7, "recipients": null })),
        ("adviseDelete", json!(["Holly", "Frank"])),
        (
            "deleteFailed",
            json!({ "name": "Holly", "error": "denied" }),
        ),
        (
            "summarizeConsent",
            json!({ "records": [record], "requiredConsent": "Consent option=Post" }),
        ),
        (
            "consentUnreadable",
            json!({ "error": "denied", "status": 403 }),
        ),
        (
            "confirmationNote",
            json!({
                "record": { "command": "send", "reasons": [
                    { "code": "RecipientDoNotEmail", "args": ["Holly"] },
                    { "code": "RecipientNoConsent", "args": ["Frank", "Consent value=True"] },
                ] },
                "userName": "Nancy Anderson", "userId": "a1b2", "at": "2026-12-03T08:00:00.000Z",
            }),
        ),
        ("faultText", json!({ "detail": "denied", "kind": "note" })),
        ("deleteWrongControl", json!(null)),
        ("entityKind", json!("contact")),
        ("saveTexts", json!(null)),
        ("faultText", json!({ "detail": "oops", "kind": "save" })),
    ]
}

fn operation(name: &str) -> &'static consent_guard::shapes::Operation {
    OPERATIONS
        .iter()
        .find(|op| op.name == name)
        .unwrap_or_else(|| panic!("`{name}` is not declared"))
}

/// Every declared object field met in `value`, as `where.field`.
fn covered(value: &Value, ty: &Ty, at: &str, seen: &mut BTreeSet<String>) {
    match (ty, value) {
        (Ty::Ref(name), _) => covered(value, &shape_named(name).unwrap().ty, name, seen),
        (Ty::OneOf(choices), _) => {
            for choice in *choices {
                if check(value, choice, at).is_ok() {
                    covered(value, choice, at, seen);
                }
            }
        }
        (Ty::Array(item), Value::Array(items)) => {
            items.iter().for_each(|v| covered(v, item, at, seen))
        }
        (Ty::Map(_, item), Value::Object(fields)) => {
            fields.iter().for_each(|(_, v)| covered(v, item, at, seen))
        }
        (Ty::Object(declared), Value::Object(fields)) => {
            for (name, v) in fields {
                if let Some(f) = declared.iter().find(|f| f.name == name) {
                    seen.insert(format!("{at}.{name}"));
                    covered(v, &f.ty, &format!("{at}.{name}"), seen);
                }
            }
        }
        _ => {}
    }
}

/// Every declared object field of `ty`, as `where.field`.
fn declared(ty: &Ty, at: &str, out: &mut BTreeSet<String>, visiting: &mut Vec<&'static str>) {
    match ty {
        Ty::Ref(name) if !visiting.contains(name) => {
            visiting.push(name);
            declared(&shape_named(name).unwrap().ty, name, out, visiting);
            visiting.pop();
        }
        Ty::OneOf(choices) => choices.iter().for_each(|c| declared(c, at, out, visiting)),
        Ty::Array(item) | Ty::Map(_, item) => declared(item, at, out, visiting),
        Ty::Object(fields) => {
            for f in *fields {
                let here = format!("{at}.{}", f.name);
                out.insert(here.clone());
                declared(&f.ty, &here, out, visiting);
            }
        }
        _ => {}
    }
}

#[test]
fn every_answer_has_its_declared_shape() {
    for (name, input) in examples() {
        let op = operation(name);
        let input = common::value(input);
        check(&input, &op.input, "input")
            .unwrap_or_else(|e| panic!("{name}: the example does not match: {e}"));
        let answer = call(name, &input, Some(1043)).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(&answer, &op.output, "answer")
            .unwrap_or_else(|e| panic!("{name} answers off its declaration: {e}"));
    }
}

#[test]
fn every_declared_operation_exists_and_is_tried() {
    let tried: BTreeSet<&str> = examples().iter().map(|(name, _)| *name).collect();
    for op in OPERATIONS {
        assert!(tried.contains(op.name), "no example of `{}`", op.name);
    }
    let error = call("noSuchOperation", &Value::Null, None).unwrap_err();
    assert_eq!(error.path.as_deref(), Some("operation"));
}

#[test]
fn every_declared_input_field_is_read() {
    let mut seen = BTreeSet::new();
    let mut all = BTreeSet::new();
    for (name, input) in examples() {
        let op = operation(name);
        covered(&common::value(input), &op.input, name, &mut seen);
        declared(&op.input, name, &mut all, &mut Vec::new());
    }
    let missing: Vec<_> = all.difference(&seen).collect();
    assert!(
        missing.is_empty(),
        "declared input fields no example gives: {missing:?}"
    );
}

#[test]
fn an_undeclared_input_field_is_refused() {
    for (name, input) in examples() {
        let serde_json::Value::Object(mut fields) = input else {
            continue;
        };
        if fields.contains_key("request")
            || fields.contains_key("text")
            || fields.contains_key("records") && name == "unifyConsent"
        {
            // Public functions take their parameters by name; a stray one is not an input field.
            continue;
        }
        if name == "evaluateSegment" || name == "interpretAnonymizeResponse" {
            continue;
        }
        fields.insert("undeclaredField".into(), json!(1));
        let error = call(
            name,
            &common::value(serde_json::Value::Object(fields)),
            None,
        )
        .expect_err(&format!("{name} accepted an undeclared field"));
        assert!(
            error.message.contains("undeclaredField: unknown field"),
            "{name}: {}",
            error.message
        );
    }
}

#[test]
fn the_declared_settings_are_the_keys_the_reader_knows() {
    let Some((_, settings)) = examples()
        .into_iter()
        .find(|(name, _)| *name == "readFormSettings")
    else {
        panic!("no settings example")
    };
    let settings = settings["settings"].clone();
    check(
        &common::value(settings.clone()),
        &shape_named("Settings").unwrap().ty,
        "settings",
    )
    .unwrap();
    let mut all = BTreeSet::new();
    declared(
        &shape_named("Settings").unwrap().ty,
        "Settings",
        &mut all,
        &mut Vec::new(),
    );
    let mut seen = BTreeSet::new();
    covered(
        &common::value(settings.clone()),
        &shape_named("Settings").unwrap().ty,
        "Settings",
        &mut seen,
    );
    assert_eq!(all, seen, "the example gives every declared setting");
    let read = |settings: serde_json::Value| {
        call(
            "readFormSettings",
            &common::value(json!({ "settings": settings, "entity": "contact" })),
            None,
        )
        .unwrap()
    };
    let valid = |answer: &Value| match answer {
        Value::Object(fields) => fields
            .iter()
            .find(|(n, _)| n == "valid")
            .map(|(_, v)| v.clone()),
        _ => None,
    };
    assert_eq!(valid(&read(settings.clone())), Some(Value::Bool(true)));
    let mut unknown = settings;
    unknown["undeclaredSetting"] = json!(true);
    assert_eq!(valid(&read(unknown)), Some(Value::Bool(false)));
}

#[test]
fn public_shapes_come_first_and_names_are_unique() {
    let names: BTreeSet<&str> = SHAPES.iter().map(|s| s.name).collect();
    assert_eq!(names.len(), SHAPES.len());
    let first_internal = SHAPES.iter().position(|s| !s.public).unwrap();
    assert!(SHAPES[first_internal..].iter().all(|s| !s.public));
}
