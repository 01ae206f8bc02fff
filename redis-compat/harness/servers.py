"""The two servers under comparison, and plain-socket connections to them.

Each server runs as a child process on a free loopback port, in its own session (so a
Ctrl-C in the terminal reaches only the runner, which then stops them in order) and in a
private working directory (so nothing it might write lands in the tree).
"""

import os
import select
import signal
import socket
import subprocess
import time

from . import resp

# Both servers get the same settings, so CONFIG GET agrees and nothing touches the disk.
COMMON_FLAGS = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]


def free_port():
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


class ServerError(Exception):
    pass


class ServerProcess:
    """A redis-server or rill-server child process on a port of its own."""

    def __init__(self, name, binary, workdir):
        self.name = name
        self.binary = binary
        self.workdir = workdir
        self.port = None
        self.proc = None
        self.log_path = os.path.join(workdir, name + ".log")

    def start(self, attempts=3):
        last = ""
        for _ in range(attempts):
            self.port = free_port()
            argv = [self.binary, "--port", str(self.port)] + COMMON_FLAGS
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(argv, cwd=self.workdir, stdin=subprocess.DEVNULL,
                                             stdout=log, stderr=subprocess.STDOUT,
                                             start_new_session=True)
            if self._wait_ready(10.0):
                return
            last = self.log_tail()
            self.stop()  # the port may have been taken between probe and bind: try another
        raise ServerError("%s did not start (%s)\n%s" % (self.name, self.binary, last))

    def _wait_ready(self, limit):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1.0) as s:
                    s.sendall(b"*1\r\n$4\r\nPING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def exit_description(self):
        rc = self.proc.poll() if self.proc else None
        if rc is None:
            return "running"
        if rc < 0:
            try:
                return "killed by %s" % signal.Signals(-rc).name
            except ValueError:
                return "killed by signal %d" % -rc
        return "exited with status %d" % rc

    def stop(self):
        """SIGTERM, then SIGKILL if it has not gone within a few seconds."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.proc.terminate()
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
            except OSError:
                pass
        self.proc = None

    def log_tail(self, lines=15):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return ""


# Markers recorded in place of a reply; they compare like replies.
CLOSED = b"<connection closed>"
TIMEOUT = b"<no reply>"
SEND_FAILED = b"<send failed>"


class Connection:
    """One client socket with its own read buffer. Knows nothing of scripts."""

    def __init__(self, port, timeout):
        self.port = port
        self.timeout = timeout
        self.sock = None
        self.buf = b""

    def connect(self):
        self.close()
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None

    @property
    def is_open(self):
        return self.sock is not None

    def send(self, data):
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            self.close()
            return False

    def drain_now(self):
        """Takes the bytes already received beyond the last reply, without waiting."""
        data, self.buf = self.buf, b""
        while self.sock is not None and select.select([self.sock], [], [], 0)[0]:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.close()
                return data + CLOSED
            data += chunk
        return data

    def read_reply(self):
        """One whole reply, or the CLOSED / TIMEOUT marker (the connection is then dropped,
        since its stream can no longer be trusted)."""
        while True:
            try:
                reply, end = resp.parse(self.buf)
                self.buf = self.buf[end:]
                return reply
            except resp.Incomplete:
                pass
            except resp.BadReply as e:
                bad = resp.Reply("?", b"<not RESP: %s: %r>" % (str(e).encode(), self.buf[:80]))
                self.close()
                return bad
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                self.close()
                return resp.Reply("?", TIMEOUT)
            except OSError:
                chunk = b""
            if not chunk:
                self.close()
                return resp.Reply("?", CLOSED + (b" after %r" % self.buf if self.buf else b""))
            self.buf += chunk


def read_until_quiet(conns, quiet=0.1, limit=3.0):
    """Reads from several connections at once until each has been silent for `quiet`
    seconds or was closed; returns the raw bytes each produced (plus the CLOSED marker).
    Used for raw protocol input, where the number of replies is the thing under test."""
    out = {id(c): c.buf + (b"" if c.is_open else CLOSED) for c in conns}
    for c in conns:
        c.buf = b""
    pending = [c for c in conns if c.is_open]
    deadline = time.monotonic() + limit
    while pending and time.monotonic() < deadline:
        ready, _, _ = select.select([c.sock for c in pending], [], [], quiet)
        if not ready:
            break
        for c in list(pending):
            if c.sock not in ready:
                continue
            try:
                chunk = c.sock.recv(65536)
            except OSError:
                chunk = b""
            if chunk:
                out[id(c)] += chunk
            else:
                out[id(c)] += CLOSED
                c.close()
                pending.remove(c)
    return [out[id(c)] for c in conns]
