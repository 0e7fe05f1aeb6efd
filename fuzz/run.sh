#!/usr/bin/env bash
# Run every fuzz target for a while, one after another, and print libFuzzer's
# final figures for each. Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Usage: fuzz/run.sh [SECONDS_PER_TARGET]   (default 600)
# Inputs may be up to 128 KiB: longer than a 65,536-character table cell, which
# `format!` cannot pad (a 4,096-byte cap hid that panic).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
mkdir -p logs
for target in decode segment tokenize align thresholds; do
  seeds=seeds/text
  [ "$target" = thresholds ] && seeds=seeds/thresholds
  mkdir -p "corpus/$target"
  cargo +nightly fuzz run "$target" "corpus/$target" "$seeds" -- \
    -max_total_time="$seconds" -max_len=131072 -print_final_stats=1 >"logs/$target.log" 2>&1 || true
  echo "== $target"
  grep -E "^Done|stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|panicked" "logs/$target.log" || true
  ls "artifacts/$target" 2>/dev/null | sed 's/^/artifact: /' || true
done
