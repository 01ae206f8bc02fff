// Expiry through the engine: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX | XX | GT | LT,
// TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST, and keys expiring lazily (on access) and
// actively (engine.cron()). Expected replies were taken from Redis 7.0.15.
#include <string>

#include "support/engine_harness.h"

namespace rill::test {
namespace {

class ExpireTest : public EngineTest {
 protected:
  static int64_t int_of(const std::string& r) {
    EXPECT_EQ(r[0], ':') << r;
    return std::stoll(r.substr(1));
  }
  int64_t now() const { return engine.now_ms(); }
};

// --- setting and reading a TTL ------------------------------------------------------

TEST_F(ExpireTest, MissingKeyAndKeyWithoutTtl) {
  EXPECT_EQ(run("EXPIRE nokey 10"), integer(0));
  EXPECT_EQ(run("TTL nokey"), integer(-2));
  EXPECT_EQ(run("PTTL nokey"), integer(-2));
  EXPECT_EQ(run("EXPIRETIME nokey"), integer(-2));
  EXPECT_EQ(run("PEXPIRETIME nokey"), integer(-2));
  run("SET k v");
  EXPECT_EQ(run("TTL k"), integer(-1));
  EXPECT_EQ(run("PTTL k"), integer(-1));
  EXPECT_EQ(run("EXPIRETIME k"), integer(-1));
  EXPECT_EQ(run("PEXPIRETIME k"), integer(-1));
}

TEST_F(ExpireTest, EachSetterAndEachReader) {
  run("SET k v");
  EXPECT_EQ(run("EXPIRE k 100"), integer(1));
  EXPECT_EQ(run("TTL k"), integer(100));
  int64_t pttl = int_of(run("PTTL k"));
  EXPECT_GT(pttl, 99'000);
  EXPECT_LE(pttl, 100'000);
  int64_t at = int_of(run("PEXPIRETIME k"));
  EXPECT_EQ(at - now(), pttl);

  EXPECT_EQ(run("PEXPIRE k 50000"), integer(1));
  EXPECT_EQ(run("TTL k"), integer(50));

  EXPECT_EQ(run("EXPIREAT k 4000000000"), integer(1));
  EXPECT_EQ(run("EXPIRETIME k"), integer(4000000000));
  EXPECT_EQ(run("PEXPIRETIME k"), integer(4000000000000));

  EXPECT_EQ(run("PEXPIREAT k 4000000000123"), integer(1));
  EXPECT_EQ(run("PEXPIRETIME k"), integer(4000000000123));
}

TEST_F(ExpireTest, SecondsAreRoundedToTheNearest) {
  run("SET k v");
  run("PEXPIREAT k 4000000001499");
  EXPECT_EQ(run("EXPIRETIME k"), integer(4000000001));
  run("PEXPIREAT k 4000000001500");
  EXPECT_EQ(run("EXPIRETIME k"), integer(4000000002));
  run("PEXPIRE k 2600");
  EXPECT_EQ(run("TTL k"), integer(3));
  run("PEXPIRE k 2400");
  EXPECT_EQ(run("TTL k"), integer(2));
}

TEST_F(ExpireTest, APastOrNegativeTimeDeletesTheKey) {
  for (const char* cmd : {"EXPIRE k 0", "EXPIRE k -10", "PEXPIRE k -1", "EXPIREAT k 1",
                          "PEXPIREAT k 1000000001500", "PEXPIREAT k 0",
                          "PEXPIRE k -9223372036854775808", "EXPIRE k -9223372036854775"}) {
    run("SET k v");
    EXPECT_EQ(run(cmd), integer(1)) << cmd;
    EXPECT_EQ(run("EXISTS k"), integer(0)) << cmd;
    EXPECT_EQ(engine.db(0).size(), 0u) << cmd;  // deleted, not merely hidden
  }
}

TEST_F(ExpireTest, PersistRemovesTheTtl) {
  run("SET k v");
  EXPECT_EQ(run("PERSIST k"), integer(0));
  EXPECT_EQ(run("PERSIST nokey"), integer(0));
  run("EXPIRE k 100");
  EXPECT_EQ(run("PERSIST k"), integer(1));
  EXPECT_EQ(run("TTL k"), integer(-1));
  EXPECT_EQ(run("PERSIST k"), integer(0));
  engine.advance_clock_for_tests(200'000);
  EXPECT_EQ(run("GET k"), bulk("v"));
}

TEST_F(ExpireTest, SetOverwritesTheTtl) {
  run("SET k v");
  run("EXPIRE k 100");
  run("SET k w");
  EXPECT_EQ(run("TTL k"), integer(-1));
}

// --- NX | XX | GT | LT -----------------------------------------------------------------

TEST_F(ExpireTest, ConditionsAgainstAKeyWithoutTtl) {
  run("SET k v");
  EXPECT_EQ(run("EXPIRE k 100 XX"), integer(0));
  EXPECT_EQ(run("EXPIRE k 100 GT"), integer(0));  // no TTL counts as infinite
  EXPECT_EQ(run("TTL k"), integer(-1));
  EXPECT_EQ(run("EXPIRE k 100 lt"), integer(1));
  EXPECT_EQ(run("TTL k"), integer(100));
  run("PERSIST k");
  EXPECT_EQ(run("EXPIRE k 100 nx"), integer(1));
  EXPECT_EQ(run("TTL k"), integer(100));
}

TEST_F(ExpireTest, ConditionsAgainstAKeyWithTtl) {
  run("SET k v");
  run("EXPIRE k 100");
  EXPECT_EQ(run("EXPIRE k 200 NX"), integer(0));
  EXPECT_EQ(run("EXPIRE k 50 GT"), integer(0));
  EXPECT_EQ(run("EXPIRE k 100 GT"), integer(0));  // equal is not greater
  EXPECT_EQ(run("EXPIRE k 200 GT"), integer(1));
  EXPECT_EQ(run("TTL k"), integer(200));
  EXPECT_EQ(run("EXPIRE k 300 LT"), integer(0));
  EXPECT_EQ(run("EXPIRE k 100 LT"), integer(1));
  EXPECT_EQ(run("TTL k"), integer(100));
  EXPECT_EQ(run("EXPIRE k 150 XX"), integer(1));
  EXPECT_EQ(run("EXPIRE k 180 XX GT"), integer(1));
  EXPECT_EQ(run("EXPIRE k 170 XX LT"), integer(1));
  EXPECT_EQ(run("TTL k"), integer(170));
  EXPECT_EQ(run("EXPIRE k 170 NX NX"), integer(0));  // repeating an option is allowed
}

TEST_F(ExpireTest, ConditionsDecideBeforeAPastTimeDeletes) {
  run("SET k v");
  EXPECT_EQ(run("EXPIRE k 0 GT"), integer(0));
  EXPECT_EQ(run("EXISTS k"), integer(1));
  EXPECT_EQ(run("EXPIRE k -1 LT"), integer(1));
  EXPECT_EQ(run("EXISTS k"), integer(0));
}

TEST_F(ExpireTest, OptionErrors) {
  run("SET k v");
  const std::string nx = err("ERR NX and XX, GT or LT options at the same time are not compatible");
  const std::string gtlt = err("ERR GT and LT options at the same time are not compatible");
  EXPECT_EQ(run("EXPIRE k 100 NX XX"), nx);
  EXPECT_EQ(run("EXPIRE k 100 nx gt"), nx);
  EXPECT_EQ(run("EXPIRE k 100 XX NX"), nx);
  EXPECT_EQ(run("EXPIRE k 100 GT LT NX"), nx);  // the NX clash is reported first
  EXPECT_EQ(run("EXPIRE k 100 GT LT"), gtlt);
  EXPECT_EQ(run("PEXPIRE k 100 lt gt"), gtlt);
  EXPECT_EQ(run("EXPIRE k 100 foo"), err("ERR Unsupported option foo"));
  EXPECT_EQ(run("EXPIRE k 100 NX XX Foo"), err("ERR Unsupported option Foo"));
  // Options are judged before the time is read.
  EXPECT_EQ(run("EXPIRE k abc foo"), err("ERR Unsupported option foo"));
  EXPECT_EQ(run("EXPIRE k abc NX XX"), nx);
  EXPECT_EQ(run("EXPIRE nokey 10 NX XX"), nx);
  EXPECT_EQ(run("EXPIRE k abc"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("PEXPIRE k 1.5"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("EXPIRE k"), err("ERR wrong number of arguments for 'expire' command"));
  EXPECT_EQ(run("TTL k"), integer(-1));
}

TEST_F(ExpireTest, TimesThatOverflowAreRefused) {
  run("SET k v");
  EXPECT_EQ(run("EXPIRE k 9223372036854775"), err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(run("EXPIRE k 9223372036854776"), err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(run("EXPIRE k -9223372036854776"), err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(run("pexpire k 9223372036854775807"),
            err("ERR invalid expire time in 'pexpire' command"));
  EXPECT_EQ(run("EXPIREAT k 9223372036854776"),
            err("ERR invalid expire time in 'expireat' command"));
  EXPECT_EQ(run("EXPIREAT k -9223372036854776"),
            err("ERR invalid expire time in 'expireat' command"));
  EXPECT_EQ(run("EXPIRE nokey 9223372036854775"),
            err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(run("TTL k"), integer(-1));
  // The largest deadlines that fit are accepted.
  EXPECT_EQ(run("EXPIREAT k 9223372036854775"), integer(1));
  EXPECT_EQ(run("EXPIRETIME k"), integer(9223372036854775));
  EXPECT_EQ(run("PEXPIREAT k 9223372036854775807"), integer(1));
  EXPECT_EQ(run("PEXPIRETIME k"), integer(9223372036854775807));
}

// --- WATCH ---------------------------------------------------------------------------

TEST_F(ExpireTest, SuccessfulChangesTouchWatchersFailedOnesDoNot) {
  core::Session other;
  attach(other);
  run("SET k v");
  EXPECT_EQ(run("WATCH k"), ok());
  EXPECT_EQ(run_as(other, "EXPIRE k 100 XX"), integer(0));
  EXPECT_EQ(run_as(other, "PERSIST k"), integer(0));
  EXPECT_FALSE(session.watch_dirty);
  EXPECT_EQ(run_as(other, "EXPIRE k 100"), integer(1));
  EXPECT_TRUE(session.watch_dirty);
  run("UNWATCH");
  EXPECT_EQ(run("WATCH k"), ok());
  EXPECT_EQ(run_as(other, "PERSIST k"), integer(1));
  EXPECT_TRUE(session.watch_dirty);
  detach(other);
}

// --- lazy and active expiry ----------------------------------------------------------

TEST_F(ExpireTest, KeysExpireLazilyOnAccess) {
  run("SET k v");
  run("PEXPIRE k 1000");
  engine.advance_clock_for_tests(999);
  EXPECT_EQ(run("GET k"), bulk("v"));
  engine.advance_clock_for_tests(1);
  EXPECT_EQ(engine.db(0).size(), 1u);  // still stored: nobody looked yet
  EXPECT_EQ(run("TTL k"), integer(-2));
  EXPECT_EQ(engine.db(0).size(), 0u);
  EXPECT_EQ(engine.stats().expired_keys, 1u);
}

TEST_F(ExpireTest, EveryGenericCommandSeesAnExpiredKeyAsGone) {
  run("SET k v");
  run("PEXPIRE k 10");
  engine.advance_clock_for_tests(20);
  EXPECT_EQ(run("EXISTS k"), integer(0));
  EXPECT_EQ(run("TYPE k"), simple("none"));
  EXPECT_EQ(run("PTTL k"), integer(-2));
  EXPECT_EQ(run("EXPIRE k 100"), integer(0));
  EXPECT_EQ(run("PERSIST k"), integer(0));
  EXPECT_EQ(run("RENAME k x"), err("ERR no such key"));
  EXPECT_EQ(run("COPY k x"), integer(0));
  EXPECT_EQ(run("MOVE k 1"), integer(0));
  EXPECT_EQ(run("TOUCH k"), integer(0));
  EXPECT_EQ(run("DEL k"), integer(0));
  EXPECT_EQ(run("OBJECT ENCODING k"), nil());
}

TEST_F(ExpireTest, ExpiryOfAWatchedKeyTouchesTheWatcher) {
  run("SET k v");
  run("PEXPIRE k 10");
  EXPECT_EQ(run("WATCH k"), ok());
  engine.advance_clock_for_tests(20);
  engine.cron();
  EXPECT_TRUE(session.watch_dirty);
}

TEST_F(ExpireTest, ActiveExpiryReclaimsKeysNobodyReads) {
  for (int i = 0; i < 1000; ++i) {
    run({"SET", "t" + std::to_string(i), "v"});
    run({"PEXPIRE", "t" + std::to_string(i), "100"});
  }
  for (int i = 0; i < 10; ++i) run({"SET", "keep" + std::to_string(i), "v"});
  run("SELECT 3");
  run("SET other v");
  run("PEXPIRE other 100");
  EXPECT_EQ(engine.db(0).size(), 1010u);
  engine.cron();
  EXPECT_EQ(engine.db(0).size(), 1010u);  // nothing is due yet
  engine.advance_clock_for_tests(100);
  for (int i = 0; i < 20 && engine.db(0).size() + engine.db(3).size() > 10; ++i) engine.cron();
  EXPECT_EQ(engine.db(0).size(), 10u);
  EXPECT_EQ(engine.db(3).size(), 0u);
  EXPECT_EQ(engine.stats().expired_keys, 1001u);
  run("SELECT 0");
  EXPECT_EQ(run("EXISTS keep0 keep9"), integer(2));
}

}  // namespace
}  // namespace rill::test
