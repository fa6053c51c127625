#!/usr/bin/env bash
# Meeting-push benchmark: builds koppel-bench-push (release) and runs it under /usr/bin/time -v:
# per provider (AdminPulse, Brokercloud, Fid-Manager, Odoo, Silverfin, Zoho), its stand-in in the
# same process with its limits off, N meetings × (3 reports of 8 KiB, 2 notes, 5 to-dos) sent once,
# then sent again (must create 0 items). Prints the table of BENCHMARKS.md.
# Usage: infra/bench/push.sh [MEETINGS, default 1000] [PROVIDER, default all]   (SKIP_BUILD=1 uses the built binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
MEETINGS="${1:-1000}"
PROVIDER="${2:-all}"
TARGET="${CARGO_TARGET_DIR:-target}"
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -p koppel-bench --bin koppel-bench-push
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$TARGET/release/koppel-bench-push" --provider "$PROVIDER" --meetings "$MEETINGS" 2>time.txt
  grep -E 'Maximum resident|Elapsed \(wall|User time|System time' time.txt || true
  rm -f time.txt
else
  "$TARGET/release/koppel-bench-push" --provider "$PROVIDER" --meetings "$MEETINGS"
fi
