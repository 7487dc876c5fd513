#!/usr/bin/env bash
# Tests raaid serve's web page in headless Chromium, driven over the DevTools protocol:
#   1. open http://127.0.0.1:PORT/#token=T, wait for "connected", type a task, click "Start run", wait for
#      the badge "success (completed)"; check the listed events (run.started … memory.written … run.completed,
#      one list item per event frame received), the research note, that Cancel is disabled afterwards, and
#      that the page loaded nothing from anywhere else;
#   2. start a second run and click its Cancel button at once: it must end "cancelled (client_cancelled)"
#      (or, only if it finished before the cancel could arrive, normally with Cancel disabled);
#   3. open the page without a token: it must say "no token" and keep "Start run" disabled;
#   4. open a page from another origin (python3 -m http.server on another port) that opens raaid's WebSocket
#      with the right token: the socket must fail (1006) and raaid must log origin_not_allowed (403).
# Screenshots of the page are kept and their paths printed. Exits non-zero on the first failure.
#
# Usage: scripts/webpage-test.sh [--keep]      (--keep: keep the temporary directory with logs)
#
# Environment:
#   RAAID_BIN   raaid binary to test (default: build `swift build -c release --product raaid`)
#   CHROMIUM    browser binary (default: chromium, chromium-browser or google-chrome on PATH; installs
#               Debian's chromium with apt-get when none is found)
set -euo pipefail

SCRIPT_NAME=webpage-test.sh
HELP_LINES='2,20p'
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- tools ---------------------------------------------------------------------------------------------
chromium="${CHROMIUM:-}"
if [ -z "$chromium" ]; then
    chromium="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
fi
if [ -z "$chromium" ]; then
    command -v apt-get >/dev/null || die "no chromium found and no apt-get to install it (set CHROMIUM)"
    apt_install chromium
    chromium="$(command -v chromium)" || die "chromium did not install"
fi

ensure_raaid_bin

# --- temporary directory, cleanup ------------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/raaid-webpage.XXXXXX")"
shots="$(mktemp -d "${TMPDIR:-/tmp}/raaid-webpage-shots.XXXXXX")"
server_pid=""
foreign_pid=""
cleanup() {
    status=$?
    for pid in $server_pid $foreign_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "$status" -ne 0 ] && [ -f "$work/server.log" ]; then
        echo "--- raaid serve log (last 30 lines) ---" >&2; tail -30 "$work/server.log" >&2
    fi
    if $keep || [ "$status" -ne 0 ]; then echo "webpage-test.sh: logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT


# --- fixture workspace -------------------------------------------------------------------------------------
# Two small source files the first task asks about, plus a generated bulk/ tree (3,000 small modules) so
# the second run takes long enough (some hundred milliseconds) for a click on Cancel to reach it.
workspace="$work/workspace"
mkdir -p "$workspace/src" "$workspace/tests"
cat >"$workspace/src/calc.py" <<'PY'
"""Small arithmetic helpers."""


def add(a, b):
    """Returns the sum of a and b."""
    return a + b


def scale(values, factor):
    """Multiplies every value by factor."""
    return [v * factor for v in values]
PY
cat >"$workspace/tests/test_calc.py" <<'PY'
from calc import add, scale


def test_add():
    assert add(2, 3) == 5


def test_scale():
    assert scale([1, 2], 3) == [3, 6]
PY
python3 - "$workspace/bulk" <<'PY'
import os, sys
for d in range(30):
    os.makedirs(os.path.join(sys.argv[1], f"pkg{d}"), exist_ok=True)
    for f in range(100):
        body = "".join(f"def scale_{d}_{f}_{i}(x):\n    return x * {i}\n\n\n" for i in range(30))
        with open(os.path.join(sys.argv[1], f"pkg{d}", f"mod{f}.py"), "w") as out:
            out.write(body)
PY

# --- servers ---------------------------------------------------------------------------------------------
token="webpage-test-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
port="$(free_port)"
"$RAAID_BIN" serve --port "$port" --token "$token" --workspace "$workspace" >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_port "$port" "$server_pid" "raaid serve"
grep -q "listening on http://127.0.0.1:$port/" "$work/server.log" || die "raaid serve did not print its URL"
say "raaid serve on port $port (pid $server_pid)"

mkdir -p "$work/foreign"
cp "$here/webpage/foreign.html" "$work/foreign/"
foreign_port="$(free_port)"
python3 -m http.server --bind 127.0.0.1 --directory "$work/foreign" "$foreign_port" >"$work/foreign.log" 2>&1 &
foreign_pid=$!
wait_for_port "$foreign_port" "$foreign_pid" "the foreign-origin http.server"

# --- the browser -----------------------------------------------------------------------------------------
say "driving $("$chromium" --version 2>/dev/null | tail -1)"
python3 "$here/webpage/webpage_test.py" --chromium "$chromium" --port "$port" --token "$token" \
    --foreign "http://127.0.0.1:$foreign_port" --server-log "$work/server.log" --work "$work" --shots "$shots" \
    || die "the web page test failed"
kill -0 "$server_pid" 2>/dev/null || die "raaid serve died during the test"
say "PASS"
