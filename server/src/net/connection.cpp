#include "net/connection.h"

#include <cstdio>

#include "core/engine.h"
#include "net/server.h"

namespace rill::net {

namespace {
constexpr size_t kMinReadRoom = 16 * 1024;
// Past this much unsent output the connection stops reading until the client catches up,
// so a client that pipelines without reading cannot grow the server's memory without bound.
constexpr size_t kPauseReadingAt = 64 * 1024 * 1024;
}  // namespace

Connection::Connection(Server& server, core::Engine& engine, Socket socket, bool is_unix)
    : server_(server), engine_(engine), socket_(std::move(socket)), parser_(&limits_) {
  session_.is_unix = is_unix;
  session_.sink = this;
  in_.resize(kMinReadRoom);
  asio::error_code ec;
  if (is_unix) {
    session_.addr = "/unixsocket:0";
    session_.laddr = engine_.config().unixsocket + ":0";
  } else {
    auto remote = socket_.remote_endpoint(ec);
    auto local = socket_.local_endpoint(ec);
    auto to_string = [](const asio::generic::stream_protocol::endpoint& ep) {
      asio::ip::tcp::endpoint tcp;
      std::memcpy(tcp.data(), ep.data(), std::min<size_t>(ep.size(), sizeof(sockaddr_in6)));
      return tcp.address().to_string() + ":" + std::to_string(tcp.port());
    };
    session_.addr = to_string(remote);
    session_.laddr = to_string(local);
  }
  session_.fd = static_cast<int>(socket_.native_handle());
  engine_.attach(session_);
}

Connection::~Connection() { engine_.detach(session_); }

void Connection::start() { read_some(); }

// A message or a reply arrived outside the client's own commands (pub/sub, keyspace events):
// a subscriber that does not read is judged here, frame by frame, so its buffer cannot grow
// much past its limit even within one batch of publishes.
void Connection::on_output() {
  if (enforce_output_limit()) return;
  server_.want_flush(this);
}

bool Connection::enforce_output_limit() {
  if (closing_ || closed_) return closing_;
  const auto cls = session_.subscribed() ? core::ClientClass::kPubSub : core::ClientClass::kNormal;
  if (!output_limit_.exceeded(engine_.config().output_limit(cls), session_.unsent_past_buffer(),
                              !session_.authenticated, engine_.now_ms())) {
    return false;
  }
  std::fprintf(stderr,
               "rill-server: client id=%llu addr=%s closed for overcoming of output buffer "
               "limits (%zu bytes waiting)\n",
               static_cast<unsigned long long>(session_.id), session_.addr.c_str(),
               session_.unsent());
  close_soon();
  return true;
}

// Redis's freeClientAsync: the caller may be inside the engine (a publish delivering to this
// client, a command of its own), where the session must stay alive, so the close runs as
// the next handler of the loop. Until then the connection reads, runs and writes nothing.
void Connection::close_soon() {
  closing_ = true;
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close(); });
}

// A blocked command was answered: what the client pipelined behind it runs now.
void Connection::on_unblocked() {
  if (closed_ || closing_) return;
  if (enforce_output_limit()) return;
  process_input();
  server_.want_flush(this);
  if (!read_paused_) read_some();
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  asio::error_code ec;
  socket_.shutdown(asio::socket_base::shutdown_both, ec);
  socket_.close(ec);
  // The client is gone: no more messages for it, and what it had waiting is freed now rather
  // than when the last handler lets go of this object.
  engine_.pubsub().forget(session_);
  std::string().swap(session_.out);
  server_.closed(this);
}

void Connection::make_room() {
  // Drop parsed bytes first; grow only when the unparsed tail needs it (a large bulk).
  size_t want = std::max(kMinReadRoom, parser_.pending_bulk_hint());
  if (rpos_ > 0 && in_.size() - wpos_ < want) {
    std::memmove(in_.data(), in_.data() + rpos_, wpos_ - rpos_);
    wpos_ -= rpos_;
    rpos_ = 0;
  }
  if (in_.size() - wpos_ < want) in_.resize(wpos_ + want);
}

// async_read_some tries a speculative read first, which at one request per round trip
// usually fails with EAGAIN (one extra system call per request that Redis does not make);
// async_wait + read costs the same, as an epoll_ctl re-arm. Avoiding both would need our
// own level-triggered epoll registration.
void Connection::read_some() {
  if (closed_ || closing_ || read_pending_ || session_.close_requested) return;
  make_room();
  read_pending_ = true;
  socket_.async_read_some(
      asio::buffer(in_.data() + wpos_, in_.size() - wpos_),
      [self = shared_from_this()](const asio::error_code& ec, size_t n) {
        self->read_pending_ = false;
        if (ec) return self->close();
        self->on_read(n);
      });
}

void Connection::on_read(size_t n) {
  wpos_ += n;
  engine_.stats().net_input_bytes += n;
  process_input();
  if (closed_ || closing_) return;
  if (static_cast<int64_t>(wpos_ - rpos_) > engine_.config().client_query_buffer_limit) {
    return close();  // Redis drops a client past client-query-buffer-limit without a reply
  }
  server_.want_flush(this);
  if (session_.out.size() + writing_.size() >= kPauseReadingAt) {
    read_paused_ = true;
  } else {
    read_some();
  }
}

void Connection::process_input() {
  limits_.max_bulk_len = engine_.config().proto_max_bulk_len;
  while (rpos_ < wpos_ && !closing_ && !session_.close_requested && !session_.blocked) {
    limits_.unauthenticated = !session_.authenticated;  // AUTH may be the command before
    std::string_view pending(in_.data() + rpos_, wpos_ - rpos_);
    auto st = parser_.parse(pending, argv_);
    if (st == resp::RequestParser::Status::kNeedMore) break;
    if (st == resp::RequestParser::Status::kError) {
      session_.writer.error("ERR " + parser_.error());
      session_.close_requested = true;
      break;
    }
    if (!argv_.empty()) engine_.execute(session_, argv_);
    rpos_ += parser_.consumed();
    if (enforce_output_limit()) return;  // a pipeline whose replies nobody reads
  }
  if (rpos_ == wpos_) rpos_ = wpos_ = 0;
}

void Connection::flush() {
  if (closed_ || closing_ || write_pending_) return;
  if (session_.out.empty()) {
    if (session_.close_requested) close();
    return;
  }
  writing_.swap(session_.out);
  session_.out_in_flight = writing_.size();
  write_pending_ = true;
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](const asio::error_code& ec, size_t n) {
                      self->write_pending_ = false;
                      self->session_.out_in_flight = 0;
                      if (ec) return self->close();
                      self->engine_.stats().net_output_bytes += n;
                      // Keep a modest buffer for the next reply; give a huge one back.
                      if (self->writing_.capacity() > 1024 * 1024) {
                        std::string().swap(self->writing_);
                      } else {
                        self->writing_.clear();
                      }
                      self->flush();
                      if (self->read_paused_ && !self->closed_ &&
                          self->session_.out.size() < kPauseReadingAt) {
                        self->read_paused_ = false;
                        self->process_input();
                        self->server_.want_flush(self.get());
                        self->read_some();
                      }
                    });
}

}  // namespace rill::net
