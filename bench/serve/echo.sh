#!/usr/bin/env bash
# Echo throughput: messages per second with C clients against /echo, raaid serve --echo vs Python websockets.
# Usage: bench/serve/echo.sh [CLIENTS] [SECONDS] [SIZE] [WINDOW]     (default 100 clients, 10 s, 64 bytes, window 1)
# Each client keeps WINDOW binary messages in flight (sends the next one when an echo arrives).
source "$(dirname "$0")/common.sh"
CLIENTS="${1:-100}"
SECONDS_="${2:-10}"
SIZE="${3:-64}"
WINDOW="${4:-1}"
build_all
make_workspace
machine_info

run_one() {
    local name="$1" pid="$SERVER_PID"
    local cpu0; cpu0=$(cpu_seconds "$pid")
    local start; start=$(date +%s.%N)
    local line; line=$("$LEAN" echo --port "$SERVER_PORT" --path /echo --n "$CLIENTS" --seconds "$SECONDS_" \
        --size "$SIZE" --window "$WINDOW" --src 127.0.0.50 2>>"$WORK/$name.client.err")
    local cpu1; cpu1=$(cpu_seconds "$pid")
    local wall; wall=$(echo "$(date +%s.%N) - $start" | bc -l)
    # Server CPU over the client's whole run (1 s warm-up + the measured seconds), as a % of one core.
    echo "$name $line server_cpu_pct=$(echo "($cpu1 - $cpu0) / $wall * 100" | bc -l)" >>"$WORK/results"
}

start_server raaid "$RAAID" serve --port 0 --token bench-token-0123456789 --echo --workspace "$WORK/workspace" \
    --memory-dir "$WORK/memory" --log-level error
run_one raaid
stop_server "$SERVER_PID"
start_server python "$PY" "$BENCH_DIR/peer.py" --port 0
run_one python-websockets
stop_server "$SERVER_PID"

echo
echo "| server | clients | size | window | messages/s | RTT p50 ms | RTT p99 ms | server CPU % | client CPU % |"
echo "|---|---|---|---|---|---|---|---|---|"
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
       printf "| %s | %s | %s | %s | %s | %s | %s | %.0f | %s |\n", $1, v["alive"], v["size"], v["window"], v["msgs_per_s"],
              (v["rtt_p50_ms"] == "" ? "-" : v["rtt_p50_ms"]), (v["rtt_p99_ms"] == "" ? "-" : v["rtt_p99_ms"]),
              v["server_cpu_pct"], v["client_cpu_pct"] }' "$WORK/results"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
