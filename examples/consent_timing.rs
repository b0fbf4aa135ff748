//! Times the consent pipeline natively on a CSV file:
//! `cargo run --release --example consent_timing FILE [fused[TIMES]]`.
// A timing tool run by hand: a bad input may stop it with a panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::time::Instant;

use consent_guard::consent::{evaluate_segment_csv, parse_consent_csv, parse_rule, unify_consent};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: consent_timing FILE");
        return;
    };
    let Ok(csv) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        return;
    };
    if let Some(times) = std::env::args()
        .nth(2)
        .and_then(|mode| mode.strip_prefix("fused").map(|n| n.parse().unwrap_or(3)))
    {
        // Only the one-call path, `fusedN` times (3 by default): what a profiler should look at.
        for _ in 0..times {
            let t = Instant::now();
            let segment =
                evaluate_segment_csv("Consent option=Newsletter & Consent value=True", &csv);
            let keys = segment.map(|s| s.keys.len()).unwrap_or(0);
            println!("fused: {keys} keys in {:?}", t.elapsed());
        }
        return;
    }
    let t = Instant::now();
    let parsed = parse_consent_csv(&csv);
    let parse = t.elapsed();
    let t = Instant::now();
    let profiles = unify_consent(&parsed.records).unwrap_or_default();
    let unify = t.elapsed();
    let t = Instant::now();
    let keys = parse_rule("Consent option=Newsletter & Consent value=True")
        .map(|r| r.select(&profiles))
        .unwrap_or_default();
    let select = t.elapsed();
    let t = Instant::now();
    let fused = evaluate_segment_csv("Consent option=Newsletter & Consent value=True", &csv)
        .map(|s| s.keys.len())
        .unwrap_or(0);
    let fused_time = t.elapsed();
    println!("fused: {fused} keys in {fused_time:?}");
    println!(
        "rows {} profiles {} keys {} | parse {parse:?} unify {unify:?} select {select:?}",
        parsed.records.len(),
        profiles.len(),
        keys.len()
    );
}
