// Pub/sub through the engine: several sessions of one engine, the subscriber's output buffer
// holding the frames a publish wrote into it. Expected bytes checked against Redis 7.0.
#include <algorithm>

#include "support/engine_harness.h"

namespace rill::test {
namespace {

// Counts the wake-ups a delivery gives the session's connection.
struct CountingSink : core::OutputSink {
  int calls = 0;
  void on_output() override { ++calls; }
};

// A RESP3 push frame of already-encoded items.
std::string push(std::initializer_list<std::string> items) {
  std::string out = ">" + std::to_string(items.size()) + "\r\n";
  for (const auto& i : items) out += i;
  return out;
}

// A RESP2 message frame of bulk strings.
std::string frame(std::initializer_list<std::string_view> words) { return bulks(words); }

std::string confirm(std::string_view word, std::string_view name, int64_t count) {
  return arr({bulk(word), bulk(name), integer(count)});
}

const char* kOnlyInContext =
    "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
    "are allowed in this context";

class PubSubTest : public EngineTest {
 protected:
  PubSubTest() {
    attach(sub);
    attach(sub2);
    sub.sink = &sink;
  }
  ~PubSubTest() override {
    detach(sub);
    detach(sub2);
  }

  core::Session sub, sub2;
  CountingSink sink;
};

TEST_F(PubSubTest, SubscribeConfirmsEachNameWithTheRunningCount) {
  EXPECT_EQ(run_as(sub, "SUBSCRIBE a b a"),
            confirm("subscribe", "a", 1) + confirm("subscribe", "b", 2) +
                confirm("subscribe", "a", 2));
  // Patterns count with channels; shard channels are counted on their own.
  EXPECT_EQ(run_as(sub, "PSUBSCRIBE p*"), confirm("psubscribe", "p*", 3));
  EXPECT_EQ(run_as(sub, "SSUBSCRIBE s1 s2"),
            confirm("ssubscribe", "s1", 1) + confirm("ssubscribe", "s2", 2));
  EXPECT_EQ(run_as(sub, "PUNSUBSCRIBE p* nope"),
            confirm("punsubscribe", "p*", 2) + confirm("punsubscribe", "nope", 2));
}

TEST_F(PubSubTest, PublishWritesMessagesIntoSubscribersAndCountsThem) {
  run_as(sub, "SUBSCRIBE news");
  run_as(sub2, "SUBSCRIBE news other");
  sink.calls = 0;
  EXPECT_EQ(run("PUBLISH news hello"), integer(2));
  EXPECT_EQ(take(sub), frame({"message", "news", "hello"}));
  EXPECT_EQ(take(sub2), frame({"message", "news", "hello"}));
  EXPECT_EQ(sink.calls, 1);  // the idle subscriber's connection is told to flush
  EXPECT_EQ(run("PUBLISH nobody x"), integer(0));
  EXPECT_EQ(run("PUBLISH other \"a b\""), integer(1));
  EXPECT_EQ(take(sub), "");
  EXPECT_EQ(take(sub2), frame({"message", "other", "a b"}));
}

TEST_F(PubSubTest, APatternSubscriberGetsTheMessageOncePerMatchingPattern) {
  run_as(sub, "PSUBSCRIBE news.* * sport.*");
  run_as(sub, "SUBSCRIBE news.eu");
  EXPECT_EQ(run("PUBLISH news.eu hi"), integer(3));
  std::string got = take(sub);
  // The channel's own subscribers come first; then one pmessage per matching pattern (in the
  // pattern table's order, which Redis does not fix either).
  const std::string direct = frame({"message", "news.eu", "hi"});
  const std::string by_news = frame({"pmessage", "news.*", "news.eu", "hi"});
  const std::string by_all = frame({"pmessage", "*", "news.eu", "hi"});
  ASSERT_EQ(got.size(), direct.size() + by_news.size() + by_all.size());
  EXPECT_EQ(got.substr(0, direct.size()), direct);
  std::string rest = got.substr(direct.size());
  EXPECT_TRUE(rest == by_news + by_all || rest == by_all + by_news) << rest;
}

TEST_F(PubSubTest, PatternsMatchAsRedisGlobsDo) {
  run_as(sub, "PSUBSCRIBE h[ae]llo a\\*b x?z [^0-9]end");
  EXPECT_EQ(run("PUBLISH hallo m"), integer(1));
  EXPECT_EQ(run("PUBLISH hillo m"), integer(0));
  EXPECT_EQ(run("PUBLISH a*b m"), integer(1));  // an escaped star is a plain star
  EXPECT_EQ(run("PUBLISH axb m"), integer(0));
  EXPECT_EQ(run("PUBLISH xyz m"), integer(1));
  EXPECT_EQ(run("PUBLISH xz m"), integer(0));
  EXPECT_EQ(run("PUBLISH 5end m"), integer(0));
  EXPECT_EQ(run("PUBLISH Xend m"), integer(1));
  EXPECT_EQ(take(sub), frame({"pmessage", "h[ae]llo", "hallo", "m"}) +
                           frame({"pmessage", "a\\*b", "a*b", "m"}) +
                           frame({"pmessage", "x?z", "xyz", "m"}) +
                           frame({"pmessage", "[^0-9]end", "Xend", "m"}));
}

TEST_F(PubSubTest, ShardChannelsAreASeparateNamespace) {
  run_as(sub, "SSUBSCRIBE orders");
  run_as(sub2, "SUBSCRIBE orders");
  EXPECT_EQ(run("SPUBLISH orders o1"), integer(1));
  EXPECT_EQ(take(sub), frame({"smessage", "orders", "o1"}));
  EXPECT_EQ(take(sub2), "");
  EXPECT_EQ(run("PUBLISH orders o2"), integer(1));
  EXPECT_EQ(take(sub), "");
  EXPECT_EQ(take(sub2), frame({"message", "orders", "o2"}));
}

TEST_F(PubSubTest, UnsubscribeWithoutNamesDropsAllOrAnswersNullWhenThereAreNone) {
  EXPECT_EQ(run_as(sub, "UNSUBSCRIBE"), arr({bulk("unsubscribe"), nil(), integer(0)}));
  EXPECT_EQ(run_as(sub, "PUNSUBSCRIBE"), arr({bulk("punsubscribe"), nil(), integer(0)}));
  EXPECT_EQ(run_as(sub, "SUNSUBSCRIBE"), arr({bulk("sunsubscribe"), nil(), integer(0)}));
  run_as(sub, "SUBSCRIBE a b");
  run_as(sub, "PSUBSCRIBE p");
  // The null confirmation still carries the count of what is left (here the pattern).
  EXPECT_EQ(run_as(sub, "SUNSUBSCRIBE"), arr({bulk("sunsubscribe"), nil(), integer(0)}));
  EXPECT_EQ(run_as(sub, "UNSUBSCRIBE"),
            confirm("unsubscribe", "a", 2) + confirm("unsubscribe", "b", 1));
  EXPECT_EQ(run_as(sub, "UNSUBSCRIBE"), arr({bulk("unsubscribe"), nil(), integer(1)}));
  EXPECT_EQ(run("PUBLISH a x"), integer(0));
  EXPECT_EQ(run("PUBLISH p x"), integer(1));
}

TEST_F(PubSubTest, Resp2SubscribeModeAllowsOnlyTheSubscribeFamilyPingQuitReset) {
  run_as(sub, "SUBSCRIBE a");
  EXPECT_EQ(run_as(sub, "GET x"), err(kOnlyInContext));
  EXPECT_EQ(run_as(sub, "MULTI"),
            err("ERR Can't execute 'multi': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                "QUIT / RESET are allowed in this context"));
  EXPECT_EQ(run_as(sub, "CLIENT ID"),
            err("ERR Can't execute 'client|id': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING "
                "/ QUIT / RESET are allowed in this context"));
  EXPECT_EQ(run_as(sub, "PUBLISH a x"),
            err("ERR Can't execute 'publish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                "QUIT / RESET are allowed in this context"));
  // Unknown commands and wrong arity are reported before the mode is.
  EXPECT_EQ(run_as(sub, "GET"), err("ERR wrong number of arguments for 'get' command"));
  EXPECT_EQ(run_as(sub, "PING"), bulks({"pong", ""}));
  EXPECT_EQ(run_as(sub, "ping hi"), bulks({"pong", "hi"}));
  EXPECT_EQ(run_as(sub, "PSUBSCRIBE p"), confirm("psubscribe", "p", 2));
  EXPECT_EQ(run_as(sub, "UNSUBSCRIBE"), confirm("unsubscribe", "a", 1));
  EXPECT_EQ(run_as(sub, "GET x"), err(kOnlyInContext));  // the pattern still holds it
  EXPECT_EQ(run_as(sub, "PUNSUBSCRIBE"), confirm("punsubscribe", "p", 0));
  EXPECT_EQ(run_as(sub, "GET x"), nil());
  EXPECT_EQ(run_as(sub, "PING"), simple("PONG"));
}

TEST_F(PubSubTest, AShardSubscriptionAloneAlsoHoldsResp2InSubscribeMode) {
  run_as(sub, "SSUBSCRIBE s");
  EXPECT_EQ(run_as(sub, "GET x"), err(kOnlyInContext));
  EXPECT_EQ(run_as(sub, "SUNSUBSCRIBE s"), confirm("sunsubscribe", "s", 0));
  EXPECT_EQ(run_as(sub, "GET x"), nil());
}

TEST_F(PubSubTest, Resp3UsesPushFramesAndOrdinaryCommandsStillWork) {
  run_as(sub, "HELLO 3");
  EXPECT_EQ(run_as(sub, "SUBSCRIBE a"), push({bulk("subscribe"), bulk("a"), integer(1)}));
  EXPECT_EQ(run_as(sub, "GET x"), "_\r\n");
  EXPECT_EQ(run_as(sub, "PING"), simple("PONG"));
  run_as(sub2, "SUBSCRIBE a");  // a RESP2 subscriber of the same channel
  EXPECT_EQ(run("PUBLISH a hi"), integer(2));
  EXPECT_EQ(take(sub), push({bulk("message"), bulk("a"), bulk("hi")}));
  EXPECT_EQ(take(sub2), frame({"message", "a", "hi"}));
  // A subscriber that publishes to itself gets the message before the reply, as in Redis.
  EXPECT_EQ(run_as(sub, "PUBLISH a me"),
            push({bulk("message"), bulk("a"), bulk("me")}) + integer(2));
  take(sub2);
  EXPECT_EQ(run_as(sub, "UNSUBSCRIBE"), push({bulk("unsubscribe"), bulk("a"), integer(0)}));
  EXPECT_EQ(run_as(sub, "UNSUBSCRIBE"), push({bulk("unsubscribe"), "_\r\n", integer(0)}));
  // Back to RESP2 while subscribed: the mode applies from then on.
  run_as(sub, "SUBSCRIBE b");
  run_as(sub, "HELLO 2");
  EXPECT_EQ(run_as(sub, "GET x"), err(kOnlyInContext));
}

TEST_F(PubSubTest, DisconnectDropsEverySubscription) {
  core::Session gone;
  attach(gone);
  run_as(gone, "SUBSCRIBE a b");
  run_as(gone, "PSUBSCRIBE p*");
  run_as(gone, "SSUBSCRIBE s");
  run_as(sub, "SUBSCRIBE a");
  EXPECT_EQ(run("PUBSUB NUMSUB a b"), arr({bulk("a"), integer(2), bulk("b"), integer(1)}));
  EXPECT_EQ(run("PUBSUB NUMPAT"), integer(1));
  detach(gone);
  EXPECT_EQ(run("PUBSUB NUMSUB a b"), arr({bulk("a"), integer(1), bulk("b"), integer(0)}));
  EXPECT_EQ(run("PUBSUB NUMPAT"), integer(0));
  EXPECT_EQ(run("PUBSUB SHARDNUMSUB s"), arr({bulk("s"), integer(0)}));
  EXPECT_EQ(run("PUBSUB CHANNELS"), bulks({"a"}));
  EXPECT_EQ(run("PUBLISH b x"), integer(0));
  EXPECT_EQ(run("PUBLISH a x"), integer(1));
}

TEST_F(PubSubTest, ResetUnsubscribesSilently) {
  run_as(sub, "SUBSCRIBE a");
  run_as(sub, "PSUBSCRIBE *");
  run_as(sub, "SSUBSCRIBE s");
  EXPECT_EQ(run_as(sub, "RESET"), simple("RESET"));
  EXPECT_EQ(run_as(sub, "GET x"), nil());
  EXPECT_EQ(run("PUBLISH a x"), integer(0));
  EXPECT_EQ(run("SPUBLISH s x"), integer(0));
  EXPECT_EQ(run("PUBSUB NUMPAT"), integer(0));
}

TEST_F(PubSubTest, PubSubFramesSurviveClientReplyOffAndSkip) {
  EXPECT_EQ(run_as(sub, "CLIENT REPLY OFF"), "");
  EXPECT_EQ(run_as(sub, "SUBSCRIBE a"), confirm("subscribe", "a", 1));
  EXPECT_EQ(run_as(sub, "PING"), "");  // an ordinary reply is still dropped
  EXPECT_EQ(run("PUBLISH a x"), integer(1));
  EXPECT_EQ(take(sub), frame({"message", "a", "x"}));
  EXPECT_EQ(run_as(sub, "UNSUBSCRIBE a"), confirm("unsubscribe", "a", 0));
  EXPECT_EQ(run_as(sub, "CLIENT REPLY ON"), ok());
  // RESP3, publishing to itself under SKIP: the push stays, the count goes.
  run_as(sub, "HELLO 3");
  run_as(sub, "SUBSCRIBE b");
  EXPECT_EQ(run_as(sub, "CLIENT REPLY SKIP"), "");
  EXPECT_EQ(run_as(sub, "PUBLISH b self"), push({bulk("message"), bulk("b"), bulk("self")}));
  EXPECT_EQ(run_as(sub, "PUBLISH b again"),
            push({bulk("message"), bulk("b"), bulk("again")}) + integer(1));
}

TEST_F(PubSubTest, SubscribeQueuedInMultiTakesEffectAtExec) {
  EXPECT_EQ(run_as(sub, "MULTI"), ok());
  EXPECT_EQ(run_as(sub, "SUBSCRIBE q"), simple("QUEUED"));
  EXPECT_EQ(run_as(sub, "EXEC"), arr({confirm("subscribe", "q", 1)}));
  EXPECT_EQ(run_as(sub, "GET x"), err(kOnlyInContext));
}

TEST_F(PubSubTest, PubsubIntrospection) {
  run_as(sub, "SUBSCRIBE news.eu news.us misc");
  run_as(sub, "PSUBSCRIBE n* m*");
  run_as(sub2, "PSUBSCRIBE n*");
  run_as(sub2, "SSUBSCRIBE shard1 shard2");
  std::string all = run("PUBSUB CHANNELS");
  EXPECT_EQ(all.substr(0, 4), "*3\r\n");
  for (const char* c : {"news.eu", "news.us", "misc"}) {
    EXPECT_NE(all.find(bulk(c)), std::string::npos) << c;
  }
  std::string news = run("PUBSUB CHANNELS news.*");
  EXPECT_TRUE(news == bulks({"news.eu", "news.us"}) || news == bulks({"news.us", "news.eu"}));
  EXPECT_EQ(run("PUBSUB CHANNELS x*"), "*0\r\n");
  EXPECT_EQ(run("PUBSUB NUMPAT"), integer(2));  // distinct patterns, not subscriptions
  EXPECT_EQ(run("PUBSUB NUMSUB"), "*0\r\n");
  EXPECT_EQ(run("PUBSUB NUMSUB misc none"),
            arr({bulk("misc"), integer(1), bulk("none"), integer(0)}));
  EXPECT_EQ(run("PUBSUB SHARDCHANNELS *2"), bulks({"shard2"}));
  EXPECT_EQ(run("PUBSUB SHARDNUMSUB shard1"), arr({bulk("shard1"), integer(1)}));
  // RESP3 keeps NUMSUB a flat array, as Redis 7.0 does.
  run("HELLO 3");
  EXPECT_EQ(run("PUBSUB NUMSUB misc"), arr({bulk("misc"), integer(1)}));
}

TEST_F(PubSubTest, PubsubErrorsAndHelp) {
  EXPECT_EQ(run("PUBSUB"), err("ERR wrong number of arguments for 'pubsub' command"));
  EXPECT_EQ(run("PUBSUB foo"), err("ERR unknown subcommand 'foo'. Try PUBSUB HELP."));
  EXPECT_EQ(run("PUBSUB NUMPAT x"),
            err("ERR wrong number of arguments for 'pubsub|numpat' command"));
  EXPECT_EQ(run("PUBSUB channels a b"),
            err("ERR unknown subcommand or wrong number of arguments for 'channels'. Try "
                "PUBSUB HELP."));
  EXPECT_EQ(run("PUBSUB SHARDCHANNELS a b"),
            err("ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try "
                "PUBSUB HELP."));
  EXPECT_EQ(run("SUBSCRIBE"), err("ERR wrong number of arguments for 'subscribe' command"));
  EXPECT_EQ(run("PUBLISH a"), err("ERR wrong number of arguments for 'publish' command"));
  std::string help = run("PUBSUB HELP");
  EXPECT_EQ(help.substr(0, 5), "*14\r\n");
  EXPECT_NE(help.find("+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"),
            std::string::npos);
}

}  // namespace
}  // namespace rill::test
