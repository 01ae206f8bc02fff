"""Lists and pub/sub as an application uses them through redis-py: a pool of workers blocked
in BRPOP shares a producer's jobs (each processed exactly once, in queue order), and one
publisher fans out to several subscribers, one of them by pattern, every subscriber seeing
every message in order until it unsubscribes.

Usage: lists_pubsub.py PORT    (prints "lists/pubsub ok"; exits non-zero at the first failed check)"""
from common import WAIT_SECONDS, Worker, connect, port_from_argv, start_watchdog, wait_blocked

WORKERS = ["w0", "w1", "w2", "w3"]
JOBS = 200
BATCH = 10  # jobs per LPUSH
SENTINEL = "stop"


def brpop_worker_pool(port):
    r = connect(port)
    queue, total = "py:queue", "py:processed"
    r.delete(queue, total)

    def work(name):
        c = connect(port, name="py-" + name)
        done = []
        while True:
            reply = c.brpop(queue, timeout=WAIT_SECONDS)
            assert reply is not None, "%s: BRPOP timed out" % name
            key, job = reply
            assert key == queue, key
            if job == SENTINEL:
                return done
            c.incrby(total, int(job))  # the work: a side effect the producer can check
            done.append(int(job))

    workers = [Worker(work, name) for name in WORKERS]
    for w in workers:
        w.start()
    wait_blocked(r, ["py-" + n for n in WORKERS], "brpop", workers)

    for batch in range(0, JOBS, BATCH):
        length = r.lpush(queue, *[str(i) for i in range(batch, batch + BATCH)])
        if batch == 0:
            # The reply is the length right after the push; the blocked workers are served
            # after the command, one job each.
            assert length == BATCH, length
    # LPUSH + BRPOP is a FIFO: the sentinels come out after every job, one per worker.
    r.lpush(queue, *[SENTINEL] * len(WORKERS))
    results = {name: w.join_checked() for name, w in zip(WORKERS, workers)}

    processed = [job for done in results.values() for job in done]
    assert len(processed) == JOBS, "%d jobs processed, %d pushed" % (len(processed), JOBS)
    assert set(processed) == set(range(JOBS)), set(range(JOBS)) ^ set(processed)
    for name, done in results.items():
        assert done, "%s was blocked when the first jobs came and got none" % name
        assert done == sorted(done), "%s took jobs out of queue order: %s" % (name, done)
    assert int(r.get(total)) == sum(range(JOBS))
    assert r.exists(queue) == 0
    print("worker pool: %s" % {n: len(d) for n, d in results.items()})


def next_message(ps):
    message = ps.get_message(timeout=WAIT_SECONDS)
    assert message is not None, "no message within %ds" % WAIT_SECONDS
    return message


def message(kind, channel, data, pattern=None):
    return {"type": kind, "pattern": pattern, "channel": channel, "data": data}


def pubsub_fan_out(port):
    r = connect(port)
    news, sports, pattern = "py:news", "py:sports", "py:n*"
    reader = connect(port).pubsub()       # news
    fan = connect(port).pubsub()          # news and sports
    watcher = connect(port).pubsub()      # everything matching py:n*
    reader.subscribe(news)
    fan.subscribe(news, sports)
    watcher.psubscribe(pattern)
    # The confirmations are the handshake: once read, the server has registered them.
    assert next_message(reader) == message("subscribe", news, 1)
    assert next_message(fan) == message("subscribe", news, 1)
    assert next_message(fan) == message("subscribe", sports, 2)
    assert next_message(watcher) == message("psubscribe", pattern, 1)
    assert r.pubsub_numsub(news, sports) == [(news, 2), (sports, 1)]
    assert r.pubsub_numpat() == 1
    assert sorted(r.pubsub_channels("py:*")) == [news, sports]

    want = {"reader": [], "fan": [], "watcher": []}
    for i in range(50):
        assert r.publish(news, "n%d" % i) == 3  # two subscribers and one pattern
        want["reader"].append(message("message", news, "n%d" % i))
        want["fan"].append(message("message", news, "n%d" % i))
        want["watcher"].append(message("pmessage", news, "n%d" % i, pattern))
        if i % 10 == 0:
            assert r.publish(sports, "s%d" % i) == 1  # the pattern does not match it
            want["fan"].append(message("message", sports, "s%d" % i))
    assert r.publish("py:weather", "nobody") == 0
    for name, ps in (("reader", reader), ("fan", fan), ("watcher", watcher)):
        got = [next_message(ps) for _ in want[name]]
        assert got == want[name], (name, got)

    # An unsubscribed channel stops arriving; the fan's next message is the sports marker.
    fan.unsubscribe(news)
    assert next_message(fan) == message("unsubscribe", news, 1)
    assert r.pubsub_numsub(news) == [(news, 1)]
    assert r.publish(news, "after") == 2
    assert r.publish(sports, "marker") == 1
    assert next_message(fan) == message("message", sports, "marker")
    assert next_message(reader) == message("message", news, "after")
    assert next_message(watcher) == message("pmessage", news, "after", pattern)

    watcher.punsubscribe(pattern)
    assert next_message(watcher) == message("punsubscribe", pattern, 0)
    assert r.pubsub_numpat() == 0
    assert r.publish(news, "last") == 1
    watcher.subscribe("py:marker")
    assert next_message(watcher) == message("subscribe", "py:marker", 1)
    assert r.publish("py:marker", "marker") == 1
    assert next_message(watcher) == message("message", "py:marker", "marker")
    assert next_message(reader) == message("message", news, "last")

    reader.unsubscribe()
    assert next_message(reader) == message("unsubscribe", news, 0)
    assert r.pubsub_numsub(news) == [(news, 0)]
    assert sorted(r.pubsub_channels("py:*")) == ["py:marker", sports]
    for ps in (reader, fan, watcher):
        ps.close()


if __name__ == "__main__":
    port = port_from_argv()
    start_watchdog()
    brpop_worker_pool(port)
    pubsub_fan_out(port)
    print("lists/pubsub ok")
