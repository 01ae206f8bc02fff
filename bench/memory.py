#!/usr/bin/env python3
"""Memory per element: rill against real Redis, started side by side in the same run.

  python3 bench/memory.py path/to/rill-server [--count 1000000] [--kind stream|string|list]

For each server: start it on a free loopback port (no snapshot, no AOF), read used_memory
(INFO memory) and the process RSS (/proc/<pid>/statm), load COUNT elements with
`redis-cli --pipe`, read both again, and report bytes per element for each measure.
  stream: XADD s * f1 <v> f2 <v>   (two small fields, the stream benchmark of issue 3)
  string: SET key:<n> <v>          (a cache of small strings)
  list:   RPUSH list <v> ...        (one list, 100 elements a command, the lists of issue 4)
Both servers are stopped at the end, whatever happens.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def resp(*words):
    out = [b"*%d\r\n" % len(words)]
    for w in words:
        w = w if isinstance(w, bytes) else str(w).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(w), w))
    return b"".join(out)


def load_file(kind, count, path):
    with open(path, "wb") as f:
        if kind == "list":
            # One list; elements as the string cache's values. Batches of 100 keep the load
            # file small; neither server stores a list differently for how it was pushed.
            for start in range(0, count, 100):
                values = ["value-%d" % (i % 1000) for i in range(start, min(start + 100, count))]
                f.write(resp("RPUSH", "list", *values))
            return
        for i in range(count):
            if kind == "stream":
                f.write(resp("XADD", "s", "*", "f1", "v%d" % (i % 1000), "f2", "w%d" % (i % 1000)))
            else:
                f.write(resp("SET", "key:%d" % i, "value-%d" % (i % 1000)))


def info_used_memory(port):
    out = subprocess.run(["redis-cli", "-p", str(port), "info", "memory"], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("used_memory:"):
            return int(line.split(":")[1])
    raise RuntimeError("no used_memory in INFO")


def rss(pid):
    with open("/proc/%d/statm" % pid) as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def wait_ready(port, proc):
    for _ in range(200):
        if proc.poll() is not None:
            return False
        r = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True)
        if r.stdout.strip() == "PONG":
            return True
        time.sleep(0.05)
    return False


def measure(name, argv, port, load_path, count):
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_ready(port, proc):
            raise RuntimeError("%s did not start" % name)
        time.sleep(0.2)
        mem0, rss0 = info_used_memory(port), rss(proc.pid)
        with open(load_path, "rb") as f:
            r = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], stdin=f,
                               capture_output=True, text=True)
        if "errors: 0" not in r.stdout:
            raise RuntimeError("%s: load failed: %s" % (name, r.stdout.strip()))
        time.sleep(0.2)
        mem1, rss1 = info_used_memory(port), rss(proc.pid)
        return (mem1 - mem0) / count, (rss1 - rss0) / count
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rill")
    ap.add_argument("--count", type=int, default=1000000)
    ap.add_argument("--kind", choices=["stream", "string", "list"], default="stream")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        load = os.path.join(tmp, "load.resp")
        load_file(args.kind, args.count, load)
        results = {}
        for name in ("rill", "Redis"):
            port = free_port()
            d = os.path.join(tmp, name)
            os.mkdir(d)
            if name == "rill":
                argv = [args.rill, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--dir", d]
            else:
                argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--daemonize", "no", "--dir", d]
            results[name] = measure(name, argv, port, load, args.count)
    print("| %s, %d elements | rill | Redis | rill/Redis |" % (args.kind, args.count))
    print("|---|---:|---:|---:|")
    for i, label in enumerate(["used_memory bytes/element", "RSS bytes/element"]):
        a, b = results["rill"][i], results["Redis"][i]
        print("| %s | %.1f | %.1f | %.2f |" % (label, a, b, a / b if b else float("nan")))


if __name__ == "__main__":
    sys.exit(main())
