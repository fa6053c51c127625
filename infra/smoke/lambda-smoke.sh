#!/usr/bin/env bash
# Lambda smoke test: the real api, test-connection, sync, flexmail-webhook and oauth-callback binaries run under cargo lambda's
# Lambda runtime emulator (`cargo lambda watch`) on the embedded backend, against the SnelStart
# sandbox, and are driven with `cargo lambda invoke` using the sample events in infra/events/.
#
# Needs cargo-lambda on PATH (infra/test.sh installs it into .tools/venv) and jq or python3.
# Everything listens on 127.0.0.1 only. KOPPEL_SMOKE_KEEP=1 keeps the work folder;
# KOPPEL_SMOKE_JSON=python3 uses python3 even where jq is installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
EVENTS=$ROOT/infra/events
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case $TARGET_DIR in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac

TENANT_A=tenant-a          # the claim in infra/events/*.json
TENANT_B=tenant-b          # someone else
SUB_KEY=sandbox-subscription-key
CONN_KEY=sandbox-koppelsleutel
INVOKE_TIMEOUT=${KOPPEL_SMOKE_INVOKE_TIMEOUT:-600}
OAUTH_RETURN_URL=https://app.example.test/oauth/done
OAUTH_CODE=smoke-oauth-code-never-logged   # the code in infra/events/oauth-callback-invalid-state.json

say() { printf '[smoke] %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/koppel-smoke.XXXXXX")
WATCH_PID=""
SANDBOX_PID=""
STEP="setup"
CHECKS=0   # checks passed so far
pass() { CHECKS=$((CHECKS + 1)); }

stop() { # stop <pid>: TERM its process group (we started it as a group leader), then KILL
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    stop "$WATCH_PID"
    stop "$SANDBOX_PID"
    if [ "$rc" -ne 0 ]; then
        say "FAILED during: $STEP"
        echo "smoke: $CHECKS passed, 1 failed"
        for log in watch sandbox; do
            if [ -s "$WORK/$log.log" ]; then
                say "--- last lines of $log.log ---"
                tail -n 40 "$WORK/$log.log" | sed 's/^/    /'
            fi
        done
    fi
    if [ "${KOPPEL_SMOKE_KEEP:-0}" = 1 ]; then
        say "work folder kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    say "FAIL: $*"
    exit 1
}

# spawn <var> <log> <command...>: start the command in the background as its own process
# group (so stopping it also stops what it started) and store its pid in <var>.
spawn() {
    local var=$1 log=$2
    shift 2
    if have setsid; then
        setsid "$@" >"$log" 2>&1 </dev/null &
    else
        "$@" >"$log" 2>&1 </dev/null &
    fi
    printf -v "$var" '%s' "$!"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- JSON helpers (jq, else python3)
# json <query> <file> [arg]: the queries this smoke needs, in both tools.
#   status          statusCode of an API Gateway response
#   body            the response body as text (base64 decoded when flagged)
#   id              .id or .connection.id of the response body
#   ok_true         "true" when any object in the body has "ok": true
#   completed       "true" when any object in the document has "status": "completed"
#   completed_run   "true" when any object in the body has status completed and created > 0
#   error_code      the body's JSON "error" field (empty when the body is not a JSON object)
#   location        the response's Location header (empty when there is none)
#                   (created read from .totals.created, .summary.created or .created)
#   http_event      an HTTP API v2.0 event from the file (a template): arg = "METHOD|PATH|ROUTE|TENANT|ID"
json() {
    local q=$1 f=$2 arg=${3:-}
    if [ "$USE_JQ" = 1 ]; then
        case $q in
            status) jq -r '.statusCode' "$f" ;;
            body) jq -r 'if .isBase64Encoded then (.body // "" | @base64d) else (.body // "") end' "$f" ;;
            id) json body "$f" | jq -r '.id // .connection.id // empty' ;;
            ok_true) json body "$f" | jq -r '[.. | objects | select(.ok == true)] | length > 0' ;;
            completed) jq -r '[.. | objects | select(.status == "completed")] | length > 0' "$f" ;;
            completed_run) json body "$f" | jq -r '[.. | objects | select(.status == "completed")
                | select(((.totals.created // .summary.created // .created // 0) | numbers) > 0)] | length > 0' ;;
            error_code) json body "$f" | jq -r 'if type == "object" then (.error // "") else "" end' 2>/dev/null || true ;;
            location) jq -r '(.headers // {}) as $h | ($h.location // $h.Location // .multiValueHeaders.location[0]? // "")' "$f" ;;
            http_event)
                IFS='|' read -r m p r t id <<<"$arg"
                jq --arg m "$m" --arg p "$p" --arg r "$r" --arg t "$t" --arg id "$id" '
                    .routeKey = "\($m) \($r)" | .rawPath = $p | .rawQueryString = ""
                    | .requestContext.routeKey = .routeKey
                    | .requestContext.http.method = $m | .requestContext.http.path = $p
                    | .requestContext.requestId = "smoke-\($m)-\($p)-\($t)"
                    | .requestContext.authorizer.jwt.claims.tenant_id = $t
                    | .requestContext.authorizer.jwt.claims.sub = "user-of-\($t)"
                    | del(.body) | del(.headers["content-type"])
                    | if $id == "" then del(.pathParameters) else .pathParameters = {id: $id} end' "$f" ;;
            *) fail "unknown json query $q" ;;
        esac
    else
        python3 - "$q" "$f" "$arg" <<'PY'
import base64, json, sys
q, f, arg = sys.argv[1], sys.argv[2], sys.argv[3]
doc = json.load(open(f))
def body_text(d):
    b = d.get("body") or ""
    return base64.b64decode(b).decode() if d.get("isBase64Encoded") else b
def walk(v):
    if isinstance(v, dict):
        yield v
        for x in v.values(): yield from walk(x)
    elif isinstance(v, list):
        for x in v: yield from walk(x)
def body_json():
    return json.loads(body_text(doc))
def created(o):
    for path in (("totals", "created"), ("summary", "created"), ("created",)):
        v = o
        for k in path:
            v = v.get(k) if isinstance(v, dict) else None
        if isinstance(v, (int, float)): return v
    return 0
b = lambda x: "true" if x else "false"
if q == "status": print(doc.get("statusCode"))
elif q == "body": print(body_text(doc))
elif q == "id":
    d = body_json()
    print(d.get("id") or (d.get("connection") or {}).get("id") or "")
elif q == "ok_true": print(b(any(o.get("ok") is True for o in walk(body_json()))))
elif q == "completed": print(b(any(o.get("status") == "completed" for o in walk(doc))))
elif q == "completed_run":
    print(b(any(o.get("status") == "completed" and created(o) > 0 for o in walk(body_json()))))
elif q == "error_code":
    try: d = body_json()
    except ValueError: d = None
    print(d.get("error") or "" if isinstance(d, dict) else "")
elif q == "location":
    h = doc.get("headers") or {}
    mv = (doc.get("multiValueHeaders") or {}).get("location") or [""]
    print(h.get("location") or h.get("Location") or mv[0])
elif q == "http_event":
    m, p, r, t, cid = arg.split("|")
    doc["routeKey"] = f"{m} {r}"; doc["rawPath"] = p; doc["rawQueryString"] = ""
    rc = doc["requestContext"]; rc["routeKey"] = doc["routeKey"]
    rc["http"]["method"] = m; rc["http"]["path"] = p; rc["requestId"] = f"smoke-{m}-{p}-{t}"
    rc["authorizer"]["jwt"]["claims"]["tenant_id"] = t
    rc["authorizer"]["jwt"]["claims"]["sub"] = f"user-of-{t}"
    doc.pop("body", None); doc["headers"].pop("content-type", None)
    if cid: doc["pathParameters"] = {"id": cid}
    else: doc.pop("pathParameters", None)
    print(json.dumps(doc, indent=2))
else:
    sys.exit(f"unknown json query {q}")
PY
    fi
}

# http_event <out> <METHOD> <PATH> <ROUTE> <TENANT> [ID]: derived from api-get-connectors.json
http_event() {
    json http_event "$EVENTS/api-get-connectors.json" "$2|$3|$4|$5|${6:-}" >"$1"
}

# with_id <template> <out>: the template with the connection id filled in
with_id() { sed "s/__CONNECTION_ID__/$CONN_ID/g" "$1" >"$2"; }

# invoke <function> <event file> <name>: the function's answer lands in $WORK/<name>.out.
# Fails fast when the function process exits (e.g. a start-up error) instead of waiting for
# the invoke to time out.
invoke() {
    local fn=$1 ev=$2 name=$3
    local out=$WORK/$name.out err=$WORK/$name.err
    local mark ticks=0 rc=0
    mark=$(wc -l <"$WORK/watch.log")
    cargo lambda invoke "$fn" --invoke-address 127.0.0.1 --invoke-port "$WATCH_PORT" \
        --output-format json --data-file "$ev" >"$out" 2>"$err" &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        if tail -n "+$((mark + 1))" "$WORK/watch.log" | grep -q 'command exited'; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            say "the $fn function exited while handling $name; its output:"
            tail -n "+$((mark + 1))" "$WORK/watch.log" | tail -n 30 | sed 's/^/    /' >&2
            fail "$fn exited while handling $name"
        fi
        if [ "$ticks" -ge $((INVOKE_TIMEOUT * 10)) ]; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            fail "$fn did not answer $name within ${INVOKE_TIMEOUT}s"
        fi
        sleep 0.1
        ticks=$((ticks + 1))
    done
    wait "$pid" || rc=$?
    if [ "$rc" -ne 0 ]; then
        say "cargo lambda invoke $fn ($name) failed:"
        sed 's/^/    /' "$err" "$out" >&2 || true
        fail "invoking $fn for $name"
    fi
    LAST=$out
}

expect_status() { # expect_status <want> <what>
    local got
    got=$(json status "$LAST")
    if [ "$got" != "$1" ]; then
        say "response: $(head -c 2000 "$LAST")"
        fail "$2: expected HTTP $1, got $got"
    fi
    pass
}

expect_true() { # expect_true <query> <what>
    if [ "$(json "$1" "$LAST")" != true ]; then
        say "response: $(head -c 2000 "$LAST")"
        fail "$2"
    fi
    pass
}

expect_error() { # expect_error <code> <what>: the body is a JSON error with "error": <code>
    local got
    got=$(json error_code "$LAST")
    if [ "$got" != "$1" ]; then
        say "response: $(head -c 2000 "$LAST")"
        fail "$2: expected a JSON error \"$1\", got \"$got\""
    fi
    pass
}

have cargo-lambda || fail "cargo-lambda is not on PATH (infra/test.sh installs it into .tools/venv/bin)"
have python3 || fail "python3 is needed (free ports, JSON without jq)"
USE_JQ=0
if [ "${KOPPEL_SMOKE_JSON:-}" != python3 ] && have jq; then USE_JQ=1; fi
say "JSON via $([ "$USE_JQ" = 1 ] && echo jq || echo python3)"

# ---------------------------------------------------------------- build
STEP="building api, test-connection, sync, flexmail-webhook, oauth-callback, meeting-push, superoffice-erp, koppel-sandbox"
say "$STEP"
# One build per binary, exactly as `cargo lambda watch` runs them (`cargo run --bin <name>`),
# so the emulator starts them without compiling again.
for bin in api test-connection sync flexmail-webhook oauth-callback meeting-push superoffice-erp koppel-sandbox; do
    cargo build --quiet --bin "$bin"
done

# ---------------------------------------------------------------- sandbox
STEP="starting the SnelStart sandbox"
say "$STEP"
SANDBOX_PORT=$(free_port)
spawn SANDBOX_PID "$WORK/sandbox.log" "$TARGET_DIR/debug/koppel-sandbox" --port "$SANDBOX_PORT"
SANDBOX_BASE=""
for _ in $(seq 1 300); do
    kill -0 "$SANDBOX_PID" 2>/dev/null || fail "the sandbox exited: $(cat "$WORK/sandbox.log")"
    SANDBOX_BASE=$(grep -Eo 'https?://[^[:space:]"]+' "$WORK/sandbox.log" | head -n 1 || true)
    if [ -n "$SANDBOX_BASE" ] && port_open "$SANDBOX_PORT"; then break; fi
    sleep 0.1
done
port_open "$SANDBOX_PORT" || fail "the sandbox did not listen on 127.0.0.1:$SANDBOX_PORT within 30 s"
SANDBOX_BASE=${SANDBOX_BASE:-http://127.0.0.1:$SANDBOX_PORT}
SANDBOX_BASE=${SANDBOX_BASE%/}
say "sandbox at $SANDBOX_BASE"

# ---------------------------------------------------------------- emulator
STEP="starting cargo lambda watch"
say "$STEP"
WATCH_PORT=$(free_port)
mkdir -p "$WORK/data"
cat >"$WORK/lambda.env" <<EOF
KOPPEL_BACKEND=embedded
KOPPEL_DATA_DIR=$WORK/data
KOPPEL_ENV=smoke
SNELSTART_API_BASE=$SANDBOX_BASE/v2
SNELSTART_AUTH_BASE=$SANDBOX_BASE
TENANT_CLAIM=tenant_id
KOPPEL_OAUTH_RETURN_URL=$OAUTH_RETURN_URL
EOF
# Functions also inherit this process's environment: keep the API Gateway path under test
# (no dev tokens) and no AWS emulator endpoint.
spawn WATCH_PID "$WORK/watch.log" env -u KOPPEL_DEV_JWT_SECRET -u AWS_ENDPOINT_URL \
    cargo lambda watch --ignore-changes --invoke-address 127.0.0.1 --invoke-port "$WATCH_PORT" \
    --env-file "$WORK/lambda.env"
for _ in $(seq 1 600); do
    kill -0 "$WATCH_PID" 2>/dev/null || fail "cargo lambda watch exited"
    port_open "$WATCH_PORT" && break
    sleep 0.1
done
port_open "$WATCH_PORT" || fail "cargo lambda watch did not listen on 127.0.0.1:$WATCH_PORT within 60 s"
say "emulator on 127.0.0.1:$WATCH_PORT"

# ---------------------------------------------------------------- the flow
STEP="api GET /connectors"
say "$STEP"
invoke api "$EVENTS/api-get-connectors.json" get-connectors
expect_status 200 "GET /connectors"
BODY=$(json body "$LAST")
grep -q '"snelstart"' <<<"$BODY" || fail "GET /connectors does not list snelstart: $BODY"
pass

STEP="api POST /connections"
say "$STEP"
invoke api "$EVENTS/api-create-connection.json" create-connection
expect_status 201 "POST /connections"
CONN_ID=$(json id "$LAST")
[ -n "$CONN_ID" ] || fail "POST /connections returned no id: $(head -c 2000 "$LAST")"
case $CONN_ID in *[!A-Za-z0-9_-]*) fail "unexpected connection id $CONN_ID" ;; esac
pass
if grep -qF -e "$SUB_KEY" -e "$CONN_KEY" "$LAST"; then
    fail "POST /connections returned a key"
fi
pass
say "connection $CONN_ID"

STEP="api GET /connections/{id} (keys stay out)"
say "$STEP"
http_event "$WORK/get-connection.json" GET "/connections/$CONN_ID" "/connections/{id}" "$TENANT_A" "$CONN_ID"
invoke api "$WORK/get-connection.json" get-connection
expect_status 200 "GET /connections/{id}"
if grep -qF -e "$SUB_KEY" -e "$CONN_KEY" "$LAST"; then
    fail "GET /connections/{id} returned a key"
fi
pass

STEP="test-connection POST /connections/{id}/test"
say "$STEP"
with_id "$EVENTS/test-connection.json" "$WORK/test-connection.json"
invoke test-connection "$WORK/test-connection.json" test-connection
expect_status 200 "POST /connections/{id}/test"
expect_true ok_true 'the connection test did not report "ok": true'

STEP="api POST /connections/{id}/activate"
say "$STEP"
http_event "$WORK/activate.json" POST "/connections/$CONN_ID/activate" "/connections/{id}/activate" "$TENANT_A" "$CONN_ID"
invoke api "$WORK/activate.json" activate
expect_status 200 "POST /connections/{id}/activate"

STEP="sync with the Scheduler payload"
say "$STEP"
with_id "$EVENTS/sync-schedule.json" "$WORK/sync-schedule.json"
invoke sync "$WORK/sync-schedule.json" sync-schedule
expect_true completed "the scheduled sync did not complete"

STEP="sync with a koppel.sync.requested.v1 EventBridge event"
say "$STEP"
with_id "$EVENTS/sync-requested-event.json" "$WORK/sync-requested-event.json"
invoke sync "$WORK/sync-requested-event.json" sync-requested
expect_true completed "the requested sync did not complete"

STEP="api GET /connections/{id}/runs"
say "$STEP"
http_event "$WORK/runs.json" GET "/connections/$CONN_ID/runs" "/connections/{id}/runs" "$TENANT_A" "$CONN_ID"
invoke api "$WORK/runs.json" runs
expect_status 200 "GET /connections/{id}/runs"
expect_true completed_run "no completed run with created > 0 in GET /connections/{id}/runs"

STEP="another tenant cannot see the connection"
say "$STEP"
http_event "$WORK/other-get.json" GET "/connections/$CONN_ID" "/connections/{id}" "$TENANT_B" "$CONN_ID"
invoke api "$WORK/other-get.json" other-get
expect_status 404 "GET /connections/{id} as $TENANT_B"
http_event "$WORK/other-test.json" POST "/connections/$CONN_ID/test" "/connections/{id}/test" "$TENANT_B" "$CONN_ID"
invoke test-connection "$WORK/other-test.json" other-test
expect_status 404 "POST /connections/{id}/test as $TENANT_B"

STEP="flexmail-webhook POST /webhooks/flexmail/{hook} (unknown hook)"
say "$STEP"
invoke flexmail-webhook "$EVENTS/flexmail-webhook-unknown-hook.json" webhook-unknown
expect_status 404 "POST /webhooks/flexmail/unknownhook"
expect_error not_found "POST /webhooks/flexmail/unknownhook"

STEP="flexmail-webhook with a body that is not JSON (the hook is unknown first)"
say "$STEP"
invoke flexmail-webhook "$EVENTS/flexmail-webhook-not-json.json" webhook-not-json
expect_status 404 "POST /webhooks/flexmail/unknownhook with a non-JSON body"
expect_error not_found "POST /webhooks/flexmail/unknownhook with a non-JSON body"

STEP="oauth-callback POST /connections/{id}/oauth/start (a SnelStart connection has no OAuth)"
say "$STEP"
with_id "$EVENTS/oauth-start.json" "$WORK/oauth-start.json"
invoke oauth-callback "$WORK/oauth-start.json" oauth-start
expect_status 409 "POST /connections/{id}/oauth/start for a key-based connection"
expect_error conflict "POST /connections/{id}/oauth/start for a key-based connection"
http_event "$WORK/other-oauth-start.json" POST "/connections/$CONN_ID/oauth/start" "/connections/{id}/oauth/start" \
    "$TENANT_B" "$CONN_ID"
invoke oauth-callback "$WORK/other-oauth-start.json" other-oauth-start
expect_status 404 "POST /connections/{id}/oauth/start as $TENANT_B"

STEP="meeting-push over HTTP: GET /meetings/{id}/pushes and POST /meetings/{id}/send of an unknown meeting"
say "$STEP"
http_event "$WORK/meeting-pushes.json" GET "/meetings/no-such-meeting/pushes" "/meetings/{id}/pushes" "$TENANT_A" "no-such-meeting"
invoke meeting-push "$WORK/meeting-pushes.json" meeting-pushes
expect_status 404 "GET /meetings/{id}/pushes of an unknown meeting"
expect_error not_found "GET /meetings/{id}/pushes of an unknown meeting"
http_event "$WORK/meeting-send.json" POST "/meetings/no-such-meeting/send" "/meetings/{id}/send" "$TENANT_A" "no-such-meeting"
invoke meeting-push "$WORK/meeting-send.json" meeting-send
expect_status 404 "POST /meetings/{id}/send of an unknown meeting"

STEP="superoffice-erp: the WSDL and a SOAP call at a connector address Koppel does not know"
say "$STEP"
http_event "$WORK/erp-wsdl.json" GET "/superoffice-erp/0123456789abcdef" "/superoffice-erp/{route}" "$TENANT_A" "0123456789abcdef"
invoke superoffice-erp "$WORK/erp-wsdl.json" erp-wsdl
expect_status 404 "GET /superoffice-erp/{route} of an unknown route"
if grep -q 'faultstring' "$LAST"; then pass; else say "response: $(head -c 2000 "$LAST")"; fail "the unknown route was not answered with a SOAP fault that says so"; fi

STEP="meeting-push on a meeting.completed event (EventBridge) for a meeting Koppel does not have"
say "$STEP"
invoke meeting-push "$EVENTS/meeting-completed.json" meeting-completed
if grep -q '"dropped"' "$LAST"; then pass; else say "response: $(head -c 2000 "$LAST")"; fail "the meeting.completed event was not handled (expected it dropped: the meeting is unknown)"; fi

STEP="oauth-callback GET /oauth/callback with a state Koppel did not make"
say "$STEP"
invoke oauth-callback "$EVENTS/oauth-callback-invalid-state.json" oauth-callback-invalid-state
expect_status 302 "GET /oauth/callback with an invalid state"
LOCATION=$(json location "$LAST")
case $LOCATION in
    "$OAUTH_RETURN_URL?"*outcome=error*reason=invalid_state*) pass ;;
    *) fail "GET /oauth/callback sent the browser to \"$LOCATION\", not to the return page with reason=invalid_state" ;;
esac
if grep -qF "$OAUTH_CODE" "$LAST"; then
    fail "GET /oauth/callback repeated the authorization code in its answer"
fi
pass

STEP="keys and codes never logged"
say "$STEP"
if grep -qF -e "$SUB_KEY" -e "$CONN_KEY" "$WORK/watch.log"; then
    fail "a key value appears in the functions' log output"
fi
pass
if grep -qF "$OAUTH_CODE" "$WORK/watch.log"; then
    fail "an OAuth authorization code appears in the functions' log output"
fi
pass

STEP="done"
cat <<EOF
[smoke] PASSED. Under the Lambda runtime emulator (cargo lambda watch), on the embedded backend,
[smoke] against the SnelStart sandbox, with API Gateway HTTP API v2.0 events carrying a JWT claim:
[smoke]   - api lists the SnelStart connector (GET /connectors -> 200)
[smoke]   - api creates a connection (POST /connections -> 201) and neither that answer, GET
[smoke]     /connections/{id}, nor the functions' logs contain the subscription or connection key
[smoke]   - test-connection reaches the sandbox with the stored keys ("ok": true)
[smoke]   - api activates the tested connection (POST /connections/{id}/activate -> 200)
[smoke]   - sync completes a run from the Scheduler payload and from a koppel.sync.requested.v1 event
[smoke]   - api reports a completed run that created records (GET /connections/{id}/runs)
[smoke]   - the tenant comes from the token claim: another tenant gets 404 from api and test-connection
[smoke]   - flexmail-webhook refuses an unknown hook with a 404 JSON error, also when the body is not JSON
[smoke]   - oauth-callback refuses to start OAuth for a key-based connection (409) and for another tenant (404),
[smoke]     and sends a callback with a foreign state back to KOPPEL_OAUTH_RETURN_URL with reason=invalid_state
[smoke]     (302), without the code in its answer or its logs
[smoke]   - meeting-push answers API Gateway requests (404 JSON for an unknown meeting) and EventBridge
[smoke]     meeting.completed events (an unknown meeting is dropped, not retried) from one binary
EOF
echo "smoke: $CHECKS passed, 0 failed"
