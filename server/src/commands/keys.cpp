// Key commands: DEL, EXISTS and the rest of the generic keyspace family.
#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;

// DEL key [key ...]
void del(Ctx& ctx, Args a) {
  int64_t n = 0;
  for (size_t i = 1; i < a.size(); ++i) {
    if (ctx.db().remove(a[i], ctx.now_ms())) {
      ++n;
      ctx.touch(a[i]);
    }
  }
  ctx.out().integer(n);
}

// EXISTS key [key ...]
void exists(Ctx& ctx, Args a) {
  int64_t n = 0;
  for (size_t i = 1; i < a.size(); ++i) n += ctx.read(a[i]) ? 1 : 0;
  ctx.out().integer(n);
}

const Command kKeys[] = {
    {"del", -2, kWrite, 1, -1, 1, del,
     {"Delete a key", "1.0.0", "generic",
      "O(N) where N is the number of keys that will be removed.", "key [key ...]"}},
    {"exists", -2, kReadOnly | kFast, 1, -1, 1, exists,
     {"Determine if a key exists", "1.0.0", "generic", "O(N) where N is the number of keys to check.",
      "key [key ...]"}},
};

}  // namespace

void add_key_commands(CommandTable& t) { t.add(kKeys); }

}  // namespace rill::commands
