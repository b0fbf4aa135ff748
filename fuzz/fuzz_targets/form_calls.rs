//! Fuzz target `form_calls`: the properties of `checks::form_calls` on arbitrary bytes.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::form_calls(data));
