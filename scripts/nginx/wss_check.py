#!/usr/bin/env python3
"""Checks raaid serve through a TLS reverse proxy (see nginx-tls.sh), with the Python standard library only.

Connects to the proxy's address but speaks to it as `--name` (TLS SNI, certificate check and Host header),
trusting only the given self-signed certificate:
  1. GET / over https: 200, the web page, security headers intact; GET /healthz: 200;
  2. a browser-style WebSocket (Origin https://NAME:PORT, token as a subprotocol) over wss://: a research
     run ends with run.completed status success, events numbered without gaps;
  3. a client without Origin (Authorization: Bearer) can connect too;
  4. refusals pass through the proxy: a foreign Origin gets 403 origin_not_allowed, a wrong token 401,
     a Host raaid was not told about 421.
"""
import argparse
import base64
import json
import os
import socket
import ssl
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "clients"))
from raaid_client import encode_frame, read_message  # noqa: E402  (the example client's frame codec)


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
    print(f"  ok: {message}")


class Connection:
    """One TLS connection to the proxy, presenting itself as `name`."""

    def __init__(self, address, port, name, cafile):
        context = ssl.create_default_context(cafile=cafile)  # verifies the chain and the name
        raw = socket.create_connection((address, port), timeout=30)
        self.sock = context.wrap_socket(raw, server_hostname=name)
        self.buffer = b""

    def request(self, method, path, headers):
        lines = [f"{method} {path} HTTP/1.1"] + [f"{key}: {value}" for key, value in headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Failure(f"{method} {path}: connection closed before a response")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head.decode().split("\r\n")
        status = int(status_line.split()[1])
        response_headers = {}
        for line in header_lines:
            key, _, value = line.partition(":")
            response_headers[key.strip().lower()] = value.strip()
        return status, response_headers

    def read_body(self, headers):
        if "content-length" in headers:
            length = int(headers["content-length"])
            while len(self.buffer) < length:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                self.buffer += chunk
            body, self.buffer = self.buffer[:length], self.buffer[length:]
            return body.decode(errors="replace")
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                while b"\r\n" not in self.buffer:
                    self.buffer += self.sock.recv(65536)
                size_line, self.buffer = self.buffer.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(self.buffer) < size + 2:
                    self.buffer += self.sock.recv(65536)
                body, self.buffer = body + self.buffer[:size], self.buffer[size + 2:]
                if size == 0:
                    return body.decode(errors="replace")
        body = self.buffer  # until close
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return (body).decode(errors="replace")
            body += chunk

    # --- WebSocket (client side of RFC 6455) ---
    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Failure("the WebSocket connection dropped")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def send_frame(self, opcode, payload):
        self.sock.sendall(encode_frame(opcode, payload))

    def send_json(self, message):
        self.send_frame(0x1, json.dumps(message).encode())

    def receive_json(self):
        try:
            opcode, payload = read_message(self._read, lambda ping: self.send_frame(0xA, ping))
        except ValueError as error:
            raise Failure(str(error))
        if opcode == 0x8:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            raise Failure(f"the server closed the WebSocket: {code} {payload[2:].decode(errors='replace')}")
        if opcode != 0x1:
            raise Failure(f"unexpected opcode {opcode}")
        return json.loads(payload)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def upgrade(args, headers):
    """Opens a WebSocket to /ws; returns (status, response headers, connection)."""
    connection = Connection(args.address, args.port, args.name, args.cafile)
    base = {"Host": f"{args.name}:{args.port}", "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(), "Sec-WebSocket-Version": "13"}
    status, response = connection.request("GET", "/ws", {**base, **headers})
    return status, response, connection


def check_page(args):
    print(f"page over https://{args.name}:{args.port}/")
    connection = Connection(args.address, args.port, args.name, args.cafile)
    version = connection.sock.version()
    status, headers = connection.request("GET", "/", {"Host": f"{args.name}:{args.port}", "Connection": "close"})
    body = connection.read_body(headers)
    connection.close()
    check(status == 200, f"GET / → {status} over {version}, certificate for {args.name} verified")
    check(headers.get("content-type", "").startswith("text/html"), f"content-type {headers.get('content-type')}")
    check("<title>raaid</title>" in body and 'id="start"' in body, f"the raaid page ({len(body)} bytes)")
    check('location.protocol === "https:" ? "wss:"' in body, "the page picks wss: when loaded over https")
    try:
        Connection(args.address, args.port, args.name, None).close()
        raise Failure("a client with only the system trust store accepted the self-signed certificate")
    except ssl.SSLCertVerificationError:
        check(True, "a client that does not trust the certificate is turned away (real TLS, not plain HTTP)")
    check("connect-src 'self'" in headers.get("content-security-policy", ""), "raaid's Content-Security-Policy passed through")
    check(headers.get("server", "").startswith("nginx"), f"answered through the proxy (Server: {headers.get('server')})")
    connection = Connection(args.address, args.port, args.name, args.cafile)
    status, headers = connection.request("GET", "/healthz", {"Host": f"{args.name}:{args.port}", "Connection": "close"})
    body = connection.read_body(headers)
    connection.close()
    check(status == 200 and json.loads(body) == {"status": "ok"}, f"GET /healthz → {status} {body.strip()}")


def run_task(connection, task):
    hello = connection.receive_json()
    check(hello["type"] == "hello", f"hello: session {hello.get('session')}")
    connection.send_json({"type": "run.start", "id": "1", "task": task, "options": {"research_only": True}})
    run, seqs, types = None, [], []
    while True:
        message = connection.receive_json()
        if message["type"] == "ack":
            run = message["run"]
            continue
        if message["type"] == "error" and "seq" not in message:
            raise Failure(f"refused: {message}")
        if message.get("run") != run:
            continue
        seqs.append(message["seq"])
        types.append(message["type"])
        if message["type"] == "run.completed":
            return run, seqs, types, message


def check_browser_run(args):
    print(f"browser-style run over wss://{args.name}:{args.port}/ws")
    origin = f"https://{args.name}:{args.port}"
    status, headers, connection = upgrade(args, {
        "Origin": origin, "Sec-WebSocket-Protocol": f"raaid.v1, raaid.token.{args.token}"})
    check(status == 101, f"upgrade with Origin {origin} → {status}")
    check(headers.get("sec-websocket-protocol") == "raaid.v1", "subprotocol raaid.v1 (the token is not echoed)")
    run, seqs, types, completed = run_task(connection, args.task)
    connection.close()
    check(completed["status"] == "success" and completed["reason"] == "completed" and completed["exit_code"] == 0,
          f"run {run}: run.completed {completed['status']} ({completed['reason']}, exit {completed['exit_code']})")
    check(seqs == list(range(1, len(seqs) + 1)), f"{len(seqs)} events, seq 1..{len(seqs)} without gaps")
    for needed in ("run.started", "memory.written", "item.completed"):
        check(needed in types, f"{needed} received")


def check_bearer_client(args):
    print("non-browser client (Authorization: Bearer, no Origin)")
    status, _, connection = upgrade(args, {"Authorization": f"Bearer {args.token}"})
    check(status == 101, f"upgrade → {status}")
    hello = connection.receive_json()
    connection.send_json({"type": "ping", "id": "p"})
    ack = connection.receive_json()
    connection.close()
    check(hello["type"] == "hello" and ack.get("type") == "ack" and ack.get("for") == "ping" and ack.get("id") == "p",
          f"hello, then ping answered: {ack}")


def check_refusals(args):
    print("refusals through the proxy")
    token_entry = f"raaid.v1, raaid.token.{args.token}"
    cases = [
        ("foreign Origin", {"Origin": "https://evil.example", "Sec-WebSocket-Protocol": token_entry}, None, 403,
         "origin_not_allowed"),
        ("Origin on the right name but plain http", {"Origin": f"http://{args.name}:{args.port}",
                                                     "Sec-WebSocket-Protocol": token_entry}, None, 403,
         "origin_not_allowed"),
        ("wrong token", {"Origin": f"https://{args.name}:{args.port}",
                         "Sec-WebSocket-Protocol": "raaid.v1, raaid.token.wrong-token-0123456789"}, None, 401, "bad_token"),
        ("unknown Host", {"Authorization": f"Bearer {args.token}"}, f"rebound.example:{args.port}", 421,
         "host_not_allowed"),
    ]
    for what, headers, host, expected, reason in cases:
        connection = Connection(args.address, args.port, args.name, args.cafile)
        base = {"Host": host or f"{args.name}:{args.port}", "Upgrade": "websocket", "Connection": "Upgrade",
                "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(), "Sec-WebSocket-Version": "13"}
        status, response = connection.request("GET", "/ws", {**base, **headers})
        body = connection.read_body(response)
        connection.close()
        check(status == expected and json.loads(body).get("error") == reason, f"{what} → {status} {reason}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--address", default="127.0.0.1", help="where the proxy listens")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--name", required=True, help="public name: SNI, certificate name and Host")
    parser.add_argument("--cafile", required=True, help="the (self-signed) certificate to trust")
    parser.add_argument("--token", required=True)
    parser.add_argument("--task", default="Explain the add function in calc.py")
    args = parser.parse_args()
    try:
        check_page(args)
        check_browser_run(args)
        check_bearer_client(args)
        check_refusals(args)
    except (Failure, OSError, ssl.SSLError, ValueError, KeyError) as failure:
        print(f"FAIL: {type(failure).__name__}: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
