// The blocking list pops: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP.
//
// Each one first tries its plain form (lists.cpp). When every key is empty it parks the
// client (Ctx::block) and writes no reply; the engine re-runs the same handler when a push
// marks one of its keys ready, and a re-run that still finds nothing parks again in the same
// place, so clients are served first come, first served. Inside MULTI nothing may block:
// the timeout reply is given at once, as Redis does.
#include <optional>

#include "commands/args.h"
#include "commands/command_table.h"
#include "commands/lists.h"

namespace rill::commands {
namespace {

using blocking::TimeoutReply;
using core::Ctx;
using lists::End;
using lists::Outcome;

// What a blocking command answers inside MULTI, where it may not block.
enum class Immediate : uint8_t { kNullArray, kNull };

// Parks the client on `keys`, or answers at once when it may not block. Redis 7.0 times out
// every blocking list pop with a null array, BLMOVE included; only BLMOVE's immediate
// answer inside MULTI is a plain null.
void block_or_answer(Ctx& ctx, Args keys, int64_t timeout_ms, Immediate now, Args a) {
  if (!ctx.can_block()) return now == Immediate::kNull ? ctx.out().null() : ctx.out().null_array();
  ctx.block(keys, timeout_ms, TimeoutReply::kNullArray, a);
}

void bpop(Ctx& ctx, Args a, End end) {
  auto timeout = lists::timeout_arg(ctx, a.back());
  if (!timeout) return;
  Args keys = a.subspan(1, a.size() - 2);
  if (lists::pop_first(ctx, keys, end) == Outcome::kEmpty) {
    block_or_answer(ctx, keys, *timeout, Immediate::kNullArray, a);
  }
}

// BLPOP key [key ...] timeout
void blpop(Ctx& ctx, Args a) { bpop(ctx, a, End::kLeft); }
// BRPOP key [key ...] timeout
void brpop(Ctx& ctx, Args a) { bpop(ctx, a, End::kRight); }

void bmove(Ctx& ctx, Args a, End from, End to, std::string_view timeout_arg) {
  auto timeout = lists::timeout_arg(ctx, timeout_arg);
  if (!timeout) return;
  if (lists::move(ctx, a[1], a[2], from, to) == Outcome::kEmpty) {
    block_or_answer(ctx, a.subspan(1, 1), *timeout, Immediate::kNull, a);
  }
}

// BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout
void blmove(Ctx& ctx, Args a) {
  auto from = lists::parse_end(a[3]);
  auto to = lists::parse_end(a[4]);
  if (!from || !to) return ctx.out().error(errors::kSyntax);
  bmove(ctx, a, *from, *to, a[5]);
}

// BRPOPLPUSH source destination timeout
void brpoplpush(Ctx& ctx, Args a) { bmove(ctx, a, End::kRight, End::kLeft, a[3]); }

// BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
void blmpop(Ctx& ctx, Args a) {
  // Redis reads numkeys, the end and COUNT before the timeout.
  auto spec = lists::parse_mpop(ctx, a, 2);
  if (!spec) return;
  auto timeout = lists::timeout_arg(ctx, a[1]);
  if (!timeout) return;
  if (lists::mpop(ctx, *spec) == Outcome::kEmpty) {
    block_or_answer(ctx, spec->keys, *timeout, Immediate::kNullArray, a);
  }
}

constexpr uint32_t kBlockingWrite = kWrite | kBlocking;

// The timeout, numkeys, then the keys.
constexpr MovableKeys kBlmpopKeys{"", 2, MovableKeys::Find::kKeyNum, "RW access delete"};

const Command kListsBlocking[] = {
    {"blpop", -3, kBlockingWrite, 1, -2, 1, blpop,
     {"Remove and get the first element in a list, or block until one is available", "2.0.0",
      "list", "O(N) where N is the number of provided keys", "key [key ...] timeout"}},
    {"brpop", -3, kBlockingWrite, 1, -2, 1, brpop,
     {"Remove and get the last element in a list, or block until one is available", "2.0.0",
      "list", "O(N) where N is the number of provided keys", "key [key ...] timeout"}},
    {"blmove", 6, kBlockingWrite | kDenyOom, 1, 2, 1, blmove,
     {"Pop an element from a list, push it to another list and return it; or block until one "
      "is available",
      "6.2.0", "list", "O(1)", "source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout"}},
    {"brpoplpush", 4, kBlockingWrite | kDenyOom, 1, 2, 1, brpoplpush,
     {"Pop an element from a list, push it to another list and return it; or block until one "
      "is available",
      "2.2.0", "list", "O(1)", "source destination timeout"}},
    {"blmpop", -5, kBlockingWrite, 0, 0, 0, blmpop,
     {"Pop elements from a list, or block until one is available", "7.0.0", "list", "O(N+M)",
      "timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]"},
     {},
     &kBlmpopKeys},
};

}  // namespace

void add_list_blocking_commands(CommandTable& t) { t.add(kListsBlocking); }

}  // namespace rill::commands
