// String commands on parts of a value: APPEND, STRLEN, GETRANGE (and its old name SUBSTR) and
// SETRANGE. A value these commands edit in place is stored raw (Value::raw_string) whatever
// its content, as Redis does once it has unshared a string to modify it.
#include <algorithm>
#include <cstdint>

#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;
using core::Type;
using core::Value;

// Whether a string of `base` bytes followed by `extra` more stays within proto-max-bulk-len
// (a longer one could never be read back by a client); replies the error when it does not.
bool within_bulk_limit(Ctx& ctx, uint64_t base, uint64_t extra) {
  const auto limit = static_cast<uint64_t>(ctx.engine().config().proto_max_bulk_len);
  if (base + extra <= limit) return true;
  ctx.out().error(errors::kStringTooLong);
  return false;
}

// APPEND key value
//
// A missing key is created as SET would create it (so "APPEND k 12" is int-encoded); appending
// to an existing value, even nothing, leaves it raw.
void append(Ctx& ctx, Args a) {
  bool wrong;
  Entry* e = write_typed(ctx, a[1], Type::kString, &wrong);
  if (wrong) return;
  if (!e) {
    e = ctx.add(a[1], Value::string(a[2]));
  } else {
    if (!within_bulk_limit(ctx, e->value.str.size(), a[2].size())) return;
    std::string s = std::move(e->value.str);
    s.append(a[2]);
    e->value = Value::raw_string(std::move(s));
  }
  ctx.touch(a[1]);
  ctx.notify(pubsub::kClassString, "append", a[1]);
  ctx.out().integer(static_cast<int64_t>(e->value.str.size()));
}

// STRLEN key
void strlen(Ctx& ctx, Args a) {
  bool wrong;
  Entry* e = read_typed(ctx, a[1], Type::kString, &wrong);
  if (wrong) return;
  ctx.out().integer(e ? static_cast<int64_t>(e->value.str.size()) : 0);
}

// GETRANGE key start end (and SUBSTR key start end)
//
// Negative indexes count from the end and are then clamped into the string, with one quirk
// kept from Redis: two negative indexes that cross (-1 -2) give "", while an end before the
// beginning clamps to 0 (so "0 -100" still gives the first byte).
void getrange(Ctx& ctx, Args a) {
  auto start = int_arg(ctx, a[2]);
  if (!start) return;
  auto end = int_arg(ctx, a[3]);
  if (!end) return;
  bool wrong;
  Entry* e = read_typed(ctx, a[1], Type::kString, &wrong);
  if (wrong) return;
  if (!e) return ctx.out().bulk("");
  std::string_view s = e->value.str;
  const auto len = static_cast<int64_t>(s.size());
  int64_t from = *start, to = *end;
  if (from < 0 && to < 0 && from > to) return ctx.out().bulk("");
  if (from < 0) from = std::max<int64_t>(from + len, 0);
  if (to < 0) to = std::max<int64_t>(to + len, 0);
  to = std::min(to, len - 1);
  if (from > to || len == 0) return ctx.out().bulk("");
  ctx.out().bulk(s.substr(static_cast<size_t>(from), static_cast<size_t>(to - from + 1)));
}

// SETRANGE key offset value
//
// Writing nothing changes nothing: the reply is the current length and a missing key is not
// created. Otherwise the string is padded with zero bytes up to the offset.
void setrange(Ctx& ctx, Args a) {
  auto offset = int_arg(ctx, a[2]);
  if (!offset) return;
  if (*offset < 0) return ctx.out().error(errors::kOffsetOutOfRange);
  std::string_view value = a[3];
  bool wrong;
  Entry* e = write_typed(ctx, a[1], Type::kString, &wrong);
  if (wrong) return;
  if (value.empty()) return ctx.out().integer(e ? static_cast<int64_t>(e->value.str.size()) : 0);
  const auto at = static_cast<uint64_t>(*offset);
  if (!within_bulk_limit(ctx, at, value.size())) return;
  std::string s = e ? std::move(e->value.str) : std::string();
  if (s.size() < at + value.size()) s.resize(at + value.size(), '\0');
  std::copy(value.begin(), value.end(), s.begin() + static_cast<std::ptrdiff_t>(at));
  ctx.out().integer(static_cast<int64_t>(s.size()));
  if (e) {
    e->value = Value::raw_string(std::move(s));
  } else {
    ctx.add(a[1], Value::raw_string(std::move(s)));
  }
  ctx.touch(a[1]);
  ctx.notify(pubsub::kClassString, "setrange", a[1]);
}

constexpr std::string_view kRangeComplexity =
    "O(N) where N is the length of the returned string. The complexity is ultimately "
    "determined by the returned length, but because creating a substring from an existing "
    "string is very cheap, it can be considered O(1) for small strings.";

const Command kStringRanges[] = {
    {"append", 3, kWrite | kDenyOom | kFast, 1, 1, 1, append,
     {"Append a value to a key", "2.0.0", "string",
      "O(1). The amortized time complexity is O(1) assuming the appended value is small and "
      "the already present value is of any size, since the dynamic string library used by "
      "Redis will double the free space available on every reallocation.",
      "key value"}},
    {"strlen", 2, kReadOnly | kFast, 1, 1, 1, strlen,
     {"Get the length of the value stored in a key", "2.2.0", "string", "O(1)", "key"}},
    {"getrange", 4, kReadOnly, 1, 1, 1, getrange,
     {"Get a substring of the string stored at a key", "2.4.0", "string", kRangeComplexity,
      "key start end"}},
    {"substr", 4, kReadOnly, 1, 1, 1, getrange,
     {"Get a substring of the string stored at a key", "1.0.0", "string", kRangeComplexity,
      "key start end"}},
    {"setrange", 4, kWrite | kDenyOom, 1, 1, 1, setrange,
     {"Overwrite part of a string at key starting at the specified offset", "2.2.0", "string",
      "O(1), not counting the time taken to copy the new string in place. Usually, this "
      "string is very small so the amortized complexity is O(1). Otherwise, complexity is "
      "O(M) with M being the length of the value argument.",
      "key offset value"}},
};

}  // namespace

void add_string_range_commands(CommandTable& t) { t.add(kStringRanges); }

}  // namespace rill::commands
