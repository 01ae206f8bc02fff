#include "net/server.h"

#include <sys/stat.h>

#include <cstdio>
#include <sstream>

#include "net/connection.h"

namespace rill::net {

Server::Server(asio::io_context& io, core::Engine& engine)
    : io_(io), engine_(engine), cron_(io), block_timer_(io), signals_(io, SIGTERM, SIGINT) {}

Server::~Server() {
  for (auto& c : open_connections()) c->close();
  // Closed sockets complete their pending reads and writes as aborted. Run those handlers now,
  // while the engine is alive: the connections they hold die here, not later in io_context's
  // destructor, after the engine their sessions detach from (a use after free at exit).
  io_.restart();
  io_.poll();
}

Status Server::listen() {
  const core::Config& cfg = engine_.config();
  std::istringstream addrs(cfg.bind);
  std::string addr;
  // Port 0 means no TCP listener, as in Redis (a Unix socket only).
  while (cfg.port != 0 && (addrs >> addr)) {
    if (addr.front() == '-') addr.erase(0, 1);  // "-::1": optional address, as in redis.conf
    asio::error_code ec;
    auto ip = asio::ip::make_address(addr, ec);
    if (ec) return Status::error("Invalid bind address '" + addr + "'");
    auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(io_);
    asio::ip::tcp::endpoint ep(ip, static_cast<unsigned short>(cfg.port));
    acceptor->open(ep.protocol(), ec);
    if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(cfg.tcp_backlog, ec);
    if (ec) {
      return Status::error("Could not create server TCP listening socket " + addr + ":" +
                           std::to_string(cfg.port) + ": " + ec.message());
    }
    bound_port_ = acceptor->local_endpoint().port();
    tcp_.push_back(std::move(acceptor));
    accept_tcp(*tcp_.back());
  }
  if (!cfg.unixsocket.empty()) {
    ::unlink(cfg.unixsocket.c_str());
    asio::error_code ec;
    unix_ = std::make_unique<asio::local::stream_protocol::acceptor>(io_);
    asio::local::stream_protocol::endpoint ep(cfg.unixsocket);
    unix_->open(ep.protocol(), ec);
    if (!ec) unix_->bind(ep, ec);
    if (!ec) unix_->listen(cfg.tcp_backlog, ec);
    if (ec) return Status::error("Failed opening Unix socket: " + ec.message());
    if (cfg.unixsocketperm) ::chmod(cfg.unixsocket.c_str(), static_cast<mode_t>(cfg.unixsocketperm));
    accept_unix();
  }
  return Status::ok();
}

void Server::accept_tcp(asio::ip::tcp::acceptor& acceptor) {
  acceptor.async_accept([this, &acceptor](const asio::error_code& ec, asio::ip::tcp::socket s) {
    if (stopping_) return;
    if (!ec) {
      asio::error_code ignored;
      s.set_option(asio::ip::tcp::no_delay(true), ignored);
      if (engine_.config().tcp_keepalive > 0) {
        s.set_option(asio::socket_base::keep_alive(true), ignored);
      }
      admit(asio::generic::stream_protocol::socket(std::move(s)), false);
    }
    accept_tcp(acceptor);
  });
}

void Server::accept_unix() {
  unix_->async_accept([this](const asio::error_code& ec, asio::local::stream_protocol::socket s) {
    if (stopping_) return;
    if (!ec) admit(asio::generic::stream_protocol::socket(std::move(s)), true);
    accept_unix();
  });
}

void Server::admit(asio::generic::stream_protocol::socket socket, bool is_unix) {
  ++engine_.stats().connections;
  if (static_cast<int64_t>(connections_.size()) >= engine_.config().maxclients) {
    ++engine_.stats().rejected_connections;
    static const char kErr[] = "-ERR max number of clients reached\r\n";
    asio::error_code ec;
    asio::write(socket, asio::buffer(kErr, sizeof(kErr) - 1), ec);
    return;
  }
  auto c = std::make_shared<Connection>(*this, engine_, std::move(socket), is_unix);
  connections_.emplace(c.get(), c);
  c->start();
}

std::vector<std::shared_ptr<Connection>> Server::open_connections() const {
  std::vector<std::shared_ptr<Connection>> all;
  all.reserve(connections_.size());
  for (const auto& [raw, c] : connections_) all.push_back(c);
  return all;
}

void Server::want_flush(Connection* c) {
  // Once per turn per connection, however many replies or messages it got in the turn.
  if (c->flush_queued) return;
  c->flush_queued = true;
  dirty_.push_back(c->weak_from_this());
  if (!flush_posted_) {
    flush_posted_ = true;
    asio::post(io_, [this] { flush_turn(); });
  }
}

void Server::closed(Connection* c) {
  // The object lives on until its pending handlers have run; they hold shared_ptrs.
  connections_.erase(c);
}

// The end of a loop turn: every reply produced in it is written now. (The AOF write and
// blocked-client wake-ups belong here, before the replies, when they arrive.)
void Server::flush_turn() {
  flush_posted_ = false;
  // Swapped with a scratch list rather than moved out, so both keep their capacity and a
  // turn allocates nothing.
  flushing_.swap(dirty_);
  for (auto& weak : flushing_) {
    if (auto c = weak.lock()) {
      c->flush_queued = false;
      c->flush();
    }
  }
  flushing_.clear();
  if (engine_.shutdown_requested()) return stop();
  arm_block_timer();
}

// Blocked clients time out on time, not at the next cron tick: the timer follows the
// nearest deadline, and a turn that parks or serves clients moves it.
void Server::arm_block_timer() {
  const int64_t deadline = engine_.next_block_deadline();
  if (deadline == block_timer_at_) return;
  block_timer_at_ = deadline;
  if (deadline == 0) {
    block_timer_.cancel();
    return;
  }
  const int64_t delay = std::max<int64_t>(0, deadline - engine_.now_ms());
  block_timer_.expires_after(std::chrono::milliseconds(delay));
  block_timer_.async_wait([this](const asio::error_code& ec) {
    if (ec || stopping_) return;
    block_timer_at_ = 0;
    engine_.expire_blocked();
    arm_block_timer();
  });
}

void Server::schedule_cron() {
  int hz = std::clamp(engine_.config().hz, 1, 500);
  cron_.expires_after(std::chrono::milliseconds(1000 / hz));
  cron_.async_wait([this](const asio::error_code& ec) {
    if (ec || stopping_) return;
    engine_.cron();
    arm_block_timer();
    close_idle();
    enforce_output_limits();
    schedule_cron();
  });
}

// `timeout N`: a client silent for N seconds is closed, as Redis's clientsCron does.
void Server::close_idle() {
  const int timeout = engine_.config().timeout;
  if (timeout <= 0) return;
  const int64_t now = engine_.now_ms();
  for (auto& c : open_connections()) {
    // A blocked client is waiting on the server, not idle (Redis exempts it too).
    if (c->session().blocked) continue;
    if (now - c->session().last_interaction_ms > int64_t{timeout} * 1000) c->close();
  }
}

// Soft output limits are about time: a client that stays above its soft limit is closed once
// the soft seconds have passed, even if no new output arrives to trigger a check (Redis's
// clientsCron does the same). Each check only posts a close, so the map may be walked as is.
void Server::enforce_output_limits() {
  for (const auto& [raw, c] : connections_) {
    if (c->session().unsent() != 0) c->enforce_output_limit();
  }
}

void Server::run() {
  signals_.async_wait([this](const asio::error_code& ec, int) {
    if (!ec) stop();
  });
  schedule_cron();
  io_.run();
}

void Server::stop() {
  if (stopping_) return;
  stopping_ = true;
  asio::error_code ec;
  for (auto& a : tcp_) a->close(ec);
  if (unix_) {
    unix_->close(ec);
    ::unlink(engine_.config().unixsocket.c_str());
  }
  cron_.cancel();
  block_timer_.cancel();
  signals_.cancel();
  for (auto& c : open_connections()) {
    c->flush();
    c->close();
  }
  io_.stop();
}

}  // namespace rill::net
