// Expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT set a key's deadline (with the NX,
// XX, GT, LT conditions of Redis 7.0); TTL, PTTL, EXPIRETIME, PEXPIRETIME read it; PERSIST
// removes it.
//
// A deadline that is already past deletes the key at once (and the command answers 1), as
// Redis does: the key would read as gone anyway, and deleting it now keeps the keyspace and
// the replication stream honest.
#include <cstdint>
#include <string>
#include <vector>

#include "commands/args.h"
#include "commands/command_table.h"
#include "commands/expiry_options.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;

enum Condition : uint8_t { kNx = 1, kXx = 2, kGt = 4, kLt = 8 };

// [NX | XX | GT | LT] from a[3] on. Redis reads all of them before judging the mix, and only
// then the time, so "EXPIRE k abc NX XX" is an option error, not an integer error.
std::optional<uint8_t> read_conditions(Ctx& ctx, Args a) {
  uint8_t c = 0;
  for (size_t i = 3; i < a.size(); ++i) {
    if (iequals(a[i], "NX")) {
      c |= kNx;
    } else if (iequals(a[i], "XX")) {
      c |= kXx;
    } else if (iequals(a[i], "GT")) {
      c |= kGt;
    } else if (iequals(a[i], "LT")) {
      c |= kLt;
    } else {
      ctx.out().error(errors::unsupported_option(a[i]));
      return std::nullopt;
    }
  }
  if ((c & kNx) && (c & (kXx | kGt | kLt))) {
    ctx.out().error(errors::kExpireNxConflict);
    return std::nullopt;
  }
  if ((c & kGt) && (c & kLt)) {
    ctx.out().error(errors::kExpireGtLtConflict);
    return std::nullopt;
  }
  return c;
}

// Whether the conditions let `at` replace `current` (0: the key has no TTL). No TTL counts
// as an infinite one: GT never passes against it, LT always does.
bool allowed(uint8_t c, int64_t current, int64_t at) {
  if ((c & kNx) && current) return false;
  if ((c & kXx) && !current) return false;
  if ((c & kGt) && (!current || at <= current)) return false;
  if ((c & kLt) && current && at >= current) return false;
  return true;
}

// The four setters differ only in the unit and in whether the time counts from now.
void set_expire(Ctx& ctx, Args a, bool seconds, bool relative) {
  auto conditions = read_conditions(ctx, a);
  if (!conditions) return;
  auto amount = int_arg(ctx, a[2]);
  if (!amount) return;
  auto at = to_unix_ms(*amount, seconds, relative, ctx.now_ms());
  if (!at) return ctx.out().error(errors::invalid_expire(a[0]));

  Entry* e = ctx.write(a[1]);
  if (!e || !allowed(*conditions, e->expire_at, *at)) return ctx.out().integer(0);
  const bool past = *at <= ctx.now_ms();
  if (past) {
    ctx.db().remove(a[1], ctx.now_ms());
  } else {
    ctx.db().set_expire(e, *at);
  }
  ctx.touch(a[1]);
  ctx.notify(pubsub::kClassGeneric, past ? "del" : "expire", a[1]);
  ctx.out().integer(1);
  // Propagated with the absolute deadline (a relative one would move on replay), or as the
  // DEL it amounted to.
  if (ctx.propagating()) {
    if (past) {
      ctx.propagate({"DEL", std::string(a[1])});
    } else {
      std::vector<std::string> form{"PEXPIREAT", std::string(a[1]), std::to_string(*at)};
      form.insert(form.end(), a.begin() + 3, a.end());
      ctx.propagate(std::move(form));
    }
  }
}

// EXPIRE key seconds [NX | XX | GT | LT]
void expire(Ctx& ctx, Args a) { set_expire(ctx, a, true, true); }

// PEXPIRE key milliseconds [NX | XX | GT | LT]
void pexpire(Ctx& ctx, Args a) { set_expire(ctx, a, false, true); }

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
void expireat(Ctx& ctx, Args a) { set_expire(ctx, a, true, false); }

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
void pexpireat(Ctx& ctx, Args a) { set_expire(ctx, a, false, false); }

// -2 for a missing key, -1 for a key without TTL, else the time left (or the deadline) in
// milliseconds or in seconds rounded to the nearest, as Redis rounds them.
void reply_ttl(Ctx& ctx, Args a, bool millis, bool absolute) {
  const Entry* e = ctx.peek(a[1]);
  if (!e) return ctx.out().integer(-2);
  if (!e->expire_at) return ctx.out().integer(-1);
  int64_t t = absolute ? e->expire_at : e->expire_at - ctx.now_ms();
  if (t < 0) t = 0;
  // t/1000 rounded half up, without the overflow of (t + 500) near INT64_MAX.
  ctx.out().integer(millis ? t : t / 1000 + (t % 1000 >= 500 ? 1 : 0));
}

// TTL key
void ttl(Ctx& ctx, Args a) { reply_ttl(ctx, a, false, false); }

// PTTL key
void pttl(Ctx& ctx, Args a) { reply_ttl(ctx, a, true, false); }

// EXPIRETIME key
void expiretime(Ctx& ctx, Args a) { reply_ttl(ctx, a, false, true); }

// PEXPIRETIME key
void pexpiretime(Ctx& ctx, Args a) { reply_ttl(ctx, a, true, true); }

// PERSIST key
void persist(Ctx& ctx, Args a) {
  Entry* e = ctx.write(a[1]);
  if (!e || !ctx.db().persist(e)) return ctx.out().integer(0);
  ctx.touch(a[1]);
  ctx.notify(pubsub::kClassGeneric, "persist", a[1]);
  ctx.out().integer(1);
}

constexpr uint32_t kSetter = kWrite | kFast;
constexpr uint32_t kGetter = kReadOnly | kFast;

const Command kExpire[] = {
    {"expire", -3, kSetter, 1, 1, 1, expire,
     {"Set a key's time to live in seconds", "1.0.0", "generic", "O(1)",
      "key seconds [NX | XX | GT | LT]"}},
    {"pexpire", -3, kSetter, 1, 1, 1, pexpire,
     {"Set a key's time to live in milliseconds", "2.6.0", "generic", "O(1)",
      "key milliseconds [NX | XX | GT | LT]"}},
    {"expireat", -3, kSetter, 1, 1, 1, expireat,
     {"Set the expiration for a key as a UNIX timestamp", "1.2.0", "generic", "O(1)",
      "key unix-time-seconds [NX | XX | GT | LT]"}},
    {"pexpireat", -3, kSetter, 1, 1, 1, pexpireat,
     {"Set the expiration for a key as a UNIX timestamp specified in milliseconds", "2.6.0",
      "generic", "O(1)", "key unix-time-milliseconds [NX | XX | GT | LT]"}},
    {"ttl", 2, kGetter, 1, 1, 1, ttl,
     {"Get the time to live for a key in seconds", "1.0.0", "generic", "O(1)", "key"}},
    {"pttl", 2, kGetter, 1, 1, 1, pttl,
     {"Get the time to live for a key in milliseconds", "2.6.0", "generic", "O(1)", "key"}},
    {"expiretime", 2, kGetter, 1, 1, 1, expiretime,
     {"Get the expiration Unix timestamp for a key", "7.0.0", "generic", "O(1)", "key"}},
    {"pexpiretime", 2, kGetter, 1, 1, 1, pexpiretime,
     {"Get the expiration Unix timestamp for a key in milliseconds", "7.0.0", "generic",
      "O(1)", "key"}},
    {"persist", 2, kSetter, 1, 1, 1, persist,
     {"Remove the expiration from a key", "2.2.0", "generic", "O(1)", "key"}},
};

}  // namespace

void add_expire_commands(CommandTable& t) { t.add(kExpire); }

}  // namespace rill::commands
