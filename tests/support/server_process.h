// A real rill-server for integration tests: started on a free loopback port with its own
// temporary directory, ready once it answers PING, and stopped (SIGTERM, then SIGKILL after a
// timeout) when the object goes away. Never port 6379.
//
//   ServerProcess server({"--requirepass", "secret"});
//   ASSERT_TRUE(server.started()) << server.failure();
//   auto c = server.connect();                       // hiredis over TCP
//   RawConnection raw = server.raw();                // exact bytes, with a ReplyDecoder
//
// Also here: RawConnection, a blocking socket with timeouts for tests where the bytes on the
// wire matter, and RAII holders for hiredis contexts and replies.
#pragma once

#include <hiredis/hiredis.h>
#include <sys/types.h>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resp/reply_decoder.h"

namespace rill::test {

using namespace std::chrono_literals;

struct HiredisFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Hiredis = std::unique_ptr<redisContext, HiredisFree>;
using HiredisReply = std::unique_ptr<redisReply, ReplyFree>;

// Runs one command given as words (binary-safe) and takes its reply; null if the connection
// failed (c->errstr says why).
HiredisReply command(redisContext* c, const std::vector<std::string>& argv);

// One command as a RESP array of bulk strings, the bytes a client sends.
std::string resp_command(std::initializer_list<std::string_view> words);

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
int free_port();

// A blocking stream socket with a receive timeout.
class RawConnection {
 public:
  RawConnection() = default;
  RawConnection(RawConnection&& o) noexcept;
  RawConnection& operator=(RawConnection&& o) noexcept;
  ~RawConnection();

  static RawConnection tcp(int port);
  static RawConnection unix_socket(const std::string& path);

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Sends everything; false if the peer has gone (no SIGPIPE).
  bool send(std::string_view bytes);
  // The next reply, decoded; nullopt on timeout, EOF or a broken stream.
  std::optional<resp::Reply> reply(std::chrono::milliseconds timeout = 5s);
  // Exactly `n` bytes (fewer only on timeout or EOF).
  std::string read_bytes(size_t n, std::chrono::milliseconds timeout = 5s);
  // Everything until the server closes the connection, or until `timeout`; closed() tells.
  std::string read_until_close(std::chrono::milliseconds timeout = 5s);
  bool closed() const { return eof_; }

 private:
  explicit RawConnection(int fd) : fd_(fd) {}
  // Reads what is available into pending_ (waiting up to `timeout`); false on timeout/EOF.
  bool fill(std::chrono::milliseconds timeout);

  int fd_ = -1;
  bool eof_ = false;
  std::string pending_;           // bytes read but not yet returned by read_bytes()
  resp::ReplyDecoder decoder_;
};

class ServerProcess {
 public:
  // Extra arguments go after --port and --bind ("--requirepass", "x"). "{dir}" inside an
  // argument is replaced by the server's temporary directory ("--unixsocket", "{dir}/s.sock").
  explicit ServerProcess(std::vector<std::string> extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool started() const { return started_; }
  // Why it did not start, with the server's output.
  std::string failure() const;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  // The server's stdout and stderr so far.
  std::string log() const;

  Hiredis connect() const;
  Hiredis connect_unix(const std::string& path) const;
  RawConnection raw() const { return RawConnection::tcp(port_); }

  // Sends `signal` and waits up to `timeout` for the exit. Returns waitpid's status, or nullopt
  // if it is still running (then the destructor kills it).
  std::optional<int> stop(int signal, std::chrono::milliseconds timeout = 5s);
  // Waits up to `timeout` for the process to exit on its own (SHUTDOWN).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = 5s);
  bool running();

 private:
  bool launch(const std::vector<std::string>& extra_args);
  bool answers_ping(std::chrono::milliseconds timeout);

  std::string dir_;
  std::string unix_path_;  // when started with --unixsocket and --port 0
  int port_ = 0;
  pid_t pid_ = -1;
  bool started_ = false;
  std::optional<int> exit_status_;
  std::string failure_;
};

}  // namespace rill::test
