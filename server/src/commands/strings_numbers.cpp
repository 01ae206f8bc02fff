// The INCR family: INCR, DECR, INCRBY and DECRBY on 64-bit integers, INCRBYFLOAT on long
// doubles. A missing key counts as 0; the result keeps the key's TTL. Integer results are
// stored int-encoded (Value::integer), INCRBYFLOAT results never are (Value::plain_string),
// which is what OBJECT ENCODING shows in Redis.
#include <cmath>
#include <limits>

#include "commands/args.h"
#include "commands/command_table.h"
#include "resp/writer.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;
using core::Type;
using core::Value;

// Replaces the value at `key` keeping its TTL, or adds the key. `e` is what ctx.write() found.
// `event` is the keyspace event announced ("incrby", "incrbyfloat").
void replace_value(Ctx& ctx, Entry* e, std::string_view key, Value v, std::string_view event) {
  if (e) {
    e->value = std::move(v);
  } else {
    ctx.add(key, std::move(v));
  }
  ctx.touch(key);
  ctx.notify(pubsub::kClassString, event, key);
}

// Adds `by` to the integer at `key` and replies the sum.
void add_to_integer(Ctx& ctx, std::string_view key, int64_t by) {
  bool wrong;
  Entry* e = write_typed(ctx, key, Type::kString, &wrong);
  if (wrong) return;
  int64_t current = 0;
  if (e) {
    auto v = core::parse_int(e->value.str);
    if (!v) return ctx.out().error(errors::kNotInteger);
    current = *v;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if ((by > 0 && current > kMax - by) || (by < 0 && current < kMin - by)) {
    return ctx.out().error(errors::kOverflow);
  }
  const int64_t sum = current + by;
  replace_value(ctx, e, key, Value::integer(sum), "incrby");  // INCR and DECR too
  ctx.out().integer(sum);
}

// INCR key
void incr(Ctx& ctx, Args a) { add_to_integer(ctx, a[1], 1); }

// DECR key
void decr(Ctx& ctx, Args a) { add_to_integer(ctx, a[1], -1); }

// INCRBY key increment
//
// The increment is read before the key, so a bad increment wins over WRONGTYPE.
void incrby(Ctx& ctx, Args a) {
  auto by = int_arg(ctx, a[2]);
  if (!by) return;
  add_to_integer(ctx, a[1], *by);
}

// DECRBY key decrement
void decrby(Ctx& ctx, Args a) {
  auto by = int_arg(ctx, a[2]);
  if (!by) return;
  // The smallest int64 has no positive counterpart to add.
  if (*by == std::numeric_limits<int64_t>::min()) {
    return ctx.out().error(errors::kDecrementOverflow);
  }
  add_to_integer(ctx, a[1], -*by);
}

// INCRBYFLOAT key increment
//
// Unlike INCRBY, the key is checked first (type, then the stored number) and the increment
// after. The sum is printed as Redis prints it (%.17Lf, trailing zeros cut), and that text is
// what gets stored, so a later GET returns exactly the reply.
void incrbyfloat(Ctx& ctx, Args a) {
  bool wrong;
  Entry* e = write_typed(ctx, a[1], Type::kString, &wrong);
  if (wrong) return;
  long double current = 0;
  if (e) {
    auto v = core::parse_long_double(e->value.str);
    if (!v) return ctx.out().error(errors::kNotFloat);
    current = *v;
  }
  auto by = float_arg(ctx, a[2]);
  if (!by) return;
  const long double sum = current + *by;
  if (std::isnan(sum) || std::isinf(sum)) return ctx.out().error(errors::kNanOrInfinity);
  std::string text = resp::format_long_double(sum);
  ctx.out().bulk(text);
  // Replayed, the float addition could round differently: the result itself goes out.
  if (ctx.propagating()) ctx.propagate({"SET", std::string(a[1]), text, "KEEPTTL"});
  replace_value(ctx, e, a[1], Value::plain_string(std::move(text)), "incrbyfloat");
}

constexpr uint32_t kRWFast = kWrite | kDenyOom | kFast;

const Command kStringNumbers[] = {
    {"incr", 2, kRWFast, 1, 1, 1, incr,
     {"Increment the integer value of a key by one", "1.0.0", "string", "O(1)", "key"}},
    {"decr", 2, kRWFast, 1, 1, 1, decr,
     {"Decrement the integer value of a key by one", "1.0.0", "string", "O(1)", "key"}},
    {"incrby", 3, kRWFast, 1, 1, 1, incrby,
     {"Increment the integer value of a key by the given amount", "1.0.0", "string", "O(1)",
      "key increment"}},
    {"decrby", 3, kRWFast, 1, 1, 1, decrby,
     {"Decrement the integer value of a key by the given number", "1.0.0", "string", "O(1)",
      "key decrement"}},
    {"incrbyfloat", 3, kRWFast, 1, 1, 1, incrbyfloat,
     {"Increment the float value of a key by the given amount", "2.6.0", "string", "O(1)",
      "key increment"}},
};

}  // namespace

void add_string_number_commands(CommandTable& t) { t.add(kStringNumbers); }

}  // namespace rill::commands
