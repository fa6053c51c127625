#!/usr/bin/env bash
# Admin IS benchmark: builds the release binaries, starts koppel-adminis-sandbox --customers N as
# its own process (rate limit reported high and not enforced, so no wait is counted as work), then
# runs koppel-bench-adminis under /usr/bin/time -v: every customer imported into an empty embedded
# store (full import, link paging, addresses), then an import with nothing changed (the change
# feed: must write 0 records; the exit status says). Only the Koppel process is measured (CPU,
# peak RSS); the stand-in is not its child.
# Usage: infra/bench/admin_is.sh [CUSTOMERS, default 50000]   (run from anywhere)
set -euo pipefail
cd "$(dirname "$0")/../.."
CUSTOMERS="${1:-50000}"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release"

if [ ! -x /usr/bin/time ]; then
  echo "/usr/bin/time is missing (apt-get install time)" >&2
  exit 1
fi
cargo build --release -p koppel-bench -p koppel-sandbox

data="$(mktemp -d)"
standin_pid=""
trap 'if [ -n "$standin_pid" ]; then kill "$standin_pid" 2>/dev/null || true; wait "$standin_pid" 2>/dev/null || true; fi; rm -rf "$data"' EXIT
RUST_LOG=warn "$BIN/koppel-adminis-sandbox" --port 0 --customers "$CUSTOMERS" --rate-limit 1000000 --no-rate-limit \
  >"$data/standin.out" 2>/dev/null &
standin_pid=$!
url=""
for _ in $(seq 1 600); do
  first="$(head -n 1 "$data/standin.out" 2>/dev/null || true)"
  if [ "${first#ADMINIS_BASE_URL=}" != "$first" ]; then
    url="${first#ADMINIS_BASE_URL=}"
    break
  fi
  sleep 0.1
done
[ -n "$url" ] || { echo "the stand-in did not start" >&2; exit 1; }

echo "== koppel-bench-adminis --customers $CUSTOMERS (the Koppel process under /usr/bin/time -v)"
status=0
/usr/bin/time -v "$BIN/koppel-bench-adminis" --customers "$CUSTOMERS" --office-url "$url" \
  2>"$data/time.txt" || status=$?
if [ "$status" -ne 0 ]; then
  cat "$data/time.txt" >&2
fi
user=$(awk -F': ' '/User time/ {print $2}' "$data/time.txt")
sys=$(awk -F': ' '/System time/ {print $2}' "$data/time.txt")
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$data/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$data/time.txt")
awk -v u="$user" -v s="$sys" -v r="$rss_kb" -v w="$wall" 'BEGIN {
  printf "Koppel process: CPU %.2f s (user %.2f + system %.2f), peak RSS %d KB = %.1f MB, wall %s\n", u + s, u, s, r, r * 1024 / 1e6, w
}'
exit "$status"
