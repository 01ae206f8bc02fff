// COMMAND and its subcommands, all generated from the command table.
#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;

// COMMAND COUNT
void command_count(Ctx& ctx, Args) {
  ctx.out().integer(static_cast<int64_t>(ctx.engine().commands().all().size()));
}

const Command kCommandSubs[] = {
    {"command|count", 2, kLoading | kStale, 0, 0, 0, command_count,
     {"Get total number of Redis commands", "2.8.13", "server", "O(1)", ""}},
};

const Command kIntrospection[] = {
    {"command", -1, kLoading | kStale, 0, 0, 0, command_count,
     {"Get array of Redis command details", "2.8.13", "server",
      "O(N) where N is the total number of Redis commands", ""},
     kCommandSubs},
};

}  // namespace

void add_introspection_commands(CommandTable& t) { t.add(kIntrospection); }

}  // namespace rill::commands
