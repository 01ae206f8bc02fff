// Decoder for server replies, RESP2 and RESP3: the client side of the protocol. The tests use
// it to read what rill sends (Debian's hiredis 0.14.1 knows only RESP2), and the C++ client
// will use it too.
//
// It is incremental, in the shape of hiredis's reader: feed() whatever bytes arrived, then
// call next() until it has no complete reply. Progress through a half-received aggregate is
// kept, so no byte is parsed twice however the input is split.
//
//   ReplyDecoder d;
//   d.feed(bytes_from_socket);
//   while (auto r = d.next()) use(*r);
//   if (d.failed()) give_up(d.error());
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rill::resp {

enum class ReplyType : uint8_t {
  kSimple,     // +OK
  kError,      // -ERR ...  and RESP3 blob errors (!N)
  kInteger,    // :1
  kBulk,       // $N
  kNull,       // $-1, *-1, _
  kArray,      // *N
  kMap,        // %N
  kSet,        // ~N
  kPush,       // >N (pub/sub messages, invalidations)
  kDouble,     // ,1.5
  kBoolean,    // #t / #f
  kVerbatim,   // =N "txt:..."
  kBigNum,     // (1234...
  kAttribute,  // |N: key/value pairs describing the reply that follows
};

// One reply as a small tree.
struct Reply {
  ReplyType type = ReplyType::kNull;
  // The text of simple, error, bulk, verbatim (without its "txt:" prefix), double and
  // bignum replies, exactly as sent.
  std::string str;
  // A verbatim string's three-letter format ("txt", "mkd").
  std::string format;
  // An integer's value; 1 or 0 for a boolean.
  int64_t integer = 0;
  // A double's value (str keeps its spelling).
  double dbl = 0;
  // The items of an array, set or push. A map or attribute holds its pairs flattened:
  // key, value, key, value (as hiredis does).
  std::vector<Reply> elements;
  // Empty, or the one kAttribute reply the server sent just before this one.
  std::vector<Reply> attribute;

  bool is_aggregate() const;
  bool operator==(const Reply& other) const;
};

class ReplyDecoder {
 public:
  // Appends bytes received from the server.
  void feed(std::string_view bytes);
  // The next complete reply, or nullopt when more bytes are needed or the stream is broken
  // (failed() tells which; once failed, it stays failed).
  std::optional<Reply> next();

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  // Bytes fed but not yet part of a returned reply.
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  // An aggregate whose elements are still arriving.
  struct Frame {
    Reply node;
    size_t remaining;                 // elements still to come (2 per pair for maps)
    std::vector<Reply> pending_attr;  // an attribute waiting for this frame's next element
  };
  enum class Step { kValue, kOpened, kNeedMore, kError };

  // Reads one type byte and what follows it on the same line (and a blob's body). kValue:
  // `out` is a finished scalar or empty aggregate. kOpened: a frame was pushed.
  Step read_one(Reply& out);
  // Places a finished value into the innermost frame; true when it finished a top-level reply
  // (then `value` holds it).
  bool deliver(Reply& value);
  std::optional<std::string_view> line();
  Step fail(std::string text);

  std::string buf_;
  size_t pos_ = 0;
  std::vector<Frame> stack_;
  std::vector<Reply> top_attr_;  // an attribute waiting for the next top-level reply
  std::string error_;
};

// The reply as redis-cli prints it on a terminal, without the final newline:
//   1) "a"          (integer) 5        1# "server" => "redis"       (nil)
//   2) (empty array)  (error) ERR ...  (double) 1.5   (true)   1~ "member"
// Attributes and big numbers, which redis-cli 7.0 cannot print, appear as
// "(attribute) ..." lines before their reply and "(big number) 123".
std::string to_string(const Reply& r);

}  // namespace rill::resp
