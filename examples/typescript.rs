//! Writes the TypeScript declarations of every shape and operation (see `src/shapes.rs`), and the
//! numbers of the consent columns' layout (see `src/consent/columns.rs`), into a directory:
//! `cargo run --example typescript -- shim/gen`. The build runs it before `tsc`.

use consent_guard::consent::{HAS_DATE, HAS_ID, OPTION_SHIFT, READS_DATES, READS_IDS, VALUE};
use consent_guard::shapes::{internal_declarations, public_declarations};

/// The layout's numbers as TypeScript constants, each with its Rust name.
fn column_constants() -> String {
    let constants = [
        (
            "VALUE",
            "Flag of a record or a consent: its value is true.",
            i64::from(VALUE),
        ),
        (
            "HAS_ID",
            "Flag of a record or a consent: it has a Consent ID.",
            i64::from(HAS_ID),
        ),
        (
            "HAS_DATE",
            "Flag of a record or a consent: it has a date.",
            i64::from(HAS_DATE),
        ),
        (
            "READS_DATES",
            "Bit of what a rule reads: dates.",
            i64::from(READS_DATES),
        ),
        (
            "READS_IDS",
            "Bit of what a rule reads: Consent IDs.",
            i64::from(READS_IDS),
        ),
        (
            "OPTION_SHIFT",
            "Bits of a consent's entry below its option's number.",
            i64::from(OPTION_SHIFT),
        ),
    ];
    let mut out = String::from(
        "// Generated from src/consent/columns.rs by `cargo run --example typescript`: do not edit.\n\
         /**\n * The numbers of the layout in which records and profiles cross as columns.\n * @module\n */\n",
    );
    for (name, doc, value) in constants {
        out.push_str(&format!("\n/** {doc} */\nexport const {name} = {value};\n"));
    }
    out
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "shim/gen".into());
    std::fs::create_dir_all(&dir)?;
    std::fs::write(format!("{dir}/public.ts"), public_declarations())?;
    std::fs::write(format!("{dir}/internal.ts"), internal_declarations())?;
    std::fs::write(format!("{dir}/columns.ts"), column_constants())
}
