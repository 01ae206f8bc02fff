// OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP through the engine. Expected replies
// were taken from Redis 7.0.15.
#include <string>

#include "support/engine_harness.h"

namespace rill::test {
namespace {

class ObjectTest : public EngineTest {
 protected:
  // Moves the clock to the start of a second, so whole-second readings (OBJECT IDLETIME)
  // taken within the next few hundred real milliseconds are exact.
  void align_to_second() {
    engine.refresh_clock();
    engine.advance_clock_for_tests(1000 - engine.now_ms() % 1000);
  }
};

TEST_F(ObjectTest, EncodingOfStrings) {
  run("SET i 12345");
  run("SET n 007");
  run("SET i20 -1234567890123456789");
  run("SET e hello");
  run("SET big 123456789012345678901234567890123456789012345");
  EXPECT_EQ(run("OBJECT ENCODING i"), bulk("int"));
  EXPECT_EQ(run("OBJECT ENCODING n"), bulk("embstr"));
  EXPECT_EQ(run("OBJECT ENCODING i20"), bulk("int"));
  EXPECT_EQ(run("object encoding e"), bulk("embstr"));
  EXPECT_EQ(run("OBJECT ENCODING big"), bulk("raw"));
  EXPECT_EQ(run("OBJECT ENCODING nokey"), nil());
}

TEST_F(ObjectTest, RefcountOfSharedIntegers) {
  run("SET a 5");
  run("SET b 9999");
  run("SET c 10000");
  run("SET d -1");
  run("SET e hello");
  EXPECT_EQ(run("OBJECT REFCOUNT a"), integer(2147483647));
  EXPECT_EQ(run("OBJECT REFCOUNT b"), integer(2147483647));
  EXPECT_EQ(run("OBJECT REFCOUNT c"), integer(1));
  EXPECT_EQ(run("OBJECT REFCOUNT d"), integer(1));
  EXPECT_EQ(run("OBJECT REFCOUNT e"), integer(1));
  EXPECT_EQ(run("OBJECT REFCOUNT nokey"), nil());
  // With maxmemory and an LRU policy each key needs its own clock: nothing is shared.
  engine.config().maxmemory = 100 << 20;
  engine.config().maxmemory_policy = "allkeys-lru";
  EXPECT_EQ(run("OBJECT REFCOUNT a"), integer(1));
  engine.config().maxmemory_policy = "noeviction";
  EXPECT_EQ(run("OBJECT REFCOUNT a"), integer(2147483647));
}

TEST_F(ObjectTest, IdletimeCountsFromTheLastAccess) {
  align_to_second();
  run("SET k v");
  EXPECT_EQ(run("OBJECT IDLETIME k"), integer(0));
  engine.advance_clock_for_tests(10'000);
  // Inspecting does not count as an access.
  EXPECT_EQ(run("EXISTS k"), integer(1));
  EXPECT_EQ(run("TYPE k"), simple("string"));
  EXPECT_EQ(run("TTL k"), integer(-1));
  EXPECT_EQ(run("OBJECT ENCODING k"), bulk("embstr"));
  EXPECT_EQ(run("OBJECT IDLETIME k"), integer(10));
  // Reading does.
  EXPECT_EQ(run("GET k"), bulk("v"));
  EXPECT_EQ(run("OBJECT IDLETIME k"), integer(0));
  engine.advance_clock_for_tests(5'000);
  EXPECT_EQ(run("TOUCH k"), integer(1));
  EXPECT_EQ(run("OBJECT IDLETIME k"), integer(0));
  // So does a write, and a rename carries the fresh access time along.
  engine.advance_clock_for_tests(5'000);
  EXPECT_EQ(run("RENAME k k2"), ok());
  EXPECT_EQ(run("OBJECT IDLETIME k2"), integer(0));
  EXPECT_EQ(run("OBJECT IDLETIME nokey"), nil());
}

TEST_F(ObjectTest, FreqAndIdletimeDependOnThePolicy) {
  run("SET k v");
  EXPECT_EQ(run("OBJECT FREQ nokey"), nil());
  EXPECT_EQ(run("OBJECT FREQ k"),
            err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                "Please note that when switching between policies at runtime LRU and LFU data "
                "will take some time to adjust."));
  engine.config().maxmemory_policy = "allkeys-lfu";
  EXPECT_EQ(run("OBJECT IDLETIME k"),
            err("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
                "that when switching between policies at runtime LRU and LFU data will take "
                "some time to adjust."));
  EXPECT_EQ(run("OBJECT IDLETIME nokey"), nil());
  EXPECT_EQ(run("OBJECT FREQ k"), integer(5));
  engine.config().maxmemory_policy = "volatile-lfu";
  EXPECT_EQ(run("OBJECT FREQ k"), integer(5));
}

TEST_F(ObjectTest, HelpAndSubcommandErrors) {
  // Redis sends help lines as simple strings.
  std::string help = run("OBJECT HELP");
  EXPECT_EQ(help,
            "*15\r\n"
            "+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
            "+ENCODING <key>\r\n"
            "+    Return the kind of internal representation used in order to store the value\r\n"
            "+    associated with a <key>.\r\n"
            "+FREQ <key>\r\n"
            "+    Return the access frequency index of the <key>. The returned integer is\r\n"
            "+    proportional to the logarithm of the recent access frequency of the key.\r\n"
            "+IDLETIME <key>\r\n"
            "+    Return the idle time of the <key>, that is the approximated number of\r\n"
            "+    seconds elapsed since the last access to the key.\r\n"
            "+REFCOUNT <key>\r\n"
            "+    Return the number of references of the value associated with the specified\r\n"
            "+    <key>.\r\n"
            "+HELP\r\n"
            "+    Prints this help.\r\n");
  EXPECT_EQ(run("object help"), help);
  EXPECT_EQ(run("OBJECT foo"), err("ERR unknown subcommand 'foo'. Try OBJECT HELP."));
  EXPECT_EQ(run("OBJECT"), err("ERR wrong number of arguments for 'object' command"));
  EXPECT_EQ(run("OBJECT ENCODING"),
            err("ERR wrong number of arguments for 'object|encoding' command"));
  EXPECT_EQ(run("OBJECT ENCODING a b"),
            err("ERR wrong number of arguments for 'object|encoding' command"));
  EXPECT_EQ(run("OBJECT HELP foo"), err("ERR wrong number of arguments for 'object|help' command"));
}

}  // namespace
}  // namespace rill::test
