#include "core/numbers.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace rill::core {

std::optional<int64_t> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (s.size() == 1 && s[0] == '0') return 0;
  if (s[0] == '-') {
    neg = true;
    i = 1;
    if (s.size() == 1) return std::nullopt;
  }
  if (s[i] < '1' || s[i] > '9') return std::nullopt;
  uint64_t v = 0;
  // Overflow is caught by the multiply and add themselves: every RESP header and length goes
  // through here, and a division per digit was most of its cost.
  for (; i < s.size(); ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - unsigned{'0'};
    if (d > 9) return std::nullopt;
    if (__builtin_mul_overflow(v, uint64_t{10}, &v) || __builtin_add_overflow(v, d, &v)) {
      return std::nullopt;
    }
  }
  if (neg) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - v);
  }
  if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<uint64_t> parse_uint(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  if (s.size() == 1 && s[0] == '0') return 0;
  if (s[0] < '1' || s[0] > '9') return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) {
  if (s.empty()) return std::nullopt;  // no length limit: Redis runs strtod on the whole string
  std::string buf(s);
  if (std::isspace(static_cast<unsigned char>(buf[0]))) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0)) ||
      std::isnan(v)) {
    return std::nullopt;
  }
  return v;
}

std::optional<long double> parse_long_double(std::string_view s) {
  // Redis copies the text into a 5120-byte buffer (MAX_LONG_DOUBLE_CHARS) and refuses longer.
  if (s.empty() || s.size() >= 5120) return std::nullopt;
  std::string buf(s);
  if (std::isspace(static_cast<unsigned char>(buf[0]))) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long double v = std::strtold(buf.c_str(), &end);
  // ERANGE only refuses overflow and underflow to zero: a subnormal result is kept.
  if (end != buf.c_str() + buf.size() || std::isspace(static_cast<unsigned char>(buf.back())) ||
      (errno == ERANGE && (std::isinf(v) || v == 0)) || std::isnan(v)) {
    return std::nullopt;
  }
  return v;
}

std::string int_to_string(int64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, p);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y && std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

}  // namespace rill::core
