#include "types/stream_id.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "core/numbers.h"

namespace rill::types {

namespace {

// Redis's string2ull: a strict integer first; failing that, strtoull on the whole text, which
// takes leading spaces, a '+', leading zeros, and wraps a '-' around (as Redis does).
std::optional<uint64_t> read_u64(std::string_view s) {
  if (auto v = core::parse_int(s)) {
    if (*v < 0) return std::nullopt;
    return static_cast<uint64_t>(*v);
  }
  if (s.empty()) return std::nullopt;
  char buf[128];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  if (std::strlen(buf) != s.size()) return std::nullopt;  // an embedded NUL ends a C string
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(buf, &end, 10);
  if (errno == EINVAL || errno == ERANGE || *end != '\0') return std::nullopt;
  return static_cast<uint64_t>(v);
}

}  // namespace

bool StreamId::incr() {
  if (seq == kMax) {
    if (ms == kMax) return false;
    ++ms;
    seq = 0;
  } else {
    ++seq;
  }
  return true;
}

bool StreamId::decr() {
  if (seq == 0) {
    if (ms == 0) return false;
    --ms;
    seq = kMax;
  } else {
    --seq;
  }
  return true;
}

size_t StreamId::format(char* buf) const {
  // std::to_chars, not a digit-at-a-time loop: IDs are formatted for every entry a read
  // returns, and this was a fifth of XRANGE's work.
  char* p = std::to_chars(buf, buf + 20, ms).ptr;
  *p++ = '-';
  p = std::to_chars(p, p + 20, seq).ptr;
  return static_cast<size_t>(p - buf);
}

std::string StreamId::str() const {
  char buf[48];
  return std::string(buf, format(buf));
}

std::optional<StreamId> parse_stream_id(std::string_view s, uint64_t missing_seq, bool strict,
                                        bool* seq_given) {
  // Redis copies the argument into a 128-byte buffer and refuses anything longer.
  if (s.size() > 127) return std::nullopt;
  if (strict && s.size() == 1 && (s[0] == '-' || s[0] == '+')) return std::nullopt;
  if (seq_given) *seq_given = true;
  if (s == "-") return StreamId::min();
  if (s == "+") return StreamId::max();
  size_t dash = s.find('-');
  auto ms = read_u64(s.substr(0, dash));
  if (!ms) return std::nullopt;
  if (dash == std::string_view::npos) return StreamId{*ms, missing_seq};
  std::string_view rest = s.substr(dash + 1);
  if (seq_given && rest == "*") {
    *seq_given = false;
    return StreamId{*ms, 0};
  }
  auto seq = read_u64(rest);
  if (!seq) return std::nullopt;
  return StreamId{*ms, *seq};
}

std::optional<StreamId> parse_interval_id(std::string_view s, uint64_t missing_seq,
                                          bool* exclusive) {
  *exclusive = s.size() > 1 && s[0] == '(';
  if (*exclusive) return parse_stream_id(s.substr(1), missing_seq, true);
  return parse_stream_id(s, missing_seq, false);
}

}  // namespace rill::types
