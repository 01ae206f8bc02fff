// APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE and LCS through the engine, expected replies
// taken from Redis 7.0.15.
#include "engine/strings_fixture.h"

namespace rill::test {
namespace {

class StringRangesTest : public StringsFixture {};

// ---- APPEND / STRLEN -------------------------------------------------------------------

TEST_F(StringRangesTest, AppendAndStrlen) {
  EXPECT_EQ(run("APPEND n abc"), integer(3));
  EXPECT_EQ(run("APPEND n def"), integer(6));
  EXPECT_EQ(run("GET n"), bulk("abcdef"));
  EXPECT_EQ(run("STRLEN n"), integer(6));
  EXPECT_EQ(run("STRLEN nokey"), integer(0));
  EXPECT_EQ(run("SET i 12345"), ok());
  EXPECT_EQ(run("STRLEN i"), integer(5));
  EXPECT_EQ(run("APPEND i 6"), integer(6));
  EXPECT_EQ(run("GET i"), bulk("123456"));
  // An empty append still creates the key.
  EXPECT_EQ(run("APPEND e \"\""), integer(0));
  EXPECT_EQ(dbsize(), 3u);
  put_list("l");
  EXPECT_EQ(run("APPEND l x"), kWrongType);
  EXPECT_EQ(run("STRLEN l"), kWrongType);
}

TEST_F(StringRangesTest, AppendKeepsTtl) {
  EXPECT_EQ(run("SETEX t 100 ab"), ok());
  EXPECT_EQ(run("APPEND t cd"), integer(4));
  EXPECT_GT(pttl("t"), 99000);
}

TEST_F(StringRangesTest, AppendRespectsProtoMaxBulkLen) {
  engine.config().proto_max_bulk_len = 10;
  EXPECT_EQ(run("SET s 123456789"), ok());
  const std::string too_long = err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  EXPECT_EQ(run("APPEND s xy"), too_long);
  EXPECT_EQ(run("APPEND s x"), integer(10));
  EXPECT_EQ(run("APPEND s \"\""), integer(10));
  EXPECT_EQ(run("APPEND s x"), too_long);
  EXPECT_EQ(run("GET s"), bulk("123456789x"));
}

// ---- GETRANGE / SUBSTR -----------------------------------------------------------------

TEST_F(StringRangesTest, Getrange) {
  EXPECT_EQ(run("SET s \"Hello World\""), ok());
  EXPECT_EQ(run("GETRANGE s 0 4"), bulk("Hello"));
  EXPECT_EQ(run("GETRANGE s -3 -1"), bulk("rld"));
  EXPECT_EQ(run("GETRANGE s 0 -1"), bulk("Hello World"));
  EXPECT_EQ(run("GETRANGE s 10 100"), bulk("d"));
  EXPECT_EQ(run("GETRANGE s 11 100"), bulk(""));
  EXPECT_EQ(run("GETRANGE s 5 3"), bulk(""));
  EXPECT_EQ(run("GETRANGE s -100 -50"), bulk("H"));
  EXPECT_EQ(run("GETRANGE s -100 2"), bulk("Hel"));
  EXPECT_EQ(run("GETRANGE s 3 -100"), bulk(""));
  EXPECT_EQ(run("GETRANGE s 0 -12"), bulk("H"));
  EXPECT_EQ(run("GETRANGE s -1 -2"), bulk(""));
  EXPECT_EQ(run("GETRANGE s 0 0"), bulk("H"));
  EXPECT_EQ(run("GETRANGE s -1 -1"), bulk("d"));
  EXPECT_EQ(run("GETRANGE s 9223372036854775807 9223372036854775807"), bulk(""));
  EXPECT_EQ(run("GETRANGE s -9223372036854775808 -9223372036854775808"), bulk("H"));
  EXPECT_EQ(run("GETRANGE s -9223372036854775808 9223372036854775807"), bulk("Hello World"));
  EXPECT_EQ(run("SUBSTR s 0 2"), bulk("Hel"));
}

TEST_F(StringRangesTest, GetrangeEdgeCasesAndErrors) {
  EXPECT_EQ(run("GETRANGE nokey 0 -1"), bulk(""));
  EXPECT_EQ(run("SET e \"\""), ok());
  EXPECT_EQ(run("GETRANGE e 0 -1"), bulk(""));
  EXPECT_EQ(run("GETRANGE e 0 0"), bulk(""));
  EXPECT_EQ(run("SET i 12345"), ok());
  EXPECT_EQ(run("GETRANGE i 1 2"), bulk("23"));
  EXPECT_EQ(run("GETRANGE i -2 -1"), bulk("45"));
  put_list("l");
  EXPECT_EQ(run("GETRANGE l 0 1"), kWrongType);
  EXPECT_EQ(run("GETRANGE l -1 -2"), kWrongType);
  // The indexes are read before the key.
  EXPECT_EQ(run("GETRANGE l a 1"), kNotInt);
  EXPECT_EQ(run("GETRANGE nokey 0 b"), kNotInt);
  EXPECT_EQ(run("GETRANGE s 0"), err("ERR wrong number of arguments for 'getrange' command"));
}

// ---- SETRANGE --------------------------------------------------------------------------

TEST_F(StringRangesTest, Setrange) {
  EXPECT_EQ(run("SET s hello"), ok());
  EXPECT_EQ(run("SETRANGE s 1 EL"), integer(5));
  EXPECT_EQ(run("GET s"), bulk("hELlo"));
  EXPECT_EQ(run("SETRANGE s 7 xy"), integer(9));
  EXPECT_EQ(run("GET s"), bulk(std::string_view("hELlo\0\0xy", 9)));
  EXPECT_EQ(run("SETRANGE h2 2 ab"), integer(4));
  EXPECT_EQ(run("GET h2"), bulk(std::string_view("\0\0ab", 4)));
  EXPECT_EQ(run("SETEX t 100 5"), ok());
  EXPECT_EQ(run("SETRANGE t 0 9"), integer(1));
  EXPECT_GT(pttl("t"), 99000);
}

TEST_F(StringRangesTest, SetrangeWithEmptyValueChangesNothing) {
  EXPECT_EQ(run("SETRANGE k 0 \"\""), integer(0));
  EXPECT_EQ(run("SETRANGE k 5 \"\""), integer(0));
  EXPECT_EQ(run("SETRANGE k 536870912 \"\""), integer(0));
  EXPECT_EQ(dbsize(), 0u);
  EXPECT_EQ(run("SET s hello"), ok());
  EXPECT_EQ(run("SETRANGE s 100 \"\""), integer(5));
  EXPECT_EQ(run("SETRANGE s 536870912 \"\""), integer(5));
  EXPECT_EQ(run("GET s"), bulk("hello"));
}

TEST_F(StringRangesTest, SetrangeErrors) {
  const std::string out_of_range = err("ERR offset is out of range");
  const std::string too_long = err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  EXPECT_EQ(run("SETRANGE k -1 a"), out_of_range);
  EXPECT_EQ(run("SETRANGE k -1 \"\""), out_of_range);
  EXPECT_EQ(run("SETRANGE k a b"), kNotInt);
  EXPECT_EQ(run("SETRANGE k 536870912 a"), too_long);
  EXPECT_EQ(run("SETRANGE k 536870911 ab"), too_long);
  EXPECT_EQ(run("SETRANGE k 9223372036854775807 a"), too_long);
  EXPECT_EQ(run("SET s hello"), ok());
  EXPECT_EQ(run("SETRANGE s 536870912 x"), too_long);
  EXPECT_EQ(run("GET s"), bulk("hello"));
  put_list("l");
  EXPECT_EQ(run("SETRANGE l 0 a"), kWrongType);
  EXPECT_EQ(run("SETRANGE l 0 \"\""), kWrongType);
  EXPECT_EQ(run("SETRANGE l -1 a"), out_of_range);
  EXPECT_EQ(run("SETRANGE l a a"), kNotInt);
  EXPECT_EQ(dbsize(), 2u);
}

TEST_F(StringRangesTest, SetrangeLimitFollowsConfig) {
  engine.config().proto_max_bulk_len = 10;
  EXPECT_EQ(run("SETRANGE k 9 a"), integer(10));
  EXPECT_EQ(run("SETRANGE k 9 ab"),
            err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"));
}


TEST_F(StringRangesTest, AppendEncodings) {
  EXPECT_EQ(run("APPEND a abc"), integer(3));
  EXPECT_EQ(encoding("a"), "embstr");
  EXPECT_EQ(run("APPEND b 123"), integer(3));
  EXPECT_EQ(encoding("b"), "int");
  EXPECT_EQ(run("APPEND b \"\""), integer(3));
  EXPECT_EQ(encoding("b"), "raw");
  EXPECT_EQ(run("SET c 12"), ok());
  EXPECT_EQ(run("APPEND c 3"), integer(3));
  EXPECT_EQ(encoding("c"), "raw");
}

TEST_F(StringRangesTest, SetrangeEncodings) {
  EXPECT_EQ(run("SET g 5"), ok());
  EXPECT_EQ(run("SETRANGE g 0 6"), integer(1));
  EXPECT_EQ(encoding("g"), "raw");
  EXPECT_EQ(run("SETRANGE h 0 12"), integer(2));
  EXPECT_EQ(encoding("h"), "raw");
  EXPECT_EQ(run("SET j abc"), ok());
  EXPECT_EQ(run("SETRANGE j 0 \"\""), integer(3));
  EXPECT_EQ(encoding("j"), "embstr");
}


// ---- LCS -------------------------------------------------------------------------------

// One IDX match: [[a_from, a_to], [b_from, b_to]] and, with WITHMATCHLEN, its length.
std::string match(int64_t a_from, int64_t a_to, int64_t b_from, int64_t b_to, int64_t len = -1) {
  std::string a = arr({integer(a_from), integer(a_to)}), b = arr({integer(b_from), integer(b_to)});
  return len < 0 ? arr({a, b}) : arr({a, b, integer(len)});
}

std::string idx_reply(std::string matches, int64_t len) {
  return arr({bulk("matches"), std::move(matches), bulk("len"), integer(len)});
}

TEST_F(StringRangesTest, Lcs) {
  EXPECT_EQ(run("MSET key1 ohmytext key2 mynewtext"), ok());
  EXPECT_EQ(run("LCS key1 key2"), bulk("mytext"));
  EXPECT_EQ(run("LCS key1 key2 LEN"), integer(6));
  EXPECT_EQ(run("LCS key1 key2 WITHMATCHLEN"), bulk("mytext"));
  EXPECT_EQ(run("LCS key1 key2 MINMATCHLEN 100"), bulk("mytext"));
  EXPECT_EQ(run("LCS key1 key2 LEN WITHMATCHLEN"), integer(6));
  EXPECT_EQ(run("LCS key1 nokey"), bulk(""));
  EXPECT_EQ(run("LCS nokey nokey2 LEN"), integer(0));
  EXPECT_EQ(run("SET n 12345"), ok());
  EXPECT_EQ(run("SET m 2345"), ok());
  EXPECT_EQ(run("LCS n m"), bulk("2345"));
}

TEST_F(StringRangesTest, LcsIdxListsMatchesLastFirst) {
  EXPECT_EQ(run("MSET key1 ohmytext key2 mynewtext"), ok());
  EXPECT_EQ(run("LCS key1 key2 IDX"), idx_reply(arr({match(4, 7, 5, 8), match(2, 3, 0, 1)}), 6));
  EXPECT_EQ(run("LCS key1 key2 IDX WITHMATCHLEN"),
            idx_reply(arr({match(4, 7, 5, 8, 4), match(2, 3, 0, 1, 2)}), 6));
  EXPECT_EQ(run("LCS key1 key2 IDX MINMATCHLEN 4"), idx_reply(arr({match(4, 7, 5, 8)}), 6));
  EXPECT_EQ(run("LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN"),
            idx_reply(arr({match(4, 7, 5, 8, 4)}), 6));
  // A negative minimum counts as none.
  EXPECT_EQ(run("LCS key1 key2 MINMATCHLEN -5 IDX"),
            idx_reply(arr({match(4, 7, 5, 8), match(2, 3, 0, 1)}), 6));
  EXPECT_EQ(run("LCS key1 key1 IDX WITHMATCHLEN"), idx_reply(arr({match(0, 7, 0, 7, 8)}), 8));
  EXPECT_EQ(run("LCS nokey nokey2 IDX"), idx_reply(arr({}), 0));
  EXPECT_EQ(run("SET n 12345"), ok());
  EXPECT_EQ(run("SET m 2345"), ok());
  EXPECT_EQ(run("LCS n m IDX"), idx_reply(arr({match(1, 4, 0, 3)}), 4));
}

TEST_F(StringRangesTest, LcsIdxIsAMapInResp3) {
  EXPECT_EQ(run("MSET a ab b ab"), ok());
  session.proto = 3;
  EXPECT_EQ(run("LCS a b IDX"), "%2\r\n" + bulk("matches") + arr({match(0, 1, 0, 1)}) +
                                    bulk("len") + integer(2));
}

TEST_F(StringRangesTest, LcsErrors) {
  EXPECT_EQ(run("MSET key1 ohmytext key2 mynewtext"), ok());
  const std::string len_and_idx =
      err("ERR If you want both the length and indexes, please just use IDX.");
  EXPECT_EQ(run("LCS key1 key2 LEN IDX"), len_and_idx);
  EXPECT_EQ(run("LCS key1 key2 idx idx len"), len_and_idx);
  EXPECT_EQ(run("LCS key1 key2 FOO"), kSyntax);
  EXPECT_EQ(run("LCS key1 key2 MINMATCHLEN"), kSyntax);
  EXPECT_EQ(run("LCS key1 key2 MINMATCHLEN abc"), kNotInt);
  EXPECT_EQ(run("LCS key1"), err("ERR wrong number of arguments for 'lcs' command"));
  // The types are checked before the options.
  put_list("l");
  const std::string not_strings = err("ERR The specified keys must contain string values");
  EXPECT_EQ(run("LCS l key1"), not_strings);
  EXPECT_EQ(run("LCS key1 l FOO"), not_strings);
  EXPECT_EQ(run("LCS l nokey LEN IDX"), not_strings);
}

TEST_F(StringRangesTest, LcsTableMustFitProtoMaxBulkLen) {
  // The table has (|a|+1) * (|b|+1) four-byte cells: 512 * 512 * 4 is exactly 1 MiB.
  engine.config().proto_max_bulk_len = 1024 * 1024;
  EXPECT_EQ(run({"SET", "a", std::string(511, 'x')}), ok());
  EXPECT_EQ(run({"SET", "b", std::string(511, 'x')}), ok());
  EXPECT_EQ(run("LCS a b LEN"), integer(511));
  EXPECT_EQ(run({"SET", "b", std::string(512, 'x')}), ok());
  EXPECT_EQ(run("LCS a b LEN"),
            err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"));
  EXPECT_EQ(run("LCS nokey b LEN"), integer(0));
}

}  // namespace
}  // namespace rill::test
