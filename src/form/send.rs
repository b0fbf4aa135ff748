//! The Send guard of an Email form: Send to a Contact or Lead with Do Not Email, GDPR Optout,
//! no required consent, or who could not be checked, asks first, naming each recipient.

use crate::consent::{parse_rule, unify_consent, ConsentRecord, RuleError};
use crate::form::action::{Action, Decision, Dialog};
use crate::form::confirmation::{Command, Confirmation, Reason};
use crate::form::optout::{FlagRead, Unknown};
use crate::messages::{fill, text, Language, MessageId};
use crate::prelude::*;
use crate::save::SAVE_MODE_SEND;
use crate::text::build_text;
use crate::value::{Input, InputError};

/// One recipient of an email and what is known of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipient {
    pub name: String,
    pub donotemail: bool,
    pub opted_out: bool,
    /// Their consent records, when a required consent is configured.
    pub consents: Option<Vec<ConsentRecord>>,
    /// Why they could not be checked, if they could not.
    pub unknown: Option<Unknown>,
}

impl Recipient {
    fn read(input: Input) -> Result<Recipient, InputError> {
        let fields = input.object(&["name", "donotemail", "optOut", "consents", "unknown"])?;
        let opt_out = fields.optional("optOut").map(FlagRead::read).transpose()?;
        // Why they could not be checked: said outright, or the opt-out read failed. (An org
        // without the column has no opt-out to honour.)
        let unknown = match fields
            .optional("unknown")
            .map(unknown_of)
            .transpose()?
            .flatten()
        {
            Some(why) => Some(why),
            None => opt_out.as_ref().and_then(FlagRead::unknown).cloned(),
        };
        Ok(Recipient {
            name: fields.required_str("name")?.to_string(),
            donotemail: fields.optional_bool("donotemail")? == Some(true),
            opted_out: opt_out == Some(FlagRead::Value(Some(true))),
            consents: fields
                .optional("consents")
                .map(|v| v.array(ConsentRecord::read))
                .transpose()?,
            unknown,
        })
    }
}

/// Why a read failed, from `{ timedOut } | { error, status? } | { missing }`; `None` when the
/// read did not fail.
pub fn unknown_of(input: Input) -> Result<Option<Unknown>, InputError> {
    Ok(FlagRead::read(input)?.unknown().cloned())
}

/// A Send to judge.
#[derive(Clone, Debug, PartialEq)]
pub struct SendFacts {
    pub save_mode: u32,
    /// `None` while the recipients are still being read.
    pub recipients: Option<Vec<Recipient>>,
    /// The segment rule every recipient should meet.
    pub required_consent: Option<String>,
}

impl SendFacts {
    /// Read `{ saveMode, recipients: [{ name, donotemail?, optOut?, consents?, unknown? }] | null,
    /// requiredConsent? }`, where `optOut` and `unknown` are reads as the form
    /// script saw them (`{ value } | { error, status? } | { timedOut } | { missing }`).
    pub fn read(input: Input) -> Result<SendFacts, InputError> {
        let fields = input.object(&["saveMode", "recipients", "requiredConsent"])?;
        let recipients = fields.required("recipients")?;
        Ok(SendFacts {
            save_mode: fields
                .required("saveMode")?
                .integer(0, i64::from(u32::MAX))? as u32,
            recipients: (!recipients.is_null())
                .then(|| recipients.array(Recipient::read))
                .transpose()?,
            required_consent: fields.optional_str("requiredConsent")?.map(str::to_string),
        })
    }
}

/// What to tell the user when a Send could not be judged and was held back.
pub fn send_not_judged(detail: &str, language: Language) -> String {
    fill(MessageId::SendNotJudged, language, &[detail])
}

/// Whether the person's consent records meet `rule` (a segment rule over their one profile).
pub fn meets(rule: &str, records: &[ConsentRecord]) -> Result<bool, RuleError> {
    let rule = parse_rule(rule)?;
    let profiles = unify_consent(records).unwrap_or_default();
    Ok(!rule.select(&profiles).is_empty())
}

/// Send asks first, with one line per recipient who has Do Not Email, is opted out, lacks the
/// required consent or could not be checked; it waits while they are being read. Other saves
/// of the email are not guarded.
///
/// # Errors
/// A required consent rule that does not parse.
pub fn advise_send(facts: &SendFacts, language: Language) -> Result<Action, RuleError> {
    if facts.save_mode != SAVE_MODE_SEND {
        return Ok(Action::for_save(
            facts.save_mode,
            Decision::Proceed,
            Vec::new(),
            language,
        ));
    }
    let Some(recipients) = &facts.recipients else {
        return Ok(Action::for_save(
            facts.save_mode,
            Decision::Wait,
            Vec::new(),
            language,
        ));
    };
    let mut lines = Vec::new();
    let mut reasons = Vec::new();
    let mut say = |code: &'static str, id: MessageId, args: &[&str]| {
        lines.push(fill(id, language, args));
        reasons.push(Reason::new(code, args));
    };
    for recipient in recipients {
        let name = recipient.name.as_str();
        if let Some(why) = &recipient.unknown {
            // Fail closed: a recipient who could not be checked is named too.
            let why = why.reason(language);
            say("RecipientUnknown", MessageId::SendUnknown, &[name, &why]);
        }
        if recipient.donotemail {
            say("RecipientDoNotEmail", MessageId::SendDoNotEmail, &[name]);
        }
        if recipient.opted_out {
            say("RecipientOptedOut", MessageId::SendOptedOut, &[name]);
        }
        if let (Some(rule), Some(records)) = (&facts.required_consent, &recipient.consents) {
            if !meets(rule, records)? {
                say(
                    "RecipientNoConsent",
                    MessageId::SendNoConsent,
                    &[name, rule],
                );
            }
        }
    }
    let decision = if lines.is_empty() {
        Decision::Proceed
    } else {
        let body = build_text!(
            text(MessageId::SendIntro, language),
            '\n',
            crate::text::join(&lines, "\n")
        );
        Decision::Ask(Dialog::new(
            MessageId::SendTitle,
            body,
            MessageId::SendConfirm,
            language,
        ))
    };
    let asks = matches!(decision, Decision::Ask(_));
    let action = Action::for_save(facts.save_mode, decision, Vec::new(), language);
    Ok(if asks {
        action.recorded_as(Confirmation {
            command: Command::Send,
            reasons,
        })
    } else {
        action
    })
}
