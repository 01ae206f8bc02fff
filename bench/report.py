#!/usr/bin/env python3
"""Turns the raw records of one bench/run.sh run into the markdown report.

    python3 bench/report.py bench/results/<stamp>      (prints markdown on stdout)

The run directory holds meta.txt (machine, versions, settings), runs.tsv (one line per
redis-benchmark run: server CPU ticks before and after, exit code, wall time) and
runs/<id>.csv / runs/<id>.err (redis-benchmark's --csv output and its stderr). Everything
is computed here so that a run can be re-analysed without re-running it.
"""

import csv
import re
import statistics
import sys
from pathlib import Path

SERVERS = ("rill", "redis")


def read_meta(run_dir):
    meta = {}
    for line in (run_dir / "meta.txt").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            meta[key] = value
    return meta


def first_error(err_text, rc, alive):
    """The most telling line of a failed run, for the table cell."""
    if not alive:
        return "server died"
    if rc == 124:
        return "timed out"
    lines = [l.strip() for l in err_text.splitlines() if l.strip()]
    for line in lines:
        if line.startswith("Error from server:"):
            return line[len("Error from server:"):].strip()
    # redis-benchmark warns when CONFIG GET fails; that is not why a run failed.
    lines = [l for l in lines if not l.startswith("WARNING: Could not fetch server CONFIG")]
    if lines:
        return lines[-1]
    return f"redis-benchmark exit code {rc}"


def client_cpu_seconds(times_path):
    """redis-benchmark's CPU time: the growth of the children line between the two outputs of
    bash's `times` (each is "shell-user shell-sys" then "children-user children-sys")."""
    try:
        lines = times_path.read_text().split("\n")
        samples = [re.findall(r"(\d+)m([\d.]+)s", lines[i]) for i in (1, 3)]
        before, after = (sum(int(m) * 60 + float(sec) for m, sec in s) for s in samples)
    except (OSError, IndexError, ValueError):
        return None
    return after - before


def read_runs(run_dir, clk_tck):
    runs = []
    with open(run_dir / "runs.tsv", newline="") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            rid = rec["id"]
            rc = int(rec["rc"])
            alive = rec["alive_after"] == "1"
            requests = int(rec["requests"])
            before, after = float(rec["cpu_before"]), float(rec["cpu_after"])
            csv_path = run_dir / "runs" / f"{rid}.csv"
            err_path = run_dir / "runs" / f"{rid}.err"
            rows = []
            if csv_path.exists():
                rows = list(csv.reader(csv_path.read_text().splitlines()))
            data = [r for r in rows[1:] if len(r) >= 2]
            run = {
                "round": int(rec["round"]),
                "server": rec["server"],
                "test": rec["test"],
                "pipeline": int(rec["pipeline"]),
                "requests": requests,
                "wall_s": int(rec["wall_ns"]) / 1e9,
                "name": data[0][0] if data else rec["test"].upper(),
                "error": None,
            }
            rps = float(data[0][1]) if data else 0.0
            if rc != 0 or not alive or not data or rps <= 0 or before < 0 or after < 0:
                err_text = err_path.read_text(errors="replace") if err_path.exists() else ""
                run["error"] = first_error(err_text, rc, alive)
            else:
                cpu_s = (after - before) / clk_tck
                run["rps"] = rps
                run["cpu_s"] = cpu_s
                run["cpu_us_per_req"] = cpu_s / requests * 1e6
                # Share of one core the server used while the benchmark ran.
                run["core_use"] = cpu_s / run["wall_s"] if run["wall_s"] > 0 else 0.0
                client_s = client_cpu_seconds(run_dir / "runs" / f"{rid}.times")
                run["client_use"] = (client_s / run["wall_s"]
                                     if client_s is not None and run["wall_s"] > 0 else None)
            runs.append(run)
    return runs


def group(runs):
    """(test, pipeline) in first-seen order -> server -> list of runs."""
    cells = {}
    for run in runs:
        cells.setdefault((run["test"], run["pipeline"]), {s: [] for s in SERVERS})
        cells[(run["test"], run["pipeline"])][run["server"]].append(run)
    return cells


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(server_runs):
    ok = [r for r in server_runs if r["error"] is None]
    failed = [r for r in server_runs if r["error"] is not None]
    if not ok:
        return {"error": failed[0]["error"] if failed else "no runs", "runs": len(server_runs)}
    return {
        "error": None,
        "runs": len(server_runs),
        "failed": len(failed),
        "failed_msg": failed[0]["error"] if failed else None,
        "rps": statistics.median(r["rps"] for r in ok),
        "rps_min": min(r["rps"] for r in ok),
        "rps_max": max(r["rps"] for r in ok),
        "cpu": statistics.median(r["cpu_us_per_req"] for r in ok),
        "cpu_min": min(r["cpu_us_per_req"] for r in ok),
        "cpu_max": max(r["cpu_us_per_req"] for r in ok),
        "core_use": statistics.median(r["core_use"] for r in ok),
        "client_use": median_or_none([r["client_use"] for r in ok]),
    }


def fmt_rps(v):
    return f"{v:,.0f}"


def fmt_cpu(v):
    return f"{v:.2f}"


def fmt_share(v):
    return "?" if v is None else f"{v * 100:.0f}%"


def fmt_ratio(a, b):
    return f"{a / b:.2f}" if b > 0 else "n/a"


def error_cell(s):
    # Table cells must not contain pipes; keep the message short.
    msg = s["error"].replace("|", "/")
    # "ERR unknown command 'INCR', with args beginning with: ..." -> the part that matters.
    msg = msg.split(", with args beginning with:")[0]
    if len(msg) > 60:
        msg = msg[:57] + "..."
    return f"error: {msg}"


def display_name(test, by_server):
    """redis-benchmark's own name for the test ("MSET (10 keys)"), once a run has printed it."""
    return next((r["name"] for runs in by_server.values() for r in runs if r["error"] is None),
                test.upper())


def resolution_note(runs, clk_tck):
    """CPU time comes in whole clock ticks: say how coarse that was for the shortest run."""
    ok = [r for r in runs if r["error"] is None and r["cpu_s"] > 0]
    if not ok:
        return []
    least = min(ok, key=lambda r: r["cpu_s"])
    ticks = round(least["cpu_s"] * clk_tck)
    note = (f"- CPU resolution: the least CPU any run used was {ticks} ticks "
            f"({least['server']}, {least['test']} -P {least['pipeline']}), so ±1 tick is "
            f"±{100 / ticks:.1f}% on that cell")
    if ticks < 100:
        note += "; raise -n (N, N_PIPE) for CPU figures worth comparing"
    return [note]


def busy_warning(meta):
    """A machine already loaded before the servers started makes req/s figures unreliable;
    CPU per request suffers much less, so say which to trust."""
    try:
        load = float(meta.get("loadavg_start", "").split()[0])
    except (IndexError, ValueError):
        return []
    if load < 0.5:
        return []
    return [f"**Warning:** the machine was busy when the run started (load average {load:.2f}):",
            "req/s figures are unreliable; CPU per request is far less affected.", ""]


def main_table(cells):
    out = [
        "| test | pipeline | rill req/s | Redis req/s | rill/Redis | rill CPU µs/req "
        "| Redis CPU µs/req | Redis/rill CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (test, pipe), by_server in cells.items():
        s = {name: summarize(runs) for name, runs in by_server.items()}
        name = display_name(test, by_server)
        rill, redis = s["rill"], s["redis"]
        row = [name, f"{pipe}"]
        row.append(error_cell(rill) if rill["error"] else fmt_rps(rill["rps"]))
        row.append(error_cell(redis) if redis["error"] else fmt_rps(redis["rps"]))
        both = not rill["error"] and not redis["error"]
        row.append(fmt_ratio(rill["rps"], redis["rps"]) if both else "—")
        row.append("—" if rill["error"] else fmt_cpu(rill["cpu"]))
        row.append("—" if redis["error"] else fmt_cpu(redis["cpu"]))
        row.append(fmt_ratio(redis["cpu"], rill["cpu"]) if both else "—")
        out.append("| " + " | ".join(row) + " |")
    return out


def spread_table(cells):
    out = [
        "| test | pipeline | server | runs ok | req/s min–max | CPU µs/req min–max "
        "| server core use | redis-benchmark core use |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for (test, pipe), by_server in cells.items():
        name = display_name(test, by_server)
        for server in SERVERS:
            s = summarize(by_server[server])
            label = "rill" if server == "rill" else "Redis"
            if s["error"]:
                out.append(f"| {name} | {pipe} | {label} | 0/{s['runs']} | {error_cell(s)} | — | — | — |")
                continue
            out.append(
                f"| {name} | {pipe} | {label} | {s['runs'] - s['failed']}/{s['runs']} "
                f"| {fmt_rps(s['rps_min'])}–{fmt_rps(s['rps_max'])} "
                f"| {fmt_cpu(s['cpu_min'])}–{fmt_cpu(s['cpu_max'])} "
                f"| {s['core_use'] * 100:.0f}% | {fmt_share(s['client_use'])} |")
    return out


def failures(runs):
    """One line per distinct failure, with the rounds it happened in."""
    seen = {}
    for r in runs:
        if r["error"] is not None:
            msg = r["error"].split(", with args beginning with:")[0]
            seen.setdefault((r["server"], r["test"], r["pipeline"], msg), []).append(r["round"])
    return [f"- {server}, {test} -P {pipe}, round {', '.join(map(str, rounds))}: {msg}"
            for (server, test, pipe, msg), rounds in seen.items()]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    run_dir = Path(sys.argv[1])
    meta = read_meta(run_dir)
    clk_tck = int(meta.get("clk_tck", "100"))
    runs = read_runs(run_dir, clk_tck)
    cells = group(runs)
    pipelines = sorted({r["pipeline"] for r in runs})
    requests = {p: next(r["requests"] for r in runs if r["pipeline"] == p) for p in pipelines}

    lines = [f"# rill vs Redis — {meta.get('stamp', run_dir.name)}", ""]
    lines += busy_warning(meta)
    lines += main_table(cells)
    lines += [
        "",
        "req/s: median over rounds. CPU µs/req: the server process's user+system CPU time during",
        "the run divided by the requests in it (median over rounds). rill/Redis > 1: rill serves",
        "more requests per second. Redis/rill CPU > 1: rill spends less CPU per request.",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {meta.get('cpu_model', '?')}, nproc {meta.get('nproc', '?')}",
        f"- kernel: {meta.get('kernel', '?')}",
        f"- Redis: {meta.get('redis_version', '?')}",
        f"- redis-benchmark: {meta.get('benchmark_version', '?')}",
        f"- rill: {meta.get('rill_version', '?')}",
        f"- load average at start / end: {meta.get('loadavg_start', '?')} / "
        f"{meta.get('loadavg_end', '?')}",
        "",
        "## Settings",
        "",
        f"- rounds: {meta.get('rounds', '?')}; in each, every test ran on rill and then on Redis",
        f"- redis-benchmark -c {meta.get('clients', '?')} --csv -t <test>, "
        + ", ".join(f"-P {p} with -n {requests[p]}" for p in pipelines)
        + (f", -r {meta['keyspace']}" if meta.get("keyspace") else " (one key, no -r)"),
        f"- both servers pinned to CPU {meta.get('server_cpu', '?')} (taskset), "
        f"redis-benchmark to CPU {meta.get('client_cpu', '?')}",
        "- both servers on loopback TCP, no snapshot (`--save ''`), no AOF (`--appendonly no`)",
        f"- CPU time from /proc/<pid>/stat (utime+stime, {clk_tck} ticks/s), whole process",
    ]
    lines += resolution_note(runs, clk_tck)
    lines += [
        "",
        "## Spread over rounds",
        "",
        "Core use: CPU time over the run's wall time (medians). A server well under 100% was",
        "waiting on redis-benchmark; redis-benchmark near 100% was the bottleneck itself.",
        "",
    ]
    lines += spread_table(cells)
    fails = failures(runs)
    if fails:
        lines += ["", "## Failed runs", ""] + fails
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
