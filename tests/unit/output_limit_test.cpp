// client-output-buffer-limit: the setting (CONFIG SET / GET / REWRITE and the config file, as
// Redis 7.0.15 answers them) and the rule net::OutputLimit applies to one connection.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/config.h"
#include "net/output_limit.h"

namespace rill {
namespace {

using core::Config;
using core::OutputBufferLimit;

const core::ConfigParam& param() { return *core::find_config_param("client-output-buffer-limit"); }

TEST(OutputBufferLimitConfig, DefaultsAndUnitsAsRedisPrintsThem) {
  Config c;
  EXPECT_EQ(param().get(c), "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  EXPECT_TRUE(param().set(c, "normal 1mb 2k 3"));
  EXPECT_EQ(param().get(c),
            "normal 1048576 2000 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  EXPECT_TRUE(param().set(c, "pubsub 32MB 8mb 60 replica 1gb 1g 5"));
  EXPECT_EQ(param().get(c),
            "normal 1048576 2000 3 slave 1073741824 1000000000 5 pubsub 33554432 8388608 60");
  // Any case; a class named twice takes the last values; "+5" and "" read as strtoll reads them.
  EXPECT_TRUE(param().set(c, "NORMAL 0 0 0 slave 0 0 0 pubsub 0 0 0 normal 5 5 +5"));
  EXPECT_EQ(param().get(c), "normal 5 5 5 slave 0 0 0 pubsub 0 0 0");
  EXPECT_TRUE(param().set(c, ""));  // nothing named, nothing changed
  EXPECT_EQ(param().get(c), "normal 5 5 5 slave 0 0 0 pubsub 0 0 0");
  // Redis's arithmetic at the edges: too many digits saturate, seconds wrap as an int.
  EXPECT_TRUE(param().set(c, "normal 99999999999999999999 0 4294967301"));
  EXPECT_EQ(param().get(c), "normal 18446744073709551615 0 5 slave 0 0 0 pubsub 0 0 0");
  EXPECT_EQ(c.output_limit(core::ClientClass::kNormal).hard_bytes, UINT64_MAX);
}

TEST(OutputBufferLimitConfig, RefusesWithRedisReasonsAndChangesNothing) {
  Config c;
  const std::string before = param().get(c);
  const char* kCount = "Wrong number of arguments in buffer limit configuration.";
  const char* kClass = "Invalid client class specified in buffer limit configuration.";
  const char* kValue = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
  const std::pair<const char*, const char*> bad[] = {
      {"normal 1 1", kCount},          {"normal  1 1 1", kCount},
      {"master 1 1 1", kClass},        {"normal 1 1 1 foo 1 1 1", kClass},
      {"normal -1 1 1", kValue},       {"normal 10mbs 1 1", kValue},
      {"replica 1 1 -1", kValue},      {"pubsub 1 1 60s", kValue},
      {"normal 1 1 99999999999999999999", kValue},
  };
  for (auto [value, reason] : bad) {
    SCOPED_TRACE(value);
    EXPECT_EQ(param().set(c, value).text(), reason);
    EXPECT_EQ(param().get(c), before);
  }
}

TEST(OutputBufferLimitConfig, RewriteWritesOneLinePerChangedClass) {
  Config c;
  ASSERT_TRUE(param().rewrite);
  auto lines = param().rewrite(c);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "client-output-buffer-limit normal 0 0 0");
  EXPECT_EQ(lines[1].text, "client-output-buffer-limit replica 256mb 64mb 60");
  EXPECT_EQ(lines[2].text, "client-output-buffer-limit pubsub 32mb 8mb 60");
  for (const auto& l : lines) EXPECT_FALSE(l.force);
  ASSERT_TRUE(param().set(c, "normal 1gb 3kb 7 pubsub 1000 5 0"));
  lines = param().rewrite(c);
  EXPECT_EQ(lines[0].text, "client-output-buffer-limit normal 1gb 3kb 7");
  EXPECT_TRUE(lines[0].force);
  EXPECT_FALSE(lines[1].force);
  EXPECT_EQ(lines[2].text, "client-output-buffer-limit pubsub 1000 5 0");
  EXPECT_TRUE(lines[2].force);
}

// The same file CONFIG REWRITE leaves behind in Redis 7.0.15: old lines of the setting take
// the classes in order, extra old lines go, changed classes with no line are appended.
TEST(OutputBufferLimitConfig, RewriteReplacesTheFilesLinesInOrder) {
  const auto path = std::filesystem::temp_directory_path() / "rill-obuf-rewrite-test.conf";
  std::ofstream(path) << "port 0\n"
                         "client-output-buffer-limit pubsub 1mb 1mb 0\n"
                         "notify-keyspace-events \"\"\n"
                         "# comment\n"
                         "client-output-buffer-limit normal 0 0 0\n"
                         "client-output-buffer-limit normal 0 0 0\n";
  Config c;
  c.config_file = path.string();
  ASSERT_TRUE(core::load_config_file(c, c.config_file));
  EXPECT_EQ(c.output_limit(core::ClientClass::kPubSub).hard_bytes, 1024u * 1024);
  ASSERT_TRUE(core::apply_config(c, "notify-keyspace-events", {"KEx"}, false));
  ASSERT_TRUE(param().set(c, "normal 1gb 3kb 7 pubsub 1000 5 0"));
  ASSERT_TRUE(core::rewrite_config_file(c));
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  EXPECT_EQ(text.str(),
            "port 0\n"
            "client-output-buffer-limit normal 1gb 3kb 7\n"
            "notify-keyspace-events \"xKE\"\n"
            "# comment\n"
            "client-output-buffer-limit replica 256mb 64mb 60\n"
            "client-output-buffer-limit pubsub 1000 5 0\n");
  std::filesystem::remove(path);
}

TEST(OutputLimit, HardLimitIsReachedAtItsValue) {
  net::OutputLimit l;
  const OutputBufferLimit hard{1000, 0, 0};
  EXPECT_FALSE(l.exceeded(hard, 999, false, 0));
  EXPECT_TRUE(l.exceeded(hard, 1000, false, 0));
  EXPECT_FALSE(l.exceeded(OutputBufferLimit{}, 1ULL << 40, false, 0));  // 0: no limit
}

TEST(OutputLimit, SoftLimitMustHoldLongerThanItsSeconds) {
  net::OutputLimit l;
  const OutputBufferLimit soft{0, 100, 2};
  EXPECT_FALSE(l.exceeded(soft, 100, false, 10'000));  // first seen at second 10
  EXPECT_FALSE(l.exceeded(soft, 500, false, 12'999));  // 2 seconds: not yet more than 2
  EXPECT_TRUE(l.exceeded(soft, 500, false, 13'000));
  // Dropping below it starts the count again.
  net::OutputLimit m;
  EXPECT_FALSE(m.exceeded(soft, 100, false, 10'000));
  EXPECT_FALSE(m.exceeded(soft, 99, false, 11'000));
  EXPECT_FALSE(m.exceeded(soft, 100, false, 12'000));
  EXPECT_FALSE(m.exceeded(soft, 100, false, 14'999));
  EXPECT_TRUE(m.exceeded(soft, 100, false, 15'000));
}

TEST(OutputLimit, AnUnauthenticatedClientMayHaveOneKilobyteWaiting) {
  net::OutputLimit l;
  EXPECT_FALSE(l.exceeded(OutputBufferLimit{}, 1024, true, 0));
  EXPECT_TRUE(l.exceeded(OutputBufferLimit{}, 1025, true, 0));
  EXPECT_FALSE(l.exceeded(OutputBufferLimit{}, 1025, false, 0));
}

}  // namespace
}  // namespace rill
