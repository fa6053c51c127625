#!/usr/bin/env bash
# ERP connector benchmark: builds koppel-bench-erp and the SnelStart stand-in (release) and runs
# the benchmark under /usr/bin/time -v with the stand-in as its own process (so the memory
# figures are Koppel's and the engine stand-in's): N SnelStart customers synced into the mirror,
# an ERP link saved, GetActorsByTimestamp for Customer and Person from 0 until nothing is new,
# then one call after the last change. Prints the tables of BENCHMARKS.md.
# Usage: infra/bench/erp.sh [CUSTOMERS, default 50000]   (SKIP_BUILD=1 uses the built binaries)
set -euo pipefail
cd "$(dirname "$0")/../.."
CUSTOMERS="${1:-50000}"
TARGET="${CARGO_TARGET_DIR:-target}"
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -p koppel-sandbox --bin koppel-sandbox -p koppel-bench --bin koppel-bench-erp
ARGS=(--customers "$CUSTOMERS" --sandbox "$TARGET/release/koppel-sandbox")
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$TARGET/release/koppel-bench-erp" "${ARGS[@]}" 2>time.txt
  grep -E 'Maximum resident|Elapsed \(wall|User time|System time' time.txt || true
  rm -f time.txt
else
  "$TARGET/release/koppel-bench-erp" "${ARGS[@]}"
fi
