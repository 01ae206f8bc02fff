// fanout: one publisher, --subscribers connections subscribed to one channel; messages
// delivered per second (summed over subscribers) and server CPU per delivered message.
//
// The publisher keeps at most kInFlight PUBLISH commands unanswered and stays at most
// kAhead messages ahead of the slowest subscriber, so the server's output buffers stay
// small (Redis would drop a pub/sub client whose buffer passed its limit) and the figure is
// a sustained rate, not a burst into memory.
//
// Every message is the same bytes (fixed channel, fixed payload), so a subscriber's
// messages are counted from the bytes it read, each read checked against the expected
// bytes at its offset: parsing replies one by one would make this single-threaded driver,
// not the server, the bottleneck at 100 subscribers.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "driver.h"

namespace rill::bench {

namespace {

constexpr std::string_view kChannel = "bench:fanout";
constexpr std::string_view kPayload = "xxx";  // redis-benchmark's default 3-byte value
constexpr int kInFlight = 64;
constexpr int64_t kAhead = 512;

struct Subscriber {
  std::unique_ptr<Conn> conn;
  uint64_t bytes = 0;  // message bytes read since the publishing began
};

// The RESP2 push every subscriber receives for each message.
std::string message_bytes() {
  auto bulk = [](std::string_view s) {
    return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
  };
  return "*3\r\n" + bulk("message") + bulk(kChannel) + bulk(kPayload);
}

// Reads what `s` holds and checks it against the repeating message bytes.
void read_messages(Subscriber& s, const std::string& msg) {
  char buf[65536];
  const ssize_t n = ::read(s.conn->fd(), buf, sizeof buf);
  if (n == 0) fail("a subscriber was disconnected");
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN) return;
    fail("read: " + std::string(std::strerror(errno)));
  }
  size_t at = static_cast<size_t>(s.bytes % msg.size());
  for (size_t done = 0; done < static_cast<size_t>(n);) {
    const size_t piece = std::min(msg.size() - at, static_cast<size_t>(n) - done);
    if (std::memcmp(buf + done, msg.data() + at, piece) != 0) {
      fail("a subscriber received something other than the published message");
    }
    done += piece;
    at = 0;
  }
  s.bytes += static_cast<uint64_t>(n);
}

}  // namespace

void run_fanout(const Options& o) {
  const std::string msg = message_bytes();
  std::vector<Subscriber> subs(static_cast<size_t>(o.subscribers));
  for (Subscriber& s : subs) {
    s.conn = std::make_unique<Conn>(o.port);
    Reply r = s.conn->call({"SUBSCRIBE", kChannel});
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3) fail("SUBSCRIBE was not confirmed");
    // From here on the subscriber's socket is read raw; nothing may be left in hiredis.
    if (s.conn->buffered() != 0) fail("bytes after the SUBSCRIBE confirmation");
  }
  Conn publisher(o.port);
  std::vector<int> fds{publisher.fd()};
  std::vector<Subscriber*> by_fd;
  for (Subscriber& s : subs) {
    fds.push_back(s.conn->fd());
    by_fd.resize(std::max(by_fd.size(), static_cast<size_t>(s.conn->fd()) + 1));
    by_fd[static_cast<size_t>(s.conn->fd())] = &s;
  }

  const int64_t t0 = now_ns();
  const int64_t measure_from = t0 + static_cast<int64_t>(o.warmup * 1e9);
  const int64_t end = measure_from + static_cast<int64_t>(o.seconds * 1e9);
  const auto receivers = static_cast<int64_t>(subs.size());
  Window w(o.pid);
  bool started = false;
  int64_t published = 0, in_flight = 0, slowest = 0;
  uint64_t delivered_bytes = 0, bytes_at_start = 0;
  std::vector<int> ready;
  for (;;) {
    const int64_t now = now_ns();
    if (!started && now >= measure_from) {
      w.start();
      bytes_at_start = delivered_bytes;
      started = true;
    }
    if (now >= end) break;
    if (published - slowest >= kAhead) {
      uint64_t least = subs[0].bytes;
      for (const Subscriber& s : subs) least = std::min(least, s.bytes);
      slowest = static_cast<int64_t>(least / msg.size());
    }
    bool wrote = false;
    while (in_flight < kInFlight && published - slowest < kAhead) {
      publisher.append({"PUBLISH", kChannel, kPayload});
      ++published;
      ++in_flight;
      wrote = true;
    }
    if (wrote) publisher.flush();
    wait_readable(fds, started ? end : measure_from, &ready);
    for (int fd : ready) {
      if (fd == publisher.fd()) {
        publisher.read_some();
        while (Reply r = publisher.take()) {
          if (r->type != REDIS_REPLY_INTEGER || r->integer != receivers) {
            fail("PUBLISH did not reach every subscriber");
          }
          --in_flight;
        }
        continue;
      }
      Subscriber& s = *by_fd[static_cast<size_t>(fd)];
      const uint64_t before = s.bytes;
      read_messages(s, msg);
      delivered_bytes += s.bytes - before;
    }
  }
  w.stop();
  const auto delivered = static_cast<int64_t>((delivered_bytes - bytes_at_start) / msg.size());
  Json("fanout")
      .add("subscribers", receivers)
      .add("delivered", delivered)
      .add(w)
      .add("deliveries_per_s", static_cast<double>(delivered) / w.wall_s())
      .add("messages_per_s", static_cast<double>(delivered) / w.wall_s() / receivers)
      .add("cpu_us_per_delivery", w.server_cpu_s() / static_cast<double>(delivered) * 1e6)
      .print();
}

}  // namespace rill::bench
