#!/usr/bin/env bash
# TLS by a reverse proxy, end to end: nginx (configured from examples/nginx/raaid.conf) terminates TLS with a
# self-signed certificate for a made-up public name and forwards to raaid serve on loopback.
# Everything lives in a temporary directory: nginx runs with -p/-c/-e there, as the current user, with its
# own pid and log files, on a free 127.0.0.1 port; nothing system-wide is configured or started.
# scripts/nginx/wss_check.py then checks, trusting only that certificate:
#   GET / over https (the page, its CSP, wss: selection) and /healthz; a browser-style research run over
#   wss:// that ends with run.completed status success; a Bearer client; and that a foreign Origin (403),
#   a wrong token (401) and an unknown Host (421) are still refused through the proxy.
# If Chromium is installed, scripts/nginx/browser_check.py also opens https://NAME:PORT/#token=… in headless
# Chromium (NAME mapped to 127.0.0.1, only this certificate trusted) and finishes a run from the page.
#
# Usage: scripts/nginx-tls.sh [--keep]      (--keep: keep the temporary directory with configs and logs)
#
# Environment:
#   RAAID_BIN   raaid binary to test (default: build `swift build -c release --product raaid`)
#   NGINX       nginx binary (default: nginx on PATH or /usr/sbin/nginx; installs Debian's nginx when missing)
#   CHROMIUM    browser for the page check (default: chromium on PATH); NO_BROWSER=1 skips that check
set -euo pipefail

SCRIPT_NAME=nginx-tls.sh
HELP_LINES='2,19p'
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- tools ---------------------------------------------------------------------------------------------
nginx="${NGINX:-$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)}"
missing=()
[ -n "$nginx" ] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
    # Debian starts the packaged service on install; this script does not use it (and leaves it alone).
    nginx="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
fi
[ -x "$nginx" ] || die "no nginx binary at $nginx"

ensure_raaid_bin

# --- temporary directory, cleanup ------------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/raaid-nginx.XXXXXX")"
chmod 755 "$work"
server_pid=""
nginx_pid=""
cleanup() {
    status=$?
    for pid in $nginx_pid $server_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "$status" -ne 0 ]; then
        for log in raaid.log nginx-error.log nginx-access.log; do
            [ -s "$work/$log" ] && { echo "--- $log (last 20 lines) ---" >&2; tail -20 "$work/$log" >&2; }
        done
    fi
    if $keep || [ "$status" -ne 0 ]; then echo "nginx-tls.sh: files kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT


name="raaid.test"  # the public name (RFC 2606 .test: never a real host); clients reach it at 127.0.0.1
raaid_port="$(free_port)"
proxy_port="$(free_port)"
token="nginx-tls-$(openssl rand -hex 12)"

# --- certificate -----------------------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$name" -addext "subjectAltName=DNS:$name" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>"$work/openssl.log" || { cat "$work/openssl.log" >&2; die "openssl failed"; }
say "self-signed certificate for $name: $(openssl x509 -in "$work/cert.pem" -noout -fingerprint -sha256)"

# --- nginx config from the example -----------------------------------------------------------------------
example="$root/examples/nginx/raaid.conf"
# Only addresses, names and paths change; every proxy directive is the example's own.
sed -e "s|^\(\s*\)listen 443 ssl;|\1listen 127.0.0.1:$proxy_port ssl;|" \
    -e '/^\s*listen \[::\]:443 ssl;/d' \
    -e "s|^\(\s*\)server_name agent.example.com;|\1server_name $name;|" \
    -e "s|^\(\s*ssl_certificate\s\+\)/etc/letsencrypt/live/agent.example.com/fullchain.pem;|\1$work/cert.pem;|" \
    -e "s|^\(\s*ssl_certificate_key\s\+\)/etc/letsencrypt/live/agent.example.com/privkey.pem;|\1$work/key.pem;|" \
    -e "s|^\(\s*\)server 127.0.0.1:8765;|\1server 127.0.0.1:$raaid_port;|" \
    "$example" >"$work/raaid.conf"
for expected in "listen 127.0.0.1:$proxy_port ssl;" "server_name $name;" "$work/cert.pem;" "$work/key.pem;" \
    "server 127.0.0.1:$raaid_port;"; do
    grep -qF "$expected" "$work/raaid.conf" || die "could not adapt $example (no '$expected' after substitution)"
done
! grep -qE "agent\.example\.com;|letsencrypt|:443 " "$work/raaid.conf" || die "$example has directives this script does not adapt"

user_line=""
# Run as the current user. Only a root master switches workers to another user: keep them root then too,
# so they can use the files in $work.
[ "$(id -u)" -eq 0 ] && user_line="user $(id -un) $(id -gn);"
mkdir -p "$work/nginx-tmp"
cat >"$work/nginx.conf" <<CONF
# Generated by scripts/nginx-tls.sh for one test run.
$user_line
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log info;
events { worker_connections 64; }
http {
    access_log $work/nginx-access.log;
    client_body_temp_path $work/nginx-tmp/client;
    proxy_temp_path $work/nginx-tmp/proxy;
    fastcgi_temp_path $work/nginx-tmp/fastcgi;
    uwsgi_temp_path $work/nginx-tmp/uwsgi;
    scgi_temp_path $work/nginx-tmp/scgi;
    include $work/raaid.conf;
}
CONF
"$nginx" -t -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" >"$work/nginx-t.log" 2>&1 \
    || { cat "$work/nginx-t.log" >&2; die "nginx -t rejected the configuration"; }

# --- fixture workspace and servers ----------------------------------------------------------------------
workspace="$work/workspace"
mkdir -p "$workspace/src" "$workspace/tests"
printf '"""Small arithmetic helpers."""\n\n\ndef add(a, b):\n    """Returns the sum of a and b."""\n    return a + b\n' \
    >"$workspace/src/calc.py"
printf 'from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n' >"$workspace/tests/test_calc.py"

# As the example says: raaid stays on loopback and is told the public name and the page's origin.
"$RAAID_BIN" serve --port "$raaid_port" --token "$token" --workspace "$workspace" \
    --allow-host "$name" --allow-origin "https://$name:$proxy_port" >"$work/raaid.log" 2>&1 &
server_pid=$!
wait_for_port "$raaid_port" "$server_pid" "raaid serve"
"$nginx" -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" >"$work/nginx.out" 2>&1 &
nginx_pid=$!
wait_for_port "$proxy_port" "$nginx_pid" "nginx"
say "raaid serve on 127.0.0.1:$raaid_port, nginx ($("$nginx" -v 2>&1 | sed 's|.*/||')) on https://$name:$proxy_port (127.0.0.1)"

# --- checks ----------------------------------------------------------------------------------------------
python3 "$here/nginx/wss_check.py" --address 127.0.0.1 --port "$proxy_port" --name "$name" \
    --cafile "$work/cert.pem" --token "$token" || die "the checks through the proxy failed"
grep -q "origin_not_allowed" "$work/raaid.log" || die "raaid did not log the refused origin"

# The page in a real browser through the proxy: only when Chromium is installed (scripts/webpage-test.sh
# installs it); NO_BROWSER=1 skips it.
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [ -n "$chromium" ] && [ -z "${NO_BROWSER:-}" ]; then
    echo "the page in Chromium through the proxy"
    spki="$(openssl x509 -in "$work/cert.pem" -pubkey -noout | openssl pkey -pubin -outform der \
        | openssl dgst -sha256 -binary | base64)"
    shots="$(mktemp -d "${TMPDIR:-/tmp}/raaid-nginx-shots.XXXXXX")"
    python3 "$here/nginx/browser_check.py" --chromium "$chromium" --url "https://$name:$proxy_port/" --name "$name" \
        --spki "$spki" --token "$token" --work "$work" --screenshot "$shots/nginx-page.png" \
        || die "the page did not work through the proxy"
else
    say "browser check skipped (no chromium on PATH, or NO_BROWSER set)"
fi
upgrades="$(grep -c '"GET /ws HTTP/1.1" 101 ' "$work/nginx-access.log" || true)"
[ "$upgrades" -ge 2 ] || die "nginx logged $upgrades WebSocket upgrades (101), expected at least 2"
say "nginx access log: $upgrades upgrades (101), $(grep -c '"GET /ws HTTP/1.1" 403 ' "$work/nginx-access.log" || true) refused with 403"
kill -0 "$server_pid" 2>/dev/null || die "raaid serve died during the test"
kill -0 "$nginx_pid" 2>/dev/null || die "nginx died during the test"
say "PASS"
