// Stream IDs: "ms-seq", two unsigned 64-bit numbers ordered as a pair. Parsing follows Redis
// exactly, including its lenient number reading (strtoull: " 1", "+1" and "01" are accepted),
// the incomplete form "ms" (the sequence filled in by the caller's context: 0 for a start,
// the maximum for an end), "-" and "+", and "ms-*" for XADD.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace rill::types {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  static constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  static constexpr StreamId min() { return {0, 0}; }
  static constexpr StreamId max() { return {kMax, kMax}; }

  auto operator<=>(const StreamId&) const = default;

  // The next / previous possible ID. False (and the ID unchanged) at the ends.
  bool incr();
  bool decr();
  std::string str() const;
  // Writes "ms-seq" into buf (at least 42 bytes); returns the length.
  size_t format(char* buf) const;
};

// How an ID argument is read. `strict` refuses "-" and "+" (IDs that name an entry, as XADD,
// XDEL, XSETID and MINID take). `missing_seq` is the sequence of an incomplete "ms" ID.
// `seq_given`, when not null, allows "ms-*" (XADD) and reports whether a sequence was given.
std::optional<StreamId> parse_stream_id(std::string_view s, uint64_t missing_seq, bool strict,
                                        bool* seq_given = nullptr);

// A bound of XRANGE / XREVRANGE: an ID, "-", "+", an incomplete ID or "(" + a strict ID
// (exclusive). `exclusive` reports the "(" form.
std::optional<StreamId> parse_interval_id(std::string_view s, uint64_t missing_seq,
                                          bool* exclusive);

}  // namespace rill::types
