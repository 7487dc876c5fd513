#!/usr/bin/env bash
# CPU used while a model request is pending: `raaid run` whose model answers nothing for SECONDS (the endpoint
# streams only keep-alive comments, bench/serve/stall_model.py), against `curl -N` waiting on the same endpoint.
# Reads utime+stime from /proc. Goal: raaid as idle as curl (URLSession on Linux kept a core ~70 % busy).
#
# Usage: bench/perf/model-wait.sh [--seconds N]
#   RAAID=/path/to/raaid  use that binary instead of building a release one; BASE=/path/to/raaid  measure it too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SECONDS_WAIT=10
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECONDS_WAIT="$2"; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done

ensure_tools curl python3
RAAID_BIN="$(raaid_binary)"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/raaid-bench-wait.XXXXXX")"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$OUT"' EXIT

python3 "$REPO_ROOT/bench/serve/stall_model.py" --port 0 2>"$OUT/stall.err" &
PIDS+=("$!")
for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/.*|\1|p' "$OUT/stall.err" | head -n1)
    [ -n "$PORT" ] && break
    sleep 0.05
done
[ -n "${PORT:-}" ] || die "stall_model.py did not start"
mkdir -p "$OUT/ws"
echo 'func greet() {}' >"$OUT/ws/main.swift"
echo 'Say hello.' >"$OUT/task.md"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# measure NAME CMD... : starts CMD, lets it reach the wait (2 s), reads its CPU over SECONDS_WAIT seconds.
measure() {
    local name="$1"; shift
    "$@" >/dev/null 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    sleep 2
    kill -0 "$pid" 2>/dev/null || die "$name exited before the measurement"
    local a b
    a=$(ticks "$pid"); sleep "$SECONDS_WAIT"; b=$(ticks "$pid")
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    awk -v n="$name" -v t="$((b - a))" -v hz="$(getconf CLK_TCK)" -v s="$SECONDS_WAIT" \
        'BEGIN { printf "| %s | %d | %.2f | %.1f %% |\n", n, s, t / hz, t / hz / s * 100 }'
}

machine_info
echo
echo "| waiting process | seconds | CPU seconds | CPU % of one core |"
echo "|---|---:|---:|---:|"
measure "curl -N" curl -sN -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$PORT/v1/chat/completions"
run_raaid() {
    local bin="$1"
    rm -rf "$OUT/memory"
    exec "$bin" run "$OUT/task.md" --workspace "$OUT/ws" --memory-dir "$OUT/memory" --provider openai --model stall \
        --base-url "http://127.0.0.1:$PORT/v1"
}
measure "raaid run" run_raaid "$RAAID_BIN"
if [ -n "${BASE:-}" ]; then measure "raaid run (BASE)" run_raaid "$BASE"; fi
