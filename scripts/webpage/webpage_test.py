#!/usr/bin/env python3
"""Drives raaid serve's web page in headless Chromium over the DevTools protocol (see webpage-test.sh)."""
import argparse
import json
import os
import signal
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import CDPError, Page, launch_chromium  # noqa: E402

FIRST_TASK = "Explain the add function in calc.py and how test_calc.py checks it"
CANCEL_TASK = "Which modules in bulk define scale functions?"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
    print(f"  ok: {message}")


def runs_js():
    """The page's runs as data: id, badge, note, events (type + text), Cancel state."""
    return """[...document.querySelectorAll('section.run')].map(s => ({
        run: s.querySelector('code').textContent,
        state: s.querySelector('.state').textContent,
        stateClass: s.querySelector('.state').className,
        note: s.querySelector('.note').hidden ? null : s.querySelector('.note').textContent,
        cancelDisabled: s.querySelector('header button').disabled,
        events: [...s.querySelectorAll('ol.events li')].map(li => ({type: li.dataset.type, seq: li.value, text: li.textContent}))
    }))"""


def run_by_id(page, run):
    return next((r for r in page.evaluate(runs_js()) if r["run"] == run), None)


def frames_for(page, run):
    """Event frames the browser received for `run` (from Network.webSocketFrameReceived)."""
    frames = []
    for event in page.events:
        if event["method"] != "Network.webSocketFrameReceived":
            continue
        try:
            message = json.loads(event["params"]["response"]["payloadData"])
        except ValueError:
            continue
        if message.get("run") == run and "seq" in message:
            frames.append(message)
    return frames


def test_run(page, origin):
    print("run to success")
    page.wait_for("document.getElementById('status').textContent.startsWith('connected: session')", 15,
                  "the page to say 'connected: session …'")
    status = page.evaluate("document.getElementById('status').textContent")
    check(True, f"status line: {status!r}")
    check(page.evaluate("document.getElementById('researchOnly').checked"), "'research only' is checked by default")
    check(not page.evaluate("document.getElementById('start').disabled"), "'Start run' is enabled once connected")
    page.type_into("#task", FIRST_TASK)
    check(page.evaluate("document.getElementById('task').value") == FIRST_TASK, "the task was typed into #task")
    page.click("#start")
    run = page.wait_for("(document.querySelector('section.run code') || {}).textContent", 10, "a run card to appear")
    check(True, f"run card {run} appeared")
    page.wait_for(f"(() => {{ const r = {runs_js()}.find(r => r.run === {json.dumps(run)});"
                  " return r && !r.state.startsWith('starting') && !r.state.startsWith('running')"
                  " && !r.state.startsWith('queued'); })()", 60, "the run to finish")
    card = run_by_id(page, run)
    check(card["state"] == "success (completed)", f"badge shows {card['state']!r}")
    check("success" in card["stateClass"].split(), "badge has the class 'success'")
    types = [e["type"] for e in card["events"]]
    for needed in ("run.started", "phase.started", "memory.written", "item.completed", "phase.completed",
                   "run.completed"):
        check(needed in types, f"event {needed} listed ({types.count(needed)}x)")
    check(types[0] == "run.started" and types[-1] == "run.completed", "events start with run.started, end with run.completed")
    seqs = [e["seq"] for e in card["events"]]
    check(seqs == list(range(1, len(seqs) + 1)), f"events numbered by seq 1..{len(seqs)} without gaps")
    page.pump(0.3)
    frames = frames_for(page, run)
    check(len(frames) == len(seqs), f"{len(seqs)} list items for {len(frames)} event frames received on the socket")
    completed = card["events"][-1]["text"]
    check(completed.startswith("run.completed success (completed, exit 0)"), f"last item: {completed!r}")
    related = [e["text"] for e in card["events"] if e["type"] == "memory.written" and e["text"].startswith("related_file: ")]
    check(any(text.startswith("related_file: src/calc.py") for text in related), f"related files listed: {related}")
    note = card["note"] or ""
    check("src/calc.py" in note, f"research note shown, naming src/calc.py ({len(note)} chars, first line {note.splitlines()[0] if note else ''!r})")
    check(card["cancelDisabled"], "Cancel is disabled after completion")
    requests = [e["params"]["request"]["url"] for e in page.events if e["method"] == "Network.requestWillBeSent"]
    foreign = [url for url in requests if not url.startswith(origin) and not url.startswith("data:")]
    check(not foreign, f"the page loaded nothing from elsewhere ({len(requests)} requests, all from {origin})")
    return run


def test_cancel(page):
    print("cancel a run")
    page.evaluate("document.getElementById('task').value = ''")
    page.type_into("#task", CANCEL_TASK)
    before = page.evaluate("document.querySelectorAll('section.run').length")
    page.click("#start")
    run = page.wait_for(f"document.querySelectorAll('section.run').length > {before} &&"
                        " document.querySelector('section.run code').textContent", 10, "the second run card", interval=0.005)
    state_at_click = page.evaluate("document.querySelector('section.run .state').textContent")
    clicked_at = page.evaluate("Date.now()")
    page.click("section.run header button")
    print(f"  clicked Cancel on {run} while its badge said {state_at_click!r}")
    page.wait_for(f"(() => {{ const r = {runs_js()}.find(r => r.run === {json.dumps(run)});"
                  " return r && r.events.some(e => e.type === 'run.completed'); })()", 60, "the cancelled run to end")
    card = run_by_id(page, run)
    page.pump(0.3)
    completed = next(f for f in frames_for(page, run) if f["type"] == "run.completed")
    check(card["cancelDisabled"], "Cancel is disabled once the run ended")
    if completed["status"] == "cancelled":
        check(card["state"] == "cancelled (client_cancelled)", f"badge shows {card['state']!r}")
        check("cancelled" in card["stateClass"].split(), "badge has the class 'cancelled'")
        check(completed["reason"] == "client_cancelled", "run.completed reason is client_cancelled")
    else:
        # Honest fallback: a run may only finish normally if it ended before the cancel could reach it.
        ended_at = int(datetime.fromisoformat(completed["ts"].replace("Z", "+00:00")).timestamp() * 1000)
        late = ended_at - clicked_at
        check(late < 250, f"run finished {completed['status']} {late} ms after the click, before the cancel could land")
        check(card["state"].startswith(completed["status"]), f"badge shows {card['state']!r}")
    check(page.evaluate("document.getElementById('status').textContent").startswith("connected"),
          "status line still says connected (the cancel was acknowledged, not refused)")


def test_no_token(page, base):
    print("page without a token")
    page.navigate("about:blank")
    page.navigate(base + "/")
    text = page.wait_for("(t => t.startsWith('no token') && t)(document.getElementById('status').textContent)", 10,
                         "the 'no token' message")
    check(True, f"status line: {text!r}")
    check(page.evaluate("document.getElementById('status').className") == "bad", "shown as an error")
    check(page.evaluate("document.getElementById('start').disabled"), "'Start run' stays disabled")


def test_foreign_origin(page, foreign, port, token, server_log):
    print("foreign origin")
    with open(server_log) as file:
        refusals_before = file.read().count("origin_not_allowed")
    page.navigate("about:blank")
    page.navigate(f"{foreign}/foreign.html#port={port}&token={token}")
    result = page.wait_for("(t => t !== 'pending' && t)(document.getElementById('result').textContent)", 15,
                           "the foreign page's WebSocket to settle")
    check(result == "closed 1006", f"the foreign page's socket never opened: {result!r}")
    time.sleep(0.2)
    with open(server_log) as file:
        lines = [line for line in file if "origin_not_allowed" in line]
    check(len(lines) > refusals_before, "raaid logged origin_not_allowed for it")
    check("403" in lines[-1], f"with status 403: {lines[-1].strip()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--foreign", required=True, help="base URL of the foreign-origin server")
    parser.add_argument("--server-log", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--shots", required=True, help="directory for screenshots (kept)")
    args = parser.parse_args()

    base = f"http://127.0.0.1:{args.port}"
    profile = os.path.join(args.work, "chromium-profile")
    os.makedirs(profile, exist_ok=True)
    try:
        chromium, devtools_port = launch_chromium(args.chromium, profile)
    except CDPError as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    screenshots = []
    page = None
    try:
        page = Page(devtools_port)
        for domain in ("Page.enable", "Runtime.enable", "Network.enable"):
            page.call(domain)
        page.call("Emulation.setDeviceMetricsOverride", width=1100, height=1000, deviceScaleFactor=1, mobile=False)
        page.navigate(f"{base}/#token={args.token}")
        test_run(page, base)
        test_cancel(page)
        shot = os.path.join(args.shots, "webpage-runs.png")
        page.screenshot(shot)
        screenshots.append(shot)
        test_no_token(page, base)
        shot = os.path.join(args.shots, "webpage-no-token.png")
        page.screenshot(shot)
        screenshots.append(shot)
        test_foreign_origin(page, args.foreign, args.port, args.token, args.server_log)
    except (Failure, CDPError) as failure:
        if page is not None:
            try:
                shot = os.path.join(args.shots, "webpage-failure.png")
                page.screenshot(shot)
                screenshots.append(shot)
            except Exception:  # noqa: BLE001 - the failure matters more than the screenshot
                pass
        print(f"FAIL: {failure}", file=sys.stderr)
        for shot in screenshots:
            print(f"screenshot: {shot}")
        return 1
    finally:
        if page is not None:
            page.close()
        try:
            os.killpg(chromium.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        chromium.wait(timeout=10)
    for shot in screenshots:
        print(f"screenshot: {shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
