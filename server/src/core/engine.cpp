#include "core/engine.h"

#include <chrono>
#include <cstring>

#include "core/errors.h"

namespace rill::core {

using commands::Args;
using commands::CommandTable;

namespace {

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string random_hex(std::mt19937_64& rng, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string s(n, '0');
  for (char& c : s) c = kHex[rng() & 15];
  return s;
}

std::string watch_key(int db, std::string_view key) {
  std::string k = std::to_string(db);
  k.push_back('\0');
  k.append(key);
  return k;
}

// Drops what a command wrote from `mark` on (CLIENT REPLY OFF / SKIP), except the pub/sub
// frames it recorded, which Redis sends whatever the reply mode.
void drop_reply(Session& s, size_t mark) {
  size_t end = mark;
  for (const auto& [from, to] : s.kept_pushes) {
    if (from < mark) continue;
    std::memmove(s.out.data() + end, s.out.data() + from, to - from);  // end <= from
    end += to - from;
  }
  s.out.resize(end);
}

// Commands that run at once inside MULTI instead of being queued.
bool runs_inside_multi(std::string_view name) {
  return name == "exec" || name == "discard" || name == "multi" || name == "watch" ||
         name == "quit" || name == "reset";
}

}  // namespace

Engine::Engine(Config config) : config_(std::move(config)), rng_(std::random_device{}()) {
  for (int i = 0; i < config_.databases; ++i) {
    dbs_.push_back(std::make_unique<Db>(&now_ms_, &expired_pending_));
  }
  run_id_ = random_hex(rng_, 40);
  refresh_clock();
  stats_.start_ms = now_ms_;
}

Engine::~Engine() = default;

void Engine::refresh_clock() {
  now_ms_ = (frozen_at_ms_ ? frozen_at_ms_ : wall_ms()) + clock_offset_ms_;
}

void Engine::attach(Session& s) {
  s.id = next_session_id_++;
  s.created_ms = s.last_interaction_ms = wall_ms();
  s.authenticated = config_.requirepass.empty();
  sessions_[s.id] = &s;
}

void Engine::detach(Session& s) {
  unwatch(s);
  blocked_.unblock(&s);
  pubsub_.forget(s);
  sessions_.erase(s.id);
}

void Engine::execute(Session& s, Args argv) {
  if (argv.empty()) return;
  refresh_clock();
  s.last_interaction_ms = now_ms_;
  ++s.commands_processed;
  resp::Writer& out = s.writer;
  out.set_proto(s.proto);

  const ReplyMode mode_before = s.reply_mode;
  const size_t mark = s.out.size();
  // A reply about to be dropped keeps its pub/sub frames (pubsub::FrameScope).
  s.keep_pushes = mode_before == ReplyMode::kOff || mode_before == ReplyMode::kSkip;

  // Every refusal below marks an open transaction as failed, as Redis's rejectCommand does.
  auto reject = [&](std::string_view text) {
    out.error(text);
    stats_.count_error(text);
    if (s.in_multi) s.multi_failed = true;
  };
  // A refused EXEC ends the transaction, and says so, as Redis's execCommandAbort does.
  auto reject_exec = [&](std::string_view text) {
    if (text.starts_with("ERR ")) text.remove_prefix(4);
    const std::string abort = std::string(errors::kExecAbortBecause) + std::string(text);
    out.error(abort);
    stats_.count_error(abort);
    s.in_multi = s.multi_failed = false;
    s.queued.clear();
    unwatch(s);
  };

  const CommandTable::Entry* e = table_.find(argv[0]);
  if (e && !e->cmd->subcommands.empty() && argv.size() >= 2) {
    const CommandTable::Entry* sub = CommandTable::find_sub(*e, argv[1]);
    if (!sub) {
      reject(errors::unknown_subcommand(argv[1], argv[0]));
      e = nullptr;
    } else {
      e = sub;
    }
  } else if (!e) {
    reject(errors::unknown_command(argv));
  }

  if (e) {
    const commands::Command& cmd = *e->cmd;
    auto refuse = [&](std::string_view text) {
      if (cmd.name == "exec") {
        reject_exec(text);
      } else {
        reject(text);
      }
    };
    if (!cmd.accepts(argv.size())) {
      refuse(errors::wrong_arity(cmd.name));
      ++e->stats.rejected_calls;
    } else if (!s.authenticated && !(cmd.flags & commands::kNoAuth)) {
      refuse(errors::kNoAuth);
      ++e->stats.rejected_calls;
    } else if (s.in_subscribe_mode() && !(cmd.flags & commands::kPubSub)) {
      // RESP2 has no way to tell a reply from a message, so a subscribed RESP2 client may
      // only manage its subscriptions (RESP3 pushes are typed, and anything goes there).
      refuse(errors::subscribe_mode_only(cmd.name));
      ++e->stats.rejected_calls;
    } else if (s.in_multi && (cmd.flags & commands::kNoMulti)) {
      reject(errors::kNotAllowedInMulti);
      ++e->stats.rejected_calls;
    } else if (s.in_multi && !runs_inside_multi(cmd.name)) {
      s.queued.emplace_back(argv.begin(), argv.end());
      out.simple("QUEUED");
    } else {
      dispatch(s, *e, argv);
    }
  }

  drain_expired();
  if (propagator_ && !serving_blocked_) flush_propagation();
  if (s.block_requested) {
    s.block_requested = false;
    s.blocked = true;
  }
  if (blocked_.has_ready() && !serving_blocked_) serve_blocked();

  // CLIENT REPLY OFF / SKIP: the reply is written and then dropped, so no handler needs to
  // know about reply modes.
  if (mode_before == ReplyMode::kOff && s.reply_mode != ReplyMode::kOn) drop_reply(s, mark);
  if (mode_before == ReplyMode::kSkip) {
    // CLIENT REPLY ON answers even when it is the skipped command, as in Redis.
    if (s.reply_mode != ReplyMode::kOn) drop_reply(s, mark);
    if (s.reply_mode == ReplyMode::kSkip) s.reply_mode = ReplyMode::kOn;
  }
  s.keep_pushes = false;
  s.kept_pushes.clear();
  if (s.reply_mode == ReplyMode::kSkipNext) s.reply_mode = ReplyMode::kSkip;
}

void Engine::dispatch(Session& s, const CommandTable::Entry& e, Args argv) {
  const size_t errors_before = stats_.total_error_replies;
  const size_t out_before = s.out.size();
  const uint64_t dirty_before = stats_.dirty;
  const bool outer_propagated = handler_propagated_;  // EXEC dispatches its queue nested
  handler_propagated_ = false;
  command_start_ = unit_.size();
  auto start = std::chrono::steady_clock::now();
  Ctx ctx(*this, s);
  e.cmd->run(ctx, argv);
  // A write that changed something and gave no form of its own propagates as it was sent.
  if (propagator_ && !handler_propagated_ && (e.cmd->flags & commands::kWrite) &&
      stats_.dirty != dirty_before) {
    unit_.push_back({s.db, std::vector<std::string>(argv.begin(), argv.end())});
  }
  handler_propagated_ = outer_propagated;
  auto usec = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
  // A blocking command counts as one call, made when it is answered (here, by a re-run that
  // replied, or by expire_blocked / unblock_client), as Redis counts it.
  if (!s.rerun) ++stats_.commands;
  s.last_command = e.cmd->name;
  if (s.block_requested) return;
  ++e.stats.calls;
  e.stats.usec += static_cast<uint64_t>(usec);
  // A reply that starts with '-' is a failed call (INFO commandstats counts them).
  if (s.out.size() > out_before && s.out[out_before] == '-') {
    ++e.stats.failed_calls;
    if (stats_.total_error_replies == errors_before) {
      stats_.count_error(std::string_view(s.out).substr(out_before + 1));
    }
  }
}

const CommandTable::Entry* Engine::resolve(Args argv) const {
  const CommandTable::Entry* e = table_.find(argv[0]);
  if (e && !e->cmd->subcommands.empty() && argv.size() >= 2) {
    e = CommandTable::find_sub(*e, argv[1]);
  }
  return e;
}

void Engine::execute_queued(Session& s) {
  auto queued = std::move(s.queued);
  s.queued.clear();
  s.in_multi = false;
  s.in_exec = true;
  s.writer.array(queued.size());
  std::vector<std::string_view> argv;
  for (const auto& cmd : queued) {
    argv.assign(cmd.begin(), cmd.end());
    const CommandTable::Entry* e = resolve(argv);
    if (!e) continue;  // cannot happen: queueing checked it
    dispatch(s, *e, argv);
    drain_expired();
  }
  s.in_exec = false;
}

void Engine::release(Session& s) {
  blocked_.unblock(&s);
  s.blocked = false;
  if (s.sink) s.sink->on_unblocked();
}

// Re-runs the parked commands of every ready key, oldest waiter first. A command served
// here may itself make keys ready (BLMOVE pushes), so this loops until nothing is ready.
void Engine::serve_blocked() {
  serving_blocked_ = true;
  std::vector<std::string_view> argv;
  while (blocked_.has_ready()) {
    for (const auto& [db, key] : blocked_.take_ready()) {
      for (Session* s : blocked_.waiters_of(db, key)) {
        const blocking::Waiter* w = blocked_.find(s);
        if (!w) continue;
        std::vector<std::string> own = w->argv;  // the waiter may be rewritten by the re-run
        argv.assign(own.begin(), own.end());
        const CommandTable::Entry* e = resolve(argv);
        if (!e) continue;
        const int session_db = s->db;
        s->db = w->db;
        s->rerun = true;
        s->ready_key = key;
        s->block_requested = false;
        s->writer.set_proto(s->proto);
        dispatch(*s, *e, argv);
        s->rerun = false;
        s->ready_key = {};
        s->db = session_db;
        drain_expired();
        if (propagator_) flush_propagation();
        if (s->block_requested) {
          s->block_requested = false;  // still nothing for it: it keeps its place
        } else {
          release(*s);
        }
      }
    }
  }
  serving_blocked_ = false;
}

namespace {
void write_timeout_reply(Session& s, blocking::TimeoutReply r) {
  s.writer.set_proto(s.proto);
  if (r == blocking::TimeoutReply::kNullArray) {
    s.writer.null_array();
  } else {
    s.writer.null();
  }
}
}  // namespace

void Engine::count_unblocked_call(const blocking::Waiter& w, bool failed) {
  std::vector<std::string_view> argv(w.argv.begin(), w.argv.end());
  const CommandTable::Entry* e = resolve(argv);
  if (!e) return;
  ++e->stats.calls;
  if (failed) ++e->stats.failed_calls;
}

void Engine::expire_blocked() {
  refresh_clock();
  for (Session* s : blocked_.due(now_ms_)) {
    const blocking::Waiter* w = blocked_.find(s);
    write_timeout_reply(*s, w->on_timeout);
    count_unblocked_call(*w, false);
    release(*s);
  }
}

bool Engine::unblock_client(Session& s, bool with_error) {
  const blocking::Waiter* w = blocked_.find(&s);
  if (!w) return false;
  if (with_error) {
    s.writer.set_proto(s.proto);
    s.writer.error(errors::kUnblockedByClient);
    stats_.count_error(errors::kUnblockedByClient);
  } else {
    write_timeout_reply(s, w->on_timeout);
  }
  count_unblocked_call(*w, with_error);
  release(s);
  return true;
}

void Engine::drain_expired() {
  if (expired_pending_ == 0) return;  // the common case: one test per command
  expired_pending_ = 0;
  for (int i = 0; i < db_count(); ++i) {
    auto& log = dbs_[static_cast<size_t>(i)]->expired_log();
    if (log.empty()) continue;
    // Taken out first: announcing an expiry publishes, and publish_event() drains too.
    std::vector<std::string> keys;
    keys.swap(log);
    for (const auto& key : keys) {
      ++stats_.expired_keys;
      notify(pubsub::kClassExpired, "expired", key, i);
      touch(i, key);
      // The key was deleted when the command looked it up, before the command changed
      // anything: its DEL goes ahead of the command's own forms.
      if (propagator_) {
        unit_.insert(unit_.begin() + static_cast<ptrdiff_t>(command_start_++),
                     Propagated{i, {"DEL", key}});
      }
    }
    keys.clear();
    if (log.empty()) log.swap(keys);  // keep the capacity for the next expiry
  }
}

void Engine::publish_event(std::string_view event, std::string_view key, int db) {
  drain_expired();
  keyspace_events_.publish(config_.notify_keyspace_events, event, key, db);
}

void Engine::key_evicted(int db, std::string_view key) {
  ++stats_.evicted_keys;
  notify(pubsub::kClassEvicted, "evicted", key, db);
  touch(db, key);
}

void Engine::propagate(int db, std::vector<std::string> argv) {
  if (!propagator_) return;
  handler_propagated_ = true;
  unit_.push_back({db, std::move(argv)});
}

void Engine::flush_propagation(bool as_one_unit) {
  command_start_ = 0;
  if (unit_.empty()) return;
  static const std::string kMulti[] = {"MULTI"};
  static const std::string kExec[] = {"EXEC"};
  const bool wrap = as_one_unit && unit_.size() > 1;
  if (wrap) propagator_->propagate(unit_.front().db, kMulti);
  for (const auto& p : unit_) propagator_->propagate(p.db, p.argv);
  if (wrap) propagator_->propagate(unit_.back().db, kExec);
  unit_.clear();
}

bool Engine::watched_key_expired(const Session& s) const {
  for (const auto& [db, key] : s.watched) {
    if (dbs_[static_cast<size_t>(db)]->holds_expired(key, now_ms_)) return true;
  }
  return false;
}

void Engine::touch(int db, std::string_view key) {
  // A changed key may concern clients blocked on it: a deleted or retyped stream answers a
  // blocked XREADGROUP with an error. Re-runs signal what they push themselves.
  if (!serving_blocked_ && blocked_.keys_with_waiters() != 0) blocked_.signal_ready(db, key);
  if (watchers_.empty()) return;
  auto it = watchers_.find(watch_key(db, key));
  if (it == watchers_.end()) return;
  for (Session* w : it->second) w->watch_dirty = true;
}

void Engine::touch_all(int db) {
  // Every key of the database may be gone: clients blocked on one of them are re-run.
  if (blocked_.keys_with_waiters() != 0) {
    for (const auto& [id, s] : sessions_) {
      const blocking::Waiter* w = blocked_.find(s);
      if (!w || (db >= 0 && w->db != db)) continue;
      for (const auto& key : w->keys) blocked_.signal_ready(w->db, key);
    }
  }
  for (auto& [k, sessions] : watchers_) {
    if (db >= 0 && k.substr(0, k.find('\0')) != std::to_string(db)) continue;
    for (Session* w : sessions) w->watch_dirty = true;
  }
}

void Engine::swap_dbs(int a, int b) {
  std::swap(dbs_[static_cast<size_t>(a)], dbs_[static_cast<size_t>(b)]);
  touch_all(a);
  if (b != a) touch_all(b);
}

void Engine::watch(Session& s, int db, std::string_view key) {
  for (const auto& [d, k] : s.watched) {
    if (d == db && k == key) return;
  }
  s.watched.emplace_back(db, std::string(key));
  watchers_[watch_key(db, key)].push_back(&s);
}

void Engine::unwatch(Session& s) {
  for (const auto& [db, key] : s.watched) {
    auto it = watchers_.find(watch_key(db, key));
    if (it == watchers_.end()) continue;
    auto& v = it.value();
    std::erase(v, &s);
    if (v.empty()) watchers_.erase(it);
  }
  s.watched.clear();
  s.watch_dirty = false;
}

// Active expiry: a bounded number of keys with a TTL are checked per database per call,
// continuing where the last call stopped, so expired keys nobody reads are reclaimed while
// the cycle's cost stays small and predictable.
void Engine::cron() {
  refresh_clock();
  constexpr size_t kChecksPerDb = 200;
  for (size_t i = 0; i < dbs_.size(); ++i) {
    Db& d = *dbs_[(cron_db_ + i) % dbs_.size()];
    // Keep going on a database while a good share of what was checked had expired.
    for (int round = 0; round < 16; ++round) {
      size_t expired = d.active_expire(now_ms_, kChecksPerDb);
      if (expired < kChecksPerDb / 4) break;
    }
    d.shrink_if_sparse();
  }
  cron_db_ = (cron_db_ + 1) % dbs_.size();
  drain_expired();
  // Each key reclaimed here is its own change, not one transaction.
  if (propagator_) flush_propagation(false);
  expire_blocked();
  stats_.sample_rates(now_ms_);
}

Entry* Ctx::read(std::string_view key) {
  Entry* e = db().find(key, now_ms());
  if (e) {
    ++engine_.stats().keyspace_hits;
    e->value.lru = static_cast<uint32_t>(now_ms() / 1000);
  } else {
    ++engine_.stats().keyspace_misses;
    if (!session_.rerun) notify(pubsub::kClassKeyMiss, "keymiss", key);
  }
  return e;
}

Entry* Ctx::peek(std::string_view key, bool miss_event) {
  Entry* e = db().find(key, now_ms());
  ++(e ? engine_.stats().keyspace_hits : engine_.stats().keyspace_misses);
  if (!e && miss_event && !session_.rerun) notify(pubsub::kClassKeyMiss, "keymiss", key);
  return e;
}

Entry* Ctx::add(std::string_view key, Value value) {
  Entry* e = db().add(key, std::move(value));
  notify(pubsub::kClassNew, "new", key);
  return e;
}

void Ctx::block(std::span<const std::string_view> keys, int64_t timeout_ms,
                blocking::TimeoutReply on_timeout, std::span<const std::string_view> argv) {
  blocking::Waiter w;
  w.session = &session_;
  w.db = session_.db;
  w.argv.assign(argv.begin(), argv.end());
  w.keys.assign(keys.begin(), keys.end());
  w.deadline_ms = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
  w.on_timeout = on_timeout;
  w.seq = 0;
  engine_.blocked().block(std::move(w));
  session_.block_requested = true;
}

void Ctx::touch(int db, std::string_view key) {
  ++engine_.stats().dirty;
  engine_.touch(db, key);
}

Entry* Ctx::write(std::string_view key) {
  Entry* e = db().find(key, now_ms());
  if (e) e->value.lru = static_cast<uint32_t>(now_ms() / 1000);
  return e;
}

}  // namespace rill::core
