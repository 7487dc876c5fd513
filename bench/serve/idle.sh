#!/usr/bin/env bash
# Idle connections: server RSS before and after N idle WebSocket connections (after hello), raaid vs Python websockets.
# Usage: bench/serve/idle.sh [N] [CLIENT_PROCESSES]      (default 19500 over 3 processes)
# Env: RAAID=path (skip the build), KEEP=1 (keep the temp dir), SETTLE=seconds (default 3).
source "$(dirname "$0")/common.sh"
N="${1:-19500}"
PROCS="${2:-3}"
SETTLE="${SETTLE:-3}"
TOKEN="bench-token-0123456789"
build_all
make_workspace
machine_info

# measure NAME PATH : opens N connections from PROCS client processes, prints one result line.
measure() {
    local name="$1" path="$2" pid="$SERVER_PID" port="$SERVER_PORT"
    sleep 1
    local rss0 start; rss0=$(rss_kib "$pid"); start=$(date +%s.%N)
    local per=$(( (N + PROCS - 1) / PROCS )) left="$N" i clients=()
    for i in $(seq 1 "$PROCS"); do
        local n=$(( left < per ? left : per )); left=$(( left - n ))
        "$LEAN" idle --port "$port" --path "$path" --token "$TOKEN" --n "$n" --src "127.0.0.$((10 + i))" \
            >"$WORK/$name.client$i" 2>>"$WORK/$name.clients.err" &
        clients+=($!)
    done
    for i in $(seq 1 "$PROCS"); do
        until grep -q '^ready' "$WORK/$name.client$i" 2>/dev/null; do
            kill -0 "${clients[$((i - 1))]}" 2>/dev/null || { echo "client $i died" >&2; cat "$WORK/$name.clients.err" >&2; exit 1; }
            sleep 0.2
        done
    done
    local connected; connected=$(date +%s.%N)
    sleep "$SETTLE"
    local rss1 ok; rss1=$(rss_kib "$pid")
    ok=$(awk '{s += $2} END {print s}' "$WORK"/$name.client*)
    local threads; threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
    for i in "${clients[@]}"; do kill -TERM "$i"; done
    for i in "${clients[@]}"; do wait "$i" || true; done
    local alive; alive=$(awk '/^alive/ {s += $2} END {print s}' "$WORK"/$name.client*)
    printf '| %s | %d | %d | %d | %.1f | %.1f | %s | %d |\n' "$name" "$ok" "$rss0" "$rss1" \
        "$(echo "($rss1 - $rss0) / $ok" | bc -l)" "$(echo "$connected - $start" | bc -l)" "$threads" "$alive"
}

echo
echo "| server | idle connections | RSS before (KiB) | RSS after (KiB) | KiB per connection | seconds to connect | threads | still open at the end |"
echo "|---|---|---|---|---|---|---|---|"
start_server raaid "$RAAID" serve --port 0 --token "$TOKEN" --workspace "$WORK/workspace" --memory-dir "$WORK/memory"
measure raaid /ws
stop_server "$SERVER_PID"
start_server python "$PY" "$BENCH_DIR/peer.py" --port 0 --token "$TOKEN"
measure python-websockets /ws
stop_server "$SERVER_PID"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
