//! Writes the TypeScript declarations of every shape and operation (see `src/shapes.rs`) into a
//! directory: `cargo run --example typescript -- shim/gen`. The build runs it before `tsc`.

use consent_guard::shapes::{internal_declarations, public_declarations};

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "shim/gen".into());
    std::fs::create_dir_all(&dir)?;
    std::fs::write(format!("{dir}/public.ts"), public_declarations())?;
    std::fs::write(format!("{dir}/internal.ts"), internal_declarations())
}
