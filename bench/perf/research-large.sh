#!/usr/bin/env bash
# Research on a large tree: `raaid run --research-only` (cold: no cache; warm: cache from a previous run)
# against a ripgrep user's plain scan for the task's words, in the same hyperfine run, on the same tree.
# Goals: cold within 3x of rg, warm faster than rg. Also peak memory (GNU time) and raaid's own stats.
#
# Usage: bench/perf/research-large.sh [--tree DIR] [--packages DIR] [--runs N] [--rss-runs N] [--keep DIR]
#   --tree DIR      use (or build, if missing) the tree in DIR instead of ${TMPDIR:-/tmp}/raaid-bench-swift-packages
#   --packages DIR  where the bare Swift package mirrors are (OWNER/NAME.git); default: $SWIFT_PACKAGES_DIR,
#                   else /opt/swift-packages
#   --runs N        hyperfine runs per command (default 5, after 1 warmup run)
#   --rss-runs N    GNU time runs per command for peak memory (default 3)
#   --keep DIR      copy the hyperfine JSON and the event streams there
#   RAAID=/path/to/raaid  use that binary instead of building a release one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TREE="${TMPDIR:-/tmp}/raaid-bench-swift-packages"
PACKAGES="${SWIFT_PACKAGES_DIR:-/opt/swift-packages}"
RUNS=5
RSS_RUNS=3
KEEP=""
TASK="$PERF_DIR/task-websocket.md"
# The words a ripgrep user would search for, taken from the task: the distinctive ones, case-insensitive.
WORDS=(websocket frame opcode payload mask fragment)

while [ $# -gt 0 ]; do
    case "$1" in
        --tree) TREE="$2"; shift 2 ;;
        --packages) PACKAGES="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --rss-runs) RSS_RUNS="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done

ensure_tools hyperfine rg time git python3
RAAID_BIN="$(raaid_binary)"

# --- The tree: the highest release tag of every local package mirror, unpacked side by side. ---------------
# Kept across reruns: a stamp beside the tree says it was completed.
highest_tag() {
    git -C "$1" tag | grep -E '^v?[0-9]+(\.[0-9]+)*$' | awk '{ k = $0; sub(/^v/, "", k); print k "\t" $0 }' \
        | sort -V -k1,1 | tail -1 | cut -f2
}

build_tree() {
    [ -d "$PACKAGES" ] || die "no package mirrors in $PACKAGES (use --packages DIR or --tree DIR)"
    log "building the tree in $TREE from $PACKAGES"
    rm -rf "$TREE" && mkdir -p "$TREE"
    local repo owner name tag count=0
    for repo in "$PACKAGES"/*/*.git; do
        [ -d "$repo" ] || continue
        owner="$(basename "$(dirname "$repo")")"
        name="$(basename "$repo" .git)"
        tag="$(highest_tag "$repo")"
        if [ -z "$tag" ]; then
            tag="$(git -C "$repo" tag | sort -V | tail -1)"
        fi
        [ -n "$tag" ] || tag=HEAD
        mkdir -p "$TREE/${owner}__${name}"
        git -C "$repo" archive "$tag" | tar -x -C "$TREE/${owner}__${name}" || die "git archive $repo $tag failed"
        printf '%s/%s %s\n' "$owner" "$name" "$tag" >>"$TREE.versions"
        count=$((count + 1))
    done
    date -u '+%Y-%m-%dT%H:%M:%SZ' >"$TREE.stamp"
    log "unpacked $count packages"
}

if [ ! -f "$TREE.stamp" ]; then
    if [ -d "$TREE" ] && [ -n "$(ls -A "$TREE" 2>/dev/null)" ] && [ ! -f "$TREE.versions" ]; then
        log "using the given tree $TREE as it is"
    else
        rm -f "$TREE.versions"
        build_tree
    fi
fi
[ -d "$TREE" ] || die "no tree at $TREE"
FILES="$(find "$TREE" -type f | wc -l)"
BYTES="$(du -sb "$TREE" | cut -f1)"
PACKAGE_COUNT="$(find "$TREE" -mindepth 1 -maxdepth 1 -type d | wc -l)"

OUT="$(mktemp -d "${TMPDIR:-/tmp}/raaid-bench-research.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
MEM_COLD="$OUT/mem-cold"
MEM_WARM="$OUT/mem-warm"

machine_info
echo "tree:    $PACKAGE_COUNT packages, $FILES files, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f MiB", b / 1048576 }')"
echo "task:    bench/perf/$(basename "$TASK")"
echo "rg words: ${WORDS[*]}"
echo

RG_ARGS=(-l -i)
for word in "${WORDS[@]}"; do RG_ARGS+=(-e "$word"); done
RG_CMD="rg ${RG_ARGS[*]} $TREE"
RAAID_CMD_COLD="$RAAID_BIN run $TASK --research-only --workspace $TREE --memory-dir $MEM_COLD -q"
RAAID_CMD_WARM="$RAAID_BIN run $TASK --research-only --workspace $TREE --memory-dir $MEM_WARM -q"

# Warm the page cache and seed the warm cache (the tree does not change afterwards).
log "priming: page cache and the warm memory directory"
rg "${RG_ARGS[@]}" "$TREE" >/dev/null || true
"$RAAID_BIN" run "$TASK" --research-only --workspace "$TREE" --memory-dir "$MEM_WARM" -q >/dev/null \
    || die "raaid run failed on the tree (try it by hand: $RAAID_CMD_WARM)"

# rg exits 1 when nothing matches: -i keeps that from aborting the run.
hyperfine --warmup 1 --runs "$RUNS" --style basic -i \
    --export-json "$OUT/research.json" \
    --prepare 'true' --command-name 'rg -l -i (6 words)' "$RG_CMD" \
    --prepare "rm -rf $MEM_COLD" --command-name 'raaid research, cold (no cache)' "$RAAID_CMD_COLD" \
    --prepare 'true' --command-name 'raaid research, warm (cache)' "$RAAID_CMD_WARM" >&2

# --- Peak memory: GNU time's maximum resident set size, a few runs each. ----------------------------------
peak_rss() { # label, prepare, command...
    local label="$1" prepare="$2"
    shift 2
    local i
    for ((i = 0; i < RSS_RUNS; i++)); do
        eval "$prepare"
        /usr/bin/time -f '%M' -o "$OUT/rss.tmp" "$@" >/dev/null || true
        printf '%s\t%s\n' "$label" "$(tail -1 "$OUT/rss.tmp")" >>"$OUT/rss.tsv"
    done
}
log "peak memory: $RSS_RUNS runs each"
: >"$OUT/rss.tsv"
peak_rss 'rg -l -i (6 words)' ':' rg "${RG_ARGS[@]}" "$TREE"
peak_rss 'raaid research, cold (no cache)' 'rm -rf "$MEM_COLD"' \
    "$RAAID_BIN" run "$TASK" --research-only --workspace "$TREE" --memory-dir "$MEM_COLD" -q
peak_rss 'raaid research, warm (cache)' ':' \
    "$RAAID_BIN" run "$TASK" --research-only --workspace "$TREE" --memory-dir "$MEM_WARM" -q

# --- raaid's own stats, from the event stream. ------------------------------------------------------------
rm -rf "$MEM_COLD"
"$RAAID_BIN" run "$TASK" --research-only --workspace "$TREE" --memory-dir "$MEM_COLD" -q >"$OUT/events-cold.ndjson" || true
"$RAAID_BIN" run "$TASK" --research-only --workspace "$TREE" --memory-dir "$MEM_COLD" -q >"$OUT/events-warm.ndjson" || true
RG_MATCHES="$(rg "${RG_ARGS[@]}" "$TREE" | wc -l)"
CACHE_BYTES="$(du -sb "$MEM_COLD/cache" 2>/dev/null | cut -f1 || echo 0)"

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 - "$OUT" "$RG_MATCHES" "${CACHE_BYTES:-0}" <<'EOF'
import json, statistics, sys
out, rg_matches, cache_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
results = {r["command"]: r for r in json.load(open(f"{out}/research.json"))["results"]}
rss = {}
for line in open(f"{out}/rss.tsv"):
    label, kib = line.rstrip("\n").split("\t")
    if kib.strip().isdigit():
        rss.setdefault(label, []).append(int(kib))

print("| command | runs | median s | mean s ± sd | min s | max s | CPU s (user+sys, mean) | peak RSS MiB (median of runs, max) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, r in results.items():
    peak = rss.get(name, [])
    peak_text = f"{statistics.median(peak) / 1024:.1f} ({max(peak) / 1024:.1f})" if peak else "n/a"
    print(f"| {name} | {len(r['times'])} | {r['median']:.3f} | {r['mean']:.3f} ± {r.get('stddev') or 0:.3f} | "
          f"{r['min']:.3f} | {r['max']:.3f} | {r['user'] + r['system']:.3f} | {peak_text} |")

rg = results["rg -l -i (6 words)"]["median"]
cold = results["raaid research, cold (no cache)"]["median"]
warm = results["raaid research, warm (cache)"]["median"]
print()
print(f"rg listed {rg_matches} files; raaid's cache directory after one cold run: {cache_bytes / 1048576:.1f} MiB")
print(f"goal: cold within 3x of rg: cold / rg = {cold / rg:.2f}x -> "
      + ("met" if cold <= 3 * rg else f"MISSED ({cold:.3f} s against a limit of {3 * rg:.3f} s, "
                                        f"{cold - 3 * rg:.3f} s over)"))
cpu = {k: r["user"] + r["system"] for k, r in results.items()}
rg_cpu = cpu["rg -l -i (6 words)"]
print(f"CPU time (user+sys) against rg: cold {cpu['raaid research, cold (no cache)'] / rg_cpu:.1f}x, "
      f"warm {cpu['raaid research, warm (cache)'] / rg_cpu:.1f}x (less sensitive to other load than wall time)")
print(f"goal: warm faster than rg:  warm / rg = {warm / rg:.2f}x -> "
      + ("met" if warm < rg else f"MISSED ({warm:.3f} s against {rg:.3f} s, {warm - rg:.3f} s over)"))

print()
print("raaid's phase.completed stats (research phase):")
print("| run | files_seen | files_indexed | files_from_cache | bytes_read | engine_ms | phase duration_ms | run duration_ms | skipped |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for label in ("cold", "warm"):
    phase, run = None, None
    for line in open(f"{out}/events-{label}.ndjson"):
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("type") == "phase.completed" and event.get("phase") == "research":
            phase = event
        elif event.get("type") == "run.completed":
            run = event
    if phase is None:
        status = run and run.get("status")
        print(f"| {label} | no research phase.completed (run status: {status}) |||||||")
        continue
    s = phase.get("stats", {})
    skipped = ", ".join(f"{k}: {v}" for k, v in sorted(s.get("skipped", {}).items())) or "none"
    print(f"| {label} | {s.get('files_seen')} | {s.get('files_indexed')} | {s.get('files_from_cache')} | "
          f"{s.get('bytes_read')} | {s.get('engine_ms')} | {phase.get('duration_ms')} | "
          f"{run.get('duration_ms') if run else 'n/a'} | {skipped} |")
EOF

if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP" && cp "$OUT"/research.json "$OUT"/rss.tsv "$OUT"/events-*.ndjson "$KEEP/"
    log "JSON, RSS and event streams kept in $KEEP"
fi
