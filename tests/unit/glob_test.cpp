// core::glob_match against Redis 7.0's stringmatchlen. The case-sensitive table was checked on
// a real server with KEYS (and, for "*" against "", with PSUBSCRIBE/PUBLISH, since KEYS and
// SCAN treat a lone "*" as "everything" before matching); the nocase cases with
// COMMAND LIST FILTERBY PATTERN, which matches command names ignoring case.
#include <gtest/gtest.h>

#include <string>

#include "core/glob.h"

namespace rill::core {
namespace {

struct Case {
  std::string pattern;
  std::string text;
  bool match;
};

void check(const Case& c, bool nocase) {
  EXPECT_EQ(glob_match(c.pattern, c.text, nocase), c.match)
      << "pattern '" << c.pattern << "' text '" << c.text << "'" << (nocase ? " nocase" : "");
}

TEST(Glob, StarAndQuestionMark) {
  const Case cases[] = {
      {"*", "", false},  // the edge: stringmatchlen never matches an empty text against "*"
      {"**", "", false},
      {"*", "a", true},
      {"?", "", false},
      {"?", "a", true},
      {"?", "ab", false},
      {"a*", "a", true},
      {"a*b", "ab", true},
      {"a*b", "axxb", true},
      {"a*b", "axxbc", false},
      {"*a", "bca", true},
      {"*a*", "bac", true},
      {"a?c", "abc", true},
      {"a?c", "ac", false},
      {"h*llo", "hello", true},
      {"h*llo", "hllo", true},
      {"foo*", "foo", true},
      {"foo**", "foo", true},
      {"*foo", "foo", true},
      {"f*o*o", "foo", true},
      {"", "", true},
      {"", "a", false},
      {"a", "", false},
  };
  for (const Case& c : cases) check(c, false);
}

TEST(Glob, Classes) {
  const Case cases[] = {
      {"[abc]", "b", true},
      {"[abc]", "d", false},
      {"[^abc]", "d", true},
      {"[^abc]", "a", false},
      {"[a-c]", "b", true},
      {"[a-c]", "d", false},
      {"[c-a]", "b", true},  // a reversed range is put in order
      {"[^a-c]", "z", true},
      {"[a-]", "-", false},   // '-' at the end is not a member
      {"[a-]", "a", true},
      {"[]", "a", false},
      {"[]]", "]", false},   // ']' right after '[' closes the class
      {"[!a]", "!", true},   // '!' is not negation; only '^' is
      {"[", "[", false},
      {"[a", "a", true},     // an unclosed class ends with the pattern
      {"[a", "[a", false},
      {"h[ae]llo", "hallo", true},
      {"h[^e]llo", "hello", false},
      {"a[b-d]*", "acz", true},
  };
  for (const Case& c : cases) check(c, false);
}

TEST(Glob, Escapes) {
  const Case cases[] = {
      {"[\\]]", "]", true},
      {"[\\-]", "-", true},
      {"[a\\-z]", "-", true},  // an escaped '-' is a member, not a range
      {"[a\\-z]", "b", false},
      {"\\*", "*", true},
      {"\\*", "a", false},
      {"\\?", "?", true},
      {"\\[a]", "[a]", true},
      {"a\\", "a\\", true},    // a trailing backslash stands for itself
      {"a\\", "a", false},
      {"\\", "\\", true},
  };
  for (const Case& c : cases) check(c, false);
}

TEST(Glob, BinaryText) {
  using namespace std::string_literals;
  EXPECT_TRUE(glob_match("a?c", "a\0c"s));
  EXPECT_TRUE(glob_match("a*"s, "a\0\xff"s));
  EXPECT_FALSE(glob_match("a\0b"s, "a"));
}

TEST(Glob, Nocase) {
  const Case cases[] = {
      {"GET", "get", true},
      {"\\GET", "get", true},
      {"[G-G]et", "get", true},
      {"[F-H]et", "get", true},
      {"g[E-E]tdel", "getdel", true},
      {"[^G]et", "get", false},
      {"[^G]et", "set", true},
      {"[\\g]et", "get", true},
      {"[\\G]ET", "get", false},  // an escaped class member is compared exactly
      {"[Z-a]et", "get", false},  // ordered, then folded: matches nothing
      {"[a-Z]et", "get", false},
      {"g?T", "GET", true},
  };
  for (const Case& c : cases) check(c, true);
  EXPECT_FALSE(glob_match("GET", "get", false));
}

// Patterns with many stars on a text that nearly matches: Redis gives up early instead of
// trying every split (exponential otherwise); this must answer at once.
TEST(Glob, ManyStarsStayFast) {
  EXPECT_FALSE(glob_match("*a*a*a*a*b", std::string(31, 'a')));
  EXPECT_FALSE(glob_match("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", std::string(5000, 'a')));
  EXPECT_TRUE(glob_match("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", std::string(5000, 'a') + "b"));
}

}  // namespace
}  // namespace rill::core
