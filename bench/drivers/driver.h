// What every scenario of rill-bench-driver shares: a hiredis connection that a poll() loop
// can drive, the measuring window (server CPU from /proc/<pid>/stat as bench/run.sh reads it,
// the driver's own CPU, wall time), percentiles, and the one JSON line a scenario prints.
//
// The driver measures what redis-benchmark cannot express: consumer groups reading and
// acknowledging, the latency of a hand-off to a blocked client, and pub/sub fan-out. It runs
// against whatever server listens on --port, so bench/run.sh runs it on rill and on Redis.
#pragma once

#include <hiredis/hiredis.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rill::bench {

// Options shared by the scenarios; each reads the ones it needs.
struct Options {
  int port = 0;
  pid_t pid = 0;               // the server process, for its CPU time
  int consumers = 10;          // groups
  int subscribers = 10;        // fanout
  int64_t entries = 600000;    // groups: entries pre-filled and then consumed
  int rate = 2000;             // latency scenarios: messages per second
  double seconds = 4.0;        // measured time (latency, fanout)
  double warmup = 1.0;         // unmeasured time first (latency, fanout)
};

// Monotonic nanoseconds: the timestamps the latency scenarios embed in their payloads are
// read back on the same host, so one clock serves both ends.
inline int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Prints `why` to stderr and exits 1: a broken connection or a reply we did not expect ends
// the scenario, and run.sh shows the message in the table cell.
[[noreturn]] void fail(const std::string& why);

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

// One connection to the server. Commands are queued with append() and written by flush();
// replies come back by wait() (blocking) or, in a poll() loop, read_some() when the socket is
// readable and then take() until it returns null.
class Conn {
 public:
  explicit Conn(int port);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  int fd() const { return c_->fd; }
  void append(const std::vector<std::string_view>& argv);
  void append(std::initializer_list<std::string_view> argv) {
    append(std::vector<std::string_view>(argv));
  }
  void flush();
  void read_some();
  Reply take();
  Reply wait();
  Reply call(std::initializer_list<std::string_view> argv) {
    append(argv);
    return wait();
  }
  // Bytes read from the socket that the reader has not turned into replies yet.
  size_t buffered() const;

 private:
  redisContext* c_ = nullptr;
};

// Fails unless `r` is a status reply "OK" (or the integer/array the caller checks itself).
void expect_ok(const Reply& r, std::string_view what);

// Server CPU (utime + stime of every thread, /proc/<pid>/stat), in clock ticks.
int64_t server_cpu_ticks(pid_t pid);

// The measured window: start() and stop() around the work that counts.
class Window {
 public:
  explicit Window(pid_t pid) : pid_(pid) {}
  void start();
  void stop();
  double wall_s() const { return (wall1_ - wall0_) / 1e9; }
  double server_cpu_s() const;
  double client_cpu_s() const { return client1_ - client0_; }
  int64_t server_ticks() const { return ticks1_ - ticks0_; }

 private:
  pid_t pid_;
  int64_t wall0_ = 0, wall1_ = 0, ticks0_ = 0, ticks1_ = 0;
  double client0_ = 0, client1_ = 0;
};

// The q-quantile (0 < q <= 1, nearest rank) of `v`, which it sorts.
int64_t quantile(std::vector<int64_t>& v, double q);

// One result line: {"scenario": ..., key: value, ...} on stdout.
class Json {
 public:
  explicit Json(std::string_view scenario);
  Json& add(std::string_view key, double v);
  Json& add(std::string_view key, int64_t v);
  Json& add(std::string_view key, std::string_view v);
  // Also the window's wall time, server CPU and ticks, and the driver's own CPU.
  Json& add(const Window& w);
  void print() const;

 private:
  std::string s_;
};

// Blocks until the socket is readable or `deadline_ns` (now_ns() clock) passes; more than
// one socket: wait_readable(fds, deadline) fills `ready` with the readable ones.
void wait_readable(const std::vector<int>& fds, int64_t deadline_ns, std::vector<int>* ready);

// The scenarios (groups.cpp, hand_off.cpp, fanout.cpp). Each prints one JSON line.
void run_groups(const Options& o);
void run_stream_latency(const Options& o);
void run_brpop_latency(const Options& o);
void run_fanout(const Options& o);

// Latency scenarios share one loop: a publisher sending `publish(conn, timestamp)` at a fixed
// rate, a consumer whose replies `on_reply` turns into the timestamps it carried (and then
// re-arms the blocking read).
struct HandOff {
  std::string_view name;
  void (*setup)(Conn& ctl);
  void (*arm)(Conn& consumer);
  void (*publish)(Conn& publisher, std::string_view stamp);
  void (*on_reply)(Conn& consumer, const redisReply& r, std::vector<int64_t>* stamps);
};
void run_hand_off(const Options& o, const HandOff& h);

}  // namespace rill::bench
