// The blocking list pops through the engine: several sessions on one engine, a blocked one's
// reply appearing in its `out` when another session's write serves it.
#include "support/engine_harness.h"

namespace rill::test {
namespace {

class ListsBlockingTest : public EngineTest {
 protected:
  ListsBlockingTest() {
    attach(w1);
    attach(w2);
  }
  ~ListsBlockingTest() override {
    detach(w1);
    detach(w2);
  }
  core::Session w1, w2;
};

TEST_F(ListsBlockingTest, BlpopIsServedByAPushFromAnotherClient) {
  EXPECT_EQ(run_as(w1, "BLPOP q 0"), "");
  EXPECT_TRUE(w1.blocked);
  EXPECT_EQ(run("RPUSH q a b"), integer(2));
  EXPECT_EQ(take(w1), bulks({"q", "a"}));
  EXPECT_FALSE(w1.blocked);
  EXPECT_EQ(run("LRANGE q 0 -1"), bulks({"b"}));
  EXPECT_EQ(engine.blocked().count(), 0u);
}

TEST_F(ListsBlockingTest, FirstComeFirstServedAcrossClients) {
  EXPECT_EQ(run_as(w1, "BRPOP q 0"), "");
  EXPECT_EQ(run_as(w2, "BRPOP q 0"), "");
  EXPECT_EQ(run("LPUSH q x"), integer(1));
  EXPECT_EQ(take(w1), bulks({"q", "x"}));
  EXPECT_EQ(take(w2), "");
  EXPECT_EQ(run("EXISTS q"), integer(0));  // served and deleted before the push returned
  EXPECT_EQ(run("LPUSH q y"), integer(1));
  EXPECT_EQ(take(w2), bulks({"q", "y"}));
}

TEST_F(ListsBlockingTest, SeveralKeysServedOnceByWhicheverGetsData) {
  EXPECT_EQ(run_as(w1, "BLPOP k1 k2 0"), "");
  EXPECT_EQ(run("MULTI"), ok());
  run("RPUSH k2 a");
  run("RPUSH k1 b");
  EXPECT_EQ(run("EXEC"), arr({integer(1), integer(1)}));
  // Both keys became ready; the client is served once, from the first key signalled.
  EXPECT_EQ(take(w1), bulks({"k2", "a"}));
  EXPECT_EQ(run("LRANGE k1 0 -1"), bulks({"b"}));
}

TEST_F(ListsBlockingTest, MultiExecPushesServeEachWaiterOneElement) {
  run_as(w1, "BLPOP q 0");
  run_as(w2, "BLPOP q 0");
  EXPECT_EQ(run("MULTI"), ok());
  run("RPUSH q a");
  run("RPUSH q b");
  run("RPUSH q c");
  EXPECT_EQ(run("EXEC"), arr({integer(1), integer(2), integer(3)}));
  EXPECT_EQ(take(w1), bulks({"q", "a"}));
  EXPECT_EQ(take(w2), bulks({"q", "b"}));
  EXPECT_EQ(run("LRANGE q 0 -1"), bulks({"c"}));
}

TEST_F(ListsBlockingTest, AWaiterThatFindsNothingOnRerunKeepsItsPlace) {
  run_as(w1, "BLPOP q 0");
  run_as(w2, "BLPOP q 0");
  EXPECT_EQ(run("MULTI"), ok());
  run("RPUSH q a");
  run("LPOP q");
  EXPECT_EQ(run("EXEC"), arr({integer(1), bulk("a")}));
  EXPECT_EQ(take(w1), "");
  EXPECT_TRUE(w1.blocked);
  run("RPUSH q b");
  EXPECT_EQ(take(w1), bulks({"q", "b"}));
  EXPECT_EQ(take(w2), "");
}

TEST_F(ListsBlockingTest, BlmoveChainsIntoAnotherWaiter) {
  EXPECT_EQ(run_as(w1, "BLMOVE a b RIGHT LEFT 0"), "");
  EXPECT_EQ(run_as(w2, "BLPOP b 0"), "");
  EXPECT_EQ(run("RPUSH a x"), integer(1));
  EXPECT_EQ(take(w1), bulk("x"));
  EXPECT_EQ(take(w2), bulks({"b", "x"}));
  EXPECT_EQ(run("EXISTS a b"), integer(0));
}

TEST_F(ListsBlockingTest, BrpoplpushAndBlmpopAreServed) {
  run_as(w1, "BRPOPLPUSH src dst 0");
  run_as(w2, "BLMPOP 0 2 m1 m2 RIGHT COUNT 5");
  run("RPUSH src v");
  EXPECT_EQ(take(w1), bulk("v"));
  EXPECT_EQ(run("LRANGE dst 0 -1"), bulks({"v"}));
  run("RPUSH m2 a b");
  EXPECT_EQ(take(w2), arr({bulk("m2"), bulks({"b", "a"})}));
}

TEST_F(ListsBlockingTest, ServingADestinationOfTheWrongTypeRepliesWrongType) {
  run("SET s x");
  run_as(w1, "BLMOVE q s LEFT LEFT 0");
  run("RPUSH q a");
  EXPECT_EQ(take(w1), err("WRONGTYPE Operation against a key holding the wrong kind of value"));
  EXPECT_EQ(run("LRANGE q 0 -1"), bulks({"a"}));
}

TEST_F(ListsBlockingTest, AKeyThatBecameAnotherTypeDoesNotServeTheWaiter) {
  run_as(w1, "BLPOP q 0");
  EXPECT_EQ(run("MULTI"), ok());
  run("LPUSH q a");
  run("DEL q");
  run("SET q foo");
  EXPECT_EQ(run("EXEC"), arr({integer(1), integer(1), ok()}));
  EXPECT_EQ(take(w1), "");
  EXPECT_TRUE(w1.blocked);
  run("DEL q");
  run("RPUSH q b");
  EXPECT_EQ(take(w1), bulks({"q", "b"}));
}

TEST_F(ListsBlockingTest, TimeoutsAnswerNullArrays) {
  EXPECT_EQ(run_as(w1, "BLPOP q 0.5"), "");
  EXPECT_EQ(run_as(w2, "BLMOVE q d LEFT LEFT 1"), "");
  engine.advance_clock_for_tests(400);
  engine.expire_blocked();
  EXPECT_EQ(take(w1), "");
  engine.advance_clock_for_tests(200);
  engine.expire_blocked();
  EXPECT_EQ(take(w1), nil_array());
  EXPECT_FALSE(w1.blocked);
  engine.advance_clock_for_tests(500);
  engine.expire_blocked();
  EXPECT_EQ(take(w2), nil_array());  // Redis 7.0 times BLMOVE out with *-1 too
  w1.proto = 3;
  run_as(w1, "BRPOP q 0.1");
  engine.advance_clock_for_tests(200);
  engine.expire_blocked();
  EXPECT_EQ(take(w1), "_\r\n");
}

TEST_F(ListsBlockingTest, ZeroWaitsForever) {
  run_as(w1, "BLPOP q 0");
  engine.advance_clock_for_tests(1000LL * 3600 * 24 * 365);
  engine.expire_blocked();
  EXPECT_EQ(take(w1), "");
  EXPECT_TRUE(w1.blocked);
}

TEST_F(ListsBlockingTest, TimeoutErrors) {
  EXPECT_EQ(run("BLPOP q -1"), err("ERR timeout is negative"));
  EXPECT_EQ(run("BLPOP q abc"), err("ERR timeout is not a float or out of range"));
  EXPECT_EQ(run("BLPOP q inf"), err("ERR timeout is negative"));
  EXPECT_EQ(run("BRPOPLPUSH a b x"), err("ERR timeout is not a float or out of range"));
  EXPECT_EQ(run("BLMPOP -1 1 q LEFT"), err("ERR timeout is negative"));
  EXPECT_EQ(run("BLMPOP x 0 q LEFT"), err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(engine.blocked().count(), 0u);
}

TEST_F(ListsBlockingTest, InsideMultiNothingBlocks) {
  EXPECT_EQ(run("MULTI"), ok());
  run("BLPOP q 0");
  run("BRPOPLPUSH q d 0");
  run("BLMPOP 0 1 q LEFT");
  EXPECT_EQ(run("EXEC"), arr({nil_array(), nil(), nil_array()}));
  EXPECT_FALSE(session.blocked);
}

TEST_F(ListsBlockingTest, ClientUnblockWithTimeoutOrError) {
  run_as(w1, "BLPOP q 0");
  run_as(w2, "BLMOVE q d LEFT LEFT 0");
  EXPECT_EQ(run("CLIENT UNBLOCK " + std::to_string(w1.id) + " TIMEOUT"), integer(1));
  EXPECT_EQ(take(w1), nil_array());
  EXPECT_EQ(run("CLIENT UNBLOCK " + std::to_string(w2.id) + " ERROR"), integer(1));
  EXPECT_EQ(take(w2), err("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
  EXPECT_EQ(run("CLIENT UNBLOCK " + std::to_string(w1.id)), integer(0));
  run("RPUSH q a");
  EXPECT_EQ(take(w1), "");
  EXPECT_EQ(run("LLEN q"), integer(1));
}

TEST_F(ListsBlockingTest, ADisconnectedWaiterLeavesNothingBehind) {
  run_as(w1, "BLPOP q1 q2 0");
  run_as(w2, "BLPOP q1 0");
  detach(w1);
  EXPECT_EQ(engine.blocked().count(), 1u);
  EXPECT_EQ(engine.blocked().keys_with_waiters(), 1u);
  run("RPUSH q1 a");
  EXPECT_EQ(take(w1), "");
  EXPECT_EQ(take(w2), bulks({"q1", "a"}));
  EXPECT_EQ(engine.blocked().count(), 0u);
  EXPECT_EQ(engine.blocked().keys_with_waiters(), 0u);
  attach(w1);  // the fixture detaches it again
}

}  // namespace
}  // namespace rill::test
