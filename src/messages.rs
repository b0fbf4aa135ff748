//! Every text a person sees, in English, Dutch, German and French, chosen by LCID.
//!
//! Texts say what will happen, where, and whether it can be undone. Field labels follow the
//! user's language; the connector's own setting keeps its English name, as Spotler shows it.

use crate::prelude::*;
/// A language the texts exist in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    English,
    Dutch,
    German,
    French,
}

impl Language {
    /// The language for a Windows LCID; any regional variant counts (2067 nl-BE is Dutch,
    /// 3084 fr-CA French), and every other LCID falls back to English.
    pub fn from_lcid(lcid: u32) -> Language {
        // The low ten bits of an LCID are the primary language identifier.
        match lcid & 0x3ff {
            0x13 => Language::Dutch,
            0x07 => Language::German,
            0x0c => Language::French,
            _ => Language::English,
        }
    }

    /// The language for an optional LCID: English when none is given.
    pub fn from_optional_lcid(lcid: Option<u32>) -> Language {
        lcid.map_or(Language::English, Language::from_lcid)
    }

    fn index(self) -> usize {
        match self {
            Language::English => 0,
            Language::Dutch => 1,
            Language::German => 2,
            Language::French => 3,
        }
    }
}

/// The identity of a text; [`text`] gives it in a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageId {
    ReasonDoNotEmail,
    ReasonNoValidEmail,
    ReasonInactive,
    ReasonBulkEmailOptOut,
    NoticeRecreate,
    NoticeStaysAnonymized,
    DialogTitle,
    DialogConfirm,
    DialogCancel,
    AutoSaveBlocked,
    RepeatDeactivate,
    RepeatAssign,
    RepeatHeld,
    RepeatDisqualify,
    RepeatQualify,
    HiddenOwnOptOut,
    /// `{0}`: the names of the related records.
    HiddenRelatedOptOut,
    /// `{0}`: which records; `{1}`: why they could not be read.
    HiddenUnknown,
    UnknownThisRecord,
    UnknownAccountContacts,
    UnknownStakeholders,
    /// `{0}`: the account.
    UnknownContactsOf,
    ReasonNoAnswer,
    ReasonNoAccess,
    /// `{0}`: the column.
    ReasonFlagLeftOut,
    /// `{0}`: the column; `{1}`: the type of what the answer holds instead (JavaScript's name).
    ReasonFlagNotBoolean,
    ReasonNoList,
    /// `{0}`: the problems, in English (they name settings keys).
    SettingsInvalid,
    DeleteTitle,
    /// `{0}`: the names of the records.
    DeleteText,
    DeleteConfirm,
    /// `{0}`: the record; `{1}`: the error.
    DeleteFailed,
    JobTitle,
    /// `{0}`: the customer's name.
    JobText,
    JobAnonymized,
    JobAlreadyAnonymized,
    /// `{0}`: the HTTP status.
    JobFailed,
    SendTitle,
    SendIntro,
    /// `{0}`: the recipient.
    SendDoNotEmail,
    /// `{0}`: the recipient.
    SendOptedOut,
    /// `{0}`: the recipient; `{1}`: the rule.
    SendNoConsent,
    SendConfirm,
    RepeatSend,
    RepeatActivate,
    RepeatMarkComplete,
    /// `{0}`: the recipient; `{1}`: why.
    SendUnknown,
    /// `{0}`: why.
    ConsentUnreadable,
    /// `{0}`: the current consents.
    ConsentSummary,
    /// One consent of [`MessageId::ConsentSummary`]: `{0}` the option, `{1}` yes or no (French
    /// puts a space before the colon).
    ConsentOption,
    ConsentNone,
    /// `{0}`: the rule.
    ConsentRequiredMissing,
    Yes,
    No,
    /// `{0}`: what went wrong.
    Fault,
    /// `{0}`: why the save could not be judged.
    SaveNotJudged,
    /// `{0}`: why the recipients could not be checked.
    SendNotJudged,
    /// `{0}`: the command confirmed.
    NoteSubject,
    /// `{0}`: the user's name; `{1}`: the user's id; `{2}`: the command; `{3}`: when (UTC);
    /// `{4}`: the reasons, a line each; `{5}`: the consent-guard version.
    NoteText,
    ConfirmedSave,
    ConfirmedDeactivate,
    ConfirmedQualify,
    ConfirmedDisqualify,
    ConfirmedDelete,
    ConfirmedSend,
    ConfirmedSpotlerJob,
    ConfirmedActivate,
    ConfirmedAssign,
    ConfirmedMarkComplete,
    /// `{0}`: why the note could not be written.
    NoteFailed,
    DeleteWrongControl,
}

/// The text of `id` in `language`.
pub fn text(id: MessageId, language: Language) -> &'static str {
    let texts = catalog(id);
    // Every row has four texts; `get` keeps a future short row from panicking.
    texts.get(language.index()).copied().unwrap_or(texts[0])
}

/// The text of `id` in `language` with `{0}`, `{1}`, … replaced by `args`, in one pass: the
/// text of an argument is copied as it is and never read again as a placeholder, so a record
/// named `Record {1}` keeps its name.
pub fn fill(id: MessageId, language: Language, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = text(id, language);
    while let Some((head, tail)) = rest.split_once('{') {
        out.push_str(head);
        let placeholder = tail
            .split_once('}')
            .and_then(|(inside, after)| Some((*args.get(placeholder_index(inside)?)?, after)));
        match placeholder {
            Some((arg, after)) => {
                out.push_str(arg);
                rest = after;
            }
            None => {
                out.push('{');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The index a placeholder names: one or two digits.
fn placeholder_index(inside: &str) -> Option<usize> {
    if inside.is_empty() || inside.len() > 2 {
        return None;
    }
    inside.bytes().try_fold(0, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
    })
}

/// Rows in the order English, Dutch, German, French.
fn catalog(id: MessageId) -> &'static [&'static str; 4] {
    match id {
        MessageId::ReasonDoNotEmail => &[
            "Saving will make Spotler anonymize this contact at the next sync (Do Not Email is set). This cannot be undone.",
            "Als u opslaat, anonimiseert Spotler deze contactpersoon bij de volgende synchronisatie (Geen e-mail is ingesteld). Dit kan niet ongedaan worden gemaakt.",
            "Durch das Speichern anonymisiert Spotler diesen Kontakt bei der nächsten Synchronisierung (Keine E-Mails ist gesetzt). Dies kann nicht rückgängig gemacht werden.",
            "Si vous enregistrez, Spotler anonymisera ce contact à la prochaine synchronisation (Ne pas envoyer de courrier électronique est activé). Cette action est irréversible.",
        ],
        MessageId::ReasonNoValidEmail => &[
            "Saving will make Spotler anonymize this contact at the next sync (the email address is removed or not valid). This cannot be undone.",
            "Als u opslaat, anonimiseert Spotler deze contactpersoon bij de volgende synchronisatie (het e-mailadres is verwijderd of ongeldig). Dit kan niet ongedaan worden gemaakt.",
            "Durch das Speichern anonymisiert Spotler diesen Kontakt bei der nächsten Synchronisierung (die E-Mail-Adresse wurde entfernt oder ist ungültig). Dies kann nicht rückgängig gemacht werden.",
            "Si vous enregistrez, Spotler anonymisera ce contact à la prochaine synchronisation (l'adresse e-mail est supprimée ou non valide). Cette action est irréversible.",
        ],
        MessageId::ReasonInactive => &[
            "Saving will make Spotler anonymize this contact at the next sync (the record becomes inactive and \"Anonymize Contact When Inactive\" is on). This cannot be undone.",
            "Als u opslaat, anonimiseert Spotler deze contactpersoon bij de volgende synchronisatie (het record wordt inactief en \"Anonymize Contact When Inactive\" staat aan). Dit kan niet ongedaan worden gemaakt.",
            "Durch das Speichern anonymisiert Spotler diesen Kontakt bei der nächsten Synchronisierung (der Datensatz wird inaktiv und „Anonymize Contact When Inactive“ ist aktiviert). Dies kann nicht rückgängig gemacht werden.",
            "Si vous enregistrez, Spotler anonymisera ce contact à la prochaine synchronisation (l'enregistrement devient inactif et « Anonymize Contact When Inactive » est activé). Cette action est irréversible.",
        ],
        MessageId::ReasonBulkEmailOptOut => &[
            "Saving will make Spotler reset all of this contact's permissions to opted out at the next sync (Do Not Bulk Email is set). The contact is not anonymized.",
            "Als u opslaat, zet Spotler bij de volgende synchronisatie alle permissies van deze contactpersoon op afgemeld (Geen bulk-e-mail is ingesteld). De contactpersoon wordt niet geanonimiseerd.",
            "Durch das Speichern setzt Spotler bei der nächsten Synchronisierung alle Berechtigungen dieses Kontakts auf abgelehnt zurück (Keine Massen-E-Mails ist gesetzt). Der Kontakt wird nicht anonymisiert.",
            "Si vous enregistrez, Spotler remettra toutes les autorisations de ce contact sur « désinscrit » à la prochaine synchronisation (Ne pas envoyer de courrier en nombre est activé). Le contact n'est pas anonymisé.",
        ],
        MessageId::NoticeRecreate => &[
            "No cause of anonymization remains: the next sync re-creates this contact in Spotler with its profile data.",
            "Er is geen reden tot anonimiseren meer: de volgende synchronisatie maakt deze contactpersoon opnieuw aan in Spotler, met de profielgegevens.",
            "Es besteht kein Anonymisierungsgrund mehr: Die nächste Synchronisierung legt diesen Kontakt mit seinen Profildaten in Spotler neu an.",
            "Plus aucune cause d'anonymisation : la prochaine synchronisation recrée ce contact dans Spotler avec ses données de profil.",
        ],
        MessageId::NoticeStaysAnonymized => &[
            "A cause of anonymization remains: this contact stays anonymized in Spotler, and a re-created contact would be anonymized again at once.",
            "Er blijft een reden tot anonimiseren: deze contactpersoon blijft geanonimiseerd in Spotler, en een opnieuw aangemaakte contactpersoon zou meteen weer worden geanonimiseerd.",
            "Ein Anonymisierungsgrund bleibt bestehen: Dieser Kontakt bleibt in Spotler anonymisiert, und ein neu angelegter Kontakt würde sofort wieder anonymisiert.",
            "Une cause d'anonymisation demeure : ce contact reste anonymisé dans Spotler, et un contact recréé serait aussitôt anonymisé de nouveau.",
        ],
        MessageId::DialogTitle => &[
            "Spotler will anonymize this contact",
            "Spotler gaat deze contactpersoon anonimiseren",
            "Spotler wird diesen Kontakt anonymisieren",
            "Spotler va anonymiser ce contact",
        ],
        MessageId::DialogConfirm => &["Go ahead", "Doorgaan", "Fortfahren", "Continuer"],
        MessageId::DialogCancel => &["Cancel", "Annuleren", "Abbrechen", "Annuler"],
        MessageId::AutoSaveBlocked => &[
            "Not saved automatically: this change would make Spotler anonymize the contact. Save the record yourself to confirm it.",
            "Niet automatisch opgeslagen: door deze wijziging zou Spotler de contactpersoon anonimiseren. Sla het record zelf op om dit te bevestigen.",
            "Nicht automatisch gespeichert: Durch diese Änderung würde Spotler den Kontakt anonymisieren. Speichern Sie den Datensatz selbst, um dies zu bestätigen.",
            "Non enregistré automatiquement : cette modification ferait anonymiser le contact par Spotler. Enregistrez vous-même pour confirmer.",
        ],
        MessageId::RepeatDeactivate => &[
            "Confirmed: choose Deactivate again to go ahead. There is no second warning while the form's values stay the same.",
            "Bevestigd: kies nogmaals Deactiveren om door te gaan. Zolang de waarden op het formulier gelijk blijven, volgt geen tweede waarschuwing.",
            "Bestätigt: Wählen Sie erneut Deaktivieren, um fortzufahren. Solange die Werte im Formular gleich bleiben, folgt keine zweite Warnung.",
            "Confirmé : choisissez à nouveau Désactiver pour continuer. Tant que les valeurs du formulaire restent les mêmes, il n'y a pas de second avertissement.",
        ],
        MessageId::RepeatAssign => &[
            "Confirmed: choose Assign again to go ahead. There is no second warning while the form's values stay the same.",
            "Bevestigd: kies nogmaals Toewijzen om door te gaan. Zolang de waarden op het formulier gelijk blijven, volgt geen tweede waarschuwing.",
            "Bestätigt: Wählen Sie erneut Zuweisen, um fortzufahren. Solange die Werte im Formular gleich bleiben, folgt keine zweite Warnung.",
            "Confirmé : choisissez à nouveau Attribuer pour continuer. Tant que les valeurs du formulaire restent les mêmes, il n'y a pas de second avertissement.",
        ],
        MessageId::RepeatHeld => &[
            "Not done yet: consent-guard was still checking this form. Choose the command again to go ahead.",
            "Nog niet uitgevoerd: consent-guard was dit formulier nog aan het controleren. Kies de opdracht nogmaals om door te gaan.",
            "Noch nicht ausgeführt: consent-guard war noch mit der Prüfung dieses Formulars beschäftigt. Wählen Sie den Befehl erneut, um fortzufahren.",
            "Pas encore effectué : consent-guard vérifiait encore ce formulaire. Choisissez à nouveau la commande pour continuer.",
        ],
        MessageId::RepeatDisqualify => &[
            "Confirmed: choose Disqualify again to go ahead. There is no second warning while the form's values stay the same.",
            "Bevestigd: kies nogmaals Diskwalificeren om door te gaan. Zolang de waarden op het formulier gelijk blijven, volgt geen tweede waarschuwing.",
            "Bestätigt: Wählen Sie erneut Disqualifizieren, um fortzufahren. Solange die Werte im Formular gleich bleiben, folgt keine zweite Warnung.",
            "Confirmé : choisissez à nouveau Disqualifier pour continuer. Tant que les valeurs du formulaire restent les mêmes, il n'y a pas de second avertissement.",
        ],
        MessageId::RepeatQualify => &[
            "Confirmed: choose Qualify again to go ahead. There is no second warning while the form's values stay the same.",
            "Bevestigd: kies nogmaals Kwalificeren om door te gaan. Zolang de waarden op het formulier gelijk blijven, volgt geen tweede waarschuwing.",
            "Bestätigt: Wählen Sie erneut Qualifizieren, um fortzufahren. Solange die Werte im Formular gleich bleiben, folgt keine zweite Warnung.",
            "Confirmé : choisissez à nouveau Qualifier pour continuer. Tant que les valeurs du formulaire restent les mêmes, il n'y a pas de second avertissement.",
        ],
        MessageId::HiddenOwnOptOut => &[
            "Email data is hidden: this record has GDPR Optout set.",
            "E-mailgegevens zijn verborgen: bij dit record is GDPR Optout ingesteld.",
            "E-Mail-Daten sind ausgeblendet: Für diesen Datensatz ist GDPR Optout gesetzt.",
            "Les données d'e-mail sont masquées : GDPR Optout est activé pour cet enregistrement.",
        ],
        MessageId::HiddenRelatedOptOut => &[
            "Email data is hidden: {0} has GDPR Optout set.",
            "E-mailgegevens zijn verborgen: bij {0} is GDPR Optout ingesteld.",
            "E-Mail-Daten sind ausgeblendet: Für {0} ist GDPR Optout gesetzt.",
            "Les données d'e-mail sont masquées : GDPR Optout est activé pour {0}.",
        ],
        MessageId::HiddenUnknown => &[
            "Email data is hidden: whether {0} opted out (GDPR Optout) could not be checked ({1}). Reload the form to try again.",
            "E-mailgegevens zijn verborgen: de afmeldstatus (GDPR Optout) van {0} kon niet worden gecontroleerd ({1}). Laad het formulier opnieuw om het nogmaals te proberen.",
            "E-Mail-Daten sind ausgeblendet: Ob für {0} ein Opt-out (GDPR Optout) besteht, konnte nicht geprüft werden ({1}). Laden Sie das Formular neu, um es erneut zu versuchen.",
            "Les données d'e-mail sont masquées : impossible de vérifier le champ GDPR Optout pour {0} ({1}). Rechargez le formulaire pour réessayer.",
        ],
        MessageId::UnknownThisRecord => &["this record", "dit record", "diesen Datensatz", "cet enregistrement"],
        MessageId::UnknownStakeholders => &[
            "the opportunity's stakeholders",
            "de belanghebbenden van de verkoopkans",
            "die Stakeholder der Verkaufschance",
            "les parties prenantes de l'opportunité",
        ],
        MessageId::UnknownContactsOf => &[
            "the contacts of {0}",
            "de contactpersonen van {0}",
            "die Kontakte von {0}",
            "les contacts de {0}",
        ],
        MessageId::UnknownAccountContacts => &[
            "a contact of this account",
            "een contactpersoon van dit account",
            "einen Kontakt dieser Firma",
            "un contact de ce compte",
        ],
        MessageId::ReasonNoAnswer => &[
            "no answer in time",
            "geen tijdig antwoord",
            "keine rechtzeitige Antwort",
            "pas de réponse à temps",
        ],
        MessageId::ReasonNoAccess => &["no access", "geen toegang", "kein Zugriff", "pas d'accès"],
        MessageId::ReasonFlagLeftOut => &[
            "the answer leaves out {0}",
            "het antwoord bevat de kolom {0} niet",
            "die Antwort enthält die Spalte {0} nicht",
            "la réponse ne contient pas {0}",
        ],
        MessageId::ReasonFlagNotBoolean => &[
            "the answer holds no true or false for {0} but a {1}",
            "het antwoord bevat voor {0} geen waar of onwaar maar een {1}",
            "die Antwort enthält für {0} kein wahr oder falsch, sondern ein {1}",
            "la réponse ne contient pour {0} ni vrai ni faux mais un {1}",
        ],
        MessageId::ReasonNoList => &[
            "the answer lists no records",
            "het antwoord somt geen records op",
            "die Antwort listet keine Datensätze auf",
            "la réponse ne liste aucun enregistrement",
        ],
        MessageId::DeleteTitle => &["Delete and anonymize in Spotler?", "Verwijderen en anonimiseren in Spotler?", "Löschen und in Spotler anonymisieren?", "Supprimer et anonymiser dans Spotler ?"],
        MessageId::DeleteText => &[
            "Deleting {0} makes Spotler anonymize the contact at once: its name, email and profile data are erased there. This cannot be undone.",
            "Door {0} te verwijderen anonimiseert Spotler de contactpersoon meteen: naam, e-mailadres en profielgegevens worden daar gewist. Dit kan niet ongedaan worden gemaakt.",
            "Durch das Löschen von {0} anonymisiert Spotler den Kontakt sofort: Name, E-Mail-Adresse und Profildaten werden dort gelöscht. Dies kann nicht rückgängig gemacht werden.",
            "La suppression de {0} fait anonymiser aussitôt le contact par Spotler : son nom, son adresse e-mail et ses données de profil y sont effacés. Cette action est irréversible.",
        ],
        MessageId::DeleteConfirm => &["Delete", "Verwijderen", "Löschen", "Supprimer"],
        MessageId::DeleteFailed => &[
            "{0} could not be deleted: {1}",
            "{0} kon niet worden verwijderd: {1}",
            "{0} konnte nicht gelöscht werden: {1}",
            "{0} n'a pas pu être supprimé : {1}",
        ],
        MessageId::DeleteWrongControl => &[
            "Nothing was deleted: this grid's Delete command passes the form (PrimaryControl) instead of the grid. An administrator must pass SelectedControl and SelectedControlSelectedItemIds.",
            "Er is niets verwijderd: de opdracht Verwijderen van dit raster geeft het formulier (PrimaryControl) door in plaats van het raster. Een beheerder moet SelectedControl en SelectedControlSelectedItemIds doorgeven.",
            "Es wurde nichts gelöscht: Der Befehl „Löschen“ dieses Rasters übergibt das Formular (PrimaryControl) statt des Rasters. Ein Administrator muss SelectedControl und SelectedControlSelectedItemIds übergeben.",
            "Rien n'a été supprimé : la commande Supprimer de cette grille transmet le formulaire (PrimaryControl) au lieu de la grille. Un administrateur doit transmettre SelectedControl et SelectedControlSelectedItemIds.",
        ],
        MessageId::JobTitle => &["Anonymize in Spotler?", "Anonimiseren in Spotler?", "In Spotler anonymisieren?", "Anonymiser dans Spotler ?"],
        MessageId::JobText => &[
            "Saving this Spotler Job makes Spotler anonymize {0} when the job runs: the name, email and profile data are erased there. This cannot be undone.",
            "Door deze Spotler Job op te slaan anonimiseert Spotler {0} zodra de job wordt uitgevoerd: naam, e-mailadres en profielgegevens worden daar gewist. Dit kan niet ongedaan worden gemaakt.",
            "Durch das Speichern dieses Spotler Jobs anonymisiert Spotler {0}, sobald der Job läuft: Name, E-Mail-Adresse und Profildaten werden dort gelöscht. Dies kann nicht rückgängig gemacht werden.",
            "Si vous enregistrez ce Spotler Job, Spotler anonymisera {0} à son exécution : le nom, l'adresse e-mail et les données de profil y sont effacés. Cette action est irréversible.",
        ],
        MessageId::JobAnonymized => &[
            "Spotler anonymized the contact (HTTP 410 Gone).",
            "Spotler heeft de contactpersoon geanonimiseerd (HTTP 410 Gone).",
            "Spotler hat den Kontakt anonymisiert (HTTP 410 Gone).",
            "Spotler a anonymisé le contact (HTTP 410 Gone).",
        ],
        MessageId::JobAlreadyAnonymized => &[
            "The contact had already been anonymized in Spotler (HTTP 404), which counts as success.",
            "De contactpersoon was al geanonimiseerd in Spotler (HTTP 404); dat geldt als geslaagd.",
            "Der Kontakt war in Spotler bereits anonymisiert (HTTP 404); das gilt als Erfolg.",
            "Le contact était déjà anonymisé dans Spotler (HTTP 404), ce qui compte comme une réussite.",
        ],
        MessageId::JobFailed => &[
            "Spotler did not anonymize the contact (HTTP {0}): the job failed. Check the connector's log and run a new job.",
            "Spotler heeft de contactpersoon niet geanonimiseerd (HTTP {0}): de job is mislukt. Controleer het logboek van de connector en start een nieuwe job.",
            "Spotler hat den Kontakt nicht anonymisiert (HTTP {0}): Der Job ist fehlgeschlagen. Prüfen Sie das Protokoll des Connectors und starten Sie einen neuen Job.",
            "Spotler n'a pas anonymisé le contact (HTTP {0}) : le job a échoué. Consultez le journal du connecteur et lancez un nouveau job.",
        ],
        MessageId::SendTitle => &["Send to people who should not receive it?", "Verzenden naar mensen die dit niet mogen ontvangen?", "An Personen senden, die dies nicht erhalten sollten?", "Envoyer à des personnes qui ne devraient pas le recevoir ?"],
        MessageId::SendIntro => &[
            "This email goes to:",
            "Deze e-mail gaat naar:",
            "Diese E-Mail geht an:",
            "Cet e-mail est destiné à :",
        ],
        MessageId::SendDoNotEmail => &[
            "{0}: Do Not Email is set.",
            "{0}: Geen e-mail is ingesteld.",
            "{0}: Keine E-Mails ist gesetzt.",
            "{0} : Ne pas envoyer de courrier électronique est activé.",
        ],
        MessageId::SendOptedOut => &[
            "{0}: GDPR Optout is set.",
            "{0}: GDPR Optout is ingesteld.",
            "{0}: GDPR Optout ist gesetzt.",
            "{0} : GDPR Optout est activé.",
        ],
        MessageId::SendNoConsent => &[
            "{0}: no consent for {1}.",
            "{0}: geen toestemming voor {1}.",
            "{0}: keine Einwilligung für {1}.",
            "{0} : pas de consentement pour {1}.",
        ],
        MessageId::SendUnknown => &[
            "{0}: could not be checked ({1}).",
            "{0}: kon niet worden gecontroleerd ({1}).",
            "{0}: konnte nicht geprüft werden ({1}).",
            "{0} : n'a pas pu être vérifié ({1}).",
        ],
        MessageId::ConsentUnreadable => &[
            "Consent could not be read ({0}).",
            "Toestemming kon niet worden gelezen ({0}).",
            "Die Einwilligung konnte nicht gelesen werden ({0}).",
            "Le consentement n'a pas pu être lu ({0}).",
        ],
        MessageId::SendConfirm => &["Send anyway", "Toch verzenden", "Trotzdem senden", "Envoyer quand même"],
        MessageId::RepeatSend => &[
            "Confirmed: choose Send again to send it. There is no second warning while the recipients stay the same.",
            "Bevestigd: kies nogmaals Verzenden om te verzenden. Zolang de geadresseerden gelijk blijven, volgt geen tweede waarschuwing.",
            "Bestätigt: Wählen Sie erneut Senden, um die E-Mail zu senden. Solange die Empfänger gleich bleiben, folgt keine zweite Warnung.",
            "Confirmé : choisissez à nouveau Envoyer pour l'envoyer. Tant que les destinataires restent les mêmes, il n'y a pas de second avertissement.",
        ],
        MessageId::RepeatActivate => &[
            "Confirmed: choose Activate again to go ahead. There is no second warning while the form's values stay the same.",
            "Bevestigd: kies nogmaals Activeren om door te gaan. Zolang de waarden op het formulier gelijk blijven, volgt geen tweede waarschuwing.",
            "Bestätigt: Wählen Sie erneut Aktivieren, um fortzufahren. Solange die Werte im Formular gleich bleiben, folgt keine zweite Warnung.",
            "Confirmé : choisissez à nouveau Activer pour continuer. Tant que les valeurs du formulaire restent les mêmes, il n'y a pas de second avertissement.",
        ],
        MessageId::RepeatMarkComplete => &[
            "Confirmed: choose Mark Complete again to go ahead. There is no second warning while the form's values stay the same.",
            "Bevestigd: kies nogmaals Markeren als voltooid om door te gaan. Zolang de waarden op het formulier gelijk blijven, volgt geen tweede waarschuwing.",
            "Bestätigt: Wählen Sie erneut Als erledigt markieren, um fortzufahren. Solange die Werte im Formular gleich bleiben, folgt keine zweite Warnung.",
            "Confirmé : choisissez à nouveau Marquer comme terminé pour continuer. Tant que les valeurs du formulaire restent les mêmes, il n'y a pas de second avertissement.",
        ],
        MessageId::ConsentSummary => &["Consent: {0}.", "Toestemming: {0}.", "Einwilligung: {0}.", "Consentement : {0}."],
        MessageId::ConsentOption => &["{0}: {1}", "{0}: {1}", "{0}: {1}", "{0} : {1}"],
        MessageId::ConsentNone => &[
            "Consent: no consent records for this person.",
            "Toestemming: geen toestemmingsrecords voor deze persoon.",
            "Einwilligung: keine Einwilligungsdatensätze für diese Person.",
            "Consentement : aucun enregistrement de consentement pour cette personne.",
        ],
        MessageId::ConsentRequiredMissing => &[
            "This person does not have the required consent ({0}).",
            "Deze persoon heeft niet de vereiste toestemming ({0}).",
            "Diese Person hat nicht die erforderliche Einwilligung ({0}).",
            "Cette personne n'a pas le consentement requis ({0}).",
        ],
        MessageId::Fault => &[
            "consent-guard ran into a problem, so email data stays hidden: {0}",
            "consent-guard liep tegen een probleem aan, dus e-mailgegevens blijven verborgen: {0}",
            "consent-guard ist auf ein Problem gestoßen, daher bleiben E-Mail-Daten ausgeblendet: {0}",
            "consent-guard a rencontré un problème, les données d'e-mail restent donc masquées : {0}",
        ],
        MessageId::SaveNotJudged => &[
            "Not saved: consent-guard could not check whether this save makes Spotler anonymize the contact ({0}).",
            "Niet opgeslagen: consent-guard kon niet controleren of Spotler de contactpersoon door dit opslaan gaat anonimiseren ({0}).",
            "Nicht gespeichert: consent-guard konnte nicht prüfen, ob Spotler den Kontakt durch dieses Speichern anonymisiert ({0}).",
            "Non enregistré : consent-guard n'a pas pu vérifier si cette sauvegarde amènerait Spotler à anonymiser le contact ({0}).",
        ],
        MessageId::SendNotJudged => &[
            "Not sent: consent-guard could not check the recipients ({0}).",
            "Niet verzonden: consent-guard kon de geadresseerden niet controleren ({0}).",
            "Nicht gesendet: consent-guard konnte die Empfänger nicht prüfen ({0}).",
            "Non envoyé : consent-guard n'a pas pu vérifier les destinataires ({0}).",
        ],
        MessageId::Yes => &["yes", "ja", "ja", "oui"],
        MessageId::No => &["no", "nee", "nein", "non"],
        MessageId::NoteSubject => &[
            "consent-guard: {0} confirmed",
            "consent-guard: {0} bevestigd",
            "consent-guard: {0} bestätigt",
            "consent-guard : {0} confirmé",
        ],
        MessageId::NoteText => &[
            "{0} ({1}) confirmed \"{2}\" at {3} (UTC), after consent-guard warned:\n{4}\n\nconsent-guard {5}",
            "{0} ({1}) heeft \"{2}\" bevestigd op {3} (UTC), nadat consent-guard waarschuwde:\n{4}\n\nconsent-guard {5}",
            "{0} ({1}) hat „{2}“ am {3} (UTC) bestätigt, nachdem consent-guard gewarnt hatte:\n{4}\n\nconsent-guard {5}",
            "{0} ({1}) a confirmé « {2} » le {3} (UTC), après l'avertissement de consent-guard :\n{4}\n\nconsent-guard {5}",
        ],
        MessageId::ConfirmedSave => &["Save", "Opslaan", "Speichern", "Enregistrer"],
        MessageId::ConfirmedDeactivate => &["Deactivate", "Deactiveren", "Deaktivieren", "Désactiver"],
        MessageId::ConfirmedQualify => &["Qualify", "Kwalificeren", "Qualifizieren", "Qualifier"],
        MessageId::ConfirmedDisqualify => &["Disqualify", "Diskwalificeren", "Disqualifizieren", "Disqualifier"],
        MessageId::ConfirmedDelete => &["Delete", "Verwijderen", "Löschen", "Supprimer"],
        MessageId::ConfirmedSend => &["Send", "Verzenden", "Senden", "Envoyer"],
        MessageId::ConfirmedActivate => &["Activate", "Activeren", "Aktivieren", "Activer"],
        MessageId::ConfirmedAssign => &["Assign", "Toewijzen", "Zuweisen", "Attribuer"],
        MessageId::ConfirmedMarkComplete => &["Mark Complete", "Markeren als voltooid", "Als erledigt markieren", "Marquer comme terminé"],
        MessageId::ConfirmedSpotlerJob => &[
            "Save the Spotler Job",
            "Spotler Job opslaan",
            "Spotler Job speichern",
            "Enregistrer le Spotler Job",
        ],
        MessageId::NoteFailed => &[
            "The confirmation could not be recorded as a note on this record ({0}). What you confirmed went ahead.",
            "De bevestiging kon niet als notitie bij dit record worden vastgelegd ({0}). Wat u bevestigde, is uitgevoerd.",
            "Die Bestätigung konnte nicht als Notiz zu diesem Datensatz festgehalten werden ({0}). Was Sie bestätigt haben, wurde ausgeführt.",
            "La confirmation n'a pas pu être consignée dans une note de cet enregistrement ({0}). Ce que vous avez confirmé a été effectué.",
        ],
        MessageId::SettingsInvalid => &[
            "consent-guard settings are invalid: {0}. Email data stays hidden and the save warnings take the defaults for the settings in error until an administrator corrects them (the form's OnLoad parameters or the environment variable of the consent-guard solution).",
            "De instellingen van consent-guard zijn ongeldig: {0}. E-mailgegevens blijven verborgen en waarschuwingen bij opslaan gebruiken voor de foutieve instellingen de standaardwaarden totdat een beheerder ze corrigeert (de OnLoad-parameters van het formulier of de omgevingsvariabele van de consent-guard-oplossing).",
            "Die Einstellungen von consent-guard sind ungültig: {0}. E-Mail-Daten bleiben ausgeblendet, und Warnungen beim Speichern verwenden für die fehlerhaften Einstellungen die Standardwerte, bis ein Administrator sie korrigiert (die OnLoad-Parameter des Formulars oder die Umgebungsvariable der consent-guard-Lösung).",
            "Les paramètres de consent-guard ne sont pas valides : {0}. Les données d'e-mail restent masquées et les avertissements d'enregistrement utilisent les valeurs par défaut pour les paramètres erronés jusqu'à ce qu'un administrateur les corrige (les paramètres OnLoad du formulaire ou la variable d'environnement de la solution consent-guard).",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [MessageId; 70] = [
        MessageId::SendNotJudged,
        MessageId::Fault,
        MessageId::SaveNotJudged,
        MessageId::DeleteTitle,
        MessageId::DeleteText,
        MessageId::DeleteConfirm,
        MessageId::DeleteFailed,
        MessageId::JobTitle,
        MessageId::JobText,
        MessageId::JobAnonymized,
        MessageId::JobAlreadyAnonymized,
        MessageId::JobFailed,
        MessageId::SendTitle,
        MessageId::SendIntro,
        MessageId::SendDoNotEmail,
        MessageId::SendOptedOut,
        MessageId::SendNoConsent,
        MessageId::SendConfirm,
        MessageId::RepeatSend,
        MessageId::RepeatActivate,
        MessageId::RepeatMarkComplete,
        MessageId::ConsentSummary,
        MessageId::ConsentOption,
        MessageId::ConsentNone,
        MessageId::ConsentRequiredMissing,
        MessageId::SendUnknown,
        MessageId::ConsentUnreadable,
        // `Yes` is "ja" in Dutch and German alike; `No` differs everywhere.
        MessageId::No,
        MessageId::ReasonDoNotEmail,
        MessageId::ReasonNoValidEmail,
        MessageId::ReasonInactive,
        MessageId::ReasonBulkEmailOptOut,
        MessageId::NoticeRecreate,
        MessageId::NoticeStaysAnonymized,
        MessageId::DialogTitle,
        MessageId::DialogConfirm,
        MessageId::DialogCancel,
        MessageId::AutoSaveBlocked,
        MessageId::RepeatDeactivate,
        MessageId::RepeatAssign,
        MessageId::RepeatHeld,
        MessageId::RepeatDisqualify,
        MessageId::RepeatQualify,
        MessageId::HiddenOwnOptOut,
        MessageId::HiddenRelatedOptOut,
        MessageId::HiddenUnknown,
        MessageId::UnknownThisRecord,
        MessageId::UnknownAccountContacts,
        MessageId::UnknownStakeholders,
        MessageId::UnknownContactsOf,
        MessageId::ReasonNoAnswer,
        MessageId::ReasonNoAccess,
        MessageId::ReasonFlagLeftOut,
        MessageId::ReasonFlagNotBoolean,
        MessageId::ReasonNoList,
        MessageId::SettingsInvalid,
        MessageId::NoteSubject,
        MessageId::NoteText,
        MessageId::ConfirmedSave,
        MessageId::ConfirmedDelete,
        MessageId::ConfirmedSend,
        MessageId::ConfirmedDeactivate,
        MessageId::ConfirmedQualify,
        MessageId::ConfirmedDisqualify,
        MessageId::ConfirmedSpotlerJob,
        MessageId::ConfirmedActivate,
        MessageId::ConfirmedAssign,
        MessageId::ConfirmedMarkComplete,
        MessageId::NoteFailed,
        MessageId::DeleteWrongControl,
    ];
    const LANGUAGES: [Language; 4] = [
        Language::English,
        Language::Dutch,
        Language::German,
        Language::French,
    ];

    #[test]
    fn lcids_choose_the_language() {
        let cases = [
            (1033, Language::English),
            (2057, Language::English),
            (1043, Language::Dutch),
            (2067, Language::Dutch),
            (1031, Language::German),
            (3079, Language::German),
            (1036, Language::French),
            (3084, Language::French),
            (1049, Language::English),
            (0, Language::English),
        ];
        for (lcid, language) in cases {
            assert_eq!(Language::from_lcid(lcid), language, "LCID {lcid}");
        }
        assert_eq!(Language::from_optional_lcid(None), Language::English);
    }

    #[test]
    fn every_text_exists_in_every_language_and_differs_between_them() {
        for id in ALL {
            let texts: Vec<&str> = LANGUAGES.iter().map(|l| text(id, *l)).collect();
            for (i, a) in texts.iter().enumerate() {
                assert!(
                    !a.trim().is_empty(),
                    "{id:?} is empty in {:?}",
                    LANGUAGES[i]
                );
                // Punctuation alone may be the same in several languages.
                if id == MessageId::ConsentOption {
                    continue;
                }
                for b in texts.iter().skip(i + 1) {
                    assert_ne!(a, b, "{id:?} is not translated");
                }
            }
        }
    }

    #[test]
    fn placeholders_are_filled_in_every_language() {
        for language in LANGUAGES {
            let filled = fill(MessageId::HiddenUnknown, language, &["Holly", "x-reason"]);
            assert!(
                filled.contains("Holly") && filled.contains("x-reason"),
                "{language:?}: {filled}"
            );
            assert!(!filled.contains('{'), "{language:?}: {filled}");
        }
    }

    #[test]
    fn an_argument_is_never_read_again_as_a_placeholder() {
        for name in ["{0}", "{1}", "Record {1}", "{", "}{0", "{99}"] {
            let filled = fill(
                MessageId::DeleteFailed,
                Language::English,
                &[name, "why {0}"],
            );
            assert!(filled.starts_with(name), "{name}: {filled}");
            assert!(filled.contains("why {0}"), "{name}: {filled}");
        }
        // A placeholder with no argument, or a brace that is no placeholder, stays as written.
        assert_eq!(
            fill(MessageId::DeleteFailed, Language::English, &[]),
            text(MessageId::DeleteFailed, Language::English)
        );
    }

    #[test]
    fn anonymizing_texts_say_it_cannot_be_undone() {
        let irreversible = [
            "cannot be undone",
            "niet ongedaan",
            "nicht rückgängig",
            "irréversible",
        ];
        for id in [
            MessageId::ReasonDoNotEmail,
            MessageId::ReasonNoValidEmail,
            MessageId::ReasonInactive,
        ] {
            for (language, phrase) in LANGUAGES.iter().zip(irreversible) {
                assert!(
                    text(id, *language).contains(phrase),
                    "{id:?} in {language:?}"
                );
            }
        }
    }
}
