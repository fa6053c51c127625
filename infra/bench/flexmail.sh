#!/usr/bin/env bash
# Flexmail benchmark: builds the release binaries, then
#  1. koppel-bench-flexmail: 10,000 and 100,000 platform contacts against the stand-in (its own
#     process, rate limit off, 0 contacts): first sync, nothing changed, 1% changed, reconciliation;
#  2. koppel-bench-flexmail-pull under /usr/bin/time -v: the whole Koppel process pulling 100,000
#     contacts (one reconciliation stream) from a stand-in started with --contacts 100000.
# Usage: infra/bench/flexmail.sh [SIZES, default 10000,100000]   (run from anywhere)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES="${1:-10000,100000}"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release"

cargo build --release -p koppel-bench -p koppel-sandbox

echo "== koppel-bench-flexmail --contacts $SIZES"
status=0
"$BIN/koppel-bench-flexmail" --contacts "$SIZES" --standin "$BIN/koppel-flexmail-sandbox" 2>/dev/null || status=$?

echo "== pull 100,000 contacts (whole process, /usr/bin/time -v; limit 0.9 CPU-s, 20 MB)"
if [ ! -x /usr/bin/time ]; then
  echo "/usr/bin/time is missing (apt-get install time)" >&2
  exit 1
fi
data="$(mktemp -d)"
coproc STANDIN { exec "$BIN/koppel-flexmail-sandbox" --port 0 --contacts 100000 --no-rate-limit 2>/dev/null; }
standin_pid=$STANDIN_PID
trap 'kill "$standin_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
read -r first <&"${STANDIN[0]}"
url="${first#FLEXMAIL_BASE_URL=}"
[ "$url" != "$first" ] || { echo "stand-in said: $first" >&2; exit 1; }
/usr/bin/time -v "$BIN/koppel-bench-flexmail-pull" --base-url "$url" --data-dir "$data" 2>"$data/time.txt" || {
  cat "$data/time.txt" >&2
  exit 1
}
grep -E '^pulled' "$data/time.txt"
user=$(awk -F': ' '/User time/ {print $2}' "$data/time.txt")
sys=$(awk -F': ' '/System time/ {print $2}' "$data/time.txt")
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$data/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$data/time.txt")
awk -v u="$user" -v s="$sys" -v r="$rss_kb" -v w="$wall" 'BEGIN {
  cpu = u + s; mb = r * 1024 / 1e6;
  printf "CPU %.2f s (user %.2f + system %.2f), peak RSS %d KB = %.1f MB, wall %s\n", cpu, u, s, r, mb, w;
  if (cpu > 0.9 || mb > 20) { print "LIMIT MISSED (0.9 CPU-s, 20 MB)"; exit 1 } else { print "limit met (0.9 CPU-s, 20 MB)" }
}' || status=1
exit "$status"
