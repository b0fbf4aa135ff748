//! JSON text to [`Value`] and back: how values cross the boundary.
//!
//! One string each way is far cheaper than walking a JavaScript object property by property
//! through imports, and the engine's own `JSON.stringify` and `JSON.parse` do the JavaScript
//! half. What JSON cannot say is sent as a marker object whose only key is `"\u0000"`: the
//! script's replacer turns a function, a symbol, a bigint, `NaN` or an infinity into
//! `{"\u0000": "function"}` and so on, so that errors still name what the caller passed.
//!
//! Numbers are read exactly when they are integers of up to 19 digits, which is every number
//! the API accepts; others are read closely enough to tell that they are no such integer.

use crate::prelude::*;
use crate::value::Value;

/// Deeper values are not read: no shape of the API nests more than a few levels.
pub const MAX_DEPTH: usize = 32;

/// Text that is not JSON (never sent by the script; a caller of the raw export may).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotJson {
    /// Byte offset of the fault.
    pub at: usize,
}

/// Read JSON text as a [`Value`]. Objects keep their property order; a property given twice
/// keeps its last value, as `JSON.parse` does.
pub fn parse(text: &str) -> Result<Value, NotJson> {
    parse_noting_repeats(text).map(|(value, _)| value)
}

/// [`parse`], and the names of the properties the text gives twice in one object (each once
/// per repeat): text a person typed, where the first of two values is silently lost.
pub fn parse_noting_repeats(text: &str) -> Result<(Value, Vec<String>), NotJson> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        at: 0,
        repeated: Vec::new(),
    };
    let value = reader.value(0)?;
    reader.space();
    if reader.at == reader.bytes.len() {
        Ok((value, reader.repeated))
    } else {
        Err(NotJson { at: reader.at })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Properties given twice in one object.
    repeated: Vec<String>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn fault<T>(&self) -> Result<T, NotJson> {
        Err(NotJson { at: self.at })
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, NotJson> {
        if self.bytes.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(value)
        } else {
            self.fault()
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, NotJson> {
        self.space();
        match self.peek() {
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[' | b'{') if depth >= MAX_DEPTH => {
                self.skip_nested()?;
                Ok(Value::Unsupported("a value nested too deeply"))
            }
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.fault(),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, NotJson> {
        self.at += 1;
        let mut items = Vec::new();
        self.space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return self.fault(),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, NotJson> {
        self.at += 1;
        let mut fields: Vec<(String, Value)> = Vec::new();
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(fields));
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return self.fault();
            }
            let name = self.string()?;
            self.space();
            if self.peek() != Some(b':') {
                return self.fault();
            }
            self.at += 1;
            let value = self.value(depth + 1)?;
            match fields.iter_mut().find(|(n, _)| *n == name) {
                Some(field) => {
                    field.1 = value;
                    self.repeated.push(name);
                }
                None => fields.push((name, value)),
            }
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(marker(fields));
                }
                _ => return self.fault(),
            }
        }
    }

    /// Past a nested array or object without reading it (no recursion: it may be deep).
    fn skip_nested(&mut self) -> Result<(), NotJson> {
        let mut open = 0usize;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.string()?;
                    continue;
                }
                Some(b'[' | b'{') => open += 1,
                Some(b']' | b'}') => {
                    open -= 1;
                    if open == 0 {
                        self.at += 1;
                        return Ok(());
                    }
                }
                Some(_) => {}
                None => return self.fault(),
            }
            self.at += 1;
        }
    }

    fn string(&mut self) -> Result<String, NotJson> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain characters at once.
            let start = self.at;
            while matches!(self.peek(), Some(c) if c != b'"' && c != b'\\' && c >= 0x20) {
                self.at += 1;
            }
            // The input is a `&str` and the run stops only at ASCII bytes, so it is whole UTF-8.
            if let Some(run) = self
                .bytes
                .get(start..self.at)
                .and_then(|b| core::str::from_utf8(b).ok())
            {
                out.push_str(run);
            }
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = self.peek();
                    self.at += 1;
                    match escaped {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => return self.fault(),
                    }
                }
                _ => return self.fault(),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, NotJson> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return self.fault(),
            };
            code = code * 16 + u32::from(digit);
            self.at += 1;
        }
        Ok(code)
    }

    /// The character of `\uXXXX` (after the `u`), joining a surrogate pair; a lone surrogate
    /// becomes U+FFFD, as the engine's own UTF-8 encoding of such a string does.
    fn unicode_escape(&mut self) -> Result<char, NotJson> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first)
            && self.bytes.get(self.at..self.at + 2) == Some(b"\\u".as_slice())
        {
            let saved = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.at = saved;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn number(&mut self) -> Result<Value, NotJson> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let mut mantissa: u64 = 0;
        let mut approximate = 0f64;
        let mut exact = true;
        let mut scale: i32 = 0;
        let mut digit = |this: &mut Self, fraction: bool| -> bool {
            match this.peek() {
                Some(c @ b'0'..=b'9') => {
                    let d = u64::from(c - b'0');
                    match mantissa.checked_mul(10).and_then(|m| m.checked_add(d)) {
                        Some(m) if exact => mantissa = m,
                        _ => {
                            if exact {
                                approximate = mantissa as f64;
                                exact = false;
                            }
                            approximate = approximate * 10.0 + d as f64;
                        }
                    }
                    if fraction {
                        scale -= 1;
                    }
                    this.at += 1;
                    true
                }
                _ => false,
            }
        };
        let mut whole_digits = 0;
        while digit(self, false) {
            whole_digits += 1;
        }
        if whole_digits == 0 {
            return self.fault();
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            let mut fraction_digits = 0;
            while digit(self, true) {
                fraction_digits += 1;
            }
            if fraction_digits == 0 {
                return self.fault();
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            let minus = self.peek() == Some(b'-');
            if matches!(self.peek(), Some(b'-' | b'+')) {
                self.at += 1;
            }
            let mut exponent: i32 = 0;
            let start = self.at;
            while let Some(c @ b'0'..=b'9') = self.peek() {
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i32::from(c - b'0'));
                self.at += 1;
            }
            if self.at == start {
                return self.fault();
            }
            scale = scale.saturating_add(if minus { -exponent } else { exponent });
        }
        let magnitude = if exact { mantissa as f64 } else { approximate };
        let magnitude = match scale {
            0 => magnitude,
            s if s > 0 => magnitude * power_of_ten(s.unsigned_abs()),
            // `unsigned_abs`: the scale saturates at `i32::MIN` for an exponent of thousands of digits.
            s => magnitude / power_of_ten(s.unsigned_abs()),
        };
        Ok(Value::Number(if negative { -magnitude } else { magnitude }))
    }
}

/// 10 to the power `exponent`, by squaring, as `f64::powi` computes it (which needs `std`).
fn power_of_ten(mut exponent: u32) -> f64 {
    let (mut result, mut base) = (1.0, 10.0_f64);
    while exponent > 0 {
        if exponent & 1 == 1 {
            result *= base;
        }
        base *= base;
        exponent >>= 1;
    }
    result
}

/// The value a marker object stands for, or the object itself.
fn marker(fields: Vec<(String, Value)>) -> Value {
    if let [(name, Value::String(what))] = fields.as_slice() {
        if name == "\u{0}" {
            match what.as_str() {
                "function" => return Value::Unsupported("a function"),
                "symbol" => return Value::Unsupported("a symbol"),
                "bigint" => return Value::Unsupported("a bigint"),
                "cyclic" => return Value::Unsupported("a cyclic or unreadable value"),
                "NaN" => return Value::Number(f64::NAN),
                "Infinity" => return Value::Number(f64::INFINITY),
                "-Infinity" => return Value::Number(f64::NEG_INFINITY),
                _ => {}
            }
        }
    }
    Value::Object(fields)
}

/// `value` as JSON text, appended to `out`. Numbers that are no integer (the API answers with
/// none) are written as null.
pub fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Unsupported(_) => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(*n, out),
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (name, field)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                write(field, out);
            }
            out.push('}');
        }
    }
}

/// An integer in decimal, by hand: the module carries no number formatting.
pub fn write_integer(n: i64, out: &mut String) {
    crate::text::push_integer(n, out);
}

fn write_number(n: f64, out: &mut String) {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if crate::value::is_whole(n) && n.abs() <= EXACT {
        write_integer(n as i64, out);
    } else {
        out.push_str("null");
    }
}

pub use consent_table::text::write_string;

#[cfg(test)]
mod tests {
    use super::*;

    fn round(text: &str) -> String {
        let mut out = String::new();
        write(&parse(text).unwrap(), &mut out);
        out
    }

    #[test]
    fn reads_and_writes_what_json_stringify_writes() {
        assert_eq!(
            round(r#" {"a":[1,-2,true,false,null],"b":"x\"\\\n\u0001é😀"} "#),
            "{\"a\":[1,-2,true,false,null],\"b\":\"x\\\"\\\\\\n\\u0001é😀\"}"
        );
        assert_eq!(
            parse(r#""\ud83d\ude00 \ud800x""#).unwrap(),
            Value::String("😀 \u{FFFD}x".into())
        );
        assert_eq!(
            parse(r#"{"a":1,"a":2}"#).unwrap(),
            Value::object([("a", Value::Number(2.0))])
        );
    }

    #[test]
    fn numbers_are_exact_integers_or_recognizably_not() {
        let number = |text| match parse(text).unwrap() {
            Value::Number(n) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(number("9007199254740991"), 9_007_199_254_740_991.0);
        assert_eq!(number("-0"), 0.0);
        assert_eq!(number("1e3"), 1000.0);
        assert_eq!(number("1.5"), 1.5);
        assert_eq!(number("25E-1"), 2.5);
        assert!(number("1152921504606846976") > 9_007_199_254_740_992.0);
        assert!(number("123456789012345678901234567890") > 1e29);
        // Found by fuzzing: an exponent of thousands of digits saturates the scale at i32::MIN,
        // whose negation overflowed (a panic with overflow checks, infinity without).
        assert_eq!(number("11.5e-02222222222222222222222222222222"), 0.0);
        assert_eq!(number("-1e-99999999999999999999"), 0.0);
        assert_eq!(number("1e99999999999999999999"), f64::INFINITY);
        for bad in [
            "-",
            "1.",
            "1e",
            "01x",
            "[1,]",
            "{\"a\" 1}",
            "\"\\x\"",
            "nul",
            "\"abc",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn markers_name_what_json_cannot_carry() {
        assert_eq!(
            parse(r#"{"\u0000":"function"}"#).unwrap().describe(),
            "a function"
        );
        assert_eq!(
            parse(r#"[{"\u0000":"NaN"}]"#).unwrap().describe(),
            "an array"
        );
        assert_eq!(parse(r#"{"\u0000":"NaN"}"#).unwrap().describe(), "NaN");
        assert_eq!(
            parse(r#"{"\u0000":"Infinity"}"#).unwrap().describe(),
            "a number with a fraction or out of range"
        );
        assert_eq!(
            parse(r#"{"\u0000":"other"}"#).unwrap().describe(),
            "an object"
        );
    }

    #[test]
    fn deep_values_are_cut_off_without_recursion() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let mut value = parse(&deep).unwrap();
        let mut depth = 0;
        while let Value::Array(mut items) = value {
            value = items.pop().unwrap();
            depth += 1;
        }
        assert_eq!(
            (depth, value.describe()),
            (MAX_DEPTH, "a value nested too deeply".into())
        );
        assert!(parse(&"[".repeat(100)).is_err());
    }

    #[test]
    fn integers_are_written_by_hand() {
        for n in [
            0,
            7,
            -7,
            10,
            65535,
            i64::MAX,
            i64::MIN,
            -9_007_199_254_740_992,
        ] {
            let mut out = String::new();
            write_integer(n, &mut out);
            assert_eq!(out, n.to_string());
        }
    }
}
