// Reply writer: handlers name what a reply means (an integer, a map, a null) and the Writer
// picks the bytes for the connection's protocol, RESP2 or RESP3. No handler ever looks at the
// protocol version. Replies are appended to a caller-owned string (the session's output
// buffer), so writing a reply allocates only when that buffer grows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rill::resp {

class Writer {
 public:
  explicit Writer(std::string* out, int proto = 2) : out_(out), proto_(proto) {}

  void set_proto(int proto) { proto_ = proto; }
  int proto() const { return proto_; }
  std::string& buffer() { return *out_; }

  void simple(std::string_view s);     // +OK
  void ok() { out_->append("+OK\r\n", 5); }
  // An error reply; `text` is the whole line without '-' ("ERR syntax error"). CR and LF
  // inside it become spaces, as Redis does, so the protocol stays intact.
  void error(std::string_view text);
  void integer(int64_t v);
  void bulk(std::string_view s);
  void null();                         // RESP2 "$-1", RESP3 "_"
  void null_array();                   // RESP2 "*-1", RESP3 "_"
  void array(size_t n);
  void map(size_t pairs);              // RESP2: an array of 2n
  void set(size_t n);                  // RESP2: an array
  void push(size_t n);                 // RESP2: an array (pub/sub messages)
  void boolean(bool b);                // RESP2: :1 / :0
  void dbl(double d);                  // RESP3 ",1.5"; RESP2 a bulk string
  void verbatim(std::string_view s);   // RESP3 "=N\r\ntxt:..."; RESP2 a bulk string (INFO)
  // Appends bytes already in RESP form (a reply computed once, such as COMMAND's).
  void raw(std::string_view bytes) { out_->append(bytes); }

  // A header whose element count is known only after the elements: reserve it now, write
  // the elements, then fill it in. Kind is '*' (array), '%' (map: n counts pairs) or '~'.
  class Deferred {
   public:
    size_t pos;
    char kind;
  };
  Deferred array_later() { return later('*'); }
  Deferred map_later() { return later('%'); }
  Deferred set_later() { return later('~'); }
  void fill(Deferred d, size_t n);
  // A map that RESP2 writes as an array of [key, value] pairs instead of a flat array, as
  // XREAD does: pairs_later() for the header, pair() before each key.
  Deferred pairs_later() { return later(proto_ >= 3 ? '%' : '*'); }
  void pair() {
    if (proto_ < 3) array(2);
  }

 private:
  Deferred later(char kind);
  void header(char c, int64_t n);

  std::string* out_;
  int proto_;
};

// Formats a double as Redis's addReplyDouble does (%.17g, with inf/-inf/nan spelled out).
std::string format_double(double d);
// Formats a long double as Redis's INCRBYFLOAT does (%.17Lf, trailing zeros and dot trimmed).
std::string format_long_double(long double d);

}  // namespace rill::resp
