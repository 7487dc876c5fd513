#!/usr/bin/env bash
# Fan-out latency: one run's event to N subscribers, raaid vs Python websockets.
# Usage: [BLOCKER=model|research] bench/serve/fanout.sh [SUBSCRIBERS] [ROUNDS]   (default model, 1000, 30)
# Method: one publisher connection starts a blocker run (keeps the single run slot busy, --max-runs 1) and then a
# probe run, which stays queued. N subscribers (same session) subscribe to the probe run. The publisher takes
# CLOCK_REALTIME and sends run.cancel; the server emits run.completed and fans it out. Latency per subscriber =
# kernel receive timestamp (SO_TIMESTAMPNS) of the frame - the publisher's send time. Same client for both servers.
source "$(dirname "$0")/common.sh"
N="${1:-1000}"
ROUNDS="${2:-30}"
TOKEN="bench-token-0123456789"
build_all
make_workspace
# The blocker run keeps the single run slot busy while the rounds run.
# BLOCKER=model (default): it plans against a model endpoint that never answers (stall_model.py), so it holds the
#   slot without using CPU, as a live run waiting for its model does; the peer runs nothing either.
# BLOCKER=research: it researches a large tree (WORKSPACE=DIR, or a generated tree of 30,000 small files) and is
#   restarted whenever it finishes, so research uses CPU during the raaid measurement (see the README).
BLOCKER="${BLOCKER:-model}"
MODEL_ARGS=()
if [ "$BLOCKER" = model ]; then
    RAAID_WORKSPACE="$WORK/workspace"
    mkdir -p "$RAAID_WORKSPACE"
    echo 'func probe() {}' >"$RAAID_WORKSPACE/main.swift"
    start_server stall python3 "$BENCH_DIR/stall_model.py" --port 0
    MODEL_ARGS=(--provider openai --model stall --base-url "http://127.0.0.1:$SERVER_PORT/v1")
elif [ "$BLOCKER" != research ]; then
    echo "BLOCKER must be model or research, not '$BLOCKER'" >&2; exit 2
elif [ -n "${WORKSPACE:-}" ]; then
    RAAID_WORKSPACE="$WORKSPACE"
else
    RAAID_WORKSPACE="$WORK/workspace"
    python3 - "$RAAID_WORKSPACE" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(300):
    os.makedirs(f"{root}/src/m{d}", exist_ok=True)
    for f in range(100):
        with open(f"{root}/src/m{d}/f{f}.swift", "w") as out:
            out.write(f"// module {d} file {f}\nfunc websocketFrame{f}(opcode: Int, payload: [UInt8], mask: UInt32) -> Int {{ payload.count + opcode }}\n" * 20)
PY
fi
machine_info
echo "blocker: $BLOCKER"

run_one() {
    local name="$1" pid="$SERVER_PID"
    local cpu0; cpu0=$(cpu_seconds "$pid")
    local line; line=$("$LEAN" fanout --port "$SERVER_PORT" --path /ws --token "$TOKEN" --n "$N" --rounds "$ROUNDS" \
        --blocker "$BLOCKER" --src 127.0.0.40 2>>"$WORK/$name.client.err")
    local cpu1; cpu1=$(cpu_seconds "$pid")
    echo "$name $line server_cpu_s=$(echo "$cpu1 - $cpu0" | bc -l)" >>"$WORK/results"
    echo "$name: $line" >&2
}

start_server raaid "$RAAID" serve --port 0 --token "$TOKEN" --workspace "$RAAID_WORKSPACE" --memory-dir "$WORK/memory" \
    --max-runs 1 --log-level error "${MODEL_ARGS[@]}"
run_one raaid
stop_server "$SERVER_PID"
start_server python "$PY" "$BENCH_DIR/peer.py" --port 0 --token "$TOKEN"
run_one python-websockets
stop_server "$SERVER_PID"

echo
echo "| server | subscribers | rounds | samples | p50 ms | p90 ms | p99 ms | max ms | spread p50 ms | spread p99 ms | server CPU s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
       printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f |\n", $1, v["subscribers"], v["rounds"], v["samples"],
              v["p50_ms"], v["p90_ms"], v["p99_ms"], v["max_ms"], v["spread_p50_ms"], v["spread_p99_ms"], v["server_cpu_s"] }' "$WORK/results"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
