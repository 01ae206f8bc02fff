// stream-latency and brpop-latency: how long a message takes from the producer's write to
// a consumer that is already blocked waiting for it.
//
// One connection publishes at a fixed rate (--rate per second, on a fixed schedule), each
// message carrying the steady_clock time it was sent; another is parked in XREADGROUP
// BLOCK 0 (or BRPOP 0) and, on each reply, notes the arrival time, subtracts the stamps it
// carries and blocks again. Both ends live in this one thread on one host, so there is one
// clock. Messages sent during the warm-up, or still in flight when the window closes, are
// not counted. Reported: p50, p99 and max latency in microseconds.
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

#include "driver.h"

namespace rill::bench {

namespace {

constexpr std::string_view kStream = "bench:latency";
constexpr std::string_view kList = "bench:brpop";

int64_t parse_stamp(const redisReply& r) {
  int64_t v = 0;
  if (r.type != REDIS_REPLY_STRING ||
      std::from_chars(r.str, r.str + r.len, v).ec != std::errc()) {
    fail("a delivered message does not carry a timestamp");
  }
  return v;
}

// XREADGROUP over a group created at "$": only what is added from now on.
const HandOff kStreamHandOff{
    "stream-latency",
    [](Conn& ctl) {
      ctl.call({"DEL", kStream});
      expect_ok(ctl.call({"XGROUP", "CREATE", kStream, "g", "$", "MKSTREAM"}), "XGROUP CREATE");
    },
    [](Conn& c) {
      c.append({"XREADGROUP", "GROUP", "g", "c", "COUNT", "100", "BLOCK", "0", "STREAMS", kStream,
                ">"});
    },
    [](Conn& p, std::string_view stamp) { p.append({"XADD", kStream, "*", "t", stamp}); },
    [](Conn& c, const redisReply& r, std::vector<int64_t>* stamps) {
      // [[key, [[id, ["t", stamp]], ...]]]
      if (r.type != REDIS_REPLY_ARRAY || r.elements != 1) fail("unexpected XREADGROUP reply");
      const redisReply& entries = *r.element[0]->element[1];
      std::vector<std::string_view> ack{"XACK", kStream, "g"};
      for (size_t i = 0; i < entries.elements; ++i) {
        const redisReply& e = *entries.element[i];
        ack.emplace_back(e.element[0]->str, e.element[0]->len);
        stamps->push_back(parse_stamp(*e.element[1]->element[1]));
      }
      c.append(ack);
      c.append({"XREADGROUP", "GROUP", "g", "c", "COUNT", "100", "BLOCK", "0", "STREAMS", kStream,
                ">"});
    },
};

const HandOff kBrpopHandOff{
    "brpop-latency",
    [](Conn& ctl) { ctl.call({"DEL", kList}); },
    [](Conn& c) { c.append({"BRPOP", kList, "0"}); },
    [](Conn& p, std::string_view stamp) { p.append({"LPUSH", kList, stamp}); },
    [](Conn& c, const redisReply& r, std::vector<int64_t>* stamps) {
      if (r.type != REDIS_REPLY_ARRAY || r.elements != 2) fail("unexpected BRPOP reply");
      stamps->push_back(parse_stamp(*r.element[1]));
      c.append({"BRPOP", kList, "0"});
    },
};

}  // namespace

void run_hand_off(const Options& o, const HandOff& h) {
  Conn ctl(o.port), consumer(o.port), publisher(o.port);
  h.setup(ctl);
  h.arm(consumer);
  consumer.flush();
  const int64_t interval = 1'000'000'000 / o.rate;
  const int64_t t0 = now_ns() + 100'000'000;  // let the consumer block first
  const int64_t measure_from = t0 + static_cast<int64_t>(o.warmup * 1e9);
  const int64_t end = measure_from + static_cast<int64_t>(o.seconds * 1e9);
  std::vector<int64_t> latencies, stamps;
  latencies.reserve(static_cast<size_t>(o.rate * (o.seconds + 1)));
  const std::vector<int> fds{consumer.fd(), publisher.fd()};
  std::vector<int> ready;
  Window w(o.pid);
  bool started = false;
  int64_t next = t0, sent = 0;
  char buf[24];
  for (;;) {
    int64_t now = now_ns();
    if (!started && now >= measure_from) {
      w.start();
      started = true;
    }
    if (now >= end) break;
    if (now >= next) {
      // On schedule, whatever happened to earlier messages: a late send is caught up at once
      // rather than shifting every later one.
      const int64_t stamp = now_ns();
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, stamp);
      h.publish(publisher, std::string_view(buf, static_cast<size_t>(p - buf)));
      publisher.flush();
      ++sent;
      next += interval;
      continue;
    }
    wait_readable(fds, std::min(next, end), &ready);
    for (int fd : ready) {
      if (fd == consumer.fd()) {
        consumer.read_some();
        const int64_t arrived = now_ns();
        while (Reply r = consumer.take()) {
          if (r->type == REDIS_REPLY_ERROR) fail("consumer: " + std::string(r->str, r->len));
          if (r->type == REDIS_REPLY_INTEGER) continue;  // an XACK
          stamps.clear();
          h.on_reply(consumer, *r, &stamps);
          for (int64_t s : stamps) {
            if (s >= measure_from) latencies.push_back(arrived - s);
          }
        }
        consumer.flush();
      } else {
        publisher.read_some();
        while (Reply r = publisher.take()) {
          if (r->type == REDIS_REPLY_ERROR) fail("publisher: " + std::string(r->str, r->len));
        }
      }
    }
  }
  w.stop();
  if (latencies.size() < static_cast<size_t>(o.rate * o.seconds * 0.9)) {
    fail("only " + std::to_string(latencies.size()) + " of about " +
         std::to_string(static_cast<int64_t>(o.rate * o.seconds)) + " messages arrived");
  }
  const auto measured = static_cast<int64_t>(latencies.size());
  const int64_t p50 = quantile(latencies, 0.50);
  const int64_t p99 = quantile(latencies, 0.99);
  const int64_t max = latencies.back();
  ctl.call({"DEL", h.name == "brpop-latency" ? kList : kStream});
  Json(h.name)
      .add("rate", static_cast<int64_t>(o.rate))
      .add("sent", sent)
      .add("messages", measured)
      .add(w)
      .add("p50_us", static_cast<double>(p50) / 1e3)
      .add("p99_us", static_cast<double>(p99) / 1e3)
      .add("max_us", static_cast<double>(max) / 1e3)
      .add("cpu_us_per_message", w.server_cpu_s() / static_cast<double>(measured) * 1e6)
      .print();
}

void run_stream_latency(const Options& o) { run_hand_off(o, kStreamHandOff); }
void run_brpop_latency(const Options& o) { run_hand_off(o, kBrpopHandOff); }

}  // namespace rill::bench
