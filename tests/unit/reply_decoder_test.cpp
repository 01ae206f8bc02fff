// ReplyDecoder on bytes captured from Redis 7.0 (HELLO 3, DEBUG PROTOCOL, EVAL with
// redis.setresp(3), client tracking pushes), fed whole and in pieces; and to_string against
// what redis-cli 7.0 printed for the same replies.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "resp/reply_decoder.h"

namespace rill::resp {
namespace {

// Decodes everything in `bytes`, fed in pieces of `piece` bytes.
std::vector<Reply> decode(std::string_view bytes, size_t piece = SIZE_MAX, ReplyDecoder* dec = nullptr) {
  ReplyDecoder local;
  ReplyDecoder& d = dec ? *dec : local;
  std::vector<Reply> out;
  for (size_t at = 0; at < bytes.size();) {
    size_t n = std::min(piece, bytes.size() - at);
    d.feed(bytes.substr(at, n));
    at += n;
    while (auto r = d.next()) out.push_back(std::move(*r));
  }
  EXPECT_FALSE(d.failed()) << d.error();
  EXPECT_EQ(d.buffered(), 0u);
  return out;
}

Reply one(std::string_view bytes) {
  auto all = decode(bytes);
  EXPECT_EQ(all.size(), 1u);
  return all.empty() ? Reply{} : all[0];
}

// The same replies whatever the split.
void expect_same_at_every_split(std::string_view bytes) {
  auto whole = decode(bytes);
  for (size_t piece : {1, 2, 3, 7, 64}) {
    SCOPED_TRACE(piece);
    EXPECT_EQ(decode(bytes, piece), whole);
  }
}

// Captured after HELLO 3 from Redis 7.0.
const std::string kHello3 =
    "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n"
    "$2\r\nid\r\n:21\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
    "$7\r\nmodules\r\n*0\r\n";

TEST(ReplyDecoder, Scalars) {
  Reply r = one("+OK\r\n");
  EXPECT_EQ(r.type, ReplyType::kSimple);
  EXPECT_EQ(r.str, "OK");
  r = one("-ERR unknown command\r\n");
  EXPECT_EQ(r.type, ReplyType::kError);
  EXPECT_EQ(r.str, "ERR unknown command");
  r = one(":-9223372036854775808\r\n");
  EXPECT_EQ(r.type, ReplyType::kInteger);
  EXPECT_EQ(r.integer, INT64_MIN);
  r = one(std::string("$5\r\na\r\nb\0\r\n", 11));
  EXPECT_EQ(r.type, ReplyType::kBulk);
  EXPECT_EQ(r.str, std::string("a\r\nb\0", 5));
  r = one("$0\r\n\r\n");
  EXPECT_EQ(r.type, ReplyType::kBulk);
  EXPECT_EQ(r.str, "");
}

TEST(ReplyDecoder, NullsOfBothProtocols) {
  EXPECT_EQ(one("$-1\r\n").type, ReplyType::kNull);
  EXPECT_EQ(one("*-1\r\n").type, ReplyType::kNull);
  EXPECT_EQ(one("_\r\n").type, ReplyType::kNull);
}

TEST(ReplyDecoder, Resp3Scalars) {
  Reply r = one(",3.141\r\n");
  EXPECT_EQ(r.type, ReplyType::kDouble);
  EXPECT_EQ(r.str, "3.141");
  EXPECT_DOUBLE_EQ(r.dbl, 3.141);
  EXPECT_EQ(one(",inf\r\n").str, "inf");
  EXPECT_EQ(one(",-inf\r\n").dbl, -std::numeric_limits<double>::infinity());
  r = one("#t\r\n");
  EXPECT_EQ(r.type, ReplyType::kBoolean);
  EXPECT_EQ(r.integer, 1);
  EXPECT_EQ(one("#f\r\n").integer, 0);
  r = one("(1234567999999999999999999999999999999\r\n");
  EXPECT_EQ(r.type, ReplyType::kBigNum);
  EXPECT_EQ(r.str, "1234567999999999999999999999999999999");
  r = one("=29\r\ntxt:This is a verbatim\nstring\r\n");
  EXPECT_EQ(r.type, ReplyType::kVerbatim);
  EXPECT_EQ(r.format, "txt");
  EXPECT_EQ(r.str, "This is a verbatim\nstring");
  r = one("=4\r\ntxt:\r\n");  // INFO with nothing to say
  EXPECT_EQ(r.str, "");
  r = one("!21\r\nSYNTAX invalid syntax\r\n");
  EXPECT_EQ(r.type, ReplyType::kError);
  EXPECT_EQ(r.str, "SYNTAX invalid syntax");
}

TEST(ReplyDecoder, HelloMap) {
  Reply r = one(kHello3);
  ASSERT_EQ(r.type, ReplyType::kMap);
  ASSERT_EQ(r.elements.size(), 14u);  // 7 pairs, flattened
  EXPECT_EQ(r.elements[0].str, "server");
  EXPECT_EQ(r.elements[1].str, "redis");
  EXPECT_EQ(r.elements[4].str, "proto");
  EXPECT_EQ(r.elements[5].integer, 3);
  EXPECT_EQ(r.elements[13].type, ReplyType::kArray);
  EXPECT_TRUE(r.elements[13].elements.empty());
  expect_same_at_every_split(kHello3);
}

TEST(ReplyDecoder, SetsAndPush) {
  Reply s = one("~2\r\n$1\r\na\r\n:1\r\n");
  EXPECT_EQ(s.type, ReplyType::kSet);
  EXPECT_EQ(s.elements.size(), 2u);
  // A client-tracking invalidation, as Redis sends it.
  Reply p = one(">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nzz\r\n");
  ASSERT_EQ(p.type, ReplyType::kPush);
  EXPECT_EQ(p.elements[0].str, "invalidate");
  EXPECT_EQ(p.elements[1].elements[0].str, "zz");
}

// DEBUG PROTOCOL attrib: the attribute describes the reply after it and is not a reply itself.
TEST(ReplyDecoder, AttributeGoesWithTheNextReply) {
  const std::string bytes =
      "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
      "$39\r\nSome real reply following the attribute\r\n";
  Reply r = one(bytes);
  EXPECT_EQ(r.type, ReplyType::kBulk);
  EXPECT_EQ(r.str, "Some real reply following the attribute");
  ASSERT_EQ(r.attribute.size(), 1u);
  EXPECT_EQ(r.attribute[0].type, ReplyType::kAttribute);
  EXPECT_EQ(r.attribute[0].elements[0].str, "key-popularity");
  expect_same_at_every_split(bytes);
  // Inside an aggregate it does not count as an element.
  Reply a = one("*2\r\n:1\r\n|1\r\n+k\r\n+v\r\n:2\r\n");
  ASSERT_EQ(a.elements.size(), 2u);
  EXPECT_TRUE(a.elements[0].attribute.empty());
  EXPECT_EQ(a.elements[1].attribute.size(), 1u);
  EXPECT_EQ(a.elements[1].integer, 2);
}

TEST(ReplyDecoder, ManyRepliesInOneFeedAndAcrossFeeds) {
  std::string bytes = "+OK\r\n:1\r\n$1\r\nx\r\n*2\r\n+a\r\n*1\r\n:2\r\n_\r\n" + kHello3;
  auto all = decode(bytes);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[3].elements[1].elements[0].integer, 2);
  EXPECT_EQ(all[4].type, ReplyType::kNull);
  EXPECT_EQ(all[5].type, ReplyType::kMap);
  expect_same_at_every_split(bytes);
}

TEST(ReplyDecoder, PartialReplyWaits) {
  ReplyDecoder d;
  d.feed("*2\r\n$3\r\nfoo\r\n$3\r\nba");
  EXPECT_FALSE(d.next());
  EXPECT_FALSE(d.failed());
  d.feed("r\r\n+OK");
  auto r = d.next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->elements[1].str, "bar");
  EXPECT_FALSE(d.next());
  EXPECT_EQ(d.buffered(), 3u);
  d.feed("\r\n");
  EXPECT_EQ(d.next()->str, "OK");
}

TEST(ReplyDecoder, LargeBulkInPieces) {
  std::string value(10 * 1024 * 1024, 'v');
  value[12345] = '\r';
  std::string bytes = "$" + std::to_string(value.size()) + "\r\n" + value + "\r\n:7\r\n";
  for (size_t piece : {size_t{65536}, size_t{1000003}}) {
    auto all = decode(bytes, piece);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_TRUE(all[0].str == value);
    EXPECT_EQ(all[1].integer, 7);
  }
}

TEST(ReplyDecoder, DeepNesting) {
  std::string bytes;
  for (int i = 0; i < 500; ++i) bytes += "*1\r\n";
  bytes += ":42\r\n";
  Reply r = one(bytes);
  const Reply* p = &r;
  for (int i = 0; i < 500; ++i) {
    ASSERT_EQ(p->type, ReplyType::kArray);
    p = &p->elements[0];
  }
  EXPECT_EQ(p->integer, 42);
}

TEST(ReplyDecoder, BrokenStreamsFailAndStayFailed) {
  for (std::string bad : {"?x\r\n", ":12a\r\n", ":\r\n", "#x\r\n", "$3\r\nabcd\r\n", "$-2\r\n",
                          "*x\r\n", "%-1\r\n", "=3\r\ntxt\r\n", "_x\r\n", ",abc\r\n"}) {
    SCOPED_TRACE(bad);
    ReplyDecoder d;
    d.feed(bad);
    EXPECT_FALSE(d.next());
    EXPECT_TRUE(d.failed());
    EXPECT_FALSE(d.error().empty());
    d.feed("+OK\r\n");
    EXPECT_FALSE(d.next());
  }
}

// ---- to_string, against redis-cli 7.0's output for the same bytes ----

std::string cli(std::string_view bytes) { return to_string(one(bytes)); }

TEST(ReplyToString, Scalars) {
  EXPECT_EQ(cli("+OK\r\n"), "OK");
  EXPECT_EQ(cli("-ERR unknown command 'foo', with args beginning with: \r\n"),
            "(error) ERR unknown command 'foo', with args beginning with: ");
  EXPECT_EQ(cli(":2\r\n"), "(integer) 2");
  EXPECT_EQ(cli("$-1\r\n"), "(nil)");
  EXPECT_EQ(cli("_\r\n"), "(nil)");
  EXPECT_EQ(cli(",1.5\r\n"), "(double) 1.5");
  EXPECT_EQ(cli("#t\r\n"), "(true)");
  EXPECT_EQ(cli("#f\r\n"), "(false)");
  EXPECT_EQ(cli("=29\r\ntxt:This is a verbatim\nstring\r\n"), "This is a verbatim\nstring");
  EXPECT_EQ(cli("(12345678901234567890\r\n"), "(big number) 12345678901234567890");
}

TEST(ReplyToString, BulkIsQuotedAndEscaped) {
  // RPUSH l a b "c d" 'e"f' $'g\nh' $'\x01\xff'; LRANGE l 0 -1
  EXPECT_EQ(cli("*6\r\n$1\r\na\r\n$1\r\nb\r\n$3\r\nc d\r\n$3\r\ne\"f\r\n$3\r\ng\nh\r\n"
                "$2\r\n\x01\xff\r\n"),
            "1) \"a\"\n2) \"b\"\n3) \"c d\"\n4) \"e\\\"f\"\n5) \"g\\nh\"\n6) \"\\x01\\xff\"");
  EXPECT_EQ(cli("$6\r\n\\\t\r\a\b \r\n"), "\"\\\\\\t\\r\\a\\b \"");
}

TEST(ReplyToString, EmptyAggregates) {
  EXPECT_EQ(cli("*0\r\n"), "(empty array)");
  EXPECT_EQ(cli("%0\r\n"), "(empty hash)");
  EXPECT_EQ(cli("~0\r\n"), "(empty set)");
  EXPECT_EQ(cli("*2\r\n*0\r\n*1\r\n*0\r\n"), "1) (empty array)\n2) 1) (empty array)");
}

TEST(ReplyToString, Hello) {
  EXPECT_EQ(cli(kHello3),
            "1# \"server\" => \"redis\"\n"
            "2# \"version\" => \"7.0.15\"\n"
            "3# \"proto\" => (integer) 3\n"
            "4# \"id\" => (integer) 21\n"
            "5# \"mode\" => \"standalone\"\n"
            "6# \"role\" => \"master\"\n"
            "7# \"modules\" => (empty array)");
}

TEST(ReplyToString, IndexWidthAndNesting) {
  // EVAL "return {1,2,3,4,5,6,7,8,9,10,{'a','b'}}" 0
  EXPECT_EQ(cli("*11\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n:7\r\n:8\r\n:9\r\n:10\r\n"
                "*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
            " 1) (integer) 1\n 2) (integer) 2\n 3) (integer) 3\n 4) (integer) 4\n"
            " 5) (integer) 5\n 6) (integer) 6\n 7) (integer) 7\n 8) (integer) 8\n"
            " 9) (integer) 9\n10) (integer) 10\n11) 1) \"a\"\n    2) \"b\"");
  // EVAL "return {1,{err='E inside'}}" 0
  EXPECT_EQ(cli("*2\r\n:1\r\n-E inside\r\n"), "1) (integer) 1\n2) (error) E inside");
  EXPECT_EQ(cli("~2\r\n$1\r\ny\r\n$1\r\nx\r\n"), "1~ \"y\"\n2~ \"x\"");
}

// Map values that take several lines start on a line of their own (redis-cli -3, EVAL with
// redis.setresp(3) returning {map=...}).
TEST(ReplyToString, MapValues) {
  EXPECT_EQ(cli("%2\r\n$1\r\na\r\n*2\r\n:1\r\n*2\r\n:2\r\n:3\r\n$1\r\nb\r\n$1\r\nx\r\n"),
            "1# \"a\" => \n"
            "   1) (integer) 1\n"
            "   2) 1) (integer) 2\n"
            "      2) (integer) 3\n"
            "2# \"b\" => \"x\"");
  EXPECT_EQ(cli("*2\r\n:5\r\n%1\r\n$1\r\nb\r\n*2\r\n:1\r\n:2\r\n"),
            "1) (integer) 5\n"
            "2) 1# \"b\" => \n"
            "      1) (integer) 1\n"
            "      2) (integer) 2");
  EXPECT_EQ(cli("%2\r\n$1\r\nc\r\n*1\r\n:3\r\n$1\r\nb\r\n*2\r\n:1\r\n:2\r\n"),
            "1# \"c\" => 1) (integer) 3\n"
            "2# \"b\" => \n"
            "   1) (integer) 1\n"
            "   2) (integer) 2");
  EXPECT_EQ(cli("%1\r\n$1\r\na\r\n%1\r\n$1\r\nx\r\n*2\r\n:1\r\n:2\r\n"),
            "1# \"a\" => \n"
            "   1# \"x\" => \n"
            "      1) (integer) 1\n"
            "      2) (integer) 2");
  EXPECT_EQ(cli("%1\r\n:1\r\n%1\r\n$1\r\nx\r\n:1\r\n"), "1# (integer) 1 => 1# \"x\" => (integer) 1");
}

TEST(ReplyToString, AttributeBeforeItsReply) {
  EXPECT_EQ(cli("|1\r\n+k\r\n:1\r\n+real\r\n"), "(attribute) 1| k => (integer) 1\nreal");
}

}  // namespace
}  // namespace rill::resp
