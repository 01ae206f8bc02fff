"""Runs steps against Redis and rill side by side and records where their replies differ.

Every step is sent to both servers before either reply is read, so the two see the same
command at nearly the same moment (what keeps TTLs and expiry comparable).
"""

import time

from . import compare, resp
from .servers import SEND_FAILED, Connection, read_until_quiet

REPLY_TIMEOUT = 3.0


class Divergence:
    def __init__(self, where, text, ref, got, proto):
        self.where = where    # "keys.txt:12", "seed 3 #417", ...
        self.text = text      # the command as written
        self.ref = ref        # Redis's raw bytes
        self.got = got        # rill's raw bytes
        self.proto = proto

    def describe(self, indent="    "):
        return ("%s%s [RESP%d] %s\n%s  redis: %s\n%s  rill:  %s"
                % (indent, self.where, self.proto, self.text, indent, compare.show(self.ref),
                   indent, compare.show(self.got)))


class ServerGone(Exception):
    """A server refuses connections: the rest of this pass cannot tell anything."""


class ClientPair:
    """One logical client: a connection to each server, opened (again) on demand."""

    def __init__(self, ports, proto, log):
        self.conns = [Connection(p, REPLY_TIMEOUT) for p in ports]
        self.proto = proto
        self.log = log  # called with (text, ref_bytes, got_bytes, ok) for each exchange

    def ensure_open(self):
        """If either side is closed, connects both again (so they start from the same
        state: database 0, no name, no MULTI); in RESP3 sends HELLO 3 first. Returns the
        two HELLO replies if they differ, else None."""
        if all(c.is_open for c in self.conns):
            return None
        for c in self.conns:
            try:
                c.connect()
            except OSError as e:
                c.close()
                side = "redis-server" if c is self.conns[0] else "rill-server"
                raise ServerGone("cannot connect to %s: %s" % (side, e))
        if self.proto == 3:
            ref, got = self.exchange([b"HELLO", b"3"])
            ok = compare.agree({"ignore-field": [b"id"]}, ref, got)
            self.log("HELLO 3 (connection set-up)", ref.raw, got.raw, ok)
            if not ok:
                return ref, got
        return None

    def exchange(self, args):
        data = resp.encode_command(args)
        sent = [c.is_open and c.send(data) for c in self.conns]
        out = []
        for c, s in zip(self.conns, sent):
            out.append(c.read_reply() if s else resp.Reply("?", SEND_FAILED))
        return out[0], out[1]

    def raw(self, data):
        for c in self.conns:
            if c.is_open:
                c.send(data)
        return read_until_quiet(self.conns)

    def drain(self):
        """Whatever bytes each side has already sent beyond the last reply (no waiting)."""
        return [c.drain_now() for c in self.conns]

    def close(self):
        for c in self.conns:
            c.close()


class Runner:
    """Knows the two ports; runs a script (a list of Steps) in one protocol."""

    def __init__(self, ref_port, rill_port, verbose=False, max_report=5):
        self.ports = (ref_port, rill_port)
        self.verbose = verbose
        self.max_report = max_report

    def _log(self, where, proto):
        def log(text, ref, got, ok):
            if self.verbose:
                mark = "  " if ok else "!="
                print("  %s [RESP%d] %s %s\n      redis: %s\n      rill:  %s"
                      % (mark, proto, where(), text, compare.show(ref, 200),
                         compare.show(got, 200)))
        return log

    def run_script(self, name, steps, proto):
        """Returns (number of compared replies, list of Divergence)."""
        diffs = []
        current = {"where": name + ":setup"}
        clients = {}
        log = self._log(lambda: current["where"], proto)

        def client(cname):
            if cname not in clients:
                clients[cname] = ClientPair(self.ports, proto, log)
            pair = clients[cname]
            bad = pair.ensure_open()
            if bad:
                diffs.append(Divergence(current["where"], "HELLO 3 (connection set-up)",
                                        bad[0].raw, bad[1].raw, proto))
            return pair

        compared = 0
        try:
            main = client("main")
            ref, got = main.exchange([b"FLUSHALL"])
            log("FLUSHALL", ref.raw, got.raw, ref.raw == got.raw)
            if ref.raw != got.raw:
                diffs.append(Divergence(current["where"], "FLUSHALL", ref.raw, got.raw, proto))
            active = "main"
            for step in steps:
                if not step.runs_in(proto):
                    continue
                current["where"] = "%s:%d" % (name, step.line)
                if step.kind == "sleep":
                    time.sleep(step.args / 1000.0)
                    continue
                if step.kind == "client":
                    active = step.args
                    client(active)
                    continue
                pair = client(active)
                if step.kind == "raw":
                    ref_b, got_b = pair.raw(step.args)
                    ok = "ignore-reply" in step.mods or ref_b == got_b
                else:
                    if "no-reply" in step.mods:
                        # Whatever does come back is read here, so a stray reply shows
                        # as this line's difference instead of shifting all later ones.
                        ref_b, got_b = pair.raw(resp.encode_command(step.args))
                        ok = ref_b == got_b
                    else:
                        ref, got = pair.exchange(step.args)
                        ref_b, got_b = ref.raw, got.raw
                        ok = compare.agree(step.mods, ref, got)
                if not ok:
                    # Extra replies already on the wire belong to this line, not the next.
                    ref_x, got_x = pair.drain()
                    ref_b += ref_x and b" <and then> " + ref_x
                    got_b += got_x and b" <and then> " + got_x
                compared += 1
                log(step.text, ref_b, got_b, ok)
                if not ok:
                    diffs.append(Divergence(current["where"], step.text, ref_b, got_b, proto))
        except ServerGone as e:
            diffs.append(Divergence(current["where"], "(connecting)", b"", str(e).encode(), proto))
        finally:
            for pair in clients.values():
                pair.close()
        return compared, diffs

    def run_sequence(self, label, commands, proto):
        """Runs generated (args, check) pairs on one client and stops at the first
        divergence. `check` is a directive dict, or ("near", tolerance). Returns
        (number compared, Divergence or None, index of the divergent command)."""
        where = {"i": 0}
        log = self._log(lambda: "%s #%d" % (label, where["i"]), proto)
        pair = ClientPair(self.ports, proto, log)
        i = 0
        try:
            bad = pair.ensure_open()
            if bad:
                return 0, Divergence(label + " set-up", "HELLO 3", bad[0].raw, bad[1].raw,
                                     proto), 0
            pair.exchange([b"FLUSHALL"])
            for i, (args, check) in enumerate(commands):
                where["i"] = i
                text = format_args(args)
                ref, got = pair.exchange(args)
                if isinstance(check, tuple):
                    ok = compare.near(ref, got, check[1])
                else:
                    ok = compare.agree(check, ref, got)
                log(text, ref.raw, got.raw, ok)
                if not ok:
                    return i, Divergence("%s #%d" % (label, i), text, ref.raw, got.raw,
                                         proto), i
                if not all(c.is_open for c in pair.conns):
                    pair.ensure_open()
            return len(commands), None, None
        except ServerGone as e:
            return i, Divergence("%s #%d" % (label, i), "(connecting)", b"", str(e).encode(),
                                 proto), i
        finally:
            pair.close()


def format_args(args):
    """A command in redis-cli inline syntax (quoted where needed), to paste into a script."""
    out = []
    for a in args:
        if a and all(33 <= b < 127 and b not in b"\"'\\" for b in a):
            out.append(a.decode("ascii"))
        else:
            body = "".join(chr(b) if 32 <= b < 127 and b not in b"\"\\" else "\\x%02x" % b
                           for b in a)
            out.append('"%s"' % body)
    return " ".join(out)
