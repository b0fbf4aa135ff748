//! Fuzz target `save_request`: the properties of `checks::save_request` on arbitrary bytes.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::save_request(data));
