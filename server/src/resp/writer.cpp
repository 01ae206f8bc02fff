#include "resp/writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace rill::resp {

namespace {
// Writes c, the decimal n and CRLF into buf (at least 24 bytes); returns the end.
char* put_header(char* buf, char c, int64_t n) {
  buf[0] = c;
  char* p = std::to_chars(buf + 1, buf + 22, n).ptr;
  p[0] = '\r';
  p[1] = '\n';
  return p + 2;
}
}  // namespace

void Writer::header(char c, int64_t n) {
  char buf[24];
  out_->append(buf, static_cast<size_t>(put_header(buf, c, n) - buf));
}

void Writer::simple(std::string_view s) {
  out_->push_back('+');
  out_->append(s);
  out_->append("\r\n", 2);
}

void Writer::error(std::string_view text) {
  out_->push_back('-');
  size_t start = out_->size();
  out_->append(text);
  for (size_t i = start; i < out_->size(); ++i) {
    if ((*out_)[i] == '\r' || (*out_)[i] == '\n') (*out_)[i] = ' ';
  }
  out_->append("\r\n", 2);
}

void Writer::integer(int64_t v) { header(':', v); }

void Writer::bulk(std::string_view s) {
  // A small bulk string (field names, values, stream IDs: most of a read's reply) is composed
  // on the stack and appended once, instead of three appends that each check the capacity.
  constexpr size_t kSmall = 104;
  char buf[24 + kSmall + 2];
  char* p = put_header(buf, '$', static_cast<int64_t>(s.size()));
  if (s.size() <= kSmall) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());  // an empty view may hold null
    p += s.size();
    p[0] = '\r';
    p[1] = '\n';
    out_->append(buf, static_cast<size_t>(p + 2 - buf));
    return;
  }
  out_->append(buf, static_cast<size_t>(p - buf));
  out_->append(s);
  out_->append("\r\n", 2);
}

void Writer::null() {
  if (proto_ >= 3) {
    out_->append("_\r\n", 3);
  } else {
    out_->append("$-1\r\n", 5);
  }
}

void Writer::null_array() {
  if (proto_ >= 3) {
    out_->append("_\r\n", 3);
  } else {
    out_->append("*-1\r\n", 5);
  }
}

void Writer::array(size_t n) { header('*', static_cast<int64_t>(n)); }

void Writer::map(size_t pairs) {
  if (proto_ >= 3) {
    header('%', static_cast<int64_t>(pairs));
  } else {
    header('*', static_cast<int64_t>(pairs * 2));
  }
}

void Writer::set(size_t n) { header(proto_ >= 3 ? '~' : '*', static_cast<int64_t>(n)); }

void Writer::push(size_t n) { header(proto_ >= 3 ? '>' : '*', static_cast<int64_t>(n)); }

void Writer::boolean(bool b) {
  if (proto_ >= 3) {
    out_->append(b ? "#t\r\n" : "#f\r\n", 4);
  } else {
    out_->append(b ? ":1\r\n" : ":0\r\n", 4);
  }
}

void Writer::dbl(double d) {
  std::string s = format_double(d);
  if (proto_ >= 3) {
    out_->push_back(',');
    out_->append(s);
    out_->append("\r\n", 2);
  } else {
    bulk(s);
  }
}

void Writer::verbatim(std::string_view s) {
  if (proto_ >= 3) {
    header('=', static_cast<int64_t>(s.size() + 4));
    out_->append("txt:", 4);
    out_->append(s);
    out_->append("\r\n", 2);
  } else {
    bulk(s);
  }
}

// The header is reserved as a fixed-width field and the gap closed in fill(); replies built
// this way are small (SCAN pages, CONFIG GET), so the move is cheap.
Writer::Deferred Writer::later(char kind) {
  Deferred d{out_->size(), kind};
  return d;
}

void Writer::fill(Deferred d, size_t n) {
  std::string tail = out_->substr(d.pos);
  out_->resize(d.pos);
  if (d.kind == '%') {
    map(n);
  } else if (d.kind == '~') {
    set(n);
  } else {
    array(n);
  }
  out_->append(tail);
}

std::string format_double(double d) {
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (std::isnan(d)) return "nan";
  char buf[128];
  int n = std::snprintf(buf, sizeof(buf), "%.17g", d);
  return std::string(buf, static_cast<size_t>(n));
}

std::string format_long_double(long double d) {
  char buf[5600];
  int n = std::snprintf(buf, sizeof(buf), "%.17Lf", d);
  std::string s(buf, static_cast<size_t>(n));
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

}  // namespace rill::resp
