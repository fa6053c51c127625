#!/usr/bin/env bash
# AdminPulse benchmark: builds the release binaries, then twice (stand-in rate limit on at 480
# calls a minute, then off):
#   start koppel-adminpulse-sandbox --relations N (its own process), and run
#   koppel-bench-adminpulse under /usr/bin/time -v: first import into an empty embedded store,
#   second import with nothing changed (must write 0 records). The whole Koppel process is
#   measured (CPU, peak RSS); the table gives calls, the wait the 480/min budget implies, writes.
# Usage: infra/bench/adminpulse.sh [RELATIONS, default 50000]   (run from anywhere; SKIP_BUILD=1 uses the built binaries)
set -euo pipefail
cd "$(dirname "$0")/../.."
RELATIONS="${1:-50000}"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release"

if [ ! -x /usr/bin/time ]; then
  echo "/usr/bin/time is missing (apt-get install time)" >&2
  exit 1
fi
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -p koppel-bench -p koppel-sandbox

data="$(mktemp -d)"
standin_pid=""
stop_standin() {
  if [ -n "$standin_pid" ]; then
    kill "$standin_pid" 2>/dev/null || true
    wait "$standin_pid" 2>/dev/null || true
    standin_pid=""
  fi
}
trap 'stop_standin; rm -rf "$data"' EXIT

status=0
for mode in on off; do
  limit=(--rate-limit 480)
  [ "$mode" = off ] && limit=(--no-rate-limit)
  : >"$data/standin.out"
  RUST_LOG=warn "$BIN/koppel-adminpulse-sandbox" --port 0 --relations "$RELATIONS" "${limit[@]}" \
    >"$data/standin.out" 2>/dev/null &
  standin_pid=$!
  url=""
  for _ in $(seq 1 600); do
    first="$(head -n 1 "$data/standin.out" 2>/dev/null || true)"
    if [ "${first#ADMINPULSE_BASE_URL=}" != "$first" ]; then
      url="${first#ADMINPULSE_BASE_URL=}"
      break
    fi
    sleep 0.1
  done
  [ -n "$url" ] || { echo "the stand-in did not start" >&2; exit 1; }

  echo "== $RELATIONS relations, stand-in rate limit $mode ($url)"
  ADMINPULSE_API_BASE="$url" /usr/bin/time -v "$BIN/koppel-bench-adminpulse" \
    --relations "$RELATIONS" --label "rate limit $mode" 2>"$data/time.txt" || status=$?
  grep -E '^benchmark failed' "$data/time.txt" >&2 || true
  user=$(awk -F': ' '/User time/ {print $2}' "$data/time.txt")
  sys=$(awk -F': ' '/System time/ {print $2}' "$data/time.txt")
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$data/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$data/time.txt")
  awk -v u="$user" -v s="$sys" -v r="$rss_kb" -v w="$wall" 'BEGIN {
    printf "whole Koppel process (setup + both imports): CPU %.2f s (user %.2f + system %.2f), peak RSS %d KB = %.1f MB, wall %s\n\n",
      u + s, u, s, r, r * 1024 / 1e6, w;
  }'
  stop_standin
done
exit "$status"
