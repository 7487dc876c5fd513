#!/usr/bin/env python3
"""Opens raaid's page through the TLS proxy in headless Chromium (see nginx-tls.sh): the page must load over
https, connect with wss:// and finish a research run. Chromium resolves the public name to 127.0.0.1 and
trusts exactly the self-signed certificate (by its public-key hash), nothing else.
"""
import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "webpage"))
from cdp import CDPError, Page, launch_chromium  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--url", required=True, help="https://NAME:PORT/")
    parser.add_argument("--name", required=True)
    parser.add_argument("--spki", required=True, help="base64 SHA-256 of the certificate's public key")
    parser.add_argument("--token", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--screenshot", required=True)
    args = parser.parse_args()

    profile = os.path.join(args.work, "chromium-profile")
    os.makedirs(profile, exist_ok=True)
    flags = [f"--host-resolver-rules=MAP {args.name} 127.0.0.1", f"--ignore-certificate-errors-spki-list={args.spki}"]
    chromium = page = None
    try:
        chromium, devtools_port = launch_chromium(args.chromium, profile, flags)
        page = Page(devtools_port)
        for domain in ("Page.enable", "Runtime.enable", "Network.enable"):
            page.call(domain)
        page.navigate(f"{args.url}#token={args.token}")
        print(f"  ok: loaded {page.evaluate('location.origin')}")
        page.wait_for("document.getElementById('status').textContent.startsWith('connected: session')", 15,
                      "the page to say 'connected: session …' through the proxy")
        sockets = [e["params"]["url"] for e in page.events if e["method"] == "Network.webSocketCreated"]
        if not sockets or not sockets[0].startswith(f"wss://{args.name}:"):
            raise CDPError(f"expected a wss:// socket, saw {sockets}")
        print(f"  ok: connected over {sockets[0]}")
        page.type_into("#task", "Explain the add function in calc.py")
        page.click("#start")
        state = page.wait_for(
            "(s => s && !/^(starting|running|queued)/.test(s.textContent) && s.textContent)"
            "(document.querySelector('section.run .state'))", 60, "the run to finish")
        if state != "success (completed)":
            raise CDPError(f"the run ended {state!r}")
        count = page.evaluate("document.querySelectorAll('section.run ol.events li').length")
        print(f"  ok: run finished {state!r} with {count} events listed")
        page.screenshot(args.screenshot)
        print(f"  screenshot: {args.screenshot}")
    except (CDPError, OSError) as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    finally:
        if page is not None:
            page.close()
        if chromium is not None:
            try:
                os.killpg(chromium.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            chromium.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
