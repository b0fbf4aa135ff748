//! Fuzz target `csv_reader`: the properties of `checks::csv_reader` on arbitrary bytes.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::csv_reader(data));
