//! The result of an explicit Spotler Job with the "Anonymize Contact" operation.

/// What the connector's HTTP status for an anonymize call means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnonymizeOutcome {
    /// 410 Gone: the contact was removed from Spotler.
    Anonymized,
    /// 404 Not Found: the contact had been anonymized before; also a success.
    AlreadyAnonymized,
    /// Any other status.
    Failed,
}

impl AnonymizeOutcome {
    /// The name the JavaScript API returns.
    pub fn as_str(self) -> &'static str {
        match self {
            AnonymizeOutcome::Anonymized => "anonymized",
            AnonymizeOutcome::AlreadyAnonymized => "alreadyAnonymized",
            AnonymizeOutcome::Failed => "failed",
        }
    }
}

/// Interpret the HTTP status a Spotler Job recorded for "Anonymize Contact".
pub fn interpret_anonymize_response(status: u16) -> AnonymizeOutcome {
    match status {
        410 => AnonymizeOutcome::Anonymized,
        404 => AnonymizeOutcome::AlreadyAnonymized,
        _ => AnonymizeOutcome::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let cases = [
            (410, "anonymized"),
            (404, "alreadyAnonymized"),
            (200, "failed"),
            (204, "failed"),
            (400, "failed"),
            (401, "failed"),
            (500, "failed"),
            (0, "failed"),
        ];
        for (status, expected) in cases {
            assert_eq!(
                interpret_anonymize_response(status).as_str(),
                expected,
                "{status}"
            );
        }
    }
}
