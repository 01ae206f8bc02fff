#include "core/db.h"

namespace rill::core {

Db::~Db() { clear(); }

void Db::clear() {
  ttl_.clear([](Entry*) {});
  main_.clear([](Entry* e) { delete e; });
  expire_cursor_ = 0;
}

void Db::erase(Entry* e) {
  if (e->expire_at) ttl_.remove(e->key);
  main_.remove(e->key);
  delete e;
}

Entry* Db::find(std::string_view key, int64_t now_ms) {
  Entry* e = main_.find(key);
  if (e && e->expire_at && e->expire_at <= now_ms) {
    log_expired(e->key);
    erase(e);
    return nullptr;
  }
  return e;
}

const Entry* Db::peek(std::string_view key, int64_t now_ms) const {
  const Entry* e = main_.find(key);
  if (e && e->expire_at && e->expire_at <= now_ms) return nullptr;
  return e;
}

Entry* Db::add(std::string_view key, Value value) {
  auto* e = new Entry;
  e->key.assign(key);
  e->value = std::move(value);
  e->value.lru = static_cast<uint32_t>(*clock_ms_ / 1000);
  main_.insert(e);
  return e;
}

Entry* Db::put(std::string_view key, Value value, bool keep_ttl) {
  Entry* e = main_.find(key);
  if (!e) return add(key, std::move(value));
  e->value = std::move(value);
  e->value.lru = static_cast<uint32_t>(*clock_ms_ / 1000);
  if (!keep_ttl) persist(e);
  return e;
}

bool Db::remove(std::string_view key, int64_t now_ms) {
  Entry* e = find(key, now_ms);
  if (!e) return false;
  erase(e);
  return true;
}

std::unique_ptr<Entry> Db::take(std::string_view key, int64_t now_ms) {
  Entry* e = find(key, now_ms);
  if (!e) return nullptr;
  if (e->expire_at) ttl_.remove(e->key);
  main_.remove(e->key);
  e->next = e->exp_next = nullptr;
  return std::unique_ptr<Entry>(e);
}

void Db::adopt(std::unique_ptr<Entry> e) {
  Entry* raw = e.release();
  main_.insert(raw);
  if (raw->expire_at) ttl_.insert(raw);
}

void Db::set_expire(Entry* e, int64_t at_ms) {
  if (!e->expire_at) {
    e->expire_at = at_ms;
    ttl_.insert(e);
  } else {
    e->expire_at = at_ms;
  }
}

bool Db::persist(Entry* e) {
  if (!e->expire_at) return false;
  ttl_.remove(e->key);
  e->expire_at = 0;
  return true;
}

// Walks the TTL table with a persistent cursor, as Redis 7's active expiry does, so each
// call continues where the last stopped and every key with a TTL is visited in turn.
size_t Db::active_expire(int64_t now_ms, size_t max_checks) {
  if (ttl_.size() == 0) return 0;
  std::vector<Entry*> due;
  size_t checked = 0;
  do {
    expire_cursor_ = ttl_.scan(expire_cursor_, [&](Entry* e) {
      ++checked;
      if (e->expire_at <= now_ms) due.push_back(e);
    });
  } while (expire_cursor_ != 0 && checked < max_checks);
  for (Entry* e : due) {
    log_expired(e->key);
    erase(e);
  }
  return due.size();
}

}  // namespace rill::core
