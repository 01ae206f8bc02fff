// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queueing itself happens in
// Engine::execute, where every command passes; here are the commands that steer it.
#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;

// MULTI
void multi(Ctx& ctx, Args) {
  core::Session& s = ctx.session();
  if (s.in_multi) return ctx.out().error(errors::kNestedMulti);
  s.in_multi = true;
  s.multi_failed = false;
  s.queued.clear();
  ctx.out().ok();
}

void end_transaction(Ctx& ctx) {
  core::Session& s = ctx.session();
  s.in_multi = false;
  s.multi_failed = false;
  s.queued.clear();
  ctx.engine().unwatch(s);
}

// EXEC
void exec(Ctx& ctx, Args) {
  core::Session& s = ctx.session();
  if (!s.in_multi) return ctx.out().error(errors::kExecWithoutMulti);
  if (s.multi_failed) {
    end_transaction(ctx);
    return ctx.out().error(errors::kExecAbort);
  }
  if (s.watch_dirty || ctx.engine().watched_key_expired(s)) {
    end_transaction(ctx);
    return ctx.out().null_array();
  }
  // Unwatch first: the transaction's own writes must not mark it dirty.
  ctx.engine().unwatch(s);
  ctx.engine().execute_queued(s);
  s.multi_failed = false;
}

// DISCARD
void discard(Ctx& ctx, Args) {
  if (!ctx.session().in_multi) return ctx.out().error(errors::kDiscardWithoutMulti);
  end_transaction(ctx);
  ctx.out().ok();
}

// WATCH key [key ...]
void watch(Ctx& ctx, Args a) {
  if (ctx.session().in_multi) return ctx.out().error(errors::kWatchInMulti);
  // A key that is already logically expired counts as absent from the start, so its
  // deletion must not fail the transaction: delete it now, and report the deletion before
  // this session becomes a watcher.
  for (size_t i = 1; i < a.size(); ++i) ctx.write(a[i]);
  ctx.engine().drain_expired();
  for (size_t i = 1; i < a.size(); ++i) ctx.engine().watch(ctx.session(), ctx.session().db, a[i]);
  ctx.out().ok();
}

// UNWATCH
void unwatch(Ctx& ctx, Args) {
  ctx.engine().unwatch(ctx.session());
  ctx.out().ok();
}

constexpr uint32_t kTx = kNoScript | kLoading | kStale | kFast | kAllowBusy;

const Command kTransactions[] = {
    {"multi", 1, kTx, 0, 0, 0, multi,
     {"Start a transaction", "1.2.0", "transactions", "O(1)", ""}},
    {"exec", 1, kNoScript | kLoading | kStale | kSkipMonitor, 0, 0, 0, exec,
     {"Execute all commands issued after MULTI", "1.2.0", "transactions",
      "Depends on commands in the transaction", ""}},
    {"discard", 1, kTx, 0, 0, 0, discard,
     {"Discard all commands issued after MULTI", "2.0.0", "transactions",
      "O(N), when N is the number of queued commands", ""}},
    {"watch", -2, kTx, 1, -1, 1, watch,
     {"Watch the given keys to determine execution of the MULTI/EXEC block", "2.2.0",
      "transactions", "O(1) for every key.", "key [key ...]"}},
    {"unwatch", 1, kTx, 0, 0, 0, unwatch,
     {"Forget about all watched keys", "2.2.0", "transactions", "O(1)", ""}},
};

}  // namespace

void add_transaction_commands(CommandTable& t) { t.add(kTransactions); }

}  // namespace rill::commands
