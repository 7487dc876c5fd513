#!/usr/bin/env python3
"""The peer for bench/serve: a Python `websockets` (asyncio) server doing the same jobs as `raaid serve`.

  /ws   (Authorization: Bearer TOKEN): sends a hello frame, then a tiny subset of raaid's protocol:
        run.start -> ack with a run id (+ a run.queued event), subscribe -> ack + replay of the run's lines,
        run.cancel -> one run.completed line fanned out to every subscriber with websockets.broadcast().
  /echo (no token): echoes every message; 16 MiB limits like `raaid serve --echo`.

Prints `listening on http://127.0.0.1:PORT/` on stderr, like raaid.
"""
import argparse, asyncio, itertools, json, resource, secrets, sys, time

import websockets
from websockets.asyncio.server import serve, broadcast

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=0)
ap.add_argument("--token", default="t")
args = ap.parse_args()

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

session_token = secrets.token_hex(24)
connection_ids = itertools.count(1)
run_ids = itertools.count(1)
def dumps(value):
    return json.dumps(value, separators=(",", ":"))


runs = {}  # run id -> {"lines": [...], "subscribers": set(), "seq": int}


def emit(run_id, type_, **fields):
    run = runs[run_id]
    run["seq"] += 1
    line = dumps({"v": 1, "seq": run["seq"], "ts": int(time.time() * 1000), "run": run_id, "type": type_, **fields})
    run["lines"].append(line)
    broadcast(run["subscribers"], line)


async def handle_ws(ws):
    await ws.send(dumps({"type": "hello", "v": 1, "protocol": 1, "session": "s-peer",
                              "session_token": session_token, "connection": next(connection_ids)}))
    subscriptions = set()
    try:
        async for text in ws:
            message = json.loads(text)
            kind, mid = message.get("type"), message.get("id")
            if kind == "ping":
                await ws.send(dumps({"type": "ack", "v": 1, "id": mid, "for": "ping"}))
            elif kind == "run.start":
                run_id = "r-%d" % next(run_ids)
                runs[run_id] = {"lines": [], "subscribers": {ws}, "seq": 0}
                subscriptions.add(run_id)
                await ws.send(dumps({"type": "ack", "v": 1, "id": mid, "for": "run.start", "run": run_id}))
                emit(run_id, "run.queued", position=1)
            elif kind == "subscribe":
                run = runs[message["run"]]
                await ws.send(dumps({"type": "ack", "v": 1, "id": mid, "for": "subscribe", "live": True}))
                for line in run["lines"][message.get("since_seq", 0):]:
                    await ws.send(line)
                run["subscribers"].add(ws)
                subscriptions.add(message["run"])
            elif kind == "run.cancel":
                emit(message["run"], "run.completed", status="cancelled", reason="client_cancelled",
                     message="cancelled while queued")
                runs[message["run"]]["subscribers"] = set()
    finally:
        for run_id in subscriptions:
            runs.get(run_id, {}).get("subscribers", set()).discard(ws)


async def handle_echo(ws):
    async for message in ws:
        await ws.send(message)


async def handler(ws):
    path = ws.request.path
    if path == "/echo":
        await handle_echo(ws)
    else:
        await handle_ws(ws)


def authorize(connection, request):
    if request.path == "/echo":
        return None
    if request.headers.get("Authorization") != "Bearer " + args.token:
        return connection.respond(401, "bad token\n")
    return None


async def main():
    async with serve(handler, "127.0.0.1", args.port, process_request=authorize, max_size=16 << 20,
                     max_queue=16, backlog=1024, compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"listening on http://127.0.0.1:{port}/", file=sys.stderr, flush=True)
        await asyncio.Future()

asyncio.run(main())
