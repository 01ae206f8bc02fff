// Keyspace notifications through the engine: one session pattern-subscribed to every keyspace
// and keyevent channel, another running commands. Every expected event, its order and its
// database were taken from Redis 7.0.15 (a `PSUBSCRIBE __key*` client watching the same
// commands); CONFIG's answers and errors too.
#include <string>
#include <vector>

#include "resp/reply_decoder.h"
#include "support/engine_harness.h"

namespace rill::test {
namespace {

class KeyspaceEventsTest : public EngineTest {
 protected:
  KeyspaceEventsTest() {
    attach(sub);
    run_as(sub, "PSUBSCRIBE __key*");
  }
  ~KeyspaceEventsTest() override { detach(sub); }

  // Sets notify-keyspace-events and drops whatever the subscriber had.
  void notify(std::string_view flags) {
    EXPECT_EQ(run({"CONFIG", "SET", "notify-keyspace-events", flags}), ok());
    take(sub);
  }

  // The events the subscriber received since the last call, each as "channel message".
  std::vector<std::string> events() {
    resp::ReplyDecoder d;
    d.feed(take(sub));
    std::vector<std::string> out;
    while (auto r = d.next()) {
      EXPECT_EQ(r->elements.size(), 4u);
      if (r->elements.size() == 4) out.push_back(r->elements[2].str + " " + r->elements[3].str);
    }
    EXPECT_FALSE(d.failed());
    return out;
  }

  std::string config_get() {
    resp::ReplyDecoder d;
    d.feed(run("CONFIG GET notify-keyspace-events"));
    auto r = d.next();
    return r && r->elements.size() == 2 ? r->elements[1].str : "?";
  }

  core::Session sub;
};

using Events = std::vector<std::string>;

TEST_F(KeyspaceEventsTest, OffByDefault) {
  EXPECT_EQ(config_get(), "");
  run("SET k v");
  run("DEL k");
  run("GET nope");
  EXPECT_EQ(events(), Events{});
}

TEST_F(KeyspaceEventsTest, ConfigAnswersTheFlagsInRedisOrder) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"gKE", "gKE"}, {"$lshzxeKE", "$lshzxeKE"}, {"KA", "AK"},  {"EA", "AE"},
      {"KEA", "AKE"}, {"Amn", "Am"},              {"AKEmnd", "AKEm"}, {"dtxe", "xetd"},
      {"gg", "g"},    {"n", "n"},                 {"m", "m"},    {"", ""},
  };
  for (auto [in, out] : cases) {
    SCOPED_TRACE(std::string(in));
    EXPECT_EQ(run({"CONFIG", "SET", "notify-keyspace-events", in}), ok());
    EXPECT_EQ(config_get(), out);
  }
  EXPECT_EQ(run("CONFIG SET notify-keyspace-events KE$"), ok());
  EXPECT_EQ(run("CONFIG SET notify-keyspace-events KEq"),
            err("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
                "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
  EXPECT_EQ(config_get(), "$KE");  // unchanged
}

TEST_F(KeyspaceEventsTest, KeyspaceAndKeyeventChannels) {
  notify("KEA");
  run("SET foo bar");
  EXPECT_EQ(events(), (Events{"__keyspace@0__:foo set", "__keyevent@0__:set foo"}));
  notify("K$");
  run("SET foo bar");
  EXPECT_EQ(events(), Events{"__keyspace@0__:foo set"});
  notify("E$");
  run("SET foo bar");
  EXPECT_EQ(events(), Events{"__keyevent@0__:set foo"});
  notify("A");  // classes but no channel: nothing is published
  run("SET foo bar");
  EXPECT_EQ(events(), Events{});
}

TEST_F(KeyspaceEventsTest, TheFrameAsRedisSendsItInBothProtocols) {
  notify("E$");
  run("SET foo bar");
  EXPECT_EQ(take(sub), bulks({"pmessage", "__key*", "__keyevent@0__:set", "foo"}));
  core::Session sub3;
  attach(sub3);
  run_as(sub3, "HELLO 3");
  run_as(sub3, "SUBSCRIBE __keyevent@0__:set");
  run("SET foo bar");
  EXPECT_EQ(take(sub3), ">3\r\n" + bulk("message") + bulk("__keyevent@0__:set") + bulk("foo"));
  detach(sub3);
}

TEST_F(KeyspaceEventsTest, ClassesMaskEachOther) {
  notify("El");
  run("SET foo bar");
  run("LPUSH mylist a");
  EXPECT_EQ(events(), Events{"__keyevent@0__:lpush mylist"});
}

TEST_F(KeyspaceEventsTest, StringCommands) {
  notify("E$g");
  run("SET k v EX 100");
  run("SET k v NX");  // not set: nothing
  run("SETNX a 1");
  run("SETEX b 10 x");
  run("GETSET a 2");
  run("MSET m1 1 m2 2");
  run("MSETNX m3 1 m4 2");
  run("INCR i");
  run("DECRBY i 2");
  run("INCRBYFLOAT f 1.5");
  run("APPEND ap x");
  run("SETRANGE sr 0 \"\"");  // writes nothing: nothing
  run("SETRANGE sr 2 x");
  EXPECT_EQ(events(),
            (Events{"__keyevent@0__:set k", "__keyevent@0__:expire k", "__keyevent@0__:set a",
                    "__keyevent@0__:set b", "__keyevent@0__:expire b", "__keyevent@0__:set a",
                    "__keyevent@0__:set m1", "__keyevent@0__:set m2", "__keyevent@0__:set m3",
                    "__keyevent@0__:set m4", "__keyevent@0__:incrby i",
                    "__keyevent@0__:incrby i", "__keyevent@0__:incrbyfloat f",
                    "__keyevent@0__:append ap", "__keyevent@0__:setrange sr"}));
  run("GETEX b PERSIST");
  run("GETEX b PERSIST");  // no TTL left: nothing
  run("GETEX b EX 100");
  run("GETEX b EXAT 1");  // already past: deleted
  run("GETDEL a");
  run("GETDEL a");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:persist b", "__keyevent@0__:expire b",
                              "__keyevent@0__:del b", "__keyevent@0__:del a"}));
}

TEST_F(KeyspaceEventsTest, NewKeysComeBeforeTheCommandsOwnEvent) {
  notify("E$ln");
  run("SET k v");
  run("SET k v2");  // exists: no "new"
  run("RPUSH l a");
  run("RPUSH l b");
  run("INCR n");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:new k", "__keyevent@0__:set k",
                              "__keyevent@0__:set k", "__keyevent@0__:new l",
                              "__keyevent@0__:rpush l",
                              "__keyevent@0__:rpush l", "__keyevent@0__:new n",
                              "__keyevent@0__:incrby n"}));
  notify("An");  // "A" leaves "n" out, so it can be added
  EXPECT_EQ(config_get(), "A");
}

TEST_F(KeyspaceEventsTest, KeymissForReadLookupsOnly) {
  notify("Em");
  run("SET k v");
  run("GET nope");
  run("MGET k nope nope2");
  run("EXISTS nope k");
  run("TTL nope");
  run("LRANGE nol 0 1");
  run("XRANGE nos - +");
  run("SET newkey v GET");
  EXPECT_EQ(events(),
            (Events{"__keyevent@0__:keymiss nope", "__keyevent@0__:keymiss nope",
                    "__keyevent@0__:keymiss nope2", "__keyevent@0__:keymiss nope",
                    "__keyevent@0__:keymiss nope", "__keyevent@0__:keymiss nol",
                    "__keyevent@0__:keymiss nos", "__keyevent@0__:keymiss newkey"}));
  // Lookups for writing and OBJECT announce nothing; XREAD looks twice, as Redis does.
  run("OBJECT ENCODING nope");
  run("LPOP nope");
  run("DEL nope");
  run("INCR counter");
  EXPECT_EQ(events(), Events{});
  run("XREAD STREAMS nos 0");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:keymiss nos", "__keyevent@0__:keymiss nos"}));
}

TEST_F(KeyspaceEventsTest, GenericCommands) {
  notify("Egn");
  run("SET k v");
  run("SET k3 x");
  take(sub);
  run("RENAME k k2");
  run("RENAME k2 k3");  // over an existing key: still "new"
  EXPECT_EQ(events(), (Events{"__keyevent@0__:new k2", "__keyevent@0__:rename_from k",
                              "__keyevent@0__:rename_to k2", "__keyevent@0__:new k3",
                              "__keyevent@0__:rename_from k2", "__keyevent@0__:rename_to k3"}));
  run("COPY k3 k5");
  run("COPY k3 k5 DB 1");
  run("MOVE k5 2");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:new k5", "__keyevent@0__:copy_to k5",
                              "__keyevent@1__:new k5", "__keyevent@1__:copy_to k5",
                              "__keyevent@2__:new k5", "__keyevent@0__:move_from k5",
                              "__keyevent@2__:move_to k5"}));
  run("EXPIRE k3 100");
  run("PERSIST k3");
  run("PERSIST k3");
  run("EXPIRE k3 -1");  // in the past: a deletion
  run("EXPIRE nope 10");
  run("SET a 1");
  run("SET b 1");
  take(sub);
  run("DEL a nope b");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:del a", "__keyevent@0__:del b"}));
  run("FLUSHALL");  // no event in Redis 7.0
  EXPECT_EQ(events(), Events{});
}

TEST_F(KeyspaceEventsTest, EventsNameTheSelectedDatabase) {
  notify("KE$");
  run("SELECT 3");
  run("SET k v");
  EXPECT_EQ(events(), (Events{"__keyspace@3__:k set", "__keyevent@3__:set k"}));
}

TEST_F(KeyspaceEventsTest, LazyExpiryIsAnnouncedBeforeWhatFollows) {
  notify("Ex$nm");
  run("SET k v PX 100");
  run("SET j v PX 100");
  take(sub);
  engine.advance_clock_for_tests(200);
  run("GET k");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:expired k", "__keyevent@0__:keymiss k"}));
  run("SET j v2");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:expired j", "__keyevent@0__:new j",
                              "__keyevent@0__:set j"}));
}

TEST_F(KeyspaceEventsTest, ActiveExpiryAnnouncesExpired) {
  notify("Ex");
  run("SET k v PX 100");
  engine.advance_clock_for_tests(200);
  engine.cron();
  EXPECT_EQ(events(), Events{"__keyevent@0__:expired k"});
  notify("Kx");
  run("SELECT 5");
  run("SET k v PX 100");
  engine.advance_clock_for_tests(200);
  engine.cron();
  EXPECT_EQ(events(), Events{"__keyspace@5__:k expired"});
}

TEST_F(KeyspaceEventsTest, EvictionHookAnnouncesEvicted) {
  notify("Ee");
  engine.key_evicted(0, "foo");
  EXPECT_EQ(events(), Events{"__keyevent@0__:evicted foo"});
  EXPECT_EQ(engine.stats().evicted_keys, 1u);
}

TEST_F(KeyspaceEventsTest, ListCommands) {
  notify("Elg");
  run("LPUSH l a b c");
  run("RPUSH l d");
  run("LPUSHX nol a");
  run("LPOP l");
  run("RPOP l 2");
  run("LPOP l 0");
  run("LINSERT l BEFORE b x");
  run("LINSERT l BEFORE zz x");
  run("LSET l 0 y");
  run("LREM l 0 zz");
  run("LREM l 1 y");
  run("LTRIM l 0 100");
  EXPECT_EQ(events(),
            (Events{"__keyevent@0__:lpush l", "__keyevent@0__:rpush l", "__keyevent@0__:lpop l",
                    "__keyevent@0__:rpop l", "__keyevent@0__:linsert l", "__keyevent@0__:lset l",
                    "__keyevent@0__:lrem l", "__keyevent@0__:ltrim l"}));
  run("LMOVE l l2 LEFT RIGHT");  // empties l
  run("LMOVE l l2 LEFT RIGHT");  // nothing to move
  run("LMOVE l2 l2 LEFT RIGHT");
  run("RPOPLPUSH l2 l3");
  run("LMPOP 2 nol l3 LEFT COUNT 5");
  EXPECT_EQ(events(),
            (Events{"__keyevent@0__:rpush l2", "__keyevent@0__:lpop l", "__keyevent@0__:del l",
                    "__keyevent@0__:rpush l2", "__keyevent@0__:lpop l2", "__keyevent@0__:lpush l3",
                    "__keyevent@0__:rpop l2", "__keyevent@0__:del l2", "__keyevent@0__:lpop l3",
                    "__keyevent@0__:del l3"}));
  run("RPUSH q a b c");
  run("LTRIM q 5 10");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:rpush q", "__keyevent@0__:ltrim q",
                              "__keyevent@0__:del q"}));
}

TEST_F(KeyspaceEventsTest, BlockedPopsAnnounceWhenServed) {
  notify("Elgn");
  core::Session waiter, mover;
  attach(waiter);
  attach(mover);
  EXPECT_EQ(run_as(waiter, "BLPOP q 0"), "");
  EXPECT_EQ(run_as(mover, "BLMOVE q2 dst RIGHT LEFT 0"), "");
  run("RPUSH q a b");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:new q", "__keyevent@0__:rpush q",
                              "__keyevent@0__:lpop q"}));
  EXPECT_EQ(take(waiter), bulks({"q", "a"}));
  run("LPUSH q2 x");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:new q2", "__keyevent@0__:lpush q2",
                              "__keyevent@0__:new dst", "__keyevent@0__:lpush dst",
                              "__keyevent@0__:rpop q2", "__keyevent@0__:del q2"}));
  EXPECT_EQ(take(mover), bulk("x"));
  detach(waiter);
  detach(mover);
}

TEST_F(KeyspaceEventsTest, StreamCommands) {
  notify("Etn");
  run("XADD s 1-1 f v");
  run("XADD s MAXLEN 1 2-1 f v");
  run("XADD s MAXLEN 5 3-1 f v");
  run("XADD nos NOMKSTREAM * f v");
  run("XTRIM s MAXLEN 0");
  run("XTRIM s MAXLEN 0");
  run("XADD s 4-1 f v");
  run("XDEL s 4-1");
  run("XDEL s 4-1");
  run("XSETID s 10-1");
  EXPECT_EQ(events(),
            (Events{"__keyevent@0__:new s", "__keyevent@0__:xadd s", "__keyevent@0__:xadd s",
                    "__keyevent@0__:xtrim s", "__keyevent@0__:xadd s", "__keyevent@0__:xtrim s",
                    "__keyevent@0__:xadd s", "__keyevent@0__:xdel s", "__keyevent@0__:xsetid s"}));
  run("XGROUP CREATE s g $");
  run("XGROUP CREATE s g $");  // BUSYGROUP: nothing
  run("XGROUP CREATE s2 g $ MKSTREAM");
  run("XGROUP SETID s g 0");
  run("XGROUP CREATECONSUMER s g c1");
  run("XGROUP CREATECONSUMER s g c1");
  run("XGROUP DELCONSUMER s g c1");
  run("XGROUP DELCONSUMER s g c1");
  run("XGROUP DESTROY s g");
  run("XGROUP DESTROY s g");
  EXPECT_EQ(events(),
            (Events{"__keyevent@0__:xgroup-create s", "__keyevent@0__:new s2",
                    "__keyevent@0__:xgroup-create s2", "__keyevent@0__:xgroup-setid s",
                    "__keyevent@0__:xgroup-createconsumer s",
                    "__keyevent@0__:xgroup-delconsumer s", "__keyevent@0__:xgroup-destroy s"}));
}

// Redis's own test ("Keyspace notifications: stream events test"): consumers created by
// XREADGROUP, XCLAIM and XAUTOCLAIM are announced; XREADGROUP and XCLAIM themselves are not.
TEST_F(KeyspaceEventsTest, ConsumersCreatedByReadsAndClaims) {
  notify("Kt");
  run("XGROUP CREATE mystream mygroup $ MKSTREAM");
  run("XGROUP CREATECONSUMER mystream mygroup Bob");
  run("XADD mystream 1-0 field1 A");
  run("XREADGROUP GROUP mygroup Alice STREAMS mystream >");
  run("XCLAIM mystream mygroup Mike 0 1-0 FORCE");
  run("XGROUP DELCONSUMER mystream mygroup Lee");
  run("XAUTOCLAIM mystream mygroup Bob 0 1-0");
  run("XGROUP DELCONSUMER mystream mygroup Bob");
  EXPECT_EQ(events(), (Events{"__keyspace@0__:mystream xgroup-create",
                              "__keyspace@0__:mystream xgroup-createconsumer",
                              "__keyspace@0__:mystream xadd",
                              "__keyspace@0__:mystream xgroup-createconsumer",
                              "__keyspace@0__:mystream xgroup-createconsumer",
                              "__keyspace@0__:mystream xgroup-delconsumer"}));
}

TEST_F(KeyspaceEventsTest, EventsInsideExecComeInCommandOrder) {
  notify("Elg");
  run("MULTI");
  run("RPUSH w a");
  run("LPOP w");
  EXPECT_EQ(events(), Events{});
  run("EXEC");
  EXPECT_EQ(events(), (Events{"__keyevent@0__:rpush w", "__keyevent@0__:lpop w",
                              "__keyevent@0__:del w"}));
}

}  // namespace
}  // namespace rill::test
