// Generic key commands through the engine: DEL, UNLINK, EXISTS, TOUCH, TYPE, RENAME,
// RENAMENX, KEYS, SCAN, RANDOMKEY, COPY and MOVE. Expected replies were taken from Redis
// 7.0.15. Expiry commands are in expire_test.cpp, OBJECT in object_test.cpp.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/engine_harness.h"

namespace rill::test {
namespace {

// A stand-in for the container types (not built yet): enough to give a key a type, an
// encoding and a payload that COPY must duplicate.
class FakeObject : public core::Object {
 public:
  FakeObject(std::string enc, std::string payload)
      : enc_(std::move(enc)), payload(std::move(payload)) {}
  std::unique_ptr<core::Object> clone() const override {
    return std::make_unique<FakeObject>(*this);
  }
  std::string_view encoding() const override { return enc_; }

 private:
  std::string enc_;

 public:
  std::string payload;
};

class KeysTest : public EngineTest {
 protected:
  void put_object(std::string_view key, core::Type type, std::string enc,
                  std::string payload = {}, int db = 0) {
    core::Value v;
    v.type = type;
    v.obj = std::make_unique<FakeObject>(std::move(enc), std::move(payload));
    engine.db(db).put(key, std::move(v));
  }
  FakeObject* object_at(std::string_view key, int db = 0) {
    core::Entry* e = engine.db(db).find(key, engine.now_ms());
    return e ? static_cast<FakeObject*>(e->value.obj.get()) : nullptr;
  }

  // A SCAN reply: the next cursor and the keys.
  struct Page {
    std::string cursor;
    std::vector<std::string> keys;
  };
  static Page parse_scan(const std::string& r) {
    Page p;
    size_t pos = 0;
    auto line = [&] {
      size_t end = r.find("\r\n", pos);
      std::string s = r.substr(pos, end - pos);
      pos = end + 2;
      return s;
    };
    auto bulk_at = [&] {
      size_t n = std::stoul(line().substr(1));
      std::string s = r.substr(pos, n);
      pos += n + 2;
      return s;
    };
    EXPECT_EQ(line(), "*2") << r;
    p.cursor = bulk_at();
    size_t n = std::stoul(line().substr(1));
    for (size_t i = 0; i < n; ++i) p.keys.push_back(bulk_at());
    return p;
  }
  // Every key a full SCAN returns, with how many times it came back.
  std::map<std::string, int> scan_all(const std::string& options = "") {
    std::map<std::string, int> seen;
    std::string cursor = "0";
    do {
      Page p = parse_scan(run("SCAN " + cursor + options));
      for (auto& k : p.keys) ++seen[k];
      cursor = p.cursor;
    } while (cursor != "0");
    return seen;
  }
  static std::vector<std::string> sorted_bulks(const std::string& r) {
    std::vector<std::string> out;
    size_t pos = r.find("\r\n") + 2;
    while (pos < r.size()) {
      size_t end = r.find("\r\n", pos);
      size_t n = std::stoul(r.substr(pos + 1, end - pos - 1));
      out.push_back(r.substr(end + 2, n));
      pos = end + 2 + n + 2;
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

// --- DEL, UNLINK, EXISTS, TOUCH, TYPE -------------------------------------------------

TEST_F(KeysTest, DelCountsEachRemovedKeyOnce) {
  run("SET a 1");
  run("SET b 2");
  EXPECT_EQ(run("DEL a a b nokey"), integer(2));
  EXPECT_EQ(run("EXISTS a b"), integer(0));
  EXPECT_EQ(run("DEL a"), integer(0));
  EXPECT_EQ(run("DEL"), err("ERR wrong number of arguments for 'del' command"));
}

TEST_F(KeysTest, UnlinkDeletesLikeDel) {
  run("SET a 1");
  put_object("l", core::Type::kList, "quicklist");
  EXPECT_EQ(run("UNLINK a l nokey"), integer(2));
  EXPECT_EQ(run("EXISTS a l"), integer(0));
  EXPECT_EQ(run("UNLINK"), err("ERR wrong number of arguments for 'unlink' command"));
}

TEST_F(KeysTest, ExistsCountsDuplicates) {
  run("SET a 1");
  run("SET b 2");
  EXPECT_EQ(run("EXISTS a a b nokey"), integer(3));
  EXPECT_EQ(run("EXISTS nokey"), integer(0));
}

TEST_F(KeysTest, TouchCountsExistingKeysWithDuplicates) {
  run("SET a 1");
  EXPECT_EQ(run("TOUCH a a nokey"), integer(2));
  EXPECT_EQ(run("TOUCH nokey"), integer(0));
}

TEST_F(KeysTest, TypeNamesEveryTypeAsASimpleString) {
  run("SET s v");
  put_object("l", core::Type::kList, "quicklist");
  put_object("st", core::Type::kSet, "hashtable");
  put_object("z", core::Type::kZSet, "listpack");
  put_object("h", core::Type::kHash, "listpack");
  put_object("x", core::Type::kStream, "stream");
  EXPECT_EQ(run("TYPE s"), "+string\r\n");
  EXPECT_EQ(run("TYPE l"), simple("list"));
  EXPECT_EQ(run("TYPE st"), simple("set"));
  EXPECT_EQ(run("TYPE z"), simple("zset"));
  EXPECT_EQ(run("TYPE h"), simple("hash"));
  EXPECT_EQ(run("TYPE x"), simple("stream"));
  EXPECT_EQ(run("TYPE nokey"), simple("none"));
}

TEST_F(KeysTest, DelTouchesWatchers) {
  core::Session other;
  attach(other);
  run("SET a 1");
  EXPECT_EQ(run("WATCH a"), ok());
  EXPECT_EQ(run_as(other, "DEL nokey"), integer(0));
  EXPECT_FALSE(session.watch_dirty);
  EXPECT_EQ(run_as(other, "DEL a"), integer(1));
  EXPECT_TRUE(session.watch_dirty);
  detach(other);
}

// --- RENAME, RENAMENX ---------------------------------------------------------------

TEST_F(KeysTest, RenameMissingKeyIsAnErrorEvenOntoItself) {
  EXPECT_EQ(run("RENAME a b"), err("ERR no such key"));
  EXPECT_EQ(run("RENAMENX a b"), err("ERR no such key"));
  EXPECT_EQ(run("RENAME a a"), err("ERR no such key"));
  EXPECT_EQ(run("RENAMENX a a"), err("ERR no such key"));
}

TEST_F(KeysTest, RenameOntoItselfChangesNothing) {
  run("SET a 1");
  run("EXPIRE a 100");
  EXPECT_EQ(run("RENAME a a"), ok());
  EXPECT_EQ(run("RENAMENX a a"), integer(0));
  EXPECT_EQ(run("GET a"), bulk("1"));
  EXPECT_EQ(run("TTL a"), integer(100));
}

TEST_F(KeysTest, RenameMovesValueAndTtlAndReplacesDestination) {
  run("SET a 1");
  run("EXPIRE a 100");
  run("SET b 2");
  EXPECT_EQ(run("RENAME a b"), ok());
  EXPECT_EQ(run("EXISTS a"), integer(0));
  EXPECT_EQ(run("GET b"), bulk("1"));
  EXPECT_EQ(run("TTL b"), integer(100));
}

TEST_F(KeysTest, RenameDropsTheDestinationsOwnTtl) {
  run("SET f 1");
  run("EXPIRE f 70");
  run("SET g 2");
  EXPECT_EQ(run("RENAME g f"), ok());
  EXPECT_EQ(run("TTL f"), integer(-1));
  EXPECT_EQ(run("GET f"), bulk("2"));
}

TEST_F(KeysTest, RenameKeepsTypeAndValueOfContainers) {
  put_object("l", core::Type::kList, "quicklist", "payload");
  EXPECT_EQ(run("RENAME l m"), ok());
  EXPECT_EQ(run("TYPE m"), simple("list"));
  ASSERT_NE(object_at("m"), nullptr);
  EXPECT_EQ(object_at("m")->payload, "payload");
}

TEST_F(KeysTest, RenamenxOnlyWhenDestinationIsFree) {
  run("SET b 1");
  run("EXPIRE b 100");
  run("SET c 3");
  EXPECT_EQ(run("RENAMENX b c"), integer(0));
  EXPECT_EQ(run("GET b"), bulk("1"));
  EXPECT_EQ(run("GET c"), bulk("3"));
  EXPECT_EQ(run("RENAMENX b d"), integer(1));
  EXPECT_EQ(run("TTL d"), integer(100));
  EXPECT_EQ(run("EXISTS b"), integer(0));
}

TEST_F(KeysTest, RenameOntoAnExpiredKeyTreatsItAsFree) {
  run("SET a 1");
  run("SET b 2");
  run("PEXPIRE b 10");
  engine.advance_clock_for_tests(20);
  EXPECT_EQ(run("RENAMENX a b"), integer(1));
  EXPECT_EQ(run("GET b"), bulk("1"));
  EXPECT_EQ(run("TTL b"), integer(-1));
}

TEST_F(KeysTest, RenameTouchesSourceAndDestinationWatchers) {
  core::Session w1, w2, other;
  attach(w1);
  attach(w2);
  attach(other);
  run("SET a 1");
  EXPECT_EQ(run_as(w1, "WATCH a"), ok());
  EXPECT_EQ(run_as(w2, "WATCH b"), ok());
  EXPECT_EQ(run_as(other, "RENAME a b"), ok());
  EXPECT_TRUE(w1.watch_dirty);
  EXPECT_TRUE(w2.watch_dirty);
  detach(w1);
  detach(w2);
  detach(other);
}

// --- KEYS ----------------------------------------------------------------------------

TEST_F(KeysTest, KeysMatchesGlobPatterns) {
  for (const char* k : {"a", "b", "c", "hello", "hallo", "hxllo", "h*llo"}) {
    run({"SET", k, "1"});
  }
  EXPECT_EQ(sorted_bulks(run("KEYS *")),
            (std::vector<std::string>{"a", "b", "c", "h*llo", "hallo", "hello", "hxllo"}));
  EXPECT_EQ(sorted_bulks(run("KEYS [ab]")), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(sorted_bulks(run("KEYS h?llo")),
            (std::vector<std::string>{"h*llo", "hallo", "hello", "hxllo"}));
  EXPECT_EQ(sorted_bulks(run("KEYS h[^e]llo")),
            (std::vector<std::string>{"h*llo", "hallo", "hxllo"}));
  EXPECT_EQ(run({"KEYS", "h\\*llo"}), bulks({"h*llo"}));
  EXPECT_EQ(run("KEYS nothing*"), arr({}));
}

TEST_F(KeysTest, KeysSkipsExpiredKeys) {
  run("SET live 1");
  run("SET dying 1");
  run("PEXPIRE dying 10");
  engine.advance_clock_for_tests(20);
  EXPECT_EQ(run("KEYS *"), bulks({"live"}));
}

// --- SCAN ----------------------------------------------------------------------------

TEST_F(KeysTest, ScanReturnsEveryKeyOnceInAFullIteration) {
  for (int i = 0; i < 500; ++i) run({"SET", "key:" + std::to_string(i), "v"});
  auto seen = scan_all(" COUNT 7");
  EXPECT_EQ(seen.size(), 500u);
  for (const auto& [k, n] : seen) EXPECT_EQ(n, 1) << k;
}

TEST_F(KeysTest, ScanWithTheDefaultCountFinishesASmallTableInOneCall) {
  run("SET a 1");
  run("SET b 1");
  run("SET c 1");
  Page p = parse_scan(run("SCAN 0"));
  EXPECT_EQ(p.cursor, "0");
  std::sort(p.keys.begin(), p.keys.end());
  EXPECT_EQ(p.keys, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(run("FLUSHALL"), ok());
  EXPECT_EQ(run("SCAN 0"), arr({bulk("0"), arr({})}));
}

TEST_F(KeysTest, ScanCoversEveryKeyExactlyOnceWhileTheTableGrows) {
  std::set<std::string> original;
  for (int i = 0; i < 200; ++i) {
    original.insert("orig:" + std::to_string(i));
    run({"SET", "orig:" + std::to_string(i), "v"});
  }
  std::map<std::string, int> seen;
  std::string cursor = "0";
  int added = 0, calls = 0;
  const size_t keys_before = engine.db(0).size();
  do {
    Page p = parse_scan(run("SCAN " + cursor + " COUNT 5"));
    for (auto& k : p.keys) ++seen[k];
    cursor = p.cursor;
    // Grow the table between calls: several doublings happen mid-scan.
    for (int j = 0; j < 40; ++j) run({"SET", "new:" + std::to_string(added++), "v"});
    ++calls;
  } while (cursor != "0");
  ASSERT_GT(engine.db(0).size(), keys_before * 8);  // at least three doublings
  EXPECT_GT(calls, 3);
  for (const auto& k : original) EXPECT_EQ(seen[k], 1) << k;
}

TEST_F(KeysTest, ScanCoversEveryRemainingKeyWhileTheTableShrinks) {
  for (int i = 0; i < 2000; ++i) run({"SET", "gone:" + std::to_string(i), "v"});
  std::set<std::string> kept;
  for (int i = 0; i < 50; ++i) {
    kept.insert("kept:" + std::to_string(i));
    run({"SET", "kept:" + std::to_string(i), "v"});
  }
  std::map<std::string, int> seen;
  std::string cursor = "0";
  int deleted = 0;
  do {
    Page p = parse_scan(run("SCAN " + cursor + " COUNT 20"));
    for (auto& k : p.keys) ++seen[k];
    cursor = p.cursor;
    for (int j = 0; j < 400 && deleted < 2000; ++j) run({"DEL", "gone:" + std::to_string(deleted++)});
    engine.cron();  // shrinks the sparse table
  } while (cursor != "0");
  // Shrinking may repeat a key, never lose one.
  for (const auto& k : kept) EXPECT_GE(seen[k], 1) << k;
}

TEST_F(KeysTest, ScanMatchAndTypeFilter) {
  run("SET a1 v");
  run("SET a2 v");
  run("SET b1 v");
  put_object("al", core::Type::kList, "quicklist");
  EXPECT_EQ(scan_all(" MATCH a*"), (std::map<std::string, int>{{"a1", 1}, {"a2", 1}, {"al", 1}}));
  EXPECT_EQ(scan_all(" TYPE LIST"), (std::map<std::string, int>{{"al", 1}}));
  EXPECT_EQ(scan_all(" type string match a*"),
            (std::map<std::string, int>{{"a1", 1}, {"a2", 1}}));
  EXPECT_EQ(scan_all(" MATCH * COUNT 1000"),
            (std::map<std::string, int>{{"a1", 1}, {"a2", 1}, {"al", 1}, {"b1", 1}}));
  // An unknown type matches nothing (Redis 7.0 does not reject it).
  EXPECT_EQ(run("SCAN 0 TYPE foo"), arr({bulk("0"), arr({})}));
}

TEST_F(KeysTest, ScanSkipsAndDeletesExpiredKeys) {
  run("SET live v");
  run("SET dying v");
  run("PEXPIRE dying 10");
  engine.advance_clock_for_tests(20);
  EXPECT_EQ(scan_all(), (std::map<std::string, int>{{"live", 1}}));
  EXPECT_EQ(engine.db(0).size(), 1u);
  EXPECT_EQ(engine.stats().expired_keys, 1u);
}

TEST_F(KeysTest, ScanOptionErrors) {
  EXPECT_EQ(run("SCAN 0 COUNT 0"), err("ERR syntax error"));
  EXPECT_EQ(run("SCAN 0 COUNT -1"), err("ERR syntax error"));
  EXPECT_EQ(run("SCAN 0 COUNT abc"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("SCAN 0 COUNT 9223372036854775808"),
            err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("SCAN 0 COUNT"), err("ERR syntax error"));
  EXPECT_EQ(run("SCAN 0 MATCH"), err("ERR syntax error"));
  EXPECT_EQ(run("SCAN 0 TYPE"), err("ERR syntax error"));
  EXPECT_EQ(run("SCAN 0 foo bar"), err("ERR syntax error"));
  EXPECT_EQ(run("SCAN 0 COUNT 0 foo"), err("ERR syntax error"));
  EXPECT_EQ(run("SCAN"), err("ERR wrong number of arguments for 'scan' command"));
  run("SET a v");
  EXPECT_EQ(run("SCAN 0 COUNT 9223372036854775807"), arr({bulk("0"), bulks({"a"})}));
}

TEST_F(KeysTest, ScanCursorIsReadLikeStrtoul) {
  run("SET a v");
  const std::string all = arr({bulk("0"), bulks({"a"})});
  EXPECT_EQ(run("SCAN abc"), err("ERR invalid cursor"));
  EXPECT_EQ(run("SCAN abc COUNT 0"), err("ERR invalid cursor"));  // cursor checked first
  EXPECT_EQ(run({"SCAN", " 0"}), err("ERR invalid cursor"));
  EXPECT_EQ(run({"SCAN", "0 "}), err("ERR invalid cursor"));
  EXPECT_EQ(run("SCAN 0x1"), err("ERR invalid cursor"));
  EXPECT_EQ(run("SCAN +"), err("ERR invalid cursor"));
  EXPECT_EQ(run("SCAN 18446744073709551616"), err("ERR invalid cursor"));
  EXPECT_EQ(run({"SCAN", ""}), all);
  EXPECT_EQ(run("SCAN +0"), all);
  EXPECT_EQ(run("SCAN -0"), all);
  // Accepted and meaningful only as bucket positions: they must not crash or error.
  EXPECT_EQ(run("SCAN 18446744073709551615").substr(0, 8), "*2\r\n$1\r\n");
  EXPECT_EQ(run("SCAN -1").substr(0, 8), "*2\r\n$1\r\n");
  EXPECT_EQ(run("SCAN 007").substr(0, 8), "*2\r\n$1\r\n");
}

// --- RANDOMKEY -----------------------------------------------------------------------

TEST_F(KeysTest, RandomkeyIsNilOnAnEmptyDatabase) {
  EXPECT_EQ(run("RANDOMKEY"), nil());
  run("SET a 1");
  EXPECT_EQ(run("RANDOMKEY"), bulk("a"));
  run("SELECT 5");
  EXPECT_EQ(run("RANDOMKEY"), nil());
}

TEST_F(KeysTest, RandomkeyNeverReturnsAnExpiredKey) {
  for (int i = 0; i < 100; ++i) {
    run({"SET", "t" + std::to_string(i), "v"});
    run({"PEXPIRE", "t" + std::to_string(i), "10"});
  }
  run("SET keeper v");
  engine.advance_clock_for_tests(20);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(run("RANDOMKEY"), bulk("keeper"));
  run("DEL keeper");
  for (int i = 0; i < 10; ++i) {
    run({"SET", "u" + std::to_string(i), "v"});
    run({"PEXPIRE", "u" + std::to_string(i), "10"});
  }
  engine.advance_clock_for_tests(20);
  EXPECT_EQ(run("RANDOMKEY"), nil());
  EXPECT_EQ(engine.db(0).size(), 0u);
}

TEST_F(KeysTest, RandomkeyReachesEveryKey) {
  for (int i = 0; i < 5; ++i) run({"SET", "k" + std::to_string(i), "v"});
  std::set<std::string> seen;
  for (int i = 0; i < 500 && seen.size() < 5; ++i) seen.insert(run("RANDOMKEY"));
  EXPECT_EQ(seen.size(), 5u);
}

// --- COPY ----------------------------------------------------------------------------

TEST_F(KeysTest, CopyWithinADatabase) {
  run("SET a 1");
  EXPECT_EQ(run("COPY a a"), err("ERR source and destination objects are the same"));
  EXPECT_EQ(run("COPY a a DB 0"), err("ERR source and destination objects are the same"));
  EXPECT_EQ(run("COPY nokey nokey"), err("ERR source and destination objects are the same"));
  EXPECT_EQ(run("COPY nokey x"), integer(0));
  EXPECT_EQ(run("COPY a b"), integer(1));
  EXPECT_EQ(run("GET b"), bulk("1"));
  run("SET a 2");
  EXPECT_EQ(run("COPY a b"), integer(0));
  EXPECT_EQ(run("GET b"), bulk("1"));
  EXPECT_EQ(run("COPY a b replace REPLACE"), integer(1));
  EXPECT_EQ(run("GET b"), bulk("2"));
}

TEST_F(KeysTest, CopyToAnotherDatabase) {
  run("SET a 1");
  EXPECT_EQ(run("COPY a a DB 1"), integer(1));
  EXPECT_EQ(run("COPY a a db 1"), integer(0));
  EXPECT_EQ(run("COPY a a DB 1 REPLACE"), integer(1));
  EXPECT_EQ(run("COPY a b DB 2 DB 3"), integer(1));  // the last DB wins
  run("SELECT 3");
  EXPECT_EQ(run("GET b"), bulk("1"));
  run("SELECT 2");
  EXPECT_EQ(run("EXISTS b"), integer(0));
  run("SELECT 1");
  EXPECT_EQ(run("GET a"), bulk("1"));
}

TEST_F(KeysTest, CopyOptionErrorsInArgumentOrder) {
  run("SET a 1");
  EXPECT_EQ(run("COPY a b DB"), err("ERR syntax error"));
  EXPECT_EQ(run("COPY a b foo"), err("ERR syntax error"));
  EXPECT_EQ(run("COPY a b DB abc"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("COPY a b DB 16"), err("ERR DB index is out of range"));
  EXPECT_EQ(run("COPY a b DB -1"), err("ERR DB index is out of range"));
  EXPECT_EQ(run("COPY a b DB 99999999999"),
            err("ERR value is out of range, value must between -2147483648 and 2147483647"));
  EXPECT_EQ(run("COPY nokey b DB 16"), err("ERR DB index is out of range"));
  EXPECT_EQ(run("COPY a b DB 16 foo"), err("ERR DB index is out of range"));
  EXPECT_EQ(run("COPY a b foo DB 16"), err("ERR syntax error"));
  EXPECT_EQ(run("COPY a"), err("ERR wrong number of arguments for 'copy' command"));
  EXPECT_EQ(run("EXISTS b"), integer(0));
}

TEST_F(KeysTest, CopyKeepsTheTtl) {
  run("SET c 1");
  run("PEXPIRE c 100000");
  EXPECT_EQ(run("COPY c d"), integer(1));
  EXPECT_EQ(run("PEXPIRETIME d"), run("PEXPIRETIME c"));
  EXPECT_EQ(run("COPY c e DB 2"), integer(1));
  std::string deadline = run("PEXPIRETIME c");
  run("SELECT 2");
  EXPECT_EQ(run("PEXPIRETIME e"), deadline);
}

TEST_F(KeysTest, CopyReplaceDropsTheDestinationsTtl) {
  run("SET a 1");
  run("SET b 2");
  run("EXPIRE b 100");
  EXPECT_EQ(run("COPY a b REPLACE"), integer(1));
  EXPECT_EQ(run("TTL b"), integer(-1));
}

TEST_F(KeysTest, CopyDuplicatesContainersAndEncodings) {
  put_object("l", core::Type::kList, "quicklist", "orig");
  EXPECT_EQ(run("COPY l l2"), integer(1));
  EXPECT_EQ(run("TYPE l2"), simple("list"));
  EXPECT_EQ(run("OBJECT ENCODING l2"), bulk("quicklist"));
  object_at("l2")->payload = "changed";
  EXPECT_EQ(object_at("l")->payload, "orig");
  run("SET big 123456789012345678901234567890123456789012345");
  EXPECT_EQ(run("COPY big big2"), integer(1));
  EXPECT_EQ(run("OBJECT ENCODING big2"), bulk("raw"));
}

TEST_F(KeysTest, CopyTouchesOnlyTheDestination) {
  core::Session ws, wd, other;
  attach(ws);
  attach(wd);
  attach(other);
  run("SET a 1");
  EXPECT_EQ(run_as(ws, "WATCH a"), ok());
  run_as(wd, "SELECT 1");
  EXPECT_EQ(run_as(wd, "WATCH b"), ok());
  EXPECT_EQ(run_as(other, "COPY a b DB 1"), integer(1));
  EXPECT_FALSE(ws.watch_dirty);
  EXPECT_TRUE(wd.watch_dirty);
  detach(ws);
  detach(wd);
  detach(other);
}

// --- MOVE ----------------------------------------------------------------------------

TEST_F(KeysTest, MoveErrors) {
  run("SET a 1");
  EXPECT_EQ(run("MOVE a 0"), err("ERR source and destination objects are the same"));
  EXPECT_EQ(run("MOVE nokey 0"), err("ERR source and destination objects are the same"));
  EXPECT_EQ(run("MOVE a 16"), err("ERR DB index is out of range"));
  EXPECT_EQ(run("MOVE nokey 16"), err("ERR DB index is out of range"));
  EXPECT_EQ(run("MOVE a -1"), err("ERR DB index is out of range"));
  EXPECT_EQ(run("MOVE a abc"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("MOVE a 99999999999"),
            err("ERR value is out of range, value must between -2147483648 and 2147483647"));
  EXPECT_EQ(run("MOVE a"), err("ERR wrong number of arguments for 'move' command"));
  EXPECT_EQ(run("GET a"), bulk("1"));
}

TEST_F(KeysTest, MoveCarriesValueAndTtl) {
  run("SET a 1");
  run("EXPIRE a 100");
  EXPECT_EQ(run("MOVE nokey 1"), integer(0));
  EXPECT_EQ(run("MOVE a 1"), integer(1));
  EXPECT_EQ(run("EXISTS a"), integer(0));
  run("SELECT 1");
  EXPECT_EQ(run("GET a"), bulk("1"));
  EXPECT_EQ(run("TTL a"), integer(100));
}

TEST_F(KeysTest, MoveRefusesAnOccupiedDestination) {
  run("SELECT 1");
  run("SET b x");
  run("SELECT 0");
  run("SET b y");
  EXPECT_EQ(run("MOVE b 1"), integer(0));
  EXPECT_EQ(run("GET b"), bulk("y"));
  run("SELECT 1");
  EXPECT_EQ(run("GET b"), bulk("x"));
}

TEST_F(KeysTest, MoveTouchesBothDatabases) {
  core::Session w0, w1, other;
  attach(w0);
  attach(w1);
  attach(other);
  run("SET a 1");
  EXPECT_EQ(run_as(w0, "WATCH a"), ok());
  run_as(w1, "SELECT 1");
  EXPECT_EQ(run_as(w1, "WATCH a"), ok());
  EXPECT_EQ(run_as(other, "MOVE a 1"), integer(1));
  EXPECT_TRUE(w0.watch_dirty);
  EXPECT_TRUE(w1.watch_dirty);
  detach(w0);
  detach(w1);
  detach(other);
}

}  // namespace
}  // namespace rill::test
