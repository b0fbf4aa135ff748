//! The committed fuzz corpus (`fuzz/corpus/<target>/`) and what fuzzing found
//! (`fuzz/regressions/<target>/`), replayed through the same properties the
//! fuzz targets check (`fuzz/checks.rs`), on the stable toolchain: what fuzzing found stays found.

#![allow(clippy::panic, clippy::expect_used)]

#[path = "../fuzz/checks.rs"]
mod checks;

use std::fs;
use std::path::Path;

/// Every input of `target`'s corpus and of its regressions (what fuzzing found, kept by name
/// out of the corpus's minimizing) through `check`; how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let corpus = fuzz.join("corpus").join(target);
    let mut inputs: Vec<_> = fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("{}: {e}", corpus.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    // A target may have no regressions yet.
    if let Ok(found) = fs::read_dir(fuzz.join("regressions").join(target)) {
        inputs.extend(found.map(|entry| entry.expect("a regression").path()));
    }
    inputs.sort();
    for path in &inputs {
        let data = fs::read(path).expect("a corpus file");
        if let Err(cause) = std::panic::catch_unwind(|| check(&data)) {
            std::panic::resume_unwind(Box::new(format!(
                "{}: {:?}",
                path.display(),
                cause.downcast_ref::<String>()
            )));
        }
    }
    inputs.len()
}

#[test]
fn the_csv_reader_corpus() {
    assert!(replay("csv_reader", checks::csv_reader) > 0);
}

#[test]
fn the_segment_rule_corpus() {
    assert!(replay("segment_rule", checks::segment_rule) > 0);
}

#[test]
fn the_save_request_corpus() {
    assert!(replay("save_request", checks::save_request) > 0);
}

#[test]
fn the_email_corpus() {
    assert!(replay("email", checks::email) > 0);
}

#[test]
fn the_settings_corpus() {
    assert!(replay("settings", checks::settings) > 0);
}

#[test]
fn the_value_reader_corpus() {
    assert!(replay("value_reader", checks::value_reader) > 0);
}

#[test]
fn the_form_calls_corpus() {
    assert!(replay("form_calls", checks::form_calls) > 0);
}
