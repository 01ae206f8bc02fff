#!/usr/bin/env python3
"""Differential test: the same commands to real Redis and to rill, raw replies compared.

    python3 redis-compat/diff_runner.py --rill build/rill-server          # everything
    python3 redis-compat/diff_runner.py --rill build/rill-server --script keys -v
    python3 redis-compat/diff_runner.py --rill build/rill-server --random 42 --count 5000

Each script in scripts/*.txt runs twice, in RESP2 and in RESP3 (after HELLO 3), on a fresh
connection after FLUSHALL. Without --script or --random, the scripts run and then a few fixed
random seeds. Exit status 0 only if every check agrees. Python standard library only.
"""

import argparse
import glob
import os
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the tree

from harness import randomized  # noqa: E402
from harness.runner import Runner, format_args  # noqa: E402
from harness.script import ScriptError, load_script  # noqa: E402
from harness.servers import ServerError, ServerProcess  # noqa: E402

DEFAULT_SEEDS = (1, 2, 3)
DEFAULT_COUNT = 2000
SCRIPTS_DIR = os.path.join(HERE, "scripts")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rill", required=True, help="path to the rill-server binary")
    p.add_argument("--redis", default=shutil.which("redis-server") or "redis-server",
                   help="path to the reference redis-server (default: from PATH)")
    p.add_argument("--script", action="append", default=[],
                   help="run only this script (name without .txt); may repeat")
    p.add_argument("--random", type=int, action="append", default=[], metavar="SEED",
                   help="run a random sequence from this seed; may repeat")
    p.add_argument("--count", type=int, default=DEFAULT_COUNT,
                   help="commands per random sequence (default %d)" % DEFAULT_COUNT)
    p.add_argument("-v", "--verbose", action="store_true", help="print every exchange")
    p.add_argument("--max-report", type=int, default=5,
                   help="differences printed per script and protocol (default 5; -v: all)")
    return p.parse_args(argv)


def script_paths(names):
    if not names:
        return sorted(glob.glob(os.path.join(SCRIPTS_DIR, "*.txt")))
    paths = []
    for n in names:
        path = n
        if not os.path.isfile(path):
            path = os.path.join(SCRIPTS_DIR, n.removesuffix(".txt") + ".txt")
        if not os.path.isfile(path):
            raise ScriptError("no script named %r in %s" % (n, SCRIPTS_DIR))
        paths.append(path)
    return paths


def missing_command(diff):
    """The command (or CONTAINER|subcommand) rill does not know, if that is the difference."""
    got, ref = diff.got, diff.ref
    for prefix, container in ((b"-ERR unknown command '", False),
                              (b"-ERR unknown subcommand '", True)):
        if got.startswith(prefix) and not ref.startswith(prefix):
            word = got[len(prefix):].split(b"'", 1)[0].decode("latin-1").upper()
            if container:
                return diff.text.split()[0].upper() + "|" + word
            return word
    return None


class Suite:
    def __init__(self, opts, workdir):
        self.opts = opts
        self.redis = ServerProcess("redis-server", opts.redis, workdir)
        self.rill = ServerProcess("rill-server", os.path.abspath(opts.rill), workdir)
        self.passed = self.failed = 0

    def start(self):
        self.redis.start()
        self.rill.start()

    def stop(self):
        for s in (self.rill, self.redis):
            s.stop()

    def runner(self):
        return Runner(self.redis.port, self.rill.port, self.opts.verbose)

    def check_alive(self, after):
        """A server that died is reported and started again, so later checks still run."""
        notes = []
        for s in (self.redis, self.rill):
            if not s.alive():
                notes.append("%s %s during %s; log tail:\n%s"
                             % (s.name, s.exit_description(), after, s.log_tail()))
                s.start()
        return notes

    def record(self, ok, line, details=()):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(("PASS  " if ok else "FAIL  ") + line)
        for d in details:
            print(d)
        sys.stdout.flush()

    def run_script(self, path):
        name = os.path.basename(path)[:-4]
        steps = load_script(path)
        limit = None if self.opts.verbose else self.opts.max_report
        details, summary, total, missing, deaths = [], [], 0, set(), []
        seen = set()  # lines that differ in RESP2: their RESP3 difference is not news
        for proto in (2, 3):
            if self.opts.verbose:
                print("--- %s, RESP%d" % (name, proto))
            compared, diffs = self.runner().run_script(name + ".txt", steps, proto)
            total += compared
            deaths += self.check_alive("%s (RESP%d)" % (name, proto))
            if not diffs:
                continue
            summary.append("RESP%d: %d of %d differ" % (proto, len(diffs), compared))
            missing.update(n for n in map(missing_command, diffs) if n)
            fresh = [d for d in diffs if d.where not in seen]
            seen.update(d.where for d in diffs)
            shown = fresh if limit is None else fresh[:limit]
            details += [d.describe() for d in shown]
            left = len(fresh) - len(shown)
            repeats = len(diffs) - len(fresh)
            if left or repeats:
                details.append("    ... RESP%d: %d more%s (-v shows all)" % (
                    proto, left, ", %d on lines that differ in RESP2" % repeats if repeats else ""))
        if missing:
            details.append("    unknown to rill: " + ", ".join(sorted(missing)))
        details += ["    " + n for n in deaths]
        ok = not summary and not details
        line = "%-14s %d replies" % (name, total)
        if summary:
            line += " (" + "; ".join(summary) + ")"
        self.record(ok, line, details)

    def run_random(self, seed):
        count = self.opts.count
        commands = randomized.generate(seed, count)
        first = {}  # protocol -> index of its first divergence
        for proto in (2, 3):
            label = "seed %d" % seed
            if self.opts.verbose:
                print("--- random %s, RESP%d" % (label, proto))
            start = time.monotonic()
            _, diff, index = self.runner().run_sequence(label, commands, proto)
            notes = self.check_alive("random seed %d" % seed)
            line = "random seed %-3d %d commands, RESP%d (%.1fs)" % (
                seed, count, proto, time.monotonic() - start)
            if diff is None and not notes:
                self.record(True, line)
                continue
            details = ["    " + n for n in notes]
            first[proto] = index
            if diff is not None and proto == 3 and first.get(2) == index:
                details.append("    first divergence at command #%d, as in RESP2: %s"
                               % (index, diff.text))
            elif diff is not None:
                context = commands[max(0, index - 8):index]
                details.append("    first divergence at command #%d; the %d before it:"
                               % (index, len(context)))
                details += ["      #%d %s" % (index - len(context) + i, format_args(a))
                            for i, (a, _) in enumerate(context)]
                details.append(diff.describe())
                details.append("    reproduce: python3 %s --rill %s --random %d --count %d -v"
                               % (os.path.relpath(__file__), self.opts.rill, seed, index + 1))
            self.record(False, line, details)


def on_sigterm(*_):
    """SIGTERM takes the same way out as Ctrl-C: through main's finally, which stops both
    servers."""
    raise KeyboardInterrupt()


def main(argv):
    opts = parse_args(argv)
    if not os.access(opts.rill, os.X_OK):
        print("diff_runner: %s is not an executable rill-server" % opts.rill, file=sys.stderr)
        return 2
    try:
        paths = script_paths(opts.script) if (opts.script or not opts.random) else []
        for p in paths:
            load_script(p)  # a broken script is reported before any server starts
    except ScriptError as e:
        print("diff_runner: %s" % e, file=sys.stderr)
        return 2
    seeds = opts.random or ([] if opts.script else list(DEFAULT_SEEDS))

    signal.signal(signal.SIGTERM, on_sigterm)
    workdir = tempfile.mkdtemp(prefix="rill-compat-")
    suite = Suite(opts, workdir)
    try:
        suite.start()
        for p in paths:
            suite.run_script(p)
        for seed in seeds:
            suite.run_random(seed)
    except ServerError as e:
        print("diff_runner: %s" % e, file=sys.stderr)
        suite.failed += 1
    except KeyboardInterrupt:
        print("diff_runner: interrupted", file=sys.stderr)
        suite.failed += 1
    finally:
        suite.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print("%d passed, %d failed" % (suite.passed, suite.failed))
    return 0 if suite.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
