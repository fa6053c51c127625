#!/usr/bin/env bash
# Koppel's one test command (README: `infra/test.sh`; `.ci/run` ends with it).
#
# Installs what the tests need into .tools/venv (PyPI only, idempotent): moto's server (the local
# AWS emulator the adapter tests start themselves), cfn-lint and cargo-lambda. Then, stopping at
# the first failure: rustfmt check, clippy, template lint, the workspace tests, the Lambda smoke.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.tools/venv
# Versions measured in ../shared/toolchain.md; bump them together with that note.
PY_REQUIREMENTS=(
    "moto[server]>=5.2,<5.3"
    "cfn-lint>=1.58,<2"
    "cargo-lambda>=1.9,<1.10"
)

T0=$SECONDS
STEP_NO=0
STEP_NAME="install test tools"

note() { printf '\n==> [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

on_exit() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        printf '\n==> FAILED at step %s: %s (exit code %s, after %ss)\n' "$STEP_NO" "$STEP_NAME" "$rc" "$((SECONDS - T0))" >&2
    fi
}
trap on_exit EXIT

# step <name> <command...>: announce, run, report the time taken; a failure ends the run.
step() {
    STEP_NO=$((STEP_NO + 1))
    STEP_NAME=$1
    shift
    note "step $STEP_NO: $STEP_NAME"
    printf '    $ %s\n' "$*"
    local t=$SECONDS
    "$@"
    printf '    ok: %s (%ss)\n' "$STEP_NAME" "$((SECONDS - t))"
}

install_tools() {
    local stamp=$VENV/.koppel-requirements
    local want
    want=$(printf '%s\n' "${PY_REQUIREMENTS[@]}")
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys' 2>/dev/null &&
        [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
        [ -x "$VENV/bin/moto_server" ] && [ -x "$VENV/bin/cfn-lint" ] && [ -x "$VENV/bin/cargo-lambda" ]; then
        echo "    test tools already installed in $VENV"
        return 0
    fi
    command -v python3 >/dev/null || { echo "python3 is needed to install the test tools" >&2; return 1; }
    if ! [ -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
        rm -rf "$VENV"
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PY_REQUIREMENTS[@]}"
    printf '%s\n' "$want" >"$stamp"
}

step "install test tools into $VENV (PyPI)" install_tools

export PATH="$PWD/$VENV/bin:$PATH"
export KOPPEL_MOTO_SERVER="$PWD/$VENV/bin/moto_server"
"$VENV/bin/python" - <<'PY'
import importlib.metadata as m
print("    " + ", ".join(f"{p} {m.version(p)}" for p in ("moto", "cfn-lint", "cargo-lambda")))
PY

step "rustfmt" cargo fmt --all -- --check
step "clippy (warnings are errors)" cargo clippy --workspace --all-targets -- -D warnings
step "template lint" cfn-lint template.yaml

if cargo nextest --version >/dev/null 2>&1; then
    step "workspace tests (nextest)" cargo nextest run --workspace --no-tests=warn
    step "doc tests" cargo test --workspace --doc
else
    step "workspace tests" cargo test --workspace
fi

step "lambda smoke (cargo lambda watch + invoke)" infra/smoke/lambda-smoke.sh

note "all $STEP_NO steps passed in $((SECONDS - T0))s"
