"""What the redis-py programs share: the port from the command line, a watchdog that ends a
stuck run, connections with timeouts, and the CLIENT LIST handshake that tells when other
connections are parked in a blocking command (so a producer never races its consumers)."""
import os
import signal
import sys
import threading
import time

import redis

WAIT_SECONDS = 5     # the longest any single wait or blocking command may take
RUN_SECONDS = 30     # the whole program, so a hang fails instead of stalling the test run


def port_from_argv():
    if len(sys.argv) != 2:
        sys.exit("usage: %s PORT" % sys.argv[0])
    return int(sys.argv[1])


def start_watchdog():
    def expired(signum, frame):
        sys.stderr.write("%s: still running after %ds\n" % (sys.argv[0], RUN_SECONDS))
        os._exit(3)
    signal.signal(signal.SIGALRM, expired)
    signal.alarm(RUN_SECONDS)


def connect(port, name=None):
    # Blocking commands in these programs wait at most WAIT_SECONDS on the server; the socket
    # timeout is longer so the server's timeout is the one that shows.
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=WAIT_SECONDS * 3,
                       client_name=name, decode_responses=True)


def wait_blocked(r, names, command, workers=()):
    """Waits until every connection named in `names` is blocked in `command`; raises the
    error of any of `workers` (Worker threads) that failed meanwhile."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        for w in workers:
            if w.error is not None:
                raise w.error
        clients = r.client_list()
        blocked = {c["name"] for c in clients if "b" in c["flags"] and c["cmd"] == command}
        if set(names) <= blocked:
            return
        if time.monotonic() > deadline:
            raise AssertionError("not blocked in %s after %ds: %s\n%s" % (
                command, WAIT_SECONDS, sorted(set(names) - blocked), clients))
        time.sleep(0.005)


class Worker(threading.Thread):
    """A thread whose exception is kept and raised again by join_checked()."""

    def __init__(self, target, *args):
        super().__init__(daemon=True)
        self._target_fn = target
        self._args = args
        self.error = None
        self.result = None

    def run(self):
        try:
            self.result = self._target_fn(*self._args)
        except BaseException as e:  # reported by join_checked in the main thread
            self.error = e

    def join_checked(self):
        self.join(WAIT_SECONDS * 2)
        if self.is_alive():
            raise AssertionError("worker thread still running")
        if self.error is not None:
            raise self.error
        return self.result
