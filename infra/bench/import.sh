#!/usr/bin/env bash
# Customer-import benchmark: builds koppel-bench-import (release), generates an N-row customer
# list as .csv and .xlsx (in a temporary folder, not committed), then imports each file in its
# own process under /usr/bin/time -v: a preview, the import into an empty embedded store, and the
# same import again (nothing changed: no customer written). Prints the report of each, the whole
# process's peak RSS and the file size.
# Usage: infra/bench/import.sh [ROWS, default 50000]   (run from anywhere)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${1:-50000}"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release/koppel-bench-import"

if [ ! -x /usr/bin/time ]; then
  echo "/usr/bin/time is missing (apt-get install time)" >&2
  exit 1
fi
cargo build --release -p koppel-bench --bin koppel-bench-import

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$BIN" generate --rows "$ROWS" --out "$work/files" >/dev/null

for file in "$work/files/customers.csv" "$work/files/customers.xlsx"; do
  echo "== $(basename "$file"): $ROWS rows, $(stat -c %s "$file") bytes"
  /usr/bin/time -v "$BIN" run --file "$file" --data-dir "$work/store-$(basename "$file")" 2>"$work/time.txt" || {
    cat "$work/time.txt" >&2
    exit 1
  }
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  user=$(awk -F': ' '/User time/ {print $2}' "$work/time.txt")
  size=$(stat -c %s "$file")
  awk -v r="$rss_kb" -v s="$size" -v w="$wall" -v u="$user" 'BEGIN {
    printf "whole process (3 passes + SQLite): peak RSS %.1f MiB, file %.2f MiB, wall %s, user CPU %s s\n\n",
      r / 1024, s / 1048576, w, u }'
done
