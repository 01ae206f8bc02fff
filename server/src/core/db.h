// One numbered database: the keys, their values and their expiry times.
//
// Expiry is lazy and active, as in Redis. Every lookup checks the key's deadline and deletes
// an expired key before answering; the server's periodic cycle (active_expire) samples keys
// with a TTL so that keys nobody reads do not pile up. Keys deleted for expiry are recorded
// in expired_log(), which the engine drains after each command to propagate and notify:
// the database itself has no side effects.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/dict.h"
#include "core/value.h"

namespace rill::core {

struct Entry {
  Entry* next = nullptr;      // chain in the main table
  Entry* exp_next = nullptr;  // chain in the TTL table (when expire_at != 0)
  int64_t expire_at = 0;      // unix ms; 0 = no TTL
  std::string key;
  Value value;
};

class Db {
 public:
  // `clock_ms` is the engine's command clock; new and replaced values take their access
  // time (OBJECT IDLETIME) from it.
  // `expired_pending`, when given, counts keys added to expired_log(): the engine's one test
  // per command for "anything to drain" in place of a walk over every database's log.
  explicit Db(const int64_t* clock_ms, size_t* expired_pending = nullptr)
      : clock_ms_(clock_ms), expired_pending_(expired_pending) {}
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // The live entry for `key` at time `now_ms`, or null. An expired key is deleted first.
  Entry* find(std::string_view key, int64_t now_ms);
  // As find(), without deleting (for commands that must not have side effects, and for
  // tests). An expired key still reads as absent.
  const Entry* peek(std::string_view key, int64_t now_ms) const;

  // Adds `key` (absent) with `value`; returns the new entry, with no TTL.
  // Whether `key` is still stored but past its deadline (not yet deleted).
  bool holds_expired(std::string_view key, int64_t now_ms) const {
    const Entry* e = main_.find(key);
    return e && e->expire_at && e->expire_at <= now_ms;
  }

  Entry* add(std::string_view key, Value value);
  // Replaces the value of `key` (creating it if absent). The TTL is kept only if keep_ttl.
  Entry* put(std::string_view key, Value value, bool keep_ttl = false);
  // Deletes `key`; returns whether it existed (expired keys do not count as existing).
  bool remove(std::string_view key, int64_t now_ms);
  // Detaches and returns the entry for `key` with its TTL (RENAME/MOVE), or null.
  std::unique_ptr<Entry> take(std::string_view key, int64_t now_ms);
  // Links an entry taken from this or another Db; the key must be absent.
  void adopt(std::unique_ptr<Entry> e);

  void set_expire(Entry* e, int64_t at_ms);
  // Removes the TTL; returns whether there was one.
  bool persist(Entry* e);

  size_t size() const { return main_.size(); }
  size_t expires() const { return ttl_.size(); }
  void clear();

  // Deletes up to a bounded amount of expired keys; returns how many were deleted.
  size_t active_expire(int64_t now_ms, size_t max_checks);
  // Keys deleted for expiry since the last drain, lazily or actively.
  std::vector<std::string>& expired_log() { return expired_log_; }

  template <class Rng>
  Entry* random_entry(Rng& rng) const { return main_.random(rng); }
  template <class F>
  uint64_t scan(uint64_t cursor, F&& f) const { return main_.scan(cursor, f); }
  template <class F>
  void for_each(F&& f) const { main_.for_each(f); }
  void shrink_if_sparse() { main_.shrink_if_sparse(); ttl_.shrink_if_sparse(); }

 private:
  void erase(Entry* e);  // unlink from both tables and free

  Dict<Entry, &Entry::next> main_;
  Dict<Entry, &Entry::exp_next> ttl_;
  const int64_t* clock_ms_;
  uint64_t expire_cursor_ = 0;
  std::vector<std::string> expired_log_;
  size_t* expired_pending_ = nullptr;
  void log_expired(const std::string& key) {
    expired_log_.push_back(key);
    if (expired_pending_) ++*expired_pending_;
  }
};

}  // namespace rill::core
