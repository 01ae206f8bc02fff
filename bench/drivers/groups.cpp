// groups: N consumers of one consumer group drain a pre-filled stream, each looping
// XREADGROUP COUNT 10 and XACK of exactly what it read (the two sent together, the way a
// client acknowledges a batch and asks for the next one in one write).
//
// Reported: entries read and acknowledged per second, and server CPU per entry. The first
// tenth of the stream is a warm-up outside the window; the window closes when the last
// consumer finds nothing new. At the end every entry must have been acknowledged exactly once
// (XPENDING empty), or the scenario fails: a fast wrong answer is not a result.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "driver.h"

namespace rill::bench {

namespace {

constexpr std::string_view kKey = "bench:groups";
constexpr std::string_view kGroup = "g";
constexpr int kBatch = 1000;  // XADDs per write while pre-filling

void prefill(Conn& c, int64_t entries) {
  c.call({"DEL", kKey});
  for (int64_t done = 0; done < entries;) {
    const int64_t n = std::min<int64_t>(kBatch, entries - done);
    for (int64_t i = 0; i < n; ++i) c.append({"XADD", kKey, "*", "myfield", "xxx"});
    c.flush();
    for (int64_t i = 0; i < n; ++i) {
      Reply r = c.wait();
      if (r->type != REDIS_REPLY_STRING) fail("XADD while pre-filling did not return an ID");
    }
    done += n;
  }
}

struct Consumer {
  std::unique_ptr<Conn> conn;
  std::string name;
  bool done = false;
  int acks_pending = 0;
};

void read_next(Consumer& c) {
  c.conn->append({"XREADGROUP", "GROUP", kGroup, c.name, "COUNT", "10", "STREAMS", kKey, ">"});
}

// Handles one reply of `c`; returns how many entries it delivered (0 for an XACK reply).
int64_t on_reply(Consumer& c, const redisReply& r, int64_t* acked) {
  if (r.type == REDIS_REPLY_ERROR) fail("server error: " + std::string(r.str, r.len));
  if (r.type == REDIS_REPLY_INTEGER) {
    --c.acks_pending;
    *acked += r.integer;
    return 0;
  }
  if (r.type == REDIS_REPLY_NIL) {
    c.done = true;  // no BLOCK: nothing new means the stream is drained
    return 0;
  }
  // [[key, [[id, [field, value]], ...]]]
  if (r.type != REDIS_REPLY_ARRAY || r.elements != 1 || r.element[0]->elements != 2) {
    fail("unexpected XREADGROUP reply shape");
  }
  const redisReply& entries = *r.element[0]->element[1];
  if (entries.elements == 0) {
    c.done = true;
    return 0;
  }
  std::vector<std::string_view> ack{"XACK", kKey, kGroup};
  for (size_t i = 0; i < entries.elements; ++i) {
    const redisReply& id = *entries.element[i]->element[0];
    ack.emplace_back(id.str, id.len);
  }
  c.conn->append(ack);
  ++c.acks_pending;
  read_next(c);
  c.conn->flush();
  return static_cast<int64_t>(entries.elements);
}

}  // namespace

void run_groups(const Options& o) {
  Conn ctl(o.port);
  std::fprintf(stderr, "groups: pre-filling %lld entries\n", static_cast<long long>(o.entries));
  prefill(ctl, o.entries);
  expect_ok(ctl.call({"XGROUP", "CREATE", kKey, kGroup, "0"}), "XGROUP CREATE");

  std::vector<Consumer> consumers(static_cast<size_t>(o.consumers));
  std::vector<int> fds;
  for (size_t i = 0; i < consumers.size(); ++i) {
    consumers[i].conn = std::make_unique<Conn>(o.port);
    consumers[i].name = "c" + std::to_string(i);
    fds.push_back(consumers[i].conn->fd());
  }
  Window w(o.pid);
  const int64_t warm = o.entries / 10;
  int64_t read = 0, acked = 0, read_at_start = 0;
  bool started = false;
  for (Consumer& c : consumers) {
    read_next(c);
    c.conn->flush();
  }
  std::vector<int> ready;
  for (;;) {
    bool busy = false;
    for (const Consumer& c : consumers) busy |= !c.done || c.acks_pending > 0;
    if (!busy) break;
    wait_readable(fds, now_ns() + 10'000'000'000, &ready);
    if (ready.empty()) fail("no reply for 10 s");
    for (Consumer& c : consumers) {
      if (std::find(ready.begin(), ready.end(), c.conn->fd()) == ready.end()) continue;
      c.conn->read_some();
      while (Reply r = c.conn->take()) read += on_reply(c, *r, &acked);
    }
    if (!started && read >= warm) {
      w.start();
      read_at_start = read;
      started = true;
    }
  }
  w.stop();
  if (read != o.entries || acked != o.entries) {
    fail("read " + std::to_string(read) + " and acknowledged " + std::to_string(acked) +
         " of " + std::to_string(o.entries) + " entries");
  }
  Reply pending = ctl.call({"XPENDING", kKey, kGroup});
  if (pending->type != REDIS_REPLY_ARRAY || pending->elements < 1 ||
      pending->element[0]->integer != 0) {
    fail("entries left pending after the run");
  }
  ctl.call({"DEL", kKey});
  const int64_t measured = read - read_at_start;
  Json("groups")
      .add("consumers", static_cast<int64_t>(o.consumers))
      .add("entries", measured)
      .add(w)
      .add("entries_per_s", static_cast<double>(measured) / w.wall_s())
      .add("cpu_us_per_entry", w.server_cpu_s() / static_cast<double>(measured) * 1e6)
      .print();
}

}  // namespace rill::bench
