// rill-bench-driver: the shared pieces (connection, measuring window, JSON line) and main().
//
//   rill-bench-driver SCENARIO --port P --pid PID [--consumers N] [--subscribers N]
//                     [--entries N] [--rate N] [--seconds S] [--warmup S]
//
// SCENARIO is groups, stream-latency, brpop-latency or fanout (see bench/README.md). The
// result is one JSON line on stdout; progress and errors go to stderr. Nothing is random:
// payloads, names and the publishing schedule are fixed, so two runs send the same bytes.
#include "driver.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rill::bench {

void fail(const std::string& why) {
  std::fprintf(stderr, "rill-bench-driver: %s\n", why.c_str());
  std::exit(1);
}

Conn::Conn(int port) {
  c_ = redisConnectWithTimeout("127.0.0.1", port, timeval{5, 0});
  if (c_ == nullptr || c_->err) {
    fail("cannot connect to port " + std::to_string(port) + ": " +
         (c_ ? c_->errstr : "out of memory"));
  }
  // Every command is written whole by flush(); Nagle would only add delay to the latency
  // scenarios.
  int one = 1;
  setsockopt(c_->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // A reply that takes longer than this is a hung server, not a slow one.
  redisSetTimeout(c_, timeval{30, 0});
}

Conn::~Conn() { redisFree(c_); }

void Conn::append(const std::vector<std::string_view>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  ptrs.reserve(argv.size());
  lens.reserve(argv.size());
  for (auto a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  if (redisAppendCommandArgv(c_, static_cast<int>(argv.size()), ptrs.data(), lens.data()) !=
      REDIS_OK) {
    fail("cannot queue a command: " + std::string(c_->errstr));
  }
}

void Conn::flush() {
  int done = 0;
  while (!done) {
    if (redisBufferWrite(c_, &done) != REDIS_OK) fail("write failed: " + std::string(c_->errstr));
  }
}

void Conn::read_some() {
  if (redisBufferRead(c_) != REDIS_OK) fail("read failed: " + std::string(c_->errstr));
}

Reply Conn::take() {
  void* r = nullptr;
  if (redisGetReplyFromReader(c_, &r) != REDIS_OK) {
    fail("bad reply stream: " + std::string(c_->errstr));
  }
  return Reply(static_cast<redisReply*>(r));
}

Reply Conn::wait() {
  void* r = nullptr;
  if (redisGetReply(c_, &r) != REDIS_OK) fail("no reply: " + std::string(c_->errstr));
  return Reply(static_cast<redisReply*>(r));
}

size_t Conn::buffered() const { return c_->reader->len - c_->reader->pos; }

void expect_ok(const Reply& r, std::string_view what) {
  if (r->type == REDIS_REPLY_STATUS && std::string_view(r->str, r->len) == "OK") return;
  if (r->type == REDIS_REPLY_ERROR) fail(std::string(what) + ": " + std::string(r->str, r->len));
  fail(std::string(what) + ": unexpected reply type " + std::to_string(r->type));
}

int64_t server_cpu_ticks(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(f, line)) fail("cannot read /proc/" + std::to_string(pid) + "/stat");
  // Field 2 (the name) may hold spaces: count from the last ')'. utime and stime are the
  // 12th and 13th fields after it.
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  int64_t utime = 0, stime = 0;
  for (int i = 1; i <= 13 && rest >> field; ++i) {
    if (i == 12) utime = std::stoll(field);
    if (i == 13) stime = std::stoll(field);
  }
  return utime + stime;
}

namespace {

double own_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

void Window::start() {
  ticks0_ = server_cpu_ticks(pid_);
  client0_ = own_cpu_s();
  wall0_ = now_ns();
}

void Window::stop() {
  wall1_ = now_ns();
  ticks1_ = server_cpu_ticks(pid_);
  client1_ = own_cpu_s();
}

double Window::server_cpu_s() const {
  return static_cast<double>(server_ticks()) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int64_t quantile(std::vector<int64_t>& v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

Json::Json(std::string_view scenario) { s_ = "{\"scenario\": \"" + std::string(scenario) + "\""; }

Json& Json::add(std::string_view key, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  s_ += ", \"" + std::string(key) + "\": " + buf;
  return *this;
}

Json& Json::add(std::string_view key, int64_t v) {
  s_ += ", \"" + std::string(key) + "\": " + std::to_string(v);
  return *this;
}

Json& Json::add(std::string_view key, std::string_view v) {
  s_ += ", \"" + std::string(key) + "\": \"" + std::string(v) + "\"";
  return *this;
}

Json& Json::add(const Window& w) {
  return add("wall_s", w.wall_s())
      .add("server_cpu_s", w.server_cpu_s())
      .add("server_ticks", w.server_ticks())
      .add("client_cpu_s", w.client_cpu_s());
}

void Json::print() const {
  std::printf("%s}\n", s_.c_str());
  std::fflush(stdout);
}

void wait_readable(const std::vector<int>& fds, int64_t deadline_ns, std::vector<int>* ready) {
  ready->clear();
  std::vector<pollfd> p(fds.size());
  for (size_t i = 0; i < fds.size(); ++i) p[i] = {fds[i], POLLIN, 0};
  const int64_t left = std::max<int64_t>(0, deadline_ns - now_ns());
  // ppoll, not poll: the latency scenarios wake every 500 µs, below poll's millisecond.
  timespec ts{static_cast<time_t>(left / 1000000000), static_cast<long>(left % 1000000000)};
  int n = ppoll(p.data(), p.size(), &ts, nullptr);
  if (n < 0) {
    if (errno == EINTR) return;
    fail("ppoll: " + std::string(std::strerror(errno)));
  }
  for (const pollfd& q : p) {
    if (q.revents & (POLLIN | POLLHUP | POLLERR)) ready->push_back(q.fd);
  }
}

}  // namespace rill::bench

namespace {

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: rill-bench-driver groups|stream-latency|brpop-latency|fanout --port P "
               "--pid PID\n"
               "       [--consumers N] [--subscribers N] [--entries N] [--rate N]\n"
               "       [--seconds S] [--warmup S]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rill::bench;
  if (argc < 2) usage();
  const std::string scenario = argv[1];
  Options o;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* v = argv[i + 1];
    if (flag == "--port") {
      o.port = std::atoi(v);
    } else if (flag == "--pid") {
      o.pid = static_cast<pid_t>(std::atoi(v));
    } else if (flag == "--consumers") {
      o.consumers = std::atoi(v);
    } else if (flag == "--subscribers") {
      o.subscribers = std::atoi(v);
    } else if (flag == "--entries") {
      o.entries = std::atoll(v);
    } else if (flag == "--rate") {
      o.rate = std::atoi(v);
    } else if (flag == "--seconds") {
      o.seconds = std::atof(v);
    } else if (flag == "--warmup") {
      o.warmup = std::atof(v);
    } else {
      usage();
    }
  }
  if ((argc - 2) % 2 != 0 || o.port <= 0 || o.pid <= 0 || o.consumers < 1 ||
      o.subscribers < 1 || o.entries < 1 || o.rate < 1 || o.seconds <= 0 || o.warmup < 0) {
    usage();
  }
  if (scenario == "groups") {
    run_groups(o);
  } else if (scenario == "stream-latency") {
    run_stream_latency(o);
  } else if (scenario == "brpop-latency") {
    run_brpop_latency(o);
  } else if (scenario == "fanout") {
    run_fanout(o);
  } else {
    usage();
  }
  return 0;
}
