#!/usr/bin/env python3
"""Turns the raw records of one bench/run.sh run into the markdown report.

    python3 bench/report.py bench/results/<stamp>      (prints markdown on stdout)

The run directory holds meta.txt (machine, versions, settings), runs.tsv (one line per
redis-benchmark run: server CPU ticks before and after, exit code, wall time) and
runs/<id>.csv / runs/<id>.err (redis-benchmark's --csv output and its stderr); and, when
driver scenarios ran, drivers.tsv (one line per rill-bench-driver run) with
drivers/<id>.json / drivers/<id>.err (its one-line result and its stderr). Everything is
computed here so that a run can be re-analysed without re-running it.
"""

import csv
import json
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
        "| test | pipeline | server | runs ok | requests | req/s min–max | CPU µs/req min–max "
        "| server core use | redis-benchmark core use |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for (test, pipe), by_server in cells.items():
        name = display_name(test, by_server)
        for server in SERVERS:
            s = summarize(by_server[server])
            label = "rill" if server == "rill" else "Redis"
            n = by_server[server][0]["requests"] if by_server[server] else 0
            if s["error"]:
                out.append(f"| {name} | {pipe} | {label} | 0/{s['runs']} | {n:,} | {error_cell(s)} "
                           "| — | — | — |")
                continue
            out.append(
                f"| {name} | {pipe} | {label} | {s['runs'] - s['failed']}/{s['runs']} | {n:,} "
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

# --- rill-bench-driver scenarios -------------------------------------------------------

# How each scenario is shown: a label, the throughput measure and its unit of CPU, or the
# latency measures. Scenarios not listed here are shown by their name.
def driver_label(scenario, result):
    if scenario.startswith("groups-"):
        n = scenario.split("-", 1)[1]
        return f"XREADGROUP COUNT 10 + XACK, {n} consumer{'s' if n != '1' else ''}"
    if scenario.startswith("fanout-"):
        n = scenario.split("-", 1)[1]
        return f"PUBLISH to {n} subscriber{'s' if n != '1' else ''}"
    rate = f" at {int(result['rate']):,}/s" if result and "rate" in result else ""
    if scenario == "stream-latency":
        return f"XADD → blocked XREADGROUP{rate}"
    if scenario == "brpop-latency":
        return f"LPUSH → blocked BRPOP{rate}"
    return scenario


# Throughput scenarios: (rate field, its unit, CPU field, CPU unit).
THROUGHPUT = {
    "groups": ("entries_per_s", "entries/s", "cpu_us_per_entry", "µs/entry"),
    "fanout": ("deliveries_per_s", "deliveries/s", "cpu_us_per_delivery", "µs/delivery"),
}
LATENCY = ("stream-latency", "brpop-latency")


def read_driver_runs(run_dir):
    index = run_dir / "drivers.tsv"
    if not index.exists():
        return []
    runs = []
    with open(index, newline="") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            rid = rec["id"]
            rc = int(rec["rc"])
            alive = rec["alive_after"] == "1"
            out = run_dir / "drivers" / f"{rid}.json"
            err = run_dir / "drivers" / f"{rid}.err"
            result = None
            text = out.read_text().strip() if out.exists() else ""
            if rc == 0 and alive and text:
                try:
                    result = json.loads(text.splitlines()[-1])
                except ValueError:
                    result = None
            run = {"round": int(rec["round"]), "server": rec["server"],
                   "scenario": rec["scenario"], "result": result, "error": None}
            if result is None:
                err_text = err.read_text(errors="replace") if err.exists() else ""
                lines = [l.strip() for l in err_text.splitlines() if l.strip()]
                if not alive:
                    run["error"] = "server died"
                elif rc == 124:
                    run["error"] = "timed out"
                else:
                    run["error"] = lines[-1] if lines else f"exit code {rc}"
            runs.append(run)
    return runs


def driver_cells(runs):
    cells = {}
    for run in runs:
        cells.setdefault(run["scenario"], {s: [] for s in SERVERS})[run["server"]].append(run)
    return cells


def med(runs, field):
    values = [r["result"][field] for r in runs if r["result"] and field in r["result"]]
    return (statistics.median(values), min(values), max(values)) if values else None


def short_error(runs):
    errs = [r["error"] for r in runs if r["error"]]
    msg = (errs[0] if errs else "no runs").replace("|", "/")
    return "error: " + (msg[:57] + "..." if len(msg) > 60 else msg)


def driver_tables(cells):
    """The throughput table, the latency table and the spread table of the driver runs."""
    thr = [
        "| scenario | rill | Redis | rill/Redis | rill CPU | Redis CPU | Redis/rill CPU |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lat = [
        "| scenario | rill p50 µs | Redis p50 µs | rill p99 µs | Redis p99 µs "
        "| Redis/rill p50 | Redis/rill p99 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    spread = [
        "| scenario | server | runs ok | main figure min–max | server core use "
        "| driver core use |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for scenario, by_server in cells.items():
        first = next((r["result"] for rs in by_server.values() for r in rs if r["result"]), None)
        label = driver_label(scenario, first)
        kind = first["scenario"] if first else None
        if kind in THROUGHPUT:
            rate_f, unit, cpu_f, cpu_unit = THROUGHPUT[kind]
        elif kind in LATENCY:
            rate_f = "p50_us"
        else:
            rate_f = None
        for server in SERVERS:
            rs = by_server[server]
            ok = [r for r in rs if r["result"]]
            name = "rill" if server == "rill" else "Redis"
            if not ok:
                spread.append(f"| {label} | {name} | 0/{len(rs)} | {short_error(rs)} | — | — |")
                continue
            m = med(ok, rate_f) if rate_f else None
            core = statistics.median(r["result"]["server_cpu_s"] / r["result"]["wall_s"]
                                     for r in ok)
            drv = statistics.median(r["result"]["client_cpu_s"] / r["result"]["wall_s"]
                                    for r in ok)
            fig = f"{m[1]:,.0f}–{m[2]:,.0f}" if m else "—"
            if kind in LATENCY and m:
                p99 = med(ok, "p99_us")
                fig = f"p50 {m[1]:,.0f}–{m[2]:,.0f}, p99 {p99[1]:,.0f}–{p99[2]:,.0f}"
            spread.append(f"| {label} | {name} | {len(ok)}/{len(rs)} | {fig} "
                          f"| {core * 100:.0f}% | {drv * 100:.0f}% |")
        rill_ok = [r for r in by_server["rill"] if r["result"]]
        redis_ok = [r for r in by_server["redis"] if r["result"]]
        if kind in THROUGHPUT:
            row = [label]
            a, b = med(rill_ok, rate_f), med(redis_ok, rate_f)
            ca, cb = med(rill_ok, cpu_f), med(redis_ok, cpu_f)
            row.append(f"{a[0]:,.0f} {unit}" if a else short_error(by_server["rill"]))
            row.append(f"{b[0]:,.0f} {unit}" if b else short_error(by_server["redis"]))
            row.append(fmt_ratio(a[0], b[0]) if a and b else "—")
            row.append(f"{ca[0]:.3f} {cpu_unit}" if ca else "—")
            row.append(f"{cb[0]:.3f} {cpu_unit}" if cb else "—")
            row.append(fmt_ratio(cb[0], ca[0]) if ca and cb else "—")
            thr.append("| " + " | ".join(row) + " |")
        elif kind in LATENCY or not first:
            a50, b50 = med(rill_ok, "p50_us"), med(redis_ok, "p50_us")
            a99, b99 = med(rill_ok, "p99_us"), med(redis_ok, "p99_us")
            row = [label]
            row.append(f"{a50[0]:,.0f}" if a50 else short_error(by_server["rill"]))
            row.append(f"{b50[0]:,.0f}" if b50 else short_error(by_server["redis"]))
            row.append(f"{a99[0]:,.0f}" if a99 else "—")
            row.append(f"{b99[0]:,.0f}" if b99 else "—")
            row.append(fmt_ratio(b50[0], a50[0]) if a50 and b50 else "—")
            row.append(fmt_ratio(b99[0], a99[0]) if a99 and b99 else "—")
            lat.append("| " + " | ".join(row) + " |")
    return thr, lat, spread


def driver_section(run_dir, meta):
    runs = read_driver_runs(run_dir)
    if not runs:
        return []
    thr, lat, spread = driver_tables(driver_cells(runs))
    lines = [
        "",
        "## Consumer groups, blocked hand-off and pub/sub fan-out (rill-bench-driver)",
        "",
        "Medians over rounds. Throughput: units per second over the measured window (after a",
        "warm-up); CPU: the server's CPU time in that window over the units it handled.",
        "Redis/rill CPU > 1: rill spends less CPU per unit.",
        "",
    ]
    lines += thr
    lines += [
        "",
        "Hand-off latency: from the producer's write (a steady_clock stamp in the payload) to",
        f"the blocked consumer reading it, {meta.get('latency_rate', '?')} messages per second for "
        f"{meta.get('latency_seconds', '?')} s after 1 s of warm-up. Redis/rill > 1: rill is faster.",
        "",
    ]
    lines += lat
    lines += ["", "Spread over rounds, and each side's core use (CPU time over wall time):", ""]
    lines += spread
    fails = {}
    for r in runs:
        if r["error"]:
            fails.setdefault((r["server"], r["scenario"], r["error"]), []).append(r["round"])
    if fails:
        lines += ["", "Failed driver runs:", ""]
        lines += [f"- {srv}, {sc}, round {', '.join(map(str, rounds))}: {err}"
                  for (srv, sc, err), rounds in fails.items()]
    return lines


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
    # Slow tests run a share of -n (run.sh's test_spec); the settings line gives the full one.
    requests = {p: max(r["requests"] for r in runs if r["pipeline"] == p) for p in pipelines}

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
        f"- redis-benchmark -c {meta.get('clients', '?')} --csv, -t <test> or a command, "
        + ", ".join(f"-P {p} with -n {requests[p]}" for p in pipelines)
        + " (slow tests a share of it: see the spread table)"
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
    lines += driver_section(run_dir, meta)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
