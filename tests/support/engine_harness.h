// Runs commands through an in-process Engine, as a client would send them, and returns the
// raw reply bytes. Engine tests compare those bytes with the helpers below, which spell RESP
// the way Redis writes it, so a test reads like a redis-cli session:
//
//   EXPECT_EQ(run({"SET", "k", "v", "NX"}), ok());
//   EXPECT_EQ(run("GET k"), bulk("v"));
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine.h"

namespace rill::test {

class EngineTest : public ::testing::Test {
 protected:
  EngineTest();
  ~EngineTest() override;

  // Runs one command; returns what it wrote to the session (and clears the buffer).
  std::string run(std::initializer_list<std::string_view> argv);
  std::string run(const std::vector<std::string>& argv);
  // Splits `line` as an inline command (quotes allowed) and runs it.
  std::string run(std::string_view line);
  // A second client of the same engine.
  std::string run_as(core::Session& s, std::string_view line);
  // What a session received outside its own commands (a served blocked command, a pub/sub
  // message), and clears it.
  static std::string take(core::Session& s) {
    std::string out;
    out.swap(s.out);
    return out;
  }
  void attach(core::Session& s) { engine.attach(s); }
  void detach(core::Session& s) { engine.detach(s); }

  core::Engine engine;
  core::Session session;
};

// Expected replies, RESP2 bytes unless said otherwise.
std::string ok();
std::string simple(std::string_view s);
std::string err(std::string_view text);  // err("ERR syntax error")
std::string integer(int64_t n);
std::string bulk(std::string_view s);
std::string nil();                        // "$-1\r\n"
std::string nil_array();                  // "*-1\r\n"
std::string arr(std::initializer_list<std::string> items);  // items already encoded
std::string bulks(std::initializer_list<std::string_view> items);  // array of bulk strings
// A stream entry as XRANGE writes it: [id, [field, value, ...]].
std::string entry(std::string_view id, std::initializer_list<std::string_view> fields);
// One stream of an XREAD / XREADGROUP reply in RESP2: [key, [entry, ...]].
std::string stream(std::string_view key, std::initializer_list<std::string> entries);

}  // namespace rill::test
