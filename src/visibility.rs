//! Whether a form may show auto-captured email data, from the GDPR opt-out flags it depends on.
//!
//! The data is hidden when the record itself or any related Contact/Lead it shows email data
//! for has `msdyn_gdproptout` true, and also whenever a flag cannot be known: privacy errs on the
//! side of hiding.

/// What is known of one record's `msdyn_gdproptout`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptOutState {
    /// The flag is true.
    OptedOut,
    /// The flag is false or unset.
    NotOptedOut,
    /// The org has no such column: there is no opt-out to honour.
    NoColumn,
    /// The flag could not be read (a failed or unanswered call).
    Unknown,
}

/// Why email data is hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HideCause {
    /// The form's own record is opted out.
    OwnOptOut,
    /// A related Contact or Lead is opted out.
    RelatedOptOut,
    /// Some flag could not be known.
    Unknown,
}

/// The decision for the form's email-data controls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Visibility {
    pub hide: bool,
    pub cause: Option<HideCause>,
}

/// Decide from the form record's own state and the states of its related records.
///
/// A known opt-out outranks an unknown state, so the form can say the more useful reason.
pub fn decide_visibility(own: OptOutState, related: &[OptOutState]) -> Visibility {
    let cause = if own == OptOutState::OptedOut {
        Some(HideCause::OwnOptOut)
    } else if related.contains(&OptOutState::OptedOut) {
        Some(HideCause::RelatedOptOut)
    } else if own == OptOutState::Unknown || related.contains(&OptOutState::Unknown) {
        Some(HideCause::Unknown)
    } else {
        None
    };
    Visibility {
        hide: cause.is_some(),
        cause,
    }
}

#[cfg(test)]
mod tests {
    use super::OptOutState::*;
    use super::*;

    #[test]
    fn decisions() {
        let cases: &[(OptOutState, &[OptOutState], Option<HideCause>)] = &[
            (NotOptedOut, &[], None),
            (NoColumn, &[], None),
            (NoColumn, &[NoColumn, NotOptedOut], None),
            (OptedOut, &[], Some(HideCause::OwnOptOut)),
            (OptedOut, &[Unknown], Some(HideCause::OwnOptOut)),
            (
                NotOptedOut,
                &[NotOptedOut, OptedOut],
                Some(HideCause::RelatedOptOut),
            ),
            (Unknown, &[OptedOut], Some(HideCause::RelatedOptOut)),
            (Unknown, &[], Some(HideCause::Unknown)),
            (
                NotOptedOut,
                &[NotOptedOut, Unknown],
                Some(HideCause::Unknown),
            ),
            (NoColumn, &[Unknown], Some(HideCause::Unknown)),
        ];
        for (own, related, cause) in cases {
            let decision = decide_visibility(*own, related);
            assert_eq!(decision.cause, *cause, "{own:?} {related:?}");
            assert_eq!(decision.hide, cause.is_some(), "{own:?} {related:?}");
        }
    }
}
