#!/usr/bin/env bash
# Runs the Autobahn|Testsuite fuzzing client (sections 1-7, 9, 10; compression sections 12/13 excluded)
# against `raaid serve --echo`, prints a per-section summary and exits non-zero if any case FAILED.
#
# Usage: scripts/autobahn.sh [--cases '1.*,2.1.1'] [--report-dir DIR]
#
# Environment:
#   RAAID_BIN            raaid binary to test (default: build `swift build -c release --product raaid`)
#   AUTOBAHN_SERVER_CMD  a different server command; @PORT@ and @TOKEN@ are substituted
#   AUTOBAHN_VENV        reuse (or create and keep) this Python 2.7 virtualenv instead of a temporary one
#   PYTHON2              the Python 2.7 interpreter (default: pyenv's 2.7.x, then python2.7 on PATH)
#
# wstest is Python 2 code (it fails under Python 3), so it runs in a Python 2.7 virtualenv with the
# autobahntestsuite release's own pinned requirements. The fuzzing client cannot send custom headers, so
# the token travels in the URL query (`/echo?token=...`).
set -euo pipefail

AUTOBAHN_VERSION="25.10.1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cases=""
report_dir=""
while [ $# -gt 0 ]; do
    case "$1" in
        --cases) cases="$2"; shift 2 ;;
        --report-dir) report_dir="$2"; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "autobahn.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/raaid-autobahn.XXXXXX")"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- Python 2.7 and the wstest virtualenv -------------------------------------------------------------
find_python2() {
    if [ -n "${PYTHON2:-}" ]; then echo "$PYTHON2"; return; fi
    local candidate
    for candidate in "$HOME"/.pyenv/versions/2.7*/bin/python; do
        if [ -x "$candidate" ]; then echo "$candidate"; return; fi
    done
    command -v python2.7 || command -v python2 || { echo "autobahn.sh: Python 2.7 not found" >&2; exit 1; }
}

venv="${AUTOBAHN_VENV:-$work/venv}"
if [ ! -x "$venv/bin/wstest" ]; then
    python2="$(find_python2)"
    echo "autobahn.sh: creating a Python 2.7 virtualenv with $python2"
    if ! "$python2" -m virtualenv --version >/dev/null 2>&1; then
        # virtualenv 20.21 is the last release that creates Python 2.7 environments.
        "$python2" -m pip install --quiet --disable-pip-version-check --target "$work/virtualenv" 'virtualenv<20.22'
        export PYTHONPATH="$work/virtualenv"
    fi
    "$python2" -m virtualenv --quiet "$venv"
    unset PYTHONPATH
    "$venv/bin/pip" install --quiet --disable-pip-version-check "autobahntestsuite==$AUTOBAHN_VERSION"
fi

# --- the server ---------------------------------------------------------------------------------------
port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="autobahn-$RANDOM$RANDOM"
if [ -n "${AUTOBAHN_SERVER_CMD:-}" ]; then
    server_cmd="${AUTOBAHN_SERVER_CMD//@PORT@/$port}"
    server_cmd="${server_cmd//@TOKEN@/$token}"
else
    if [ -z "${RAAID_BIN:-}" ]; then
        (cd "$root" && swift build -c release --product raaid >&2)
        RAAID_BIN="$(cd "$root" && swift build -c release --show-bin-path)/raaid"
    fi
    server_cmd="$RAAID_BIN serve --echo --port $port --token $token"
fi
echo "autobahn.sh: starting: $server_cmd"
$server_cmd >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    if "$venv/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then echo "autobahn.sh: server exited:" >&2; cat "$work/server.log" >&2; exit 1; fi
    sleep 0.1
done

# --- the fuzzing client -------------------------------------------------------------------------------
report_dir="${report_dir:-$work/report}"
mkdir -p "$report_dir"
spec="$work/fuzzingclient.json"
sed -e "s|@PORT@|$port|" -e "s|@TOKEN@|$token|" -e "s|@REPORT_DIR@|$report_dir|" \
    "$here/autobahn/fuzzingclient.json" >"$spec"
if [ -n "$cases" ]; then
    "$venv/bin/python" - "$spec" "$cases" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["cases"] = [c.strip() for c in sys.argv[2].split(",") if c.strip()]
json.dump(spec, open(sys.argv[1], "w"), indent=2)
PY
fi
(cd "$work" && "$venv/bin/wstest" -m fuzzingclient -s "$spec") >"$work/wstest.log" 2>&1 || {
    echo "autobahn.sh: wstest failed:" >&2; tail -20 "$work/wstest.log" >&2; exit 1; }
if ! kill -0 "$server_pid" 2>/dev/null; then echo "autobahn.sh: the server died during the run" >&2; exit 1; fi
"$venv/bin/python" "$here/autobahn/summarize.py" "$report_dir"
