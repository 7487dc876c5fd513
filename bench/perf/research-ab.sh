#!/usr/bin/env bash
# Two raaid builds against each other and rg on the large tree, interleaved round by round so that drift in the
# machine's load (or its page cache being reclaimed) hits every command alike. Each round first reads the whole tree
# (`cat`) to warm the page cache, then runs rg, both builds cold (fresh memory directory), both warm (their own
# seeded memory directories), and rg again. Prints medians of wall and CPU time (GNU time) and peak RSS.
#
# Usage: bench/perf/research-ab.sh --base BIN --new BIN [--tree DIR] [--rounds N]
#   --base BIN   the reference raaid binary (for example a release build of main)
#   --new BIN    the raaid binary under test
#   --tree DIR   the tree research-large.sh built (default ${TMPDIR:-/tmp}/raaid-bench-swift-packages)
#   --rounds N   rounds (default 10)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TREE="${TMPDIR:-/tmp}/raaid-bench-swift-packages"
ROUNDS=10
BASE=""
NEW=""
TASK="$PERF_DIR/task-websocket.md"
WORDS=(websocket frame opcode payload mask fragment)
while [ $# -gt 0 ]; do
    case "$1" in
        --base) BASE="$2"; shift 2 ;;
        --new) NEW="$2"; shift 2 ;;
        --tree) TREE="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done
[ -x "$BASE" ] && [ -x "$NEW" ] || die "need --base BIN and --new BIN (executables)"
[ -d "$TREE" ] || die "no tree at $TREE: run bench/perf/research-large.sh first, or pass --tree DIR"
ensure_tools rg time python3

OUT="$(mktemp -d "${TMPDIR:-/tmp}/raaid-bench-ab.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
RG_ARGS=(-l -i)
for word in "${WORDS[@]}"; do RG_ARGS+=(-e "$word"); done

research() { # binary, memory directory
    "$1" run "$TASK" --research-only --workspace "$TREE" --memory-dir "$2" -q >/dev/null
}
timed() { # label, command...
    local label="$1"
    shift
    /usr/bin/time -f "$label %e %U %S %M" -a -o "$OUT/times" "$@" >/dev/null 2>&1 || true
}
timed_research() { # label, binary, memory directory
    timed "$1" "$2" run "$TASK" --research-only --workspace "$TREE" --memory-dir "$3" -q
}

machine_info
echo "base:    $BASE"
echo "new:     $NEW"
echo
research "$BASE" "$OUT/warm-base" || die "the base build failed on the tree"
research "$NEW" "$OUT/warm-new" || die "the new build failed on the tree"
log "$ROUNDS rounds"
for ((i = 0; i < ROUNDS; i++)); do
    find "$TREE" -type f -print0 | xargs -0 cat >/dev/null 2>&1 || true
    timed rg rg "${RG_ARGS[@]}" "$TREE"
    rm -rf "$OUT/cold"
    timed_research base-cold "$BASE" "$OUT/cold"
    rm -rf "$OUT/cold"
    timed_research new-cold "$NEW" "$OUT/cold"
    timed_research base-warm "$BASE" "$OUT/warm-base"
    timed_research new-warm "$NEW" "$OUT/warm-new"
    timed rg rg "${RG_ARGS[@]}" "$TREE"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 - "$OUT/times" <<'EOF'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) != 5 or parts[0] == "Command":
        continue
    label, wall, user, system, rss = parts
    runs[label].append((float(wall), float(user) + float(system), int(rss)))
rg = statistics.median(r[0] for r in runs["rg"])
print("| command | runs | median wall s | min wall s | median CPU s | peak RSS MiB | wall / rg |")
print("|---|---:|---:|---:|---:|---:|---:|")
for label in ("rg", "base-cold", "new-cold", "base-warm", "new-warm"):
    r = runs[label]
    wall = statistics.median(x[0] for x in r)
    print(f"| {label} | {len(r)} | {wall:.3f} | {min(x[0] for x in r):.3f} | "
          f"{statistics.median(x[1] for x in r):.3f} | {max(x[2] for x in r) / 1024:.1f} | {wall / rg:.2f}x |")
EOF
