// The engine: every key, every session's view of them, and the one path a command takes.
//
//   execute(session, argv)
//     find the command (case-insensitive), check arity, AUTH, MULTI queueing  -- once, here
//     run the handler: it reads arguments, changes the keyspace, writes a reply
//     after it: drain keys deleted for expiry, touch WATCHers, count statistics
//
// The engine knows nothing of sockets. rill-server's network layer, the tests and the
// embedding API all call execute(). It is not thread-safe: one thread (the reactor) owns it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tsl/robin_map.h>

#include "blocking/blocked_clients.h"
#include "commands/command.h"
#include "commands/command_table.h"
#include "core/config.h"
#include "core/db.h"
#include "core/propagation.h"
#include "core/session.h"
#include "pubsub/keyspace_events.h"
#include "pubsub/pubsub.h"

namespace rill::core {

// A per-second rate for INFO's instantaneous_* fields, as Redis computes them: a sample every
// 100 ms (taken by cron()), averaged over the last kSamples samples.
struct RateSampler {
  static constexpr int kSamples = 16;
  int64_t last_ms = 0;
  uint64_t last_value = 0;
  double samples[kSamples] = {};
  int next = 0;

  void add(int64_t now_ms, uint64_t value) {
    if (last_ms != 0 && now_ms > last_ms && value >= last_value) {
      samples[next] = static_cast<double>(value - last_value) * 1000.0 /
                      static_cast<double>(now_ms - last_ms);
      next = (next + 1) % kSamples;
    }
    last_ms = now_ms;
    last_value = value;
  }
  double per_second() const {
    double sum = 0;
    for (double v : samples) sum += v;
    return sum / kSamples;
  }
};

struct Stats {
  int64_t start_ms = 0;
  uint64_t commands = 0;
  uint64_t connections = 0;
  uint64_t rejected_connections = 0;
  uint64_t expired_keys = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;
  uint64_t dirty = 0;             // writes since start (changes since last save, later)
  uint64_t total_error_replies = 0;
  // Error replies by code, the first word of the error ("ERR", "WRONGTYPE"), for INFO
  // errorstats. Bounded as Redis bounds it: codes past the 128th count in the total only.
  static constexpr size_t kMaxErrorCodes = 128;
  std::map<std::string, uint64_t, std::less<>> error_codes;
  uint64_t evicted_keys = 0;      // maxmemory eviction (none yet)
  uint64_t used_memory_peak = 0;  // the most INFO has seen allocated
  RateSampler ops_rate, input_rate, output_rate;

  // Counts one error reply; `text` is the error without its '-'.
  void count_error(std::string_view text) {
    ++total_error_replies;
    const std::string_view code = text.substr(0, text.find_first_of(" \r"));
    auto it = error_codes.find(code);
    if (it != error_codes.end()) {
      ++it->second;
    } else if (error_codes.size() < kMaxErrorCodes) {
      error_codes.emplace(code, 1);
    }
  }

  // Takes one sample of each rate, at most every 100 ms whatever hz is.
  void sample_rates(int64_t now_ms) {
    if (ops_rate.last_ms != 0 && now_ms - ops_rate.last_ms < 100) return;
    ops_rate.add(now_ms, commands);
    input_rate.add(now_ms, net_input_bytes);
    output_rate.add(now_ms, net_output_bytes);
  }
};

class Engine {
 public:
  explicit Engine(Config config);
  ~Engine();

  // Runs one command as `session` sent it and appends the reply to session.out.
  void execute(Session& session, commands::Args argv);

  Config& config() { return config_; }
  const commands::CommandTable& commands() const { return table_; }
  Db& db(int index) { return *dbs_[static_cast<size_t>(index)]; }
  int db_count() const { return static_cast<int>(dbs_.size()); }
  Stats& stats() { return stats_; }
  std::mt19937_64& rng() { return rng_; }
  const std::string& run_id() const { return run_id_; }

  // The time commands see: fixed for the duration of one command (and of one EXEC), so a
  // key cannot expire halfway through a command that reads it twice.
  int64_t now_ms() const { return now_ms_; }
  void refresh_clock();
  // Moves the engine's clock forward (tests of expiry; never used by the server).
  void advance_clock_for_tests(int64_t ms) {
    clock_offset_ms_ += ms;
    refresh_clock();
  }
  // Stops the engine's clock at its current time (tests that compare idle times or TTLs
  // exactly); advance_clock_for_tests still moves it.
  void freeze_clock_for_tests() {
    frozen_at_ms_ = now_ms_ - clock_offset_ms_;
    refresh_clock();
  }

  // Sessions, by id (CLIENT LIST, CLIENT KILL).
  void attach(Session& s);
  void detach(Session& s);
  const std::map<uint64_t, Session*>& sessions() const { return sessions_; }

  // A write to (db, key): WATCHers of it will fail their EXEC.
  void touch(int db, std::string_view key);
  // Every watched key of `db` (or of all databases when db < 0): FLUSHDB, FLUSHALL.
  void touch_all(int db);
  void watch(Session& s, int db, std::string_view key);
  // Whether a key `s` watches has expired since WATCH (Redis 7.0 fails EXEC then, even
  // though nothing deleted the key yet).
  bool watched_key_expired(const Session& s) const;
  // Reports keys deleted for expiry since the last call: counts them and touches their
  // WATCHers. Runs after every command; WATCH calls it before it registers.
  void drain_expired();
  void unwatch(Session& s);

  // The server's periodic work (active expiry, table shrinking); called hz times a second.
  void cron();

  // Blocked clients (blocking/blocked_clients.h). serve_blocked() re-runs the parked
  // commands of keys that became ready; it runs after every command, so a client served by
  // a push sees its reply in the same turn. expire_blocked() answers those whose deadline
  // passed; the reactor calls it at next_block_deadline() (and cron() as a fallback).
  blocking::BlockedClients& blocked() { return blocked_; }
  void serve_blocked();
  void expire_blocked();
  int64_t next_block_deadline() const { return blocked_.next_deadline(); }
  // CLIENT UNBLOCK: answers a blocked session with its timeout reply, or with an error.
  bool unblock_client(Session& s, bool with_error);

  // Pub/sub subscriptions and delivery (pubsub/pubsub.h). detach() drops a session's own.
  pubsub::Registry& pubsub() { return pubsub_; }

  // Keyspace notifications (pubsub/keyspace_events.h): publishes `event` about `key` of
  // database `db` if notify-keyspace-events enables class `cls`. With notifications off this
  // is one test. Keys that expired earlier in the command are announced before the event.
  void notify(uint32_t cls, std::string_view event, std::string_view key, int db) {
    if (config_.notify_keyspace_events & cls) publish_event(event, key, db);
  }
  // The hook for maxmemory eviction, which the evictor calls after deleting `key` of `db`:
  // counts it (INFO evicted_keys), fails its WATCHers and announces "evicted".
  void key_evicted(int db, std::string_view key);

  // SHUTDOWN asks; the network layer stops the reactor once replies are flushed.
  bool shutdown_requested() const { return shutdown_requested_; }
  void request_shutdown() { shutdown_requested_ = true; }

  // SWAPDB: the two databases trade contents. Clients blocked or watching in either are
  // told, since any of their keys may have changed.
  void swap_dbs(int a, int b);

  // Runs a queued transaction's commands (EXEC) without the MULTI gate.
  void execute_queued(Session& s);

  // Propagation (core/propagation.h). With no propagator attached nothing is collected.
  void set_propagator(Propagator* p) { propagator_ = p; }
  bool propagating() const { return propagator_ != nullptr; }
  // Adds one command to the current unit in place of the running command's own form.
  void propagate(int db, std::vector<std::string> argv);
  // The running command propagates only what it passes to propagate(), perhaps nothing.
  void replace_propagation() { handler_propagated_ = true; }

 private:
  void dispatch(Session& s, const commands::CommandTable::Entry& e, commands::Args argv);
  const commands::CommandTable::Entry* resolve(commands::Args argv) const;
  void release(Session& s);  // unparks a served session and tells its connection
  // A blocked command answered by its timeout or CLIENT UNBLOCK: its one call (and failure).
  void count_unblocked_call(const blocking::Waiter& w, bool failed);
  void publish_event(std::string_view event, std::string_view key, int db);
  // Hands the current unit to the propagator, wrapped in MULTI/EXEC if it holds several
  // commands, unless !as_one_unit: then each command goes out as its own change.
  void flush_propagation(bool as_one_unit = true);

  Config config_;
  commands::CommandTable table_;
  std::vector<std::unique_ptr<Db>> dbs_;
  size_t expired_pending_ = 0;  // keys in the databases' expired logs (Db counts them)
  Stats stats_;
  std::mt19937_64 rng_;
  std::string run_id_;
  int64_t now_ms_ = 0;
  int64_t clock_offset_ms_ = 0;
  int64_t frozen_at_ms_ = 0;  // 0: the clock runs
  uint64_t next_session_id_ = 1;
  std::map<uint64_t, Session*> sessions_;
  // WATCH: "db\0key" to the sessions watching it.
  tsl::robin_map<std::string, std::vector<Session*>> watchers_;
  blocking::BlockedClients blocked_;
  pubsub::Registry pubsub_;
  pubsub::KeyspaceEvents keyspace_events_{pubsub_};
  bool serving_blocked_ = false;
  bool shutdown_requested_ = false;
  size_t cron_db_ = 0;

  struct Propagated {
    int db;
    std::vector<std::string> argv;
  };
  Propagator* propagator_ = nullptr;
  std::vector<Propagated> unit_;     // the unit being collected
  size_t command_start_ = 0;         // where the running command's forms begin in unit_
  bool handler_propagated_ = false;  // the running handler gave its own forms
};

// What a handler gets: the engine, the calling session, its database and its reply writer.
class Ctx {
 public:
  Ctx(Engine& e, Session& s) : engine_(e), session_(s) {}
  Engine& engine() { return engine_; }
  Session& session() { return session_; }
  resp::Writer& out() { return session_.writer; }
  Db& db() { return engine_.db(session_.db); }
  int64_t now_ms() const { return engine_.now_ms(); }

  // Looks a key up for reading: counts a keyspace hit or miss and refreshes its access time.
  // A miss is announced as a "keymiss" event (class m), except on a blocked command's re-run,
  // which Redis serves without a lookup that notifies.
  Entry* read(std::string_view key);
  // As read(), without refreshing the access time: commands that only inspect a key
  // (EXISTS, TYPE, TTL, OBJECT) leave OBJECT IDLETIME alone, as Redis's LOOKUP_NOTOUCH does.
  // `miss_event` false: a miss is counted but not announced (OBJECT, as Redis's
  // LOOKUP_NONOTIFY).
  Entry* peek(std::string_view key, bool miss_event = true);
  // Looks a key up for writing (no hit/miss counting).
  // Refreshes the access time, as a read does.
  Entry* write(std::string_view key);
  // Records that `key` of the current database changed: WATCHers fail, dirty++. (The access
  // time of a written key was refreshed by write(), or set by Db::add/put.)
  void touch(std::string_view key) { touch(session_.db, key); }
  void touch(int db, std::string_view key);

  // Keyspace notifications: `event` about `key` of the current database (or of `db`), if
  // notify-keyspace-events enables `cls` (pubsub::kClassString, ...). Call it where Redis
  // does, after the change: subscribers see events in the order the command made them.
  void notify(uint32_t cls, std::string_view event, std::string_view key) {
    engine_.notify(cls, event, key, session_.db);
  }
  void notify(uint32_t cls, std::string_view event, std::string_view key, int db) {
    engine_.notify(cls, event, key, db);
  }
  // Adds `key` (absent) to the current database, as Db::add, and announces it as "new"
  // (class n). Every command that creates a key goes through here.
  Entry* add(std::string_view key, Value value);

  // Blocking. A handler that finds nothing to return and may block (can_block()) calls
  // block() instead of replying; the engine re-runs the same command when one of `keys`
  // is signalled ready, or answers `on_timeout` after `timeout_ms` (0: wait forever).
  // `argv` is what to re-run (a handler may rewrite it, e.g. XREAD's "$" into an ID).
  // On a re-run (rerun() true) the deadline and queue position stay as they were.
  bool can_block() const { return !session_.in_exec && !session_.in_multi; }
  bool rerun() const { return session_.rerun; }
  // On a re-run, the key whose readiness caused it; empty otherwise.
  std::string_view ready_key() const {
    return session_.rerun ? session_.ready_key : std::string_view();
  }
  void block(std::span<const std::string_view> keys, int64_t timeout_ms,
             blocking::TimeoutReply on_timeout, std::span<const std::string_view> argv);
  // A write that may serve clients blocked on `key` (a push, an XADD, a deletion).
  void signal_ready(std::string_view key) { engine_.blocked().signal_ready(session_.db, key); }
  void signal_ready(int db, std::string_view key) { engine_.blocked().signal_ready(db, key); }

  // Propagation (core/propagation.h). A write propagates as it was sent unless its handler
  // calls propagate(), once per command of its deterministic form; building that form is
  // wasted work unless propagating().
  bool propagating() const { return engine_.propagating(); }
  void propagate(std::vector<std::string> argv) {
    engine_.propagate(session_.db, std::move(argv));
  }
  // Declares that this command propagates only its propagate() calls, even if it makes none.
  void replace_propagation() { engine_.replace_propagation(); }

 private:
  Engine& engine_;
  Session& session_;
};

}  // namespace rill::core
