#!/usr/bin/env python3
"""A raaid serve client using only the Python standard library.

Starts a run (or follows an existing one), prints every event as one JSON line, survives network
drops by reconnecting with its session token and resubscribing from the last seq it saw, and exits
with the run's exit code.

    python3 examples/clients/raaid_client.py --url ws://127.0.0.1:8765/ws --token "$RAAID_SERVE_TOKEN" \
        --task "Where does the server check the Origin header?"
    python3 examples/clients/raaid_client.py --url ... --token ... --session-token S --run RUN_ID --since-seq 12
"""
import argparse
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.parse


def encode_frame(opcode, payload):
    """One masked client frame (RFC 6455 section 5.2) carrying all of `payload`."""
    mask = os.urandom(4)
    length = len(payload)
    header = bytes([0x80 | opcode])
    if length < 126:
        header += bytes([0x80 | length])
    elif length < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", length)
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", length)
    # XOR with the mask through big integers: fast for large payloads too.
    repeated = (mask * (length // 4 + 1))[:length]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(length, "big")
    return header + mask + masked


def read_message(read, answer_ping):
    """Reads server frames with read(count) until a whole data message, answering pings with answer_ping(payload).

    Returns (opcode, payload): 0x1 text or 0x2 binary with the reassembled message, or 0x8 with a close frame's
    payload. Raises ValueError for a masked frame (servers never mask).
    """
    message, opcode = b"", None
    while True:
        first, second = read(2)
        if second & 0x80:
            raise ValueError("the server sent a masked frame")
        frame_opcode, length = first & 0x0F, second & 0x7F
        if length == 126:
            length = struct.unpack("!H", read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", read(8))[0]
        payload = read(length)
        if frame_opcode == 0x9:
            answer_ping(payload)
        elif frame_opcode == 0x8:
            return 0x8, payload
        elif frame_opcode in (0x0, 0x1, 0x2):
            opcode = opcode or frame_opcode
            message += payload
            if first & 0x80:
                return opcode, message


class Closed(Exception):
    """The server closed the connection (code, reason)."""


class WebSocket:
    """A minimal RFC 6455 client: text frames, ping/pong, close."""

    def __init__(self, url, headers, timeout=30):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "ws":
            raise SystemExit("only ws:// URLs are supported by this example (put TLS in a proxy, see examples/nginx)")
        host, port = parts.hostname, parts.port or 80
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {parts.path or '/'} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise Closed(1006, "connection closed during the handshake")
            head += chunk
        head, self.buffer = head.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            body = self.buffer.decode(errors="replace")
            raise SystemExit(f"handshake refused: {status} {body}")

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Closed(1006, "connection dropped")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def send(self, opcode, payload):
        self.sock.sendall(encode_frame(opcode, payload))

    def send_json(self, message):
        self.send(0x1, json.dumps(message).encode())

    def receive(self):
        """Returns the next text message as a str; answers pings; raises Closed on close."""
        opcode, payload = read_message(self._read, lambda ping: self.send(0xA, ping))
        if opcode == 0x8:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            try:
                self.send(0x8, payload[:2])
            except OSError:
                pass
            raise Closed(code, payload[2:].decode(errors="replace"))
        return payload.decode()

    def close(self):
        try:
            self.send(0x8, struct.pack("!H", 1000))
            self.sock.close()
        except OSError:
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="ws://127.0.0.1:8765/ws")
    parser.add_argument("--token", default=os.environ.get("RAAID_SERVE_TOKEN"), help="server token (or RAAID_SERVE_TOKEN)")
    parser.add_argument("--task", help="start a run with this task text")
    parser.add_argument("--run", help="follow this existing run instead")
    parser.add_argument("--since-seq", type=int, default=0, help="with --run: replay events after this seq")
    parser.add_argument("--session-token", help="resume this session (printed by a previous connection)")
    parser.add_argument("--full", action="store_true", help="not only research: plan and implement (needs a model)")
    parser.add_argument("--retries", type=int, default=10, help="reconnect attempts after a drop")
    args = parser.parse_args()
    if not args.token:
        parser.error("--token (or RAAID_SERVE_TOKEN) is required")
    if bool(args.task) == bool(args.run):
        parser.error("give exactly one of --task and --run")

    session_token, run, last_seq, attempts = args.session_token, args.run, args.since_seq, 0
    while True:
        headers = {"Authorization": f"Bearer {args.token}"}
        if session_token:
            headers["X-Raaid-Session"] = session_token
        try:
            ws = WebSocket(args.url, headers)
            hello = json.loads(ws.receive())
            session_token = hello["session_token"]
            print(json.dumps({"type": "hello", "session": hello["session"], "resumed": hello["resumed"]}),
                  file=sys.stderr, flush=True)
            if run is None:
                ws.send_json({"type": "run.start", "id": "start", "task": args.task,
                              "options": {"research_only": not args.full}})
            else:
                ws.send_json({"type": "subscribe", "id": "follow", "run": run, "since_seq": last_seq})
            while True:
                message = json.loads(ws.receive())
                if message.get("type") == "ack" and message.get("for") == "run.start":
                    run = message["run"]
                    print(json.dumps({"type": "ack", "run": run, "session_token": session_token}),
                          file=sys.stderr, flush=True)
                    continue
                if message.get("type") in ("ack", "hello"):
                    continue
                if message.get("type") == "error" and "seq" not in message:
                    print(f"error {message['code']}: {message['message']}", file=sys.stderr)
                    return 2
                if message.get("run") != run or message.get("seq", 0) <= last_seq:
                    continue
                last_seq = message["seq"]
                print(json.dumps(message, separators=(",", ":")), flush=True)
                if message["type"] == "run.completed":
                    ws.close()
                    return message["exit_code"]
        except (Closed, OSError) as drop:
            attempts += 1
            if attempts > args.retries:
                print(f"giving up after {args.retries} reconnects: {drop}", file=sys.stderr)
                return 1
            print(f"connection lost ({drop}); reconnecting from seq {last_seq}", file=sys.stderr, flush=True)
            time.sleep(min(0.2 * 2 ** attempts, 5))


if __name__ == "__main__":
    sys.exit(main())
