//! consent-table: consent tables read from CSV, their keys and options numbered, and their rows
//! unified into one profile per key.
//!
//! The work of a large table is here, in a crate of its own, so that it is compiled for speed
//! while the rest of the rules module is compiled for size (see the workspace's `Cargo.toml`):
//! code built for size calls even the smallest helper instead of inlining it, which made this
//! path 1.4-1.6x slower in Node. The JavaScript-facing shapes and calls are in `consent-guard`.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

/// What every module takes from `alloc`, which the `std` prelude would otherwise give. Public for
/// the text macros, which name it.
#[doc(hidden)]
pub mod prelude {
    pub use alloc::boxed::Box;
    pub use alloc::format;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod columns;
pub mod csv;
pub mod date;
pub mod email;
mod fields;
pub mod ids;
pub mod interner;
pub mod rows;
pub mod scan;
pub mod table;
pub mod text;
pub mod unify;

pub use fields::{fold_char, parse_consent_value, trim};

/// Seeded pseudo-random numbers below a bound, for the tests that generate their inputs: the
/// same inputs on every run.
#[cfg(test)]
pub(crate) fn seeded(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |below| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % below
    }
}
