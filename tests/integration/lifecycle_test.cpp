// How a server is reached and how it ends: --requirepass, --unixsocket, QUIT, SHUTDOWN and
// stop signals. Each test starts its own rill-server.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>

#include "support/server_process.h"

namespace rill::test {
namespace {

std::string str(const HiredisReply& r) { return r ? std::string(r->str, r->len) : "<no reply>"; }

// An exit with status 0, as Redis exits after SHUTDOWN or SIGTERM.
void expect_clean_exit(const std::optional<int>& status, const ServerProcess& server) {
  ASSERT_TRUE(status) << "still running\n" << server.log();
  EXPECT_TRUE(WIFEXITED(*status)) << "killed by signal " << WTERMSIG(*status) << "\n" << server.log();
  if (WIFEXITED(*status)) {
    EXPECT_EQ(WEXITSTATUS(*status), 0) << server.log();
  }
}

TEST(Requirepass, NoauthUntilAuth) {
  ServerProcess server({"--requirepass", "s3cret"});
  ASSERT_TRUE(server.started()) << server.failure();
  Hiredis c = server.connect();
  ASSERT_TRUE(c && !c->err);
  auto r = command(c.get(), {"GET", "k"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->type, REDIS_REPLY_ERROR);
  EXPECT_EQ(str(r), "NOAUTH Authentication required.");
  r = command(c.get(), {"AUTH", "wrong"});
  EXPECT_EQ(str(r), "WRONGPASS invalid username-password pair or user is disabled.");
  r = command(c.get(), {"HELLO", "3"});
  EXPECT_EQ(str(r),
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
            "HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
            "the RESP protocol version at the same time");
  r = command(c.get(), {"AUTH", "s3cret"});
  EXPECT_EQ(str(r), "OK");
  r = command(c.get(), {"SET", "k", "v"});
  EXPECT_EQ(str(r), "OK");
  EXPECT_EQ(str(command(c.get(), {"GET", "k"})), "v");

  // AUTH with the default user name, and HELLO's AUTH option, work too.
  Hiredis c2 = server.connect();
  EXPECT_EQ(str(command(c2.get(), {"AUTH", "default", "s3cret"})), "OK");
  RawConnection raw = server.raw();
  ASSERT_TRUE(raw.send("HELLO 3 AUTH default s3cret\r\n"));
  auto hello = raw.reply();
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->type, resp::ReplyType::kMap) << resp::to_string(*hello);
  ASSERT_TRUE(raw.send("GET nokey\r\n"));
  EXPECT_EQ(raw.read_bytes(3), "_\r\n");
}

TEST(UnixSocket, ServesAlongsideTcp) {
  ServerProcess server({"--unixsocket", "{dir}/rill.sock"});
  ASSERT_TRUE(server.started()) << server.failure();
  const std::string path = server.dir() + "/rill.sock";
  Hiredis u = server.connect_unix(path);
  ASSERT_TRUE(u && !u->err) << (u ? u->errstr : "");
  EXPECT_EQ(str(command(u.get(), {"PING"})), "PONG");
  EXPECT_EQ(str(command(u.get(), {"SET", "via", "unix"})), "OK");
  Hiredis t = server.connect();
  EXPECT_EQ(str(command(t.get(), {"GET", "via"})), "unix");
}

TEST(UnixSocket, OnlyAUnixSocketWithPortZero) {
  ServerProcess server({"--port", "0", "--unixsocket", "{dir}/only.sock"});
  ASSERT_TRUE(server.started()) << server.failure();
  RawConnection c = RawConnection::unix_socket(server.dir() + "/only.sock");
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c.send("PING\r\n"));
  EXPECT_EQ(c.read_bytes(7), "+PONG\r\n");
}

TEST(Lifecycle, ShutdownStopsTheProcess) {
  ServerProcess server;
  ASSERT_TRUE(server.started()) << server.failure();
  RawConnection c = server.raw();
  ASSERT_TRUE(c.send("SHUTDOWN\r\n"));
  EXPECT_EQ(c.read_until_close(), "");  // Redis closes without a reply
  EXPECT_TRUE(c.closed());
  expect_clean_exit(server.wait_exit(5s), server);
}

TEST(Lifecycle, SigtermStopsCleanly) {
  ServerProcess server({"--unixsocket", "{dir}/term.sock"});
  ASSERT_TRUE(server.started()) << server.failure();
  RawConnection idle = server.raw();  // an open client is closed on the way out
  ASSERT_TRUE(idle.send("PING\r\n"));
  ASSERT_EQ(idle.read_bytes(7), "+PONG\r\n");
  expect_clean_exit(server.stop(SIGTERM, 5s), server);
  EXPECT_EQ(idle.read_until_close(1s), "");
  EXPECT_TRUE(idle.closed());
  EXPECT_FALSE(std::filesystem::exists(server.dir() + "/term.sock")) << "socket file left behind";
}

TEST(Lifecycle, SigintStopsCleanly) {
  ServerProcess server;
  ASSERT_TRUE(server.started()) << server.failure();
  expect_clean_exit(server.stop(SIGINT, 5s), server);
}

// `timeout 1`: a silent client is closed after a second or so; one that keeps talking is not.
TEST(Lifecycle, IdleTimeoutClosesSilentClients) {
  ServerProcess server({"--timeout", "1"});
  ASSERT_TRUE(server.started()) << server.failure();
  RawConnection silent = server.raw();
  RawConnection chatty = server.raw();
  ASSERT_TRUE(silent.send("PING\r\n"));
  ASSERT_EQ(silent.read_bytes(7), "+PONG\r\n");
  for (int i = 0; i < 6; ++i) {  // 2.4 s of pings, 0.4 s apart
    std::this_thread::sleep_for(400ms);
    ASSERT_TRUE(chatty.send("PING\r\n"));
    ASSERT_EQ(chatty.read_bytes(7), "+PONG\r\n") << "an active client was closed";
  }
  EXPECT_EQ(silent.read_until_close(2s), "");
  EXPECT_TRUE(silent.closed());
}

}  // namespace
}  // namespace rill::test
