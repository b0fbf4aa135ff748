//! The opt-out decision for a form's email data, from what the form and the Web API said.
//!
//! The form script reports each read as it happened (a value, an error, no answer, a record
//! that did not come back); this module decides what that means, whether to hide, and what to
//! tell the user.

use crate::form::action::{Level, Notification};
use crate::messages::{fill, text, Language, MessageId};
use crate::prelude::*;
use crate::text::build_text;
use crate::value::{Input, InputError, Value};
use crate::visibility::{decide_visibility, HideCause, OptOutState};

/// Web API message for a column the org does not have (no Sales Insights): no opt-out to honour.
const NO_COLUMN: &str = "could not find a property named 'msdyn_gdproptout'";

/// Why a flag is unknown.
#[derive(Clone, Debug, PartialEq)]
pub enum Unknown {
    NoAnswer,
    NoAccess,
    Failed(String),
    /// The call succeeded but its answer is not of the shape the Web API gives.
    Malformed(Malformed),
}

/// An answer the Web API gave that holds no flag where it should.
#[derive(Clone, Debug, PartialEq)]
pub enum Malformed {
    /// The record came back without `column`, or with something else than true, false or null
    /// in it: `found` is JavaScript's name of its type (`typeof`), or `None` when it is absent.
    NoFlag {
        column: String,
        found: Option<String>,
    },
    /// A list of records came back without its `entities`.
    NoList,
}

impl Unknown {
    /// Why, in words for the user: the platform's own message for a failed call.
    pub fn reason(&self, language: Language) -> String {
        match self {
            Unknown::NoAnswer => text(MessageId::ReasonNoAnswer, language).to_string(),
            Unknown::NoAccess => text(MessageId::ReasonNoAccess, language).to_string(),
            Unknown::Failed(message) => message.clone(),
            Unknown::Malformed(Malformed::NoFlag {
                column,
                found: None,
            }) => fill(MessageId::ReasonFlagLeftOut, language, &[column]),
            Unknown::Malformed(Malformed::NoFlag {
                column,
                found: Some(found),
            }) => fill(MessageId::ReasonFlagNotBoolean, language, &[column, found]),
            Unknown::Malformed(Malformed::NoList) => {
                text(MessageId::ReasonNoList, language).to_string()
            }
        }
    }
}

/// One read of `msdyn_gdproptout` as the form script saw it.
#[derive(Clone, Debug, PartialEq)]
pub enum FlagRead {
    Value(Option<bool>),
    NoColumn,
    Unknown(Unknown),
}

impl FlagRead {
    /// Read `{ value } | { error, status? } | { timedOut } | { missing } | { malformed, column?,
    /// found? }`.
    pub fn read(input: Input) -> Result<FlagRead, InputError> {
        let fields = input.object(&[
            "value",
            "error",
            "status",
            "timedOut",
            "missing",
            "malformed",
            "column",
            "found",
        ])?;
        if let Some(malformed) = fields.optional("malformed") {
            let malformed = match malformed.str()? {
                "flag" => Malformed::NoFlag {
                    column: fields.required_str("column")?.to_string(),
                    found: fields.optional_str("found")?.map(str::to_string),
                },
                "list" => Malformed::NoList,
                _ => return Err(malformed.error("expected \"flag\" or \"list\"")),
            };
            return Ok(FlagRead::Unknown(Unknown::Malformed(malformed)));
        }
        if fields.optional("timedOut").map(|v| v.bool()).transpose()? == Some(true) {
            return Ok(FlagRead::Unknown(Unknown::NoAnswer));
        }
        if fields.optional("missing").map(|v| v.bool()).transpose()? == Some(true) {
            return Ok(FlagRead::Unknown(Unknown::NoAccess));
        }
        let status = fields.optional_integer("status", 0, 999)?;
        if let Some(message) = fields
            .optional("error")
            .map(|v| v.str().map(str::to_string))
            .transpose()?
        {
            return Ok(classify_error(&message, status));
        }
        let value = fields.required("value").and_then(|v| {
            if v.is_null() {
                Ok(None)
            } else {
                v.bool().map(Some)
            }
        })?;
        Ok(FlagRead::Value(value))
    }

    /// Why the flag is unknown, if it is.
    pub fn unknown(&self) -> Option<&Unknown> {
        match self {
            FlagRead::Unknown(why) => Some(why),
            FlagRead::Value(_) | FlagRead::NoColumn => None,
        }
    }

    fn state(&self) -> OptOutState {
        match self {
            FlagRead::Value(Some(true)) => OptOutState::OptedOut,
            FlagRead::Value(_) => OptOutState::NotOptedOut,
            FlagRead::NoColumn => OptOutState::NoColumn,
            FlagRead::Unknown(_) => OptOutState::Unknown,
        }
    }
}

/// What a rejected Web API call means for the opt-out flag. (Phrases are found byte by byte:
/// `str::contains` would bring a general substring searcher into the module for three phrases.)
pub fn classify_error(message: &str, status: Option<i64>) -> FlagRead {
    let lowered = message.to_ascii_lowercase();
    let says = |phrase: &str| {
        lowered
            .as_bytes()
            .windows(phrase.len())
            .any(|w| w == phrase.as_bytes())
    };
    if says(NO_COLUMN) {
        FlagRead::NoColumn
    } else if status == Some(403) || says("privilege") || says("access is denied") {
        FlagRead::Unknown(Unknown::NoAccess)
    } else {
        let shown: String = message.chars().take(160).collect();
        FlagRead::Unknown(Unknown::Failed(shown))
    }
}

/// A related record and what its read said.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub name: String,
    pub read: FlagRead,
}

/// Everything the form script learned about opt-outs.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// The saved flag of the form's own record; `None` when there is nothing to read
    /// (a new record, or an entity without the column).
    pub own: Option<FlagRead>,
    /// The flag's current value on the form, when the column is on it.
    pub own_on_form: Option<Option<bool>>,
    pub related: Vec<Related>,
    /// On an Account form: whether any contact whose parent is the account opted out.
    pub account_contacts: Option<FlagRead>,
    /// On an Opportunity form, when its stakeholders could not be listed: why. (Listed
    /// stakeholders are read one by one as `related`.)
    pub stakeholders: Option<FlagRead>,
    /// The accounts the form's lookups point at (on forms that follow them): the contacts of
    /// each that opted out, or why its people could not be checked (an account may be listed
    /// more than once, a failure each). (An account's own flag and its primary contact are read
    /// one by one as `related`.)
    pub linked_accounts: Vec<LinkedAccount>,
    pub settings_valid: bool,
}

/// An account a lookup on the form points at, and what checking its people gave.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkedAccount {
    /// The account's name, for the user.
    pub name: String,
    /// The names of its contacts that opted out, or why its people (its contacts, its primary
    /// contact) could not be checked.
    pub opted_out: Result<Vec<String>, FlagRead>,
}

impl LinkedAccount {
    /// Read `{ name, optedOut: string[] } | { name, unread: ReadOutcome }`.
    fn read(input: Input) -> Result<LinkedAccount, InputError> {
        let fields = input.object(&["name", "optedOut", "unread"])?;
        let name = fields.required_str("name")?.to_string();
        let opted_out = match fields.optional("unread") {
            Some(unread) => Err(FlagRead::read(unread)?),
            None => Ok(fields
                .required("optedOut")?
                .array(|name| name.str().map(str::to_string))?),
        };
        Ok(LinkedAccount { name, opted_out })
    }
}

impl Facts {
    /// Read `{ own?, ownOnForm?, related, accountContacts?, stakeholders?, linkedAccounts?,
    /// settingsValid }`.
    pub fn read(input: Input) -> Result<Facts, InputError> {
        let fields = input.object(&[
            "own",
            "ownOnForm",
            "related",
            "accountContacts",
            "stakeholders",
            "linkedAccounts",
            "settingsValid",
        ])?;
        let read = |name| match fields.optional(name) {
            Some(v) if !v.is_null() => FlagRead::read(v).map(Some),
            _ => Ok(None),
        };
        let related = |item: Input| {
            let related = item.object(&["name", "read"])?;
            let name = related.required_str("name")?.to_string();
            Ok(Related {
                name,
                read: related.required("read").and_then(FlagRead::read)?,
            })
        };
        let own_on_form = fields
            .optional("ownOnForm")
            .map(|v| (!v.is_null()).then(|| v.bool()).transpose());
        Ok(Facts {
            own: read("own")?,
            own_on_form: own_on_form.transpose()?,
            related: fields.required("related")?.array(related)?,
            account_contacts: read("accountContacts")?,
            stakeholders: read("stakeholders")?,
            linked_accounts: fields
                .optional("linkedAccounts")
                .map(|v| v.array(LinkedAccount::read))
                .transpose()?
                .unwrap_or_default(),
            settings_valid: fields.required("settingsValid")?.bool()?,
        })
    }
}

/// The decision for the email-data controls, with what to tell the user.
#[derive(Clone, Debug, PartialEq)]
pub struct EmailDataDecision {
    pub hide: bool,
    pub cause: Option<&'static str>,
    /// `INFO` for a known opt-out, `WARNING` when something could not be checked.
    pub level: Option<&'static str>,
    pub message: Option<String>,
    /// Whether relationship analytics on the record's own data must be hidden: its own opt-out
    /// is set or unknown, or the settings are invalid. (A related record's opt-out hides email
    /// data, not the analytics of this record.)
    pub hide_analytics: bool,
}

/// Decide whether the form shows auto-captured email data.
pub fn decide_email_data(facts: &Facts, language: Language) -> EmailDataDecision {
    // The saved flag and the one on the form both count: ticking it hides at once, and
    // unticking it shows the data only once the save has gone through.
    let own = match (&facts.own, facts.own_on_form) {
        (_, Some(Some(true))) => FlagRead::Value(Some(true)),
        (Some(read), _) => read.clone(),
        (None, _) => FlagRead::Value(None),
    };
    let mut others: Vec<(&str, &FlagRead)> = facts
        .related
        .iter()
        .map(|r| (r.name.as_str(), &r.read))
        .collect();
    let account_contacts = text(MessageId::UnknownAccountContacts, language);
    if let Some(read) = &facts.account_contacts {
        others.push((account_contacts, read));
    }
    let stakeholders = text(MessageId::UnknownStakeholders, language);
    if let Some(read) = &facts.stakeholders {
        others.push((stakeholders, read));
    }
    // A linked account's opted-out contacts by name; its contacts as a whole when unchecked.
    let opted_out = FlagRead::Value(Some(true));
    let unlisted: Vec<(String, &FlagRead)> = facts
        .linked_accounts
        .iter()
        .filter_map(|account| match &account.opted_out {
            Err(why) => Some((
                fill(MessageId::UnknownContactsOf, language, &[&account.name]),
                why,
            )),
            Ok(_) => None,
        })
        .collect();
    for account in &facts.linked_accounts {
        if let Ok(names) = &account.opted_out {
            others.extend(names.iter().map(|name| (name.as_str(), &opted_out)));
        }
    }
    others.extend(unlisted.iter().map(|(name, why)| (name.as_str(), *why)));
    let states: Vec<OptOutState> = others.iter().map(|(_, read)| read.state()).collect();
    let visibility = decide_visibility(own.state(), &states);

    let (cause, level, message) = match visibility.cause {
        Some(HideCause::OwnOptOut) => (
            "OwnOptOut",
            "INFO",
            text(MessageId::HiddenOwnOptOut, language).to_string(),
        ),
        Some(HideCause::RelatedOptOut) => {
            let names = names_where(&others, |read| read.state() == OptOutState::OptedOut);
            (
                "RelatedOptOut",
                "INFO",
                fill(MessageId::HiddenRelatedOptOut, language, &[&names]),
            )
        }
        Some(HideCause::Unknown) => {
            let this_record = text(MessageId::UnknownThisRecord, language);
            let mut unknown: Vec<(&str, &FlagRead)> = Vec::new();
            if own.state() == OptOutState::Unknown {
                unknown.push((this_record, &own));
            }
            unknown.extend(
                others
                    .iter()
                    .filter(|(_, read)| read.state() == OptOutState::Unknown)
                    .copied(),
            );
            let which = names_where(&unknown, |_| true);
            let reasons: Vec<(&str, String)> = unknown
                .iter()
                .filter_map(|(name, read)| match read {
                    FlagRead::Unknown(why) => Some((*name, why.reason(language))),
                    _ => None,
                })
                .collect();
            // One reason for all, or each with the ones it is about.
            let first = reasons
                .first()
                .map(|(_, why)| why.clone())
                .unwrap_or_default();
            let reason = if reasons.iter().all(|(_, why)| *why == first) {
                first
            } else {
                let each: Vec<String> = reasons
                    .iter()
                    .map(|(name, why)| build_text!(*name, ": ", why.as_str()))
                    .collect();
                crate::text::join(&each, "; ")
            };
            (
                "Unknown",
                "WARNING",
                fill(MessageId::HiddenUnknown, language, &[&which, &reason]),
            )
        }
        None if !facts.settings_valid => {
            // The settings' own notification says why; hiding needs no second message.
            return EmailDataDecision {
                hide: true,
                cause: Some("SettingsInvalid"),
                level: None,
                message: None,
                hide_analytics: true,
            };
        }
        None => {
            return EmailDataDecision {
                hide: false,
                cause: None,
                level: None,
                message: None,
                hide_analytics: false,
            }
        }
    };
    let own_state = own.state();
    EmailDataDecision {
        hide: true,
        cause: Some(cause),
        level: Some(level),
        message: Some(message),
        hide_analytics: matches!(own_state, OptOutState::OptedOut | OptOutState::Unknown)
            || !facts.settings_valid,
    }
}

fn names_where(records: &[(&str, &FlagRead)], keep: impl Fn(&FlagRead) -> bool) -> String {
    let mut names: Vec<&str> = Vec::new();
    for (name, read) in records {
        if keep(read) && !names.contains(name) {
            names.push(name);
        }
    }
    crate::text::join(&names, ", ")
}

/// The notification that says why email data is hidden.
pub const EMAIL_DATA: &str = "consentguard.emaildata";

impl EmailDataDecision {
    /// The decision as the form script reads it: `{ hide, hideAnalytics, notification }`.
    pub fn to_value(&self) -> Value {
        let level = match self.level {
            Some("WARNING") => Level::Warning,
            _ => Level::Info,
        };
        let notification = Notification::show_or_clear(EMAIL_DATA, level, self.message.clone());
        Value::object([
            ("hide", self.hide.into()),
            ("hideAnalytics", self.hide_analytics.into()),
            ("notification", notification.to_value()),
        ])
    }
}
