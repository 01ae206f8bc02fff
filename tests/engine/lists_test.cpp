// The non-blocking list commands through the engine, replies as Redis 7.0 gives them.
#include "support/engine_harness.h"

namespace rill::test {
namespace {

class ListsTest : public EngineTest {
 protected:
  std::string resp3(std::string_view line) {
    session.proto = 3;
    std::string r = run(line);
    session.proto = 2;
    return r;
  }
};

TEST_F(ListsTest, PushesReturnTheLengthAndKeepOrder) {
  EXPECT_EQ(run("RPUSH l a b c"), integer(3));
  EXPECT_EQ(run("LPUSH l z y"), integer(5));
  EXPECT_EQ(run("LRANGE l 0 -1"), bulks({"y", "z", "a", "b", "c"}));
  EXPECT_EQ(run("LPUSHX l x"), integer(6));
  EXPECT_EQ(run("RPUSHX l d e"), integer(8));
  EXPECT_EQ(run("LPUSHX nokey a"), integer(0));
  EXPECT_EQ(run("RPUSHX nokey a"), integer(0));
  EXPECT_EQ(run("EXISTS nokey"), integer(0));
  EXPECT_EQ(run("LLEN l"), integer(8));
  EXPECT_EQ(run("LLEN nokey"), integer(0));
  EXPECT_EQ(run("TYPE l"), simple("list"));
  EXPECT_EQ(run("OBJECT ENCODING l"), bulk("quicklist"));
}

TEST_F(ListsTest, PopsWithAndWithoutCount) {
  run("RPUSH l a b c d e");
  EXPECT_EQ(run("LPOP l"), bulk("a"));
  EXPECT_EQ(run("RPOP l"), bulk("e"));
  EXPECT_EQ(run("LPOP l 2"), bulks({"b", "c"}));
  EXPECT_EQ(run("LPOP l 0"), arr({}));
  EXPECT_EQ(run("RPOP l 10"), bulks({"d"}));
  EXPECT_EQ(run("EXISTS l"), integer(0));  // emptied: deleted
  EXPECT_EQ(run("LPOP l"), nil());
  EXPECT_EQ(run("LPOP l 0"), nil_array());
  EXPECT_EQ(run("RPOP l 3"), nil_array());
  EXPECT_EQ(resp3("LPOP l"), "_\r\n");
  EXPECT_EQ(resp3("LPOP l 2"), "_\r\n");
}

TEST_F(ListsTest, PopCountErrors) {
  run("RPUSH l a");
  EXPECT_EQ(run("LPOP l -1"), err("ERR value is out of range, must be positive"));
  EXPECT_EQ(run("RPOP l x"), err("ERR value is out of range, must be positive"));
  EXPECT_EQ(run("LPOP l 1 2"), err("ERR wrong number of arguments for 'lpop' command"));
  EXPECT_EQ(run("RPOP l 1 2"), err("ERR wrong number of arguments for 'rpop' command"));
  run("SET s x");
  EXPECT_EQ(run("LPOP s -1"), err("ERR value is out of range, must be positive"));  // first
  EXPECT_EQ(run("LPOP s 0"), err("WRONGTYPE Operation against a key holding the wrong kind of value"));
}

TEST_F(ListsTest, WrongTypeEverywhere) {
  run("SET s x");
  const std::string wrong = err("WRONGTYPE Operation against a key holding the wrong kind of value");
  for (const char* line :
       {"LPUSH s a", "RPUSH s a", "LPUSHX s a", "RPUSHX s a", "LPOP s", "RPOP s 2", "LLEN s",
        "LRANGE s 0 -1", "LINDEX s 0", "LINDEX s x", "LSET s 0 a", "LSET s x a",
        "LINSERT s BEFORE a b", "LREM s 0 a", "LTRIM s 0 1", "LPOS s a", "LMOVE s l LEFT LEFT",
        "RPOPLPUSH s l", "LMPOP 2 nokey s LEFT", "BLPOP s 1", "BLMPOP 1 1 s LEFT"}) {
    EXPECT_EQ(run(line), wrong) << line;
  }
  EXPECT_EQ(run("GET s"), bulk("x"));
}

TEST_F(ListsTest, RangesAndIndexes) {
  run("RPUSH l a b c d e");
  EXPECT_EQ(run("LRANGE l 1 3"), bulks({"b", "c", "d"}));
  EXPECT_EQ(run("LRANGE l -2 -1"), bulks({"d", "e"}));
  EXPECT_EQ(run("LRANGE l -100 100"), bulks({"a", "b", "c", "d", "e"}));
  EXPECT_EQ(run("LRANGE l 3 1"), arr({}));
  EXPECT_EQ(run("LRANGE l 5 10"), arr({}));
  EXPECT_EQ(run("LRANGE l 9223372036854775807 -9223372036854775808"), arr({}));
  EXPECT_EQ(run("LRANGE l x 1"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("LRANGE nokey 0 -1"), arr({}));
  EXPECT_EQ(run("LINDEX l 0"), bulk("a"));
  EXPECT_EQ(run("LINDEX l -1"), bulk("e"));
  EXPECT_EQ(run("LINDEX l 5"), nil());
  EXPECT_EQ(run("LINDEX l -6"), nil());
  EXPECT_EQ(run("LINDEX l x"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("LINDEX nokey x"), nil());  // the key is looked up before the index is read
}

TEST_F(ListsTest, LsetErrors) {
  run("RPUSH l a b c");
  EXPECT_EQ(run("LSET l 0 A"), ok());
  EXPECT_EQ(run("LSET l -1 C"), ok());
  EXPECT_EQ(run("LSET l 3 x"), err("ERR index out of range"));
  EXPECT_EQ(run("LSET l -4 x"), err("ERR index out of range"));
  EXPECT_EQ(run("LSET l x x"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("LSET nokey 0 a"), err("ERR no such key"));
  EXPECT_EQ(run("LSET nokey x a"), err("ERR no such key"));
  EXPECT_EQ(run("LRANGE l 0 -1"), bulks({"A", "b", "C"}));
}

TEST_F(ListsTest, Linsert) {
  run("RPUSH l a b c");
  EXPECT_EQ(run("LINSERT l BEFORE b X"), integer(4));
  EXPECT_EQ(run("LINSERT l after b Y"), integer(5));
  EXPECT_EQ(run("LINSERT l BEFORE a first"), integer(6));
  EXPECT_EQ(run("LINSERT l AFTER c last"), integer(7));
  EXPECT_EQ(run("LINSERT l BEFORE nothere X"), integer(-1));
  EXPECT_EQ(run("LINSERT l MIDDLE b X"), err("ERR syntax error"));
  EXPECT_EQ(run("LINSERT nokey BEFORE a b"), integer(0));
  EXPECT_EQ(run("LINSERT nokey MIDDLE a b"), err("ERR syntax error"));
  EXPECT_EQ(run("LRANGE l 0 -1"), bulks({"first", "a", "X", "b", "Y", "c", "last"}));
}

TEST_F(ListsTest, LremFromHeadTailOrAll) {
  run("RPUSH l a b a c a d a");
  EXPECT_EQ(run("LREM l 2 a"), integer(2));
  EXPECT_EQ(run("LRANGE l 0 -1"), bulks({"b", "c", "a", "d", "a"}));
  EXPECT_EQ(run("LREM l -1 a"), integer(1));
  EXPECT_EQ(run("LRANGE l 0 -1"), bulks({"b", "c", "a", "d"}));
  EXPECT_EQ(run("LREM l 0 a"), integer(1));
  EXPECT_EQ(run("LREM l 0 zz"), integer(0));
  EXPECT_EQ(run("LREM l x a"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("LREM nokey 0 a"), integer(0));
  EXPECT_EQ(run("LREM l -9223372036854775808 b"), integer(1));
  EXPECT_EQ(run("LREM l 0 c"), integer(1));
  EXPECT_EQ(run("LREM l 0 d"), integer(1));
  EXPECT_EQ(run("EXISTS l"), integer(0));
}

TEST_F(ListsTest, Ltrim) {
  run("RPUSH l 0 1 2 3 4 5 6 7 8 9");
  EXPECT_EQ(run("LTRIM l 1 -2"), ok());
  EXPECT_EQ(run("LRANGE l 0 -1"), bulks({"1", "2", "3", "4", "5", "6", "7", "8"}));
  EXPECT_EQ(run("LTRIM l -3 100"), ok());
  EXPECT_EQ(run("LRANGE l 0 -1"), bulks({"6", "7", "8"}));
  EXPECT_EQ(run("LTRIM l x 1"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("LTRIM nokey 0 1"), ok());
  EXPECT_EQ(run("LTRIM l 2 1"), ok());
  EXPECT_EQ(run("EXISTS l"), integer(0));
}

TEST_F(ListsTest, LposOptions) {
  run("RPUSH l a b c a b c a");
  EXPECT_EQ(run("LPOS l a"), integer(0));
  EXPECT_EQ(run("LPOS l c"), integer(2));
  EXPECT_EQ(run("LPOS l zz"), nil());
  EXPECT_EQ(run("LPOS l a RANK 2"), integer(3));
  EXPECT_EQ(run("LPOS l a RANK -1"), integer(6));
  EXPECT_EQ(run("LPOS l a RANK -2"), integer(3));
  EXPECT_EQ(run("LPOS l a RANK 4"), nil());
  EXPECT_EQ(run("LPOS l a RANK -9223372036854775808"), integer(6));
  EXPECT_EQ(run("LPOS l a COUNT 0"), arr({integer(0), integer(3), integer(6)}));
  EXPECT_EQ(run("LPOS l a COUNT 2 RANK -1"), arr({integer(6), integer(3)}));
  EXPECT_EQ(run("LPOS l a COUNT 0 RANK 2"), arr({integer(3), integer(6)}));
  EXPECT_EQ(run("LPOS l a MAXLEN 2 COUNT 0"), arr({integer(0)}));
  EXPECT_EQ(run("LPOS l a RANK 2 MAXLEN 3"), nil());
  EXPECT_EQ(run("LPOS l zz COUNT 0"), arr({}));
  EXPECT_EQ(run("LPOS nokey a"), nil());
  EXPECT_EQ(run("LPOS nokey a COUNT 0"), arr({}));
  EXPECT_EQ(resp3("LPOS l zz"), "_\r\n");
}

TEST_F(ListsTest, LposErrors) {
  run("RPUSH l a");
  EXPECT_EQ(run("LPOS l a RANK 0"),
            err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                "second ... or use negative to start from the end of the list"));
  EXPECT_EQ(run("LPOS nokey a RANK 0"), run("LPOS l a RANK 0"));  // before the lookup
  EXPECT_EQ(run("LPOS l a RANK x"), err("ERR value is not an integer or out of range"));
  EXPECT_EQ(run("LPOS l a COUNT -1"), err("ERR COUNT can't be negative"));
  EXPECT_EQ(run("LPOS l a COUNT x"), err("ERR COUNT can't be negative"));
  EXPECT_EQ(run("LPOS l a MAXLEN -1"), err("ERR MAXLEN can't be negative"));
  EXPECT_EQ(run("LPOS l a MAXLEN x"), err("ERR MAXLEN can't be negative"));
  EXPECT_EQ(run("LPOS l a FOO 1"), err("ERR syntax error"));
  EXPECT_EQ(run("LPOS l a RANK"), err("ERR syntax error"));
  EXPECT_EQ(run("LPOS l a COUNT -1 RANK 0"), err("ERR COUNT can't be negative"));
}

TEST_F(ListsTest, LmoveAndRpoplpush) {
  run("RPUSH src a b c");
  EXPECT_EQ(run("LMOVE src dst LEFT RIGHT"), bulk("a"));
  EXPECT_EQ(run("LMOVE src dst RIGHT LEFT"), bulk("c"));
  EXPECT_EQ(run("LMOVE src dst left left"), bulk("b"));
  EXPECT_EQ(run("EXISTS src"), integer(0));
  EXPECT_EQ(run("LRANGE dst 0 -1"), bulks({"b", "c", "a"}));
  EXPECT_EQ(run("LMOVE dst dst LEFT RIGHT"), bulk("b"));  // rotation
  EXPECT_EQ(run("LRANGE dst 0 -1"), bulks({"c", "a", "b"}));
  EXPECT_EQ(run("LMOVE dst src UP LEFT"), err("ERR syntax error"));
  EXPECT_EQ(run("LMOVE nokey dst LEFT LEFT"), nil());
  EXPECT_EQ(run("RPOPLPUSH dst src"), bulk("b"));
  EXPECT_EQ(run("RPOPLPUSH nokey dst"), nil());
  EXPECT_EQ(run("RPUSH one x"), integer(1));
  EXPECT_EQ(run("RPOPLPUSH one one"), bulk("x"));  // a one-element rotation keeps its key
  EXPECT_EQ(run("LRANGE one 0 -1"), bulks({"x"}));
  run("SET s x");
  EXPECT_EQ(run("LMOVE dst s LEFT LEFT"),
            err("WRONGTYPE Operation against a key holding the wrong kind of value"));
  EXPECT_EQ(run("LRANGE dst 0 -1"), bulks({"c", "a"}));  // nothing moved
  EXPECT_EQ(run("RPOPLPUSH nokey s"), nil());             // the source is checked first
}

TEST_F(ListsTest, Lmpop) {
  run("RPUSH l a b c d");
  EXPECT_EQ(run("LMPOP 1 l LEFT"), arr({bulk("l"), bulks({"a"})}));
  EXPECT_EQ(run("LMPOP 1 l RIGHT COUNT 2"), arr({bulk("l"), bulks({"d", "c"})}));
  EXPECT_EQ(run("LMPOP 2 nokey l LEFT COUNT 10"), arr({bulk("l"), bulks({"b"})}));
  EXPECT_EQ(run("EXISTS l"), integer(0));
  EXPECT_EQ(run("LMPOP 2 nokey l LEFT"), nil_array());
  EXPECT_EQ(resp3("LMPOP 1 l LEFT"), "_\r\n");
  EXPECT_EQ(run("LMPOP 0 l LEFT"), err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(run("LMPOP x l LEFT"), err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(run("LMPOP 2 l LEFT"), err("ERR syntax error"));
  EXPECT_EQ(run("LMPOP 1 l MIDDLE"), err("ERR syntax error"));
  EXPECT_EQ(run("LMPOP 1 l LEFT COUNT 0"), err("ERR count should be greater than 0"));
  EXPECT_EQ(run("LMPOP 1 l LEFT COUNT x"), err("ERR count should be greater than 0"));
  EXPECT_EQ(run("LMPOP 1 l LEFT COUNT 1 COUNT 2"), err("ERR syntax error"));
  EXPECT_EQ(run("LMPOP 1 l LEFT COUNT"), err("ERR syntax error"));
}

TEST_F(ListsTest, KeyCommandsOnLists) {
  run("RPUSH l a b");
  EXPECT_EQ(run("COPY l c"), integer(1));
  run("RPUSH l z");
  EXPECT_EQ(run("LRANGE c 0 -1"), bulks({"a", "b"}));  // a copy, not a share
  EXPECT_EQ(run("RENAME c r"), ok());
  EXPECT_EQ(run("LRANGE r 0 -1"), bulks({"a", "b"}));
  run("SET s x");
  EXPECT_EQ(run("DEL r"), integer(1));
  EXPECT_EQ(run("SCAN 0 TYPE list COUNT 100"), arr({bulk("0"), bulks({"l"})}));
  EXPECT_EQ(run("DEL l"), integer(1));
}

TEST_F(ListsTest, WritesFailWatchers) {
  core::Session other;
  attach(other);
  run("RPUSH l a b");
  for (const char* write : {"LPUSH l x", "LPOP l", "LSET l 0 y", "LTRIM l 0 0", "LINSERT l BEFORE y z",
                            "LREM l 0 z", "RPOPLPUSH l l"}) {
    EXPECT_EQ(run("WATCH l"), ok());
    run_as(other, write);
    EXPECT_EQ(run("MULTI"), ok());
    run("PING");
    EXPECT_EQ(run("EXEC"), nil_array()) << write;
  }
  detach(other);
}

TEST_F(ListsTest, LongListsCrossChunks) {
  std::vector<std::string> push{"RPUSH", "l"};
  for (int i = 0; i < 1000; ++i) push.push_back(std::to_string(i));
  EXPECT_EQ(run(push), integer(1000));
  EXPECT_EQ(run("LINDEX l 500"), bulk("500"));
  EXPECT_EQ(run("LRANGE l 126 129"), bulks({"126", "127", "128", "129"}));
  EXPECT_EQ(run("LPOS l 999"), integer(999));
  EXPECT_EQ(run("LPOS l 0 RANK -1"), integer(0));
  EXPECT_EQ(run("LINSERT l AFTER 127 x"), integer(1001));
  EXPECT_EQ(run("LINDEX l 128"), bulk("x"));
  EXPECT_EQ(run("LTRIM l 128 130"), ok());
  EXPECT_EQ(run("LRANGE l 0 -1"), bulks({"x", "128", "129"}));
}

}  // namespace
}  // namespace rill::test
