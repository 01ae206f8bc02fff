// client-output-buffer-limit over real sockets: a subscriber that never reads is disconnected
// when its pending output passes the pubsub hard limit, or stays above the soft limit too long,
// while the server keeps answering and its memory (peak RSS) stays near the limit instead of
// growing with everything published; a normal client that pipelines big GETs without reading
// its replies is disconnected by the normal limit. Each test has its own server, so peak RSS
// is this test's alone.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>

#include "support/server_process.h"

namespace rill::test {
namespace {

// A /proc/<pid>/status field in kB ("VmHWM": the peak resident set), or -1.
long long status_kb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  }
  return -1;
}

// A client that does not read until told to. Its socket buffers and the server's take a
// few MB on loopback before the server's writes stall, so the tests send tens of MB. (A
// smaller receive buffer would stall sooner, but then the kernel's zero-window probing makes
// reading the rest back, to see the close, take seconds.)
RawConnection slow_reader(const ServerProcess& server) { return server.raw(); }

// Subscribes `sub` to `channel` and reads the confirmation.
void subscribe(RawConnection& sub, const std::string& channel) {
  ASSERT_TRUE(sub.send(resp_command({"SUBSCRIBE", channel})));
  auto confirm = sub.reply();
  ASSERT_TRUE(confirm);
}

// Publishes `count` messages of `size` bytes on `channel`, in pipelined batches; returns the
// receiver counts PUBLISH answered (the last one tells whether the subscriber was still there).
std::vector<long long> publish_many(redisContext* c, const std::string& channel, size_t size,
                                    int count) {
  const std::string payload(size, 'x');
  std::vector<long long> receivers;
  constexpr int kBatch = 50;
  for (int done = 0; done < count; done += kBatch) {
    const int n = std::min(kBatch, count - done);
    for (int i = 0; i < n; ++i) {
      const char* argv[] = {"PUBLISH", channel.data(), payload.data()};
      const size_t lens[] = {7, channel.size(), payload.size()};
      redisAppendCommandArgv(c, 3, argv, lens);
    }
    for (int i = 0; i < n; ++i) {
      void* raw = nullptr;
      if (redisGetReply(c, &raw) != REDIS_OK) return receivers;
      HiredisReply r(static_cast<redisReply*>(raw));
      receivers.push_back(r->type == REDIS_REPLY_INTEGER ? r->integer : -1);
    }
  }
  return receivers;
}

long long numsub(redisContext* c, const std::string& channel) {
  auto r = command(c, {"PUBSUB", "NUMSUB", channel});
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2) return -1;
  return r->element[1]->integer;
}

TEST(OutputBufferLimit, SlowSubscriberIsDisconnectedAndMemoryStaysBounded) {
  ServerProcess server({"--client-output-buffer-limit", "pubsub 1mb 512kb 60"});
  ASSERT_TRUE(server.started()) << server.failure();
  RawConnection sub = slow_reader(server);
  subscribe(sub, "feed");
  auto pub = server.connect();
  ASSERT_TRUE(pub);
  const long long start_kb = status_kb(server.pid(), "VmHWM");
  ASSERT_GT(start_kb, 0);

  // 100 MB published at a subscriber that reads nothing: kept, it would all sit in the server.
  auto receivers = publish_many(pub.get(), "feed", 100 * 1000, 1000);
  ASSERT_EQ(receivers.size(), 1000u);
  EXPECT_EQ(receivers.front(), 1);
  EXPECT_EQ(receivers.back(), 0) << "the subscriber was never disconnected";

  // The server is fine and has forgotten the subscriber.
  auto pong = command(pub.get(), {"PING"});
  ASSERT_TRUE(pong);
  EXPECT_STREQ(pong->str, "PONG");
  EXPECT_EQ(numsub(pub.get(), "feed"), 0);
  // Its peak memory grew by a few times the 1 MB limit, far less than the 100 MB it was sent.
  // (Measured from the server's own start-up peak, which ASan makes tens of MB.)
  const long long peak_kb = status_kb(server.pid(), "VmHWM");
  EXPECT_LT(peak_kb - start_kb, 24 * 1024) << "peak RSS " << peak_kb << " kB from " << start_kb;

  // The subscriber gets what had reached its socket, then the end of the connection.
  const std::string got = sub.read_until_close(10s);
  EXPECT_TRUE(sub.closed());
  EXPECT_LT(got.size(), 20u * 1000 * 1000);
}

TEST(OutputBufferLimit, SoftLimitDisconnectsOnlyAfterItsSeconds) {
  ServerProcess server({"--client-output-buffer-limit", "pubsub 0 256kb 2", "--hz", "50"});
  ASSERT_TRUE(server.started()) << server.failure();
  RawConnection sub = slow_reader(server);
  subscribe(sub, "feed");
  auto pub = server.connect();
  ASSERT_TRUE(pub);

  // Enough to fill the socket buffers and leave well over 256 KB waiting in the server.
  auto receivers = publish_many(pub.get(), "feed", 100 * 1000, 300);
  ASSERT_EQ(receivers.size(), 300u);
  EXPECT_EQ(receivers.back(), 1) << "closed before its soft seconds had passed";
  EXPECT_EQ(numsub(pub.get(), "feed"), 1);

  // Nothing more is published: the periodic check closes it once 2 seconds are over.
  long long n = 1;
  for (int i = 0; i < 100 && n != 0; ++i) {
    std::this_thread::sleep_for(100ms);
    n = numsub(pub.get(), "feed");
  }
  EXPECT_EQ(n, 0);
  sub.read_until_close(10s);
  EXPECT_TRUE(sub.closed());
}

TEST(OutputBufferLimit, PipelineWhoseRepliesAreNotReadIsDisconnected) {
  ServerProcess server({"--client-output-buffer-limit", "normal 1mb 0 0"});
  ASSERT_TRUE(server.started()) << server.failure();
  auto admin = server.connect();
  ASSERT_TRUE(admin);
  ASSERT_TRUE(command(admin.get(), {"SET", "big", std::string(100 * 1000, 'v')}));

  // 2000 GETs of a 100 KB value, none of the 200 MB of replies read.
  RawConnection greedy = slow_reader(server);
  std::string pipeline;
  for (int i = 0; i < 2000; ++i) pipeline += resp_command({"GET", "big"});
  ASSERT_TRUE(greedy.send(pipeline));

  const std::string got = greedy.read_until_close(10s);
  EXPECT_TRUE(greedy.closed());
  EXPECT_LT(got.size(), 50u * 1000 * 1000);
  auto pong = command(admin.get(), {"PING"});
  ASSERT_TRUE(pong);
  EXPECT_STREQ(pong->str, "PONG");
  auto clients = command(admin.get(), {"CLIENT", "LIST"});
  ASSERT_TRUE(clients);
  EXPECT_EQ(std::string(clients->str).find("cmd=get"), std::string::npos) << clients->str;
}

TEST(OutputBufferLimit, ClientListShowsTheWaitingOutput) {
  ServerProcess server({"--client-output-buffer-limit", "pubsub 0 0 0"});
  ASSERT_TRUE(server.started()) << server.failure();
  RawConnection sub = slow_reader(server);
  ASSERT_TRUE(sub.send(resp_command({"CLIENT", "SETNAME", "sleepy"})));
  ASSERT_TRUE(sub.reply());
  subscribe(sub, "feed");
  auto pub = server.connect();
  ASSERT_TRUE(pub);
  publish_many(pub.get(), "feed", 100 * 1000, 300);  // 30 MB, more than the sockets hold

  auto list = command(pub.get(), {"CLIENT", "LIST"});
  ASSERT_TRUE(list);
  const std::string text = list->str;
  const size_t line = text.find("name=sleepy");
  ASSERT_NE(line, std::string::npos) << text;
  const size_t omem = text.find("omem=", line);
  ASSERT_NE(omem, std::string::npos);
  EXPECT_GT(std::stoll(text.substr(omem + 5)), 1000 * 1000) << text;
}

}  // namespace
}  // namespace rill::test
