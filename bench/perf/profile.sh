#!/usr/bin/env bash
# Where raaid's research time goes on the large tree: a sampling profile (perf) of a cold and a warm run,
# flat (self time per function, demangled), plus the engine's own stats from the event stream.
# Not a benchmark with a peer: use it when research-large.sh misses a goal.
#
# Usage: bench/perf/profile.sh [--tree DIR] [--top N] [--keep DIR]
#   --tree DIR  the tree research-large.sh built (default ${TMPDIR:-/tmp}/raaid-bench-swift-packages)
#   --top N     how many functions to list per run (default 25)
#   --keep DIR  copy the perf data and reports there
#   RAAID=/path/to/raaid  use that binary instead of building a release one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TREE="${TMPDIR:-/tmp}/raaid-bench-swift-packages"
TOP=25
KEEP=""
TASK="$PERF_DIR/task-websocket.md"
while [ $# -gt 0 ]; do
    case "$1" in
        --tree) TREE="$2"; shift 2 ;;
        --top) TOP="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done
[ -d "$TREE" ] || die "no tree at $TREE: run bench/perf/research-large.sh first, or pass --tree DIR"

if ! command -v perf >/dev/null 2>&1; then
    ensure_tools linux-perf
fi
ensure_tools python3 time
RAAID_BIN="$(raaid_binary)"

OUT="$(mktemp -d "${TMPDIR:-/tmp}/raaid-bench-profile.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
MEM="$OUT/mem"

demangle() { if command -v swift-demangle >/dev/null 2>&1; then swift-demangle --simplified; else cat; fi; }

profile_run() { # label
    local label="$1"
    log "perf record: $label"
    perf record -q -F 2000 -g -o "$OUT/$label.perf" -- \
        "$RAAID_BIN" run "$TASK" --research-only --workspace "$TREE" --memory-dir "$MEM" -q \
        >"$OUT/events-$label.ndjson" 2>"$OUT/perf-$label.err" || true
    echo "### $label: self time by function (top $TOP)"
    perf report -i "$OUT/$label.perf" --no-children --sort dso,symbol --percent-limit 0.3 --stdio -g none 2>/dev/null \
        | grep -E '^ +[0-9]' | head -n "$TOP" | demangle | sed -E "s/[[:space:]-]+$//" | cut -c1-200 || true
    echo
    echo "### $label: by thread and library"
    perf report -i "$OUT/$label.perf" --no-children --sort comm,dso --stdio -g none 2>/dev/null \
        | grep -E '^ +[0-9]' | head -n 12 || true
    echo
    python3 - "$OUT/events-$label.ndjson" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("type") == "phase.completed":
        print(f"phase.completed ({e.get('phase')}): duration_ms={e.get('duration_ms')} stats={json.dumps(e.get('stats'))}")
    if e.get("type") == "run.completed":
        print(f"run.completed: status={e.get('status')} duration_ms={e.get('duration_ms')}")
EOF
    echo
}

machine_info
echo
rm -rf "$MEM"
profile_run cold
profile_run warm

# The progress events give the stage boundaries: print when each stage first and last reported.
echo "### stage timeline (cold run, from progress events' timestamps)"
python3 - "$OUT/events-cold.ndjson" <<'EOF'
import json, sys
from datetime import datetime
first, last, start = {}, {}, None
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    ts = datetime.fromisoformat(e["ts"].replace("Z", "+00:00"))
    if start is None:
        start = ts
    if e.get("type") == "progress":
        stage = e.get("stage")
        first.setdefault(stage, ts)
        last[stage] = (ts, e.get("done"), e.get("total"))
for stage, t0 in first.items():
    t1, done, total = last[stage]
    print(f"{stage:>12}: {1000 * (t0 - start).total_seconds():8.0f} ms .. {1000 * (t1 - start).total_seconds():8.0f} ms"
          f"  ({done}/{total})")
EOF

if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP" && cp "$OUT"/*.perf "$OUT"/events-*.ndjson "$KEEP/"
    log "perf data and event streams kept in $KEEP"
fi
