//! consent-guard: GDPR opt-out, Spotler anonymization and consent rules for Dynamics 365 forms.
//!
//! The core is plain Rust and is tested with `cargo test`; `bindings` (built for wasm32 only)
//! is the one file that talks to JavaScript.

pub mod anonymize_job;
pub mod calls;
pub mod consent;
pub mod email;
pub mod error;
pub mod form;
pub mod json;
pub mod messages;
pub mod save;
pub mod save_wire;
pub mod shapes;
pub mod value;
pub mod visibility;

#[cfg(target_arch = "wasm32")]
mod bindings;
