"""A model endpoint that never answers: the fan-out benchmark's blocker run waits on it.

OpenAI-compatible enough for raaid's `openai` provider: `POST .../chat/completions` gets `200` with an SSE body
that carries only keep-alive comments (so the provider's idle timeout never fires) until the client goes away.
A run that is planning against it holds its run slot while using no CPU, as a live run waiting for a model does.
Prints `listening on http://127.0.0.1:PORT/` on stderr.  Usage: python3 stall_model.py [--port N]
"""
import argparse
import http.server
import sys
import time


class Stall(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b": still thinking\n\n")
                self.wfile.flush()
                time.sleep(5)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Stall)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}/", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
