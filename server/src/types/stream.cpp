// Entry layout inside a node's byte string:
//
//   flags      1 byte: bit 0 deleted, bit 1 same fields as the node's master
//   ms delta   varint: id.ms - first.ms
//   seq        varint: id.seq - first.seq when the ms delta is 0, else id.seq itself
//   values     same fields:  one (varint length, bytes) per master field
//   or pairs   otherwise:    varint pair count, then (length, bytes) field, value, ...
//
// Beside it each node keeps the size Redis's listpack would have for the same entries, so
// nodes split exactly where Redis's do (see stream.h).
#include "types/stream.h"

#include <algorithm>
#include <cstring>

#include "core/errors.h"
#include "core/numbers.h"

namespace rill::types {

namespace {

constexpr uint8_t kDeleted = 1;
constexpr uint8_t kSameFields = 2;
constexpr int64_t kListpackMaxSize = int64_t{1} << 30;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t get_varint(const std::string& in, size_t& pos) {
  uint64_t v = 0;
  int shift = 0;
  while (true) {
    auto b = static_cast<uint8_t>(in[pos++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
    shift += 7;
  }
}

void put_bytes(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

std::string_view get_bytes(const std::string& in, size_t& pos) {
  size_t n = get_varint(in, pos);
  std::string_view s(in.data() + pos, n);
  pos += n;
  return s;
}

// Redis's listpack element sizes (encoding plus back-length), for the node-split rule.
uint32_t lp_backlen(uint64_t l) {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

uint32_t lp_int(int64_t v) {
  uint32_t enc;
  if (v >= 0 && v <= 127) {
    enc = 1;
  } else if (v >= -4096 && v <= 4095) {
    enc = 2;
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    enc = 3;
  } else if (v >= -(1 << 23) && v <= (1 << 23) - 1) {
    enc = 4;
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    enc = 5;
  } else {
    enc = 9;
  }
  return enc + lp_backlen(enc);
}

uint32_t lp_str(std::string_view s) {
  if (auto v = core::parse_int(s)) return lp_int(*v);
  uint64_t enc = s.size() + (s.size() < 64 ? 1 : s.size() < 4096 ? 2 : 5);
  return static_cast<uint32_t>(enc + lp_backlen(enc));
}

// The whole listpack: header, count, deleted, then what the node accumulated, end byte.
int64_t lp_total(const Stream::Node& n) {
  return 7 + lp_int(n.live) + lp_int(n.deleted) + n.model_bytes;
}

bool same_fields(const Stream::Node& n, std::span<const std::string_view> fv) {
  if (n.master.size() * 2 != fv.size()) return false;
  for (size_t i = 0; i < n.master.size(); ++i) {
    if (n.master[i] != fv[i * 2]) return false;
  }
  return true;
}

// Appends one entry to `n` (whose first ID is `first`), in both encodings.
void encode_entry(Stream::Node& n, StreamId first, StreamId id, uint8_t flags,
                  std::span<const std::string_view> fv) {
  const bool same = flags & kSameFields;
  n.data.push_back(static_cast<char>(flags));
  const uint64_t ms_delta = id.ms - first.ms;
  put_varint(n.data, ms_delta);
  put_varint(n.data, ms_delta == 0 ? id.seq - first.seq : id.seq);
  uint32_t model = lp_int(flags) + lp_int(static_cast<int64_t>(ms_delta)) +
                   lp_int(static_cast<int64_t>(id.seq - first.seq));
  const size_t pairs = fv.size() / 2;
  if (same) {
    for (size_t i = 0; i < pairs; ++i) {
      put_bytes(n.data, fv[i * 2 + 1]);
      model += lp_str(fv[i * 2 + 1]);
    }
    model += lp_int(static_cast<int64_t>(pairs));
  } else {
    put_varint(n.data, pairs);
    model += lp_int(static_cast<int64_t>(pairs));
    for (auto s : fv) {
      put_bytes(n.data, s);
      model += lp_str(s);
    }
    model += lp_int(static_cast<int64_t>(pairs * 2 + 1));
  }
  n.model_bytes += model;
  n.last = id;
}

}  // namespace

bool Stream::NodeReader::next() {
  const std::string& d = node_.data;
  if (pos_ >= d.size()) return false;
  start_ = pos_;
  flags_ = static_cast<uint8_t>(d[pos_++]);
  const uint64_t ms_delta = get_varint(d, pos_);
  const uint64_t seq = get_varint(d, pos_);
  id_ = {first_.ms + ms_delta, ms_delta == 0 ? first_.seq + seq : seq};
  fv_.clear();
  if (flags_ & kSameFields) {
    for (const auto& f : node_.master) {
      fv_.push_back(f);
      fv_.push_back(get_bytes(d, pos_));
    }
  } else {
    size_t pairs = get_varint(d, pos_);
    for (size_t i = 0; i < pairs * 2; ++i) fv_.push_back(get_bytes(d, pos_));
  }
  return true;
}

std::unique_ptr<core::Object> Stream::clone() const { return std::make_unique<Stream>(*this); }

Result<StreamId> Stream::append(std::span<const std::string_view> fv, AddId want, int64_t now_ms,
                                NodeLimits limits) {
  if (last_id_ == StreamId::max()) return Status::error(std::string(errors::kStreamExhausted));
  StreamId id = want.id;
  switch (want.kind) {
    case AddId::Kind::kAuto:
      if (static_cast<uint64_t>(now_ms) > last_id_.ms) {
        id = {static_cast<uint64_t>(now_ms), 0};
      } else {
        id = last_id_;
        id.incr();
      }
      break;
    case AddId::Kind::kMsAuto:
      if (id.ms == last_id_.ms) {
        if (last_id_.seq == StreamId::kMax) {
          return Status::error(std::string(errors::kStreamElementsTooLarge));
        }
        id.seq = last_id_.seq + 1;
      } else {
        id.seq = 0;
      }
      break;
    case AddId::Kind::kExplicit:
      break;
  }
  if (id <= last_id_) return Status::error(std::string(errors::kXaddIdTooSmall));

  // Redis's rule for starting a new node: the listpack would reach max-bytes with this
  // entry's field and value bytes, or it holds max-entries entries, tombstones included.
  Node* n = nullptr;
  StreamId first;
  if (!nodes_.empty()) {
    auto it = std::prev(nodes_.end());
    int64_t max_bytes = limits.max_bytes;
    if (max_bytes <= 0 || max_bytes > kListpackMaxSize) max_bytes = kListpackMaxSize;
    int64_t added = 0;
    for (auto s : fv) added += static_cast<int64_t>(s.size());
    Node& last = it->second;
    const bool full_bytes = lp_total(last) + added >= max_bytes;
    const bool full_count = limits.max_entries > 0 &&
                            static_cast<int64_t>(last.live + last.deleted) >= limits.max_entries;
    if (!full_bytes && !full_count) {
      n = &last;
      first = it->first;
    } else if (last.data.capacity() > last.data.size() + 64) {
      last.data.shrink_to_fit();  // a closed node never grows again
    }
  }
  uint8_t flags = 0;
  if (!n) {
    first = id;
    n = &nodes_[id];
    for (size_t i = 0; i < fv.size(); i += 2) {
      n->master.emplace_back(fv[i]);
      n->model_bytes += lp_str(fv[i]);
    }
    n->model_bytes += lp_int(static_cast<int64_t>(n->master.size())) + lp_int(0);
    flags = kSameFields;
  } else if (same_fields(*n, fv)) {
    flags = kSameFields;
  }
  encode_entry(*n, first, id, flags, fv);
  ++n->live;
  if (length_ == 0) first_id_ = id;
  ++length_;
  ++entries_added_;
  last_id_ = id;
  return id;
}

void Stream::mark_deleted(Node& n, size_t offset) {
  n.data[offset] = static_cast<char>(n.data[offset] | kDeleted);
  --n.live;
  ++n.deleted;
  ++n.tombstones;
  --length_;
}

void Stream::maybe_compact(StreamId first, Node& n) {
  if (n.tombstones <= n.live || n.data.size() < 256) return;
  // Entries are self-delimiting and their deltas are against `first`, which stays: copy
  // the live entries' byte ranges as they are.
  std::string kept;
  kept.reserve(n.data.size() / 2);
  NodeReader walk(n, first);
  std::vector<std::pair<size_t, bool>> starts;
  while (walk.next()) starts.emplace_back(walk.offset(), walk.deleted());
  for (size_t i = 0; i < starts.size(); ++i) {
    if (starts[i].second) continue;
    size_t from = starts[i].first;
    size_t to = i + 1 < starts.size() ? starts[i + 1].first : n.data.size();
    kept.append(n.data, from, to - from);
  }
  n.data.swap(kept);
  n.data.shrink_to_fit();
  n.tombstones = 0;
}

bool Stream::remove(StreamId id) {
  auto it = nodes_.upper_bound(id);
  if (it == nodes_.begin()) return false;
  --it;
  Node& n = it->second;
  if (n.last < id) return false;
  NodeReader r(n, it->first);
  while (r.next()) {
    if (r.id() > id) return false;
    if (r.id() < id) continue;
    if (r.deleted()) return false;
    const bool was_first = id == first_id_;
    mark_deleted(n, r.offset());
    if (n.live == 0) {
      nodes_.erase(it);
    } else {
      maybe_compact(it->first, n);
    }
    if (max_deleted_ < id) max_deleted_ = id;
    if (length_ == 0) {
      first_id_ = StreamId::min();
    } else if (was_first) {
      first_id_ = first_live_id();
    }
    return true;
  }
  return false;
}

int64_t Stream::trim(const TrimSpec& t) {
  using S = TrimSpec::Strategy;
  if (t.strategy == S::kNone) return 0;
  const bool by_len = t.strategy == S::kMaxLen;
  const uint64_t maxlen = static_cast<uint64_t>(t.maxlen);
  int64_t removed = 0;
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    if (by_len && length_ <= maxlen) break;
    Node& n = it->second;
    const int64_t entries = n.live;
    if (t.limit && removed + entries > t.limit) break;
    const bool whole = by_len ? length_ - n.live >= maxlen : n.last < t.minid;
    if (whole) {
      length_ -= n.live;
      removed += entries;
      it = nodes_.erase(it);
      continue;
    }
    if (t.approx) break;
    // The stopping point is inside this node: tombstone entries up to it.
    NodeReader r(n, it->first);
    while (r.next()) {
      if (by_len ? length_ <= maxlen : r.id() >= t.minid) break;
      if (r.deleted()) continue;
      mark_deleted(n, r.offset());
      ++removed;
    }
    maybe_compact(it->first, n);
    break;
  }
  if (removed) first_id_ = length_ ? first_live_id() : StreamId::min();
  return removed;
}

StreamId Stream::first_live_id() const {
  StreamId out;
  range(StreamId::min(), StreamId::max(), 1, false,
        [&](StreamId id, std::span<const std::string_view>) { out = id; });
  return out;
}

StreamId Stream::last_live_id() const {
  StreamId out;
  range(StreamId::min(), StreamId::max(), 1, true,
        [&](StreamId id, std::span<const std::string_view>) { out = id; });
  return out;
}

size_t Stream::memory_usage() const {
  // A std::map node: three pointers, a colour word, the key and the Node.
  size_t total = sizeof(*this);
  for (const auto& [first, n] : nodes_) {
    total += 4 * sizeof(void*) + sizeof(first) + sizeof(n) + n.data.capacity();
    total += n.master.capacity() * sizeof(std::string);
    for (const auto& f : n.master) {
      if (f.capacity() > 15) total += f.capacity() + 1;
    }
  }
  return total;
}

}  // namespace rill::types
