#include "resp/request_parser.h"

#include <cstring>

#include "core/numbers.h"

namespace rill::resp {

namespace {

// Parses the digits of a RESP length ("123" or "-1") with Redis's string2ll rules, so "01",
// "-0" and "+1" are refused as Redis refuses them.
bool parse_length(std::string_view s, int64_t& out) {
  auto v = core::parse_int(s);
  if (!v) return false;
  out = *v;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'; }

}  // namespace

bool split_inline_args(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && is_space(line[i])) ++i;
    if (i >= n) return true;
    std::string cur;
    bool in_double = false, in_single = false, done = false;
    while (!done) {
      if (in_double) {
        if (i >= n) return false;
        char c = line[i];
        if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && hex_value(line[i + 2]) >= 0 &&
            hex_value(line[i + 3]) >= 0) {
          cur += static_cast<char>(hex_value(line[i + 2]) * 16 + hex_value(line[i + 3]));
          i += 3;
        } else if (c == '\\' && i + 1 < n) {
          char e = line[++i];
          switch (e) {
            case 'n': cur += '\n'; break;
            case 'r': cur += '\r'; break;
            case 't': cur += '\t'; break;
            case 'b': cur += '\b'; break;
            case 'a': cur += '\a'; break;
            default: cur += e; break;
          }
        } else if (c == '"') {
          // A closing quote must be followed by a space or the end.
          if (i + 1 < n && !is_space(line[i + 1])) return false;
          done = true;
        } else {
          cur += c;
        }
      } else if (in_single) {
        if (i >= n) return false;
        char c = line[i];
        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
          ++i;
          cur += '\'';
        } else if (c == '\'') {
          if (i + 1 < n && !is_space(line[i + 1])) return false;
          done = true;
        } else {
          cur += c;
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        char c = line[i];
        // Only these end an unquoted word (sdssplitargs): "a\vb" is one argument.
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
          done = true;
        } else if (c == '"') {
          in_double = true;
        } else if (c == '\'') {
          in_single = true;
        } else {
          cur += c;
        }
      }
      if (i < n) ++i;
    }
    out.push_back(std::move(cur));
  }
}

void RequestParser::reset() {
  pos_ = 0;
  args_expected_ = -1;
  bulk_len_ = -1;
  bulk_have_ = 0;
  spans_.clear();
}

RequestParser::Status RequestParser::fail(std::string text) {
  error_ = std::move(text);
  reset();
  return Status::kError;
}

size_t RequestParser::pending_bulk_hint() const {
  if (bulk_len_ < 0) return 0;
  return static_cast<size_t>(bulk_len_) + 2 - bulk_have_;
}

RequestParser::Status RequestParser::parse(std::string_view in, std::vector<std::string_view>& out) {
  out.clear();
  consumed_ = 0;
  if (in.empty()) return Status::kNeedMore;
  if (in[0] == '*') return parse_multibulk(in, out);
  return parse_inline(in, out);
}

RequestParser::Status RequestParser::parse_inline(std::string_view in,
                                                  std::vector<std::string_view>& out) {
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos) {
    if (in.size() > limits_->max_inline_len) return fail("Protocol error: too big inline request");
    return Status::kNeedMore;
  }
  std::string_view line = in.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!split_inline_args(line, inline_args_)) {
    return fail("Protocol error: unbalanced quotes in request");
  }
  for (const auto& a : inline_args_) out.emplace_back(a);
  consumed_ = nl + 1;
  reset();
  return Status::kDone;
}

RequestParser::Status RequestParser::parse_multibulk(std::string_view in,
                                                     std::vector<std::string_view>& out) {
  if (args_expected_ < 0) {
    size_t nl = in.find('\r', 0);
    if (nl == std::string_view::npos || nl + 1 >= in.size()) {
      if (in.size() > limits_->max_inline_len) {
        return fail("Protocol error: too big mbulk count string");
      }
      return Status::kNeedMore;
    }
    int64_t count;
    if (!parse_length(in.substr(1, nl - 1), count) || count > limits_->max_multibulk_len) {
      return fail("Protocol error: invalid multibulk length");
    }
    if (limits_->unauthenticated && count > kUnauthMaxArgs) {
      return fail("Protocol error: unauthenticated multibulk length");
    }
    pos_ = nl + 2;
    if (count <= 0) {  // "*0" and "*-1" are empty commands, skipped.
      consumed_ = pos_;
      reset();
      return Status::kDone;
    }
    args_expected_ = count;
    spans_.reserve(static_cast<size_t>(std::min<int64_t>(count, 1024)));
  }
  while (static_cast<int64_t>(spans_.size()) < args_expected_) {
    if (bulk_len_ < 0) {
      if (pos_ >= in.size()) return Status::kNeedMore;
      size_t nl = in.find('\r', pos_);
      if (nl == std::string_view::npos || nl + 1 >= in.size()) {
        if (in.size() - pos_ > limits_->max_inline_len) {
          return fail("Protocol error: too big bulk count string");
        }
        return Status::kNeedMore;
      }
      if (in[pos_] != '$') {
        return fail(std::string("Protocol error: expected '$', got '") + in[pos_] + "'");
      }
      int64_t len;
      if (!parse_length(in.substr(pos_ + 1, nl - pos_ - 1), len) || len < 0 ||
          len > limits_->max_bulk_len) {
        return fail("Protocol error: invalid bulk length");
      }
      if (limits_->unauthenticated && len > kUnauthMaxBulk) {
        return fail("Protocol error: unauthenticated bulk length");
      }
      bulk_len_ = len;
      pos_ = nl + 2;
    }
    size_t need = static_cast<size_t>(bulk_len_) + 2;
    if (in.size() - pos_ < need) {
      bulk_have_ = in.size() - pos_;
      return Status::kNeedMore;
    }
    bulk_have_ = 0;
    spans_.emplace_back(pos_, static_cast<size_t>(bulk_len_));
    pos_ += need;
    bulk_len_ = -1;
  }
  out.reserve(spans_.size());
  for (auto [off, len] : spans_) out.emplace_back(in.data() + off, len);
  consumed_ = pos_;
  reset();
  return Status::kDone;
}

}  // namespace rill::resp
