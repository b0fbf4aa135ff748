//! Test helpers: the JSON a JavaScript caller would send, as the core's `Value`.

use consent_guard::value::Value;

/// `serde_json` → `Value`, as the boundary converts a plain JavaScript object.
#[allow(dead_code)] // not every test file reads JSON
pub fn value(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::Array(items.into_iter().map(value).collect()),
        serde_json::Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(k, v)| (k, value(v))).collect())
        }
    }
}

/// xorshift: seeded, reproducible test data.
#[allow(dead_code)] // not every test file draws random data
pub struct Random(pub u64);

#[allow(dead_code)]
impl Random {
    /// A number below `below`.
    pub fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}
