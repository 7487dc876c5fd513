# Shared helpers for bench/serve/*.sh (sourced). Builds raaid and the lean client, installs the peer's
# Python package in a throwaway venv, starts and stops servers, reads /proc.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/raaid-bench-serve.XXXXXX")"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

build_all() {
    if [ -z "${RAAID:-}" ]; then
        (cd "$ROOT" && swift build -c release >&2)
        RAAID="$ROOT/.build/release/raaid"
    fi
    gcc -O2 -Wall -o "$WORK/lean" "$BENCH_DIR/lean.c"
    LEAN="$WORK/lean"
    python3 -m venv "$WORK/venv" >&2
    "$WORK/venv/bin/pip" install --quiet "websockets==${WEBSOCKETS_VERSION:-15.0.1}" >&2
    PY="$WORK/venv/bin/python"
}

# start_server NAME CMD... : starts it in the background, waits for "listening on http://HOST:PORT/" on stderr,
# sets SERVER_PID and SERVER_PORT.
start_server() {
    local name="$1"; shift
    "$@" 2>"$WORK/$name.err" >"$WORK/$name.out" &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    local i
    for i in $(seq 1 200); do
        SERVER_PORT=$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/.*|\1|p' "$WORK/$name.err" | head -n1)
        [ -n "$SERVER_PORT" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "$name did not start:" >&2; cat "$WORK/$name.err" >&2; exit 1
}

stop_server() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# CPU seconds (user + system) used so far by process $1 and its threads.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

machine_info() {
    echo "machine: nproc $(nproc), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)," \
        "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), kernel $(uname -r)," \
        "descriptors $(ulimit -Hn) (hard)"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "raaid commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
        "python $("$PY" -c 'import sys, websockets; print(sys.version.split()[0], "websockets", websockets.__version__)')"
}

# A throwaway workspace and memory directory for raaid serve.
make_workspace() {
    mkdir -p "$WORK/workspace" "$WORK/memory"
    printf 'hello\n' >"$WORK/workspace/README.md"
}
