//! Writes the TypeScript declarations of every shape and operation (see `src/shapes.rs`), and the
//! numbers of the consent columns' layout (see `src/consent/columns.rs`), into a directory:
//! `cargo run --example typescript -- shim/gen`. The build runs it before `tsc`.

use consent_guard::consent::{HAS_DATE, HAS_ID, OPTION_SHIFT, READS_DATES, READS_IDS, VALUE};
use consent_guard::shapes::{internal_declarations, public_declarations};

/// Each constant's name, its doc and its value: the TypeScript name is the Rust one.
macro_rules! constants {
    ($($name:ident: $doc:literal),* $(,)?) => {
        [$((stringify!($name), $doc, i64::from($name))),*]
    };
}

/// The layout's numbers as TypeScript constants.
fn column_constants() -> String {
    let constants = constants![
        VALUE: "Flag of a record or a consent: its value is true.",
        HAS_ID: "Flag of a record or a consent: it has a Consent ID (else its text is empty and ignored).",
        HAS_DATE: "Flag of a record or a consent: it has a date (else its text is empty and ignored).",
        READS_DATES: "Bit of what a rule reads besides options and values: consents' dates.",
        READS_IDS: "Bit of what a rule reads besides options and values: consents' Consent IDs.",
        OPTION_SHIFT: "Bits of a consent's entry (profiles crossing as columns) below its option's number.",
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
