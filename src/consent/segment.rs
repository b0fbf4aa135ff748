//! Segment rules over unified consent, in the syntax of Customer Insights:
//! `Consent option=Newsletter & Consent value=True`.
//!
//! Fields: `Consent option`, `Consent value`, `Consent date`, `Consent ID` (any case).
//! Operators: `=` and `!=`; dates also `<`, `<=`, `>`, `>=`. `!` negates, `&` binds tighter
//! than `|`, parentheses group. An unquoted value runs to the next `&`, `|` or `)` and is
//! trimmed; `"…"` quotes anything (`""` is a quote). Text compares case-insensitively.
//! A profile matches when one of its current consents satisfies the whole rule.

use crate::prelude::*;
use crate::text::{build_text, push_text, Piece};
use crate::value::InputError;
use core::fmt;

use super::table::{Table, TableRow};
use super::unify::{Consent, Unified};
use super::{eq_caseless, fold_case, parse_consent_value, ConsentDate, ConsentProfile};

/// A rule that cannot be parsed, or a profile it cannot be applied to.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleError {
    /// 1-based column (in characters) where the problem is found.
    pub column: usize,
    pub message: String,
}

impl Piece for RuleError {
    fn push_to(&self, out: &mut String) {
        push_text!(*out, "column ", self.column, ": ", self.message);
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl core::error::Error for RuleError {}

/// A parsed segment rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    Or(Vec<Rule>),
    And(Vec<Rule>),
    Not(Box<Rule>),
    Test(Test),
}

/// One comparison of a consent's field with a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// `Consent option` (`negated` for `!=`); the value is kept case-folded.
    Option { negated: bool, value: String },
    /// `Consent ID`; the value is kept case-folded.
    Id { negated: bool, value: String },
    /// `Consent value`.
    Value { negated: bool, value: bool },
    /// `Consent date`, with the text as written for printing.
    Date {
        op: Comparison,
        value: ConsentDate,
        text: String,
    },
}

/// A date comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparison {
    fn symbol(self) -> &'static str {
        match self {
            Comparison::Eq => "=",
            Comparison::Ne => "!=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
        }
    }
}

/// The facts of one consent a rule looks at.
pub(super) struct ConsentView<'a> {
    pub option: &'a str,
    pub value: bool,
    /// The consent date as an instant in UTC.
    pub date: Option<chrono::NaiveDateTime>,
    pub consent_id: Option<&'a str>,
}

impl Rule {
    /// Whether the rule selects one consent.
    pub(super) fn matches(&self, consent: &ConsentView) -> bool {
        match self {
            Rule::Or(rules) => rules.iter().any(|r| r.matches(consent)),
            Rule::And(rules) => rules.iter().all(|r| r.matches(consent)),
            Rule::Not(rule) => !rule.matches(consent),
            Rule::Test(test) => test.matches(consent),
        }
    }

    /// Whether the rule reads Consent IDs.
    pub(super) fn reads_ids(&self) -> bool {
        match self {
            Rule::Or(rules) | Rule::And(rules) => rules.iter().any(Rule::reads_ids),
            Rule::Not(rule) => rule.reads_ids(),
            Rule::Test(test) => matches!(test, Test::Id { .. }),
        }
    }

    /// Whether the rule reads consent dates (so profiles' dates must be parsed).
    pub(super) fn reads_dates(&self) -> bool {
        match self {
            Rule::Or(rules) | Rule::And(rules) => rules.iter().any(Rule::reads_dates),
            Rule::Not(rule) => rule.reads_dates(),
            Rule::Test(test) => matches!(test, Test::Date { .. }),
        }
    }
}

impl Test {
    fn matches(&self, consent: &ConsentView) -> bool {
        match self {
            Test::Option { negated, value } => {
                eq_caseless(consent.option.trim(), value) != *negated
            }
            Test::Id { negated, value } => {
                consent.consent_id.is_some_and(|id| eq_caseless(id, value)) != *negated
            }
            Test::Value { negated, value } => (consent.value == *value) != *negated,
            Test::Date { op, value, .. } => {
                // `!=` is the negation of `=`, so an undated consent satisfies it; every other
                // comparison needs a date.
                let Some(date) = consent.date else {
                    return *op == Comparison::Ne;
                };
                let ordering = if value.is_date_only() {
                    date.date().cmp(&value.day())
                } else {
                    date.cmp(&value.instant())
                };
                match op {
                    Comparison::Eq => ordering.is_eq(),
                    Comparison::Ne => ordering.is_ne(),
                    Comparison::Lt => ordering.is_lt(),
                    Comparison::Le => ordering.is_le(),
                    Comparison::Gt => ordering.is_gt(),
                    Comparison::Ge => ordering.is_ge(),
                }
            }
        }
    }
}

impl Piece for Rule {
    /// Prints a rule that parses back to an equal rule: values always quoted, groups in
    /// parentheses where precedence needs them.
    fn push_to(&self, out: &mut String) {
        fn joined(out: &mut String, rules: &[Rule], separator: &str, wrap_or: bool) {
            for (i, rule) in rules.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                if wrap_or && matches!(rule, Rule::Or(_)) {
                    out.push('(');
                    rule.push_to(out);
                    out.push(')');
                } else {
                    rule.push_to(out);
                }
            }
        }
        match self {
            Rule::Or(rules) => joined(out, rules, " | ", false),
            Rule::And(rules) => joined(out, rules, " & ", true),
            Rule::Not(rule) => {
                out.push('!');
                match **rule {
                    Rule::Test(_) | Rule::Not(_) => rule.push_to(out),
                    _ => {
                        out.push('(');
                        rule.push_to(out);
                        out.push(')');
                    }
                }
            }
            Rule::Test(test) => test.push_to(out),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl Piece for Test {
    fn push_to(&self, out: &mut String) {
        /// `field`, `op` and the value always quoted, with quotes doubled: it reads back as written.
        fn quoted(out: &mut String, field: &str, op: &str, value: &str) {
            for piece in [field, op, "\""] {
                out.push_str(piece);
            }
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        }
        let ne = |negated: bool| if negated { "!=" } else { "=" };
        match self {
            Test::Option { negated, value } => quoted(out, "Consent option", ne(*negated), value),
            Test::Id { negated, value } => quoted(out, "Consent ID", ne(*negated), value),
            Test::Value { negated, value } => {
                for piece in [
                    "Consent value",
                    ne(*negated),
                    if *value { "True" } else { "False" },
                ] {
                    out.push_str(piece);
                }
            }
            Test::Date { op, text, .. } => quoted(out, "Consent date", op.symbol(), text),
        }
    }
}

/// Parse a segment rule.
///
/// # Errors
/// A [`RuleError`] naming the column where the rule stops making sense.
pub fn parse_rule(rule: &str) -> Result<Rule, RuleError> {
    let mut parser = Parser {
        depth: 0,
        chars: rule.chars().collect(),
        pos: 0,
    };
    parser.skip_spaces();
    if parser.at_end() {
        return Err(parser.error_here("the rule is empty"));
    }
    let parsed = parser.or()?;
    parser.skip_spaces();
    match parser.peek() {
        None => Ok(parsed),
        Some(')') => Err(parser.error_here("')' has no matching '('")),
        Some(_) => Err(parser.error_here("expected '&' or '|' between conditions")),
    }
}

/// Keys of the profiles that match `rule`, in input order.
///
/// # Errors
/// A [`RuleError`] for a rule that does not parse.
pub fn evaluate_segment(rule: &str, profiles: &[ConsentProfile]) -> Result<Vec<String>, RuleError> {
    Ok(parse_rule(rule)?.select(profiles))
}

/// For a rule that reads dates: the first consent of `profiles` whose date is not one, as the
/// error naming it (`profiles[0].consents.News.date`). Profiles given as data may hold any text
/// there; read as no date, it would give a wrong answer.
pub fn unreadable_date(rule: &Rule, profiles: &[ConsentProfile]) -> Option<InputError> {
    if !rule.reads_dates() {
        return None;
    }
    profiles.iter().enumerate().find_map(|(index, profile)| {
        profile.consents.iter().find_map(|(option, consent)| {
            let date = consent.date.as_deref()?;
            ConsentDate::parse(date).is_none().then(|| InputError {
                path: build_text!("profiles[", index, "].consents.", option.as_str(), ".date"),
                message: build_text!(
                    "'",
                    date,
                    "' is not a date or date-time written as 2024-05-03 or 2024-05-03T10:15:00Z"
                ),
            })
        })
    })
}

impl Rule {
    /// Per option of `options`, whether a consent of it with value false, and with value
    /// true, satisfies this rule; `None` when the rule reads dates or Consent IDs. A rule that
    /// reads neither decides on a consent's option and value alone: once per option and value,
    /// not once per consent.
    fn decided_by_option(&self, options: &[String]) -> Option<Vec<[bool; 2]>> {
        (!self.reads_dates() && !self.reads_ids()).then(|| {
            options
                .iter()
                .map(|option| {
                    [false, true].map(|value| {
                        self.matches(&ConsentView {
                            option,
                            value,
                            date: None,
                            consent_id: None,
                        })
                    })
                })
                .collect()
        })
    }

    /// Unify `table` for this rule: where the rule decides on options and values alone, only
    /// the options it can select are unified (see [`Table::unify_options`]), and
    /// [`select_unified`](Self::select_unified) gives the same keys as after a full
    /// unification.
    pub fn unify(&self, table: &mut Table) -> Unified {
        let wanted: Option<Vec<bool>> = self
            .decided_by_option(&table.options)
            .map(|decided| decided.iter().map(|[no, yes]| *no || *yes).collect());
        table.unify_options(wanted.as_deref())
    }

    /// Keys of the unified profiles of `table` this rule selects, in order.
    pub fn select_unified(&self, table: &Table, profiles: &Unified) -> Vec<String> {
        let by_option = self.decided_by_option(&table.options);
        let key = |key: u32| table.keys.get(key).map(str::to_string);
        if let Some(decided) = by_option {
            // Options and values are in the profiles' own blocks: no row is read.
            let selected = |consent: Consent| {
                decided
                    .get(consent.option as usize)
                    .and_then(|values| values.get(usize::from(consent.value)))
                    .is_some_and(|selected| *selected)
            };
            return profiles
                .consents()
                .filter_map(|(profile, mut consents)| {
                    consents.any(selected).then(|| key(profile)).flatten()
                })
                .collect();
        }
        let selects = |row: &TableRow| {
            self.matches(&ConsentView {
                option: table.option(row.option()).unwrap_or(""),
                value: row.value(),
                date: row.date,
                consent_id: table.ids.get(row.id),
            })
        };
        profiles
            .iter()
            .filter_map(|(profile, mut current)| {
                current
                    .any(|index| table.row(index).is_some_and(selects))
                    .then(|| key(profile))
                    .flatten()
            })
            .collect()
    }

    /// Keys of the profiles this rule selects, in input order.
    pub fn select(&self, profiles: &[ConsentProfile]) -> Vec<String> {
        let reads_dates = self.reads_dates();
        profiles
            .iter()
            .filter(|profile| {
                profile.consents.iter().any(|(option, consent)| {
                    let date = if reads_dates {
                        consent
                            .date
                            .as_deref()
                            .and_then(ConsentDate::parse)
                            .map(ConsentDate::instant)
                    } else {
                        None
                    };
                    self.matches(&ConsentView {
                        option,
                        value: consent.value,
                        date,
                        consent_id: consent.consent_id.as_deref(),
                    })
                })
            })
            .map(|profile| profile.key.clone())
            .collect()
    }
}

/// Which group a list of rules forms.
#[derive(Clone, Copy, PartialEq)]
enum Group {
    And,
    Or,
}

/// The one rule of `rules`, or all of them in `group`. A group of the same kind inside is
/// spliced in (`a & (b & c)` is `a & b & c`), so that a printed rule parses back to an equal one.
fn grouped(rules: Vec<Rule>, group: Group) -> Rule {
    let mut flat = Vec::with_capacity(rules.len());
    for rule in rules {
        match (rule, group) {
            (Rule::And(inner), Group::And) | (Rule::Or(inner), Group::Or) => flat.extend(inner),
            (other, _) => flat.push(other),
        }
    }
    if flat.len() == 1 {
        if let Some(only) = flat.pop() {
            return only;
        }
    }
    match group {
        Group::And => Rule::And(flat),
        Group::Or => Rule::Or(flat),
    }
}

/// The field a condition tests.
#[derive(Clone, Copy)]
enum Field {
    Option,
    Value,
    Date,
    Id,
}

/// How deep `!` and parentheses may nest. The parser recurses, and WebAssembly's stack is
/// small: a rule of 50,000 `(` must be an error, not a trap that breaks the module.
const MAX_NESTING: usize = 64;

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn slice(&self, start: usize, end: usize) -> &[char] {
        self.chars.get(start..end).unwrap_or(&[])
    }

    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn error_at(&self, pos: usize, message: impl Into<String>) -> RuleError {
        RuleError {
            column: pos + 1,
            message: message.into(),
        }
    }

    fn error_here(&self, message: impl Into<String>) -> RuleError {
        self.error_at(self.pos, message)
    }

    fn or(&mut self) -> Result<Rule, RuleError> {
        let mut terms = vec![self.and()?];
        loop {
            self.skip_spaces();
            if self.peek() != Some('|') {
                break;
            }
            self.pos += 1;
            terms.push(self.and()?);
        }
        Ok(grouped(terms, Group::Or))
    }

    fn and(&mut self) -> Result<Rule, RuleError> {
        let mut factors = vec![self.unary()?];
        loop {
            self.skip_spaces();
            if self.peek() != Some('&') {
                break;
            }
            self.pos += 1;
            factors.push(self.unary()?);
        }
        Ok(grouped(factors, Group::And))
    }

    fn unary(&mut self) -> Result<Rule, RuleError> {
        self.skip_spaces();
        if matches!(self.peek(), Some('!' | '(')) {
            if self.depth >= MAX_NESTING {
                return Err(self.error_here(build_text!(
                    "the rule nests '!' and '(' more than ",
                    MAX_NESTING,
                    " deep"
                )));
            }
            self.depth += 1;
            let rule = self.nested();
            self.depth -= 1;
            return rule;
        }
        self.nested()
    }

    /// A negation, a group, or a comparison.
    fn nested(&mut self) -> Result<Rule, RuleError> {
        match self.peek() {
            Some('!') => {
                self.pos += 1;
                Ok(Rule::Not(Box::new(self.unary()?)))
            }
            Some('(') => {
                let open = self.pos;
                self.pos += 1;
                let inner = self.or()?;
                self.skip_spaces();
                if self.peek() == Some(')') {
                    self.pos += 1;
                    Ok(inner)
                } else {
                    Err(self.error_here(build_text!(
                        "expected ')' to close the '(' at column ",
                        open + 1
                    )))
                }
            }
            None => Err(self.error_here("expected a condition, such as Consent option=Newsletter")),
            Some(_) => self.test(),
        }
    }

    fn test(&mut self) -> Result<Rule, RuleError> {
        let field = self.field()?;
        self.skip_spaces();
        let op_start = self.pos;
        let op = self.comparison().ok_or_else(|| {
            self.error_at(
                op_start,
                "expected an operator ('=' or '!=') after the field",
            )
        })?;
        let value_start = self.pos;
        let (text, quoted) = self.value()?;
        if text.is_empty() && !quoted {
            return Err(self.error_at(
                value_start,
                build_text!("expected a value after '", op.symbol(), "'"),
            ));
        }
        let negated = match op {
            Comparison::Eq => false,
            Comparison::Ne => true,
            _ if matches!(field, Field::Date) => false,
            _ => {
                return Err(self.error_at(
                    op_start,
                    build_text!("'", op.symbol(), "' compares dates only (Consent date)"),
                ));
            }
        };
        // The value's own column, past any spaces after the operator.
        let text_column = value_start
            + self
                .slice(value_start, self.pos)
                .iter()
                .take_while(|c| c.is_whitespace())
                .count();
        let test = match field {
            // Options compare without their surrounding space (a table's are kept as written),
            // so a quoted value with spaces around it means the option inside them.
            Field::Option => Test::Option {
                negated,
                value: fold_case(text.trim()),
            },
            Field::Id => Test::Id {
                negated,
                value: fold_case(&text),
            },
            Field::Value => Test::Value {
                negated,
                value: parse_consent_value(&text).ok_or_else(|| {
                    self.error_at(
                        text_column,
                        build_text!(
                            "'",
                            text,
                            "' is not a consent value: use True or False (or yes/no, 1/0)"
                        ),
                    )
                })?,
            },
            Field::Date => Test::Date {
                op,
                value: ConsentDate::parse(&text).ok_or_else(|| {
                    self.error_at(
                        text_column,
                        build_text!("'", text, "' is not a date or date-time written as 2024-05-03 or 2024-05-03T10:15:00Z"),
                    )
                })?,
                text,
            },
        };
        Ok(Rule::Test(test))
    }

    /// `Consent option`, `Consent value`, `Consent date` or `Consent ID`, any case, any spaces.
    fn field(&mut self) -> Result<Field, RuleError> {
        let start = self.pos;
        let first = self.word();
        self.skip_spaces();
        let second = self.word();
        let field = if first.eq_ignore_ascii_case("consent") {
            match second.to_ascii_lowercase().as_str() {
                "option" => Some(Field::Option),
                "value" => Some(Field::Value),
                "date" => Some(Field::Date),
                "id" => Some(Field::Id),
                _ => None,
            }
        } else {
            None
        };
        field.ok_or_else(|| {
            // Name what was written, up to the operator, so a typo is easy to spot.
            let written: String = self
                .slice(start, self.chars.len())
                .iter()
                .take_while(|c| !matches!(c, '=' | '!' | '<' | '>' | '&' | '|' | '(' | ')'))
                .collect();
            let written = written.trim();
            let message = if written.is_empty() {
                "expected a field: Consent option, Consent value, Consent date or Consent ID"
                    .to_string()
            } else {
                build_text!(
                    "unknown field '",
                    written,
                    "': use Consent option, Consent value, Consent date or Consent ID"
                )
            };
            self.error_at(start, message)
        })
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos += 1;
        }
        self.slice(start, self.pos).iter().collect()
    }

    fn comparison(&mut self) -> Option<Comparison> {
        let (op, len) = match (self.peek()?, self.chars.get(self.pos + 1).copied()) {
            ('!', Some('=')) => (Comparison::Ne, 2),
            ('<', Some('=')) => (Comparison::Le, 2),
            ('>', Some('=')) => (Comparison::Ge, 2),
            ('=', _) => (Comparison::Eq, 1),
            ('<', _) => (Comparison::Lt, 1),
            ('>', _) => (Comparison::Gt, 1),
            _ => return None,
        };
        self.pos += len;
        Some(op)
    }

    /// A quoted value, or an unquoted one up to `&`, `|`, `)` or the end, trimmed.
    fn value(&mut self) -> Result<(String, bool), RuleError> {
        self.skip_spaces();
        if self.peek() == Some('"') {
            let open = self.pos;
            self.pos += 1;
            let mut text = String::new();
            loop {
                match self.peek() {
                    None => return Err(self.error_at(open, "the quote opened here is not closed")),
                    Some('"') if self.chars.get(self.pos + 1) == Some(&'"') => {
                        text.push('"');
                        self.pos += 2;
                    }
                    Some('"') => {
                        self.pos += 1;
                        return Ok((text, true));
                    }
                    Some(c) => {
                        text.push(c);
                        self.pos += 1;
                    }
                }
            }
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| !matches!(c, '&' | '|' | ')')) {
            self.pos += 1;
        }
        let text: String = self.slice(start, self.pos).iter().collect();
        Ok((text.trim().to_string(), false))
    }
}
