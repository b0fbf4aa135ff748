#!/usr/bin/env bash
# Coverage-guided fuzzing: every cargo-fuzz target of fuzz/ for SECONDS each (default 60), with
# its dictionary, growing its corpus in fuzz/corpus/<target>/; prints the executions and the
# coverage libFuzzer reached. `npm run fuzz -- 300`. Needs the nightly toolchain and cargo-fuzz
# (installed here when missing); the shipped build and `npm test` stay on stable, and
# `npm test` replays the committed corpus (tests/fuzz_corpus.rs).
# After a long run, `bash scripts/fuzz.sh --minimize` shrinks each corpus to the inputs that add coverage,
# and `bash scripts/fuzz.sh --coverage` reports the lines and regions of the sources each corpus reaches.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q '^nightly'; then rustup toolchain install nightly --profile minimal; fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then cargo install cargo-fuzz --locked; fi

declare -A DICTIONARY=(
  [csv_reader]=csv [segment_rule]=rule [save_request]=json [email]=email [settings]=json [value_reader]=json [form_calls]=calls
)
TARGETS="${COVERAGE_TARGETS:-csv_reader segment_rule save_request email settings value_reader form_calls}"

if [ "${1:-}" = "--minimize" ]; then
  for target in $TARGETS; do
    cargo +nightly fuzz cmin --fuzz-dir fuzz --sanitizer none "$target" "fuzz/corpus/$target" -- -dict="fuzz/dict/${DICTIONARY[$target]}.dict"
  done
  exit 0
fi

if [ "${1:-}" = "--coverage" ]; then
  # Source-based coverage of the committed corpus (needs the nightly llvm-tools component): for
  # each target, the share of the regions and lines it runs in the files it is there to test.
  declare -A OWN_FILES=(
    [csv_reader]='(csv|scan|table|unify|interner|date|fields|columns|consent/mod|consent/records)\.rs'
    [segment_rule]='consent/segment\.rs' [save_request]='(save|json|value)\.rs'
    [email]='email\.rs' [settings]='form/settings\.rs'
    [value_reader]='json\.rs' [form_calls]='(calls|form/[a-z_]+)\.rs'
  )
  rustup component add llvm-tools-preview --toolchain nightly >/dev/null 2>&1
  llvm_bin="$(rustc +nightly --print sysroot)/lib/rustlib/$(rustc +nightly -vV | sed -n 's/^host: //p')/bin"
  printf '%-14s %-22s %8s %8s\n' "target" "file" "regions" "lines"
  for target in $TARGETS; do
    cargo +nightly fuzz coverage --fuzz-dir fuzz --sanitizer none "$target" "fuzz/corpus/$target" >/dev/null 2>&1
    binary=$(find target fuzz/target -path '*coverage*' -type f -name "$target" -perm -u+x | head -1)
    "$llvm_bin/llvm-cov" report "$binary" -instr-profile="fuzz/coverage/$target/coverage.profdata" \
      --ignore-filename-regex='(\.cargo|/rustc/|/fuzz/|/library/)' >"fuzz/coverage/$target/report.txt"
    # Columns: file, regions, missed, cover, functions, missed, executed, lines, missed, cover.
    # The report names files from the sources' common folder, so they are matched by their end.
    awk -v t="$target" -v own="(^|/)(${OWN_FILES[$target]})$" '
      $1 ~ own { printf "%-14s %-22s %8s %8s\n", t, $1, $4, $10; r += $2; rm += $3; l += $8; lm += $9 }
      END { printf "%-14s %-22s %7.2f%% %7.2f%%\n", t, "(these files)", 100 * (r - rm) / r, 100 * (l - lm) / l }
    ' "fuzz/coverage/$target/report.txt"
  done
  exit 0
fi

SECONDS_EACH="${1:-60}"
# Safe Rust: panics are the findings, so the address sanitizer (several times slower) is left off.
cargo +nightly fuzz build --fuzz-dir fuzz --sanitizer none
printf '%-14s %14s %10s %8s %8s\n' "target" "executions" "exec/s" "cov" "ft"
for target in $TARGETS; do
  log="fuzz/artifacts/$target.log"
  mkdir -p fuzz/artifacts
  if ! cargo +nightly fuzz run --fuzz-dir fuzz --sanitizer none "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$SECONDS_EACH" -dict="fuzz/dict/${DICTIONARY[$target]}.dict" -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "FAILED: $target (the input is in fuzz/artifacts/$target/; keep it in fuzz/regressions/$target/, which npm test replays)"
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-14s %14s %10s %8s %8s\n' "$target" "$runs" "$rate" "$cov" "$ft"
done
