// The fixture the string family's engine tests share: a way to plant a value of another type
// (so WRONGTYPE paths need no list commands), and direct looks at a key's encoding and TTL
// that do not depend on the key commands.
#pragma once

#include <memory>
#include <string>

#include "support/engine_harness.h"

namespace rill::test {

// A value of another type; its content never matters to the string commands.
class FakeList : public core::Object {
 public:
  std::unique_ptr<core::Object> clone() const override { return std::make_unique<FakeList>(); }
  std::string_view encoding() const override { return "listpack"; }
};

inline const std::string kWrongType =
    err("WRONGTYPE Operation against a key holding the wrong kind of value");
inline const std::string kSyntax = err("ERR syntax error");
inline const std::string kNotInt = err("ERR value is not an integer or out of range");
inline const std::string kNotFloat = err("ERR value is not a valid float");

class StringsFixture : public EngineTest {
 protected:
  void put_list(std::string_view key) {
    core::Value v;
    v.type = core::Type::kList;
    v.obj = std::make_unique<FakeList>();
    engine.db(0).put(key, std::move(v));
  }
  const core::Entry* peek(std::string_view key) { return engine.db(0).peek(key, engine.now_ms()); }
  // OBJECT ENCODING, or "" for a missing key.
  std::string encoding(std::string_view key) {
    const core::Entry* e = peek(key);
    return e ? std::string(e->value.encoding()) : "";
  }
  bool is_list(std::string_view key) {
    const core::Entry* e = peek(key);
    return e && e->value.type == core::Type::kList;
  }
  // As PTTL: -2 when missing, -1 without a TTL, else milliseconds left.
  int64_t pttl(std::string_view key) {
    const core::Entry* e = peek(key);
    if (!e) return -2;
    return e->expire_at ? e->expire_at - engine.now_ms() : -1;
  }
  int64_t expire_at(std::string_view key) { return peek(key) ? peek(key)->expire_at : -2; }
  size_t dbsize() { return engine.db(0).size(); }
  // Runs `cmd` between WATCH k and EXEC: true when it counted as a write to k (EXEC aborted).
  bool touches_k(std::string_view cmd) {
    EXPECT_EQ(run("WATCH k"), ok());
    run(cmd);
    EXPECT_EQ(run("MULTI"), ok());
    EXPECT_EQ(run("PING"), simple("QUEUED"));
    return run("EXEC") == nil_array();
  }
  static std::string invalid_expire(std::string_view cmd) {
    return err("ERR invalid expire time in '" + std::string(cmd) + "' command");
  }
};

}  // namespace rill::test
