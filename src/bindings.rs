//! The JavaScript boundary: the only file that knows about `wasm_bindgen`. Values cross as JSON
//! text (see `json`), the hot save decision as numbers (see `save_wire`), consent tables as
//! pieces written straight into the module's memory (see `consent::Streams`). No rules here.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::calls::call;
use crate::consent::Streams;
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

thread_local! {
    /// Consent tables being read in pieces (see `consent::Streams`).
    static STREAMS: RefCell<Streams> = RefCell::new(Streams::default());
}

/// Start reading a consent table in pieces: its records (`segment` false) or the members of the
/// segment `rule`. Answers `[number]` or the rule's error, as JSON text.
#[wasm_bindgen]
pub fn table_open(rule: &str, segment: bool) -> String {
    let opened = STREAMS.with_borrow_mut(|streams| streams.open(segment.then_some(rule)));
    answer(
        opened
            .map(Value::from)
            .map_err(|e| ApiError::of_rule(rule, e)),
    )
}

/// Where to write the next `length` bytes of table `number` (0 for no such table). The caller
/// writes them into the module's memory and then calls `table_commit`.
#[wasm_bindgen]
pub fn table_space(number: u32, length: u32) -> u32 {
    STREAMS.with_borrow_mut(|streams| {
        streams
            .space(number, length as usize)
            .map_or(0, |room| room.as_mut_ptr() as u32)
    })
}

/// Read the `written` bytes put into the last space of table `number`: the rows read so far,
/// or -1 for no such table.
#[wasm_bindgen]
pub fn table_commit(number: u32, written: u32) -> f64 {
    STREAMS.with_borrow_mut(|streams| {
        streams
            .commit(number, written as usize)
            .map_or(-1.0, |rows| rows as f64)
    })
}

/// Finish table `number`: `[result]` as JSON text, or an error for no such table.
#[wasm_bindgen]
pub fn table_finish(number: u32) -> String {
    let result = STREAMS.with_borrow_mut(|streams| streams.finish(number));
    answer(result.ok_or_else(|| {
        ApiError::from(InputError {
            path: "reader".into(),
            message: "this reader is finished or cancelled".into(),
        })
    }))
}

/// Forget table `number` unfinished.
#[wasm_bindgen]
pub fn table_drop(number: u32) {
    STREAMS.with_borrow_mut(|streams| streams.drop_stream(number));
}
