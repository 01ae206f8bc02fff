// RequestParser, fed the way net::Connection feeds it: bytes arrive in pieces, every complete
// command is taken from the front, and the unconsumed tail stays for the next read. Every case
// runs at every split (pieces of 1, 2, 3, 7 and 64 bytes, and whole), and each piece moves the
// unparsed bytes to a freshly allocated buffer of exactly their size, so a view kept across a
// read, or a read past the end, is caught by the ASan build. Expected results and error texts
// are what Redis 7.0 answers to the same bytes.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "resp/request_parser.h"

namespace rill::resp {
namespace {

using Argv = std::vector<std::string>;
using Commands = std::vector<Argv>;

constexpr size_t kWhole = SIZE_MAX;
constexpr size_t kPieces[] = {1, 2, 3, 7, 64, kWhole};

struct Parsed {
  Commands commands;   // non-empty commands, copied out as the engine would use them
  size_t empty = 0;    // empty commands ("*0", blank lines), which the connection skips
  std::string error;   // the protocol error that ended the stream, if any
  size_t leftover = 0; // bytes received but not consumed when the input ran out
};

// A connection's input side. kRelocate moves the unparsed tail to a new exact-size buffer on
// every read; kGrow keeps one buffer that doubles when full and compacts as process_input does
// (cheaper, for inputs of megabytes).
enum class Buffering { kRelocate, kGrow };

class Feeder {
 public:
  Feeder(const ParserLimits& limits, Buffering mode) : limits_(limits), parser_(&limits_), mode_(mode) {}

  // Delivers one read's worth of bytes, then parses everything complete.
  void receive(std::string_view bytes) {
    if (!parsed_.error.empty()) return;  // the connection is closed
    size_t pending = wpos_ - rpos_;
    if (mode_ == Buffering::kRelocate || cap_ - wpos_ < bytes.size()) {
      size_t cap = mode_ == Buffering::kRelocate ? pending + bytes.size()
                                                 : std::max<size_t>(2 * (pending + bytes.size()), 16);
      auto fresh = std::make_unique<char[]>(cap);
      if (pending) std::memcpy(fresh.get(), buf_.get() + rpos_, pending);
      buf_ = std::move(fresh);  // the old buffer is freed here: stale views would dangle
      cap_ = cap;
      rpos_ = 0;
      wpos_ = pending;
    }
    std::memcpy(buf_.get() + wpos_, bytes.data(), bytes.size());
    wpos_ += bytes.size();
    process();
  }

  const Parsed& result() {
    parsed_.leftover = wpos_ - rpos_;
    return parsed_;
  }
  RequestParser& parser() { return parser_; }

 private:
  void process() {
    while (rpos_ < wpos_) {
      std::string_view pending(buf_.get() + rpos_, wpos_ - rpos_);
      auto st = parser_.parse(pending, argv_);
      if (st == RequestParser::Status::kNeedMore) break;
      if (st == RequestParser::Status::kError) {
        parsed_.error = parser_.error();
        break;
      }
      if (argv_.empty()) {
        ++parsed_.empty;
      } else {
        parsed_.commands.emplace_back(argv_.begin(), argv_.end());
      }
      rpos_ += parser_.consumed();
    }
    if (rpos_ == wpos_) rpos_ = wpos_ = 0;
  }

  ParserLimits limits_;
  RequestParser parser_;
  Buffering mode_;
  std::vector<std::string_view> argv_;
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0, rpos_ = 0, wpos_ = 0;
  Parsed parsed_;
};

Parsed feed(std::string_view input, size_t piece, const ParserLimits& limits = {},
            Buffering mode = Buffering::kRelocate) {
  Feeder f(limits, mode);
  for (size_t at = 0; at < input.size(); at += std::min(piece, input.size() - at)) {
    f.receive(input.substr(at, std::min(piece, input.size() - at)));
  }
  return f.result();
}

// Runs `check` on the result of feeding `input` at every split. Inputs of many kilobytes use
// the growing buffer: moving them on every one-byte read would take seconds.
template <class F>
void for_each_split(std::string_view input, F&& check, const ParserLimits& limits = {}) {
  const Buffering mode = input.size() > 4096 ? Buffering::kGrow : Buffering::kRelocate;
  for (size_t piece : kPieces) {
    SCOPED_TRACE(piece == kWhole ? std::string("whole input") : "pieces of " + std::to_string(piece));
    check(feed(input, piece, limits, mode));
  }
}

void expect_commands(std::string_view input, const Commands& want, const ParserLimits& limits = {}) {
  for_each_split(
      input,
      [&](const Parsed& p) {
        EXPECT_EQ(p.commands, want);
        EXPECT_EQ(p.error, "");
        EXPECT_EQ(p.leftover, 0u);
      },
      limits);
}

// The commands before the bad bytes still run; then the error ends the stream.
void expect_error(std::string_view input, std::string_view error, const Commands& before = {},
                  const ParserLimits& limits = {}) {
  for_each_split(
      input,
      [&](const Parsed& p) {
        EXPECT_EQ(p.commands, before);
        EXPECT_EQ(p.error, error);
      },
      limits);
}

// Input Redis waits on: no command, no error, every byte still buffered.
void expect_waiting(std::string_view input, const ParserLimits& limits = {}) {
  for_each_split(
      input,
      [&](const Parsed& p) {
        EXPECT_TRUE(p.commands.empty());
        EXPECT_EQ(p.error, "");
        EXPECT_EQ(p.leftover, input.size());
      },
      limits);
}

std::string inline_line(std::string_view body) { return std::string(body) + "\r\n"; }

// ---- RESP arrays ----

TEST(RequestParser, CommandSplitAnywhere) {
  expect_commands("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", {{"GET", "k"}});
}

TEST(RequestParser, BulkIsBinarySafe) {
  using namespace std::string_literals;
  expect_commands("*2\r\n$4\r\nECHO\r\n$6\r\na\r\nb\0c\r\n"s, {{"ECHO", "a\r\nb\0c"s}});
}

TEST(RequestParser, EmptyBulk) {
  expect_commands("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$0\r\n\r\n", {{"SET", "", ""}});
}

TEST(RequestParser, PipelinedCommandsComeOutInOrder) {
  std::string in;
  Commands want;
  for (int i = 0; i < 50; ++i) {
    std::string key = "key:" + std::to_string(i);
    in += "*3\r\n$3\r\nSET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n$1\r\nv\r\n";
    in += "PING\r\n";
    want.push_back({"SET", key, "v"});
    want.push_back({"PING"});
  }
  expect_commands(in, want);
}

TEST(RequestParser, EmptyMultibulkIsSkipped) {
  for_each_split("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n", [](const Parsed& p) {
    EXPECT_EQ(p.commands, Commands({{"PING"}}));
    EXPECT_EQ(p.empty, 2u);
    EXPECT_EQ(p.error, "");
  });
}

// Redis reads a bulk by its length and skips the two bytes after it without looking, and a
// count line ends at its '\r' whatever follows it.
TEST(RequestParser, TrailerBytesAreNotChecked) {
  expect_commands("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n", {{"PING"}, {"PING"}});
  expect_commands("*1\rx$4\r\nPING\r\n", {{"PING"}});
  expect_commands("*1\r\n$4\rxPING\r\n", {{"PING"}});
}

TEST(RequestParser, HalfCommandWaits) {
  expect_waiting("*2\r\n$3\r\nGET\r\n$1\r\n");
  expect_waiting("*2\r\n$3\r\nGET\r\n$5\r\nab");
  expect_waiting("*2\r\n$3\r\nGET\r");
  expect_waiting("*2147483647\r\n");  // Redis 7.0 allows up to INT_MAX arguments
  expect_waiting("*1\r\n$1048576\r\n");
}

// ---- inline commands ----

TEST(RequestParser, InlineCommands) {
  expect_commands("PING\r\n", {{"PING"}});
  expect_commands("PING\n", {{"PING"}});
  expect_commands("SET k \"a b\"\r\n", {{"SET", "k", "a b"}});
  expect_commands("PING\nPING\r\n", {{"PING"}, {"PING"}});
  expect_commands("PING\r\r\n", {{"PING"}});  // one '\r' is the line end, the other a separator
  expect_commands("  SET   k\tv  \r\n", {{"SET", "k", "v"}});
}

TEST(RequestParser, InlineAndRespMix) {
  expect_commands("PING\r\n*1\r\n$4\r\nPING\r\nECHO x\r\n", {{"PING"}, {"PING"}, {"ECHO", "x"}});
}

TEST(RequestParser, EmptyLinesAreSkipped) {
  for_each_split("\r\n\r\n   \r\n\nPING\r\n", [](const Parsed& p) {
    EXPECT_EQ(p.commands, Commands({{"PING"}}));
    EXPECT_EQ(p.empty, 4u);
    EXPECT_EQ(p.leftover, 0u);
  });
}

// Each case was sent to Redis 7.0 as an inline ECHO; the expected arguments are what it used.
TEST(RequestParser, InlineQuotesAndEscapesAsRedis) {
  using namespace std::string_literals;
  struct Case {
    std::string line;
    Argv want;
  };
  const Case cases[] = {
      {R"(ECHO "a\x41\n")", {"ECHO", "aA\n"}},
      {R"(ECHO "\xFf")", {"ECHO", "\xff"}},
      {R"(ECHO "a\x4")", {"ECHO", "ax4"}},      // not two hex digits: "\x" is just 'x'
      {R"(ECHO "\x4g")", {"ECHO", "x4g"}},
      {R"(ECHO "a\qb")", {"ECHO", "aqb"}},      // unknown escapes keep the character
      {R"(ECHO "\\")", {"ECHO", "\\"}},
      {R"(ECHO "\"")", {"ECHO", "\""}},
      {R"(ECHO "\t\r\b\a")", {"ECHO", "\t\r\b\a"}},
      {R"(ECHO 'a\'b')", {"ECHO", "a'b"}},
      {R"(ECHO 'a\nb')", {"ECHO", "a\\nb"}},    // single quotes take only \'
      {R"(ECHO x"a b" y)", {"ECHO", "xa b", "y"}},  // a quote may open mid-word
      {R"(ECHO "" '')", {"ECHO", "", ""}},
      {"ECHO \"a\" ", {"ECHO", "a"}},
      {"ECHO \"a\"\t", {"ECHO", "a"}},
      {"ECHO \"a\"\v", {"ECHO", "a"}},          // any isspace() may follow a closing quote
      {"ECHO a\rb", {"ECHO", "a", "b"}},
      {"ECHO \"a\rb\"", {"ECHO", "a\rb"}},
      {"ECHO\ta", {"ECHO", "a"}},
      {"\vECHO a", {"ECHO", "a"}},              // leading blanks are any isspace()
      {"ECHO a\vb", {"ECHO", "a\vb"}},          // but only space, tab, CR, LF end a word
      {"ECHO a\f", {"ECHO", "a\f"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    expect_commands(inline_line(c.line), {c.want});
  }
}

TEST(RequestParser, UnbalancedQuotes) {
  const std::string kErr = "Protocol error: unbalanced quotes in request";
  for (std::string line : {R"(ECHO "a"b)", R"(ECHO x"a b"y)", R"(ECHO "abc)", R"(ECHO 'abc)",
                           R"(ECHO "a\")", R"(ECHO "a\)", R"(ECHO 'a'"b")", R"(ECHO 'a'b)"}) {
    SCOPED_TRACE(line);
    expect_error(inline_line(line), kErr);
  }
  // The commands before it still run.
  expect_error("PING\r\nECHO \"x\r\nPING\r\n", kErr, {{"PING"}});
}

TEST(RequestParser, SplitInlineArgsDirectly) {
  Argv out;
  EXPECT_TRUE(split_inline_args("", out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(split_inline_args("set \"k\\x00\" 'v w'", out));
  EXPECT_EQ(out, Argv({"set", std::string("k\0", 2), "v w"}));
  EXPECT_FALSE(split_inline_args("\"open", out));
}

// Inline arguments that were unquoted live in the parser, not in the input buffer; they stay
// valid after the buffer is gone, until the next parse().
TEST(RequestParser, InlineArgsOutliveTheBuffer) {
  ParserLimits limits;
  RequestParser parser(&limits);
  std::vector<std::string_view> argv;
  auto buf = std::make_unique<std::string>("SET k \"a\\nb\"\r\n");
  ASSERT_EQ(parser.parse(*buf, argv), RequestParser::Status::kDone);
  EXPECT_EQ(parser.consumed(), buf->size());
  buf.reset();
  ASSERT_EQ(argv.size(), 3u);
  EXPECT_EQ(argv[2], "a\nb");
}

// ---- protocol errors, with Redis's exact texts ----

TEST(RequestParser, InvalidMultibulkLength) {
  const std::string kErr = "Protocol error: invalid multibulk length";
  for (std::string in : {"*01\r\n", "*-0\r\n", "*+1\r\n", "*\r\n", "*1 \r\n", "* 1\r\n",
                         "*abc\r\n", "*2147483648\r\n", "*99999999999999999999\r\n"}) {
    SCOPED_TRACE(in);
    expect_error(in, kErr);
  }
}

TEST(RequestParser, InvalidBulkLength) {
  const std::string kErr = "Protocol error: invalid bulk length";
  for (std::string len : {"-1", "04", "", " 4", "4 ", "+4", "-0", "x", "536870913"}) {
    SCOPED_TRACE(len);
    expect_error("*1\r\n$" + len + "\r\nPING\r\n", kErr);
  }
}

TEST(RequestParser, ExpectedDollar) {
  expect_error("*1\r\nx\r\n", "Protocol error: expected '$', got 'x'");
  expect_error("*2\r\n$4\r\nECHO\r\n:1\r\n", "Protocol error: expected '$', got ':'");
  // The raw byte is in the parser's text; the Writer turns CR/LF into spaces on the wire.
  expect_error("*1\r\n\r\n", "Protocol error: expected '$', got '\r'");
  expect_error("*1\r\r\n$4\r\nPING\r\n", "Protocol error: expected '$', got '\n'");
  expect_error("PING\r\n*1\r\nx\r\nPING\r\n", "Protocol error: expected '$', got 'x'", {{"PING"}});
}

// Lines without their end: Redis waits up to 64 KiB (PROTO_INLINE_MAX_SIZE), then gives up.
TEST(RequestParser, TooBigInlineRequest) {
  expect_waiting(std::string(65536, 'x'));
  expect_error(std::string(65537, 'x'), "Protocol error: too big inline request");
}

TEST(RequestParser, TooBigMbulkCountString) {
  expect_waiting("*" + std::string(65535, '1'));
  expect_error("*" + std::string(65536, '1'), "Protocol error: too big mbulk count string");
}

TEST(RequestParser, TooBigBulkCountString) {
  expect_waiting("*1\r\n$" + std::string(65535, '1'));
  expect_error("*1\r\n$" + std::string(65536, '1'), "Protocol error: too big bulk count string");
}

TEST(RequestParser, ProtoMaxBulkLen) {
  ParserLimits limits;
  limits.max_bulk_len = 1024 * 1024;
  expect_waiting("*2\r\n$3\r\nGET\r\n$1048576\r\n", limits);
  expect_error("*2\r\n$3\r\nGET\r\n$1048577\r\n", "Protocol error: invalid bulk length", {}, limits);
}

// With a password set and not yet given, Redis takes at most 10 arguments of 16 KiB.
TEST(RequestParser, UnauthenticatedLimits) {
  ParserLimits limits;
  limits.unauthenticated = true;
  expect_waiting("*10\r\n", limits);
  expect_error("*11\r\n", "Protocol error: unauthenticated multibulk length", {}, limits);
  expect_waiting("*1\r\n$16384\r\n", limits);
  expect_error("*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length", {}, limits);
  // The checks come after the general ones, as in Redis.
  expect_error("*01\r\n", "Protocol error: invalid multibulk length", {}, limits);
  expect_waiting("*11\r\n");  // authenticated: no such limit
}

TEST(RequestParser, ParserIsReusableAfterError) {
  ParserLimits limits;
  RequestParser parser(&limits);
  std::vector<std::string_view> argv;
  ASSERT_EQ(parser.parse("*2\r\n$3\r\nGET\r\n", argv), RequestParser::Status::kNeedMore);
  ASSERT_EQ(parser.parse("*2\r\n$3\r\nGET\r\nx\r\n", argv), RequestParser::Status::kError);
  EXPECT_EQ(parser.error(), "Protocol error: expected '$', got 'x'");
  ASSERT_EQ(parser.parse("*1\r\n$4\r\nPING\r\n", argv), RequestParser::Status::kDone);
  EXPECT_EQ(argv, std::vector<std::string_view>({"PING"}));
}

// ---- large arguments and a buffer that grows mid-command ----

TEST(RequestParser, LargeBulkInPiecesWithGrowingBuffer) {
  std::string value(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>('a' + i % 26);
  std::string in = "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + std::to_string(value.size()) + "\r\n" +
                   value + "\r\n*1\r\n$4\r\nPING\r\n";
  for (size_t piece : {size_t{1000}, size_t{4096}, size_t{65536}, size_t{1024 * 1024 + 3}, kWhole}) {
    SCOPED_TRACE(piece);
    Parsed p = feed(in, piece, {}, Buffering::kGrow);
    ASSERT_EQ(p.commands.size(), 2u);
    EXPECT_EQ(p.commands[0][0], "SET");
    EXPECT_EQ(p.commands[0][1], "big");
    EXPECT_TRUE(p.commands[0][2] == value) << "value damaged";
    EXPECT_EQ(p.commands[1], Argv({"PING"}));
    EXPECT_EQ(p.leftover, 0u);
  }
  // The same in small pieces with the buffer moved on every read.
  Parsed p = feed(in.substr(0, 40000), 997);
  EXPECT_TRUE(p.commands.empty());
  EXPECT_EQ(p.leftover, 40000u);
}

// The first arguments of a command are held as offsets while the last one is awaited: the
// buffer can move in between. The old buffer is freed before the rest arrives.
TEST(RequestParser, BufferMovesBetweenArguments) {
  ParserLimits limits;
  RequestParser parser(&limits);
  std::vector<std::string_view> argv;
  std::string part1 = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhe";
  auto first = std::make_unique<std::string>(part1);
  ASSERT_EQ(parser.parse(*first, argv), RequestParser::Status::kNeedMore);
  auto second = std::make_unique<std::string>(*first + "llo\r\n");
  first.reset();
  ASSERT_EQ(parser.parse(*second, argv), RequestParser::Status::kDone);
  EXPECT_EQ(argv, std::vector<std::string_view>({"SET", "k", "hello"}));
  EXPECT_EQ(parser.consumed(), second->size());
  for (auto a : argv) {
    EXPECT_GE(a.data(), second->data());
    EXPECT_LE(a.data() + a.size(), second->data() + second->size());
  }
}

// The hint is what the bulk being read still needs, so the connection can make room for the
// rest of it in one piece.
TEST(RequestParser, PendingBulkHint) {
  ParserLimits limits;
  RequestParser parser(&limits);
  std::vector<std::string_view> argv;
  EXPECT_EQ(parser.pending_bulk_hint(), 0u);
  std::string in = "*2\r\n$3\r\nSET\r\n$1000\r\n";
  ASSERT_EQ(parser.parse(in, argv), RequestParser::Status::kNeedMore);
  EXPECT_EQ(parser.pending_bulk_hint(), 1002u);
  in += std::string(100, 'x');
  ASSERT_EQ(parser.parse(in, argv), RequestParser::Status::kNeedMore);
  EXPECT_EQ(parser.pending_bulk_hint(), 902u);
  in += std::string(900, 'x') + "\r\n";
  ASSERT_EQ(parser.parse(in, argv), RequestParser::Status::kDone);
  EXPECT_EQ(parser.pending_bulk_hint(), 0u);
}

}  // namespace
}  // namespace rill::resp
