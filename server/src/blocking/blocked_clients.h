// Clients blocked on keys: BLPOP, BRPOP, BLMOVE, BLMPOP, XREAD BLOCK, XREADGROUP BLOCK.
//
// A blocked command is parked with a copy of its arguments (the read buffer they came from
// is gone by the time it is served) and the keys it waits on. A write that may serve it
// (a push, an XADD, a deletion) marks its key ready; after the command that did so, the
// engine re-runs the parked commands of every ready key, oldest first. A re-run that still
// finds nothing parks again in the same place, so first-come first-served holds across
// clients. A waiter also carries a deadline; at the deadline it gets the command's timeout
// reply.
//
// This module keeps only the bookkeeping; it runs nothing itself and knows nothing of
// sockets. The engine (core/engine.cpp) drives it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tsl/robin_map.h>

namespace rill::core {
struct Session;
}

namespace rill::blocking {

// What a blocked command answers when its time runs out (or CLIENT UNBLOCK ... TIMEOUT).
enum class TimeoutReply : uint8_t {
  kNullArray,  // BLPOP, BRPOP, BLMPOP, XREAD, XREADGROUP: "*-1" (RESP3 "_")
  kNull,       // "$-1" (RESP3 "_"); Redis 7.0 times out BLMOVE and BRPOPLPUSH with "*-1" too
};

struct Waiter {
  core::Session* session;
  int db;
  std::vector<std::string> argv;  // the command to re-run, owned
  std::vector<std::string> keys;
  int64_t deadline_ms;            // 0: no deadline
  TimeoutReply on_timeout;
  uint64_t seq;                   // arrival order
};

class BlockedClients {
 public:
  // Parks `w.session`. If it is already parked (a re-run that found nothing), only its
  // arguments are updated: it keeps its place in every queue and its deadline.
  void block(Waiter w);
  // Removes a parked session from every queue (served, timed out, unblocked, disconnected).
  // Returns whether it was parked.
  bool unblock(const core::Session* s);
  bool is_blocked(const core::Session* s) const { return by_session_.count(s) != 0; }
  const Waiter* find(const core::Session* s) const;
  size_t count() const { return by_session_.size(); }
  // Number of distinct keys with at least one waiter (INFO blocked_keys would use it).
  size_t keys_with_waiters() const { return queues_.size(); }

  // A write to (db, key) that may serve waiters. Cheap when nobody waits on it.
  void signal_ready(int db, std::string_view key);
  bool has_ready() const { return !ready_.empty(); }
  // The ready keys so far, oldest first, and forgets them (new signals start a new list).
  std::vector<std::pair<int, std::string>> take_ready();
  // Sessions waiting on (db, key), oldest first.
  std::vector<core::Session*> waiters_of(int db, std::string_view key) const;

  // The nearest deadline, or 0 when no waiter has one.
  int64_t next_deadline() const;
  // Sessions whose deadline is at or before now, oldest deadline first.
  std::vector<core::Session*> due(int64_t now_ms) const;

 private:
  static std::string queue_key(int db, std::string_view key);

  uint64_t next_seq_ = 1;
  std::map<const core::Session*, Waiter> by_session_;
  // "db\0key" to the sessions waiting on it, in arrival order.
  tsl::robin_map<std::string, std::deque<core::Session*>> queues_;
  std::set<std::pair<int64_t, uint64_t>> deadlines_;  // (deadline, seq)
  std::map<uint64_t, core::Session*> by_seq_;
  std::vector<std::pair<int, std::string>> ready_;
  tsl::robin_map<std::string, bool> ready_set_;
};

}  // namespace rill::blocking
