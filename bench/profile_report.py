#!/usr/bin/env python3
"""Turns the callgrind dumps of one bench/profile.sh run into a markdown report.

    python3 bench/profile_report.py bench/results/profile-<stamp>

index.tsv names one dump per (server, test) with the requests it covered. Each dump holds
the instructions (Ir) the server executed during that test only. Reported: instructions per
request for rill and Redis, and rill's costliest functions (exclusive cost) per test.
"""

import collections
import csv
import sys
from pathlib import Path

TOP = 6


def exclusive_costs(path):
    """Function name -> exclusive Ir. In the callgrind format a cost line belongs to the last
    `fn=`, except the line right after `calls=`, which is the callee's inclusive cost."""
    costs = collections.Counter()
    fn = None
    after_call = False
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("fn="):
                fn = line[3:].strip()
            elif line.startswith("calls="):
                after_call = True
            elif line[:1].isdigit() or line[:1] in "+-*":
                fields = line.split()
                if len(fields) < 2:
                    continue
                if after_call:
                    after_call = False
                else:
                    costs[fn] += int(fields[1])
    return costs


def short(name, width=90):
    # Drop argument lists: the function's name is what a reader looks for.
    name = name.replace("(anonymous namespace)::", "")
    cut = name.find("(")
    name = name[:cut] if cut > 0 else name
    return name if len(name) <= width else name[: width - 3] + "..."


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    work = Path(sys.argv[1])
    per = {}
    with open(work / "index.tsv", newline="") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            costs = exclusive_costs(rec["part"])
            per[(rec["server"], rec["test"])] = (costs, int(rec["requests"]))
    tests = list(dict.fromkeys(t for _, t in per))
    out = [f"# Instructions per request under callgrind — {work.name}", "",
           "| test | rill Ir/request | Redis Ir/request | Redis/rill |",
           "|---|---:|---:|---:|"]
    for t in tests:
        row = [t]
        vals = {}
        for s in ("rill", "redis"):
            if (s, t) in per:
                costs, n = per[(s, t)]
                vals[s] = sum(costs.values()) / n
                row.append(f"{vals[s]:,.0f}")
            else:
                row.append("—")
        row.append(f"{vals['redis'] / vals['rill']:.2f}" if len(vals) == 2 else "—")
        out.append("| " + " | ".join(row) + " |")
    out += ["", "User space only (the kernel's socket work is not counted). Redis/rill > 1: "
            "rill executes fewer instructions per request.", ""]
    for t in tests:
        if ("rill", t) not in per:
            continue
        costs, n = per[("rill", t)]
        total = sum(costs.values())
        out += [f"## rill, {t}: costliest functions (exclusive)", "",
                "| function | Ir/request | share |", "|---|---:|---:|"]
        for name, c in costs.most_common(TOP):
            out.append(f"| `{short(name)}` | {c / n:,.0f} | {100 * c / total:.1f}% |")
        out.append("")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
