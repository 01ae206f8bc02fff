// The reactor: one io_context on one thread owns the engine and every connection.
//
// One turn of the loop ends with flush_turn(), posted once when the first connection of the
// turn has output: it writes every dirty connection's replies in one go. This is the hook
// where the AOF is written before any reply that acknowledges it (Redis's beforeSleep).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <asio.hpp>

#include "core/engine.h"
#include "core/status.h"

namespace rill::net {

class Connection;

class Server {
 public:
  Server(asio::io_context& io, core::Engine& engine);
  ~Server();

  // Opens the listeners named by the config (bind addresses + port, unixsocket).
  Status listen();
  // The TCP port actually bound (useful with --port 0).
  int bound_port() const { return bound_port_; }
  // Runs until SHUTDOWN or a stop signal.
  void run();
  void stop();

  // Called by a connection that has output: its replies go out at the end of this turn.
  void want_flush(Connection* c);
  void closed(Connection* c);

 private:
  void accept_tcp(asio::ip::tcp::acceptor& acceptor);
  void accept_unix();
  void admit(asio::generic::stream_protocol::socket socket, bool is_unix);
  void flush_turn();
  // A copy of the open connections, safe to iterate while closing them.
  std::vector<std::shared_ptr<Connection>> open_connections() const;
  void schedule_cron();
  void arm_block_timer();
  void close_idle();
  void enforce_output_limits();

  asio::io_context& io_;
  core::Engine& engine_;
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> tcp_;
  std::unique_ptr<asio::local::stream_protocol::acceptor> unix_;
  asio::steady_timer cron_;
  asio::steady_timer block_timer_;  // fires at the nearest blocked-client deadline
  int64_t block_timer_at_ = 0;      // the deadline it is set for (0: not set)
  asio::signal_set signals_;
  // Owns every open connection; pending async handlers hold their own references too.
  std::unordered_map<Connection*, std::shared_ptr<Connection>> connections_;
  std::vector<std::weak_ptr<Connection>> dirty_;
  std::vector<std::weak_ptr<Connection>> flushing_;  // the list being flushed this turn
  bool flush_posted_ = false;
  int bound_port_ = 0;
  bool stopping_ = false;
};

}  // namespace rill::net
