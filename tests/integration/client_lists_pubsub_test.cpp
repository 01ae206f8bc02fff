// Lists and pub/sub through real client libraries: tests/clients/python/lists_pubsub.py
// (redis-py) and tests/clients/node/lists_pubsub.js (ioredis) run a BRPOP worker pool and a
// pub/sub fan-out with a pattern subscriber, each against its own rill-server. redis-py is
// required; ioredis is skipped when npm could not install it. The hiredis version of the same
// scenarios is client_hiredis_test.cpp.
#include <gtest/gtest.h>

#include "clients/client_program.h"
#include "support/server_process.h"

namespace rill::test {
namespace {

TEST(ClientListsPubSub, RedisPyWorkerPoolAndFanOut) {
  if (auto why = redis_py_missing()) FAIL() << *why;
  ServerProcess server;
  ASSERT_TRUE(server.started()) << server.failure();
  EXPECT_TRUE(client_program_passes(server, kPython, clients_dir() / "python" / "lists_pubsub.py",
                                    "lists/pubsub ok"));
}

TEST(ClientListsPubSub, IoredisWorkerPoolAndFanOut) {
  if (auto why = ioredis_missing()) GTEST_SKIP() << *why;
  ServerProcess server;
  ASSERT_TRUE(server.started()) << server.failure();
  EXPECT_TRUE(client_program_passes(server, "node", clients_dir() / "node" / "lists_pubsub.js",
                                    "lists/pubsub ok"));
}

}  // namespace
}  // namespace rill::test
