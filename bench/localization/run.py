#!/usr/bin/env python3
"""Run raaid's research engine on the Swift file-localization benchmark and score it.

Steps: build raaid in release (`swift build -c release`), materialize each (repo, tag) workspace once with
`git archive --remote=https://github.com/OWNER/NAME.git TAG | tar -x`, run

    raaid run - --research-only --workspace DIR --memory-dir MEM

with the task text on stdin, collect the `related_file` records of the `memory.written` NDJSON events in order,
write predictions JSONL, then run the benchmark's score.py (overall and --by workspace_state) and, in the same run,
bm25_baseline.py for comparison.

Memory/cache: by default every task gets a fresh, empty memory dir (a cold index each time, nothing leaks between
tasks). `--cache shared` gives all tasks of one workspace one memory dir, so every task after the first exercises the
warm index cache; rankings are identical either way.

Plain Python 3 stdlib. Paths: the bench dir comes from --bench, $RAAID_LOCALIZATION_BENCH, or
../shared/bench/localization relative to the repository root.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def materialize(repo, tag, dest):
    os.makedirs(dest, exist_ok=True)
    archive = subprocess.Popen(["git", "archive", "--remote=https://github.com/" + repo + ".git", tag],
                               stdout=subprocess.PIPE)
    untar = subprocess.run(["tar", "-x", "-C", dest], stdin=archive.stdout)
    archive.stdout.close()
    if archive.wait() != 0 or untar.returncode != 0:
        raise RuntimeError(f"could not materialize {repo}@{tag}")


def related_files(stdout):
    """Paths of related_file records from memory.written events, in order."""
    out = []
    for line in stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            ev = json.loads(line)
        except json.JSONDecodeError:
            continue
        stack = [ev]
        while stack:
            node = stack.pop()
            if not isinstance(node, dict):
                continue
            rec = node.get("record")
            if node.get("kind") == "related_file" and isinstance(rec, dict) and "path" in rec:
                out.append(rec["path"])
                break
            stack.extend(v for v in node.values() if isinstance(v, dict))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=os.environ.get("RAAID_LOCALIZATION_BENCH",
                                                      os.path.join(REPO, "..", "shared", "bench", "localization")))
    ap.add_argument("--raaid", help="raaid binary to use (default: build it with swift build -c release)")
    ap.add_argument("--workspaces", help="keep materialized workspaces here and reuse them (default: temp dir)")
    ap.add_argument("--cache", choices=["fresh", "shared"], default="fresh",
                    help="fresh memory dir per task (default) or one per workspace (warm cache)")
    ap.add_argument("--out", default=os.path.join(HERE, "predictions.jsonl"))
    ap.add_argument("--no-baseline", action="store_true", help="skip bm25_baseline.py")
    ap.add_argument("--only", help="run only task ids containing this string")
    args = ap.parse_args()

    bench = os.path.abspath(args.bench)
    tasks_path = os.path.join(bench, "tasks.jsonl")
    with open(tasks_path, encoding="utf-8") as f:
        tasks = [json.loads(line) for line in f if line.strip()]
    if args.only:
        tasks = [t for t in tasks if args.only in t["id"]]

    raaid = args.raaid
    if not raaid:
        subprocess.run(["swift", "build", "-c", "release", "--product", "raaid"], cwd=REPO, check=True)
        bindir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPO, check=True,
                                capture_output=True, text=True).stdout.strip()
        raaid = os.path.join(bindir, "raaid")

    tmp = tempfile.mkdtemp(prefix="raaid-locbench-")
    ws_root = os.path.abspath(args.workspaces) if args.workspaces else os.path.join(tmp, "ws")
    by_ws = defaultdict(list)
    for t in tasks:
        by_ws[(t["repo"], t["tag"])].append(t)
    timings = []
    try:
        with open(args.out, "w", encoding="utf-8") as out:
            for (repo, tag), group in sorted(by_ws.items()):
                ws = os.path.join(ws_root, repo.replace("/", "__") + "@" + tag)
                if not os.path.isdir(ws):
                    materialize(repo, tag, ws)
                shared_mem = os.path.join(tmp, "mem", repo.replace("/", "__") + "@" + tag)
                for t in group:
                    mem = shared_mem if args.cache == "shared" else os.path.join(tmp, "mem", t["id"])
                    os.makedirs(mem, exist_ok=True)
                    start = time.time()
                    proc = subprocess.run([raaid, "run", "-", "--research-only", "--workspace", ws,
                                           "--memory-dir", mem], input=t["task"], capture_output=True, text=True)
                    timings.append(time.time() - start)
                    if proc.returncode != 0:
                        print(f"{t['id']}: raaid exited {proc.returncode}: {proc.stderr[-500:]}", file=sys.stderr)
                    ranked = related_files(proc.stdout)
                    out.write(json.dumps({"id": t["id"], "ranked_files": ranked}) + "\n")
                print(f"{repo}@{tag}: {len(group)} task(s)", file=sys.stderr)
        print(f"raaid: {len(timings)} runs, mean {sum(timings) / max(len(timings), 1):.2f}s per task", file=sys.stderr)
        score = os.path.join(bench, "score.py")
        print("== raaid research engine ==")
        sys.stdout.flush()
        subprocess.run([sys.executable, score, args.out, "--tasks", tasks_path, "--by", "workspace_state"],
                       check=True)
        if not args.no_baseline:
            base = os.path.join(tmp, "bm25_predictions.jsonl")
            subprocess.run([sys.executable, os.path.join(bench, "bm25_baseline.py"), "--tasks", tasks_path,
                            "--out", base], check=True, stdout=subprocess.DEVNULL)
            print("== BM25 baseline (same run) ==")
            sys.stdout.flush()
            subprocess.run([sys.executable, score, base, "--tasks", tasks_path, "--by", "workspace_state"],
                           check=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
