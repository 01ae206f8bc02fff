// rill-server over a real socket: hiredis for ordinary traffic, raw bytes where the exact wire
// form matters (inline commands, RESP3, a command trickling in one byte at a time). One server
// serves the whole suite; each test uses its own keys.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "support/server_process.h"

namespace rill::test {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->started()) << server_->failure();
    redis_ = server_->connect();
    ASSERT_TRUE(redis_ && !redis_->err) << (redis_ ? redis_->errstr : "no context");
  }
  HiredisReply run(const std::vector<std::string>& argv) {
    HiredisReply r = command(redis_.get(), argv);
    EXPECT_TRUE(r) << "connection failed: " << redis_->errstr;
    return r;
  }
  RawConnection raw() {
    RawConnection c = server_->raw();
    EXPECT_TRUE(c.ok());
    return c;
  }

  static ServerProcess* server_;
  Hiredis redis_;
};
ServerProcess* ServerTest::server_ = nullptr;

std::string str(const HiredisReply& r) { return r ? std::string(r->str, r->len) : "<no reply>"; }

// The next bytes on the connection are exactly `want`.
void expect_bytes(RawConnection& c, std::string_view want) {
  EXPECT_EQ(c.read_bytes(want.size()), want);
}

TEST_F(ServerTest, PingSetGet) {
  auto r = run({"PING"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->type, REDIS_REPLY_STATUS);
  EXPECT_EQ(str(r), "PONG");
  r = run({"SET", "basic:k", "v"});
  EXPECT_EQ(r->type, REDIS_REPLY_STATUS);
  EXPECT_EQ(str(r), "OK");
  r = run({"GET", "basic:k"});
  EXPECT_EQ(r->type, REDIS_REPLY_STRING);
  EXPECT_EQ(str(r), "v");
  r = run({"GET", "basic:missing"});
  EXPECT_EQ(r->type, REDIS_REPLY_NIL);
  r = run({"NOSUCHCOMMAND", "a"});
  EXPECT_EQ(r->type, REDIS_REPLY_ERROR);
  EXPECT_EQ(str(r), "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' ");
}

// Ten thousand commands in one write; the replies come back complete and in order.
TEST_F(ServerTest, PipelineTenThousandCommandsInOneWrite) {
  RawConnection c = raw();
  std::string batch;
  for (int i = 0; i < 5000; ++i) {
    std::string key = "pipe:" + std::to_string(i), val = std::to_string(i * 7);
    batch += "*3\r\n$3\r\nSET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n$" +
             std::to_string(val.size()) + "\r\n" + val + "\r\n";
    batch += "*2\r\n$3\r\nGET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n";
  }
  ASSERT_TRUE(c.send(batch));
  for (int i = 0; i < 5000; ++i) {
    auto set = c.reply(10s);
    ASSERT_TRUE(set) << "reply " << 2 * i << " missing";
    ASSERT_EQ(set->type, resp::ReplyType::kSimple) << resp::to_string(*set);
    auto get = c.reply(10s);
    ASSERT_TRUE(get) << "reply " << 2 * i + 1 << " missing";
    ASSERT_EQ(get->str, std::to_string(i * 7)) << "out of order at " << i;
  }
  EXPECT_EQ(c.read_bytes(1, 100ms), "");  // nothing more
}

// hiredis's own pipelining: append, then read the replies.
TEST_F(ServerTest, HiredisPipelining) {
  for (int i = 0; i < 10000; ++i) {
    ASSERT_EQ(redisAppendCommand(redis_.get(), "ECHO %d", i), REDIS_OK);
  }
  for (int i = 0; i < 10000; ++i) {
    void* raw_reply = nullptr;
    ASSERT_EQ(redisGetReply(redis_.get(), &raw_reply), REDIS_OK) << redis_->errstr;
    HiredisReply r(static_cast<redisReply*>(raw_reply));
    ASSERT_EQ(str(r), std::to_string(i));
  }
}

TEST_F(ServerTest, InlineCommands) {
  RawConnection c = raw();
  ASSERT_TRUE(c.send("PING\r\n"));
  expect_bytes(c, "+PONG\r\n");
  ASSERT_TRUE(c.send("SET inline:k \"a b\"\r\n"));
  expect_bytes(c, "+OK\r\n");
  ASSERT_TRUE(c.send("GET inline:k\n"));  // a bare LF ends a line too
  expect_bytes(c, "$3\r\na b\r\n");
  ASSERT_TRUE(c.send("\r\n\r\nECHO \"x\\ty\" 'q\\'s'\r\n"));  // blank lines are skipped
  expect_bytes(c, "-ERR wrong number of arguments for 'echo' command\r\n");
  ASSERT_TRUE(c.send("ECHO \"x\\ty\\x41\"\r\n"));
  expect_bytes(c, "$4\r\nx\tyA\r\n");
}

TEST_F(ServerTest, Resp3AfterHello) {
  RawConnection c = raw();
  ASSERT_TRUE(c.send("HELLO 3\r\n"));
  auto hello = c.reply();
  ASSERT_TRUE(hello);
  ASSERT_EQ(hello->type, resp::ReplyType::kMap) << resp::to_string(*hello);
  ASSERT_GE(hello->elements.size(), 6u);
  EXPECT_EQ(hello->elements[0].str, "server");
  EXPECT_EQ(hello->elements[1].str, "redis");
  bool saw_proto = false;
  for (size_t i = 0; i + 1 < hello->elements.size(); i += 2) {
    if (hello->elements[i].str == "proto") {
      saw_proto = true;
      EXPECT_EQ(hello->elements[i + 1].integer, 3);
    }
  }
  EXPECT_TRUE(saw_proto) << resp::to_string(*hello);

  ASSERT_TRUE(c.send("GET resp3:missing\r\n"));
  expect_bytes(c, "_\r\n");  // RESP3's null, not "$-1"
  ASSERT_TRUE(c.send("SET resp3:k v\r\nGET resp3:k\r\nPING\r\n"));
  expect_bytes(c, "+OK\r\n$1\r\nv\r\n+PONG\r\n");
  ASSERT_TRUE(c.send("HELLO 2\r\n"));
  auto back = c.reply();
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, resp::ReplyType::kArray);  // a map is a flat array in RESP2
  ASSERT_TRUE(c.send("GET resp3:missing\r\n"));
  expect_bytes(c, "$-1\r\n");
}

TEST_F(ServerTest, MultiExecOverTheSocket) {
  RawConnection c = raw();
  ASSERT_TRUE(c.send("MULTI\r\nSET tx:k 1\r\nINCR tx:k\r\nGET tx:k\r\nEXEC\r\n"));
  expect_bytes(c, "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n");
  ASSERT_TRUE(c.send("MULTI\r\nGET\r\nEXEC\r\n"));
  expect_bytes(c, "+OK\r\n-ERR wrong number of arguments for 'get' command\r\n"
            "-EXECABORT Transaction discarded because of previous errors.\r\n");
}

TEST_F(ServerTest, ExpiryWithPx) {
  auto r = run({"SET", "exp:k", "v", "PX", "100"});
  ASSERT_TRUE(r);
  EXPECT_EQ(str(r), "OK");
  EXPECT_EQ(str(run({"GET", "exp:k"})), "v");
  std::this_thread::sleep_for(250ms);
  EXPECT_EQ(run({"GET", "exp:k"})->type, REDIS_REPLY_NIL);
  EXPECT_EQ(run({"EXISTS", "exp:k"})->integer, 0);
}

TEST_F(ServerTest, CommandSentOneByteAtATime) {
  RawConnection c = raw();
  const std::string cmd = "*3\r\n$3\r\nSET\r\n$9\r\nslow:byte\r\n$5\r\nhello\r\nGET slow:byte\r\n";
  for (char b : cmd) {
    ASSERT_TRUE(c.send(std::string_view(&b, 1)));
    std::this_thread::sleep_for(1ms);  // each byte its own segment, so its own read
  }
  expect_bytes(c, "+OK\r\n$5\r\nhello\r\n");
}

TEST_F(ServerTest, TenMegabyteValue) {
  std::string value(10 * 1024 * 1024, '\0');
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>((i * 131) % 256);
  auto r = run({"SET", "big:k", value});
  ASSERT_TRUE(r);
  EXPECT_EQ(str(r), "OK");
  r = run({"GET", "big:k"});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->type, REDIS_REPLY_STRING);
  EXPECT_EQ(r->len, value.size());
  EXPECT_TRUE(str(r) == value) << "value came back different";
  EXPECT_EQ(run({"STRLEN", "big:k"})->integer, static_cast<long long>(value.size()));
  run({"DEL", "big:k"});
}

TEST_F(ServerTest, QuitClosesTheConnection) {
  RawConnection c = raw();
  ASSERT_TRUE(c.send("QUIT\r\nPING\r\n"));  // nothing after QUIT is run
  EXPECT_EQ(c.read_until_close(), "+OK\r\n");
  EXPECT_TRUE(c.closed());
}

TEST_F(ServerTest, TwoHundredConnectionsAtOnce) {
  constexpr int kClients = 200;
  std::vector<Hiredis> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(server_->connect());
    ASSERT_TRUE(clients.back() && !clients.back()->err) << "client " << i;
  }
  // Every client has a command in flight before any reply is read.
  for (int i = 0; i < kClients; ++i) {
    ASSERT_EQ(redisAppendCommand(clients[i].get(), "SET many:%d %d", i, i), REDIS_OK);
    ASSERT_EQ(redisBufferWrite(clients[i].get(), nullptr), REDIS_OK);
  }
  for (int i = 0; i < kClients; ++i) {
    void* reply = nullptr;
    ASSERT_EQ(redisGetReply(clients[i].get(), &reply), REDIS_OK) << "client " << i;
    HiredisReply r(static_cast<redisReply*>(reply));
    EXPECT_EQ(str(r), "OK");
  }
  for (int i = 0; i < kClients; ++i) {
    HiredisReply r = command(clients[i].get(), {"GET", "many:" + std::to_string((i + 1) % kClients)});
    ASSERT_TRUE(r);
    EXPECT_EQ(str(r), std::to_string((i + 1) % kClients));
  }
  auto keys = run({"KEYS", "many:*"});
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->elements, static_cast<size_t>(kClients));
  clients.clear();
  EXPECT_EQ(str(run({"PING"})), "PONG");
}

}  // namespace
}  // namespace rill::test
