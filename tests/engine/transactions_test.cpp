// MULTI / EXEC / DISCARD / WATCH through the engine, as redis-py pipelines use them.
#include "support/engine_harness.h"

namespace rill::test {
namespace {

class TransactionsTest : public EngineTest {};

TEST_F(TransactionsTest, QueuesAndExecutesInOrder) {
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("SET k v"), simple("QUEUED"));
  EXPECT_EQ(run("GET k"), simple("QUEUED"));
  EXPECT_EQ(run("EXEC"), arr({ok(), bulk("v")}));
  EXPECT_EQ(run("GET k"), bulk("v"));
}

TEST_F(TransactionsTest, QueueingErrorAbortsExec) {
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("SET k v"), simple("QUEUED"));
  EXPECT_EQ(run("GET"), err("ERR wrong number of arguments for 'get' command"));
  EXPECT_EQ(run("EXEC"), err("EXECABORT Transaction discarded because of previous errors."));
  EXPECT_EQ(run("GET k"), nil());
}

TEST_F(TransactionsTest, NestedMultiAndStrayExecDiscard) {
  EXPECT_EQ(run("EXEC"), err("ERR EXEC without MULTI"));
  EXPECT_EQ(run("DISCARD"), err("ERR DISCARD without MULTI"));
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("MULTI"), err("ERR MULTI calls can not be nested"));
  EXPECT_EQ(run("DISCARD"), ok());
  EXPECT_EQ(run("EXEC"), err("ERR EXEC without MULTI"));
}

TEST_F(TransactionsTest, WatchedKeyModifiedByAnotherClientFailsExec) {
  core::Session other;
  attach(other);
  EXPECT_EQ(run("WATCH k"), ok());
  EXPECT_EQ(run_as(other, "SET k changed"), ok());
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("SET k mine"), simple("QUEUED"));
  EXPECT_EQ(run("EXEC"), nil_array());
  EXPECT_EQ(run("GET k"), bulk("changed"));
  detach(other);
}

TEST_F(TransactionsTest, UntouchedWatchLetsExecRunAndIsClearedAfter) {
  core::Session other;
  attach(other);
  EXPECT_EQ(run("WATCH k"), ok());
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("SET k mine"), simple("QUEUED"));
  EXPECT_EQ(run("EXEC"), arr({ok()}));
  // After EXEC nothing is watched any more: a later write does not fail the next EXEC.
  EXPECT_EQ(run_as(other, "SET k changed"), ok());
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("GET k"), simple("QUEUED"));
  EXPECT_EQ(run("EXEC"), arr({bulk("changed")}));
  detach(other);
}

TEST_F(TransactionsTest, FlushallTouchesWatchedKeys) {
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("WATCH k"), ok());
  EXPECT_EQ(run("FLUSHALL"), ok());
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("PING"), simple("QUEUED"));
  EXPECT_EQ(run("EXEC"), nil_array());
}

TEST_F(TransactionsTest, WatchInsideMultiIsRefused) {
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("WATCH k"), err("ERR WATCH inside MULTI is not allowed"));
  EXPECT_EQ(run("EXEC"), arr({}));
}

TEST_F(TransactionsTest, ExecRepliesNullArrayInResp3AsUnderscore) {
  core::Session other;
  attach(other);
  EXPECT_EQ(run("HELLO 3").substr(0, 4), "%7\r\n");
  EXPECT_EQ(run("WATCH k"), ok());
  EXPECT_EQ(run_as(other, "SET k x"), ok());
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("EXEC"), "_\r\n");
  detach(other);
}

TEST_F(TransactionsTest, WatchedKeyThatExpiresAfterWatchFailsExec) {
  EXPECT_EQ(run("SET k v PX 100"), ok());
  EXPECT_EQ(run("WATCH k"), ok());
  engine.advance_clock_for_tests(200);
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("GET k"), simple("QUEUED"));
  EXPECT_EQ(run("EXEC"), nil_array());
}

TEST_F(TransactionsTest, WatchedKeyThatExpiresAfterWatchFailsExecWhenActivelyExpired) {
  EXPECT_EQ(run("SET k v PX 100"), ok());
  EXPECT_EQ(run("WATCH k"), ok());
  engine.advance_clock_for_tests(200);
  engine.cron();  // the active cycle deletes it
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("EXEC"), nil_array());
}

TEST_F(TransactionsTest, KeyAlreadyExpiredWhenWatchedDoesNotFailExec) {
  EXPECT_EQ(run("SET k v PX 100"), ok());
  engine.advance_clock_for_tests(200);
  EXPECT_EQ(run("WATCH k"), ok());
  engine.cron();
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("GET k"), simple("QUEUED"));
  EXPECT_EQ(run("EXEC"), arr({nil()}));
}

TEST_F(TransactionsTest, ExecWithArgumentsAbortsTheTransaction) {
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("SET k v"), simple("QUEUED"));
  EXPECT_EQ(run("EXEC extra"),
            err("EXECABORT Transaction discarded because of: wrong number of arguments for "
                "'exec' command"));
  EXPECT_EQ(run("EXEC"), err("ERR EXEC without MULTI"));
  EXPECT_EQ(run("GET k"), nil());
}

}  // namespace
}  // namespace rill::test
