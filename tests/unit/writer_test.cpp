// Writer: every reply shape in RESP2 and RESP3, byte for byte as Redis 7.0 sends it (the
// RESP3 forms were read off a real server after HELLO 3: ",1.1000000000000001", "#t", "_",
// "=4\r\ntxt:..."), deferred headers, the preformatted small headers, and error sanitising.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "resp/writer.h"

namespace rill::resp {
namespace {

class WriterTest : public ::testing::Test {
 protected:
  // What `write` appends in RESP2 and in RESP3.
  template <class F>
  std::pair<std::string, std::string> both(F&& write) {
    std::string b2, b3;
    Writer w2(&b2, 2), w3(&b3, 3);
    write(w2);
    write(w3);
    return {b2, b3};
  }
  using Pair = std::pair<std::string, std::string>;
};

TEST_F(WriterTest, Simple) {
  EXPECT_EQ(both([](Writer& w) { w.simple("PONG"); }), Pair("+PONG\r\n", "+PONG\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.ok(); }), Pair("+OK\r\n", "+OK\r\n"));
}

TEST_F(WriterTest, ErrorKeepsTextAndSanitisesLineBreaks) {
  EXPECT_EQ(both([](Writer& w) { w.error("ERR syntax error"); }),
            Pair("-ERR syntax error\r\n", "-ERR syntax error\r\n"));
  // Redis replaces CR and LF inside an error with spaces so the reply stays one line.
  EXPECT_EQ(both([](Writer& w) { w.error("ERR a\r\nb\nc\rd"); }),
            Pair("-ERR a  b c d\r\n", "-ERR a  b c d\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.error("ERR Protocol error: expected '$', got '\r'"); }).first,
            "-ERR Protocol error: expected '$', got ' '\r\n");
}

TEST_F(WriterTest, ErrorSanitisesOnlyItsOwnBytes) {
  std::string buf = "$2\r\n\r\n\r\n";  // an earlier reply whose payload is CRLF
  Writer w(&buf);
  w.error("ERR x\ny");
  EXPECT_EQ(buf, "$2\r\n\r\n\r\n-ERR x y\r\n");
}

TEST_F(WriterTest, Integer) {
  EXPECT_EQ(both([](Writer& w) { w.integer(0); }), Pair(":0\r\n", ":0\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.integer(-1); }), Pair(":-1\r\n", ":-1\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.integer(INT64_MAX); }).first, ":9223372036854775807\r\n");
  EXPECT_EQ(both([](Writer& w) { w.integer(INT64_MIN); }).first, ":-9223372036854775808\r\n");
}

TEST_F(WriterTest, Bulk) {
  EXPECT_EQ(both([](Writer& w) { w.bulk("hello"); }), Pair("$5\r\nhello\r\n", "$5\r\nhello\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.bulk(""); }), Pair("$0\r\n\r\n", "$0\r\n\r\n"));
  std::string binary("a\0\r\nb", 5);
  EXPECT_EQ(both([&](Writer& w) { w.bulk(binary); }).first, "$5\r\n" + binary + "\r\n");
}

TEST_F(WriterTest, Nulls) {
  EXPECT_EQ(both([](Writer& w) { w.null(); }), Pair("$-1\r\n", "_\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.null_array(); }), Pair("*-1\r\n", "_\r\n"));
}

TEST_F(WriterTest, Aggregates) {
  EXPECT_EQ(both([](Writer& w) { w.array(2); }), Pair("*2\r\n", "*2\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.array(0); }), Pair("*0\r\n", "*0\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.map(7); }), Pair("*14\r\n", "%7\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.map(0); }), Pair("*0\r\n", "%0\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.map(40); }), Pair("*80\r\n", "%40\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.set(3); }), Pair("*3\r\n", "~3\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.push(3); }), Pair("*3\r\n", ">3\r\n"));
}

TEST_F(WriterTest, Boolean) {
  EXPECT_EQ(both([](Writer& w) { w.boolean(true); }), Pair(":1\r\n", "#t\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.boolean(false); }), Pair(":0\r\n", "#f\r\n"));
}

TEST_F(WriterTest, Double) {
  EXPECT_EQ(both([](Writer& w) { w.dbl(1.5); }), Pair("$3\r\n1.5\r\n", ",1.5\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.dbl(1.1); }),
            Pair("$18\r\n1.1000000000000001\r\n", ",1.1000000000000001\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.dbl(3); }), Pair("$1\r\n3\r\n", ",3\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.dbl(std::numeric_limits<double>::infinity()); }),
            Pair("$3\r\ninf\r\n", ",inf\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.dbl(-std::numeric_limits<double>::infinity()); }),
            Pair("$4\r\n-inf\r\n", ",-inf\r\n"));
}

TEST_F(WriterTest, Verbatim) {
  EXPECT_EQ(both([](Writer& w) { w.verbatim("a\nb"); }),
            Pair("$3\r\na\nb\r\n", "=7\r\ntxt:a\nb\r\n"));
  EXPECT_EQ(both([](Writer& w) { w.verbatim(""); }), Pair("$0\r\n\r\n", "=4\r\ntxt:\r\n"));
}

TEST_F(WriterTest, RawAndProtoSwitch) {
  std::string buf;
  Writer w(&buf);
  EXPECT_EQ(w.proto(), 2);
  w.raw("*1\r\n:1\r\n");
  w.null();
  w.set_proto(3);
  EXPECT_EQ(w.proto(), 3);
  w.null();
  EXPECT_EQ(buf, "*1\r\n:1\r\n$-1\r\n_\r\n");
  EXPECT_EQ(&w.buffer(), &buf);
}

// Small headers come from a preformatted table, larger ones are formatted on the spot; both
// must spell the same bytes.
TEST_F(WriterTest, SharedHeadersMatchFormattedOnes) {
  for (int64_t n = 0; n < 300; ++n) {
    std::string buf;
    Writer w(&buf);
    w.array(static_cast<size_t>(n));
    w.integer(n);
    w.integer(-n);
    w.bulk(std::string(static_cast<size_t>(n), 'x'));
    const std::string s = std::to_string(n);
    EXPECT_EQ(buf, "*" + s + "\r\n:" + s + "\r\n:" + (n ? "-" : "") + s + "\r\n$" + s + "\r\n" +
                       std::string(static_cast<size_t>(n), 'x') + "\r\n")
        << n;
  }
}

TEST_F(WriterTest, DeferredArray) {
  auto [r2, r3] = both([](Writer& w) {
    w.simple("before");
    auto d = w.array_later();
    w.bulk("a");
    w.integer(1);
    w.fill(d, 2);
  });
  EXPECT_EQ(r2, "+before\r\n*2\r\n$1\r\na\r\n:1\r\n");
  EXPECT_EQ(r3, r2);
}

TEST_F(WriterTest, DeferredMapAndSet) {
  auto map = both([](Writer& w) {
    auto d = w.map_later();
    w.bulk("k");
    w.bulk("v");
    w.fill(d, 1);
  });
  EXPECT_EQ(map, Pair("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", "%1\r\n$1\r\nk\r\n$1\r\nv\r\n"));
  auto set = both([](Writer& w) {
    auto d = w.set_later();
    w.bulk("m");
    w.fill(d, 1);
  });
  EXPECT_EQ(set, Pair("*1\r\n$1\r\nm\r\n", "~1\r\n$1\r\nm\r\n"));
}

TEST_F(WriterTest, DeferredEmptyAndLarge) {
  std::string buf;
  Writer w(&buf);
  w.fill(w.array_later(), 0);
  EXPECT_EQ(buf, "*0\r\n");
  buf.clear();
  auto d = w.array_later();
  std::string want;
  for (int i = 0; i < 1000; ++i) {
    w.integer(i);
    want += ":" + std::to_string(i) + "\r\n";
  }
  w.fill(d, 1000);
  EXPECT_EQ(buf, "*1000\r\n" + want);
}

// Inner headers are filled before the outer one (each fill shifts only what follows it).
TEST_F(WriterTest, DeferredNested) {
  auto [r2, r3] = both([](Writer& w) {
    auto outer = w.array_later();
    auto inner = w.map_later();
    w.bulk("f");
    w.integer(7);
    w.fill(inner, 1);
    w.bulk("tail");
    w.fill(outer, 2);
  });
  EXPECT_EQ(r2, "*2\r\n*2\r\n$1\r\nf\r\n:7\r\n$4\r\ntail\r\n");
  EXPECT_EQ(r3, "*2\r\n%1\r\n$1\r\nf\r\n:7\r\n$4\r\ntail\r\n");
}

TEST_F(WriterTest, RepliesAppendToTheCallersBuffer) {
  std::string buf = "+earlier\r\n";
  Writer w(&buf, 3);
  w.integer(5);
  w.boolean(true);
  EXPECT_EQ(buf, "+earlier\r\n:5\r\n#t\r\n");
}

// Values read off Redis 7.0: ZSCORE for doubles (%.17g), INCRBYFLOAT for long doubles.
TEST(FormatDouble, AsRedis) {
  EXPECT_EQ(format_double(1.1), "1.1000000000000001");
  EXPECT_EQ(format_double(0.1), "0.10000000000000001");
  EXPECT_EQ(format_double(1e300), "1.0000000000000001e+300");
  EXPECT_EQ(format_double(1.5e-7), "1.4999999999999999e-07");
  EXPECT_EQ(format_double(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(format_double(3), "3");
  EXPECT_EQ(format_double(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_double(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(FormatLongDouble, AsIncrbyfloat) {
  EXPECT_EQ(format_long_double(0.1L + 0.2L), "0.3");
  EXPECT_EQ(format_long_double(1.5e-10L), "0.00000000015");
  EXPECT_EQ(format_long_double(100000000000000000000.3L), "100000000000000000000");
  EXPECT_EQ(format_long_double(-0.0L), "0");
  EXPECT_EQ(format_long_double(10.5L), "10.5");
  EXPECT_EQ(format_long_double(-3.0L), "-3");
  EXPECT_EQ(format_long_double(5000.0L), "5000");  // zeros before the dot stay
}

}  // namespace
}  // namespace rill::resp
