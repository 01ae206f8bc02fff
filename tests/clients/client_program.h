// Runs one of the client programs in this folder (python/, node/) against a rill-server, as
// tests/integration/client_*_test.cpp do: each program takes the port as its only argument,
// prints "<name> ok" and exits 0 when every check passed. A program that hangs is killed
// after a timeout, so a stuck client fails its test instead of the whole run.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/server_process.h"

extern char** environ;

namespace rill::test {

// Debian's interpreter, which has python3-redis; a python3 earlier on PATH (pyenv, a venv)
// may not.
inline constexpr const char* kPython = "/usr/bin/python3";
inline constexpr auto kProgramTimeout = std::chrono::seconds(40);

// The folder that holds this header and the programs. CMake compiles with absolute include
// paths, so __FILE__ names it wherever the tree is checked out.
inline std::filesystem::path clients_dir() {
  return std::filesystem::path(__FILE__).parent_path();
}

struct ProgramRun {
  bool finished = false;  // false: it did not start, or it was killed after the timeout
  int exit_code = -1;
  std::string output;     // stdout and stderr together
};

// Runs `argv` (argv[0] looked up on PATH) with its output in `out_path`, waiting up to
// `timeout`.
inline ProgramRun run_program(const std::vector<std::string>& argv, const std::string& out_path,
                              std::chrono::milliseconds timeout = kProgramTimeout) {
  ProgramRun run;
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  // Python must not write __pycache__ into the source tree.
  std::vector<std::string> env{"PYTHONDONTWRITEBYTECODE=1"};
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  std::vector<char*> cenv;
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    run.output = "cannot start " + argv[0] + ": " + std::strerror(rc);
    return run;
  }

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      status = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::ifstream in(out_path);
  std::stringstream text;
  text << in.rdbuf();
  run.output = text.str();
  if (status == -1) {
    run.output += "\n(killed after " + std::to_string(timeout.count()) + " ms)";
  } else if (WIFEXITED(status)) {
    run.finished = true;
    run.exit_code = WEXITSTATUS(status);
  } else {
    run.output += "\n(ended by signal " + std::to_string(WTERMSIG(status)) + ")";
  }
  return run;
}

// Why the redis-py programs cannot run here, or nullopt when they can. Debian's python3-redis
// is a dependency (scripts/install-deps.sh installs it): its absence fails the test.
inline std::optional<std::string> redis_py_missing() {
  const std::string cmd = std::string(kPython) + " -c 'import redis' >/dev/null 2>&1";
  if (std::system(cmd.c_str()) == 0) return std::nullopt;
  return std::string(kPython) + " cannot import redis: install Debian's python3-redis " +
         "(scripts/install-deps.sh does)";
}

// Why the ioredis programs cannot run here, or nullopt when they can. ioredis comes from the
// npm registry, which a machine may not reach: its absence skips the test.
inline std::optional<std::string> ioredis_missing() {
  const auto module = clients_dir() / "node" / "node_modules" / "ioredis" / "package.json";
  if (std::filesystem::exists(module)) return std::nullopt;
  return module.parent_path().string() + " is absent (scripts/install-deps.sh runs `npm ci` " +
         "in tests/clients/node when the npm registry can be reached)";
}

// Runs `script` with `interpreter` against `server`; passes when it exits 0 and prints
// `ok_line`, and otherwise carries the program's output.
inline ::testing::AssertionResult client_program_passes(const ServerProcess& server,
                                                        const std::string& interpreter,
                                                        const std::filesystem::path& script,
                                                        const std::string& ok_line) {
  const std::string out_path = server.dir() + "/" + script.filename().string() + ".out";
  ProgramRun run =
      run_program({interpreter, script.string(), std::to_string(server.port())}, out_path);
  if (run.finished && run.exit_code == 0 && run.output.find(ok_line) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  auto failure = ::testing::AssertionFailure() << interpreter << " " << script.string();
  if (run.finished) failure << " exited with " << run.exit_code;
  return failure << "\n--- its output ---\n" << run.output << "\n--- server log ---\n"
                 << server.log();
}

}  // namespace rill::test
