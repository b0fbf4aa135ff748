#!/usr/bin/env bash
# Runs each property test of tests/properties.rs on fresh random input for a fixed time
# (default 60 s each) and prints how many cases each ran: `npm run fuzz -- 300`.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
BATCH=5000
cargo test --release --test properties --no-run --quiet
TARGETS=$(cargo test --release --test properties --quiet -- --list 2>/dev/null | sed -n 's/: test$//p')
printf '%-62s %10s %8s\n' "property" "cases" "seconds"
for target in $TARGETS; do
  start=$(date +%s)
  cases=0
  while [ $(( $(date +%s) - start )) -lt "$SECONDS_EACH" ]; do
    # Each batch draws new random input; a failure prints its minimal case and stops the run.
    PROPTEST_CASES=$BATCH cargo test --release --test properties --quiet -- --exact "$target" >/tmp/consent-guard-fuzz.log 2>&1 || {
      cat /tmp/consent-guard-fuzz.log
      echo "FAILED: $target after $cases cases"
      exit 1
    }
    cases=$((cases + BATCH))
  done
  printf '%-62s %10d %8d\n' "$target" "$cases" "$(( $(date +%s) - start ))"
done
