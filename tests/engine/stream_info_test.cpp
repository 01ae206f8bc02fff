// XINFO STREAM (plain and FULL), XINFO CONSUMERS and XINFO HELP through the engine. The field
// lists and their order were checked against Redis 7.0 (redis-compat/scripts/stream_groups.txt).
#include "support/engine_harness.h"

namespace rill::test {
namespace {

class StreamInfoTest : public EngineTest {};

TEST_F(StreamInfoTest, StreamSummaryAndErrors) {
  EXPECT_EQ(run("XINFO STREAM nokey"), err("ERR no such key"));
  run("XGROUP CREATE s g $ MKSTREAM");
  EXPECT_EQ(run("XINFO STREAM s"), arr({bulk("length"),
                                        integer(0),
                                        bulk("radix-tree-keys"),
                                        integer(0),
                                        bulk("radix-tree-nodes"),
                                        integer(1),
                                        bulk("last-generated-id"),
                                        bulk("0-0"),
                                        bulk("max-deleted-entry-id"),
                                        bulk("0-0"),
                                        bulk("entries-added"),
                                        integer(0),
                                        bulk("recorded-first-entry-id"),
                                        bulk("0-0"),
                                        bulk("groups"),
                                        integer(1),
                                        bulk("first-entry"),
                                        nil(),
                                        bulk("last-entry"),
                                        nil()}));
  run("XADD s 1-1 a 1");
  run("XADD s 2-1 b 2");
  run("XDEL s 2-1");
  EXPECT_EQ(run("XINFO STREAM s"), arr({bulk("length"),
                                        integer(1),
                                        bulk("radix-tree-keys"),
                                        integer(1),
                                        bulk("radix-tree-nodes"),
                                        integer(2),
                                        bulk("last-generated-id"),
                                        bulk("2-1"),
                                        bulk("max-deleted-entry-id"),
                                        bulk("2-1"),
                                        bulk("entries-added"),
                                        integer(2),
                                        bulk("recorded-first-entry-id"),
                                        bulk("1-1"),
                                        bulk("groups"),
                                        integer(1),
                                        bulk("first-entry"),
                                        entry("1-1", {"a", "1"}),
                                        bulk("last-entry"),
                                        entry("1-1", {"a", "1"})}));
  EXPECT_EQ(run("XINFO STREAM s FOO"),
            err("ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO "
                "HELP."));
  EXPECT_EQ(run("XINFO STREAM s FULL COUNT x"), err("ERR value is not an integer or out of range"));
}

TEST_F(StreamInfoTest, FullListsEntriesGroupsPendingAndConsumers) {
  run("XGROUP CREATE s g 0 MKSTREAM");
  run("XADD s 1-1 a 1");
  run("XADD s 2-1 b 2");
  run("XREADGROUP GROUP g c COUNT 1 STREAMS s >");
  const int64_t t = engine.now_ms();
  auto full = [&](std::initializer_list<std::string> entries) {
    return arr(
        {bulk("length"), integer(2), bulk("radix-tree-keys"), integer(1), bulk("radix-tree-nodes"),
         integer(2), bulk("last-generated-id"), bulk("2-1"), bulk("max-deleted-entry-id"),
         bulk("0-0"), bulk("entries-added"), integer(2), bulk("recorded-first-entry-id"),
         bulk("1-1"), bulk("entries"), arr(entries), bulk("groups"),
         arr({arr({bulk("name"), bulk("g"), bulk("last-delivered-id"), bulk("1-1"),
                   bulk("entries-read"), integer(1), bulk("lag"), integer(1), bulk("pel-count"),
                   integer(1), bulk("pending"),
                   arr({arr({bulk("1-1"), bulk("c"), integer(t), integer(1)})}), bulk("consumers"),
                   arr({arr({bulk("name"), bulk("c"), bulk("seen-time"), integer(t),
                             bulk("pel-count"), integer(1), bulk("pending"),
                             arr({arr({bulk("1-1"), integer(t), integer(1)})})})})})})});
  };
  EXPECT_EQ(run("XINFO STREAM s FULL"), full({entry("1-1", {"a", "1"}), entry("2-1", {"b", "2"})}));
  EXPECT_EQ(run("XINFO STREAM s FULL COUNT 1"), full({entry("1-1", {"a", "1"})}));
  EXPECT_EQ(run("XINFO STREAM s FULL COUNT 0"),
            full({entry("1-1", {"a", "1"}), entry("2-1", {"b", "2"})}));
}

TEST_F(StreamInfoTest, ConsumersIdleAndHelp) {
  run("XGROUP CREATE s g $ MKSTREAM");
  run("XGROUP CREATECONSUMER s g c");
  engine.advance_clock_for_tests(250);
  EXPECT_EQ(run("XINFO CONSUMERS s g"), arr({arr({bulk("name"), bulk("c"), bulk("pending"),
                                                  integer(0), bulk("idle"), integer(250)})}));
  EXPECT_EQ(
      run("XINFO HELP"),
      arr({simple("XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
           simple("CONSUMERS <key> <groupname>"), simple("    Show consumers of <groupname>."),
           simple("GROUPS <key>"), simple("    Show the stream consumer groups."),
           simple("STREAM <key> [FULL [COUNT <count>]"),
           simple("    Show information about the stream."), simple("HELP"),
           simple("    Prints this help.")}));
}

}  // namespace
}  // namespace rill::test
