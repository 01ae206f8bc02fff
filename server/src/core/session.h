// One client's state as the engine sees it: selected database, protocol, name, transaction
// and the output buffer its replies go to. A Session knows nothing of sockets; the network
// layer (or a test, or the embedding API) owns it and drains out().
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "resp/writer.h"

namespace rill::core {

// Told when a session has new output outside a command it sent (a reply to a blocked
// command, a pub/sub message, a kill). The network layer implements it.
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual void on_output() = 0;
  // The session was blocked (BLPOP, XREAD BLOCK) and is no longer: its reply is in out, and
  // commands it sent meanwhile may now run.
  virtual void on_unblocked() {}
};

enum class ReplyMode : uint8_t { kOn, kOff, kSkip, kSkipNext };

struct Session {
  Session() : writer(&out) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  uint64_t id = 0;
  int db = 0;
  int proto = 2;
  bool authenticated = false;
  std::string name, lib_name, lib_ver;
  std::string addr = "?", laddr = "?";  // "ip:port" as CLIENT LIST shows them
  int fd = -1;
  int64_t created_ms = 0;
  int64_t last_interaction_ms = 0;
  std::string last_command = "NULL";
  ReplyMode reply_mode = ReplyMode::kOn;
  bool no_evict = false;
  bool close_requested = false;  // QUIT, CLIENT KILL, protocol error: close after flushing
  bool is_unix = false;

  // MULTI state. Queued commands own their arguments: the read buffer they came from is
  // gone by the time EXEC runs.
  bool in_multi = false;
  bool multi_failed = false;  // an error while queueing: EXEC answers EXECABORT
  std::vector<std::vector<std::string>> queued;
  // WATCH: (db, key) pairs; set dirty when one is modified, so EXEC aborts.
  std::vector<std::pair<int, std::string>> watched;
  bool watch_dirty = false;

  // Blocking commands. `blocked`: parked until a key is ready or time runs out; commands sent
  // meanwhile wait in the connection's buffer. `in_exec`: running EXEC's queue, where
  // blocking commands do not block. `rerun`: a parked command runs again because a key it
  // waits on became ready. `block_requested`: set by Ctx::block() during a handler.
  bool blocked = false;
  bool in_exec = false;
  bool rerun = false;
  bool block_requested = false;
  // During a re-run: the ready key that triggered it (Redis 7.0 serves a client blocked on
  // several keys from the key that became ready, not from the first key it named).
  std::string_view ready_key;

  // Pub/sub: what this session listens to (pubsub::Registry keeps the reverse maps). Kept
  // here so a disconnect unsubscribes in O(its own subscriptions). Ordered sets, so
  // UNSUBSCRIBE with no argument answers in a stable order.
  std::set<std::string, std::less<>> channels, patterns, shard_channels;
  // Any subscription at all, of any kind.
  bool subscribed() const {
    return !channels.empty() || !patterns.empty() || !shard_channels.empty();
  }
  // RESP2 subscribe mode: only the subscribe family, PING, QUIT and RESET run (the engine's
  // gate), and PING answers as a message-shaped array.
  bool in_subscribe_mode() const { return proto == 2 && subscribed(); }
  // Pub/sub frames survive CLIENT REPLY OFF / SKIP, as in Redis: while the engine is going
  // to drop a command's reply it sets keep_pushes, and each frame written meanwhile records
  // its byte range here so the drop can spare it.
  bool keep_pushes = false;
  std::vector<std::pair<size_t, size_t>> kept_pushes;

  std::string out;  // RESP bytes waiting to be written
  // Bytes already handed to the socket and not yet written out (kept by the network layer).
  size_t out_in_flight = 0;
  // Output not yet written to the socket.
  size_t unsent() const { return out.size() + out_in_flight; }
  // The part of unsent() past the first kReplyBufferBytes: what Redis holds beyond its fixed
  // reply buffer, which CLIENT LIST shows as omem and client-output-buffer-limit judges.
  static constexpr size_t kReplyBufferBytes = 16 * 1024;
  size_t unsent_past_buffer() const {
    const size_t n = unsent();
    return n > kReplyBufferBytes ? n - kReplyBufferBytes : 0;
  }
  resp::Writer writer;
  OutputSink* sink = nullptr;
  uint64_t commands_processed = 0;
};

}  // namespace rill::core
