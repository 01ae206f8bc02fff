// One client connection: reads into one growing buffer, parses every complete command in it,
// runs each through the engine, and leaves the replies in the session's output buffer for the
// server's per-turn flush to write. TCP and Unix sockets both arrive as a generic stream
// socket, so there is one Connection type.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <asio.hpp>

#include "core/session.h"
#include "net/output_limit.h"
#include "resp/request_parser.h"

namespace rill::core {
class Engine;
}

namespace rill::net {

class Server;
using Socket = asio::generic::stream_protocol::socket;

class Connection : public std::enable_shared_from_this<Connection>, public core::OutputSink {
 public:
  Connection(Server& server, core::Engine& engine, Socket socket, bool is_unix);
  ~Connection() override;

  void start();
  // Writes what the session has buffered, unless a write is already under way.
  void flush();
  // Closes the socket now; pending output is dropped.
  void close();
  core::Session& session() { return session_; }
  bool closed() const { return closed_; }

  // Disconnects the client if its unsent output breaks client-output-buffer-limit (its class
  // is pubsub while it has a subscription, normal otherwise). As in Redis, the limits apply
  // to what lies past a fixed 16 KiB reply buffer (core::Session::unsent_past_buffer). The
  // close is posted, so this is safe in the middle of a command or a publish; from then on
  // nothing more is read, run or written. True if the client is being disconnected.
  bool enforce_output_limit();

  void on_output() override;
  void on_unblocked() override;

  // Set while the connection sits in the server's list for this turn's flush.
  bool flush_queued = false;

 private:
  void read_some();
  void on_read(size_t n);
  void process_input();
  void make_room();
  void close_soon();

  Server& server_;
  core::Engine& engine_;
  Socket socket_;
  core::Session session_;
  resp::ParserLimits limits_;
  resp::RequestParser parser_;
  std::vector<std::string_view> argv_;
  std::vector<char> in_;
  size_t rpos_ = 0;  // first unparsed byte
  size_t wpos_ = 0;  // end of received bytes
  std::string writing_;  // bytes handed to async_write
  bool write_pending_ = false;
  bool read_pending_ = false;
  bool read_paused_ = false;
  bool closed_ = false;
  bool closing_ = false;  // close_soon() posted the close
  OutputLimit output_limit_;
};

}  // namespace rill::net
