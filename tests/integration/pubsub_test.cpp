// Pub/sub over real sockets: a subscriber idle on its socket receives what another connection
// publishes (the engine writes into its buffer, the server flushes it in the same turn), a
// pattern subscriber gets pmessages, RESP3 subscribers get push frames, and a closed
// subscriber is forgotten (PUBSUB NUMSUB drops to 0).
#include <gtest/gtest.h>

#include <thread>

#include "support/server_process.h"

namespace rill::test {
namespace {

class PubSubIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->failure(); }

  // Polls PUBSUB NUMSUB until `channel` has `want` subscribers (a close reaches the server
  // a moment after the client's close()); returns the last count seen.
  static long long numsub_eventually(redisContext* c, const std::string& channel, long long want) {
    long long n = -1;
    for (int i = 0; i < 200; ++i) {
      auto r = command(c, {"PUBSUB", "NUMSUB", channel});
      if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2) return -1;
      n = r->element[1]->integer;
      if (n == want) break;
      std::this_thread::sleep_for(10ms);
    }
    return n;
  }

  static ServerProcess* server_;
};
ServerProcess* PubSubIntegration::server_ = nullptr;

TEST_F(PubSubIntegration, ASubscriberReceivesAnotherConnectionsPublish) {
  RawConnection sub = server_->raw();
  ASSERT_TRUE(sub.send(resp_command({"SUBSCRIBE", "it:news"})));
  const std::string confirm = "*3\r\n$9\r\nsubscribe\r\n$7\r\nit:news\r\n:1\r\n";
  ASSERT_EQ(sub.read_bytes(confirm.size()), confirm);

  auto pub = server_->connect();
  ASSERT_TRUE(pub);
  auto r = command(pub.get(), {"PUBLISH", "it:news", "hello"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->integer, 1);
  const std::string msg = "*3\r\n$7\r\nmessage\r\n$7\r\nit:news\r\n$5\r\nhello\r\n";
  EXPECT_EQ(sub.read_bytes(msg.size(), 2s), msg);

  // Still in RESP2 subscribe mode: ordinary commands are refused, PING answers an array.
  ASSERT_TRUE(sub.send(resp_command({"GET", "x"}) + resp_command({"PING"})));
  const std::string refused =
      "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
      "are allowed in this context\r\n";
  const std::string pong = "*2\r\n$4\r\npong\r\n$0\r\n\r\n";
  EXPECT_EQ(sub.read_bytes(refused.size() + pong.size()), refused + pong);
}

TEST_F(PubSubIntegration, APatternSubscriberGetsPmessages) {
  RawConnection sub = server_->raw();
  ASSERT_TRUE(sub.send(resp_command({"PSUBSCRIBE", "it:p.*"})));
  const std::string confirm = "*3\r\n$10\r\npsubscribe\r\n$6\r\nit:p.*\r\n:1\r\n";
  ASSERT_EQ(sub.read_bytes(confirm.size()), confirm);

  auto pub = server_->connect();
  ASSERT_TRUE(pub);
  EXPECT_EQ(command(pub.get(), {"PUBLISH", "it:q.a", "no"})->integer, 0);
  EXPECT_EQ(command(pub.get(), {"PUBLISH", "it:p.a", "yes"})->integer, 1);
  const std::string msg =
      "*4\r\n$8\r\npmessage\r\n$6\r\nit:p.*\r\n$6\r\nit:p.a\r\n$3\r\nyes\r\n";
  EXPECT_EQ(sub.read_bytes(msg.size(), 2s), msg);
}

TEST_F(PubSubIntegration, Resp3SubscriberGetsPushFramesAndCanStillRunCommands) {
  RawConnection sub = server_->raw();
  ASSERT_TRUE(sub.send(resp_command({"HELLO", "3"})));
  ASSERT_TRUE(sub.reply());
  ASSERT_TRUE(sub.send(resp_command({"SUBSCRIBE", "it:r3"})));
  const std::string confirm = ">3\r\n$9\r\nsubscribe\r\n$5\r\nit:r3\r\n:1\r\n";
  ASSERT_EQ(sub.read_bytes(confirm.size()), confirm);

  auto pub = server_->connect();
  ASSERT_TRUE(pub);
  EXPECT_EQ(command(pub.get(), {"PUBLISH", "it:r3", "m"})->integer, 1);
  const std::string msg = ">3\r\n$7\r\nmessage\r\n$5\r\nit:r3\r\n$1\r\nm\r\n";
  EXPECT_EQ(sub.read_bytes(msg.size(), 2s), msg);
  ASSERT_TRUE(sub.send(resp_command({"ECHO", "still here"})));
  const std::string echo = "$10\r\nstill here\r\n";
  EXPECT_EQ(sub.read_bytes(echo.size()), echo);
}

TEST_F(PubSubIntegration, ADisconnectedSubscriberIsForgotten) {
  auto admin = server_->connect();
  ASSERT_TRUE(admin);
  {
    RawConnection a = server_->raw();
    RawConnection b = server_->raw();
    ASSERT_TRUE(a.send(resp_command({"SUBSCRIBE", "it:gone"})));
    ASSERT_TRUE(b.send(resp_command({"SUBSCRIBE", "it:gone"})));
    ASSERT_TRUE(a.reply());
    ASSERT_TRUE(b.reply());
    EXPECT_EQ(numsub_eventually(admin.get(), "it:gone", 2), 2);
  }  // both sockets close here
  EXPECT_EQ(numsub_eventually(admin.get(), "it:gone", 0), 0);
  EXPECT_EQ(command(admin.get(), {"PUBLISH", "it:gone", "x"})->integer, 0);
}

TEST_F(PubSubIntegration, FanOutReachesEverySubscriberInOrder) {
  constexpr int kSubscribers = 10;
  constexpr int kMessages = 50;
  std::vector<RawConnection> subs;
  for (int i = 0; i < kSubscribers; ++i) {
    subs.push_back(server_->raw());
    ASSERT_TRUE(subs.back().send(resp_command({"SUBSCRIBE", "it:fan"})));
    ASSERT_TRUE(subs.back().reply());
  }
  auto pub = server_->connect();
  ASSERT_TRUE(pub);
  for (int m = 0; m < kMessages; ++m) {
    auto r = command(pub.get(), {"PUBLISH", "it:fan", std::to_string(m)});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->integer, kSubscribers);
  }
  for (auto& s : subs) {
    for (int m = 0; m < kMessages; ++m) {
      auto r = s.reply(2s);
      ASSERT_TRUE(r);
      ASSERT_EQ(r->elements.size(), 3u);
      EXPECT_EQ(r->elements[2].str, std::to_string(m));
    }
  }
}

}  // namespace
}  // namespace rill::test
