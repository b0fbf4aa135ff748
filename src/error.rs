//! The error every public function reports: a stable code, a message, and where it applies the
//! position at fault, so that callers never have to read a position out of the text.

use crate::prelude::*;
use crate::text::{build_text, Piece};
use core::fmt;

use crate::consent::{RuleError, UnifyError};
use crate::value::InputError;

/// What kind of bad input an error is about; its name is stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A value of the wrong type, a missing field or an unknown one; `path` names it.
    InvalidInput,
    /// A segment rule that does not parse; `line` and `column` point at it.
    InvalidRule,
    /// A consent record that cannot be unified; `path` names its field.
    InvalidRecord,
}

impl ErrorCode {
    /// The code as JavaScript sees it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalidInput",
            ErrorCode::InvalidRule => "invalidRule",
            ErrorCode::InvalidRecord => "invalidRecord",
        }
    }
}

/// An error with its code and position.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub code: ErrorCode,
    /// The whole message, position included.
    pub message: String,
    /// The field at fault, e.g. `request.after.donotemail`.
    pub path: Option<String>,
    /// 1-based line of the text at fault.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the text at fault.
    pub column: Option<usize>,
}

impl ApiError {
    /// A record of `records` (the parameter named `root`) that cannot be unified.
    pub fn of_record(root: &str, error: &UnifyError) -> ApiError {
        let path = build_text!(root, "[", error.index, "].", error.field);
        ApiError {
            code: ErrorCode::InvalidRecord,
            message: build_text!(path, ": ", error.message),
            path: Some(path),
            line: None,
            column: None,
        }
    }

    /// An error in the rule text `rule`: its line and its column within that line. A rule is
    /// usually one line; one typed over several is pointed at line by line.
    pub fn of_rule(rule: &str, error: RuleError) -> ApiError {
        let mut line = 1;
        let mut column = 1;
        for c in rule.chars().take(error.column.saturating_sub(1)) {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        let message = if line == 1 {
            error.to_text()
        } else {
            build_text!("line ", line, ", column ", column, ": ", error.message)
        };
        ApiError {
            code: ErrorCode::InvalidRule,
            message,
            path: None,
            line: Some(line),
            column: Some(column),
        }
    }

    /// A rule error in a setting or field named `path`.
    pub fn of_rule_at(path: &str, error: RuleError) -> ApiError {
        ApiError {
            message: build_text!(path, ": ", error),
            path: Some(path.to_string()),
            ..ApiError::from(error)
        }
    }
}

impl From<InputError> for ApiError {
    fn from(error: InputError) -> ApiError {
        ApiError {
            code: ErrorCode::InvalidInput,
            message: error.to_text(),
            path: Some(error.path),
            line: None,
            column: None,
        }
    }
}

impl From<RuleError> for ApiError {
    fn from(error: RuleError) -> ApiError {
        ApiError {
            code: ErrorCode::InvalidRule,
            message: error.to_text(),
            path: None,
            line: Some(1),
            column: Some(error.column),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::parse_rule;

    #[test]
    fn rule_errors_point_at_their_line_and_column() {
        let one = ApiError::of_rule(
            "Consent option=",
            parse_rule("Consent option=").unwrap_err(),
        );
        assert_eq!(
            (one.code, one.line, one.column),
            (ErrorCode::InvalidRule, Some(1), Some(16))
        );
        assert_eq!(one.message, "column 16: expected a value after '='");
        let text = "Consent value=True &\n  Consent option=";
        let two = ApiError::of_rule(text, parse_rule(text).unwrap_err());
        assert_eq!((two.line, two.column), (Some(2), Some(18)));
        assert_eq!(two.message, "line 2, column 18: expected a value after '='");
    }

    #[test]
    fn input_and_record_errors_name_their_path() {
        let input = ApiError::from(InputError {
            path: "request.after".into(),
            message: "x".into(),
        });
        assert_eq!(
            (input.code.as_str(), input.path.as_deref()),
            ("invalidInput", Some("request.after"))
        );
        let record = ApiError::of_record(
            "records",
            &UnifyError {
                index: 2,
                field: "key",
                message: "the key is empty".into(),
            },
        );
        assert_eq!(record.code.as_str(), "invalidRecord");
        assert_eq!(record.path.as_deref(), Some("records[2].key"));
        assert_eq!(record.message, "records[2].key: the key is empty");
    }
}
