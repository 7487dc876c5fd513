# Shared helpers for the performance benchmarks. Sourced, not run.
# Every path is found relative to this file: nothing here names a machine.

PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$PERF_DIR/../.." && pwd)"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# ensure_tools CMD... : installs the Debian packages providing the missing commands.
# hyperfine, rg (ripgrep), /usr/bin/time (GNU time), jq, python3 are the ones we use.
ensure_tools() {
    local missing=() cmd pkg
    for cmd in "$@"; do
        case "$cmd" in
            time) [ -x /usr/bin/time ] && /usr/bin/time -f '%M' true >/dev/null 2>&1 && continue; pkg=time ;;
            rg) command -v rg >/dev/null 2>&1 && continue; pkg=ripgrep ;;
            python3) command -v python3 >/dev/null 2>&1 && continue; pkg=python3-minimal ;;
            *) command -v "$cmd" >/dev/null 2>&1 && continue; pkg="$cmd" ;;
        esac
        missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    log "installing missing tools: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
        sudo="sudo"
    fi
    $sudo apt-get update -qq >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
}

# raaid_binary: prints the path of a release raaid, building it unless RAAID is set.
raaid_binary() {
    if [ -n "${RAAID:-}" ]; then
        [ -x "$RAAID" ] || die "RAAID=$RAAID is not an executable"
        printf '%s\n' "$RAAID"
        return
    fi
    command -v swift >/dev/null 2>&1 || die "swift not found on PATH (or set RAAID=/path/to/raaid)"
    log "building raaid (swift build -c release --product raaid)"
    (cd "$REPO_ROOT" && swift build -c release --product raaid >&2) || die "release build failed"
    local bin
    bin="$(cd "$REPO_ROOT" && swift build -c release --show-bin-path)/raaid"
    [ -x "$bin" ] || die "built, but no binary at $bin"
    printf '%s\n' "$bin"
}

# machine_info: one line per fact, for the README.
machine_info() {
    local cpu
    cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/^[^:]*: *//')"
    printf 'date:    %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'cpu:     %s x %s\n' "$(nproc)" "${cpu:-unknown}"
    printf 'ram:     %s\n' "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    printf 'kernel:  %s\n' "$(uname -sr)"
    if command -v swift >/dev/null 2>&1; then
        printf 'swift:   %s\n' "$(swift --version 2>&1 | grep -m1 -o 'Swift version [^ ]*')"
    fi
    printf 'load:    %s (1, 5, 15 min; above %s means other work shares the CPUs and wall times are inflated)\n' \
        "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
    printf 'commit:  %s\n' "$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    printf 'tools:   %s; %s; %s\n' "$(hyperfine --version 2>/dev/null)" "$(rg --version 2>/dev/null | head -1)" \
        "$(git --version)"
}

# hyperfine_table JSON... : a table of the results of one or more hyperfine JSON exports.
hyperfine_table() {
    python3 - "$@" <<'EOF'
import json, sys
rows = []
for path in sys.argv[1:]:
    with open(path) as f:
        for r in json.load(f)["results"]:
            rows.append(r)
name_width = max(len(r["command"]) for r in rows)
name_width = min(max(name_width, 7), 60)
print(f"| {'command':<{name_width}} | runs | median ms |   mean ± sd ms | min ms | max ms |")
print(f"|{'-' * (name_width + 2)}|-----:|----------:|---------------:|-------:|-------:|")
for r in rows:
    ms = lambda v: v * 1000
    name = r["command"] if len(r["command"]) <= name_width else r["command"][: name_width - 1] + "…"
    sd = r.get("stddev") or 0
    print(f"| {name:<{name_width}} | {len(r['times']):>4} | {ms(r['median']):>9.2f} | "
          f"{ms(r['mean']):>7.2f} ± {ms(sd):>6.2f} | {ms(r['min']):>6.2f} | {ms(r['max']):>6.2f} |")
EOF
}
