# Shared by the end-to-end scripts in scripts/ (sourced after `set -euo pipefail`). Before sourcing, set
# SCRIPT_NAME (for messages) and HELP_LINES (the header lines `--help` prints, e.g. '2,19p').
# Sets `here`, `root` and `keep` (from --keep), and defines say, die, apt_install, ensure_raaid_bin,
# free_port and wait_for_port.

here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
keep=false
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) keep=true; shift ;;
        -h|--help) sed -n "$HELP_LINES" "${BASH_SOURCE[1]}"; exit 0 ;;
        *) echo "$SCRIPT_NAME: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done

say() { echo "$SCRIPT_NAME: $*"; }
die() { echo "$SCRIPT_NAME: FAIL: $*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 is required"

# apt_install PACKAGE...: installs Debian packages (with sudo when not root); dies without apt-get.
apt_install() {
    command -v apt-get >/dev/null || die "missing $* and no apt-get to install them"
    say "installing $* with apt-get"
    local sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

# ensure_raaid_bin: sets RAAID_BIN to a release build unless it is given.
ensure_raaid_bin() {
    if [ -z "${RAAID_BIN:-}" ]; then
        say "building raaid"
        (cd "$root" && swift build -c release --product raaid >&2)
        RAAID_BIN="$(cd "$root" && swift build -c release --show-bin-path)/raaid"
    fi
    [ -x "$RAAID_BIN" ] || die "no raaid binary at $RAAID_BIN"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for_port() {  # port pid name
    for _ in $(seq 1 100); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null; then return 0; fi
        kill -0 "$2" 2>/dev/null || die "$3 exited before listening"
        sleep 0.1
    done
    die "$3 is not listening on port $1 after 10 s"
}
