"""Random command sequences for the differential test, reproducible from a seed.

The alphabet is deliberately small (four keys, two databases, a few dozen values chosen at
the edges: empty, signed, 64-bit limits, floats in exponent form, spaces, binary) so that
commands keep colliding on the same keys and types. Only deterministic commands are drawn:
no RANDOMKEY, SCAN cursors, TIME or INFO. No DBSIZE either: SET with an EXAT/PXAT in the
past leaves a logically expired key, which DBSIZE counts until active expiry reclaims it.
Expiry times are either far in the future (compared with a small tolerance) or already past;
a relative deadline that could fall due mid-run would make Redis and rill disagree by timing
alone. GT and LT are only drawn with absolute times, since two relative deadlines set in the
same millisecond tie.

Each command comes with its check: a directive dict as in scripts ({} is exact bytes), or
("near", tolerance) for TTL-like integers read a few microseconds apart.
"""

import random

KEYS = [b"a", b"b", b"c", b"num"]
VALUES = [b"", b"0", b"1", b"-1", b"7", b"10", b"-100", b"3.5", b"-0.5", b"1e3", b"5.0e-3",
          b"abc", b"hello world", b"9223372036854775807", b"-9223372036854775808",
          b"9223372036854775806", b" 1", b"1 ", b"0x1f", b"+1", b"01", b"-0", b"inf", b"nan",
          b"12345678901234567890", b"x" * 44, b"y" * 45, b"bin\x00\xff\r\n"]
INTS = [b"0", b"1", b"-1", b"5", b"100", b"-5", b"9223372036854775807",
        b"-9223372036854775808", b"abc", b"1.5", b"", b"99999999999999999999", b" 3"]
FLOATS = [b"0", b"1.5", b"-2.25", b"1e3", b"3.0e3", b"5.0e-3", b"10.5", b"abc", b"inf",
          b"-inf", b"nan", b"1e308", b"-1e308", b"0x10", b"", b" 1"]
INDICES = [b"-100", b"-3", b"-1", b"0", b"1", b"2", b"5", b"100", b"abc",
           b"9223372036854775807", b"-9223372036854775808"]
OFFSETS = [b"0", b"1", b"3", b"10", b"100", b"-1", b"abc", b"536870912"]
# Relative times long enough never to fall due during a run.
SECONDS = [b"100", b"1000", b"3000"]
MILLIS = [b"200000", b"2000000"]
# Absolute times: far future, or long past (the key is deleted at once).
UNIX_S = [b"4102444800", b"4102444900", b"1"]
UNIX_MS = [b"4102444800500", b"4102444950000", b"1"]
BAD_TIMES = [b"0", b"-1", b"abc", b"9223372036854775807", b"9223372036854775", b""]
PATTERNS = [b"*", b"a*", b"?", b"[ab]", b"n*m", b"\\a", b"*u*", b"[^a]*", b"nomatch"]

EXACT = {}
SORTED = {"sorted": []}
# Exact, but not drawn inside MULTI: within one EXEC, Redis's queued argument vectors still
# hold a reference to each value they stored, so OBJECT REFCOUNT there reads 2, not 1.
EXACT_OUTSIDE_MULTI = {}


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, seq):
        return self.r.choice(seq)

    def key(self):
        return self.pick(KEYS)

    def keys(self, lo=1, hi=3):
        return [self.key() for _ in range(self.r.randint(lo, hi))]

    def value(self):
        return self.pick(VALUES)

    def chance(self, p):
        return self.r.random() < p

    # --- strings -------------------------------------------------------------------
    def set_options(self, allow_get=True):
        opts = []
        cond = self.r.random()
        if cond < 0.2:
            opts.append(b"NX")
        elif cond < 0.4:
            opts.append(b"XX")
        if allow_get and self.chance(0.3):
            opts.append(b"GET")
        exp = self.r.random()
        if exp < 0.12:
            opts += [b"EX", self.pick(SECONDS + BAD_TIMES[:3])]
        elif exp < 0.2:
            opts += [b"PX", self.pick(MILLIS + BAD_TIMES)]
        elif exp < 0.26:
            opts += [b"EXAT", self.pick(UNIX_S)]
        elif exp < 0.32:
            opts += [b"PXAT", self.pick(UNIX_MS)]
        elif exp < 0.4:
            opts.append(b"KEEPTTL")
        if self.chance(0.05):  # conflicts and junk, in any position
            opts.insert(self.r.randint(0, len(opts)),
                        self.pick([b"NX", b"XX", b"KEEPTTL", b"EX", b"FOO", b"GET", b"PX"]))
        if self.chance(0.2):
            self.r.shuffle(opts)
        return opts

    def cmd_set(self):
        return [b"SET", self.key(), self.value()] + self.set_options(), EXACT

    def cmd_getex(self):
        opt = self.r.random()
        extra = []
        if opt < 0.15:
            extra = [b"EX", self.pick(SECONDS + BAD_TIMES)]
        elif opt < 0.25:
            extra = [b"PX", self.pick(MILLIS + BAD_TIMES)]
        elif opt < 0.35:
            extra = [b"EXAT", self.pick(UNIX_S + BAD_TIMES[:2])]
        elif opt < 0.45:
            extra = [b"PXAT", self.pick(UNIX_MS)]
        elif opt < 0.6:
            extra = [b"PERSIST"]
        elif opt < 0.65:
            extra = [self.pick([b"EX", b"PERSIST", b"FOO"]), b"1", b"PERSIST"]
        return [b"GETEX", self.key()] + extra, EXACT

    def cmd_mset(self):
        args = [self.pick([b"MSET", b"MSETNX"])]
        for _ in range(self.r.randint(1, 3)):
            args += [self.key(), self.value()]
        return args, EXACT

    def cmd_simple_write(self):
        name = self.pick([b"SETNX", b"GETSET", b"APPEND"])
        return [name, self.key(), self.value()], EXACT

    def cmd_setex(self):
        if self.chance(0.5):
            return [b"SETEX", self.key(), self.pick(SECONDS + BAD_TIMES), self.value()], EXACT
        return [b"PSETEX", self.key(), self.pick(MILLIS + BAD_TIMES), self.value()], EXACT

    def cmd_read(self):
        name = self.pick([b"GET", b"GETDEL", b"STRLEN", b"TYPE", b"EXISTS", b"PERSIST",
                          b"DECR", b"INCR", b"GET", b"GET"])
        return [name, self.key()], EXACT

    def cmd_incr(self):
        roll = self.r.random()
        if roll < 0.5:
            return [self.pick([b"INCRBY", b"DECRBY"]), self.key(), self.pick(INTS)], EXACT
        return [b"INCRBYFLOAT", self.key(), self.pick(FLOATS)], EXACT

    def cmd_range(self):
        if self.chance(0.5):
            return [b"GETRANGE", self.key(), self.pick(INDICES), self.pick(INDICES)], EXACT
        return [b"SETRANGE", self.key(), self.pick(OFFSETS), self.value()], EXACT

    def cmd_mget(self):
        return [b"MGET"] + self.keys(1, 4), EXACT

    # --- keys ------------------------------------------------------------------------
    def cmd_expire(self):
        roll = self.r.random()
        if roll < 0.25:
            args = [b"EXPIRE", self.key(), self.pick(SECONDS + BAD_TIMES)]
        elif roll < 0.4:
            args = [b"PEXPIRE", self.key(), self.pick(MILLIS + BAD_TIMES)]
        elif roll < 0.7:
            args = [b"EXPIREAT", self.key(), self.pick(UNIX_S + BAD_TIMES[2:])]
        else:
            args = [b"PEXPIREAT", self.key(), self.pick(UNIX_MS + BAD_TIMES[2:])]
        absolute = args[0].endswith(b"AT")
        if self.chance(0.4):
            flags = [b"NX", b"XX", b"GT", b"LT"] if absolute else [b"NX", b"XX"]
            args.append(self.pick(flags))
            if self.chance(0.15):
                args.append(self.pick(flags + [b"FOO"]))
        return args, EXACT

    def cmd_ttl(self):
        name = self.pick([b"TTL", b"PTTL", b"EXPIRETIME", b"PEXPIRETIME"])
        return [name, self.key()], ("near", 1000 if name.startswith(b"P") else 1)

    def cmd_keyspace(self):
        roll = self.r.random()
        if roll < 0.2:
            return [self.pick([b"DEL", b"UNLINK", b"EXISTS", b"TOUCH"])] + self.keys(), EXACT
        if roll < 0.4:
            return [self.pick([b"RENAME", b"RENAMENX"]), self.key(), self.key()], EXACT
        if roll < 0.55:
            args = [b"COPY", self.key(), self.key()]
            if self.chance(0.4):
                args += [b"DB", self.pick([b"0", b"1", b"16", b"abc"])]
            if self.chance(0.4):
                args.append(b"REPLACE")
            return args, EXACT
        if roll < 0.65:
            return [b"MOVE", self.key(), self.pick([b"0", b"1", b"1", b"16", b"-1", b"x"])], EXACT
        if roll < 0.75:
            return [b"KEYS", self.pick(PATTERNS)], SORTED
        if roll < 0.8:
            return [b"OBJECT", self.pick([b"ENCODING", b"NOPE"]), self.key()], EXACT
        if roll < 0.85:
            return [b"OBJECT", b"REFCOUNT", self.key()], EXACT_OUTSIDE_MULTI
        if roll < 0.95:
            return [b"SELECT", self.pick([b"0", b"1", b"0", b"16", b"-1", b"x"])], EXACT
        mode = [self.pick([b"ASYNC", b"SYNC", b"X"])] if self.chance(0.3) else []
        return [b"FLUSHDB"] + mode, EXACT

    # --- transactions and connection -------------------------------------------------
    def cmd_transaction(self):
        roll = self.r.random()
        if roll < 0.15:
            return [b"MULTI"], EXACT
        if roll < 0.5:
            return [b"EXEC"], EXACT
        if roll < 0.65:
            return [b"DISCARD"], EXACT
        if roll < 0.85:
            return [b"WATCH"] + self.keys(1, 2), EXACT
        return [b"UNWATCH"], EXACT

    def cmd_misc(self):
        roll = self.r.random()
        if roll < 0.3:
            return [b"PING"] + ([self.value()] if self.chance(0.5) else []), EXACT
        if roll < 0.6:
            return [b"ECHO", self.value()], EXACT
        return [self.pick([b"NOSUCH", b"GETT", b"SETX"]), self.key(), self.value()], EXACT

    WEIGHTS = [("cmd_set", 14), ("cmd_getex", 4), ("cmd_mset", 4), ("cmd_simple_write", 6),
               ("cmd_setex", 2), ("cmd_read", 14), ("cmd_incr", 8), ("cmd_range", 6),
               ("cmd_mget", 3), ("cmd_expire", 8), ("cmd_ttl", 5), ("cmd_keyspace", 10),
               ("cmd_transaction", 5), ("cmd_misc", 2)]

    def mutate(self, args):
        """Sometimes breaks the arity or changes the command's case."""
        if self.chance(0.03) and len(args) > 1:
            args = args[:-1]
        elif self.chance(0.02):
            args = args + [self.value()]
        if self.chance(0.1):
            args = [args[0].lower()] + args[1:]
        return args


def generate(seed, count):
    g = Gen(seed)
    names = [n for n, _ in Gen.WEIGHTS]
    weights = [w for _, w in Gen.WEIGHTS]
    out = []
    in_multi = False
    for _ in range(count):
        while True:
            args, check = getattr(g, g.r.choices(names, weights)[0])()
            # Inside MULTI a reply only arrives within EXEC's array, which is compared
            # exactly: commands that need a looser check are not drawn there.
            if not (in_multi and check is not EXACT):
                break
        args = g.mutate(args)
        out.append((args, check))
        name = args[0].upper()
        if name == b"MULTI" and len(args) == 1:
            in_multi = True
        elif name == b"EXEC" or (name == b"DISCARD" and len(args) == 1):
            in_multi = False  # EXEC with extra arguments aborts the transaction too
    return out
