// core/config.h: memory values, one setting at a time, and redis.conf-style files. The reason
// texts are those Redis 7.0 puts after "ERR CONFIG SET failed (possibly related to argument
// '...') - ", checked with CONFIG SET on a real server.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/config.h"

namespace rill::core {
namespace {

TEST(ParseMemory, UnitsAsRedis) {
  EXPECT_EQ(parse_memory("42"), 42);
  EXPECT_EQ(parse_memory("10b"), 10);
  EXPECT_EQ(parse_memory("1k"), 1000);
  EXPECT_EQ(parse_memory("1kb"), 1024);
  EXPECT_EQ(parse_memory("1m"), 1000 * 1000);
  EXPECT_EQ(parse_memory("1mb"), 1024 * 1024);
  EXPECT_EQ(parse_memory("1MB"), 1024 * 1024);
  EXPECT_EQ(parse_memory("1Mb"), 1024 * 1024);
  EXPECT_EQ(parse_memory("1g"), 1000LL * 1000 * 1000);
  EXPECT_EQ(parse_memory("1G"), 1000LL * 1000 * 1000);
  EXPECT_EQ(parse_memory("1gb"), 1024LL * 1024 * 1024);
  EXPECT_EQ(parse_memory("9223372036854775807"), INT64_MAX);
}

// Redis's memtoull takes leading zeros and even no digits at all.
TEST(ParseMemory, OddSpellingsRedisAccepts) {
  EXPECT_EQ(parse_memory("01mb"), 1024 * 1024);
  EXPECT_EQ(parse_memory(""), 0);
  EXPECT_EQ(parse_memory("mb"), 0);
}

TEST(ParseMemory, Refuses) {
  for (const char* s : {"-1", "+1", " 1", "1 ", "1.5gb", "1t", "1kib", "abc", "1 mb"}) {
    EXPECT_EQ(parse_memory(s), std::nullopt) << "'" << s << "'";
  }
}

TEST(ParseMemory, OverflowIsRefusedNotWrapped) {
  EXPECT_EQ(parse_memory("9223372036854775808"), std::nullopt);
  EXPECT_EQ(parse_memory("99999999999gb"), std::nullopt);
  EXPECT_EQ(parse_memory("8589934592gb"), std::nullopt);  // 2^33 GiB = 2^63 bytes
  EXPECT_EQ(parse_memory("8589934591gb"), 8589934591LL * 1024 * 1024 * 1024);
}

Status set(Config& c, std::string_view name, std::vector<std::string> values, bool startup = false) {
  return apply_config(c, name, values, startup);
}

TEST(ApplyConfig, NumbersAndTheirErrors) {
  Config c;
  EXPECT_TRUE(set(c, "hz", {"50"}));
  EXPECT_EQ(c.hz, 50);
  EXPECT_EQ(set(c, "hz", {"abc"}).text(), "argument couldn't be parsed into an integer");
  EXPECT_EQ(set(c, "hz", {"01"}).text(), "argument couldn't be parsed into an integer");
  EXPECT_EQ(set(c, "hz", {"99999999999"}).text(),
            "argument must be between 0 and 2147483647 inclusive");
  EXPECT_EQ(c.hz, 50);  // a refused value changes nothing
}

TEST(ApplyConfig, MemoryValues) {
  Config c;
  EXPECT_TRUE(set(c, "client-query-buffer-limit", {"1mb"}));
  EXPECT_EQ(c.client_query_buffer_limit, 1024 * 1024);
  EXPECT_TRUE(set(c, "maxmemory", {"01mb"}));
  EXPECT_EQ(c.maxmemory, 1024 * 1024);
  EXPECT_EQ(set(c, "maxmemory", {"-1"}).text(), "argument must be a memory value");
  EXPECT_EQ(set(c, "maxmemory", {"1.5gb"}).text(), "argument must be a memory value");
  EXPECT_EQ(set(c, "proto-max-bulk-len", {"1000"}).text(),
            "argument must be between 1048576 and 9223372036854775807 inclusive");
  EXPECT_EQ(c.proto_max_bulk_len, 512LL * 1024 * 1024);
}

TEST(ApplyConfig, BoolsAndEnums) {
  Config c;
  EXPECT_TRUE(set(c, "protected-mode", {"no"}));
  EXPECT_FALSE(c.protected_mode);
  EXPECT_TRUE(set(c, "protected-mode", {"YES"}));
  EXPECT_TRUE(c.protected_mode);
  EXPECT_EQ(set(c, "protected-mode", {"maybe"}).text(), "argument must be 'yes' or 'no'");
  EXPECT_TRUE(set(c, "maxmemory-policy", {"Allkeys-LRU"}));
  EXPECT_EQ(c.maxmemory_policy, "allkeys-lru");  // stored as Redis prints it
  EXPECT_EQ(set(c, "appendfsync", {"sometimes"}).text(),
            "argument(s) must be one of the following: everysec, always, no");
  EXPECT_EQ(set(c, "loglevel", {"foo"}).text(),
            "argument(s) must be one of the following: debug, verbose, notice, warning");
  EXPECT_EQ(set(c, "maxmemory-policy", {"foo"}).text(),
            "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
            "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction");
}

TEST(ApplyConfig, NamesValuesAndMutability) {
  Config c;
  EXPECT_TRUE(set(c, "PORT", {"7000"}, true));  // names are case-insensitive
  EXPECT_EQ(c.port, 7000);
  EXPECT_EQ(set(c, "port", {"70000"}, true).text(),
            "argument must be between 0 and 65535 inclusive");
  EXPECT_EQ(set(c, "port", {"7001"}, false).text(), "can't set immutable config");
  EXPECT_EQ(set(c, "daemonize", {"yes"}, false).text(), "can't set immutable config");
  EXPECT_EQ(set(c, "no-such-thing", {"1"}, true).text(),
            "Bad directive or wrong number of arguments");
  EXPECT_TRUE(set(c, "save", {"900", "1", "300", "10"}));  // several words, one value
  EXPECT_EQ(c.save, "900 1 300 10");
  EXPECT_TRUE(set(c, "save", {""}));
  EXPECT_EQ(c.save, "");
  EXPECT_NE(find_config_param("Maxmemory"), nullptr);
  EXPECT_EQ(find_config_param("maxmem"), nullptr);
}

// What CONFIG GET prints, CONFIG SET (and a rewritten config file) must take back unchanged.
TEST(ApplyConfig, EveryParameterTakesBackItsOwnValue) {
  Config c;
  for (const ConfigParam& p : config_params()) {
    SCOPED_TRACE(std::string(p.name));
    const std::string before = p.get(c);
    EXPECT_TRUE(p.set(c, before)) << before;
    EXPECT_EQ(p.get(c), before);
  }
}

class ConfigFileTest : public ::testing::Test {
 protected:
  ConfigFileTest() {
    char tmpl[] = "/tmp/rill-config-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  ~ConfigFileTest() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(ConfigFileTest, ReadsRedisConfSyntax) {
  std::string included = write("extra.conf", "hz 42\n");
  std::string path = write("rill.conf",
                           "# a comment\n"
                           "\n"
                           "   # an indented comment\n"
                           "port 7777\n"
                           "requirepass \"se cret\"\n"
                           "  maxmemory 2mb\r\n"
                           "save 900 1 300 10\n"
                           "MAXMEMORY-POLICY allkeys-lru\n"
                           "include " + included + "\n");
  Config c;
  Status s = load_config_file(c, path);
  ASSERT_TRUE(s) << s.text();
  EXPECT_EQ(c.port, 7777);
  EXPECT_EQ(c.requirepass, "se cret");
  EXPECT_EQ(c.maxmemory, 2 * 1024 * 1024);
  EXPECT_EQ(c.save, "900 1 300 10");
  EXPECT_EQ(c.maxmemory_policy, "allkeys-lru");
  EXPECT_EQ(c.hz, 42);
}

TEST_F(ConfigFileTest, LaterLinesWin) {
  Config c;
  ASSERT_TRUE(load_config_file(c, write("a.conf", "hz 5\nhz 6\n")));
  EXPECT_EQ(c.hz, 6);
}

TEST_F(ConfigFileTest, MissingFile) {
  Config c;
  std::string path = dir_ + "/nope.conf";
  EXPECT_EQ(load_config_file(c, path).text(), "Fatal error, can't open config file '" + path + "'");
}

TEST_F(ConfigFileTest, ErrorsNameTheLine) {
  Config c;
  std::string path = write("bad.conf", "port 7000\n\nport abc\n");
  Status s = load_config_file(c, path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.text().find("line 3"), std::string_view::npos) << s.text();
  EXPECT_NE(s.text().find("argument couldn't be parsed into an integer"), std::string_view::npos)
      << s.text();

  s = load_config_file(c, write("quotes.conf", "hz 10\nrequirepass \"open\n"));
  EXPECT_EQ(s.text(), "Unbalanced quotes in configuration line 2");

  s = load_config_file(c, write("unknown.conf", "frobnicate yes\n"));
  ASSERT_FALSE(s);
  EXPECT_NE(s.text().find("Bad directive or wrong number of arguments"), std::string_view::npos)
      << s.text();

  s = load_config_file(c, write("inc.conf", "include " + dir_ + "/missing.conf\n"));
  EXPECT_EQ(s.text(), "Fatal error, can't open config file '" + dir_ + "/missing.conf'");
}

}  // namespace
}  // namespace rill::core
