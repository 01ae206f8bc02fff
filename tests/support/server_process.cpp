#include "support/server_process.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace rill::test {

namespace {

// The integration tests are built with the path of the rill-server target; the unit tests
// link this file too but never start a server.
#ifdef RILL_SERVER_PATH
constexpr const char* kServerPath = RILL_SERVER_PATH;
#else
constexpr const char* kServerPath = "";
#endif

constexpr int kStartAttempts = 3;  // a new port each time, in case another process took ours
constexpr auto kStartTimeout = 10s;
constexpr auto kStopTimeout = 5s;

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

}  // namespace

HiredisReply command(redisContext* c, const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  return HiredisReply(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), ptrs.data(), lens.data())));
}

std::string resp_command(std::initializer_list<std::string_view> words) {
  std::string out = "*" + std::to_string(words.size()) + "\r\n";
  for (std::string_view w : words) {
    out += "$" + std::to_string(w.size()) + "\r\n";
    out += w;
    out += "\r\n";
  }
  return out;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (fd >= 0) ::close(fd);
  return port;
}

// ---- RawConnection ----

RawConnection::RawConnection(RawConnection&& o) noexcept { *this = std::move(o); }

RawConnection& RawConnection::operator=(RawConnection&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    eof_ = o.eof_;
    pending_ = std::move(o.pending_);
    decoder_ = std::move(o.decoder_);
    o.fd_ = -1;
  }
  return *this;
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection RawConnection::tcp(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (fd >= 0) ::close(fd);
    return RawConnection();
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return RawConnection(fd);
}

RawConnection RawConnection::unix_socket(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (fd >= 0) ::close(fd);
    return RawConnection();
  }
  return RawConnection(fd);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool RawConnection::fill(std::chrono::milliseconds timeout) {
  if (eof_ || fd_ < 0) return false;
  pollfd p{fd_, POLLIN, 0};
  int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (r <= 0) return false;
  char buf[64 * 1024];
  ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
  if (n <= 0) {  // EOF, or a reset (the server closed with unread input)
    eof_ = true;
    return false;
  }
  pending_.append(buf, static_cast<size_t>(n));
  return true;
}

std::optional<resp::Reply> RawConnection::reply(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (!pending_.empty()) {
      decoder_.feed(pending_);
      pending_.clear();
    }
    if (auto r = decoder_.next()) return r;
    if (decoder_.failed()) return std::nullopt;
    if (!fill(std::chrono::milliseconds(remaining_ms(deadline)))) return std::nullopt;
  }
}

std::string RawConnection::read_bytes(size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (pending_.size() < n && fill(std::chrono::milliseconds(remaining_ms(deadline)))) {
  }
  std::string out = pending_.substr(0, n);
  pending_.erase(0, out.size());
  return out;
}

std::string RawConnection::read_until_close(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!eof_ && remaining_ms(deadline) > 0) fill(std::chrono::milliseconds(remaining_ms(deadline)));
  std::string out;
  out.swap(pending_);
  return out;
}

// ---- ServerProcess ----

ServerProcess::ServerProcess(std::vector<std::string> extra_args) {
  char tmpl[] = "/tmp/rill-it-XXXXXX";
  if (!::mkdtemp(tmpl)) {
    failure_ = "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  if (std::string_view(kServerPath).empty()) {
    failure_ = "RILL_SERVER_PATH is not defined for this test binary";
    return;
  }
  for (auto& a : extra_args) a = replace_all(a, "{dir}", dir_);
  for (int attempt = 0; attempt < kStartAttempts && !started_; ++attempt) {
    started_ = launch(extra_args);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !exit_status_) {
    // A server that does not exit cleanly on SIGTERM fails the test that owned it: this is
    // where a sanitizer build reports leaks and errors found at exit.
    std::optional<int> status = stop(SIGTERM, kStopTimeout);
    if (!status) {
      ::kill(pid_, SIGKILL);
      int killed;
      ::waitpid(pid_, &killed, 0);
      ADD_FAILURE() << "rill-server ignored SIGTERM for 5s\n" << log();
    } else if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
      ADD_FAILURE() << "rill-server did not exit cleanly on SIGTERM (status " << *status << ")\n"
                    << log();
    }
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

bool ServerProcess::launch(const std::vector<std::string>& extra_args) {
  bool own_port = true;
  unix_path_.clear();
  for (size_t i = 0; i < extra_args.size(); ++i) {
    if (extra_args[i] == "--port") own_port = false;
    if (extra_args[i] == "--unixsocket" && i + 1 < extra_args.size()) unix_path_ = extra_args[i + 1];
  }
  std::vector<std::string> args{kServerPath};
  if (own_port) {
    port_ = free_port();
    args.insert(args.end(), {"--port", std::to_string(port_)});
  } else {
    for (size_t i = 0; i + 1 < extra_args.size(); ++i) {
      if (extra_args[i] == "--port") port_ = std::atoi(extra_args[i + 1].c_str());
    }
  }
  args.insert(args.end(), {"--bind", "127.0.0.1"});
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log_path = dir_ + "/server.log";
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addchdir_np(&actions, dir_.c_str());
  exit_status_.reset();
  int rc = ::posix_spawn(&pid_, kServerPath, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    failure_ = std::string("posix_spawn ") + kServerPath + ": " + std::strerror(rc);
    pid_ = -1;
    return false;
  }
  if (answers_ping(kStartTimeout)) return true;
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait_exit(kStopTimeout);
  }
  failure_ = "rill-server did not answer PING on port " + std::to_string(port_);
  return false;
}

bool ServerProcess::answers_ping(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (!running()) return false;
    RawConnection c = port_ != 0 ? RawConnection::tcp(port_) : RawConnection::unix_socket(unix_path_);
    // Any reply will do: with a password set, PING answers NOAUTH.
    if (c.ok() && c.send("PING\r\n") && c.reply(1s)) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

bool ServerProcess::running() {
  if (pid_ <= 0 || exit_status_) return false;
  int status;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_status_ = status;
    return false;
  }
  return r == 0;
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (running() && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  return exit_status_;
}

std::optional<int> ServerProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (running()) ::kill(pid_, signal);
  return wait_exit(timeout);
}

std::string ServerProcess::log() const {
  std::ifstream in(dir_ + "/server.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ServerProcess::failure() const { return failure_ + "\n--- server output ---\n" + log(); }

Hiredis ServerProcess::connect() const {
  Hiredis c(redisConnectWithTimeout("127.0.0.1", port_, timeval{5, 0}));
  if (c && !c->err) redisSetTimeout(c.get(), timeval{30, 0});
  return c;
}

Hiredis ServerProcess::connect_unix(const std::string& path) const {
  Hiredis c(redisConnectUnixWithTimeout(path.c_str(), timeval{5, 0}));
  if (c && !c->err) redisSetTimeout(c.get(), timeval{30, 0});
  return c;
}

}  // namespace rill::test
