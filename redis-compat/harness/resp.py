"""RESP on the wire: encode a command, and cut exactly one reply out of a byte stream.

A reply is kept twice: its raw bytes (what the differential test compares) and a small tree
(what the looser comparisons, such as shape or multiset, look at). The parser knows every
RESP2 and RESP3 type, whatever protocol the connection is in, so a server that answers in
the wrong protocol shows up as a byte difference rather than a harness error.
"""


class Incomplete(Exception):
    """The buffer ends inside a reply: read more bytes and parse again."""


class BadReply(Exception):
    """The bytes are not RESP at all (a server bug, or the stream lost its alignment)."""


# Types whose whole payload is the rest of the header line.
LINE_TYPES = b"+-:_,#("
# Types whose header gives a byte length, followed by the payload and CRLF.
BULK_TYPES = b"$!="
# Types whose header gives an element count (maps and attributes count pairs).
AGGREGATE_TYPES = b"*~>"
PAIR_TYPES = b"%|"


class Reply:
    """One parsed reply: its type byte, exact bytes, scalar payload or children."""

    __slots__ = ("kind", "raw", "value", "children")

    def __init__(self, kind, raw, value=None, children=None):
        self.kind = kind          # one-character str: '+', '$', '*', '%', ...
        self.raw = raw            # the exact bytes of this reply, header to last CRLF
        self.value = value        # bytes payload of a scalar; None for nulls and aggregates
        self.children = children  # list of Reply for aggregates (maps: k1, v1, k2, v2, ...)

    def is_null(self):
        return self.kind == "_" or (self.value is None and self.children is None)

    def integer(self):
        """The value of an integer reply, or None if this is not one."""
        if self.kind != ":":
            return None
        try:
            return int(self.value)
        except ValueError:
            return None

    def __repr__(self):
        return "Reply(%r)" % self.raw


def encode_command(args):
    """A command as a RESP array of bulk strings; args are bytes."""
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


def _line(buf, pos):
    end = buf.find(b"\r\n", pos)
    if end < 0:
        raise Incomplete()
    return buf[pos:end], end + 2


def parse(buf, pos=0):
    """Parses one reply starting at buf[pos]; returns (Reply, position after it)."""
    if pos >= len(buf):
        raise Incomplete()
    kind = buf[pos:pos + 1]
    body, after = _line(buf, pos + 1)
    k = kind.decode("latin-1")
    if kind in LINE_TYPES:
        return Reply(k, buf[pos:after], body), after
    if kind in BULK_TYPES or kind in AGGREGATE_TYPES or kind in PAIR_TYPES:
        try:
            n = int(body)
        except ValueError:
            raise BadReply("bad length %r after %r" % (body, kind))
        if n < 0:
            if n != -1:
                raise BadReply("negative length %d" % n)
            return Reply(k, buf[pos:after]), after
        if kind in BULK_TYPES:
            end = after + n
            if len(buf) < end + 2:
                raise Incomplete()
            if buf[end:end + 2] != b"\r\n":
                raise BadReply("bulk payload not followed by CRLF")
            return Reply(k, buf[pos:end + 2], buf[after:end]), end + 2
        count = n * 2 if kind in PAIR_TYPES else n
        children = []
        p = after
        for _ in range(count):
            child, p = parse(buf, p)
            children.append(child)
        if kind == b"|":
            # An attribute decorates the reply that follows it; keep both as one reply.
            real, p = parse(buf, p)
            children.append(real)
        return Reply(k, buf[pos:p], None, children), p
    raise BadReply("unknown type byte %r" % kind)


def shape(r):
    """The type structure of a reply, values left out: ints vs ints, arrays of equal arity."""
    if r.children is None:
        return r.kind + ("nil" if r.is_null() and r.kind != "_" else "")
    return (r.kind, tuple(shape(c) for c in r.children))


def canonical_unordered(r):
    """Bytes of a reply with the elements of every array, set and map sorted: two replies
    that hold the same elements in another order get the same bytes."""
    if r.children is None:
        return r.raw
    kids = [canonical_unordered(c) for c in r.children]
    header = r.raw[:r.raw.index(b"\r\n") + 2]
    if r.kind in ("%", "|"):
        pairs = sorted(kids[i] + kids[i + 1] for i in range(0, len(kids) - len(kids) % 2, 2))
        return header + b"".join(pairs) + b"".join(kids[len(kids) - len(kids) % 2:])
    return header + b"".join(sorted(kids))


def masked_field(r, name):
    """Bytes of a map reply (or RESP2's flat key/value array) with the value stored under
    key `name` replaced by a placeholder, everything else exact."""
    if r.children is None or r.kind not in ("%", "*"):
        return r.raw
    out = [r.raw[:r.raw.index(b"\r\n") + 2]]
    kids = r.children
    for i in range(0, len(kids) - 1, 2):
        out.append(kids[i].raw)
        if kids[i].value == name:
            out.append(b"<ignored>")
        else:
            out.append(kids[i + 1].raw)
    if len(kids) % 2:
        out.append(kids[-1].raw)
    return b"".join(out)
