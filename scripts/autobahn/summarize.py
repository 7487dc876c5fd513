"""Summarizes an Autobahn|Testsuite fuzzingclient report (index.json): counts per section and behaviour.

Usage: summarize.py REPORT_DIR. Exits 1 if any case FAILED (or the report is missing), else 0.
Works under Python 2.7 (the wstest virtualenv) and Python 3.
"""
from __future__ import print_function

import json
import os
import sys

BEHAVIOURS = ["OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"]


def case_key(case_id):
    return [int(part) if part.isdigit() else part for part in case_id.split(".")]


def main():
    path = os.path.join(sys.argv[1], "index.json")
    if not os.path.exists(path):
        print("autobahn: no report at %s" % path)
        return 1
    with open(path) as handle:
        index = json.load(handle)
    worst = 0
    for agent in sorted(index):
        cases = index[agent]
        sections = {}
        failed = []
        for case_id, result in cases.items():
            section = case_id.split(".")[0]
            counts = sections.setdefault(section, dict((b, 0) for b in BEHAVIOURS))
            behaviour = result.get("behavior", "?")
            counts[behaviour] = counts.get(behaviour, 0) + 1
            if behaviour == "FAILED" or result.get("behaviorClose") == "FAILED":
                failed.append(case_id)
        print("Autobahn fuzzingclient report for %s (%d cases)" % (agent, len(cases)))
        print("%-8s %6s %11s %14s %14s %7s" % ("section", "OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED",
                                                "FAILED"))
        totals = dict((b, 0) for b in BEHAVIOURS)
        for section in sorted(sections, key=int):
            counts = sections[section]
            print("%-8s %6d %11d %14d %14d %7d" % tuple([section] + [counts.get(b, 0) for b in BEHAVIOURS]))
            for b in BEHAVIOURS:
                totals[b] += counts.get(b, 0)
        print("%-8s %6d %11d %14d %14d %7d" % tuple(["total"] + [totals[b] for b in BEHAVIOURS]))
        if failed:
            worst = 1
            print("FAILED cases: " + ", ".join(sorted(failed, key=case_key)))
    return worst


if __name__ == "__main__":
    sys.exit(main())
