//! Text built without `core::fmt`: the pieces and macros of `consent-table`'s `text`, which
//! the consent reader shares with the rest of the rules.

pub use consent_table::text::*;
pub use consent_table::{build_text, push_text};
