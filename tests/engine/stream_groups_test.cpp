// Consumer groups through the engine: XGROUP, XREADGROUP (with BLOCK), XACK, XPENDING, XCLAIM
// and XAUTOCLAIM. Expected replies were checked against Redis 7.0
// (redis-compat/scripts/stream_groups.txt runs the same cases against it).
#include "support/engine_harness.h"

namespace rill::test {
namespace {

class StreamGroupsTest : public EngineTest {
 protected:
  // s with entries 1-1 a 1, 2-1 b 2, 3-1 c 3 and group g at 0.
  void three_entries() {
    run("XGROUP CREATE s g 0 MKSTREAM");
    run("XADD s 1-1 a 1");
    run("XADD s 2-1 b 2");
    run("XADD s 3-1 c 3");
  }
};

const char kKeyMissing[] =
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically.";

TEST_F(StreamGroupsTest, XgroupCreateAndItsErrors) {
  EXPECT_EQ(run("XGROUP CREATE s g $"), err(kKeyMissing));
  EXPECT_EQ(run("XGROUP CREATE s g $ MKSTREAM"), ok());
  EXPECT_EQ(run("XGROUP CREATE s g $ MKSTREAM"),
            err("BUSYGROUP Consumer Group name already exists"));
  EXPECT_EQ(run("XLEN s"), integer(0));
  EXPECT_EQ(run("XGROUP CREATE s g2 -"),
            err("ERR Invalid stream ID specified as stream command argument"));
  EXPECT_EQ(run("XGROUP CREATE s g2 0 ENTRIESREAD -5"),
            err("ERR value for ENTRIESREAD must be positive or -1"));
  EXPECT_EQ(
      run("XGROUP CREATE s g2 0 FOO"),
      err("ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP."));
  EXPECT_EQ(run("XGROUP SETID s nog 0"),
            err("NOGROUP No such consumer group 'nog' for key name 's'"));
  EXPECT_EQ(run("XGROUP SETID nokey g 0"), err(kKeyMissing));
  EXPECT_EQ(run("XGROUP DESTROY s nog"), integer(0));
  EXPECT_EQ(run("XGROUP CREATECONSUMER s g c"), integer(1));
  EXPECT_EQ(run("XGROUP CREATECONSUMER s g c"), integer(0));
  EXPECT_EQ(run("XGROUP DELCONSUMER s g c"), integer(0));
  EXPECT_EQ(run("XGROUP DELCONSUMER s g c"), integer(0));
  EXPECT_EQ(run("XGROUP DESTROY s g"), integer(1));
  EXPECT_EQ(run("XGROUP FOO"), err("ERR unknown subcommand 'FOO'. Try XGROUP HELP."));
  run("SET str x");
  EXPECT_EQ(run("XGROUP CREATE str g 0"),
            err("WRONGTYPE Operation against a key holding the wrong kind of value"));
}

TEST_F(StreamGroupsTest, ReadNewEntriesThenHistory) {
  three_entries();
  EXPECT_EQ(run("XREADGROUP GROUP g c1 COUNT 2 STREAMS s >"),
            arr({stream("s", {entry("1-1", {"a", "1"}), entry("2-1", {"b", "2"})})}));
  // History: the consumer's own pending entries after the ID; a new consumer has none.
  EXPECT_EQ(run("XREADGROUP GROUP g c1 STREAMS s 1-1"),
            arr({stream("s", {entry("2-1", {"b", "2"})})}));
  EXPECT_EQ(run("XREADGROUP GROUP g c9 STREAMS s 0"), arr({stream("s", {})}));
  EXPECT_EQ(run("XPENDING s g"),
            arr({integer(2), bulk("1-1"), bulk("2-1"), arr({bulks({"c1", "2"})})}));
  // Only the history read of 2-1 counted as a second delivery.
  EXPECT_EQ(run("XPENDING s g - + 10"),
            arr({arr({bulk("1-1"), bulk("c1"), integer(0), integer(1)}),
                 arr({bulk("2-1"), bulk("c1"), integer(0), integer(2)})}));
  EXPECT_EQ(run("XACK s g 1-1 9-9"), integer(1));
  EXPECT_EQ(run("XACK s g bad"), err("ERR Invalid stream ID specified as stream command argument"));
  EXPECT_EQ(run("XACK s nog bad"), integer(0));
  // A pending entry deleted from the stream reads back as [id, nil].
  run("XDEL s 2-1");
  EXPECT_EQ(run("XREADGROUP GROUP g c1 STREAMS s 0"),
            arr({stream("s", {arr({bulk("2-1"), nil_array()})})}));
  // NOACK delivers without adding to the PEL; nothing new answers nil.
  EXPECT_EQ(run("XREADGROUP GROUP g c3 NOACK STREAMS s >"),
            arr({stream("s", {entry("3-1", {"c", "3"})})}));
  EXPECT_EQ(run("XREADGROUP GROUP g c3 STREAMS s >"), nil_array());
  EXPECT_EQ(run("XPENDING s g"),
            arr({integer(1), bulk("2-1"), bulk("2-1"), arr({bulks({"c1", "1"})})}));
  EXPECT_EQ(run("XGROUP DELCONSUMER s g c1"), integer(1));
  EXPECT_EQ(run("XPENDING s g"), arr({integer(0), nil(), nil(), nil_array()}));
}

TEST_F(StreamGroupsTest, XreadgroupErrors) {
  three_entries();
  EXPECT_EQ(run("XREADGROUP COUNT 1 BLOCK 1 STREAMS s >"),
            err("ERR Missing GROUP option for XREADGROUP"));
  EXPECT_EQ(
      run("XREADGROUP GROUP g c STREAMS s $"),
      err("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history "
          "of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ "
          "ID would just return an empty result set."));
  // A missing key or group answers at once, even with BLOCK.
  EXPECT_EQ(
      run("XREADGROUP GROUP g c BLOCK 0 STREAMS nokey >"),
      err("NOGROUP No such key 'nokey' or consumer group 'g' in XREADGROUP with GROUP option"));
  EXPECT_EQ(run("XREADGROUP GROUP nog c BLOCK 0 STREAMS s >"),
            err("NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option"));
  EXPECT_FALSE(session.blocked);
  EXPECT_EQ(run("XPENDING nokey g"), err("NOGROUP No such key 'nokey' or consumer group 'g'"));
  EXPECT_EQ(run("XPENDING s g - +"), err("ERR syntax error"));
}

TEST_F(StreamGroupsTest, SetidRewindsAndRedeliveryResetsTheCount) {
  three_entries();
  run("XREADGROUP GROUP g c1 COUNT 1 STREAMS s >");
  run("XREADGROUP GROUP g c1 STREAMS s 0");
  EXPECT_EQ(run("XGROUP SETID s g 0"), ok());
  EXPECT_EQ(run("XREADGROUP GROUP g c2 COUNT 1 STREAMS s >"),
            arr({stream("s", {entry("1-1", {"a", "1"})})}));
  EXPECT_EQ(run("XPENDING s g - + 10"),
            arr({arr({bulk("1-1"), bulk("c2"), integer(0), integer(1)})}));
  EXPECT_EQ(run("XPENDING s g - + 10 c1"), arr({}));
}

// SETID reads "-" and "+" as the smallest and largest IDs; CREATE refuses them, as in Redis.
TEST_F(StreamGroupsTest, SetidTakesMinusAndPlusButCreateDoesNot) {
  three_entries();
  EXPECT_EQ(run("XGROUP SETID s g -"), ok());
  EXPECT_EQ(run("XREADGROUP GROUP g c1 COUNT 1 STREAMS s >"),
            arr({stream("s", {entry("1-1", {"a", "1"})})}));
  EXPECT_EQ(run("XGROUP SETID s g +"), ok());
  EXPECT_EQ(run("XREADGROUP GROUP g c1 STREAMS s >"), nil_array());
  EXPECT_EQ(run("XGROUP CREATE s g2 -"), err("ERR Invalid stream ID specified as stream command argument"));
  EXPECT_EQ(run("XGROUP CREATE s g2 +"), err("ERR Invalid stream ID specified as stream command argument"));
  EXPECT_EQ(run("XGROUP SETID s g (1"), err("ERR Invalid stream ID specified as stream command argument"));
}

TEST_F(StreamGroupsTest, BlockedReaderIsServedAndWokenByDeletionOrDestroy) {
  core::Session other;
  attach(other);
  run("XGROUP CREATE s g $ MKSTREAM");
  EXPECT_EQ(run("XREADGROUP GROUP g c BLOCK 0 STREAMS s >"), "");
  EXPECT_TRUE(session.blocked);
  run_as(other, "XADD s 1-1 f v");
  EXPECT_FALSE(session.blocked);
  EXPECT_EQ(take(session), arr({stream("s", {entry("1-1", {"f", "v"})})}));
  EXPECT_EQ(run_as(other, "XPENDING s g"),
            arr({integer(1), bulk("1-1"), bulk("1-1"), arr({bulks({"c", "1"})})}));

  EXPECT_EQ(run("XREADGROUP GROUP g c BLOCK 0 STREAMS s >"), "");
  run_as(other, "DEL s");
  EXPECT_FALSE(session.blocked);
  EXPECT_EQ(take(session), err("UNBLOCKED the stream key no longer exists"));

  run_as(other, "XGROUP CREATE s g $ MKSTREAM");
  EXPECT_EQ(run("XREADGROUP GROUP g c BLOCK 0 STREAMS s >"), "");
  run_as(other, "XGROUP DESTROY s g");
  EXPECT_FALSE(session.blocked);
  EXPECT_EQ(take(session),
            err("NOGROUP the consumer group this client was blocked on no longer exists"));

  run_as(other, "XGROUP CREATE s g $");
  EXPECT_EQ(run("XREADGROUP GROUP g c BLOCK 0 STREAMS s >"), "");
  run_as(other, "SET s x");
  EXPECT_EQ(take(session), err("UNBLOCKED the stream key no longer exists"));
  detach(other);
}

// Redis's Tcl test does this with SADD; a list makes the same point: the key a reader waits
// on is deleted and recreated as another type in one transaction.
TEST_F(StreamGroupsTest, KeyReplacedByAnotherTypeInOneTransactionAnswersTheReader) {
  core::Session other;
  attach(other);
  run("XADD s 666-0 f v");
  run("XGROUP CREATE s g $");
  EXPECT_EQ(run_as(other, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >"), "");
  run("MULTI");
  run("DEL s");
  run("LPUSH s e1");
  run("EXEC");
  EXPECT_EQ(take(other), err("UNBLOCKED the stream key no longer exists"));
  detach(other);
}

TEST_F(StreamGroupsTest, HistoryReadsNeverBlockAndMultiDoesNotBlock) {
  run("XGROUP CREATE s g $ MKSTREAM");
  EXPECT_EQ(run("XREADGROUP GROUP g c BLOCK 0 STREAMS s 0"), arr({stream("s", {})}));
  EXPECT_FALSE(session.blocked);
  run("MULTI");
  run("XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
  EXPECT_EQ(run("EXEC"), arr({nil_array()}));
  EXPECT_EQ(run("XREADGROUP GROUP g c BLOCK 100 STREAMS s >"), "");
  engine.advance_clock_for_tests(200);
  engine.expire_blocked();
  EXPECT_EQ(take(session), nil_array());
}

TEST_F(StreamGroupsTest, MultiWithSeveralXaddsServesEveryCountOneReader) {
  core::Session writer, r1, r2, r3;
  for (auto* s : {&writer, &r1, &r2, &r3}) attach(*s);
  run_as(writer, "XGROUP CREATE s g $ MKSTREAM");
  for (auto* s : {&r1, &r2, &r3}) {
    EXPECT_EQ(run_as(*s, "XREADGROUP GROUP g c COUNT 1 BLOCK 0 STREAMS s >"), "");
  }
  run_as(writer, "MULTI");
  for (int i = 1; i <= 3; ++i)
    run_as(writer, "XADD s " + std::to_string(i) + "-1 n " + std::to_string(i));
  run_as(writer, "EXEC");
  // In a group each entry goes to one reader: the first waiter gets the first entry.
  int i = 1;
  for (auto* s : {&r1, &r2, &r3}) {
    EXPECT_FALSE(s->blocked);
    const std::string id = std::to_string(i) + "-1", n = std::to_string(i);
    EXPECT_EQ(take(*s), arr({stream("s", {entry(id, {"n", n})})}));
    ++i;
  }
  for (auto* s : {&writer, &r1, &r2, &r3}) detach(*s);
}

TEST_F(StreamGroupsTest, XclaimOptions) {
  three_entries();
  run("XADD s 4-1 d 4");
  run("XREADGROUP GROUP g c1 STREAMS s >");
  EXPECT_EQ(run("XCLAIM s g c2 -5 1-1"), arr({entry("1-1", {"a", "1"})}));
  EXPECT_EQ(run("XCLAIM s g c2 x 1-1"), err("ERR Invalid min-idle-time argument for XCLAIM"));
  EXPECT_EQ(run("XCLAIM s g c2 0 1-1 FOO"), err("ERR Unrecognized XCLAIM option 'FOO'"));
  EXPECT_EQ(run("XCLAIM nokey g c2 x 1-1"),
            err("NOGROUP No such key 'nokey' or consumer group 'g'"));
  EXPECT_EQ(run("XCLAIM s g c2 0 1-1 9-9 JUSTID"), arr({bulk("1-1")}));
  EXPECT_EQ(run("XCLAIM s g c2 0 2-1 RETRYCOUNT 7 IDLE 1000 JUSTID"), arr({bulk("2-1")}));
  EXPECT_EQ(run("XPENDING s g - 2-1 10"),
            arr({arr({bulk("1-1"), bulk("c2"), integer(0), integer(2)}),
                 arr({bulk("2-1"), bulk("c2"), integer(1000), integer(7)})}));
  // Not idle long enough: not claimed.
  EXPECT_EQ(run("XCLAIM s g c3 100000 1-1"), arr({}));
  // FORCE creates a PEL entry only for an entry the stream has; LASTID moves the group on.
  EXPECT_EQ(run("XACK s g 4-1"), integer(1));
  EXPECT_EQ(run("XCLAIM s g c3 0 4-1 9-9 FORCE LASTID 7-7"), arr({entry("4-1", {"d", "4"})}));
  EXPECT_EQ(run("XPENDING s g 4-1 + 10"),
            arr({arr({bulk("4-1"), bulk("c3"), integer(0), integer(2)})}));
  EXPECT_EQ(run("XINFO GROUPS s"),
            arr({arr({bulk("name"), bulk("g"), bulk("consumers"), integer(3), bulk("pending"),
                      integer(4), bulk("last-delivered-id"), bulk("7-7"), bulk("entries-read"),
                      integer(4), bulk("lag"), integer(0)})}));
  // Claiming a deleted entry drops it from the PEL.
  run("XDEL s 3-1");
  EXPECT_EQ(run("XCLAIM s g c3 0 3-1"), arr({}));
  EXPECT_EQ(run("XPENDING s g 3-1 3-1 10"), arr({}));
}

TEST_F(StreamGroupsTest, XautoclaimCursorCountAndDeletedIds) {
  three_entries();
  run("XADD s 4-1 d 4");
  run("XREADGROUP GROUP g c1 STREAMS s >");
  EXPECT_EQ(run("XAUTOCLAIM s g c4 0 0 COUNT 0"), err("ERR COUNT must be > 0"));
  EXPECT_EQ(run("XAUTOCLAIM s g c4 x 0"), err("ERR Invalid min-idle-time argument for XAUTOCLAIM"));
  EXPECT_EQ(run("XAUTOCLAIM s nog c4 0 0"), err("NOGROUP No such key 's' or consumer group 'nog'"));
  EXPECT_EQ(run("XAUTOCLAIM s g c4 100000 0"), arr({bulk("0-0"), arr({}), arr({})}));
  run("XDEL s 2-1");
  EXPECT_EQ(run("XAUTOCLAIM s g c4 0 0 COUNT 1"),
            arr({bulk("2-1"), arr({entry("1-1", {"a", "1"})}), arr({})}));
  EXPECT_EQ(run("XAUTOCLAIM s g c4 0 2-1 JUSTID"),
            arr({bulk("0-0"), bulks({"3-1", "4-1"}), bulks({"2-1"})}));
  EXPECT_EQ(run("XPENDING s g"),
            arr({integer(3), bulk("1-1"), bulk("4-1"), arr({bulks({"c4", "3"})})}));
}

TEST_F(StreamGroupsTest, CopyCarriesTheGroups) {
  three_entries();
  run("XREADGROUP GROUP g c COUNT 1 STREAMS s >");
  EXPECT_EQ(run("COPY s t"), integer(1));
  run("XACK s g 1-1");
  EXPECT_EQ(run("XPENDING t g"),
            arr({integer(1), bulk("1-1"), bulk("1-1"), arr({bulks({"c", "1"})})}));
  EXPECT_EQ(run("XREADGROUP GROUP g c STREAMS t >"),
            arr({stream("t", {entry("2-1", {"b", "2"}), entry("3-1", {"c", "3"})})}));
}

TEST_F(StreamGroupsTest, XinfoGroupsLagAndEntriesRead) {
  three_entries();
  run("XGROUP CREATE s g1 0 ENTRIESREAD 0");
  auto group = [](std::string_view name, int64_t consumers, std::string_view last, std::string er,
                  std::string lag) {
    return arr({bulk("name"), bulk(name), bulk("consumers"), integer(consumers), bulk("pending"),
                integer(0), bulk("last-delivered-id"), bulk(last), bulk("entries-read"), er,
                bulk("lag"), lag});
  };
  EXPECT_EQ(run("XINFO GROUPS s"), arr({group("g", 0, "0-0", nil(), integer(3)),
                                        group("g1", 0, "0-0", integer(0), integer(3))}));
  run("XREADGROUP GROUP g c NOACK COUNT 1 STREAMS s >");
  run("XREADGROUP GROUP g1 c NOACK COUNT 1 STREAMS s >");
  EXPECT_EQ(run("XINFO GROUPS s"), arr({group("g", 1, "1-1", integer(1), integer(2)),
                                        group("g1", 1, "1-1", integer(1), integer(2))}));
  // A tombstone ahead of the group makes its lag unknown.
  run("XDEL s 2-1");
  EXPECT_EQ(run("XINFO GROUPS s"), arr({group("g", 1, "1-1", integer(1), nil()),
                                        group("g1", 1, "1-1", integer(1), nil())}));
  EXPECT_EQ(run("XINFO GROUPS nokey"), err("ERR no such key"));
  EXPECT_EQ(run("XINFO CONSUMERS s nog"),
            err("NOGROUP No such consumer group 'nog' for key name 's'"));
}

TEST_F(StreamGroupsTest, FlushWakesBlockedReadersWithUnblocked) {
  core::Session other;
  attach(other);
  run("XGROUP CREATE s g $ MKSTREAM");
  EXPECT_EQ(run("XREADGROUP GROUP g c BLOCK 0 STREAMS s >"), "");
  run_as(other, "FLUSHALL");
  EXPECT_FALSE(session.blocked);
  EXPECT_EQ(take(session), err("UNBLOCKED the stream key no longer exists"));
  detach(other);
}

TEST_F(StreamGroupsTest, SeveralStreamsAndResp3Map) {
  run("XGROUP CREATE a g 0 MKSTREAM");
  run("XGROUP CREATE b g 0 MKSTREAM");
  run("XADD a 1-1 x 1");
  run("XADD b 2-1 y 2");
  EXPECT_EQ(
      run("XREADGROUP GROUP g c STREAMS a b > >"),
      arr({stream("a", {entry("1-1", {"x", "1"})}), stream("b", {entry("2-1", {"y", "2"})})}));
  // History on a, nothing new on b: only a is in the reply.
  EXPECT_EQ(run("XREADGROUP GROUP g c STREAMS a b 0 >"),
            arr({stream("a", {entry("1-1", {"x", "1"})})}));
  run("HELLO 3");
  EXPECT_EQ(run("XREADGROUP GROUP g c STREAMS b 0"),
            "%1\r\n" + bulk("b") + arr({entry("2-1", {"y", "2"})}));
}

}  // namespace
}  // namespace rill::test
