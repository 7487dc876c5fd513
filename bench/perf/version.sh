#!/usr/bin/env bash
# Startup time: `raaid --version` against `git --version` and `rg --version`, in the same hyperfine run.
# Goal: raaid's median under 20 ms.
#
# Usage: bench/perf/version.sh [--runs N] [--warmup N] [--keep DIR]
#   RAAID=/path/to/raaid  use that binary instead of building a release one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=200
WARMUP=10
KEEP=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done

ensure_tools hyperfine rg git python3
RAAID_BIN="$(raaid_binary)"
case "$RAAID_BIN" in *' '*) die "hyperfine -N cannot run a path with spaces: $RAAID_BIN" ;; esac

OUT="$(mktemp -d "${TMPDIR:-/tmp}/raaid-bench-version.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

machine_info
log "raaid: $RAAID_BIN ($("$RAAID_BIN" --version))"
# -N: no intermediate shell, so the figure is the process itself (exec, dynamic loading, runtime start-up).
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style basic \
    --export-json "$OUT/version.json" \
    --command-name 'raaid --version' "$RAAID_BIN --version" \
    --command-name 'git --version' 'git --version' \
    --command-name 'rg --version' 'rg --version' >&2

echo
hyperfine_table "$OUT/version.json"
echo
python3 - "$OUT/version.json" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
median = results["raaid --version"]["median"] * 1000
verdict = "met" if median < 20 else f"MISSED by {median - 20:.2f} ms"
print(f"goal: raaid --version median < 20 ms: {median:.2f} ms -> {verdict}")
for peer in ("git --version", "rg --version"):
    print(f"      raaid / {peer.split()[0]}: {results['raaid --version']['median'] / results[peer]['median']:.2f}x (median)")
EOF
if [ -n "$KEEP" ]; then mkdir -p "$KEEP" && cp "$OUT/version.json" "$KEEP/"; log "JSON kept in $KEEP/version.json"; fi
