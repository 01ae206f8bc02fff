// Server commands: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, SHUTDOWN, LASTSAVE, ROLE.
// (INFO lives in info.cpp, CONFIG in config_command.cpp.)
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

// SWAPDB index1 index2
void swapdb(Ctx& ctx, Args a) {
  auto first = core::parse_int(a[1]);
  if (!first) return ctx.out().error(errors::kInvalidFirstDbIndex);
  auto second = core::parse_int(a[2]);
  if (!second) return ctx.out().error(errors::kInvalidSecondDbIndex);
  const int64_t n = ctx.engine().db_count();
  if (*first < 0 || *first >= n || *second < 0 || *second >= n) {
    return ctx.out().error(errors::kDbIndexOutOfRange);
  }
  ctx.engine().swap_dbs(static_cast<int>(*first), static_cast<int>(*second));
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

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
// Asks the engine to stop; the server stops once this turn's replies are written. Nothing is
// answered on success, as in Redis, whose process is gone by then. There is no persistence
// yet, so SAVE has nothing to write, and a shutdown never waits for anything: ABORT always
// finds none in progress.
void shutdown(Ctx& ctx, Args a) {
  bool nosave = false, save = false, abort = false, other = false;
  for (size_t i = 1; i < a.size(); ++i) {
    if (iequals(a[i], "NOSAVE")) {
      nosave = true;
    } else if (iequals(a[i], "SAVE")) {
      save = true;
    } else if (iequals(a[i], "NOW") || iequals(a[i], "FORCE")) {
      other = true;
    } else if (iequals(a[i], "ABORT")) {
      abort = true;
    } else {
      return ctx.out().error(errors::kSyntax);
    }
  }
  if ((abort && (nosave || save || other)) || (nosave && save)) {
    return ctx.out().error(errors::kSyntax);
  }
  if (abort) return ctx.out().error(errors::kNoShutdownInProgress);
  ctx.engine().request_shutdown();
}

// LASTSAVE
// The time of the last successful save. Nothing is saved yet (no snapshot or AOF), so this
// is when the server started, as Redis reports for a server that never saved.
void lastsave(Ctx& ctx, Args) { ctx.out().integer(ctx.engine().stats().start_ms / 1000); }

// ROLE: always a master with no replicas until replication exists.
void role(Ctx& ctx, Args) {
  ctx.out().array(3);
  ctx.out().bulk("master");
  ctx.out().integer(0);
  ctx.out().array(0);
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
    {"swapdb", 3, kWrite | kFast, 0, 0, 0, swapdb,
     {"Swaps two Redis databases", "4.0.0", "server",
      "O(N) where N is the count of clients watching or blocking on keys from both databases.",
      "index1 index2"}},
    {"time", 1, kLoading | kStale | kFast, 0, 0, 0, time,
     {"Return the current server time", "2.6.0", "server", "O(1)", ""}},
    {"shutdown", -1, kAdmin | kNoScript | kLoading | kStale | kNoMulti | kAllowBusy, 0, 0, 0,
     shutdown,
     {"Synchronously save the dataset to disk and then shut down the server", "1.0.0", "server",
      "O(N) when saving, where N is the total number of keys in all databases when saving "
      "data, otherwise O(1)",
      "[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]"}},
    {"lastsave", 1, kLoading | kStale | kFast, 0, 0, 0, lastsave,
     {"Get the UNIX time stamp of the last successful save to disk", "1.0.0", "server", "O(1)",
      ""}},
    {"role", 1, kNoScript | kLoading | kStale | kFast, 0, 0, 0, role,
     {"Return the role of the instance in the context of replication", "2.8.12", "server",
      "O(1)", ""}},
};

}  // namespace

void add_server_commands(CommandTable& t) { t.add(kServer); }

}  // namespace rill::commands
