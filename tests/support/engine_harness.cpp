#include "support/engine_harness.h"

#include "resp/request_parser.h"

namespace rill::test {

namespace {
core::Config test_config() {
  core::Config c;
  c.port = 0;
  return c;
}
}  // namespace

// The clock is frozen so that idle times and TTLs read exactly; tests move it explicitly.
EngineTest::EngineTest() : engine(test_config()) {
  engine.freeze_clock_for_tests();
  engine.attach(session);
}
EngineTest::~EngineTest() { engine.detach(session); }

std::string EngineTest::run(std::initializer_list<std::string_view> argv) {
  std::vector<std::string_view> v(argv);
  engine.execute(session, v);
  std::string out;
  out.swap(session.out);
  return out;
}

std::string EngineTest::run(const std::vector<std::string>& argv) {
  std::vector<std::string_view> v(argv.begin(), argv.end());
  engine.execute(session, v);
  std::string out;
  out.swap(session.out);
  return out;
}

std::string EngineTest::run(std::string_view line) { return run_as(session, line); }

std::string EngineTest::run_as(core::Session& s, std::string_view line) {
  std::vector<std::string> words;
  EXPECT_TRUE(resp::split_inline_args(line, words)) << line;
  std::vector<std::string_view> v(words.begin(), words.end());
  engine.execute(s, v);
  std::string out;
  out.swap(s.out);
  return out;
}

std::string ok() { return "+OK\r\n"; }
std::string simple(std::string_view s) { return "+" + std::string(s) + "\r\n"; }
std::string err(std::string_view text) { return "-" + std::string(text) + "\r\n"; }
std::string integer(int64_t n) { return ":" + std::to_string(n) + "\r\n"; }
std::string bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}
std::string nil() { return "$-1\r\n"; }
std::string nil_array() { return "*-1\r\n"; }
std::string arr(std::initializer_list<std::string> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& i : items) out += i;
  return out;
}
std::string bulks(std::initializer_list<std::string_view> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (auto i : items) out += bulk(i);
  return out;
}

std::string entry(std::string_view id, std::initializer_list<std::string_view> fields) {
  return arr({bulk(id), bulks(fields)});
}
std::string stream(std::string_view key, std::initializer_list<std::string> entries) {
  return arr({bulk(key), arr(entries)});
}

}  // namespace rill::test
