// Blocking list pops over real sockets: a BRPOP parked on one connection is answered by an
// LPUSH on another, a BLPOP times out on the server's timer, and a blocked connection runs
// the commands it pipelined behind the blocking one once it is served.
#include <gtest/gtest.h>

#include <chrono>

#include "support/server_process.h"

namespace rill::test {
namespace {

using Clock = std::chrono::steady_clock;

class ListsBlockingIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->failure(); }
  static ServerProcess* server_;
};
ServerProcess* ListsBlockingIntegration::server_ = nullptr;

TEST_F(ListsBlockingIntegration, BrpopIsServedByAnLpushFromAnotherConnection) {
  RawConnection waiter = server_->raw();
  ASSERT_TRUE(waiter.send("*3\r\n$5\r\nBRPOP\r\n$6\r\nbq:one\r\n$1\r\n0\r\n"));
  // Nothing comes back while the list is empty.
  EXPECT_EQ(waiter.read_bytes(1, 150ms), "");
  auto pusher = server_->connect();
  ASSERT_TRUE(pusher);
  auto r = command(pusher.get(), {"LPUSH", "bq:one", "job"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->integer, 1);
  const std::string want = "*2\r\n$6\r\nbq:one\r\n$3\r\njob\r\n";
  EXPECT_EQ(waiter.read_bytes(want.size(), 2s), want);
  r = command(pusher.get(), {"EXISTS", "bq:one"});
  EXPECT_EQ(r->integer, 0);
}

TEST_F(ListsBlockingIntegration, BlpopTimesOutWithANullArrayInAboutTheTimeout) {
  RawConnection c = server_->raw();
  const auto start = Clock::now();
  ASSERT_TRUE(c.send("*3\r\n$5\r\nBLPOP\r\n$7\r\nbq:none\r\n$3\r\n0.2\r\n"));
  EXPECT_EQ(c.read_bytes(5, 3s), "*-1\r\n");
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  EXPECT_GE(ms, 190);
  EXPECT_LT(ms, 800);
}

TEST_F(ListsBlockingIntegration, CommandsPipelinedBehindABlockedOneRunAfterIt) {
  RawConnection waiter = server_->raw();
  ASSERT_TRUE(waiter.send(
      "*3\r\n$5\r\nBLPOP\r\n$6\r\nbq:two\r\n$1\r\n0\r\n*2\r\n$4\r\nLLEN\r\n$6\r\nbq:two\r\n"));
  EXPECT_EQ(waiter.read_bytes(1, 150ms), "");
  auto pusher = server_->connect();
  ASSERT_TRUE(pusher);
  command(pusher.get(), {"RPUSH", "bq:two", "a", "b"});
  const std::string want = "*2\r\n$6\r\nbq:two\r\n$1\r\na\r\n:1\r\n";
  EXPECT_EQ(waiter.read_bytes(want.size(), 2s), want);
}

}  // namespace
}  // namespace rill::test
