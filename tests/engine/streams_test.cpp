// Stream commands through the engine: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID and
// XREAD, including XREAD BLOCK woken by other sessions. Expected replies were checked against
// Redis 7.0 (redis-compat/scripts/streams.txt runs the same cases against it).
#include "support/engine_harness.h"

namespace rill::test {
namespace {

class StreamsTest : public EngineTest {};

TEST_F(StreamsTest, XaddIdsAndTheirErrors) {
  EXPECT_EQ(run("XADD s 0-0 f v"), err("ERR The ID specified in XADD must be greater than 0-0"));
  EXPECT_EQ(run("XADD s 0 f v"), err("ERR The ID specified in XADD must be greater than 0-0"));
  EXPECT_EQ(run("EXISTS s"), integer(0));
  EXPECT_EQ(run("XADD s 0-1 f v"), bulk("0-1"));
  EXPECT_EQ(run("XADD s 0-1 f v"),
            err("ERR The ID specified in XADD is equal or smaller than the target stream top item"));
  EXPECT_EQ(run("XADD s 0-* f v"), bulk("0-2"));
  EXPECT_EQ(run("XADD s 5-* f v"), bulk("5-0"));
  EXPECT_EQ(run("XADD s 5-* f v"), bulk("5-1"));
  EXPECT_EQ(run("XADD s \" 7\" f v"), bulk("7-0"));
  EXPECT_EQ(run("XADD s +8-01 f v"), bulk("8-1"));
  for (auto bad : {"abc", "1-2-3", "-", "+", "-1", "1-", "10-1-*", "18446744073709551616-1"}) {
    EXPECT_EQ(run({"XADD", "s", bad, "f", "v"}),
              err("ERR Invalid stream ID specified as stream command argument"))
        << bad;
  }
  EXPECT_EQ(run("XADD s 10-* f"), err("ERR wrong number of arguments for 'xadd' command"));
  EXPECT_EQ(run("XADD s 10-1 f v g"), err("ERR wrong number of arguments for 'xadd' command"));
  EXPECT_EQ(run("XADD top 18446744073709551615-18446744073709551615 f v"),
            bulk("18446744073709551615-18446744073709551615"));
  EXPECT_EQ(run("XADD top * f v"),
            err("ERR The stream has exhausted the last possible ID, unable to add more items"));
  EXPECT_EQ(run("XADD top2 4-18446744073709551615 f v"), bulk("4-18446744073709551615"));
  EXPECT_EQ(run("XADD top2 4-* f v"), err("ERR Elements are too large to be stored"));
  EXPECT_EQ(run("XADD top2 5-* f v"), bulk("5-0"));
}

TEST_F(StreamsTest, XaddStarUsesTheEngineClock) {
  const std::string first = run("XADD s * f v");
  const std::string ms = std::to_string(engine.now_ms());
  EXPECT_EQ(first, bulk(ms + "-0"));
  EXPECT_EQ(run("XADD s * f v"), bulk(ms + "-1"));
  EXPECT_EQ(run("XLEN s"), integer(2));
}

TEST_F(StreamsTest, NomkstreamWrongTypeAndTypeName) {
  EXPECT_EQ(run("XADD nomk NOMKSTREAM 1-1 f v"), nil());
  EXPECT_EQ(run("EXISTS nomk"), integer(0));
  EXPECT_EQ(run("XADD s 1-1 f v"), bulk("1-1"));
  EXPECT_EQ(run("XADD s NOMKSTREAM 2-1 f v"), bulk("2-1"));
  EXPECT_EQ(run("TYPE s"), simple("stream"));
  EXPECT_EQ(run("OBJECT ENCODING s"), bulk("stream"));
  EXPECT_EQ(run("SET str x"), ok());
  const std::string wrongtype = err("WRONGTYPE Operation against a key holding the wrong kind of value");
  for (auto cmd : {"XADD str 1-1 f v", "XLEN str", "XRANGE str - +", "XREVRANGE str + -",
                   "XDEL str 1-1", "XTRIM str MAXLEN 1", "XSETID str 1-1", "XREAD STREAMS str 0"}) {
    EXPECT_EQ(run(cmd), wrongtype) << cmd;
  }
  // Arguments are checked before the key where Redis checks them first.
  EXPECT_EQ(run("XADD str 0-0 f v"), err("ERR The ID specified in XADD must be greater than 0-0"));
  EXPECT_EQ(run("XTRIM str MAXLEN abc"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("XSETID str abc"), err("ERR Invalid stream ID specified as stream command argument"));
  EXPECT_EQ(run("XDEL str abc"), wrongtype);
}

TEST_F(StreamsTest, GenericKeyCommandsWork) {
  run("XADD s 1-1 f v");
  EXPECT_EQ(run("COPY s c"), integer(1));
  EXPECT_EQ(run("XADD c 2-1 g h"), bulk("2-1"));
  EXPECT_EQ(run("XLEN s"), integer(1));  // the copy is deep
  EXPECT_EQ(run("RENAME c d"), ok());
  EXPECT_EQ(run("XRANGE d - +"), arr({entry("1-1", {"f", "v"}), entry("2-1", {"g", "h"})}));
  EXPECT_EQ(run("SCAN 0 TYPE stream COUNT 100").substr(0, 9), "*2\r\n$1\r\n0");
  EXPECT_EQ(run("DEL s d"), integer(2));
  EXPECT_EQ(run("TYPE s"), simple("none"));
}

TEST_F(StreamsTest, RangesBoundsAndCount) {
  run("XADD s 5-0 a 1");
  run("XADD s 5-1 a 2");
  run("XADD s 6-0 b 3 c 4");
  const std::string e50 = entry("5-0", {"a", "1"}), e51 = entry("5-1", {"a", "2"}),
                    e60 = entry("6-0", {"b", "3", "c", "4"});
  EXPECT_EQ(run("XRANGE s - +"), arr({e50, e51, e60}));
  EXPECT_EQ(run("XRANGE s 5 5"), arr({e50, e51}));  // incomplete: 5-0 .. 5-max
  EXPECT_EQ(run("XRANGE s (5-0 +"), arr({e51, e60}));
  EXPECT_EQ(run("XRANGE s - (6-0"), arr({e50, e51}));
  // An incomplete exclusive end is 6-max minus one, so 6-0 is in, as in Redis.
  EXPECT_EQ(run("XRANGE s - (6"), arr({e50, e51, e60}));
  EXPECT_EQ(run("XRANGE s 6 5"), arr({}));
  EXPECT_EQ(run("XRANGE s - + COUNT 2"), arr({e50, e51}));
  EXPECT_EQ(run("XRANGE s - + COUNT 0"), nil_array());
  EXPECT_EQ(run("XRANGE s - + COUNT -1"), nil_array());
  EXPECT_EQ(run("XRANGE nokey - + COUNT 0"), arr({}));
  EXPECT_EQ(run("XREVRANGE s + - COUNT 2"), arr({e60, e51}));
  EXPECT_EQ(run("XREVRANGE s (6-0 -"), arr({e51, e50}));
  EXPECT_EQ(run("XREVRANGE s + - COUNT 0"), nil_array());
  const std::string invalid = err("ERR Invalid stream ID specified as stream command argument");
  EXPECT_EQ(run("XRANGE s ( +"), invalid);
  EXPECT_EQ(run("XRANGE s (- +"), invalid);
  EXPECT_EQ(run("XRANGE s abc +"), invalid);
  EXPECT_EQ(run("XRANGE s (18446744073709551615-18446744073709551615 +"),
            err("ERR invalid start ID for the interval"));
  EXPECT_EQ(run("XRANGE s - (0-0"), err("ERR invalid end ID for the interval"));
  EXPECT_EQ(run("XRANGE s - + COUNT"), err("ERR syntax error"));
  EXPECT_EQ(run("XRANGE s - + FOO 1"), err("ERR syntax error"));
  EXPECT_EQ(run("XRANGE s - + COUNT x"), err("ERR value is not an integer or out of range"));
}

TEST_F(StreamsTest, XdelMarksAndCounts) {
  run("XADD s 1-1 f v");
  run("XADD s 2-1 f v");
  run("XADD s 3-1 f v");
  EXPECT_EQ(run("XDEL s abc 2-1"), err("ERR Invalid stream ID specified as stream command argument"));
  EXPECT_EQ(run("XLEN s"), integer(3));  // nothing deleted when one ID is bad
  EXPECT_EQ(run("XDEL s 2-1 2-1 9-9"), integer(1));
  EXPECT_EQ(run("XDEL nokey abc"), integer(0));
  EXPECT_EQ(run("XRANGE s - +"), arr({entry("1-1", {"f", "v"}), entry("3-1", {"f", "v"})}));
  EXPECT_EQ(run("XDEL s 1 3-1"), integer(1));  // "1" is 1-0: absent
  EXPECT_EQ(run("XLEN s"), integer(1));
  // The last ID stays: a smaller one is still refused.
  EXPECT_EQ(run("XDEL s 1-1"), integer(1));
  EXPECT_EQ(run("EXISTS s"), integer(1));
  EXPECT_EQ(run("XADD s 3-1 f v"),
            err("ERR The ID specified in XADD is equal or smaller than the target stream top item"));
}

TEST_F(StreamsTest, TrimGrammarIsSharedByXaddAndXtrim) {
  for (int i = 1; i <= 5; ++i) run({"XADD", "s", std::to_string(i) + "-1", "f", "v"});
  EXPECT_EQ(run("XTRIM s FOO 1"), err("ERR syntax error"));
  EXPECT_EQ(run("XTRIM s LIMIT 1"),
            err("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"));
  EXPECT_EQ(run("XADD s LIMIT 10 9-1 f v"),
            err("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"));
  EXPECT_EQ(run("XTRIM s MAXLEN 1 LIMIT 1"),
            err("ERR syntax error, LIMIT cannot be used without the special ~ option"));
  EXPECT_EQ(run("XADD s MAXLEN = 1 LIMIT 1 9-1 f v"),
            err("ERR syntax error, LIMIT cannot be used without the special ~ option"));
  EXPECT_EQ(run("XTRIM s MAXLEN -1"), err("ERR The MAXLEN argument must be >= 0."));
  EXPECT_EQ(run("XTRIM s MAXLEN ~ 1 LIMIT -1"), err("ERR The LIMIT argument must be >= 0."));
  EXPECT_EQ(run("XTRIM s MINID -"), err("ERR Invalid stream ID specified as stream command argument"));
  EXPECT_EQ(run("XTRIM s MAXLEN 1 FOO"), err("ERR syntax error"));
  EXPECT_EQ(run("XTRIM nokey MAXLEN 1"), integer(0));
  EXPECT_EQ(run("XTRIM s MAXLEN ~ 1"), integer(0));  // one node: ~ removes nothing
  EXPECT_EQ(run("XTRIM s MAXLEN = 4"), integer(1));
  EXPECT_EQ(run("XTRIM s MINID 4"), integer(2));
  EXPECT_EQ(run("XADD s MAXLEN 1 9-1 f v"), bulk("9-1"));
  EXPECT_EQ(run("XRANGE s - +"), arr({entry("9-1", {"f", "v"})}));
  EXPECT_EQ(run("XADD s MAXLEN 0 10-1 f v"), bulk("10-1"));
  EXPECT_EQ(run("XLEN s"), integer(0));
  EXPECT_EQ(run("EXISTS s"), integer(1));
}

TEST_F(StreamsTest, ApproximateTrimRemovesWholeNodes) {
  for (int i = 1; i <= 250; ++i) run({"XADD", "big", std::to_string(i) + "-1", "f", "v"});
  EXPECT_EQ(run("XTRIM big MAXLEN ~ 140"), integer(100));
  EXPECT_EQ(run("XTRIM big MAXLEN ~ 10 LIMIT 99"), integer(0));
  EXPECT_EQ(run("XTRIM big MAXLEN ~ 10 LIMIT 100"), integer(100));
  EXPECT_EQ(run("XLEN big"), integer(50));
  EXPECT_EQ(run("XRANGE big - + COUNT 1"), arr({entry("201-1", {"f", "v"})}));
}

TEST_F(StreamsTest, Xsetid) {
  EXPECT_EQ(run("XSETID nokey 1-1"), err("ERR no such key"));
  run("XADD x 5-1 f v");
  EXPECT_EQ(run("XSETID x 5-0"),
            err("ERR The ID specified in XSETID is smaller than the target stream top item"));
  EXPECT_EQ(run("XSETID x 10-1 ENTRIESADDED 0"),
            err("ERR The entries_added specified in XSETID is smaller than the target stream length"));
  EXPECT_EQ(run("XSETID x 10-1 ENTRIESADDED -1"), err("ERR entries_added must be positive"));
  EXPECT_EQ(run("XSETID x 10-1 MAXDELETEDID 11-1"),
            err("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"));
  EXPECT_EQ(run("XSETID x 10-1 FOO"), err("ERR syntax error"));
  EXPECT_EQ(run("XSETID x 10-1 ENTRIESADDED"), err("ERR syntax error"));
  EXPECT_EQ(run("XSETID x 10-1 ENTRIESADDED 5 MAXDELETEDID 4-1"), ok());
  EXPECT_EQ(run("XADD x 10-1 f v"),
            err("ERR The ID specified in XADD is equal or smaller than the target stream top item"));
  EXPECT_EQ(run("XADD x 10-* f v"), bulk("10-2"));
  EXPECT_EQ(run("XDEL x 10-2 5-1"), integer(2));
  EXPECT_EQ(run("XSETID x 1-1"), ok());  // an empty stream may go back
  EXPECT_EQ(run("XADD x 2-1 f v"), bulk("2-1"));
}

TEST_F(StreamsTest, XreadWithoutBlocking) {
  run("XADD r1 1-1 a 1");
  run("XADD r1 2-1 b 2");
  run("XADD r2 1-5 c 3");
  EXPECT_EQ(run("XREAD COUNT 1 STREAMS r1 r2 0 0"),
            arr({stream("r1", {entry("1-1", {"a", "1"})}), stream("r2", {entry("1-5", {"c", "3"})})}));
  EXPECT_EQ(run("XREAD STREAMS r1 r2 1-1 1-5"), arr({stream("r1", {entry("2-1", {"b", "2"})})}));
  EXPECT_EQ(run("XREAD STREAMS r1 r2 $ $"), nil_array());
  EXPECT_EQ(run("XREAD BLOCK 10 STREAMS r1 $"), "");  // parks; CLIENT UNBLOCK answers it
  engine.unblock_client(session, false);
  EXPECT_EQ(take(session), nil_array());
  EXPECT_EQ(run("XREAD STREAMS r1 r2 0"),
            err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
                "specified."));
  EXPECT_EQ(run("XREAD STREAMS r1 >"),
            err("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                "<group> <consumer> option."));
  EXPECT_EQ(run("XREAD STREAMS nokey str abc 0"),
            err("ERR Invalid stream ID specified as stream command argument"));
  EXPECT_EQ(run("XREAD FOO STREAMS r1 0"), err("ERR syntax error"));
  EXPECT_EQ(run("XREAD BLOCK -1 STREAMS r1 0"), err("ERR timeout is negative"));
  EXPECT_EQ(run("XREAD BLOCK 1.5 STREAMS r1 0"), err("ERR timeout is not an integer or out of range"));
  EXPECT_EQ(run("XREAD GROUP g c STREAMS r1 0"),
            err("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."));
  EXPECT_EQ(run("XREAD NOACK STREAMS r1 0"),
            err("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."));
  // A stream whose entries were all deleted has nothing to give, even below its last ID.
  EXPECT_EQ(run("XDEL r1 1-1 2-1"), integer(2));
  EXPECT_EQ(run("XREAD STREAMS r1 0"), nil_array());
}

TEST_F(StreamsTest, XreadRepliesAMapUnderResp3) {
  run("XADD r1 1-1 a 1");
  run("HELLO 3");
  EXPECT_EQ(run("XREAD STREAMS r1 0"),
            "%1\r\n" + bulk("r1") + arr({entry("1-1", {"a", "1"})}));
  EXPECT_EQ(run("XREAD STREAMS r1 $"), "_\r\n");
}

TEST_F(StreamsTest, BlockedXreadIsServedByAnotherSessionsXadd) {
  core::Session other;
  attach(other);
  run_as(other, "XADD s 1-1 old x");
  EXPECT_EQ(run("XREAD BLOCK 0 STREAMS s $"), "");
  EXPECT_TRUE(session.blocked);
  EXPECT_EQ(run_as(other, "XADD s 2-1 new y"), bulk("2-1"));
  EXPECT_FALSE(session.blocked);
  EXPECT_EQ(take(session), arr({stream("s", {entry("2-1", {"new", "y"})})}));
  // On a missing key "$" means 0-0: everything that arrives is served.
  EXPECT_EQ(run("XREAD BLOCK 0 STREAMS fresh $"), "");
  run_as(other, "MULTI");
  run_as(other, "XADD fresh 1-1 a 1");
  run_as(other, "XADD fresh 2-1 b 2");
  run_as(other, "EXEC");
  EXPECT_EQ(take(session),
            arr({stream("fresh", {entry("1-1", {"a", "1"}), entry("2-1", {"b", "2"})})}));
  detach(other);
}

// Redis's "XREAD: XADD + DEL + LPUSH should not awake client": a key that is no longer a
// stream when the reader is re-run leaves it waiting, without a WRONGTYPE error.
TEST_F(StreamsTest, ReaderKeepsWaitingWhenTheKeyChangesType) {
  core::Session other;
  attach(other);
  EXPECT_EQ(run("XREAD BLOCK 0 STREAMS s $"), "");
  run_as(other, "MULTI");
  run_as(other, "XADD s 1-1 a 1");
  run_as(other, "DEL s");
  run_as(other, "LPUSH s x");
  run_as(other, "EXEC");
  EXPECT_TRUE(session.blocked);
  EXPECT_EQ(take(session), "");
  run_as(other, "DEL s");
  run_as(other, "XADD s 2-1 b 2");
  EXPECT_FALSE(session.blocked);
  EXPECT_EQ(take(session), arr({stream("s", {entry("2-1", {"b", "2"})})}));
  detach(other);
}

TEST_F(StreamsTest, ReaderOnSeveralStreamsGetsEveryReadyOne) {
  core::Session other;
  attach(other);
  EXPECT_EQ(run("XREAD BLOCK 0 STREAMS a b c $ $ $"), "");
  run_as(other, "MULTI");
  run_as(other, "XADD b 1-1 f v");
  run_as(other, "XADD a 1-1 g w");
  run_as(other, "EXEC");
  EXPECT_EQ(take(session),
            arr({stream("a", {entry("1-1", {"g", "w"})}), stream("b", {entry("1-1", {"f", "v"})})}));
  EXPECT_FALSE(session.blocked);
  detach(other);
}

TEST_F(StreamsTest, ReaderOnAStreamEmptiedBeforeServingKeepsWaiting) {
  core::Session other;
  attach(other);
  run_as(other, "XADD s 1-1 f v");
  EXPECT_EQ(run("XREAD BLOCK 0 STREAMS s $"), "");
  run_as(other, "MULTI");
  run_as(other, "XADD s 2-1 f v");
  run_as(other, "XDEL s 2-1");
  run_as(other, "EXEC");
  EXPECT_TRUE(session.blocked);
  EXPECT_EQ(take(session), "");
  run_as(other, "MULTI");
  run_as(other, "XADD s 3-1 f v");
  run_as(other, "XTRIM s MAXLEN 0");
  run_as(other, "EXEC");
  EXPECT_TRUE(session.blocked);
  EXPECT_EQ(take(session), "");
  run_as(other, "XADD s 4-1 last v");
  EXPECT_EQ(take(session), arr({stream("s", {entry("4-1", {"last", "v"})})}));
  detach(other);
}

TEST_F(StreamsTest, MultiWithSeveralXaddsServesEveryCountOneReader) {
  core::Session writer, r1, r2, r3;
  for (auto* s : {&writer, &r1, &r2, &r3}) attach(*s);
  for (auto* s : {&r1, &r2, &r3}) EXPECT_EQ(run_as(*s, "XREAD COUNT 1 BLOCK 0 STREAMS s $"), "");
  run_as(writer, "MULTI");
  for (int i = 1; i <= 3; ++i) run_as(writer, "XADD s " + std::to_string(i) + "-1 n " + std::to_string(i));
  EXPECT_EQ(run_as(writer, "EXEC"), arr({bulk("1-1"), bulk("2-1"), bulk("3-1")}));
  // XREAD has no group: every reader sees the stream from its own ID, one entry each.
  for (auto* s : {&r1, &r2, &r3}) {
    EXPECT_FALSE(s->blocked);
    EXPECT_EQ(take(*s), arr({stream("s", {entry("1-1", {"n", "1"})})}));
  }
  for (auto* s : {&writer, &r1, &r2, &r3}) detach(*s);
}

TEST_F(StreamsTest, BlockTimesOutAndDoesNotBlockInsideMulti) {
  EXPECT_EQ(run("XREAD BLOCK 100 STREAMS s $"), "");
  engine.advance_clock_for_tests(50);
  engine.expire_blocked();
  EXPECT_TRUE(session.blocked);
  engine.advance_clock_for_tests(60);
  engine.expire_blocked();
  EXPECT_FALSE(session.blocked);
  EXPECT_EQ(take(session), nil_array());
  run("HELLO 3");
  EXPECT_EQ(run("XREAD BLOCK 10 STREAMS s $"), "");
  engine.advance_clock_for_tests(20);
  engine.expire_blocked();
  EXPECT_EQ(take(session), "_\r\n");
  run("HELLO 2");
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("XREAD BLOCK 0 STREAMS s $"), simple("QUEUED"));
  EXPECT_EQ(run("XADD s 1-1 f v"), simple("QUEUED"));
  EXPECT_EQ(run("EXEC"), arr({nil_array(), bulk("1-1")}));
  EXPECT_FALSE(session.blocked);
}

TEST_F(StreamsTest, WritesTouchWatchedKeys) {
  core::Session other;
  attach(other);
  run("XADD s 1-1 f v");
  for (auto cmd : {"XADD s 2-1 f v", "XDEL s 1-1", "XTRIM s MAXLEN 0", "XSETID s 9-9"}) {
    EXPECT_EQ(run("WATCH s"), ok());
    run_as(other, cmd);
    run("MULTI");
    run("PING");
    EXPECT_EQ(run("EXEC"), nil_array()) << cmd;
  }
  detach(other);
}

}  // namespace
}  // namespace rill::test
