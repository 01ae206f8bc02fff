// String commands: GET, SET and the rest of the string family.
#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Type;
using core::Value;

// GET key
void get(Ctx& ctx, Args a) {
  bool wrong;
  core::Entry* e = read_typed(ctx, a[1], Type::kString, &wrong);
  if (wrong) return;
  if (!e) return ctx.out().null();
  ctx.out().bulk(e->value.str);
}

// SET key value
void set(Ctx& ctx, Args a) {
  ctx.db().put(a[1], Value::string(a[2]));
  ctx.touch(a[1]);
  ctx.out().ok();
}

constexpr uint32_t kRW = kWrite | kDenyOom;

const Command kStrings[] = {
    {"get", 2, kReadOnly | kFast, 1, 1, 1, get,
     {"Get the value of a key", "1.0.0", "string", "O(1)", "key"}},
    {"set", -3, kRW, 1, 1, 1, set,
     {"Set the string value of a key", "1.0.0", "string", "O(1)",
      "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | "
      "PXAT unix-time-milliseconds | KEEPTTL]"}},
};

}  // namespace

void add_string_commands(CommandTable& t) { t.add(kStrings); }

}  // namespace rill::commands
