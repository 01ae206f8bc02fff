// A real client library against rill: redis-py (Debian's python3-redis) runs SET/GET, EXPIRE
// and a transactional pipeline (MULTI/EXEC) the way applications use them. Skipped when
// /usr/bin/python3 cannot import redis (scripts/install-deps.sh installs it).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "support/server_process.h"

namespace rill::test {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

const char* const kScript = R"PY(
import sys
import redis

r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), socket_timeout=10)
assert r.ping() is True
assert r.set("py:k", "v1") is True
assert r.get("py:k") == b"v1", r.get("py:k")
assert r.get("py:missing") is None
assert r.set("py:k", "v2", nx=True) is None
assert r.set("py:k", "v2", xx=True) is True

assert r.expire("py:k", 100) is True
ttl = r.ttl("py:k")
assert 99 <= ttl <= 100, ttl
assert r.expire("py:missing", 100) is False

with r.pipeline(transaction=True) as p:
    p.set("py:n", 1).incr("py:n").incrby("py:n", 10).get("py:n")
    result = p.execute()
assert result == [True, 2, 12, b"12"], result

with r.pipeline(transaction=False) as p:
    for i in range(1000):
        p.set("py:bulk:%d" % i, i)
    assert all(x is True for x in p.execute())
assert r.get("py:bulk:999") == b"999"

assert r.delete("py:k", "py:n", "py:missing") == 2
print("redis-py ok")
)PY";

bool python_has_redis() {
  std::string cmd = std::string(kPython) + " -c 'import redis' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

TEST(RedisPy, SetGetExpireAndTransaction) {
  if (!python_has_redis()) {
    GTEST_SKIP() << kPython << " cannot import redis: install Debian's python3-redis "
                 << "(scripts/install-deps.sh does)";
  }
  ServerProcess server;
  ASSERT_TRUE(server.started()) << server.failure();
  const std::string script = server.dir() + "/client.py";
  std::ofstream(script) << kScript;
  const std::string out_path = server.dir() + "/client.out";
  const std::string cmd = std::string(kPython) + " " + script + " " + std::to_string(server.port()) +
                          " >" + out_path + " 2>&1";
  int status = std::system(cmd.c_str());
  std::ifstream in(out_path);
  std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  EXPECT_NE(output.find("redis-py ok"), std::string::npos) << output;
}

}  // namespace
}  // namespace rill::test
