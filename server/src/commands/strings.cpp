// String commands on whole values: GET, SET and its older forms (SETNX, SETEX, PSETEX,
// GETSET), the multi-key MGET, MSET and MSETNX, and GETDEL and GETEX. Lengths and ranges live
// in strings_ranges.cpp, the INCR family in strings_numbers.cpp.
//
// A stored value goes through Value::string, so OBJECT ENCODING reports int, embstr or raw as
// Redis's tryObjectEncoding would.
#include <optional>
#include <string>

#include "commands/args.h"
#include "commands/command_table.h"
#include "commands/expiry_options.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;
using core::Type;
using core::Value;

// Stores `value` at `key` as Redis's setKey does. `e` is what ctx.write(key) returned (null
// when absent); whatever it holds, of any type, is replaced, and its TTL dropped unless
// keep_ttl. Going through ctx.write() first matters: it removes an expired key, so a kept TTL
// is never one that has already passed. Announces "new" (for a key it adds) and "set".
Entry* put_string(Ctx& ctx, Entry* e, std::string_view key, std::string_view value,
                  bool keep_ttl) {
  if (!e) {
    e = ctx.add(key, Value::string(value));
  } else {
    e->value = Value::string(value);
    if (!keep_ttl) ctx.db().persist(e);
  }
  ctx.notify(pubsub::kClassString, "set", key);
  return e;
}

// Replies the string at `key` (nil when missing) as GET does. Returns false when the key holds
// another type: WRONGTYPE has been replied and the caller must stop.
bool reply_value(Ctx& ctx, std::string_view key, Entry** found) {
  *found = nullptr;
  bool wrong;
  Entry* e = read_typed(ctx, key, Type::kString, &wrong);
  if (wrong) return false;
  if (e) {
    ctx.out().bulk(e->value.str);
  } else {
    ctx.out().null();
  }
  *found = e;
  return true;
}

// GET key
void get(Ctx& ctx, Args a) {
  Entry* e;
  reply_value(ctx, a[1], &e);
}

enum class Condition : uint8_t { kAlways, kIfAbsent, kIfPresent };  // -, NX, XX

struct SetOptions {
  Condition cond = Condition::kAlways;
  bool get = false;
  ExpiryOption expiry;
};

// Reads SET's options from a[3...]; false on a syntax error. As in Redis, repeating an option
// is allowed and only a clash (NX with XX, two expiry kinds) is refused.
bool read_set_options(Args a, SetOptions& o) {
  for (size_t i = 3; i < a.size(); ++i) {
    std::string_view w = a[i];
    if (iequals(w, "NX") && o.cond != Condition::kIfPresent) {
      o.cond = Condition::kIfAbsent;
    } else if (iequals(w, "XX") && o.cond != Condition::kIfAbsent) {
      o.cond = Condition::kIfPresent;
    } else if (iequals(w, "GET")) {
      o.get = true;
    } else if (read_expiry_option(a, i, ExpiryGrammar::kSet, o.expiry) != OptionRead::kTaken) {
      return false;
    }
  }
  return true;
}

// SET with a TTL propagates as SET key value PXAT <deadline> (core/propagation.h): replayed
// later, a relative EX / PX would give the key a longer life than it had.
void propagate_set_pxat(Ctx& ctx, std::string_view key, std::string_view value,
                        int64_t deadline_ms) {
  if (!ctx.propagating()) return;
  ctx.propagate({"SET", std::string(key), std::string(value), "PXAT", std::to_string(deadline_ms)});
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//     PXAT unix-time-milliseconds | KEEPTTL]
//
// Checks run in Redis's order: syntax, then the expire time, then (with GET) the old value's
// type, and only then the NX/XX condition. A deadline already past is stored as given; the key
// then expires on its next access, as in Redis 7.0.
void set(Ctx& ctx, Args a) {
  SetOptions o;
  if (!read_set_options(a, o)) return ctx.out().error(errors::kSyntax);
  std::optional<int64_t> deadline;
  if (o.expiry.has_time()) {
    deadline = expiry_deadline(ctx, o.expiry, a[0]);
    if (!deadline) return;
  }
  if (o.get) {
    Entry* old;
    if (!reply_value(ctx, a[1], &old)) return;
  }
  Entry* e = ctx.write(a[1]);
  if ((o.cond == Condition::kIfAbsent && e) || (o.cond == Condition::kIfPresent && !e)) {
    if (!o.get) ctx.out().null();
    return;
  }
  e = put_string(ctx, e, a[1], a[2], o.expiry.kind == Expiry::kKeepTtl);
  // Touch first: touch() looks the key up, which would delete it at once if its deadline had
  // already passed, and Redis 7.0 keeps such a key until its next access.
  ctx.touch(a[1]);
  if (deadline) {
    ctx.db().set_expire(e, *deadline);
    ctx.notify(pubsub::kClassGeneric, "expire", a[1]);
    // A relative TTL would mean a later deadline when replayed: it goes out absolute.
    if (o.expiry.kind != Expiry::kPxAt) propagate_set_pxat(ctx, a[1], a[2], *deadline);
  }
  if (!o.get) ctx.out().ok();
}

// SETNX key value
void setnx(Ctx& ctx, Args a) {
  Entry* e = ctx.write(a[1]);
  if (e) return ctx.out().integer(0);
  put_string(ctx, e, a[1], a[2], false);
  ctx.touch(a[1]);
  ctx.out().integer(1);
}

// SETEX key seconds value, PSETEX key milliseconds value: SET with EX or PX, which also
// replaces a value of another type.
void set_with_ttl(Ctx& ctx, Args a, Expiry unit) {
  auto deadline = expiry_deadline(ctx, ExpiryOption{unit, a[2]}, a[0]);
  if (!deadline) return;
  Entry* e = put_string(ctx, ctx.write(a[1]), a[1], a[3], false);
  ctx.db().set_expire(e, *deadline);
  ctx.notify(pubsub::kClassGeneric, "expire", a[1]);
  ctx.touch(a[1]);
  propagate_set_pxat(ctx, a[1], a[3], *deadline);
  ctx.out().ok();
}

// SETEX key seconds value
void setex(Ctx& ctx, Args a) { set_with_ttl(ctx, a, Expiry::kEx); }

// PSETEX key milliseconds value
void psetex(Ctx& ctx, Args a) { set_with_ttl(ctx, a, Expiry::kPx); }

// GETSET key value
void getset(Ctx& ctx, Args a) {
  Entry* e;
  if (!reply_value(ctx, a[1], &e)) return;
  put_string(ctx, e, a[1], a[2], false);
  ctx.touch(a[1]);
}

// GETDEL key
void getdel(Ctx& ctx, Args a) {
  Entry* e;
  if (!reply_value(ctx, a[1], &e) || !e) return;
  ctx.db().remove(a[1], ctx.now_ms());
  ctx.touch(a[1]);
  ctx.notify(pubsub::kClassGeneric, "del", a[1]);
  if (ctx.propagating()) ctx.propagate({"DEL", std::string(a[1])});
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//     PXAT unix-time-milliseconds | PERSIST]
//
// Unlike SET, the expire time is checked only once the key is known to be a string, so a
// missing key answers nil whatever the amount. An EXAT/PXAT already past deletes the key at
// once (a deletion, not an expiry, in the statistics), as Redis does.
void getex(Ctx& ctx, Args a) {
  ExpiryOption opt;
  for (size_t i = 2; i < a.size(); ++i) {
    if (read_expiry_option(a, i, ExpiryGrammar::kGetex, opt) != OptionRead::kTaken) {
      return ctx.out().error(errors::kSyntax);
    }
  }
  bool wrong;
  Entry* e = read_typed(ctx, a[1], Type::kString, &wrong);
  if (wrong) return;
  if (!e) return ctx.out().null();
  std::optional<int64_t> deadline;
  if (opt.has_time()) {
    deadline = expiry_deadline(ctx, opt, a[0]);
    if (!deadline) return;
  }
  ctx.out().bulk(e->value.str);
  // Propagated as what it did to the key: DEL, PEXPIREAT with the absolute deadline, PERSIST.
  const bool propagating = ctx.propagating();
  if (deadline && opt.is_absolute() && *deadline <= ctx.now_ms()) {
    ctx.db().remove(a[1], ctx.now_ms());
    ctx.touch(a[1]);
    ctx.notify(pubsub::kClassGeneric, "del", a[1]);
    if (propagating) ctx.propagate({"DEL", std::string(a[1])});
  } else if (deadline) {
    ctx.db().set_expire(e, *deadline);
    ctx.touch(a[1]);
    ctx.notify(pubsub::kClassGeneric, "expire", a[1]);
    if (propagating) {
      ctx.propagate({"PEXPIREAT", std::string(a[1]), std::to_string(*deadline)});
    }
  } else if (opt.kind == Expiry::kPersist && ctx.db().persist(e)) {
    ctx.touch(a[1]);
    ctx.notify(pubsub::kClassGeneric, "persist", a[1]);
    if (propagating) ctx.propagate({"PERSIST", std::string(a[1])});
  }
}

// MGET key [key ...]
void mget(Ctx& ctx, Args a) {
  ctx.out().array(a.size() - 1);
  for (size_t i = 1; i < a.size(); ++i) {
    Entry* e = ctx.read(a[i]);
    // A key of another type reads as nil: MGET never fails on a type.
    if (e && e->value.type == Type::kString) {
      ctx.out().bulk(e->value.str);
    } else {
      ctx.out().null();
    }
  }
}

// MSET and MSETNX take key-value pairs; an odd count is an arity error, which the table's
// "at least 3" cannot express.
bool pairs_complete(Ctx& ctx, Args a) {
  if (a.size() % 2 == 1) return true;
  ctx.out().error(errors::wrong_arity(a[0]));
  return false;
}

void put_pairs(Ctx& ctx, Args a) {
  for (size_t i = 1; i < a.size(); i += 2) {
    put_string(ctx, ctx.write(a[i]), a[i], a[i + 1], false);
    ctx.touch(a[i]);
  }
}

// MSET key value [key value ...]
void mset(Ctx& ctx, Args a) {
  if (!pairs_complete(ctx, a)) return;
  put_pairs(ctx, a);
  ctx.out().ok();
}

// MSETNX key value [key value ...]
void msetnx(Ctx& ctx, Args a) {
  if (!pairs_complete(ctx, a)) return;
  for (size_t i = 1; i < a.size(); i += 2) {
    if (ctx.write(a[i])) return ctx.out().integer(0);
  }
  put_pairs(ctx, a);
  ctx.out().integer(1);
}

constexpr uint32_t kRW = kWrite | kDenyOom;
constexpr std::string_view kMultiSetComplexity = "O(N) where N is the number of keys to set.";

const Command kStrings[] = {
    {"get", 2, kReadOnly | kFast, 1, 1, 1, get,
     {"Get the value of a key", "1.0.0", "string", "O(1)", "key"}},
    {"set", -3, kRW, 1, 1, 1, set,
     {"Set the string value of a key", "1.0.0", "string", "O(1)",
      "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | "
      "PXAT unix-time-milliseconds | KEEPTTL]"}},
    {"setnx", 3, kRW | kFast, 1, 1, 1, setnx,
     {"Set the value of a key, only if the key does not exist", "1.0.0", "string", "O(1)",
      "key value"}},
    {"setex", 4, kRW, 1, 1, 1, setex,
     {"Set the value and expiration of a key", "2.0.0", "string", "O(1)", "key seconds value"}},
    {"psetex", 4, kRW, 1, 1, 1, psetex,
     {"Set the value and expiration in milliseconds of a key", "2.6.0", "string", "O(1)",
      "key milliseconds value"}},
    {"getset", 3, kRW | kFast, 1, 1, 1, getset,
     {"Set the string value of a key and return its old value", "1.0.0", "string", "O(1)",
      "key value"}},
    {"getdel", 2, kWrite | kFast, 1, 1, 1, getdel,
     {"Get the value of a key and delete the key", "6.2.0", "string", "O(1)", "key"}},
    {"getex", -2, kWrite | kFast, 1, 1, 1, getex,
     {"Get the value of a key and optionally set its expiration", "6.2.0", "string", "O(1)",
      "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | "
      "PXAT unix-time-milliseconds | PERSIST]"}},
    {"mget", -2, kReadOnly | kFast, 1, -1, 1, mget,
     {"Get the values of all the given keys", "1.0.0", "string",
      "O(N) where N is the number of keys to retrieve.", "key [key ...]"}},
    {"mset", -3, kRW, 1, -1, 2, mset,
     {"Set multiple keys to multiple values", "1.0.1", "string", kMultiSetComplexity,
      "key value [key value ...]"}},
    {"msetnx", -3, kRW, 1, -1, 2, msetnx,
     {"Set multiple keys to multiple values, only if none of the keys exist", "1.0.1", "string",
      kMultiSetComplexity, "key value [key value ...]"}},
};

}  // namespace

void add_string_commands(CommandTable& t) { t.add(kStrings); }

}  // namespace rill::commands
