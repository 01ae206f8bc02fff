// Server commands: DBSIZE, FLUSHDB, FLUSHALL, TIME, SHUTDOWN, and INFO / CONFIG.
#include <chrono>

#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;

// DBSIZE
void dbsize(Ctx& ctx, Args) { ctx.out().integer(static_cast<int64_t>(ctx.db().size())); }

// FLUSHDB [ASYNC | SYNC]
void flushdb(Ctx& ctx, Args a) {
  if (a.size() > 2 || (a.size() == 2 && !iequals(a[1], "ASYNC") && !iequals(a[1], "SYNC"))) {
    return ctx.out().error(errors::kSyntax);
  }
  ctx.db().clear();
  ctx.engine().touch_all(ctx.session().db);
  ++ctx.engine().stats().dirty;
  ctx.out().ok();
}

// FLUSHALL [ASYNC | SYNC]
void flushall(Ctx& ctx, Args a) {
  if (a.size() > 2 || (a.size() == 2 && !iequals(a[1], "ASYNC") && !iequals(a[1], "SYNC"))) {
    return ctx.out().error(errors::kSyntax);
  }
  for (int i = 0; i < ctx.engine().db_count(); ++i) ctx.engine().db(i).clear();
  ctx.engine().touch_all(-1);
  ++ctx.engine().stats().dirty;
  ctx.out().ok();
}

// TIME
void time(Ctx& ctx, Args) {
  using namespace std::chrono;
  auto us = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  ctx.out().array(2);
  ctx.out().bulk(std::to_string(us / 1000000));
  ctx.out().bulk(std::to_string(us % 1000000));
}

const Command kServer[] = {
    {"dbsize", 1, kReadOnly | kFast, 0, 0, 0, dbsize,
     {"Return the number of keys in the selected database", "1.0.0", "server", "O(1)", ""}},
    {"flushdb", -1, kWrite, 0, 0, 0, flushdb,
     {"Remove all keys from the current database", "1.0.0", "server",
      "O(N) where N is the number of keys in the selected database", "[ASYNC | SYNC]"}},
    {"flushall", -1, kWrite, 0, 0, 0, flushall,
     {"Remove all keys from all databases", "1.0.0", "server",
      "O(N) where N is the total number of keys in all databases", "[ASYNC | SYNC]"}},
    {"time", 1, kLoading | kStale | kFast, 0, 0, 0, time,
     {"Return the current server time", "2.6.0", "server", "O(1)", ""}},
};

}  // namespace

void add_server_commands(CommandTable& t) { t.add(kServer); }

}  // namespace rill::commands
