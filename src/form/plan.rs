//! Which guards a form gets and which columns they read, from its entity and the settings: the
//! entity roles, kept here so that the form script holds none.

use crate::form::settings::FormSettings;
use crate::prelude::*;
use crate::save::is_person;
use crate::value::Value;

/// The GDPR Optout column.
pub const OPT_OUT_COLUMN: &str = "msdyn_gdproptout";
/// Entities that carry the opt-out column when the org has it.
const HAS_OPT_OUT_COLUMN: [&str; 5] = ["contact", "lead", "account", "opportunity", "systemuser"];
/// The people whose opt-out counts on related forms and as recipients, with their primary keys.
pub const PEOPLE: [(&str, &str); 2] = [("contact", "contactid"), ("lead", "leadid")];
/// An account's contacts: the table, its key, and the lookup to the parent account.
fn account_contacts() -> Value {
    let text = |t: &str| Value::from(t);
    Value::object([
        ("entity", text("contact")),
        ("key", text("contactid")),
        ("parentColumn", text("_parentcustomerid_value")),
    ])
}

/// Accounts a lookup points at: the table, its key, the lookup to its primary contact, and its
/// contacts (their table, key, lookup to the account and the column that names them).
fn linked_accounts() -> Value {
    let text = |t: &str| Value::from(t);
    Value::object([
        ("entity", text("account")),
        ("key", text("accountid")),
        ("primaryContactColumn", text("_primarycontactid_value")),
        (
            "contacts",
            Value::object([
                ("entity", text("contact")),
                ("key", text("contactid")),
                ("parentColumn", text("_parentcustomerid_value")),
                ("nameColumn", text("fullname")),
            ]),
        ),
    ])
}

/// Entities whose related records the rules list one by one (and users, whose forms show no
/// customer's email); on the forms of all others, an account lookup counts with the account's contacts ("custom entities: through their account,
/// contact and customer lookups").
const OWN_RELATIONS: [&str; 5] = ["contact", "lead", "account", "opportunity", "systemuser"];

/// An opportunity's stakeholders: connections whose second record is a contact (object type 2).
fn stakeholders() -> Value {
    Value::object([
        ("entity", Value::from("contact")),
        ("objectTypeCode", 2u32.into()),
    ])
}

/// The entity whose form has the Send command.
const EMAIL: &str = "email";

/// What a form's saves are guarded for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A record whose saves may make the connector anonymize a contact (it judges the entity).
    Record,
    /// A Spotler Job: saving an "Anonymize Contact" job asks first.
    SpotlerJob,
    /// An Email: Send to people who should not receive it asks first.
    Email,
}

/// The guards of one form and the columns they read.
#[derive(Clone, Debug, PartialEq)]
pub struct FormPlan {
    pub role: Role,
    /// The entity carries `msdyn_gdproptout`: its own flag hides its email data.
    pub own_opt_out: bool,
    /// A Contact or Lead: its saved columns are completed through the Web API, and its consent
    /// is shown.
    pub person: bool,
    /// An Account: the opt-out of its contacts (auto capture matches them too) counts.
    pub account_contacts: bool,
    /// An Opportunity: the opt-out of its stakeholders (connected contacts) counts.
    pub stakeholders: bool,
    /// Another entity's record (a custom one, a case): an account its lookups point at counts
    /// with its own flag, its primary contact and its contacts.
    pub linked_accounts: bool,
    /// The column the connector syncs as the email, for the save guard, Send and consent alike.
    pub email_attribute: String,
    /// The form's table (a logical name, lower case).
    pub entity: String,
}

/// The plan for a form of `entity` (a logical name, any case) under `settings`.
pub fn form_plan(entity: &str, settings: &FormSettings) -> FormPlan {
    let entity = entity.to_ascii_lowercase();
    let role = if settings
        .spotler_job
        .as_ref()
        .is_some_and(|job| job.entity == entity)
    {
        Role::SpotlerJob
    } else if entity == EMAIL {
        Role::Email
    } else {
        Role::Record
    };
    FormPlan {
        role,
        own_opt_out: HAS_OPT_OUT_COLUMN.contains(&entity.as_str()),
        person: is_person(&entity),
        account_contacts: entity == "account",
        stakeholders: entity == "opportunity",
        // The Spotler Job table is a custom table too: its customer lookups count alike.
        linked_accounts: role != Role::Email && !OWN_RELATIONS.contains(&entity.as_str()),
        email_attribute: settings.email_attribute.clone(),
        entity,
    }
}

impl FormPlan {
    /// The lookups the rules name for this table (rules A): an Account's primary contact, an
    /// Opportunity's contact (`parentcontactid`).
    fn rule_lookups(&self) -> impl Iterator<Item = Value> {
        let named: &[(&str, &str)] = match self.entity.as_str() {
            "account" => &[("primarycontactid", "contact")],
            "opportunity" => &[("parentcontactid", "contact")],
            _ => &[],
        };
        named.iter().map(|(attribute, entity)| {
            Value::object([
                ("attribute", (*attribute).into()),
                ("entity", (*entity).into()),
            ])
        })
    }

    /// The plan as the form script reads it.
    pub fn to_value(&self) -> Value {
        let role = match self.role {
            Role::Record => "record",
            Role::SpotlerJob => "spotlerJob",
            Role::Email => "email",
        };
        let people = PEOPLE.iter().map(|(entity, key)| {
            Value::object([("entity", (*entity).into()), ("key", (*key).into())])
        });
        let email = || Value::from(&self.email_attribute);
        let save_columns = Value::object([
            ("email", email()),
            ("donotemail", "donotemail".into()),
            ("donotbulkemail", "donotbulkemail".into()),
            ("statecode", "statecode".into()),
        ]);
        Value::object([
            ("role", role.into()),
            ("optOutColumn", OPT_OUT_COLUMN.into()),
            ("ownOptOut", self.own_opt_out.into()),
            ("person", self.person.into()),
            (
                "accountContacts",
                self.account_contacts.then(account_contacts).into(),
            ),
            ("stakeholders", self.stakeholders.then(stakeholders).into()),
            (
                "linkedAccounts",
                self.linked_accounts.then(linked_accounts).into(),
            ),
            ("ruleLookups", Value::Array(self.rule_lookups().collect())),
            ("people", Value::Array(people.collect())),
            ("saveColumns", save_columns),
            (
                "recipientColumns",
                Value::object([("email", email()), ("donotemail", "donotemail".into())]),
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::settings::SpotlerJobSettings;

    #[test]
    fn roles_follow_the_entity_and_the_settings() {
        let mut settings = FormSettings::default();
        assert_eq!(form_plan("Contact", &settings).role, Role::Record);
        assert!(form_plan("Contact", &settings).person);
        assert!(form_plan("lead", &settings).person);
        assert!(!form_plan("account", &settings).person);
        assert!(form_plan("account", &settings).own_opt_out);
        assert!(form_plan("Account", &settings).account_contacts);
        assert!(!form_plan("contact", &settings).account_contacts);
        for entity in ["new_project", "incident"] {
            assert!(form_plan(entity, &settings).linked_accounts, "{entity}");
        }
        for entity in [
            "contact",
            "lead",
            "Account",
            "opportunity",
            "systemuser",
            "email",
        ] {
            assert!(!form_plan(entity, &settings).linked_accounts, "{entity}");
        }
        assert!(form_plan("opportunity", &settings).stakeholders);
        assert!(!form_plan("account", &settings).stakeholders);
        assert!(!form_plan("email", &settings).own_opt_out);
        assert_eq!(form_plan("email", &settings).role, Role::Email);
        settings.spotler_job = Some(SpotlerJobSettings {
            entity: "spotler_job".into(),
            operation_attribute: "op".into(),
            anonymize_operation: Value::Number(3.0),
            result_attribute: "status".into(),
            customer_attribute: "customer".into(),
        });
        assert_eq!(form_plan("Spotler_Job", &settings).role, Role::SpotlerJob);
        assert!(form_plan("Spotler_Job", &settings).linked_accounts);
        let lookups = |entity: &str| {
            let mut text = String::new();
            crate::json::write(&form_plan(entity, &settings).to_value(), &mut text);
            let at = text.find("\"ruleLookups\":").expect("ruleLookups");
            let rest = &text[at..];
            rest[..rest.find(']').expect("a list") + 1].to_string()
        };
        assert_eq!(
            lookups("Account"),
            r#""ruleLookups":[{"attribute":"primarycontactid","entity":"contact"}]"#
        );
        assert_eq!(
            lookups("opportunity"),
            r#""ruleLookups":[{"attribute":"parentcontactid","entity":"contact"}]"#
        );
        assert_eq!(lookups("new_project"), r#""ruleLookups":[]"#);
        settings.email_attribute = "emailaddress2".into();
        assert_eq!(
            form_plan("contact", &settings).email_attribute,
            "emailaddress2"
        );
    }
}
