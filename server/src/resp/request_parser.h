// Incremental parser for client requests: RESP arrays of bulk strings ("*2\r\n$3\r\nGET\r\n..."),
// or inline lines ("PING\r\n", what telnet and redis-benchmark's PING_INLINE send).
//
// Arguments of a RESP command are views into the caller's buffer: nothing is copied. Inline
// arguments that needed unquoting live in the parser and stay valid until the next parse().
// Progress through a half-received command is kept as offsets from the command's first byte,
// so the caller may move or grow its buffer between calls, as long as the bytes already seen
// stay in front.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rill::resp {

struct ParserLimits {
  int64_t max_bulk_len = 512LL * 1024 * 1024;  // proto-max-bulk-len
  int64_t max_multibulk_len = INT32_MAX;       // Redis 7.0 refuses "*N" only past INT_MAX
  size_t max_inline_len = 64 * 1024;           // PROTO_INLINE_MAX_SIZE
  // Before AUTH (when a password is required) Redis takes only small commands: at most 10
  // arguments, each at most 16 KiB, so an unauthenticated client cannot make it buffer much.
  bool unauthenticated = false;
};

inline constexpr int64_t kUnauthMaxArgs = 10;
inline constexpr int64_t kUnauthMaxBulk = 16 * 1024;

class RequestParser {
 public:
  enum class Status { kDone, kNeedMore, kError };

  explicit RequestParser(const ParserLimits* limits) : limits_(limits) {}

  // Parses at most one command from the front of `in`. kDone: `out` holds the arguments
  // (possibly none, for an empty line, which the caller skips), valid until the caller drops
  // the first consumed() bytes or calls parse() again. kNeedMore: call again with the same
  // bytes plus more. kError: error() holds Redis's text ("Protocol error: invalid bulk
  // length"); reply with it and close the connection.
  Status parse(std::string_view in, std::vector<std::string_view>& out);

  size_t consumed() const { return consumed_; }
  const std::string& error() const { return error_; }
  // Bytes the current command still needs to complete the bulk it is reading (0 if unknown),
  // so the connection can make room for a large argument in one piece.
  size_t pending_bulk_hint() const;

 private:
  Status parse_inline(std::string_view in, std::vector<std::string_view>& out);
  Status parse_multibulk(std::string_view in, std::vector<std::string_view>& out);
  Status fail(std::string text);
  void reset();

  const ParserLimits* limits_;
  // Offsets relative to the start of the current command.
  size_t pos_ = 0;             // next byte to look at
  int64_t args_expected_ = -1; // -1: header not read yet
  int64_t bulk_len_ = -1;      // -1: bulk header not read yet
  size_t bulk_have_ = 0;       // bytes of that bulk (and its CRLF) already in the buffer
  std::vector<std::pair<size_t, size_t>> spans_;  // (offset, length) of finished arguments
  std::vector<std::string> inline_args_;
  size_t consumed_ = 0;
  std::string error_;
};

// Splits an inline line as Redis's sdssplitargs does: spaces separate, "double quotes" take
// \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' take \'. Returns false on unbalanced
// quotes (or a closing quote not followed by a space).
bool split_inline_args(std::string_view line, std::vector<std::string>& out);

}  // namespace rill::resp
