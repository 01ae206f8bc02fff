// Consumer-group bookkeeping: the PEL and the consumers' own sets kept in step, and the
// entries-read counter Redis 7.0 keeps for XINFO GROUPS' lag.
#include "types/stream_group.h"

#include "types/stream.h"

namespace rill::types {

Consumer& StreamGroup::consumer(std::string_view name, int64_t now_ms, bool* created) {
  auto it = consumers.find(name);
  if (created) *created = it == consumers.end();
  if (it != consumers.end()) return it->second;
  Consumer& c = consumers.emplace(std::string(name), Consumer{}).first->second;
  c.seen_time_ms = now_ms;
  return c;
}

Consumer* StreamGroup::find_consumer(std::string_view name) {
  auto it = consumers.find(name);
  return it == consumers.end() ? nullptr : &it->second;
}

uint64_t StreamGroup::delete_consumer(std::string_view name) {
  auto it = consumers.find(name);
  if (it == consumers.end()) return 0;
  const uint64_t n = it->second.pending.size();
  for (StreamId id : it->second.pending) pel.erase(id);
  consumers.erase(it);
  return n;
}

bool StreamGroup::ack(StreamId id) {
  auto it = pel.find(id);
  if (it == pel.end()) return false;
  if (Consumer* c = find_consumer(it->second.consumer)) c->pending.erase(id);
  pel.erase(it);
  return true;
}

PendingEntry& StreamGroup::assign(StreamId id, std::string_view name, Consumer& c) {
  auto [it, inserted] = pel.try_emplace(id);
  if (!inserted && it->second.consumer != name) {
    if (Consumer* old = find_consumer(it->second.consumer)) old->pending.erase(id);
  }
  it->second.consumer.assign(name);
  c.pending.insert(id);
  return it->second;
}

void StreamGroup::advance(const Stream& s, StreamId id) {
  if (!(last_id < id)) return;
  if (entries_read != kEntriesReadUnknown && !range_has_tombstones(s, id, StreamId::max())) {
    ++entries_read;
  } else if (s.entries_added() != 0) {
    entries_read = entries_up_to(s, id);
  }
  last_id = id;
}

bool StreamGroup::lag(const Stream& s, int64_t* out) const {
  const auto added = static_cast<int64_t>(s.entries_added());
  if (added == 0) {
    *out = 0;
    return true;
  }
  if (entries_read != kEntriesReadUnknown && !range_has_tombstones(s, last_id, StreamId::max())) {
    *out = added - entries_read;
    return true;
  }
  const int64_t read = entries_up_to(s, last_id);
  if (read == kEntriesReadUnknown) return false;
  *out = added - read;
  return true;
}

int64_t entries_up_to(const Stream& s, StreamId id) {
  const auto added = static_cast<int64_t>(s.entries_added());
  if (added == 0) return 0;
  if (s.length() == 0 && id <= s.last_id()) return added;
  if (id == s.last_id()) return added;
  if (id > s.last_id()) return kEntriesReadUnknown;
  // Without a tombstone at or after the first entry, the live entries are the last
  // `length` ever added, so positions up to the first entry are known.
  const StreamId max_del = s.max_deleted_id();
  if (max_del == StreamId::min() || max_del < s.first_id()) {
    const auto len = static_cast<int64_t>(s.length());
    if (id < s.first_id()) return added - len;
    if (id == s.first_id()) return added - len + 1;
  }
  return kEntriesReadUnknown;
}

bool range_has_tombstones(const Stream& s, StreamId lo, StreamId hi) {
  const StreamId max_del = s.max_deleted_id();
  if (s.length() == 0 || max_del == StreamId::min()) return false;
  if (s.first_id() > max_del) return false;
  return lo <= max_del && max_del <= hi;
}

}  // namespace rill::types
