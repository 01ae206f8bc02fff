"""How two replies are compared: raw bytes unless a directive says what may differ."""

from . import resp


def agree(mods, ref, got):
    """True if reply `got` (rill) matches `ref` (Redis) under the step's directives."""
    if "ignore-reply" in mods:
        return True
    if "range" in mods:
        lo, hi = (int(x) for x in mods["range"])
        return all(r.integer() is not None and lo <= r.integer() <= hi for r in (ref, got))
    if "shape" in mods:
        return resp.shape(ref) == resp.shape(got)
    if "sorted" in mods:
        return resp.canonical_unordered(ref) == resp.canonical_unordered(got)
    if "ignore-field" in mods:
        name = mods["ignore-field"][0]
        return resp.masked_field(ref, name) == resp.masked_field(got, name)
    return ref.raw == got.raw


def near(ref, got, tolerance):
    """Integers equal, or both non-negative and within `tolerance` of each other: a TTL
    read from two servers a few microseconds apart may round to neighbouring values."""
    a, b = ref.integer(), got.integer()
    if a is None or b is None:
        return ref.raw == got.raw
    if a == b:
        return True
    return a >= 0 and b >= 0 and abs(a - b) <= tolerance


def show(data, limit=300):
    """Printable form of raw bytes, cut to `limit` characters."""
    text = repr(bytes(data))[2:-1]
    return text if len(text) <= limit else text[:limit] + "...(%d bytes)" % len(data)
