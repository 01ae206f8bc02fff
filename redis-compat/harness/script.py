"""Scripts: one command per line in redis-cli's inline syntax, `#` comments, and `@`
directives that say, next to the command they concern, what may legitimately differ.

The full list of directives, with the reason each exists, is in redis-compat/README.md.
A directive that is not in DIRECTIVES below is an error, so the list stays explicit.
"""

import os

# Directives that modify the next command (they stack: `@resp3-only` then `@shape`).
MODIFIERS = {
    "ignore-reply": 0,   # read the reply on both sides, compare nothing
    "shape": 0,          # compare only the RESP type structure
    "sorted": 0,         # compare arrays, sets and maps as multisets
    "ignore-field": 1,   # compare a map exactly except the value under this key
    "range": 2,          # both replies are integers within [lo, hi]
    "resp2-only": 0,     # run the command only in the RESP2 pass
    "resp3-only": 0,     # run the command only in the RESP3 pass
    "no-reply": 0,       # the command gets no reply (CLIENT REPLY OFF/SKIP)
}
# Directives that are steps of their own.
ACTIONS = {
    "sleep": 1,          # pause this many milliseconds (expiry tests)
    "client": 1,         # switch to another connection (created on first use)
    "raw": 1,            # send these bytes as they are, collect all that comes back
}
DIRECTIVES = set(MODIFIERS) | set(ACTIONS)


class ScriptError(Exception):
    pass


class Step:
    """A line of a script: kind is 'command', 'raw', 'sleep' or 'client'."""

    __slots__ = ("kind", "line", "text", "args", "mods")

    def __init__(self, kind, line, text, args, mods=None):
        self.kind = kind
        self.line = line
        self.text = text
        self.args = args
        self.mods = mods or {}

    def runs_in(self, proto):
        if "resp2-only" in self.mods and proto != 2:
            return False
        if "resp3-only" in self.mods and proto != 3:
            return False
        return True


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "a": "\a"}


def split_args(line):
    """Splits a line as redis-cli does: double quotes understand \\xHH and \\n \\r \\t \\b
    \\a, single quotes only \\'; a closing quote must end the argument. Returns a list of
    bytes (the line is latin-1 text, so every byte round-trips)."""
    args = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in " \t\r\n":
            i += 1
        if i >= n:
            return args
        cur = []
        in_dq = in_sq = False
        while True:
            if in_dq:
                if i >= n:
                    raise ScriptError("unbalanced double quote")
                c = line[i]
                if c == "\\" and i + 3 < n and line[i + 1] == "x" and _is_hex(line[i + 2:i + 4]):
                    cur.append(chr(int(line[i + 2:i + 4], 16)))
                    i += 3
                elif c == "\\" and i + 1 < n:
                    i += 1
                    cur.append(_ESCAPES.get(line[i], line[i]))
                elif c == '"':
                    if i + 1 < n and line[i + 1] not in " \t\r\n":
                        raise ScriptError("closing quote must be followed by a space")
                    i += 1
                    break
                else:
                    cur.append(c)
            elif in_sq:
                if i >= n:
                    raise ScriptError("unbalanced single quote")
                c = line[i]
                if c == "\\" and i + 1 < n and line[i + 1] == "'":
                    i += 1
                    cur.append("'")
                elif c == "'":
                    if i + 1 < n and line[i + 1] not in " \t\r\n":
                        raise ScriptError("closing quote must be followed by a space")
                    i += 1
                    break
                else:
                    cur.append(c)
            else:
                if i >= n or line[i] in " \t\r\n":
                    break
                c = line[i]
                if c == '"':
                    in_dq = True
                elif c == "'":
                    in_sq = True
                else:
                    cur.append(c)
            i += 1
        args.append("".join(cur).encode("latin-1"))


def _is_hex(s):
    return len(s) == 2 and all(c in "0123456789abcdefABCDEF" for c in s)


def parse_script(text, name="<script>"):
    """Turns a script's text into Steps; raises ScriptError naming the line."""
    steps = []
    mods = {}
    for number, raw_line in enumerate(text.split("\n"), 1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            if line.startswith("@"):
                word, _, rest = line[1:].partition(" ")
                if word not in DIRECTIVES:
                    raise ScriptError("unknown directive @%s" % word)
                params = split_args(rest)
                want = MODIFIERS.get(word, ACTIONS.get(word))
                if len(params) != want:
                    raise ScriptError("@%s takes %d argument(s)" % (word, want))
                if word in MODIFIERS:
                    mods[word] = params
                    continue
                if word == "sleep":
                    steps.append(Step("sleep", number, line, int(params[0]), mods))
                elif word == "client":
                    steps.append(Step("client", number, line, params[0].decode("latin-1"), mods))
                else:
                    steps.append(Step("raw", number, line, params[0], mods))
                mods = {}
                continue
            args = split_args(line)
            if args:
                steps.append(Step("command", number, line, args, mods))
                mods = {}
        except ScriptError as e:
            raise ScriptError("%s:%d: %s" % (name, number, e))
        except ValueError as e:
            raise ScriptError("%s:%d: %s" % (name, number, e))
    if mods:
        raise ScriptError("%s: directives at the end with no command after them" % name)
    return steps


def load_script(path):
    with open(path, "rb") as f:
        text = f.read().decode("latin-1")
    return parse_script(text, os.path.basename(path))
