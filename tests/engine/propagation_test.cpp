// Propagation: every write hands the engine's propagator commands that, replayed on a copy,
// reproduce the change. A second engine (the "replica") replays what the first propagates as
// it happens, at the same frozen time, and the tests compare both data sets through replies:
// XINFO STREAM FULL (entries, groups, pending lists, delivery times and counts), XPENDING,
// LRANGE. They also pin the exact forms where Redis defines them.
#include <algorithm>
#include <string>
#include <vector>

#include "resp/request_parser.h"
#include "support/engine_harness.h"

namespace rill::test {
namespace {

// Replays every propagated command on its own engine, and keeps a log of them as lines.
class Replica : public core::Propagator {
 public:
  explicit Replica(core::Engine& primary) : primary_(primary), engine_(config()) {
    engine_.freeze_clock_for_tests();
    engine_.attach(session_);
  }
  ~Replica() override { engine_.detach(session_); }

  void propagate(int db, std::span<const std::string> argv) override {
    std::string line;
    for (const auto& w : argv) line += (line.empty() ? "" : " ") + w;
    log_.push_back(line);
    // Same time as the primary when it made the change, so times compare exactly.
    engine_.advance_clock_for_tests(primary_.now_ms() - engine_.now_ms());
    session_.db = db;
    std::vector<std::string_view> v(argv.begin(), argv.end());
    engine_.execute(session_, v);
    std::string reply;
    reply.swap(session_.out);
    // A replayed command is never refused (EXEC answers an array, MULTI +OK).
    EXPECT_NE(reply.front(), '-') << line << " -> " << reply;
  }

  std::string run(std::string_view line) {
    std::vector<std::string> words;
    EXPECT_TRUE(resp::split_inline_args(line, words)) << line;
    std::vector<std::string_view> v(words.begin(), words.end());
    session_.db = 0;
    engine_.execute(session_, v);
    std::string out;
    out.swap(session_.out);
    return out;
  }

  // What was propagated since the last call.
  std::vector<std::string> take_log() { return std::exchange(log_, {}); }

 private:
  static core::Config config() {
    core::Config c;
    c.port = 0;
    return c;
  }
  core::Engine& primary_;
  core::Engine engine_;
  core::Session session_;
  std::vector<std::string> log_;
};

class PropagationTest : public EngineTest {
 protected:
  PropagationTest() : replica(engine) { engine.set_propagator(&replica); }
  ~PropagationTest() override { engine.set_propagator(nullptr); }

  // Runs the same read on both engines and expects the same reply.
  void expect_same(std::string_view read) {
    EXPECT_EQ(run(read), replica.run(read)) << read;
  }
  void expect_same_stream(std::string_view key) {
    expect_same("XINFO STREAM " + std::string(key) + " FULL");
    expect_same("XRANGE " + std::string(key) + " - +");
  }

  Replica replica;
};

using Log = std::vector<std::string>;

TEST_F(PropagationTest, XaddPropagatesTheIdItChose) {
  const std::string ms = std::to_string(engine.now_ms());
  run("XADD s * f v");
  run("XADD s 5000000000000-* f v");
  run("XADD s 5000000000001-7 f v");  // explicit: as sent
  EXPECT_EQ(replica.take_log(), (Log{"XADD s " + ms + "-0 f v", "XADD s 5000000000000-0 f v",
                                     "XADD s 5000000000001-7 f v"}));
  expect_same_stream("s");
}

TEST_F(PropagationTest, ApproximateTrimsPropagateAsTheExactTrimTheyAmountedTo) {
  run("CONFIG SET stream-node-max-entries 4");
  replica.run("CONFIG SET stream-node-max-entries 4");
  for (int i = 1; i <= 20; ++i) run("XADD s " + std::to_string(i) + "-1 f v");
  replica.take_log();
  // Whole nodes only: 21 entries in nodes of 4 (and the new one), MAXLEN ~ 10 keeps 13.
  EXPECT_EQ(run("XADD s MAXLEN ~ 10 21-1 f v"), bulk("21-1"));
  EXPECT_EQ(run("XLEN s"), integer(13));
  EXPECT_EQ(run("XTRIM s MINID ~ 15"), integer(4));
  EXPECT_EQ(run("XADD s NOMKSTREAM MINID ~ 19 LIMIT 100 * f v"), bulk(std::to_string(engine.now_ms()) + "-0"));
  EXPECT_EQ(replica.take_log(), (Log{"XADD s MAXLEN = 13 21-1 f v", "XTRIM s MINID = 13-1",
                                     "XADD s NOMKSTREAM MINID = 17-1 " +
                                         std::to_string(engine.now_ms()) + "-0 f v"}));
  expect_same_stream("s");
  // An exact trim is deterministic and goes as sent.
  run("XTRIM s MAXLEN 3");
  EXPECT_EQ(replica.take_log(), (Log{"XTRIM s MAXLEN 3"}));
  expect_same_stream("s");
}

TEST_F(PropagationTest, GroupReadsPropagateAsClaimsAndThePosition) {
  for (int i = 1; i <= 5; ++i) run("XADD s " + std::to_string(i) + "-0 f v" + std::to_string(i));
  run("XGROUP CREATE s g 0");
  replica.take_log();
  const std::string t = std::to_string(engine.now_ms());
  run("XREADGROUP GROUP g alice COUNT 2 STREAMS s >");
  EXPECT_EQ(replica.take_log(),
            (Log{"MULTI", "XGROUP CREATECONSUMER s g alice",
                 "XCLAIM s g alice 0 1-0 TIME " + t + " RETRYCOUNT 1 FORCE JUSTID LASTID 1-0",
                 "XCLAIM s g alice 0 2-0 TIME " + t + " RETRYCOUNT 1 FORCE JUSTID LASTID 2-0",
                 "XGROUP SETID s g 2-0 ENTRIESREAD 2", "EXEC"}));
  expect_same_stream("s");

  // NOACK moves the group without pending entries.
  run("XREADGROUP GROUP g bob COUNT 1 NOACK STREAMS s >");
  // A history read is a new delivery of the same entries: count and time change.
  engine.advance_clock_for_tests(5000);
  run("XREADGROUP GROUP g alice STREAMS s 0");
  // XCLAIM by idle time, and XAUTOCLAIM meeting an entry deleted from the stream.
  engine.advance_clock_for_tests(5000);
  run("XCLAIM s g carol 4000 1-0");
  run("XDEL s 2-0");
  run("XREADGROUP GROUP g alice COUNT 1 STREAMS s >");
  engine.advance_clock_for_tests(1000);
  EXPECT_EQ(run("XAUTOCLAIM s g dave 500 0 JUSTID"),
            arr({bulk("0-0"), bulks({"1-0", "4-0"}), bulks({"2-0"})}));
  run("XACK s g 4-0");
  run("XGROUP DELCONSUMER s g bob");
  expect_same_stream("s");
  expect_same("XPENDING s g - + 10");
  expect_same("XINFO GROUPS s");
  expect_same("XINFO CONSUMERS s g");
}

TEST_F(PropagationTest, ClaimWithLastIdMovesTheGroupOnTheReplicaToo) {
  run("XADD s 1-0 f v");
  run("XADD s 2-0 f v");
  run("XGROUP CREATE s g 0");
  run("XCLAIM s g alice 0 1-0 FORCE LASTID 2-0");
  expect_same_stream("s");
  // Nothing claimed, but the group moved: that alone is propagated.
  replica.take_log();
  run("XCLAIM s g alice 0 9-0 LASTID 3-0");
  EXPECT_EQ(replica.take_log(), (Log{"XGROUP SETID s g 3-0 ENTRIESREAD -1"}));
  expect_same_stream("s");
}

TEST_F(PropagationTest, ABlockedGroupReaderIsPropagatedWhenServed) {
  core::Session reader;
  attach(reader);
  run("XGROUP CREATE s g $ MKSTREAM");
  EXPECT_EQ(run_as(reader, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >"), "");
  replica.take_log();
  run("XADD s 7-0 f v");
  const std::string t = std::to_string(engine.now_ms());
  EXPECT_EQ(take(reader), arr({stream("s", {entry("7-0", {"f", "v"})})}));
  // The write's unit first, then the served reader's.
  EXPECT_EQ(replica.take_log(),
            (Log{"XADD s 7-0 f v", "MULTI", "XGROUP CREATECONSUMER s g alice",
                 "XCLAIM s g alice 0 7-0 TIME " + t + " RETRYCOUNT 1 FORCE JUSTID LASTID 7-0",
                 "XGROUP SETID s g 7-0 ENTRIESREAD 1", "EXEC"}));
  expect_same_stream("s");
  detach(reader);
}

TEST_F(PropagationTest, BlockingPopsPropagateAsThePlainPopTheyPerformed) {
  core::Session worker;
  attach(worker);
  run("RPUSH q a b c d e");
  run("BLPOP q 0");
  run("BLMPOP 0 1 q RIGHT COUNT 2");
  run("LMPOP 1 q LEFT COUNT 10");  // takes the two left, and says how many
  EXPECT_EQ(replica.take_log(), (Log{"RPUSH q a b c d e", "LPOP q", "RPOP q 2", "LPOP q 2"}));
  EXPECT_EQ(run_as(worker, "BRPOP q 0"), "");
  run("LPUSH q job");
  EXPECT_EQ(take(worker), bulks({"q", "job"}));
  run("RPUSH src x");
  run("BLMOVE src dst LEFT RIGHT 0");
  run("RPUSH src y");
  run("BRPOPLPUSH src dst 0");
  EXPECT_EQ(replica.take_log(), (Log{"LPUSH q job", "RPOP q", "RPUSH src x",
                                     "LMOVE src dst LEFT RIGHT", "RPUSH src y",
                                     "LMOVE src dst RIGHT LEFT"}));
  expect_same("LRANGE dst 0 -1");
  expect_same("KEYS *");
  detach(worker);
}

TEST_F(PropagationTest, TransactionsAreOneUnitAndNoOpWritesNothing) {
  run("MULTI");
  run("SET a 1");
  run("INCR a");
  run("EXEC");
  EXPECT_EQ(replica.take_log(), (Log{"MULTI", "SET a 1", "INCR a", "EXEC"}));
  // One write alone needs no wrapping; writes that change nothing propagate nothing.
  run("MULTI");
  run("DEL missing");
  run("SET b 2");
  run("EXEC");
  run("DEL missing");
  run("XTRIM nostream MAXLEN 0");
  run("LPOP nolist");
  EXPECT_EQ(replica.take_log(), (Log{"SET b 2"}));
  expect_same("MGET a b");
}

TEST_F(PropagationTest, AnExpiredKeyPropagatesAsDelBeforeTheCommandThatFoundIt) {
  run("SET k v PX 100");
  run("SET n 1");
  replica.take_log();
  engine.advance_clock_for_tests(200);
  EXPECT_EQ(run("GET k"), nil());
  EXPECT_EQ(replica.take_log(), (Log{"DEL k"}));
  run("SET k2 v PX 100");
  const std::string deadline = std::to_string(engine.now_ms() + 100);
  engine.advance_clock_for_tests(200);
  run("RPUSH k2 x");
  EXPECT_EQ(replica.take_log(),
            (Log{"SET k2 v PXAT " + deadline, "MULTI", "DEL k2", "RPUSH k2 x", "EXEC"}));
  expect_same("KEYS *");
}

// Active expiry reclaims keys nobody reads; each is its own change, not one transaction.
TEST_F(PropagationTest, KeysReclaimedByActiveExpiryPropagateAsSeparateDels) {
  run("SET a 1 PX 100");
  run("SET b 1 PX 100");
  replica.take_log();
  engine.advance_clock_for_tests(200);
  engine.cron();
  Log log = replica.take_log();
  std::sort(log.begin(), log.end());  // the cycle's order is the table's
  EXPECT_EQ(log, (Log{"DEL a", "DEL b"}));
  expect_same("KEYS *");
}

// Relative TTLs would move on replay: they go out as absolute deadlines, as Redis 7.0 sends
// them; GETDEL and a GETEX with a past deadline are the deletions they amount to.
TEST_F(PropagationTest, TtlsPropagateAsAbsoluteDeadlines) {
  const int64_t now = engine.now_ms();
  const std::string in10s = std::to_string(now + 10000);
  run("SET a 1 EX 10");
  run("SET b 1 PX 10000 GET");
  run("SET c 1 PXAT " + in10s);  // already absolute: as sent
  run("SETEX d 10 v");
  run("PSETEX e 10000 v");
  EXPECT_EQ(replica.take_log(),
            (Log{"SET a 1 PXAT " + in10s, "SET b 1 PXAT " + in10s, "SET c 1 PXAT " + in10s,
                 "SET d v PXAT " + in10s, "SET e v PXAT " + in10s}));
  run("EXPIRE a 20 GT");
  run("PEXPIRE b 20000");
  run("EXPIREAT c " + std::to_string(now / 1000 + 100));
  run("EXPIRE d -1");
  run("GETEX e EX 30");
  EXPECT_EQ(replica.take_log(),
            (Log{"PEXPIREAT a " + std::to_string(now + 20000) + " GT",
                 "PEXPIREAT b " + std::to_string(now + 20000),
                 "PEXPIREAT c " + std::to_string((now / 1000 + 100) * 1000), "DEL d",
                 "PEXPIREAT e " + std::to_string(now + 30000)}));
  run("GETEX e PERSIST");
  run("GETEX a PXAT 1");
  run("GETDEL b");
  run("SET f 1.5");
  run("INCRBYFLOAT f 0.1");
  EXPECT_EQ(replica.take_log(),
            (Log{"PERSIST e", "DEL a", "DEL b", "SET f 1.5", "SET f 1.6 KEEPTTL"}));
  expect_same("KEYS *");
  for (const char* k : {"c", "e", "f"}) expect_same(std::string("PEXPIRETIME ") + k);
}

}  // namespace
}  // namespace rill::test
