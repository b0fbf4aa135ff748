//! consent-guard: GDPR opt-out, Spotler anonymization and consent rules for Dynamics 365 forms.
//!
//! The core is plain Rust and is tested with `cargo test`; `bindings` (built for wasm32 only)
//! is the one file that talks to JavaScript.
//!
//! The WebAssembly build has no `std`: with its own panic handler (a trap), the module carries
//! none of the standard library's panic and formatting machinery, which was a large share of its
//! size. Text is built with [`text`](crate::text) rather than `format!` for the same reason.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

/// What every module takes from `alloc`, which the `std` prelude would otherwise give.
pub(crate) mod prelude {
    pub use alloc::boxed::Box;
    pub use alloc::format;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod anonymize_job;
pub mod calls;
pub mod consent;
pub use consent_table::email;
pub mod error;
pub mod form;
pub mod json;
pub mod messages;
pub mod save;
pub mod save_wire;
pub mod shapes;
pub mod text;
pub mod value;
pub mod visibility;

#[cfg(target_arch = "wasm32")]
mod bindings;

/// A panic in the WebAssembly build traps: the call fails in JavaScript with a `RuntimeError`,
/// which the script reports as a fault (and fails closed). There are no panics on input by
/// design (see the lints in Cargo.toml); this is for the ones that cannot happen.
#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
