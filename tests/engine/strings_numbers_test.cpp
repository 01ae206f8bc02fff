// INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT through the engine: overflow, parsing and
// formatting exactly as Redis 7.0.15 replies, and the encodings the results are stored with.
#include "engine/strings_fixture.h"

namespace rill::test {
namespace {

class StringNumbersTest : public StringsFixture {};

// ---- INCR family -----------------------------------------------------------------------

TEST_F(StringNumbersTest, IncrDecr) {
  EXPECT_EQ(run("INCR n"), integer(1));
  EXPECT_EQ(run("INCR n"), integer(2));
  EXPECT_EQ(run("DECR n"), integer(1));
  EXPECT_EQ(run("INCRBY n 10"), integer(11));
  EXPECT_EQ(run("INCRBY n -20"), integer(-9));
  EXPECT_EQ(run("DECRBY n 1"), integer(-10));
  EXPECT_EQ(run("DECRBY n -15"), integer(5));
  EXPECT_EQ(run("GET n"), bulk("5"));
  EXPECT_EQ(run("INCRBY m 5"), integer(5));
  EXPECT_EQ(run("DECR d"), integer(-1));
  EXPECT_EQ(run("SETEX t 100 5"), ok());
  EXPECT_EQ(run("INCR t"), integer(6));
  EXPECT_GT(pttl("t"), 99000);
}

TEST_F(StringNumbersTest, IncrRejectsNonIntegers) {
  for (const char* v : {"abc", "1.5", "\" 1\"", "\"1 \"", "01", "+1", "-0", "\"\"",
                        "12345678901234567890123", "9223372036854775808"}) {
    EXPECT_EQ(run(std::string("SET a ") + v), ok());
    EXPECT_EQ(run("INCR a"), kNotInt) << v;
  }
  EXPECT_EQ(run("INCRBY a abc"), kNotInt);
  EXPECT_EQ(run("INCRBY a 1.0"), kNotInt);
  EXPECT_EQ(run("INCRBY a 9223372036854775808"), kNotInt);
  EXPECT_EQ(run("DECRBY a \"\""), kNotInt);
}

TEST_F(StringNumbersTest, IncrOverflow) {
  const std::string overflow = err("ERR increment or decrement would overflow");
  EXPECT_EQ(run("SET a 9223372036854775807"), ok());
  EXPECT_EQ(run("INCR a"), overflow);
  EXPECT_EQ(run("INCRBY a 0"), integer(9223372036854775807));
  EXPECT_EQ(run("DECRBY a -1"), overflow);
  EXPECT_EQ(run("SET a -9223372036854775808"), ok());
  EXPECT_EQ(run("DECR a"), overflow);
  EXPECT_EQ(run("DECRBY a 1"), overflow);
  EXPECT_EQ(run("INCRBY a -1"), overflow);
  EXPECT_EQ(run("INCRBY a 9223372036854775807"), integer(-1));
  EXPECT_EQ(run("GET a"), bulk("-1"));
  // DECRBY cannot negate the smallest int64, whatever the key holds.
  EXPECT_EQ(run("SET a 0"), ok());
  EXPECT_EQ(run("DECRBY a -9223372036854775808"), err("ERR decrement would overflow"));
  EXPECT_EQ(run("DECRBY a 9223372036854775807"), integer(-9223372036854775807));
}

TEST_F(StringNumbersTest, IncrErrorOrder) {
  put_list("l");
  EXPECT_EQ(run("INCR l"), kWrongType);
  EXPECT_EQ(run("DECR l"), kWrongType);
  EXPECT_EQ(run("INCRBY l 1"), kWrongType);
  // INCRBY and DECRBY read the increment first; INCRBYFLOAT reads the key first.
  EXPECT_EQ(run("INCRBY l abc"), kNotInt);
  EXPECT_EQ(run("DECRBY l -9223372036854775808"), err("ERR decrement would overflow"));
  EXPECT_EQ(run("INCRBYFLOAT l abc"), kWrongType);
  EXPECT_EQ(run("INCRBYFLOAT l 1"), kWrongType);
  EXPECT_TRUE(is_list("l"));
}

TEST_F(StringNumbersTest, Incrbyfloat) {
  EXPECT_EQ(run("INCRBYFLOAT a 1"), bulk("1"));
  EXPECT_EQ(run("INCRBYFLOAT a 0.1"), bulk("1.1"));
  EXPECT_EQ(run("INCRBYFLOAT a -1.1"), bulk("0"));
  EXPECT_EQ(run("INCRBYFLOAT a 1e3"), bulk("1000"));
  EXPECT_EQ(run("INCRBYFLOAT a 5.0e3"), bulk("6000"));
  EXPECT_EQ(run("GET a"), bulk("6000"));
  EXPECT_EQ(run("SET x 10.50"), ok());
  EXPECT_EQ(run("INCRBYFLOAT x 0.1"), bulk("10.6"));
  EXPECT_EQ(run("INCRBYFLOAT x -5"), bulk("5.6"));
  EXPECT_EQ(run("INCRBYFLOAT z -1.5"), bulk("-1.5"));
  EXPECT_EQ(run("INCRBYFLOAT m 0.1"), bulk("0.1"));
  EXPECT_EQ(run("INCRBYFLOAT m 0.2"), bulk("0.3"));
  EXPECT_EQ(run("SET d 3.0"), ok());
  EXPECT_EQ(run("INCRBYFLOAT d 0"), bulk("3"));
  EXPECT_EQ(run("SET e 0x10"), ok());
  EXPECT_EQ(run("INCRBYFLOAT e 1"), bulk("17"));
  EXPECT_EQ(run("INCRBYFLOAT g 10.5e-3"), bulk("0.0105"));
  EXPECT_EQ(run("INCRBYFLOAT h 1.23456789012345678901"), bulk("1.23456789012345679"));
  EXPECT_EQ(run("INCRBYFLOAT i -0.0"), bulk("0"));
  EXPECT_EQ(run("INCRBYFLOAT j 1e-20"), bulk("0"));
  EXPECT_EQ(run("INCRBYFLOAT l 1e20"), bulk("100000000000000000000"));
  EXPECT_EQ(run("INCRBYFLOAT k 1e50"), bulk("100000000000000000003583830118858923890798487404544"));
  EXPECT_EQ(run("INCRBYFLOAT p .5"), bulk("0.5"));
  EXPECT_EQ(run("INCRBYFLOAT q 5."), bulk("5"));
  EXPECT_EQ(run("SETEX t 100 5"), ok());
  EXPECT_EQ(run("INCRBYFLOAT t 1.5"), bulk("6.5"));
  EXPECT_GT(pttl("t"), 99000);
}

TEST_F(StringNumbersTest, IncrbyfloatHugeValuesPrintEveryDigit) {
  // A long double prints in full with %.17Lf: every digit of its exact value.
  const std::string digits =
      "10000000000000000000281880683947586514586453433629052038625910693539685534008629"
      "86203936399484832416052209405392731761620029582277725925573402382897659334066101"
      "77974474345461739178624481166749717237789438243915933380474706750262466844013592"
      "37513603830343735485505244955964979021825038280091068414947402456898653040951017"
      "51265809261582758892018347251164331659136266413817630973480634373249743022194688"
      "0";
  EXPECT_EQ(run("INCRBYFLOAT b 1e400"), bulk(digits));
  EXPECT_EQ(run("GET b"), bulk(digits));
  EXPECT_EQ(encoding("b"), "raw");
}

TEST_F(StringNumbersTest, IncrbyfloatErrors) {
  const std::string nan_inf = err("ERR increment would produce NaN or Infinity");
  EXPECT_EQ(run("SET a 1"), ok());
  for (const char* v : {"abc", "nan", "\" 1\"", "\"1 \"", "\"\"", "1e5000", "1e-5000"}) {
    EXPECT_EQ(run(std::string("INCRBYFLOAT a ") + v), kNotFloat) << v;
  }
  EXPECT_EQ(run("INCRBYFLOAT a inf"), nan_inf);
  EXPECT_EQ(run("INCRBYFLOAT a +inf"), nan_inf);
  EXPECT_EQ(run("INCRBYFLOAT a -inf"), nan_inf);
  EXPECT_EQ(run("INCRBYFLOAT a infinity"), nan_inf);
  EXPECT_EQ(run("GET a"), bulk("1"));
  EXPECT_EQ(run("SET v 1.1e4932"), ok());
  EXPECT_EQ(run("INCRBYFLOAT v 1.1e4932"), nan_inf);
  EXPECT_EQ(run("SET c abc"), ok());
  EXPECT_EQ(run("INCRBYFLOAT c 1"), kNotFloat);
  EXPECT_EQ(run("SET c inf"), ok());
  EXPECT_EQ(run("INCRBYFLOAT c 1"), nan_inf);
  EXPECT_EQ(run("SET c nan"), ok());
  EXPECT_EQ(run("INCRBYFLOAT c 1"), kNotFloat);
  EXPECT_EQ(run("SET c \" 1\""), ok());
  EXPECT_EQ(run("INCRBYFLOAT c 1"), kNotFloat);
  EXPECT_EQ(run("INCRBYFLOAT c 2 3"),
            err("ERR wrong number of arguments for 'incrbyfloat' command"));
}

TEST_F(StringNumbersTest, IncrbyfloatReadsNumbersAsRedisDoes) {
  // A subnormal long double is a valid float (only overflow and underflow to 0 are refused).
  EXPECT_EQ(run("INCRBYFLOAT x 1e-4940"), bulk("0"));
  EXPECT_EQ(run("SET y 1e-4940"), ok());
  EXPECT_EQ(run("INCRBYFLOAT y 0"), bulk("0"));
  // Redis reads at most 5119 bytes of text as a number.
  const std::string longest = "1." + std::string(5117, '0');
  EXPECT_EQ(run({"INCRBYFLOAT", "z", longest}), bulk("1"));
  EXPECT_EQ(run({"INCRBYFLOAT", "z", longest + "0"}), kNotFloat);
  EXPECT_EQ(run({"SET", "w", longest + "0"}), ok());
  EXPECT_EQ(run("INCRBYFLOAT w 1"), kNotFloat);
  EXPECT_EQ(run({"INCRBYFLOAT", "z", std::string_view("1\0abc", 5)}), kNotFloat);
}


TEST_F(StringNumbersTest, NumberEncodings) {
  EXPECT_EQ(run("INCR i"), integer(1));
  EXPECT_EQ(encoding("i"), "int");
  EXPECT_EQ(run("SET k 10"), ok());
  EXPECT_EQ(run("INCRBYFLOAT k 1.5"), bulk("11.5"));
  EXPECT_EQ(encoding("k"), "embstr");
  EXPECT_EQ(run("INCRBYFLOAT k 0.5"), bulk("12"));
  EXPECT_EQ(encoding("k"), "embstr");  // an integer in text, still never int
  EXPECT_EQ(run("INCR k"), integer(13));
  EXPECT_EQ(encoding("k"), "int");
  EXPECT_EQ(run("SET r abc"), ok());
  EXPECT_EQ(run("APPEND r d"), integer(4));
  EXPECT_EQ(run("SET r 41"), ok());
  EXPECT_EQ(run("APPEND r \"\""), integer(2));
  EXPECT_EQ(encoding("r"), "raw");
  EXPECT_EQ(run("INCR r"), integer(42));
  EXPECT_EQ(encoding("r"), "int");
  EXPECT_EQ(run("INCRBYFLOAT big 1e50"),
            bulk("100000000000000000003583830118858923890798487404544"));
  EXPECT_EQ(encoding("big"), "raw");
}

}  // namespace
}  // namespace rill::test
