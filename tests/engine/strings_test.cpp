// The string commands on whole values through the engine: GET, SET (every option, clash and
// expire-time error), SETNX, SETEX, PSETEX, GETSET, MGET, MSET, MSETNX, GETDEL and GETEX, the
// encodings they store, and which of them count as writes. Expected replies come from Redis
// 7.0.15. Ranges are in strings_ranges_test.cpp, the INCR family in strings_numbers_test.cpp.
#include "engine/strings_fixture.h"

namespace rill::test {
namespace {

class StringsTest : public StringsFixture {};

// ---- GET / SET -------------------------------------------------------------------------

TEST_F(StringsTest, GetMissingStringAndWrongType) {
  EXPECT_EQ(run("GET k"), nil());
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("GET k"), bulk("v"));
  put_list("l");
  EXPECT_EQ(run("GET l"), kWrongType);
  EXPECT_EQ(run("GET"), err("ERR wrong number of arguments for 'get' command"));
  EXPECT_EQ(run("GET a b"), err("ERR wrong number of arguments for 'get' command"));
}

TEST_F(StringsTest, SetOverwritesAnyTypeAndDropsTtl) {
  put_list("l");
  EXPECT_EQ(run("SET l v"), ok());
  EXPECT_EQ(run("GET l"), bulk("v"));
  EXPECT_EQ(run("SETEX k 100 v"), ok());
  EXPECT_EQ(run("SET k w"), ok());
  EXPECT_EQ(pttl("k"), -1);
  EXPECT_EQ(run({"SET", "bin", std::string_view("a\0b\r\n", 5)}), ok());
  EXPECT_EQ(run("GET bin"), bulk(std::string_view("a\0b\r\n", 5)));
}

TEST_F(StringsTest, SetNxXx) {
  EXPECT_EQ(run("SET k v XX"), nil());
  EXPECT_EQ(run("GET k"), nil());
  EXPECT_EQ(run("SET k v NX"), ok());
  EXPECT_EQ(run("SET k w NX"), nil());
  EXPECT_EQ(run("SET k w nx EX 10"), nil());
  EXPECT_EQ(pttl("k"), -1);
  EXPECT_EQ(run("SET k w xx"), ok());
  EXPECT_EQ(run("GET k"), bulk("w"));
  // Repeating an option is not a clash.
  EXPECT_EQ(run("SET k x XX XX"), ok());
  EXPECT_EQ(run("SET n v NX NX"), ok());
}

TEST_F(StringsTest, SetOptionClashesAreSyntaxErrors) {
  for (const char* cmd :
       {"SET k v NX XX", "SET k v XX NX", "SET k v EX 10 PX 100", "SET k v PX 100 EX 10",
        "SET k v EX 10 EXAT 99999999999", "SET k v PXAT 99999999999999 PX 10",
        "SET k v KEEPTTL EX 10", "SET k v EX 10 KEEPTTL", "SET k v PX 10 KEEPTTL",
        "SET k v KEEPTTL PXAT 1", "SET k v EX", "SET k v PX", "SET k v EXAT", "SET k v PXAT",
        "SET k v GET EX", "SET k v FOO", "SET k v PERSIST", "SET k v EX 10 NX XX",
        "SET k v EX 0 FOO", "SET k v FOO EX 0", "SET k v EXX 10", "SET k v NXX"}) {
    EXPECT_EQ(run(cmd), kSyntax) << cmd;
  }
  EXPECT_EQ(dbsize(), 0u);
}

TEST_F(StringsTest, SetRepeatedOptionsAreAccepted) {
  EXPECT_EQ(run("SET k v EX 10 EX 20"), ok());
  EXPECT_GT(pttl("k"), 19000);
  EXPECT_EQ(run("SET k v KEEPTTL KEEPTTL"), ok());
  EXPECT_GT(pttl("k"), 19000);
  EXPECT_EQ(run("SET k v GET GET"), bulk("v"));
  EXPECT_EQ(run("set k v Nx gEt"), bulk("v"));
}

TEST_F(StringsTest, SetInvalidExpireTimes) {
  for (const char* cmd :
       {"SET k v EX 0", "SET k v EX -1", "SET k v PX 0", "SET k v PX -100", "SET k v EXAT 0",
        "SET k v PXAT 0", "SET k v EXAT -5", "SET k v EX 9223372036854775807",
        "SET k v EX 9223372036854776", "SET k v EX 9223372036854775",
        "SET k v PX 9223372036854775807", "SET k v EXAT 9223372036854776"}) {
    EXPECT_EQ(run(cmd), invalid_expire("set")) << cmd;
  }
  EXPECT_EQ(run("SET k v EX abc"), kNotInt);
  EXPECT_EQ(run("SET k v EX 1.5"), kNotInt);
  EXPECT_EQ(run("SET k v PX 9223372036854775808"), kNotInt);
  // The command is named as Redis names it, in lower case whatever the client typed.
  EXPECT_EQ(run("sEt k v ex 0"), invalid_expire("set"));
  EXPECT_EQ(dbsize(), 0u);
}

TEST_F(StringsTest, SetLargestAbsoluteDeadlinesAreAccepted) {
  EXPECT_EQ(run("SET k v EXAT 9223372036854775"), ok());
  EXPECT_EQ(expire_at("k"), 9223372036854775000);
  EXPECT_EQ(run("SET k v PXAT 9223372036854775807"), ok());
  EXPECT_EQ(expire_at("k"), 9223372036854775807);
}

TEST_F(StringsTest, SetExpiryOptions) {
  EXPECT_EQ(run("SET k v EX 100"), ok());
  EXPECT_GT(pttl("k"), 99000);
  EXPECT_LE(pttl("k"), 100000);
  EXPECT_EQ(run("SET k v PX 1500"), ok());
  EXPECT_GT(pttl("k"), 1000);
  EXPECT_LE(pttl("k"), 1500);
  EXPECT_EQ(run("SET k v EXAT 33177600000"), ok());
  EXPECT_EQ(expire_at("k"), 33177600000000);
  EXPECT_EQ(run("SET k v PXAT 33177600000123"), ok());
  EXPECT_EQ(expire_at("k"), 33177600000123);
  EXPECT_EQ(run("SET k w KEEPTTL"), ok());
  EXPECT_EQ(expire_at("k"), 33177600000123);
  EXPECT_EQ(run("SET k x KEEPTTL GET"), bulk("w"));
  EXPECT_EQ(expire_at("k"), 33177600000123);
  EXPECT_EQ(run("SET k y"), ok());
  EXPECT_EQ(pttl("k"), -1);
}

TEST_F(StringsTest, SetExpiresThroughTheClock) {
  EXPECT_EQ(run("SET k v PX 10000"), ok());
  engine.advance_clock_for_tests(9000);
  EXPECT_EQ(run("GET k"), bulk("v"));
  engine.advance_clock_for_tests(1100);
  EXPECT_EQ(run("GET k"), nil());
  EXPECT_EQ(engine.stats().expired_keys, 1u);
  // KEEPTTL does not revive an expired key's TTL: the key is gone, so the new one has none.
  EXPECT_EQ(run("SET t v EX 10"), ok());
  engine.advance_clock_for_tests(11000);
  EXPECT_EQ(run("SET t w KEEPTTL"), ok());
  EXPECT_EQ(pttl("t"), -1);
  EXPECT_EQ(run("GET t"), bulk("w"));
}

TEST_F(StringsTest, SetWithPastAbsoluteDeadlineStoresThenExpires) {
  // Redis 7.0 replies OK, stores the key and lets it expire on its next access.
  EXPECT_EQ(run("SET k v EXAT 1"), ok());
  EXPECT_EQ(dbsize(), 1u);
  EXPECT_EQ(run("GET k"), nil());
  EXPECT_EQ(engine.stats().expired_keys, 1u);
  EXPECT_EQ(dbsize(), 0u);
  EXPECT_EQ(run("SET k old"), ok());
  EXPECT_EQ(run("SET k v PXAT 1 GET"), bulk("old"));
  EXPECT_EQ(run("GET k"), nil());
}

TEST_F(StringsTest, SetGet) {
  EXPECT_EQ(run("SET k v GET"), nil());
  EXPECT_EQ(run("GET k"), bulk("v"));
  EXPECT_EQ(run("SET k w GET"), bulk("v"));
  EXPECT_EQ(run("GET k"), bulk("w"));
  EXPECT_EQ(run("SET n v GET EX 100"), nil());
  EXPECT_GT(pttl("n"), 99000);
}

TEST_F(StringsTest, SetGetWithNxAndXx) {
  // NX with GET is allowed since 7.0: the old value comes back and nothing is written.
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("SET k w NX GET"), bulk("v"));
  EXPECT_EQ(run("GET k"), bulk("v"));
  EXPECT_EQ(run("SET m w NX GET"), nil());
  EXPECT_EQ(run("GET m"), bulk("w"));
  EXPECT_EQ(run("SET z w XX GET"), nil());
  EXPECT_EQ(run("GET z"), nil());
  EXPECT_EQ(run("SET k x XX GET"), bulk("v"));
  EXPECT_EQ(run("GET k"), bulk("x"));
}

TEST_F(StringsTest, SetGetOnWrongTypeFailsWithoutWriting) {
  put_list("l");
  EXPECT_EQ(run("SET l v GET"), kWrongType);
  EXPECT_EQ(run("SET l v NX GET"), kWrongType);
  EXPECT_EQ(run("SET l v XX GET"), kWrongType);
  EXPECT_TRUE(is_list("l"));
  // The expire time is checked before the type.
  EXPECT_EQ(run("SET l v GET EX 0"), invalid_expire("set"));
  EXPECT_EQ(run("SET l v GET EX abc"), kNotInt);
}

// ---- SETNX / SETEX / PSETEX / GETSET ---------------------------------------------------

TEST_F(StringsTest, Setnx) {
  EXPECT_EQ(run("SETNX k v"), integer(1));
  EXPECT_EQ(run("SETNX k w"), integer(0));
  EXPECT_EQ(run("GET k"), bulk("v"));
  put_list("l");
  EXPECT_EQ(run("SETNX l v"), integer(0));
  EXPECT_TRUE(is_list("l"));
  EXPECT_EQ(run("SETNX k"), err("ERR wrong number of arguments for 'setnx' command"));
}

TEST_F(StringsTest, SetexAndPsetex) {
  EXPECT_EQ(run("SETEX k 10 v"), ok());
  EXPECT_EQ(run("GET k"), bulk("v"));
  EXPECT_GT(pttl("k"), 9000);
  EXPECT_LE(pttl("k"), 10000);
  EXPECT_EQ(run("PSETEX k 1500 w"), ok());
  EXPECT_GT(pttl("k"), 1000);
  EXPECT_LE(pttl("k"), 1500);
  put_list("l");
  EXPECT_EQ(run("SETEX l 10 v"), ok());
  EXPECT_EQ(run("GET l"), bulk("v"));
  engine.advance_clock_for_tests(11000);
  EXPECT_EQ(run("GET l"), nil());
}

TEST_F(StringsTest, SetexErrors) {
  EXPECT_EQ(run("SETEX k 0 v"), invalid_expire("setex"));
  EXPECT_EQ(run("SETEX k -5 v"), invalid_expire("setex"));
  EXPECT_EQ(run("SETEX k 9223372036854775 v"), invalid_expire("setex"));
  EXPECT_EQ(run("SETEX k abc v"), kNotInt);
  EXPECT_EQ(run("PSETEX k 0 v"), invalid_expire("psetex"));
  EXPECT_EQ(run("PSETEX k 9223372036854775807 v"), invalid_expire("psetex"));
  EXPECT_EQ(run("PSETEX k 1.5 v"), kNotInt);
  EXPECT_EQ(run("SETEX k 10"), err("ERR wrong number of arguments for 'setex' command"));
  EXPECT_EQ(run("PSETEX k 10 v x"), err("ERR wrong number of arguments for 'psetex' command"));
  EXPECT_EQ(dbsize(), 0u);
}

TEST_F(StringsTest, Getset) {
  EXPECT_EQ(run("GETSET k v"), nil());
  EXPECT_EQ(run("GETSET k w"), bulk("v"));
  EXPECT_EQ(run("GET k"), bulk("w"));
  EXPECT_EQ(run("SETEX k 100 v"), ok());
  EXPECT_EQ(run("GETSET k x"), bulk("v"));
  EXPECT_EQ(pttl("k"), -1);
  put_list("l");
  EXPECT_EQ(run("GETSET l x"), kWrongType);
  EXPECT_TRUE(is_list("l"));
}

// ---- MGET / MSET / MSETNX --------------------------------------------------------------

TEST_F(StringsTest, MgetReadsOtherTypesAsNil) {
  EXPECT_EQ(run("SET a 1"), ok());
  EXPECT_EQ(run("SET b 2"), ok());
  put_list("l");
  EXPECT_EQ(run("MGET a b l nokey"), arr({bulk("1"), bulk("2"), nil(), nil()}));
  EXPECT_EQ(run("MGET a a"), bulks({"1", "1"}));
}

TEST_F(StringsTest, Mset) {
  EXPECT_EQ(run("SETEX a 100 old"), ok());
  put_list("l");
  EXPECT_EQ(run("MSET a 1 b 2 l 3"), ok());
  EXPECT_EQ(run("MGET a b l"), bulks({"1", "2", "3"}));
  EXPECT_EQ(pttl("a"), -1);
  EXPECT_EQ(run("MSET x 1 x 2"), ok());
  EXPECT_EQ(run("GET x"), bulk("2"));
  const std::string arity = err("ERR wrong number of arguments for 'mset' command");
  EXPECT_EQ(run("MSET"), arity);
  EXPECT_EQ(run("MSET a"), arity);
  EXPECT_EQ(run("MSET a 1 b"), arity);
  EXPECT_EQ(run("GET a"), bulk("1"));
}

TEST_F(StringsTest, Msetnx) {
  EXPECT_EQ(run("SET a 1"), ok());
  EXPECT_EQ(run("MSETNX a 1 c 3"), integer(0));
  EXPECT_EQ(run("GET c"), nil());
  EXPECT_EQ(run("MSETNX c 3 d 4"), integer(1));
  EXPECT_EQ(run("MGET c d"), bulks({"3", "4"}));
  EXPECT_EQ(run("MSETNX e 3 e 4"), integer(1));
  EXPECT_EQ(run("GET e"), bulk("4"));
  put_list("l");
  EXPECT_EQ(run("MSETNX l 1 zz 2"), integer(0));
  EXPECT_EQ(run("GET zz"), nil());
  const std::string arity = err("ERR wrong number of arguments for 'msetnx' command");
  EXPECT_EQ(run("MSETNX"), arity);
  EXPECT_EQ(run("MSETNX a 1 b"), arity);
}

TEST_F(StringsTest, MsetnxTreatsExpiredKeysAsAbsent) {
  EXPECT_EQ(run("SET a 1 PX 1000"), ok());
  engine.advance_clock_for_tests(2000);
  EXPECT_EQ(run("MSETNX a 2 b 3"), integer(1));
  EXPECT_EQ(run("MGET a b"), bulks({"2", "3"}));
  EXPECT_EQ(pttl("a"), -1);
}

// ---- GETDEL / GETEX --------------------------------------------------------------------

TEST_F(StringsTest, Getdel) {
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("GETDEL k"), bulk("v"));
  EXPECT_EQ(run("GETDEL k"), nil());
  EXPECT_EQ(dbsize(), 0u);
  put_list("l");
  EXPECT_EQ(run("GETDEL l"), kWrongType);
  EXPECT_TRUE(is_list("l"));
}

TEST_F(StringsTest, GetexSetsAndRemovesTtl) {
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("GETEX k"), bulk("v"));
  EXPECT_EQ(pttl("k"), -1);
  EXPECT_EQ(run("GETEX k EX 100"), bulk("v"));
  EXPECT_GT(pttl("k"), 99000);
  EXPECT_EQ(run("GETEX k PERSIST"), bulk("v"));
  EXPECT_EQ(pttl("k"), -1);
  EXPECT_EQ(run("GETEX k PX 1500"), bulk("v"));
  EXPECT_GT(pttl("k"), 1000);
  EXPECT_LE(pttl("k"), 1500);
  EXPECT_EQ(run("GETEX k EXAT 33177600000"), bulk("v"));
  EXPECT_EQ(expire_at("k"), 33177600000000);
  EXPECT_EQ(run("GETEX k PXAT 33177600000123"), bulk("v"));
  EXPECT_EQ(expire_at("k"), 33177600000123);
  EXPECT_EQ(run("GETEX k"), bulk("v"));
  EXPECT_EQ(expire_at("k"), 33177600000123);
  EXPECT_EQ(run("GETEX k EX 10 EX 20"), bulk("v"));
  EXPECT_GT(pttl("k"), 19000);
  EXPECT_EQ(run("GETEX k PERSIST PERSIST"), bulk("v"));
  EXPECT_EQ(pttl("k"), -1);
}

TEST_F(StringsTest, GetexExpiresThroughTheClock) {
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("GETEX k PX 5000"), bulk("v"));
  engine.advance_clock_for_tests(4000);
  EXPECT_EQ(run("GET k"), bulk("v"));
  engine.advance_clock_for_tests(1100);
  EXPECT_EQ(run("GETEX k"), nil());
}

TEST_F(StringsTest, GetexPastAbsoluteDeadlineDeletesAtOnce) {
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("GETEX k EXAT 1"), bulk("v"));
  EXPECT_EQ(dbsize(), 0u);  // deleted now, not left to expire
  EXPECT_EQ(engine.stats().expired_keys, 0u);
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("GETEX k PXAT 1"), bulk("v"));
  EXPECT_EQ(run("GET k"), nil());
}

TEST_F(StringsTest, GetexErrors) {
  for (const char* cmd :
       {"GETEX k PX 5000 EX 100", "GETEX k PERSIST EX 10", "GETEX k EX 10 PERSIST",
        "GETEX k KEEPTTL", "GETEX k NX", "GETEX k XX", "GETEX k GET", "GETEX k EX",
        "GETEX k PXAT", "GETEX k FOO", "GETEX nokey FOO"}) {
    EXPECT_EQ(run(cmd), kSyntax) << cmd;
  }
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("GETEX k EX 0"), invalid_expire("getex"));
  EXPECT_EQ(run("GETEX k PX -1"), invalid_expire("getex"));
  EXPECT_EQ(run("GETEX k PX 9223372036854775807"), invalid_expire("getex"));
  EXPECT_EQ(run("GETEX k EX abc"), kNotInt);
  EXPECT_EQ(pttl("k"), -1);
  EXPECT_EQ(run("GETEX"), err("ERR wrong number of arguments for 'getex' command"));
}

TEST_F(StringsTest, GetexChecksTheKeyBeforeTheExpireTime) {
  EXPECT_EQ(run("GETEX nokey EX 0"), nil());
  EXPECT_EQ(run("GETEX nokey EX 9223372036854775"), nil());
  put_list("l");
  EXPECT_EQ(run("GETEX l EX 0"), kWrongType);
  EXPECT_EQ(run("GETEX l"), kWrongType);
}


// ---- OBJECT ENCODING -------------------------------------------------------------------

TEST_F(StringsTest, SetPicksEncodingAsRedis) {
  const std::pair<const char*, const char*> cases[] = {
      {"12345", "int"},
      {"-12", "int"},
      {"01", "embstr"},
      {"1.5", "embstr"},
      {"12345678901234567890", "embstr"},  // 20 digits, but past int64
      {"9223372036854775807", "int"},
      {"-9223372036854775808", "int"},
      {"12345678901234567890123456789012345678901234", "embstr"},  // 44 bytes
      {"123456789012345678901234567890123456789012345", "raw"},    // 45 bytes
  };
  for (const auto& [value, enc] : cases) {
    EXPECT_EQ(run(std::string("SET k ") + value), ok());
    EXPECT_EQ(encoding("k"), enc) << value;
  }
}

TEST_F(StringsTest, EveryWriterPicksEncodingAsRedis) {
  EXPECT_EQ(run("SETEX a 10 12345"), ok());
  EXPECT_EQ(run("PSETEX b 1000 1234"), ok());
  EXPECT_EQ(run("GETSET c 99"), nil());
  EXPECT_EQ(run("MSET d 7 e abc"), ok());
  EXPECT_EQ(run("SETNX f 77"), integer(1));
  EXPECT_EQ(run("MSETNX g 77"), integer(1));
  for (const char* k : {"a", "b", "c", "d", "f", "g"}) EXPECT_EQ(encoding(k), "int") << k;
  EXPECT_EQ(encoding("e"), "embstr");
}


// ---- Writes touch their key (WATCH) exactly when Redis's do ----------------------------

TEST_F(StringsTest, WritesTouchTheirKey) {
  for (const char* cmd :
       {"SET k 5 XX", "APPEND k \"\"", "SETRANGE k 0 5", "INCRBY k 0", "INCRBYFLOAT k 0",
        "GETEX k EX 100", "GETSET k 5", "MSET k 5", "SETEX k 100 5", "PSETEX k 100 5"}) {
    EXPECT_EQ(run("SET k 5"), ok());
    EXPECT_TRUE(touches_k(cmd)) << cmd;
  }
  EXPECT_EQ(run("SET k 5 EX 100"), ok());
  EXPECT_TRUE(touches_k("GETEX k PERSIST"));
  EXPECT_TRUE(touches_k("GETDEL k"));
}

TEST_F(StringsTest, NoOpsDoNotTouchTheirKey) {
  EXPECT_EQ(run("SET k 5"), ok());
  for (const char* cmd :
       {"SETRANGE k 0 \"\"", "GETEX k PERSIST", "GETEX k", "SET k v NX", "SET k v NX GET",
        "SETNX k 1", "MSETNX k 1", "GETDEL nokey", "GET k", "SET k v EX 0", "INCRBY k x"}) {
    EXPECT_FALSE(touches_k(cmd)) << cmd;
  }
  EXPECT_EQ(engine.stats().dirty, 1u);
}

TEST_F(StringsTest, SetKeyAndGetStatsCountHitsAndMisses) {
  EXPECT_EQ(run("GET k"), nil());
  EXPECT_EQ(run("SET k v"), ok());
  EXPECT_EQ(run("MGET k nokey"), arr({bulk("v"), nil()}));
  EXPECT_EQ(engine.stats().keyspace_hits, 1u);
  EXPECT_EQ(engine.stats().keyspace_misses, 2u);
}

}  // namespace
}  // namespace rill::test
