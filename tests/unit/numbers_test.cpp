// core/numbers.h against Redis 7.0: every accepted or refused spelling below was sent to a real
// server (INCRBY for integers, ZADD for doubles, INCRBYFLOAT for long doubles).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/numbers.h"

namespace rill::core {
namespace {

TEST(ParseInt, Accepts) {
  EXPECT_EQ(parse_int("0"), 0);
  EXPECT_EQ(parse_int("1"), 1);
  EXPECT_EQ(parse_int("-1"), -1);
  EXPECT_EQ(parse_int("1234567890"), 1234567890);
  EXPECT_EQ(parse_int("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_int("-9223372036854775808"), INT64_MIN);
}

TEST(ParseInt, RefusesWhatRedisRefuses) {
  for (const char* s : {"", "-", "01", "00", "-01", "-0", "+1", " 1", "1 ", "1a", "0x10", "1.0",
                        "9223372036854775808", "-9223372036854775809", "18446744073709551616",
                        "123456789012345678901", "99999999999999999999"}) {
    EXPECT_EQ(parse_int(s), std::nullopt) << "'" << s << "'";
  }
  EXPECT_EQ(parse_int(std::string("1\0", 2)), std::nullopt);
}

TEST(ParseUint, Cursor) {
  EXPECT_EQ(parse_uint("0"), 0u);
  EXPECT_EQ(parse_uint("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(parse_uint("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parse_uint("-1"), std::nullopt);
  EXPECT_EQ(parse_uint("01"), std::nullopt);
  EXPECT_EQ(parse_uint(""), std::nullopt);
}

TEST(ParseDouble, Accepts) {
  EXPECT_EQ(parse_double("1"), 1.0);
  EXPECT_EQ(parse_double("1.5"), 1.5);
  EXPECT_EQ(parse_double("+1.5"), 1.5);
  EXPECT_EQ(parse_double("-1.5"), -1.5);
  EXPECT_EQ(parse_double(".5"), 0.5);
  EXPECT_EQ(parse_double("5."), 5.0);
  EXPECT_EQ(parse_double("1e10"), 1e10);
  EXPECT_EQ(parse_double("0x10"), 16.0);   // strtod reads hex, and so does Redis
  EXPECT_EQ(parse_double("0x1p3"), 8.0);
  EXPECT_EQ(parse_double("-0"), 0.0);
  EXPECT_EQ(parse_double("inf"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_double("+inf"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_double("-inf"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_double("Infinity"), std::numeric_limits<double>::infinity());
  auto sub = parse_double("1e-310");  // subnormal: ERANGE, but not zero, so kept
  ASSERT_TRUE(sub);
  EXPECT_GT(*sub, 0);
  EXPECT_EQ(parse_double("1." + std::string(7000, '0')), 1.0);  // no length limit
}

TEST(ParseDouble, Refuses) {
  for (const char* s : {"", " 1", "1 ", "1e400", "-1e400", "1e-400", "nan", "NaN", "1,5", "1e",
                        "1_0", "abc"}) {
    EXPECT_EQ(parse_double(s), std::nullopt) << "'" << s << "'";
  }
}

TEST(ParseLongDouble, Accepts) {
  EXPECT_EQ(parse_long_double("1.5"), 1.5L);
  EXPECT_EQ(parse_long_double("+1.5"), 1.5L);
  EXPECT_EQ(parse_long_double(".5"), 0.5L);
  EXPECT_EQ(parse_long_double("0x10"), 16.0L);
  EXPECT_EQ(parse_long_double("-0"), 0.0L);
  // Beyond double's range but inside long double's.
  auto big = parse_long_double("1e400");
  ASSERT_TRUE(big);
  EXPECT_TRUE(std::isfinite(*big));
  EXPECT_TRUE(parse_long_double("1e-4940"));  // subnormal long double
  // Infinity parses (INCRBYFLOAT then refuses the result, not the argument).
  EXPECT_TRUE(parse_long_double("inf"));
  EXPECT_EQ(parse_long_double("1." + std::string(5117, '0')), 1.0L);  // 5119 characters
}

TEST(ParseLongDouble, Refuses) {
  for (const char* s : {"", " 1", "1 ", "1e5000", "-1e5000", "nan", "NaN", "1,5", "1e", "1_0"}) {
    EXPECT_EQ(parse_long_double(s), std::nullopt) << "'" << s << "'";
  }
  EXPECT_EQ(parse_long_double("1." + std::string(5118, '0')), std::nullopt);  // 5120: too long
}

TEST(Numbers, IntToString) {
  EXPECT_EQ(int_to_string(0), "0");
  EXPECT_EQ(int_to_string(-42), "-42");
  EXPECT_EQ(int_to_string(INT64_MIN), "-9223372036854775808");
  EXPECT_EQ(int_to_string(INT64_MAX), "9223372036854775807");
}

TEST(Numbers, Iequals) {
  EXPECT_TRUE(iequals("nx", "NX"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("nx", "nxx"));
  EXPECT_FALSE(iequals("ex", "px"));
}

}  // namespace
}  // namespace rill::core
