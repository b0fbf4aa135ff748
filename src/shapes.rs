//! Every shape that crosses the boundary and every call, declared once.
//!
//! The TypeScript declarations of the package (the public types of the API and the form
//! script's own) are generated from these tables at build time (`examples/typescript.rs`), and
//! the tests check every answer the module gives against them, so the two sides cannot drift.
//! Nothing here ends up in the WebAssembly module: only the generator and the tests use it.

use crate::prelude::*;
use crate::value::Value;

/// A type, in the few forms the API needs.
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    Bool,
    /// A whole number.
    Int,
    Str,
    Null,
    /// Anything: the module reads it itself (the settings a form designer typed).
    Unknown,
    /// Only `true` (a flag that is given only when set).
    True,
    /// One exact text.
    Lit(&'static str),
    OneOf(&'static [Ty]),
    Array(&'static Ty),
    /// An object whose property names are data (`{ [option: string]: T }`).
    Map(&'static str, &'static Ty),
    /// A shape declared in [`SHAPES`] by this name.
    Ref(&'static str),
    Object(&'static [Field]),
}

/// A property of an object type.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// May be left out.
    pub optional: bool,
    pub doc: &'static str,
}

/// A named shape.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub name: &'static str,
    pub doc: &'static str,
    pub ty: Ty,
    /// Part of the package's public API (`../shared/CONTRACT.md`); else the form script's own.
    pub public: bool,
}

/// A call of [`crate::calls::call`]: its input and its answer.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    pub name: &'static str,
    pub doc: &'static str,
    /// For a public function, an object of its parameters by name.
    pub input: Ty,
    pub output: Ty,
    pub public: bool,
}

const fn field(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        optional: false,
        doc,
    }
}

const fn optional(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        optional: true,
        doc,
    }
}

const fn shape(name: &'static str, doc: &'static str, ty: Ty) -> Shape {
    Shape {
        name,
        doc,
        ty,
        public: true,
    }
}

const fn internal(name: &'static str, doc: &'static str, ty: Ty) -> Shape {
    Shape {
        name,
        doc,
        ty,
        public: false,
    }
}

const STR_OR_NULL: Ty = Ty::OneOf(&[Ty::Str, Ty::Null]);
const BOOL_OR_NULL: Ty = Ty::OneOf(&[Ty::Bool, Ty::Null]);
const INT_OR_NULL: Ty = Ty::OneOf(&[Ty::Int, Ty::Null]);
const STRINGS: Ty = Ty::Array(&Ty::Str);

/// Every named shape, public ones first.
pub const SHAPES: &[Shape] = &[
    shape(
        "RecordState",
        "The columns the connector reads. In `after`, an absent field is unchanged from `before`; null is cleared.",
        Ty::Object(&[
            optional("email", STR_OR_NULL, "The email the connector syncs (by default `emailaddress1`)."),
            optional("donotemail", BOOL_OR_NULL, "Do Not Email (`donotemail`)."),
            optional("donotbulkemail", BOOL_OR_NULL, "Do Not Bulk Email (`donotbulkemail`)."),
            optional("statecode", INT_OR_NULL, "`statecode`: 0 active (open, for a lead)."),
        ]),
    ),
    shape(
        "SaveRequest",
        "One save to judge.",
        Ty::Object(&[
            field("entity", Ty::Str, "Logical name: \"contact\", \"lead\", \"account\", … (case-insensitive)."),
            field("saveMode", Ty::Int, "D365 save mode: 1 Save, 2 Save and Close, 5 Deactivate, 6 Reactivate, 15 Disqualify, 16 Qualify, 59 Save and New, 70 AutoSave, …"),
            field("before", Ty::OneOf(&[Ty::Ref("RecordState"), Ty::Null]), "The last saved values; null for a record not yet created."),
            field("after", Ty::Ref("RecordState"), "What the save would persist (the form's current values)."),
            optional("settings", Ty::OneOf(&[Ty::Object(&[optional("anonymizeWhenInactive", Ty::Bool, "")]), Ty::Null]), "The connector's settings that change the verdict."),
            optional("languageId", INT_OR_NULL, "LCID of the messages (1033 English, 1043 Dutch, 1031 German, 1036 French); English by default."),
        ]),
    ),
    shape(
        "ReasonCode",
        "Why a save matters to the connector.",
        Ty::OneOf(&[Ty::Lit("DoNotEmail"), Ty::Lit("NoValidEmail"), Ty::Lit("Inactive"), Ty::Lit("BulkEmailOptOut")]),
    ),
    shape(
        "NoticeCode",
        "Information about the Spotler contact; never asks for confirmation.",
        Ty::OneOf(&[Ty::Lit("Recreate"), Ty::Lit("StaysAnonymized")]),
    ),
    shape(
        "SaveVerdict",
        "What the form should do with a save.",
        Ty::Object(&[
            field("anonymize", Ty::Bool, "The connector would anonymize the contact after this save."),
            field("resetPermissions", Ty::Bool, "The connector would reset all permissions to false."),
            field("prompt", Ty::Bool, "A user-started save that needs the confirm dialog."),
            field("block", Ty::Bool, "An AutoSave that must be cancelled."),
            field("reasons", Ty::Array(&Ty::Object(&[field("code", Ty::Ref("ReasonCode"), ""), field("message", Ty::Str, "")])), "Why the save matters, in the request's language."),
            field("notices", Ty::Array(&Ty::Object(&[field("code", Ty::Ref("NoticeCode"), ""), field("message", Ty::Str, "")])), "What the user should know, in the request's language."),
        ]),
    ),
    shape(
        "AnonymizeOutcome",
        "What the HTTP status of an \"Anonymize Contact\" Spotler Job means.",
        Ty::OneOf(&[Ty::Lit("anonymized"), Ty::Lit("alreadyAnonymized"), Ty::Lit("failed")]),
    ),
    shape(
        "ConsentRecord",
        "One consent as a source holds it.",
        Ty::Object(&[
            optional("consentId", STR_OR_NULL, "Primary key: a later record with the same ID updates the consent."),
            field("key", Ty::Str, "Email or phone number the profile is unified on."),
            field("option", Ty::Str, "The type of consent, e.g. \"Newsletter\"."),
            field("value", Ty::Bool, "Whether consent is given (true) or withdrawn (false)."),
            optional("date", STR_OR_NULL, "ISO 8601 date or date-time."),
        ]),
    ),
    shape(
        "Consent",
        "The current consent for one option.",
        Ty::Object(&[
            field("value", Ty::Bool, "Whether consent is given (true) or withdrawn (false)."),
            optional("date", STR_OR_NULL, "The current record's date, as the source wrote it."),
            optional("consentId", STR_OR_NULL, "The current record's Consent ID."),
        ]),
    ),
    shape(
        "ConsentProfile",
        "A unified profile: one key and its current consent per option.",
        Ty::Object(&[
            field("key", Ty::Str, "The normalized email or phone number."),
            field("consents", Ty::Map("option", &Ty::Ref("Consent")), "Per option, as its current record spells it, the current consent."),
        ]),
    ),
    shape(
        "CsvRowError",
        "A consent table row that was left out: a value that breaks its column's rule (an `Email` that is not an email address, a `Phone` that is not a phone number, a bad value or date), a row of only empty fields, a wrong number of fields or broken quoting. Only lines with no text at all, or nothing but spaces, are skipped without a word.",
        Ty::Object(&[
            field("line", Ty::Int, "1-based line where the row starts; the header is line 1."),
            field("message", Ty::Str, "What is wrong, naming the column (in English: a file's errors are for the person cleaning it)."),
        ]),
    ),
    shape(
        "ParsedConsentCsv",
        "The result of reading a consent table. Quoted fields keep their exact text, unquoted ones are trimmed; keys are normalized (emails lowercased, phone numbers without spaces, dashes, dots and parentheses).",
        Ty::Object(&[
            field("records", Ty::Array(&Ty::Ref("ConsentRecord")), "The rows read, in order."),
            field("errors", Ty::Array(&Ty::Ref("CsvRowError")), "The rows left out, in order."),
        ]),
    ),
    shape(
        "CsvSegment",
        "The members of a segment of a consent table.",
        Ty::Object(&[
            field("keys", STRINGS, "Keys of the matching profiles, in the order their keys first appear."),
            field("errors", Ty::Array(&Ty::Ref("CsvRowError")), "Rows that were left out."),
            field("profiles", Ty::Int, "How many unified profiles the rule was applied to."),
        ]),
    ),
    shape(
        "Settings",
        "The settings of `onLoad`, given as an object or as JSON text in the form designer's parameter box. Every key is optional.",
        Ty::Object(&[
            optional("anonymizeWhenInactive", Ty::Bool, "The connector's \"Anonymize Contact When Inactive\": deactivating or qualifying also asks."),
            optional("emailDataControls", STRINGS, "Names of the controls that show auto-captured email data (the timeline by default)."),
            optional("relatedLookups", STRINGS, "Lookup columns to Contacts or Leads whose opt-out hides the data on this form; all of the form's lookups to them by default."),
            optional("emailAttribute", Ty::Str, "The email column the connector syncs (`emailaddress1` by default)."),
            optional("languageId", Ty::Int, "LCID of the messages; the user's language by default."),
            optional("relationshipAnalyticsControls", STRINGS, "Controls of relationship analytics, hidden with the email data."),
            optional("spotlerJob", Ty::Object(&[
                field("entity", Ty::Str, "Logical name of the Spotler Job table."),
                field("operationAttribute", Ty::Str, "Its choice column of the job's operation."),
                field("anonymizeOperation", Ty::OneOf(&[Ty::Int, Ty::Str]), "The option value or label of \"Anonymize Contact\"."),
                field("resultAttribute", Ty::Str, "Its column of the HTTP status the job ended with."),
                field("customerAttribute", Ty::Str, "Its lookup to the contact the job is for."),
            ]), "The Spotler Job table, to guard jobs that anonymize."),
            optional("consentTable", Ty::Object(&[
                field("entity", Ty::Str, "Logical name of the consent table."),
                field("keyAttribute", Ty::Str, "Its column of the email a consent is for."),
                field("optionAttribute", Ty::Str, "Its column of the consent option."),
                field("valueAttribute", Ty::Str, "Its yes/no column of the consent value."),
                optional("dateAttribute", Ty::Str, "Its column of the consent date."),
                optional("idAttribute", Ty::Str, "Its column of the Consent ID."),
            ]), "The table of consent records, read by email."),
            optional("requiredConsent", Ty::Str, "A segment rule each recipient of an email should meet, e.g. `Consent option=Newsletter & Consent value=True`."),
            optional("recordConfirmations", Ty::Bool, "Write a note (annotation) on the record for every confirmation a user gives: who, when, which action, every reason."),
        ]),
    ),
    internal(
        "OrgSettingsRead",
        "The settings of the whole org, the JSON environment variable of the consent-guard solution, as the form script read it: its text (which the module parses), or why it could not be read (the Web API's error, or no answer in time).",
        Ty::OneOf(&[
            Ty::Object(&[field("variable", Ty::Str, "Its schema name."), field("text", Ty::Str, "Its text, which the module parses (blank: no settings).")]),
            Ty::Object(&[field("variable", Ty::Str, ""), field("error", Ty::Str, ""), optional("status", Ty::Int, "")]),
            Ty::Object(&[field("variable", Ty::Str, ""), field("timedOut", Ty::True, "")]),
        ]),
    ),
    internal(
        "NotificationLevel",
        "The level of a form notification.",
        Ty::OneOf(&[Ty::Lit("ERROR"), Ty::Lit("WARNING"), Ty::Lit("INFO")]),
    ),
    internal(
        "NotificationChange",
        "Show a form notification, or clear it (`message` null).",
        Ty::Object(&[
            field("id", Ty::Str, ""),
            field("level", Ty::Ref("NotificationLevel"), ""),
            field("message", STR_OR_NULL, ""),
        ]),
    ),
    internal(
        "DialogStrings",
        "The confirm dialog's texts, as `Xrm.Navigation.openConfirmDialog` takes them.",
        Ty::Object(&[
            field("title", Ty::Str, ""),
            field("text", Ty::Str, ""),
            field("confirmButtonLabel", Ty::Str, ""),
            field("cancelButtonLabel", Ty::Str, ""),
        ]),
    ),
    internal(
        "Action",
        "The module's answer for one guarded moment: what the executor does with the user's command.",
        Ty::Object(&[
            field("kind", Ty::OneOf(&[Ty::Lit("proceed"), Ty::Lit("block"), Ty::Lit("ask"), Ty::Lit("wait")]), "Let the command go ahead, cancel it silently, cancel it and ask, or hold it until the facts are read."),
            field("notifications", Ty::Array(&Ty::Ref("NotificationChange")), ""),
            field("dialog", Ty::OneOf(&[Ty::Ref("DialogStrings"), Ty::Null]), ""),
            field("replay", Ty::Bool, "Once confirmed: carry out the command again (true), or let the user's repeat pass (false)."),
            field("afterReplay", Ty::OneOf(&[Ty::Lit("stay"), Ty::Lit("close"), Ty::Lit("openNew")]), "What the platform does after a replayed save."),
            field("confirmedNotice", Ty::OneOf(&[Ty::Ref("NotificationChange"), Ty::Null]), "Shown when the user must repeat the command; cleared when they do."),
            field("heldNotice", Ty::OneOf(&[Ty::Ref("NotificationChange"), Ty::Null]), "Shown instead when the command went ahead unasked but was held while its facts were read, so the user must repeat it."),
            field("record", Ty::OneOf(&[Ty::Ref("Confirmation"), Ty::Null]), "What a confirmation confirms, for the note that records it (with `recordConfirmations`)."),
        ]),
    ),
    internal(
        "Confirmation",
        "What a user is asked to confirm: the command and every reason, as a code and the values its text names.",
        Ty::Object(&[
            field("command", Ty::OneOf(&[Ty::Lit("save"), Ty::Lit("deactivate"), Ty::Lit("activate"), Ty::Lit("assign"), Ty::Lit("markComplete"), Ty::Lit("qualify"), Ty::Lit("disqualify"), Ty::Lit("delete"), Ty::Lit("send"), Ty::Lit("spotlerJob")]), ""),
            field("reasons", Ty::Array(&Ty::Object(&[field("code", Ty::Str, ""), field("args", STRINGS, "")])), ""),
        ]),
    ),
    internal(
        "FormPlan",
        "Which guards a form gets and which columns they read.",
        Ty::Object(&[
            field("role", Ty::OneOf(&[Ty::Lit("record"), Ty::Lit("spotlerJob"), Ty::Lit("email")]), ""),
            field("optOutColumn", Ty::Str, ""),
            field("ownOptOut", Ty::Bool, "The entity carries the opt-out column."),
            field("person", Ty::Bool, "A Contact or Lead."),
            field("accountContacts", Ty::OneOf(&[Ty::Object(&[field("entity", Ty::Str, ""), field("key", Ty::Str, ""), field("parentColumn", Ty::Str, "")]), Ty::Null]), "On an Account: its contacts, whose opt-out counts (their table, key and lookup to the account)."),
            field("stakeholders", Ty::OneOf(&[Ty::Object(&[field("entity", Ty::Str, ""), field("objectTypeCode", Ty::Int, "")]), Ty::Null]), "On an Opportunity: its stakeholders, connected records of this type, whose opt-out counts."),
            field("linkedAccounts", Ty::OneOf(&[Ty::Object(&[
                field("entity", Ty::Str, ""),
                field("key", Ty::Str, ""),
                field("primaryContactColumn", Ty::Str, ""),
                field("contacts", Ty::Object(&[field("entity", Ty::Str, ""), field("key", Ty::Str, ""), field("parentColumn", Ty::Str, ""), field("nameColumn", Ty::Str, "")]), ""),
            ]), Ty::Null]), "On other entities' forms: accounts the lookups point at, whose own flag, primary contact and contacts count."),
            field("ruleLookups", Ty::Array(&Ty::Object(&[field("attribute", Ty::Str, ""), field("entity", Ty::Str, "")])), "The lookups the rules name for this table (an Account's primary contact, an Opportunity's contact): checked whatever `relatedLookups` says, and read as saved when they are not on the form."),
            field("people", Ty::Array(&Ty::Object(&[field("entity", Ty::Str, ""), field("key", Ty::Str, "")])), "Whose opt-out counts on related forms and as recipients, with their primary keys."),
            field("saveColumns", Ty::Object(&[field("email", Ty::Str, ""), field("donotemail", Ty::Str, ""), field("donotbulkemail", Ty::Str, ""), field("statecode", Ty::Str, "")]), ""),
            field("recipientColumns", Ty::Object(&[field("email", Ty::Str, ""), field("donotemail", Ty::Str, "")]), ""),
        ]),
    ),
    internal(
        "EffectiveSettings",
        "The settings in force, as the rules module returns them.",
        Ty::Object(&[
            field("valid", Ty::Bool, ""),
            field("anonymizeWhenInactive", Ty::Bool, ""),
            field("emailDataControls", STRINGS, ""),
            field("relatedLookups", Ty::OneOf(&[STRINGS, Ty::Null]), ""),
            field("languageId", Ty::Int, ""),
            field("relationshipAnalyticsControls", STRINGS, ""),
            field("spotlerJob", Ty::OneOf(&[Ty::Object(&[
                field("operationAttribute", Ty::Str, ""),
                field("anonymizeOperation", Ty::OneOf(&[Ty::Int, Ty::Str]), ""),
                field("resultAttribute", Ty::Str, ""),
                field("customerAttribute", Ty::Str, ""),
            ]), Ty::Null]), ""),
            field("consentTable", Ty::OneOf(&[Ty::Object(&[
                field("entity", Ty::Str, ""),
                field("keyAttribute", Ty::Str, ""),
                field("optionAttribute", Ty::Str, ""),
                field("valueAttribute", Ty::Str, ""),
                field("dateAttribute", STR_OR_NULL, ""),
                field("idAttribute", STR_OR_NULL, ""),
            ]), Ty::Null]), ""),
            field("requiredConsent", STR_OR_NULL, ""),
            field("recordConfirmations", Ty::Bool, "Write a note on the record for every confirmation."),
            field("message", STR_OR_NULL, "Why the settings are invalid, in the user's language; null when they are valid."),
            field("form", Ty::Ref("FormPlan"), ""),
        ]),
    ),
    internal(
        "ReadOutcome",
        "A read as the form script saw it: a value, a failure with the platform's text (and HTTP status), no answer in time, no such column or record, or an answer without the flag or list it should hold.",
        Ty::OneOf(&[
            Ty::Object(&[field("value", BOOL_OR_NULL, "")]),
            Ty::Object(&[field("error", Ty::Str, ""), optional("status", Ty::Int, "")]),
            Ty::Object(&[field("timedOut", Ty::True, "")]),
            Ty::Object(&[field("missing", Ty::True, "")]),
            Ty::Object(&[
                field("malformed", Ty::Lit("flag"), "The record came back without a true, false or null in `column`."),
                field("column", Ty::Str, ""),
                optional("found", Ty::Str, "JavaScript's name of the type the answer holds there (`typeof`); absent when the column is left out."),
            ]),
            Ty::Object(&[field("malformed", Ty::Lit("list"), "A list of records came back without its `entities`.")]),
        ]),
    ),
    internal(
        "OptOutFacts",
        "The opt-out facts of a form: its own flag (read or on the form), the related people's, and why a list could not be read.",
        Ty::Object(&[
            optional("own", Ty::OneOf(&[Ty::Ref("ReadOutcome"), Ty::Null]), "The record's own flag, read from the Web API."),
            optional("ownOnForm", BOOL_OR_NULL, "The record's own flag, as the form holds it."),
            field("related", Ty::Array(&Ty::Object(&[field("name", Ty::Str, ""), field("read", Ty::Ref("ReadOutcome"), "")])), "Each related person's flag, named for the user."),
            optional("accountContacts", Ty::OneOf(&[Ty::Ref("ReadOutcome"), Ty::Null]), "On an Account, why its contacts could not be listed."),
            optional("stakeholders", Ty::OneOf(&[Ty::Ref("ReadOutcome"), Ty::Null]), "On an Opportunity, why its stakeholders could not be listed."),
            optional("linkedAccounts", Ty::Array(&Ty::OneOf(&[
                Ty::Object(&[field("name", Ty::Str, ""), field("optedOut", STRINGS, "The names of its contacts that opted out.")]),
                Ty::Object(&[field("name", Ty::Str, ""), field("unread", Ty::Ref("ReadOutcome"), "Why its people (its contacts, its primary contact) could not be checked.")]),
            ])), "The accounts the lookups point at, on forms that follow them."),
            field("settingsValid", Ty::Bool, ""),
        ]),
    ),
    internal(
        "EmailDataDecision",
        "What the opt-out facts mean for the email-data controls.",
        Ty::Object(&[
            field("hide", Ty::Bool, ""),
            field("hideAnalytics", Ty::Bool, ""),
            field("notification", Ty::Ref("NotificationChange"), ""),
        ]),
    ),
    internal(
        "JobFacts",
        "A Spotler Job as the form holds it; an operation is its option value and its label.",
        Ty::Object(&[
            optional("saveMode", Ty::Int, ""),
            optional("saved", Ty::Bool, "Whether the job exists: its saved operation is known."),
            optional("savedOperation", INT_OR_NULL, ""),
            optional("savedOperationText", STR_OR_NULL, ""),
            optional("operation", INT_OR_NULL, ""),
            optional("operationText", STR_OR_NULL, ""),
            field("anonymizeOperation", Ty::OneOf(&[Ty::Int, Ty::Str]), ""),
            field("customer", Ty::Str, ""),
            optional("status", INT_OR_NULL, ""),
        ]),
    ),
    internal(
        "RecipientFacts",
        "One recipient of an email being sent.",
        Ty::Object(&[
            field("name", Ty::Str, ""),
            optional("donotemail", BOOL_OR_NULL, ""),
            optional("optOut", Ty::Ref("ReadOutcome"), "The GDPR Optout read as it happened; the module tells a missing column from a failure."),
            optional("consents", Ty::Array(&Ty::Ref("ConsentRecord")), ""),
            optional("unknown", Ty::Ref("ReadOutcome"), "Why they could not be checked: the module words it."),
        ]),
    ),
    internal(
        "SendFacts",
        "A Send to judge; `recipients` is null while they are being read.",
        Ty::Object(&[
            field("saveMode", Ty::Int, ""),
            field("recipients", Ty::OneOf(&[Ty::Array(&Ty::Ref("RecipientFacts")), Ty::Null]), ""),
            optional("requiredConsent", STR_OR_NULL, ""),
        ]),
    ),
    internal(
        "CodedText",
        "A code and its text.",
        Ty::Object(&[field("code", Ty::Str, ""), field("message", Ty::Str, "")]),
    ),
];

const TEXT: Ty = Ty::Object(&[field("text", Ty::Str, "")]);
const NOTIFICATIONS: Ty = Ty::Array(&Ty::Ref("NotificationChange"));

const fn public(name: &'static str, doc: &'static str, input: Ty, output: Ty) -> Operation {
    Operation {
        name,
        doc,
        input,
        output,
        public: true,
    }
}

const fn form(name: &'static str, doc: &'static str, input: Ty, output: Ty) -> Operation {
    Operation {
        name,
        doc,
        input,
        output,
        public: false,
    }
}

/// Every operation of [`crate::calls::call`].
pub const OPERATIONS: &[Operation] = &[
    public("evaluateSave", "Judge a save.", Ty::Object(&[field("request", Ty::Ref("SaveRequest"), "")]), Ty::Ref("SaveVerdict")),
    public("isValidEmail", "Whether an email address is valid for the connector.", TEXT, Ty::Bool),
    public("interpretAnonymizeResponse", "What the HTTP status of an \"Anonymize Contact\" job means.", Ty::Object(&[field("status", Ty::Int, "")]), Ty::Ref("AnonymizeOutcome")),
    public("parseConsentCsv", "Read a consent table.", TEXT, Ty::Ref("ParsedConsentCsv")),
    public("unifyConsent", "Unify consent records into one profile per key.", Ty::Object(&[field("records", Ty::Array(&Ty::Ref("ConsentRecord")), "")]), Ty::Array(&Ty::Ref("ConsentProfile"))),
    public("evaluateSegment", "Keys of the profiles a segment rule selects.", Ty::Object(&[field("rule", Ty::Str, ""), field("profiles", Ty::Array(&Ty::Ref("ConsentProfile")), "")]), STRINGS),
    public("evaluateSegmentCsv", "Parse, unify and select in one call.", Ty::Object(&[field("rule", Ty::Str, ""), field("text", Ty::Str, "")]), Ty::Ref("CsvSegment")),
    form("readFormSettings", "The settings given to `onLoad`, checked, with the form's plan; the language is the user's.", Ty::Object(&[optional("settings", Ty::Unknown, "The settings as given: an object, or JSON text, which the module parses."), field("entity", Ty::Str, ""), optional("org", Ty::OneOf(&[Ty::Ref("OrgSettingsRead"), Ty::Null]), "The org's settings (the solution's environment variable); null or absent for an org without it."), optional("attributes", Ty::Map("name", &Ty::Str), "The form's attributes and their types (`getAttributeType()`): the names the settings give are checked against them."), optional("moreParameters", Ty::Array(&Ty::Unknown), "The parameters the handler got after the settings (the parameter box's further comma-separated values): one object was meant.")]), Ty::Ref("EffectiveSettings")),
    form("decideEmailData", "Whether the email data is hidden, and what to tell the user.", Ty::Ref("OptOutFacts"), Ty::Ref("EmailDataDecision")),
    form("adviseSave", "What to do with a save of a record.", Ty::Ref("SaveRequest"), Ty::Ref("Action")),
    form("adviseJobSave", "What to do with a save of a Spotler Job.", Ty::Ref("JobFacts"), Ty::Ref("Action")),
    form("describeJobResult", "What a Spotler Job's recorded result means for the user.", Ty::Ref("JobFacts"), Ty::Ref("NotificationChange")),
    form("adviseSend", "What to do with a Send.", Ty::Ref("SendFacts"), Ty::Ref("Action")),
    form("adviseDelete", "What to do with a Delete of the records named.", STRINGS, Ty::Ref("Action")),
    form("deleteFailed", "The text of a failed Delete.", Ty::Object(&[field("name", Ty::Str, ""), field("error", Ty::Str, "")]), Ty::Str),
    form("deleteWrongControl", "The text when a grid's Delete command passes the form instead of the grid.", Ty::Null, Ty::Str),
    form("summarizeConsent", "The notifications about a person's consent records.", Ty::Object(&[field("records", Ty::Array(&Ty::Ref("ConsentRecord")), ""), optional("requiredConsent", STR_OR_NULL, "")]), NOTIFICATIONS),
    form("consentUnreadable", "The notifications when the consent records could not be read.", Ty::Ref("ReadOutcome"), NOTIFICATIONS),
    form("entityKind", "The kind of an entity on the compact save wire.", Ty::Str, Ty::Int),
    form("saveTexts", "The reasons' and notices' texts in the language, for the compact save wire.", Ty::Null, Ty::Object(&[field("reasons", Ty::Array(&Ty::Ref("CodedText")), ""), field("notices", Ty::Array(&Ty::Ref("CodedText")), "")])),
    form("faultText", "The text of a fault: about a held-back save, a held-back Send, a note that could not be written, or the form in general.", Ty::Object(&[field("detail", Ty::Str, ""), field("kind", Ty::OneOf(&[Ty::Lit("save"), Ty::Lit("send"), Ty::Lit("note"), Ty::Lit("form")]), "")]), Ty::Str),
    form("confirmationNote", "The note (annotation) that records a confirmation, in the language given (the org's base language).", Ty::Object(&[field("record", Ty::Ref("Confirmation"), ""), field("userName", Ty::Str, ""), field("userId", Ty::Str, ""), field("at", Ty::Str, "When, UTC, ISO 8601.")]), Ty::Object(&[field("subject", Ty::Str, ""), field("notetext", Ty::Str, "")])),
];

/// The shape named `name`.
pub fn shape_named(name: &str) -> Option<&'static Shape> {
    SHAPES.iter().find(|shape| shape.name == name)
}

/// Whether `value` has type `ty`; else where and why not. An object may not carry a property
/// its type does not declare.
pub fn check(value: &Value, ty: &Ty, path: &str) -> Result<(), String> {
    let wrong = || {
        Err(format!(
            "{path}: {} is not {}",
            value.describe(),
            typescript(ty)
        ))
    };
    match (ty, value) {
        (Ty::Unknown, _)
        | (Ty::Bool, Value::Bool(_))
        | (Ty::Str, Value::String(_))
        | (Ty::Null, Value::Null) => Ok(()),
        (Ty::Int, Value::Number(n)) if crate::value::is_whole(*n) => Ok(()),
        (Ty::True, Value::Bool(true)) => Ok(()),
        (Ty::Lit(text), Value::String(s)) if s == text => Ok(()),
        (Ty::OneOf(choices), _) => {
            if choices.iter().any(|c| check(value, c, path).is_ok()) {
                Ok(())
            } else {
                wrong()
            }
        }
        (Ty::Array(item), Value::Array(items)) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check(v, item, &format!("{path}[{i}]"))),
        (Ty::Map(_, item), Value::Object(fields)) => fields
            .iter()
            .try_for_each(|(name, v)| check(v, item, &format!("{path}.{name}"))),
        (Ty::Ref(name), _) => match shape_named(name) {
            Some(shape) => check(value, &shape.ty, path),
            None => Err(format!("{path}: no shape named {name}")),
        },
        (Ty::Object(declared), Value::Object(fields)) => {
            for (name, v) in fields {
                match declared.iter().find(|f| f.name == name) {
                    Some(f) => check(v, &f.ty, &format!("{path}.{name}"))?,
                    None => return Err(format!("{path}: `{name}` is not declared")),
                }
            }
            match declared
                .iter()
                .find(|f| !f.optional && !fields.iter().any(|(n, _)| n == f.name))
            {
                Some(missing) => Err(format!("{path}: `{}` is missing", missing.name)),
                None => Ok(()),
            }
        }
        _ => wrong(),
    }
}

/// `ty` in TypeScript.
pub fn typescript(ty: &Ty) -> String {
    typescript_at(ty, 0)
}

fn typescript_at(ty: &Ty, indent: usize) -> String {
    match ty {
        Ty::Bool => "boolean".into(),
        Ty::Int => "number".into(),
        Ty::Str => "string".into(),
        Ty::Null => "null".into(),
        Ty::Unknown => "unknown".into(),
        Ty::True => "true".into(),
        Ty::Lit(text) => format!("\"{text}\""),
        Ty::OneOf(choices) => choices
            .iter()
            .map(|c| typescript_at(c, indent))
            .collect::<Vec<_>>()
            .join(" | "),
        Ty::Array(item) => match item {
            Ty::OneOf(_) => format!("({})[]", typescript_at(item, indent)),
            _ => format!("{}[]", typescript_at(item, indent)),
        },
        Ty::Map(key, item) => format!("{{ [{key}: string]: {} }}", typescript_at(item, indent)),
        Ty::Ref(name) => (*name).into(),
        Ty::Object(fields) => {
            let pad = "  ".repeat(indent + 1);
            let mut out = String::from("{\n");
            for f in *fields {
                if !f.doc.is_empty() {
                    out.push_str(&format!("{pad}/** {} */\n", f.doc));
                }
                let mark = if f.optional { "?" } else { "" };
                let ty = typescript_at(&f.ty, indent + 1);
                out.push_str(&format!("{pad}{}{mark}: {ty};\n", f.name));
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
            out
        }
    }
}

/// The names of the shapes `ty` refers to, added to `out`.
fn references(ty: &Ty, out: &mut Vec<&'static str>) {
    match ty {
        Ty::Ref(name) if !out.contains(name) => out.push(name),
        Ty::OneOf(choices) => choices.iter().for_each(|c| references(c, out)),
        Ty::Array(item) | Ty::Map(_, item) => references(item, out),
        Ty::Object(fields) => fields.iter().for_each(|f| references(&f.ty, out)),
        _ => {}
    }
}

/// `/** doc */` above a declaration, when there is a doc.
fn doc_comment(doc: &str, out: &mut String) {
    if !doc.is_empty() {
        out.push_str(&format!("/** {doc} */\n"));
    }
}

fn declare(shape: &Shape, out: &mut String) {
    doc_comment(shape.doc, out);
    match shape.ty {
        Ty::Object(_) => out.push_str(&format!(
            "export interface {} {}\n\n",
            shape.name,
            typescript(&shape.ty)
        )),
        _ => out.push_str(&format!(
            "export type {} = {};\n\n",
            shape.name,
            typescript(&shape.ty)
        )),
    }
}

const GENERATED: &str =
    "// Generated from src/shapes.rs by `cargo run --example typescript`: do not edit.\n";

/// The TypeScript module of the public shapes (`public.ts`).
pub fn public_declarations() -> String {
    let mut out = format!(
        "{GENERATED}/**\n * The shapes of consent-guard's public API.\n * @module\n */\n\n"
    );
    for shape in SHAPES.iter().filter(|s| s.public) {
        declare(shape, &mut out);
    }
    out
}

/// The TypeScript module of the form script's shapes and of every operation's input and answer
/// (`internal.ts`), importing the public shapes from `./public`.
pub fn internal_declarations() -> String {
    let mut used = Vec::new();
    for shape in SHAPES.iter().filter(|s| !s.public) {
        references(&shape.ty, &mut used);
    }
    for op in OPERATIONS {
        references(&op.input, &mut used);
        references(&op.output, &mut used);
    }
    let public: Vec<&str> = SHAPES
        .iter()
        .filter(|s| s.public && used.contains(&s.name))
        .map(|s| s.name)
        .collect();
    let mut out = format!(
        "{GENERATED}/**\n * The shapes the form script exchanges with the rules module, and its operations.\n * @module\n */\n\nimport type {{ {} }} from \"./public\";\n\n",
        public.join(", ")
    );
    for shape in SHAPES.iter().filter(|s| !s.public) {
        declare(shape, &mut out);
    }
    out.push_str("/** Every operation of the rules module: its input and its answer. */\nexport interface Operations {\n");
    for op in OPERATIONS {
        out.push_str(&format!("  /** {} */\n", op.doc));
        out.push_str(&format!(
            "  {}: {{ input: {}; output: {} }};\n",
            op.name,
            typescript_at(&op.input, 1),
            typescript_at(&op.output, 1)
        ));
    }
    out.push_str("}\n");
    out
}
