// Streams through real client libraries: tests/clients/python/streams.py (redis-py) and
// tests/clients/node/streams.js (ioredis) run competing consumers in one group, a crashed
// consumer taken over with XAUTOCLAIM, and blocked XREAD / XREADGROUP readers woken by an
// XADD, each against its own rill-server. redis-py is required; ioredis is skipped when npm
// could not install it.
#include <gtest/gtest.h>

#include "clients/client_program.h"
#include "support/server_process.h"

namespace rill::test {
namespace {

TEST(ClientStreams, RedisPyConsumerGroupsClaimsAndBlockingReads) {
  if (auto why = redis_py_missing()) FAIL() << *why;
  ServerProcess server;
  ASSERT_TRUE(server.started()) << server.failure();
  EXPECT_TRUE(client_program_passes(server, kPython, clients_dir() / "python" / "streams.py",
                                    "streams ok"));
}

TEST(ClientStreams, IoredisConsumerGroupsClaimsAndBlockingReads) {
  if (auto why = ioredis_missing()) GTEST_SKIP() << *why;
  ServerProcess server;
  ASSERT_TRUE(server.started()) << server.failure();
  EXPECT_TRUE(client_program_passes(server, "node", clients_dir() / "node" / "streams.js",
                                    "streams ok"));
}

}  // namespace
}  // namespace rill::test
