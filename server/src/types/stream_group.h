// Consumer groups of a stream: each group's last-delivered ID and entries-read counter, its
// pending-entries list (PEL) ordered by ID, and its consumers, each with its own pending set.
//
// A pending entry names its consumer; the consumer's set holds the same IDs, so XPENDING over
// one consumer and DELCONSUMER walk only that consumer's entries. Groups and consumers sit in
// ordered maps because XINFO lists them by name, as Redis's radix trees do.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "types/stream_id.h"

namespace rill::types {

class Stream;

struct PendingEntry {
  std::string consumer;
  int64_t delivery_time_ms = 0;
  uint64_t delivery_count = 0;
};

struct Consumer {
  int64_t seen_time_ms = 0;     // last time it read, claimed or was created
  int64_t active_time_ms = -1;  // last successful read or claim (-1: never)
  std::set<StreamId> pending;
};

// entries_read of a group whose position in the stream's history is unknown.
inline constexpr int64_t kEntriesReadUnknown = -1;

class StreamGroup {
 public:
  StreamId last_id;
  int64_t entries_read = kEntriesReadUnknown;
  std::map<StreamId, PendingEntry> pel;
  std::map<std::string, Consumer, std::less<>> consumers;

  // The consumer `name`, created (seen now) when missing; *created tells which.
  Consumer& consumer(std::string_view name, int64_t now_ms, bool* created = nullptr);
  Consumer* find_consumer(std::string_view name);
  // Removes a consumer and its pending entries; returns how many were pending.
  uint64_t delete_consumer(std::string_view name);
  // Acknowledges one ID; false when it was not pending.
  bool ack(StreamId id);
  // Makes `id` pending for `c` (named `name`), moving it from its previous owner if any.
  // Returns the entry, whose time and count the caller sets.
  PendingEntry& assign(StreamId id, std::string_view name, Consumer& c);
  // Records the delivery of `id` by a ">" read: advances last_id and entries_read as Redis
  // 7.0 does (the counter stays exact only while no tombstone lies ahead).
  void advance(const Stream& s, StreamId id);
  // The group's lag (XINFO GROUPS), or false when it cannot be known.
  bool lag(const Stream& s, int64_t* out) const;
};

// How many entries were ever added up to and including `id`, or kEntriesReadUnknown when the
// stream's deletions make that unknowable (Redis's estimate of a logical read counter).
int64_t entries_up_to(const Stream& s, StreamId id);
// Whether a deleted entry may lie in lo..hi (the stream's max deleted ID falls inside it).
bool range_has_tombstones(const Stream& s, StreamId lo, StreamId hi);

}  // namespace rill::types
