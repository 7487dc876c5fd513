"""A minimal Chrome DevTools Protocol client over a standard-library WebSocket (RFC 6455, client side).

Enough for driving one page: commands with ids, events kept in a list, JavaScript evaluation, polling.
"""
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "clients"))
from raaid_client import encode_frame, read_message  # noqa: E402  (the example client's frame codec)


class CDPError(Exception):
    pass


class WebSocket:
    """Text frames, ping/pong and close; no extensions."""

    def __init__(self, url, timeout=30):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "ws":
            raise CDPError(f"unsupported DevTools URL {url}")
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        request = (f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise CDPError("DevTools closed the connection during the handshake")
            head += chunk
        head, self.buffer = head.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            raise CDPError(f"DevTools handshake refused: {status}")

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise CDPError("DevTools connection dropped")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def send(self, opcode, payload):
        self.sock.sendall(encode_frame(opcode, payload))

    def receive(self):
        opcode, payload = read_message(self._read, lambda ping: self.send(0xA, ping))
        if opcode == 0x8:
            raise CDPError("DevTools closed the connection")
        return payload.decode()

    def close(self):
        try:
            self.send(0x8, struct.pack("!H", 1000))
            self.sock.close()
        except OSError:
            pass


class Page:
    """One page target: `call` sends a command and returns its result; events collect in `events`."""

    def __init__(self, devtools_port, timeout=30):
        with urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list", timeout=timeout) as response:
            targets = json.load(response)
        pages = [t for t in targets if t.get("type") == "page"]
        if not pages:
            raise CDPError(f"no page target in {targets}")
        self.ws = WebSocket(pages[0]["webSocketDebuggerUrl"], timeout=timeout)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(0x1, json.dumps({"id": ident, "method": method, "params": params}).encode())
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == ident:
                if "error" in message:
                    raise CDPError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def pump(self, seconds):
        """Reads events for `seconds` (keeps the event list current without sending commands)."""
        self.ws.sock.settimeout(seconds)
        try:
            while True:
                message = json.loads(self.ws.receive())
                if "method" in message:
                    self.events.append(message)
        except (socket.timeout, TimeoutError):
            pass
        finally:
            self.ws.sock.settimeout(30)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CDPError(f"JavaScript failed: {text}\n  in: {expression}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout, what, interval=0.05):
        """Polls `expression` until it is truthy; returns its value or raises with `what`."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(interval)
        raise CDPError(f"timed out after {timeout}s waiting for {what} (last value: {value!r})")

    def navigate(self, url, timeout=15):
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && location.href", timeout, f"{url} to load")

    def click(self, selector):
        """A real mouse click at the centre of the element (pressed and released)."""
        box = self.evaluate(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)}); if (!el) return null;"
            " el.scrollIntoView({block: 'center'}); const r = el.getBoundingClientRect();"
            " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()")
        if not box:
            raise CDPError(f"nothing to click at {selector}")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box["x"], y=box["y"], button="left", clickCount=1)

    def type_into(self, selector, text):
        """Focuses the element and types `text` as keyboard input (Input.insertText)."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.call("Input.insertText", text=text)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        self.ws.close()


def launch_chromium(binary, profile, extra_flags=()):
    """Starts headless Chromium with a fresh profile and DevTools on a free port: (process, port).

    Chromium's stderr goes to chromium.log next to the profile. Stop it with os.killpg(process.pid, …).
    """
    log = open(os.path.join(os.path.dirname(os.path.abspath(profile)), "chromium.log"), "w")
    process = subprocess.Popen(
        [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
         "--disable-component-update", "--window-size=1100,1000", f"--user-data-dir={profile}",
         "--remote-debugging-port=0", *extra_flags, "about:blank"],
        stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    active = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(active):
            with open(active) as file:
                lines = file.read().split()
            if lines:
                return process, int(lines[0])
        if process.poll() is not None:
            raise CDPError(f"chromium exited with {process.returncode} (see {log.name})")
        time.sleep(0.1)
    process.kill()
    raise CDPError("chromium did not open its DevTools port within 30 s")
