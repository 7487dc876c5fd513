#!/usr/bin/env bash
# A raaid serve client in plain bash (no websocat, no Python): starts a research run and prints every
# event as one JSON line; exits with the run's exit code.
#
#   RAAID_SERVE_TOKEN=... examples/clients/raaid-ws.sh 127.0.0.1:8765 "Where is the Origin header checked?"
#   ... | jq -c 'select(.type=="run.completed")'
#
# It speaks RFC 6455 over bash's /dev/tcp: client frames are masked with a zero key (valid per the RFC,
# and it keeps the payload readable), and frames are read byte by byte with dd.
set -euo pipefail
export LC_ALL=C
endpoint=${1:?usage: raaid-ws.sh HOST:PORT TASK}
task=${2:?usage: raaid-ws.sh HOST:PORT TASK}
token=${RAAID_SERVE_TOKEN:?set RAAID_SERVE_TOKEN to the server token}
host=${endpoint%:*}
port=${endpoint##*:}

exec 3<>"/dev/tcp/$host/$port"
key=$(head -c 16 /dev/urandom | base64)
printf 'GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n' \
  "$endpoint" "$key" "$token" >&3

# The response head, line by line, up to the empty line.
IFS= read -r status <&3
case "$status" in
  *" 101 "*) ;;
  *) echo "handshake refused: ${status%$'\r'}" >&2; exit 3 ;;
esac
while IFS= read -r line <&3 && [ "${line%$'\r'}" != "" ]; do :; done

bytes() { dd bs=1 count="$1" status=none <&3 | od -An -tu1 -v; }

# Sends one masked text frame (zero mask key) carrying $1.
send_text() {
  local payload=$1 length=${#1}
  if [ "$length" -lt 126 ]; then
    printf "\\x81\\x$(printf %02x $((0x80 | length)))\\x00\\x00\\x00\\x00" >&3
  else
    printf "\\x81\\xfe\\x$(printf %02x $((length >> 8)))\\x$(printf %02x $((length & 255)))\\x00\\x00\\x00\\x00" >&3
  fi
  printf '%s' "$payload" >&3
}

escaped=$(printf '%s' "$task" | sed 's/\\/\\\\/g; s/"/\\"/g' | awk 'BEGIN{ORS="\\n"} {print}' | sed 's/\\n$//')
send_text "{\"type\":\"run.start\",\"id\":\"1\",\"task\":\"$escaped\",\"options\":{\"research_only\":true}}"

while true; do
  read -r first second < <(bytes 2)
  opcode=$((first & 15))
  length=$((second & 127))
  if [ "$length" -eq 126 ]; then
    read -r a b < <(bytes 2); length=$((a * 256 + b))
  elif [ "$length" -eq 127 ]; then
    length=0; for byte in $(bytes 8); do length=$((length * 256 + byte)); done
  fi
  payload=$(dd bs=1 count="$length" status=none <&3)
  case $opcode in
    1)
      case "$payload" in
        '{"v":1,"seq":'*)
          printf '%s\n' "$payload"
          if [[ "$payload" == *'"type":"run.completed"'* ]]; then
            code=$(printf '%s' "$payload" | sed -n 's/.*"exit_code":\([0-9]*\).*/\1/p')
            printf '\x88\x82\x00\x00\x00\x00\x03\xe8' >&3   # close 1000
            exit "${code:-1}"
          fi ;;
        '{"type":"error"'*) echo "$payload" >&2; exit 2 ;;
        *) ;;  # hello and ack
      esac ;;
    8) echo "server closed the connection" >&2; exit 1 ;;
    9) printf "\\x8a\\x$(printf %02x $((0x80 | length)))\\x00\\x00\\x00\\x00" >&3; printf '%s' "$payload" >&3 ;;
  esac
done
