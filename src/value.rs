//! Inputs and outputs as plain data, and strict reading of inputs.
//!
//! The boundary turns a JavaScript value into a [`Value`] and a result [`Value`] back into a
//! JavaScript value; everything in between is plain Rust. Readers check every field's type and
//! reject unknown fields, and an error names the path of the field at fault
//! (`request.after.donotemail: expected true, false or null, got the string "yes"`).

use crate::prelude::*;
use crate::text::{build_text, push_text, Piece};
use core::fmt;

/// A JavaScript value as data. Object properties keep their order.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
    /// A value with no data meaning (a function, a symbol, a bigint, or nesting too deep);
    /// the text says which, for error messages.
    Unsupported(&'static str),
}

impl Value {
    /// An object from `(name, value)` pairs.
    pub fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
        Value::Object(
            fields
                .into_iter()
                .map(|(name, value)| (name.to_string(), value))
                .collect(),
        )
    }

    /// A string value, or null.
    pub fn optional_string(text: Option<&str>) -> Value {
        text.into()
    }

    /// The value in words, for error messages: `the string "yes"`, `an array`.
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => build_text!("the boolean ", b),
            Value::Number(n) => match integer_of(*n) {
                Some(i) => build_text!("the number ", i),
                None if n.is_nan() => "NaN".into(),
                None => "a number with a fraction or out of range".into(),
            },
            Value::String(s) => {
                let shown: String = s.chars().take(40).collect();
                let ellipsis = if shown.len() < s.len() { "…" } else { "" };
                build_text!("the string \"", shown, ellipsis, "\"")
            }
            Value::Array(_) => "an array".into(),
            Value::Object(_) => "an object".into(),
            Value::Unsupported(what) => (*what).into(),
        }
    }
}

// Results are written as `("name", field.into())`: one line per field, whatever its type.
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Value {
        Value::Number(f64::from(n))
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::String(text.to_string())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::String(text)
    }
}

impl From<&String> for Value {
    fn from(text: &String) -> Value {
        Value::String(text.clone())
    }
}

/// A list of strings.
impl From<&[String]> for Value {
    fn from(items: &[String]) -> Value {
        Value::Array(items.iter().map(Value::from).collect())
    }
}

/// Null for `None`.
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}

/// Whether `n` is a whole number (and finite). Without `std`, `f64::fract` is not available;
/// a whole number beyond `i64` counts as not whole, which no caller's range reaches.
pub fn is_whole(n: f64) -> bool {
    n.is_finite() && (n as i64) as f64 == n
}

/// `n` as an integer, when it is one that an `i64` holds exactly.
fn integer_of(n: f64) -> Option<i64> {
    // 2^53: beyond it not every integer is representable, so a float may have been rounded.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    (is_whole(n) && n.abs() <= EXACT).then_some(n as i64)
}

/// An input that does not have the expected shape.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    /// Where, e.g. `request.after.donotemail` or `records[3].value`.
    pub path: String,
    pub message: String,
}

impl Piece for InputError {
    fn push_to(&self, out: &mut String) {
        push_text!(*out, self.path, ": ", self.message);
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl core::error::Error for InputError {}

/// Where a value sits in an input; built on the stack as readers descend.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    Root(&'a str),
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Piece for Path<'_> {
    fn push_to(&self, out: &mut String) {
        match self {
            Path::Root(name) => out.push_str(name),
            Path::Field(parent, name) => {
                parent.push_to(out);
                out.push('.');
                out.push_str(name);
            }
            Path::Index(parent, index) => {
                parent.push_to(out);
                out.push('[');
                index.push_to(out);
                out.push(']');
            }
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// A value being read, with its path for errors.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub value: &'a Value,
    pub path: Path<'a>,
}

impl<'a> Input<'a> {
    /// The whole input of a parameter.
    pub fn root(value: &'a Value, name: &'a str) -> Input<'a> {
        Input {
            value,
            path: Path::Root(name),
        }
    }

    /// An error at this value's path.
    pub fn error(&self, message: impl Into<String>) -> InputError {
        InputError {
            path: self.path.to_text(),
            message: message.into(),
        }
    }

    fn expected(&self, what: &str) -> InputError {
        self.error(build_text!(
            "expected ",
            what,
            ", got ",
            self.value.describe()
        ))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn bool(&self) -> Result<bool, InputError> {
        match self.value {
            Value::Bool(b) => Ok(*b),
            _ => Err(self.expected("true or false")),
        }
    }

    pub fn str(&self) -> Result<&'a str, InputError> {
        match self.value {
            Value::String(s) => Ok(s),
            _ => Err(self.expected("a string")),
        }
    }

    /// An integer within `min..=max`.
    pub fn integer(&self, min: i64, max: i64) -> Result<i64, InputError> {
        match self.value {
            Value::Number(n) => match integer_of(*n).filter(|i| (min..=max).contains(i)) {
                Some(i) => Ok(i),
                None => Err(self.expected(&build_text!("an integer from ", min, " to ", max))),
            },
            _ => Err(self.expected("an integer")),
        }
    }

    /// `f` applied to each element of an array.
    pub fn array<T>(
        &self,
        mut f: impl FnMut(Input) -> Result<T, InputError>,
    ) -> Result<Vec<T>, InputError> {
        let Value::Array(items) = self.value else {
            return Err(self.expected("an array"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, value) in items.iter().enumerate() {
            out.push(f(Input {
                value,
                path: Path::Index(&self.path, index),
            })?);
        }
        Ok(out)
    }

    /// The properties of an object, in order.
    pub fn entries(&self) -> Result<&'a [(String, Value)], InputError> {
        match self.value {
            Value::Object(fields) => Ok(fields),
            _ => Err(self.expected("an object")),
        }
    }

    /// An object whose properties must all be among `allowed`.
    pub fn object(&self, allowed: &'static [&'static str]) -> Result<Fields<'a>, InputError> {
        let fields = self.fields()?;
        match fields.unknown(allowed).next() {
            // The path names the field itself, so that a program finds the misspelt name there.
            Some(name) => Err(InputError {
                path: Path::Field(&self.path, name).to_text(),
                message: build_text!(
                    "unknown field; expected one of ",
                    crate::text::join(allowed, ", ")
                ),
            }),
            None => Ok(fields),
        }
    }

    /// An object, whatever its properties.
    pub fn fields(&self) -> Result<Fields<'a>, InputError> {
        Ok(Fields {
            fields: self.entries()?,
            path: self.path,
        })
    }
}

/// The checked properties of an object.
pub struct Fields<'a> {
    fields: &'a [(String, Value)],
    path: Path<'a>,
}

impl<'a> Fields<'a> {
    /// The names of the properties not among `allowed`.
    pub fn unknown(
        &self,
        allowed: &'static [&'static str],
    ) -> impl Iterator<Item = &'a str> + use<'a> {
        self.fields
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(move |name| !allowed.contains(name))
    }

    /// The field `name`, or `None` when it is absent.
    ///
    /// Not generic over a reader on purpose: one copy of this code serves every field, which
    /// keeps the WebAssembly module small.
    pub fn optional(&self, name: &'a str) -> Option<Input<'_>> {
        let (_, value) = self.fields.iter().find(|(n, _)| n == name)?;
        Some(Input {
            value,
            path: Path::Field(&self.path, name),
        })
    }

    /// The field `name` as an integer within `min..=max`; absent or null is `None`.
    pub fn optional_integer(
        &self,
        name: &'a str,
        min: i64,
        max: i64,
    ) -> Result<Option<i64>, InputError> {
        match self.optional(name) {
            Some(input) if !input.is_null() => input.integer(min, max).map(Some),
            _ => Ok(None),
        }
    }

    /// The field `name` as text; absent or null is `None`.
    pub fn optional_str(&self, name: &'a str) -> Result<Option<&str>, InputError> {
        match self.optional(name) {
            Some(input) if !input.is_null() => input.str().map(Some),
            _ => Ok(None),
        }
    }

    /// The field `name` as true or false; absent or null is `None`.
    pub fn optional_bool(&self, name: &'a str) -> Result<Option<bool>, InputError> {
        match self.optional(name) {
            Some(input) if !input.is_null() => input.bool().map(Some),
            _ => Ok(None),
        }
    }

    /// The field `name` as text; absence is an error.
    pub fn required_str(&self, name: &'a str) -> Result<&str, InputError> {
        self.required(name)?.str()
    }

    /// The field `name`; absence is an error.
    pub fn required(&self, name: &'a str) -> Result<Input<'_>, InputError> {
        self.optional(name).ok_or_else(|| InputError {
            path: Path::Field(&self.path, name).to_text(),
            message: "missing field".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        Value::object([
            ("name", Value::String("x".into())),
            (
                "items",
                Value::Array(vec![Value::Number(1.0), Value::Number(2.5)]),
            ),
        ])
    }

    #[test]
    fn paths_and_messages() {
        let value = sample();
        let root = Input::root(&value, "input");
        let Ok(fields) = root.object(&["name", "items"]) else {
            panic!("an object with known fields")
        };
        let error = fields
            .required("items")
            .and_then(|items| items.array(|item| item.integer(0, 10)))
            .unwrap_err();
        assert_eq!(error.to_string(), "input.items[1]: expected an integer from 0 to 10, got a number with a fraction or out of range");
        let error = fields
            .required("name")
            .and_then(|name| name.bool())
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "input.name: expected true or false, got the string \"x\""
        );
        let error = fields.required("other").and_then(|v| v.bool()).unwrap_err();
        assert_eq!(error.to_string(), "input.other: missing field");
        let Err(error) = root.object(&["name"]) else {
            panic!("`items` is not allowed")
        };
        assert_eq!(
            error.to_string(),
            "input.items: unknown field; expected one of name"
        );
    }

    #[test]
    fn descriptions() {
        assert_eq!(Value::Number(f64::NAN).describe(), "NaN");
        assert_eq!(Value::Number(-3.0).describe(), "the number -3");
        assert_eq!(Value::Unsupported("a function").describe(), "a function");
        let long = Value::String("y".repeat(100));
        assert_eq!(
            long.describe(),
            format!("the string \"{}…\"", "y".repeat(40))
        );
    }
}
