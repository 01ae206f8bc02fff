#include "resp/reply_decoder.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace rill::resp {

namespace {

// Parsed bytes are dropped from the front of the buffer once they are this many and more
// than half of it, so a long session does not keep every reply it ever read.
constexpr size_t kCompactAt = 64 * 1024;

bool parse_i64(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

Reply scalar(ReplyType type, std::string_view text = {}) {
  Reply r;
  r.type = type;
  r.str = std::string(text);
  return r;
}

}  // namespace

bool Reply::is_aggregate() const {
  switch (type) {
    case ReplyType::kArray:
    case ReplyType::kMap:
    case ReplyType::kSet:
    case ReplyType::kPush:
    case ReplyType::kAttribute:
      return true;
    default:
      return false;
  }
}

bool Reply::operator==(const Reply& o) const {
  return type == o.type && str == o.str && format == o.format && integer == o.integer &&
         elements == o.elements && attribute == o.attribute;
}

void ReplyDecoder::feed(std::string_view bytes) {
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ >= kCompactAt && pos_ > buf_.size() / 2) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(bytes);
}

ReplyDecoder::Step ReplyDecoder::fail(std::string text) {
  error_ = std::move(text);
  return Step::kError;
}

// The rest of the current line (after the type byte), consuming it with its CRLF; nullopt
// while the CRLF has not arrived.
std::optional<std::string_view> ReplyDecoder::line() {
  size_t crlf = buf_.find("\r\n", pos_ + 1);
  if (crlf == std::string::npos) return std::nullopt;
  std::string_view l(buf_.data() + pos_ + 1, crlf - pos_ - 1);
  pos_ = crlf + 2;
  return l;
}

ReplyDecoder::Step ReplyDecoder::read_one(Reply& out) {
  if (pos_ >= buf_.size()) return Step::kNeedMore;
  const size_t start = pos_;
  const char type = buf_[pos_];
  auto l = line();
  if (!l) return Step::kNeedMore;
  int64_t n = 0;
  switch (type) {
    case '+':
      out = scalar(ReplyType::kSimple, *l);
      return Step::kValue;
    case '-':
      out = scalar(ReplyType::kError, *l);
      return Step::kValue;
    case ':':
      if (!parse_i64(*l, n)) return fail("bad integer '" + std::string(*l) + "'");
      out = scalar(ReplyType::kInteger);
      out.integer = n;
      return Step::kValue;
    case '_':
      if (!l->empty()) return fail("bad null");
      out = scalar(ReplyType::kNull);
      return Step::kValue;
    case '#':
      if (*l != "t" && *l != "f") return fail("bad boolean '" + std::string(*l) + "'");
      out = scalar(ReplyType::kBoolean);
      out.integer = *l == "t" ? 1 : 0;
      return Step::kValue;
    case ',': {
      std::string text(*l);
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) {
        return fail("bad double '" + text + "'");
      }
      out = scalar(ReplyType::kDouble, text);
      out.dbl = d;
      return Step::kValue;
    }
    case '(':
      out = scalar(ReplyType::kBigNum, *l);
      return Step::kValue;
    case '$':
    case '=':
    case '!': {
      if (!parse_i64(*l, n) || n < -1) return fail("bad length '" + std::string(*l) + "'");
      if (n == -1) {
        if (type != '$') return fail("bad length -1");
        out = scalar(ReplyType::kNull);
        return Step::kValue;
      }
      const size_t len = static_cast<size_t>(n);
      if (buf_.size() - pos_ < len + 2) {
        pos_ = start;  // the header is read again with the body; it is short
        return Step::kNeedMore;
      }
      std::string_view body(buf_.data() + pos_, len);
      if (buf_.compare(pos_ + len, 2, "\r\n") != 0) return fail("blob not followed by CRLF");
      pos_ += len + 2;
      if (type == '$') {
        out = scalar(ReplyType::kBulk, body);
      } else if (type == '!') {
        out = scalar(ReplyType::kError, body);
      } else {
        if (len < 4 || body[3] != ':') return fail("bad verbatim string");
        out = scalar(ReplyType::kVerbatim, body.substr(4));
        out.format = std::string(body.substr(0, 3));
      }
      return Step::kValue;
    }
    case '*':
    case '%':
    case '~':
    case '>':
    case '|': {
      if (!parse_i64(*l, n) || n < -1) return fail("bad count '" + std::string(*l) + "'");
      if (n == -1) {
        if (type != '*') return fail("bad count -1");
        out = scalar(ReplyType::kNull);
        return Step::kValue;
      }
      Reply node;
      node.type = type == '*'   ? ReplyType::kArray
                  : type == '%' ? ReplyType::kMap
                  : type == '~' ? ReplyType::kSet
                  : type == '>' ? ReplyType::kPush
                                : ReplyType::kAttribute;
      size_t count = static_cast<size_t>(n);
      if (type == '%' || type == '|') count *= 2;
      if (count == 0) {
        out = std::move(node);
        return Step::kValue;
      }
      node.elements.reserve(std::min<size_t>(count, 1024));
      stack_.push_back(Frame{std::move(node), count, {}});
      return Step::kOpened;
    }
    default:
      return fail(std::string("unknown reply type byte '") + type + "'");
  }
}

bool ReplyDecoder::deliver(Reply& value) {
  while (true) {
    if (stack_.empty()) {
      if (value.type == ReplyType::kAttribute) {
        top_attr_.assign(1, std::move(value));
        return false;
      }
      value.attribute = std::move(top_attr_);
      top_attr_.clear();
      return true;
    }
    Frame& f = stack_.back();
    if (value.type == ReplyType::kAttribute) {  // describes the next element; not counted
      f.pending_attr.assign(1, std::move(value));
      return false;
    }
    value.attribute = std::move(f.pending_attr);
    f.pending_attr.clear();
    f.node.elements.push_back(std::move(value));
    if (--f.remaining > 0) return false;
    value = std::move(f.node);
    stack_.pop_back();
  }
}

std::optional<Reply> ReplyDecoder::next() {
  while (!failed()) {
    Reply r;
    Step s = read_one(r);
    if (s == Step::kNeedMore || s == Step::kError) return std::nullopt;
    if (s == Step::kOpened) continue;
    if (deliver(r)) return r;
  }
  return std::nullopt;
}

// ---- printing, as redis-cli's TTY output ----

namespace {

void append_repr(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      default:
        if (std::isprint(static_cast<unsigned char>(c))) {
          out += c;
        } else {
          char hex[8];
          std::snprintf(hex, sizeof(hex), "\\x%02x", static_cast<unsigned char>(c));
          out += hex;
        }
    }
  }
  out += '"';
}

void format(std::string& out, const Reply& r, const std::string& prefix);

// Each item as "N) " with N right-aligned to the width of the largest index, as redis-cli
// does ("N# key => value" for maps, "N~ " for sets); nested replies are indented by that
// width plus two.
void format_aggregate(std::string& out, const Reply& r, const std::string& prefix) {
  const bool pairs = r.type == ReplyType::kMap || r.type == ReplyType::kAttribute;
  const size_t count = pairs ? r.elements.size() / 2 : r.elements.size();
  const char sep = r.type == ReplyType::kSet ? '~'
                   : r.type == ReplyType::kMap ? '#'
                   : r.type == ReplyType::kAttribute ? '|'
                                                     : ')';
  size_t width = std::to_string(count).size();
  std::string inner = prefix + std::string(width + 2, ' ');
  for (size_t i = 0; i < count; ++i) {
    std::string idx = std::to_string(i + 1);
    if (i > 0) out += prefix;
    out += std::string(width - idx.size(), ' ') + idx + sep + ' ';
    if (pairs) {
      std::string key;
      format(key, r.elements[2 * i], inner);
      key.pop_back();  // the key's newline
      out += key + " => ";
      // A value that takes several lines starts on its own line, indented like the keys'
      // nested items; a one-line value stays after the arrow.
      std::string value;
      format(value, r.elements[2 * i + 1], inner);
      const size_t nl = value.find('\n');
      if (nl != std::string::npos && nl + 1 < value.size()) out += "\n" + inner;
      out += value;
    } else {
      format(out, r.elements[i], inner);
    }
  }
}

void format(std::string& out, const Reply& r, const std::string& prefix) {
  for (const Reply& a : r.attribute) {
    out += "(attribute) ";
    format(out, a, prefix + std::string(12, ' '));
    out += prefix;
  }
  switch (r.type) {
    case ReplyType::kSimple: out += r.str; break;
    case ReplyType::kError: out += "(error) " + r.str; break;
    case ReplyType::kInteger: out += "(integer) " + std::to_string(r.integer); break;
    case ReplyType::kDouble: out += "(double) " + r.str; break;
    case ReplyType::kBigNum: out += "(big number) " + r.str; break;
    case ReplyType::kBoolean: out += r.integer ? "(true)" : "(false)"; break;
    case ReplyType::kNull: out += "(nil)"; break;
    case ReplyType::kBulk: append_repr(out, r.str); break;
    case ReplyType::kVerbatim: out += r.str; break;
    case ReplyType::kArray:
    case ReplyType::kMap:
    case ReplyType::kSet:
    case ReplyType::kPush:
    case ReplyType::kAttribute:
      if (r.elements.empty()) {
        out += r.type == ReplyType::kArray  ? "(empty array)"
               : r.type == ReplyType::kMap  ? "(empty hash)"
               : r.type == ReplyType::kSet  ? "(empty set)"
               : r.type == ReplyType::kPush ? "(empty push)"
                                            : "(empty attribute)";
        break;
      }
      format_aggregate(out, r, prefix);
      return;  // each element ended its own line
  }
  out += '\n';
}

}  // namespace

std::string to_string(const Reply& r) {
  std::string out;
  format(out, r, "");
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace rill::resp
