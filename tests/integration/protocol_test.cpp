// Protocol errors and input limits over a real socket. Redis answers a malformed request with
// "-ERR Protocol error: ..." and closes the connection after the reply; commands before the
// bad bytes still run. A client whose unparsed input passes client-query-buffer-limit is
// dropped without a reply. The expected bytes were read off Redis 7.0 for the same input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/server_process.h"

namespace rill::test {
namespace {

struct BadInput {
  std::string sent;
  std::string reply;  // everything the server sends before closing
};

class ProtocolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->failure(); }

  static void expect_closed_with(const ServerProcess& server, const BadInput& in) {
    SCOPED_TRACE(in.sent.size() < 100 ? in.sent : in.sent.substr(0, 100) + "...");
    RawConnection c = server.raw();
    ASSERT_TRUE(c.ok());
    c.send(in.sent);  // may fail midway once the server has closed
    EXPECT_EQ(c.read_until_close(), in.reply);
    EXPECT_TRUE(c.closed()) << "the server kept the connection open";
  }
  static void expect_still_serving(const ServerProcess& server) {
    RawConnection c = server.raw();
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c.send("PING\r\n"));
    EXPECT_EQ(c.read_bytes(7), "+PONG\r\n");
  }

  static ServerProcess* server_;
};
ServerProcess* ProtocolTest::server_ = nullptr;

TEST_F(ProtocolTest, ErrorsReplyThenClose) {
  const BadInput cases[] = {
      {"*01\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
      {"*-0\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
      {"*2147483648\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
      {"*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
      {"*1\r\n$04\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
      {"*1\r\n$536870913\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
      {"*1\r\nx\r\n", "-ERR Protocol error: expected '$', got 'x'\r\n"},
      // The '\r' in the message becomes a space, so the reply stays one line.
      {"*1\r\n\r\n", "-ERR Protocol error: expected '$', got ' '\r\n"},
      {"ECHO \"a\"b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
      {"ECHO 'abc\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
      {std::string(65537, 'x'), "-ERR Protocol error: too big inline request\r\n"},
      {"*" + std::string(65536, '1'), "-ERR Protocol error: too big mbulk count string\r\n"},
      {"*1\r\n$" + std::string(65536, '1'), "-ERR Protocol error: too big bulk count string\r\n"},
  };
  for (const BadInput& in : cases) expect_closed_with(*server_, in);
  expect_still_serving(*server_);
}

TEST_F(ProtocolTest, CommandsBeforeTheErrorRunAndNothingAfter) {
  expect_closed_with(*server_, {"SET proto:k v\r\nPING\r\n*1\r\nx\r\nSET proto:k w\r\n",
                                "+OK\r\n+PONG\r\n-ERR Protocol error: expected '$', got 'x'\r\n"});
  Hiredis c = server_->connect();
  ASSERT_TRUE(c && !c->err);
  HiredisReply r = command(c.get(), {"GET", "proto:k"});
  ASSERT_TRUE(r);
  EXPECT_EQ(std::string(r->str, r->len), "v");
}

// What Redis waits on rather than refuses: a half command stays buffered.
TEST_F(ProtocolTest, IncompleteInputWaits) {
  RawConnection c = server_->raw();
  ASSERT_TRUE(c.send("*2147483647\r\n"));
  EXPECT_EQ(c.read_bytes(1, 300ms), "");
  EXPECT_FALSE(c.closed());
}

// Before AUTH, Redis refuses more than 10 arguments or a bulk over 16 KiB.
TEST(ProtocolAuth, UnauthenticatedLimits) {
  ServerProcess server({"--requirepass", "secret"});
  ASSERT_TRUE(server.started()) << server.failure();
  auto check = [&](const std::string& sent, const std::string& reply) {
    SCOPED_TRACE(sent);
    RawConnection c = server.raw();
    c.send(sent);
    EXPECT_EQ(c.read_until_close(), reply);
    EXPECT_TRUE(c.closed());
  };
  check("*11\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n");
  check("*1\r\n$16385\r\n", "-ERR Protocol error: unauthenticated bulk length\r\n");
  // After AUTH in the same stream the limits are gone.
  RawConnection c = server.raw();
  std::string big(20000, 'v');
  ASSERT_TRUE(c.send("AUTH secret\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$20000\r\n" + big + "\r\n"));
  EXPECT_EQ(c.read_bytes(10), "+OK\r\n+OK\r\n");
}

// A client that keeps sending a bulk bigger than client-query-buffer-limit is dropped without
// a reply once its unparsed input passes the limit; the server goes on serving others.
void expect_query_buffer_limit_enforced(ServerProcess& server) {
  RawConnection c = server.raw();
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000000\r\n"));
  const std::string chunk(64 * 1024, 'x');
  size_t sent = 0;
  bool send_failed = false;
  while (sent < 64u * 1024 * 1024) {  // far beyond 1mb plus what the socket buffers hold
    if (!c.send(chunk)) {
      send_failed = true;
      break;
    }
    sent += chunk.size();
  }
  EXPECT_TRUE(send_failed) << "the server accepted " << sent << " bytes past a 1mb limit";
  EXPECT_EQ(c.read_until_close(), "");
  EXPECT_TRUE(c.closed());
  RawConnection other = server.raw();
  ASSERT_TRUE(other.send("PING\r\n"));
  EXPECT_EQ(other.read_bytes(7), "+PONG\r\n");
}

TEST(QueryBufferLimit, SetAtStartup) {
  ServerProcess server({"--client-query-buffer-limit", "1mb"});
  ASSERT_TRUE(server.started()) << server.failure();
  expect_query_buffer_limit_enforced(server);
}

TEST(QueryBufferLimit, SetWithConfigSet) {
  ServerProcess server;
  ASSERT_TRUE(server.started()) << server.failure();
  Hiredis c = server.connect();
  ASSERT_TRUE(c && !c->err);
  HiredisReply r = command(c.get(), {"CONFIG", "SET", "client-query-buffer-limit", "1mb"});
  ASSERT_TRUE(r);
  ASSERT_EQ(std::string(r->str, r->len), "OK");
  expect_query_buffer_limit_enforced(server);
}

}  // namespace
}  // namespace rill::test
