//! Fuzz target `segment_rule`: the properties of `checks::segment_rule` on arbitrary bytes.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::segment_rule(data));
