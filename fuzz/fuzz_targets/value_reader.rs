//! Fuzz target `value_reader`: the properties of `checks::value_reader` on arbitrary bytes.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::value_reader(data));
