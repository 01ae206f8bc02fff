"""Streams as an application uses them through redis-py: three competing consumers in one
group share a producer's entries (each processed exactly once), a crashed consumer's
unacknowledged entries are taken over with XAUTOCLAIM, and blocked readers (XREAD and
XREADGROUP with BLOCK) are woken by an XADD from another connection.

Usage: streams.py PORT    (prints "streams ok"; exits non-zero at the first failed check)"""
import threading
import time

from common import WAIT_SECONDS, Worker, connect, port_from_argv, start_watchdog, wait_blocked

JOBS = 300
BATCH = 50  # XADDs per pipeline
WAIT_MS = WAIT_SECONDS * 1000
CONSUMERS = ["c0", "c1", "c2"]
STOP = "stop"


def competing_consumers(port):
    r = connect(port)
    key, group = "py:jobs", "workers"
    r.delete(key)
    assert r.xgroup_create(key, group, id="$", mkstream=True) is True
    stopped = threading.Semaphore(0)

    def consume(name):
        c = connect(port, name="py-" + name)
        seen = []
        while True:
            reply = c.xreadgroup(group, name, {key: ">"}, count=10, block=WAIT_MS)
            assert reply, "%s: XREADGROUP timed out" % name
            [[stream, entries]] = reply
            assert stream == key, stream
            for entry_id, fields in entries:
                assert c.xack(key, group, entry_id) == 1, entry_id
                if fields.get("kind") == STOP:
                    stopped.release()
                    return seen
                seen.append((entry_id, fields))

    workers = [Worker(consume, name) for name in CONSUMERS]
    for w in workers:
        w.start()
    wait_blocked(r, ["py-" + n for n in CONSUMERS], "xreadgroup", workers)

    produced = {}  # entry ID -> job number
    for batch in range(0, JOBS, BATCH):
        numbers = [str(i) for i in range(batch, min(batch + BATCH, JOBS))]
        with r.pipeline(transaction=False) as p:
            for n in numbers:
                p.xadd(key, {"kind": "job", "n": n})
            produced.update(zip(p.execute(), numbers))
    assert len(produced) == JOBS
    # One stop entry at a time, each taken by exactly one consumer: the next goes out only
    # once a consumer has left, so no consumer can take two and leave another waiting.
    last_id = None
    for _ in CONSUMERS:
        last_id = r.xadd(key, {"kind": STOP})
        if not stopped.acquire(timeout=WAIT_SECONDS):
            for w in workers:
                if w.error is not None:
                    raise w.error
            raise AssertionError("no consumer took the stop entry")
    results = {name: w.join_checked() for name, w in zip(CONSUMERS, workers)}

    delivered = [entry_id for seen in results.values() for entry_id, _ in seen]
    assert len(delivered) == JOBS, "%d deliveries for %d jobs" % (len(delivered), JOBS)
    assert set(delivered) == set(produced), set(produced) ^ set(delivered)
    for name, seen in results.items():
        ids = [entry_id for entry_id, _ in seen]
        assert ids == sorted(ids, key=stream_id_key), "%s got entries out of order" % name
        for entry_id, fields in seen:
            assert fields == {"kind": "job", "n": produced[entry_id]}, (entry_id, fields)

    assert r.xpending(key, group) == {"pending": 0, "min": None, "max": None, "consumers": []}
    [info] = r.xinfo_groups(key)
    assert info["name"] == group and info["consumers"] == 3 and info["pending"] == 0, info
    assert info["last-delivered-id"] == last_id, (info, last_id)
    assert info["entries-read"] == JOBS + len(CONSUMERS) and info["lag"] == 0, info
    consumers = r.xinfo_consumers(key, group)
    assert sorted(c["name"] for c in consumers) == CONSUMERS, consumers
    assert all(c["pending"] == 0 for c in consumers), consumers
    print("competing consumers: %s" % {n: len(s) for n, s in results.items()})


def crashed_consumer_is_taken_over(port):
    r = connect(port)
    key, group = "py:orders", "billing"
    r.delete(key)
    assert r.xgroup_create(key, group, id="0", mkstream=True) is True
    ids = [r.xadd(key, {"order": str(i)}) for i in range(10)]

    crasher = connect(port, name="py-crasher")
    [[_, taken]] = crasher.xreadgroup(group, "crasher", {key: ">"}, count=4)
    assert [entry_id for entry_id, _ in taken] == ids[:4], taken
    crasher.close()  # gone without acknowledging anything

    healthy = connect(port, name="py-healthy")
    [[_, rest]] = healthy.xreadgroup(group, "healthy", {key: ">"}, count=100)
    assert [entry_id for entry_id, _ in rest] == ids[4:], rest
    assert healthy.xack(key, group, *ids[4:]) == 6

    summary = r.xpending(key, group)
    assert summary == {"pending": 4, "min": ids[0], "max": ids[3],
                       "consumers": [{"name": "crasher", "pending": 4}]}, summary
    detail = r.xpending_range(key, group, "-", "+", 10)
    assert [(d["message_id"], d["consumer"], d["times_delivered"]) for d in detail] == \
        [(i, "crasher", 1) for i in ids[:4]], detail

    # Entries idle for less than a minute are left where they are.
    assert r.xautoclaim(key, group, "rescuer", 60000, "0-0") == ["0-0", [], []]

    # The producer cancels one pending order; XAUTOCLAIM reports it and drops it from the PEL.
    assert r.xdel(key, ids[1]) == 1
    time.sleep(0.15)  # the entries must have been idle for 100 ms: time has to pass

    rescuer = connect(port, name="py-rescuer")
    # COUNT bounds the entries examined, the deleted one included: this page claims one.
    cursor, claimed, deleted = rescuer.xautoclaim(key, group, "rescuer", 100, "0-0", count=2)
    assert (cursor, claimed, deleted) == (ids[2], [(ids[0], {"order": "0"})], [ids[1]]), \
        (cursor, claimed, deleted)
    cursor, claimed, deleted = rescuer.xautoclaim(key, group, "rescuer", 100, cursor, count=2)
    assert (cursor, claimed, deleted) == \
        ("0-0", [(ids[2], {"order": "2"}), (ids[3], {"order": "3"})], []), \
        (cursor, claimed, deleted)

    detail = r.xpending_range(key, group, "-", "+", 10)
    assert [(d["message_id"], d["consumer"], d["times_delivered"]) for d in detail] == \
        [(ids[0], "rescuer", 2), (ids[2], "rescuer", 2), (ids[3], "rescuer", 2)], detail
    assert rescuer.xack(key, group, ids[0], ids[2], ids[3]) == 3
    assert r.xpending(key, group)["pending"] == 0
    pending = {c["name"]: c["pending"] for c in r.xinfo_consumers(key, group)}
    assert pending == {"crasher": 0, "healthy": 0, "rescuer": 0}, pending


def blocked_readers_are_woken(port):
    r = connect(port)
    key = "py:events"
    r.delete(key)

    # A reader with nothing to read gets a nil reply once its timeout passes.
    start = time.monotonic()
    assert r.xread({key: "$"}, block=100) == []
    assert time.monotonic() - start >= 0.09

    reader = Worker(lambda: connect(port, name="py-reader").xread({key: "$"}, block=WAIT_MS))
    reader.start()
    wait_blocked(r, ["py-reader"], "xread", [reader])
    entry_id = r.xadd(key, {"kind": "woken"})
    assert reader.join_checked() == [[key, [(entry_id, {"kind": "woken"})]]]

    assert r.xgroup_create(key, "audit", id="$") is True
    auditor = connect(port, name="py-auditor")
    waiter = Worker(lambda: auditor.xreadgroup("audit", "auditor", {key: ">"}, count=1,
                                               block=WAIT_MS))
    waiter.start()
    wait_blocked(r, ["py-auditor"], "xreadgroup", [waiter])
    entry_id = r.xadd(key, {"kind": "audited"})
    assert waiter.join_checked() == [[key, [(entry_id, {"kind": "audited"})]]]
    assert r.xpending(key, "audit") == {"pending": 1, "min": entry_id, "max": entry_id,
                                        "consumers": [{"name": "auditor", "pending": 1}]}
    assert auditor.xack(key, "audit", entry_id) == 1


def stream_id_key(entry_id):
    ms, seq = entry_id.split("-")
    return int(ms), int(seq)


if __name__ == "__main__":
    port = port_from_argv()
    start_watchdog()
    competing_consumers(port)
    crashed_consumer_is_taken_over(port)
    blocked_readers_are_woken(port)
    print("streams ok")
