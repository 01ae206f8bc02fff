// A stream: entries (an ID and field-value pairs) in ID order, packed into nodes.
//
// Each node holds a run of consecutive entries in one byte string. An entry's ID is stored
// as a delta against the node's first ID, and an entry whose field names are those of the
// node's first entry (the "master" fields) stores only its values, as Redis's listpacks do.
// The nodes sit in an ordered map keyed by their first ID, so a range read seeks to its first
// node in O(log nodes) and then decodes sequentially.
//
// XDEL and exact trimming mark entries deleted in place; a node whose entries are all deleted
// is removed, and a node with more tombstones than live entries is rewritten without them.
// When a node is full (stream-node-max-entries entries, or stream-node-max-bytes in Redis's
// own listpack accounting, which each node tracks beside its real bytes) a new one starts.
// Splitting nodes exactly where Redis would keeps `MAXLEN ~` and `MINID ~`, which trim whole
// nodes only, answering as Redis does.
//
// Consumer groups (types/stream_group.h) hang off the Stream beside the nodes: a group needs
// only IDs and the length/entries_added counters kept here.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/value.h"
#include "types/stream_group.h"
#include "types/stream_id.h"

namespace rill::types {

// XADD / XTRIM trimming, as read by the one grammar both share.
struct TrimSpec {
  enum class Strategy : uint8_t { kNone, kMaxLen, kMinId };
  Strategy strategy = Strategy::kNone;
  bool approx = false;  // "~": whole nodes only
  int64_t maxlen = 0;
  StreamId minid;
  int64_t limit = 0;    // at most this many entries removed; 0: no limit
};

// The ID an XADD asks for: "*", "ms-*" or "ms-seq".
struct AddId {
  enum class Kind : uint8_t { kAuto, kMsAuto, kExplicit };
  Kind kind = Kind::kAuto;
  StreamId id;
};

struct NodeLimits {
  int64_t max_bytes = 4096;   // stream-node-max-bytes; 0: no limit (1 GiB, as Redis)
  int64_t max_entries = 100;  // stream-node-max-entries; 0: no limit
};

class Stream final : public core::Object {
 public:
  struct Node {
    std::vector<std::string> master;  // field names of the node's first entry
    std::string data;                 // packed entries (layout in stream.cpp)
    StreamId last;                    // the last ID ever stored here, deleted or not
    uint32_t live = 0;
    uint32_t deleted = 0;             // tombstones counted as Redis counts them
    uint32_t model_bytes = 0;         // Redis's listpack size for these entries (splitting)
    uint32_t tombstones = 0;          // deleted entries still in `data`
  };

  // Walks one node's entries in order, deleted ones included (deleted() tells).
  class NodeReader {
   public:
    NodeReader(const Node& n, StreamId first) : node_(n), first_(first) {}
    bool next();
    void seek(size_t offset) { pos_ = offset; }
    size_t offset() const { return start_; }  // where the current entry starts
    bool deleted() const { return flags_ & 1; }
    StreamId id() const { return id_; }
    // Field, value, field, value, ...: views into the node, valid until the stream changes.
    std::span<const std::string_view> fields() const { return fv_; }

   private:
    const Node& node_;
    StreamId first_;
    size_t pos_ = 0, start_ = 0;
    uint8_t flags_ = 0;
    StreamId id_;
    std::vector<std::string_view> fv_;
  };

  std::unique_ptr<core::Object> clone() const override;
  std::string_view encoding() const override { return "stream"; }

  // Appends one entry. `fv` is field, value, ... (an even, non-zero count). `now_ms` is the
  // clock "*" reads. Errors: the ID is not above last_id, or "ms-*" ran out of sequences.
  Result<StreamId> append(std::span<const std::string_view> fv, AddId id, int64_t now_ms,
                          NodeLimits limits);
  // Removes the entry `id`; false if there is none.
  bool remove(StreamId id);
  // Trims as XTRIM does; returns how many entries were removed.
  int64_t trim(const TrimSpec& t);

  // Calls f(id, fields) for live entries with lo <= id <= hi, ascending (descending when
  // reverse), at most `count` of them (0: all). Returns how many were visited.
  template <class F>
  size_t range(StreamId lo, StreamId hi, size_t count, bool reverse, F&& f) const;

  uint64_t length() const { return length_; }
  StreamId last_id() const { return last_id_; }
  StreamId first_id() const { return first_id_; }
  StreamId max_deleted_id() const { return max_deleted_; }
  uint64_t entries_added() const { return entries_added_; }
  // The ID of the last live entry, or 0-0 when empty.
  StreamId last_live_id() const;
  size_t node_count() const { return nodes_.size(); }
  // Bytes held by the nodes (data, master fields, map overhead estimate): the memory test.
  size_t memory_usage() const;

  // XSETID: the caller has checked the values against length() and last_live_id().
  void set_last_id(StreamId id) { last_id_ = id; }
  void set_entries_added(uint64_t n) { entries_added_ = n; }
  void set_max_deleted_id(StreamId id) { max_deleted_ = id; }

  // Consumer groups by name (types/stream_group.h); copied with the stream (COPY).
  using Groups = std::map<std::string, StreamGroup, std::less<>>;
  Groups& groups() { return groups_; }
  const Groups& groups() const { return groups_; }
  StreamGroup* find_group(std::string_view name) {
    auto it = groups_.find(name);
    return it == groups_.end() ? nullptr : &it->second;
  }

 private:
  StreamId first_live_id() const;
  // Marks the entry at `offset` of `n` deleted.
  void mark_deleted(Node& n, size_t offset);
  // Rewrites a node without its tombstones, once they outnumber the live entries.
  void maybe_compact(StreamId first, Node& n);

  std::map<StreamId, Node> nodes_;
  uint64_t length_ = 0;
  StreamId last_id_, first_id_, max_deleted_;
  uint64_t entries_added_ = 0;
  Groups groups_;
};

template <class F>
size_t Stream::range(StreamId lo, StreamId hi, size_t count, bool reverse, F&& f) const {
  if (lo > hi || length_ == 0) return 0;
  size_t n = 0;
  if (!reverse) {
    auto it = nodes_.upper_bound(lo);
    if (it != nodes_.begin()) --it;
    for (; it != nodes_.end() && it->first <= hi; ++it) {
      if (it->second.last < lo) continue;
      NodeReader r(it->second, it->first);
      while (r.next()) {
        if (r.deleted() || r.id() < lo) continue;
        if (r.id() > hi) return n;
        f(r.id(), r.fields());
        if (++n == count) return n;
      }
    }
    return n;
  }
  std::vector<size_t> offsets;
  for (auto it = nodes_.upper_bound(hi); it != nodes_.begin();) {
    --it;
    if (it->second.last < lo) break;
    NodeReader r(it->second, it->first);
    offsets.clear();
    while (r.next()) {
      if (r.id() > hi) break;
      if (!r.deleted() && r.id() >= lo) offsets.push_back(r.offset());
    }
    for (size_t i = offsets.size(); i-- > 0;) {
      r.seek(offsets[i]);
      r.next();
      f(r.id(), r.fields());
      if (++n == count) return n;
    }
  }
  return n;
}

}  // namespace rill::types
