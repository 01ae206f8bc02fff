// rill-server: reads flags and an optional config file, then serves until SHUTDOWN or a
// stop signal.
//
//   rill-server [/path/to/rill.conf] [--port 6379] [--bind 127.0.0.1] [--unixsocket path]
//               [--requirepass secret] [--databases 16] [--<any config parameter> value]
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <asio.hpp>

#include "core/config.h"
#include "core/engine.h"
#include "net/server.h"
#include "core/version.h"

namespace {

void usage() {
  std::fprintf(stderr,
               "Usage: rill-server [/path/to/rill.conf] [--port 6379] [--bind addr...]\n"
               "                   [--unixsocket path] [--requirepass pass] [--databases n]\n"
               "                   [--<config parameter> value ...]\n"
               "       rill-server --version\n");
}

}  // namespace

int main(int argc, char** argv) {
  using rill::core::Config;
  Config config;
  int i = 1;
  if (i < argc && (!std::strcmp(argv[i], "--version") || !std::strcmp(argv[i], "-v"))) {
    std::printf("rill-server v=%s (Redis %s compatible)\n", rill::kVersion, rill::kRedisVersion);
    return 0;
  }
  if (i < argc && (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h"))) {
    usage();
    return 0;
  }
  if (i < argc && argv[i][0] != '-') {
    char resolved[PATH_MAX];
    config.config_file = realpath(argv[i], resolved) ? resolved : argv[i];
    if (auto s = rill::core::load_config_file(config, argv[i]); !s) {
      std::fprintf(stderr, "%s\n", std::string(s.text()).c_str());
      return 1;
    }
    ++i;
  }
  // "--name v1 v2 --other v" : every word up to the next "--" belongs to the option.
  while (i < argc) {
    if (std::strncmp(argv[i], "--", 2) != 0) {
      std::fprintf(stderr, "Unexpected argument '%s'\n", argv[i]);
      usage();
      return 1;
    }
    std::string name = argv[i++] + 2;
    std::vector<std::string> values;
    while (i < argc && std::strncmp(argv[i], "--", 2) != 0) values.emplace_back(argv[i++]);
    if (auto s = rill::core::apply_config(config, name, values, true); !s) {
      std::fprintf(stderr, "*** FATAL CONFIG ERROR *** '--%s': %s\n", name.c_str(),
                   std::string(s.text()).c_str());
      return 1;
    }
  }

  asio::io_context io(1);
  rill::core::Engine engine(config);
  rill::net::Server server(io, engine);
  if (auto s = server.listen(); !s) {
    std::fprintf(stderr, "%s\n", std::string(s.text()).c_str());
    return 1;
  }
  std::fprintf(stderr, "rill-server %s ready: port %d%s%s\n", rill::kVersion, config.port,
               config.unixsocket.empty() ? "" : ", unix socket ", config.unixsocket.c_str());
  server.run();
  std::fprintf(stderr, "rill-server: shutting down\n");
  return 0;
}
