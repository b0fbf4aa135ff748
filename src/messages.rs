//! Every text a person sees, in English, Dutch, German and French, chosen by LCID.
//!
//! Texts say what will happen, where, and whether it can be undone. Field labels follow the
//! user's language; the connector's own setting keeps its English name, as Spotler shows it.

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
}

/// The text of `id` in `language`.
pub fn text(id: MessageId, language: Language) -> &'static str {
    let texts = catalog(id);
    // Every row has four texts; `get` keeps a future short row from panicking.
    texts.get(language.index()).copied().unwrap_or(texts[0])
}

/// Rows in the order English, Dutch, German, French.
fn catalog(id: MessageId) -> &'static [&'static str; 4] {
    match id {
        MessageId::ReasonDoNotEmail => &[
            "Saving will make Spotler anonymize this contact at the next sync (Do Not Email is set). This cannot be undone.",
            "Door op te slaan laat u Spotler dit contact bij de volgende synchronisatie anonimiseren (Geen e-mail is ingesteld). Dit kan niet ongedaan worden gemaakt.",
            "Durch das Speichern anonymisiert Spotler diesen Kontakt bei der nächsten Synchronisierung (Keine E-Mails ist gesetzt). Dies kann nicht rückgängig gemacht werden.",
            "L'enregistrement fera anonymiser ce contact par Spotler à la prochaine synchronisation (Ne pas envoyer de courrier électronique est activé). Cette action est irréversible.",
        ],
        MessageId::ReasonNoValidEmail => &[
            "Saving will make Spotler anonymize this contact at the next sync (the email address is removed or not valid). This cannot be undone.",
            "Door op te slaan laat u Spotler dit contact bij de volgende synchronisatie anonimiseren (het e-mailadres is verwijderd of ongeldig). Dit kan niet ongedaan worden gemaakt.",
            "Durch das Speichern anonymisiert Spotler diesen Kontakt bei der nächsten Synchronisierung (die E-Mail-Adresse wurde entfernt oder ist ungültig). Dies kann nicht rückgängig gemacht werden.",
            "L'enregistrement fera anonymiser ce contact par Spotler à la prochaine synchronisation (l'adresse e-mail est supprimée ou non valide). Cette action est irréversible.",
        ],
        MessageId::ReasonInactive => &[
            "Saving will make Spotler anonymize this contact at the next sync (the record becomes inactive and \"Anonymize Contact When Inactive\" is on). This cannot be undone.",
            "Door op te slaan laat u Spotler dit contact bij de volgende synchronisatie anonimiseren (de record wordt inactief en \"Anonymize Contact When Inactive\" staat aan). Dit kan niet ongedaan worden gemaakt.",
            "Durch das Speichern anonymisiert Spotler diesen Kontakt bei der nächsten Synchronisierung (der Datensatz wird inaktiv und „Anonymize Contact When Inactive“ ist aktiviert). Dies kann nicht rückgängig gemacht werden.",
            "L'enregistrement fera anonymiser ce contact par Spotler à la prochaine synchronisation (l'enregistrement devient inactif et « Anonymize Contact When Inactive » est activé). Cette action est irréversible.",
        ],
        MessageId::ReasonBulkEmailOptOut => &[
            "Saving will make Spotler reset all of this contact's permissions to opted out at the next sync (Do Not Bulk Email is set). The contact is not anonymized.",
            "Door op te slaan laat u Spotler bij de volgende synchronisatie alle toestemmingen van dit contact intrekken (Geen bulk-e-mail is ingesteld). Het contact wordt niet geanonimiseerd.",
            "Durch das Speichern setzt Spotler bei der nächsten Synchronisierung alle Berechtigungen dieses Kontakts auf abgelehnt zurück (Keine Massen-E-Mails ist gesetzt). Der Kontakt wird nicht anonymisiert.",
            "L'enregistrement fera réinitialiser par Spotler toutes les autorisations de ce contact à la prochaine synchronisation (Ne pas envoyer de courrier en nombre est activé). Le contact n'est pas anonymisé.",
        ],
        MessageId::NoticeRecreate => &[
            "No cause of anonymization remains: the next sync re-creates this contact in Spotler with its profile data.",
            "Er is geen reden tot anonimiseren meer: de volgende synchronisatie maakt dit contact opnieuw aan in Spotler, met zijn profielgegevens.",
            "Es besteht kein Anonymisierungsgrund mehr: Die nächste Synchronisierung legt diesen Kontakt mit seinen Profildaten in Spotler neu an.",
            "Plus aucune cause d'anonymisation : la prochaine synchronisation recrée ce contact dans Spotler avec ses données de profil.",
        ],
        MessageId::NoticeStaysAnonymized => &[
            "A cause of anonymization remains: this contact stays anonymized in Spotler, and a re-created contact would be anonymized again at once.",
            "Er blijft een reden tot anonimiseren: dit contact blijft geanonimiseerd in Spotler, en een opnieuw aangemaakt contact wordt meteen weer geanonimiseerd.",
            "Ein Anonymisierungsgrund bleibt bestehen: Dieser Kontakt bleibt in Spotler anonymisiert, und ein neu angelegter Kontakt würde sofort wieder anonymisiert.",
            "Une cause d'anonymisation demeure : ce contact reste anonymisé dans Spotler, et un contact recréé serait aussitôt anonymisé de nouveau.",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [MessageId; 6] = [
        MessageId::ReasonDoNotEmail,
        MessageId::ReasonNoValidEmail,
        MessageId::ReasonInactive,
        MessageId::ReasonBulkEmailOptOut,
        MessageId::NoticeRecreate,
        MessageId::NoticeStaysAnonymized,
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
                for b in texts.iter().skip(i + 1) {
                    assert_ne!(a, b, "{id:?} is not translated");
                }
            }
        }
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
