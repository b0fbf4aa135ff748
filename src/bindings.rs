//! The JavaScript boundary: the only file that knows about `wasm_bindgen`. Values cross as JSON
//! text (see `json`), the hot save decision as numbers (see `save_wire`). No rules here.

use wasm_bindgen::prelude::*;

use crate::calls::{self, call};
use crate::email::is_valid_email;
use crate::error::ApiError;
use crate::json::{parse, write, write_integer};
use crate::save_wire::evaluate_save_bits;
use crate::value::{InputError, Value};

// Talc instead of Rust's default dlmalloc: a smaller module and faster allocation. The module
// runs on one thread (no atomics target feature).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The error as JSON: `{"code", "message", "path"?, "line"?, "column"?}`.
fn write_error(error: &ApiError, out: &mut String) {
    out.push_str("{\"code\":\"");
    out.push_str(error.code.as_str());
    out.push_str("\",\"message\":");
    write(&Value::from(error.message.as_str()), out);
    if let Some(path) = &error.path {
        out.push_str(",\"path\":");
        write(&Value::from(path.as_str()), out);
    }
    for (name, number) in [("line", error.line), ("column", error.column)] {
        if let Some(n) = number {
            out.push_str(",\"");
            out.push_str(name);
            out.push_str("\":");
            write_integer(n as i64, out);
        }
    }
    out.push('}');
}

/// Run `operation` (see `calls`) on `input`, JSON text, in the language `lcid` (0: none).
/// Answers JSON text: `[answer]`, or the error object.
#[wasm_bindgen]
pub fn call_json(operation: &str, input: &str, lcid: u32) -> String {
    let lcid = (1..=65535).contains(&lcid).then_some(lcid);
    let answer = parse(input)
        .map_err(|_| {
            ApiError::from(InputError {
                path: "input".into(),
                message: "not JSON".into(),
            })
        })
        .and_then(|input| call(operation, &input, lcid));
    self::answer(answer)
}

/// `[answer]` or the error object, as JSON text.
fn answer(answer: Result<Value, ApiError>) -> String {
    let mut out = String::new();
    match answer {
        Ok(value) => {
            out.push('[');
            write(&value, &mut out);
            out.push(']');
        }
        Err(error) => write_error(&error, &mut out),
    }
    out
}

/// `operation` on text parameters handed over as they are (see `calls::call_text`): a large
/// table crosses without JSON escaping.
#[wasm_bindgen]
pub fn call_text(operation: &str, first: &str, second: &str) -> String {
    answer(calls::call_text(operation, first, second))
}

/// Whether an email address is valid for the connector (the hot path's one string).
#[wasm_bindgen]
pub fn email_valid(text: &str) -> bool {
    is_valid_email(text)
}

/// Judge a save given on the compact wire (see `save_wire`): the verdict as bits.
#[wasm_bindgen]
pub fn save_bits(kind: u32, save_mode: u32, flags: u32, before: i32, after: i32) -> u32 {
    evaluate_save_bits(kind, save_mode, flags, [before, after])
}
