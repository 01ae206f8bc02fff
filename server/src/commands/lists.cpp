// List commands: pushes and pops at either end, reads by index and range, edits in the
// middle (LSET, LINSERT, LREM, LTRIM), LPOS, and the moves LMOVE, RPOPLPUSH and LMPOP. The
// blocking forms live in lists_blocking.cpp and reuse the pops and moves defined here.
//
// As in Redis, a list that loses its last element is deleted, so an empty list never exists,
// and every push marks its key ready for clients blocked on it.
#include "commands/lists.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {

namespace lists {

using core::Ctx;
using core::Type;
using types::List;

std::optional<End> parse_end(std::string_view word) {
  if (iequals(word, "LEFT")) return End::kLeft;
  if (iequals(word, "RIGHT")) return End::kRight;
  return std::nullopt;
}

types::List* write_list(Ctx& ctx, std::string_view key, bool* wrong) {
  core::Entry* e = write_typed(ctx, key, Type::kList, wrong);
  return e ? static_cast<List*>(e->value.obj.get()) : nullptr;
}

List* list_for_push(Ctx& ctx, std::string_view key, bool* wrong) {
  List* l = write_list(ctx, key, wrong);
  if (l || *wrong) return l;
  core::Value v;
  v.type = Type::kList;
  auto fresh = std::make_unique<List>();
  l = fresh.get();
  v.obj = std::move(fresh);
  ctx.add(key, std::move(v));
  return l;
}

namespace {

// On a re-run, a key that now holds another type (LPUSH, DEL, SET in one MULTI) does not
// serve the waiter: Redis 7.0 leaves it blocked rather than answer WRONGTYPE.
bool skip_on_rerun(Ctx& ctx, std::string_view key) {
  if (!ctx.rerun()) return false;
  const core::Entry* e = ctx.write(key);
  return e && e->value.type != Type::kList;
}

std::string pop(List& l, End end) { return end == End::kLeft ? l.pop_front() : l.pop_back(); }

void push(List& l, End end, std::string_view v) {
  end == End::kLeft ? l.push_front(v) : l.push_back(v);
}

std::string_view end_word(End end) { return end == End::kLeft ? "LEFT" : "RIGHT"; }

// A pop propagates as the plain pop it performed (core/propagation.h), whatever form asked
// for it: BLPOP as LPOP, LMPOP and BLMPOP as LPOP / RPOP with the count taken.
void propagate_pop(Ctx& ctx, std::string_view key, End end, size_t count) {
  if (!ctx.propagating()) return;
  std::vector<std::string> form{end == End::kLeft ? "LPOP" : "RPOP", std::string(key)};
  if (count) form.push_back(std::to_string(count));
  ctx.propagate(std::move(form));
}

std::string_view pop_event(End end) { return end == End::kLeft ? "lpop" : "rpop"; }
std::string_view push_event(End end) { return end == End::kLeft ? "lpush" : "rpush"; }

// After elements left the list at `key`: announces `event` ("lpop", "lrem", ...), deletes
// the key if its list is now empty (announced as "del", after the event, as Redis orders
// them), and records the write.
void popped(Ctx& ctx, std::string_view key, const List& l, std::string_view event) {
  ctx.notify(pubsub::kClassList, event, key);
  if (l.empty()) {
    ctx.db().remove(key, ctx.now_ms());
    ctx.notify(pubsub::kClassGeneric, "del", key);
  }
  ctx.touch(key);
}

}  // namespace

Outcome move(Ctx& ctx, std::string_view src, std::string_view dst, End from, End to) {
  if (skip_on_rerun(ctx, src)) return Outcome::kEmpty;
  bool wrong;
  List* s = write_list(ctx, src, &wrong);
  if (wrong) return Outcome::kReplied;
  if (!s) return Outcome::kEmpty;
  write_list(ctx, dst, &wrong);  // WRONGTYPE before anything moves
  if (wrong) return Outcome::kReplied;
  std::string v = pop(*s, from);
  // Pushed before the source is checked for emptiness: a one-element rotation keeps its key.
  List* d = list_for_push(ctx, dst, &wrong);
  push(*d, to, v);
  ctx.notify(pubsub::kClassList, push_event(to), dst);
  ctx.out().bulk(v);
  popped(ctx, src, *s, pop_event(from));
  ctx.touch(dst);
  ctx.signal_ready(dst);
  // BLMOVE and BRPOPLPUSH propagate as the move they performed.
  if (ctx.propagating()) {
    ctx.propagate({"LMOVE", std::string(src), std::string(dst), std::string(end_word(from)),
                   std::string(end_word(to))});
  }
  return Outcome::kReplied;
}

std::optional<MpopSpec> parse_mpop(Ctx& ctx, Args a, size_t at) {
  auto numkeys = core::parse_int(a[at]);
  if (!numkeys || *numkeys < 1) {
    ctx.out().error(errors::kNumkeysNotPositive);
    return std::nullopt;
  }
  MpopSpec spec;
  if (static_cast<uint64_t>(*numkeys) >= a.size() - at - 1) {
    ctx.out().error(errors::kSyntax);
    return std::nullopt;
  }
  const size_t end_at = at + 1 + static_cast<size_t>(*numkeys);
  spec.keys = a.subspan(at + 1, static_cast<size_t>(*numkeys));
  auto end = parse_end(a[end_at]);
  if (!end) {
    ctx.out().error(errors::kSyntax);
    return std::nullopt;
  }
  spec.end = *end;
  bool counted = false;
  for (size_t i = end_at + 1; i < a.size(); ++i) {
    if (!counted && iequals(a[i], "COUNT") && i + 1 < a.size()) {
      auto n = core::parse_int(a[++i]);
      if (!n || *n < 1) {
        ctx.out().error(errors::kCountNotPositive);
        return std::nullopt;
      }
      spec.count = *n;
      counted = true;
    } else {
      ctx.out().error(errors::kSyntax);
      return std::nullopt;
    }
  }
  return spec;
}

namespace {

// The keys of a multi-key pop in the order to try them: on a re-run the ready key comes
// first, as Redis 7.0 serves a blocked client from the key that became ready.
template <class TryKey>
Outcome first_non_empty(Ctx& ctx, Args keys, TryKey try_key) {
  const std::string_view ready = ctx.ready_key();
  bool listed = false;
  for (std::string_view key : keys) listed = listed || key == ready;
  if (listed) {
    if (auto done = try_key(ready)) return *done;
  }
  for (std::string_view key : keys) {
    if (listed && key == ready) continue;
    if (auto done = try_key(key)) return *done;
  }
  return Outcome::kEmpty;
}

}  // namespace

Outcome mpop(Ctx& ctx, const MpopSpec& spec) {
  return first_non_empty(ctx, spec.keys, [&](std::string_view key) -> std::optional<Outcome> {
    if (skip_on_rerun(ctx, key)) return std::nullopt;
    bool wrong;
    List* l = write_list(ctx, key, &wrong);
    if (wrong) return Outcome::kReplied;
    if (!l) return std::nullopt;
    const size_t n = std::min(l->size(), static_cast<size_t>(spec.count));
    ctx.out().array(2);
    ctx.out().bulk(key);
    ctx.out().array(n);
    for (size_t i = 0; i < n; ++i) ctx.out().bulk(pop(*l, spec.end));
    popped(ctx, key, *l, pop_event(spec.end));
    propagate_pop(ctx, key, spec.end, n);
    return Outcome::kReplied;
  });
}

Outcome pop_first(Ctx& ctx, Args keys, End end) {
  return first_non_empty(ctx, keys, [&](std::string_view key) -> std::optional<Outcome> {
    if (skip_on_rerun(ctx, key)) return std::nullopt;
    bool wrong;
    List* l = write_list(ctx, key, &wrong);
    if (wrong) return Outcome::kReplied;
    if (!l) return std::nullopt;
    ctx.out().array(2);
    ctx.out().bulk(key);
    ctx.out().bulk(pop(*l, end));
    popped(ctx, key, *l, pop_event(end));
    propagate_pop(ctx, key, end, 0);
    return Outcome::kReplied;
  });
}

std::optional<int64_t> timeout_arg(Ctx& ctx, std::string_view arg) {
  auto secs = core::parse_long_double(arg);
  if (!secs) {
    ctx.out().error(errors::kTimeoutNotFloat);
    return std::nullopt;
  }
  // Redis rounds seconds * 1000 up to an integer: 0.001 is 1 ms (not 0.99.., forever),
  // -0.0001 is 0 (forever), and a value too big for 64 bits (1e20, inf) wraps negative on
  // x86, so it is refused as negative.
  const long double ms = std::ceil(*secs * 1000.0L);
  if (ms <= -1.0L || !(ms < 9223372036854775807.0L)) {
    ctx.out().error(errors::kTimeoutNegative);
    return std::nullopt;
  }
  // Far deadlines are clamped so that now + timeout cannot overflow; they never come anyway.
  return std::min<int64_t>(static_cast<int64_t>(ms), INT64_MAX / 4);
}

}  // namespace lists

namespace {

using core::Ctx;
using core::Type;
using lists::End;
using types::List;

// The list at `key` for a read: null when absent, or WRONGTYPE replied (*wrong set).
const List* read_list(Ctx& ctx, std::string_view key, bool* wrong) {
  core::Entry* e = read_typed(ctx, key, Type::kList, wrong);
  return e ? static_cast<const List*>(e->value.obj.get()) : nullptr;
}

// Redis's index convention: negative counts from the tail. Nullopt when out of range.
std::optional<size_t> resolve_index(int64_t i, size_t size) {
  const auto n = static_cast<int64_t>(size);
  if (i < 0) i += n;
  if (i < 0 || i >= n) return std::nullopt;
  return static_cast<size_t>(i);
}

// LRANGE and LTRIM's range: [first, last] clamped to the list, or nullopt when empty.
std::optional<std::pair<size_t, size_t>> resolve_range(int64_t start, int64_t stop, size_t size) {
  const auto n = static_cast<int64_t>(size);
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (start > stop || start >= n) return std::nullopt;
  if (stop >= n) stop = n - 1;
  return std::make_pair(static_cast<size_t>(start), static_cast<size_t>(stop));
}

void push_generic(Ctx& ctx, Args a, End end, bool only_existing) {
  bool wrong;
  List* l = only_existing ? lists::write_list(ctx, a[1], &wrong)
                          : lists::list_for_push(ctx, a[1], &wrong);
  if (wrong) return;
  if (!l) return ctx.out().integer(0);
  for (size_t i = 2; i < a.size(); ++i) {
    end == End::kLeft ? l->push_front(a[i]) : l->push_back(a[i]);
  }
  ctx.out().integer(static_cast<int64_t>(l->size()));
  ctx.touch(a[1]);
  ctx.signal_ready(a[1]);
  ctx.notify(pubsub::kClassList, lists::push_event(end), a[1]);
}

// LPUSH key element [element ...]
void lpush(Ctx& ctx, Args a) { push_generic(ctx, a, End::kLeft, false); }
// RPUSH key element [element ...]
void rpush(Ctx& ctx, Args a) { push_generic(ctx, a, End::kRight, false); }
// LPUSHX key element [element ...]
void lpushx(Ctx& ctx, Args a) { push_generic(ctx, a, End::kLeft, true); }
// RPUSHX key element [element ...]
void rpushx(Ctx& ctx, Args a) { push_generic(ctx, a, End::kRight, true); }

void pop_generic(Ctx& ctx, Args a, End end) {
  std::optional<int64_t> count;
  // The table allows any count of arguments; Redis refuses more than a count as arity.
  if (a.size() > 3) {
    return ctx.out().error(errors::wrong_arity(end == End::kLeft ? "lpop" : "rpop"));
  }
  if (a.size() == 3) {
    count = core::parse_int(a[2]);
    if (!count || *count < 0) return ctx.out().error(errors::kMustBePositive);
  }
  bool wrong;
  List* l = lists::write_list(ctx, a[1], &wrong);
  if (wrong) return;
  if (!l) return count ? ctx.out().null_array() : ctx.out().null();
  if (!count) {
    ctx.out().bulk(end == End::kLeft ? l->pop_front() : l->pop_back());
  } else {
    const size_t n = std::min(l->size(), static_cast<size_t>(*count));
    ctx.out().array(n);
    for (size_t i = 0; i < n; ++i) {
      ctx.out().bulk(end == End::kLeft ? l->pop_front() : l->pop_back());
    }
    if (n == 0) return;  // COUNT 0 changes nothing
  }
  lists::popped(ctx, a[1], *l, lists::pop_event(end));
}

// LPOP key [count]
void lpop(Ctx& ctx, Args a) { pop_generic(ctx, a, End::kLeft); }
// RPOP key [count]
void rpop(Ctx& ctx, Args a) { pop_generic(ctx, a, End::kRight); }

// LLEN key
void llen(Ctx& ctx, Args a) {
  bool wrong;
  const List* l = read_list(ctx, a[1], &wrong);
  if (wrong) return;
  ctx.out().integer(l ? static_cast<int64_t>(l->size()) : 0);
}

// LRANGE key start stop
void lrange(Ctx& ctx, Args a) {
  auto start = int_arg(ctx, a[2]);
  if (!start) return;
  auto stop = int_arg(ctx, a[3]);
  if (!stop) return;
  bool wrong;
  const List* l = read_list(ctx, a[1], &wrong);
  if (wrong) return;
  auto range = l ? resolve_range(*start, *stop, l->size()) : std::nullopt;
  if (!range) return ctx.out().array(0);
  ctx.out().array(range->second - range->first + 1);
  for (auto c = l->cursor(range->first); c.valid() && c.index() <= range->second; c.next()) {
    ctx.out().bulk(c.value());
  }
}

// LINDEX key index
void lindex(Ctx& ctx, Args a) {
  bool wrong;
  const List* l = read_list(ctx, a[1], &wrong);
  if (wrong) return;
  if (!l) return ctx.out().null();
  auto i = int_arg(ctx, a[2]);
  if (!i) return;
  auto at = resolve_index(*i, l->size());
  if (!at) return ctx.out().null();
  ctx.out().bulk(l->at(*at));
}

// LSET key index element
void lset(Ctx& ctx, Args a) {
  bool wrong;
  List* l = lists::write_list(ctx, a[1], &wrong);
  if (wrong) return;
  if (!l) return ctx.out().error(errors::kNoSuchKey);
  auto i = int_arg(ctx, a[2]);
  if (!i) return;
  auto at = resolve_index(*i, l->size());
  if (!at) return ctx.out().error(errors::kIndexOutOfRange);
  l->set(*at, a[3]);
  ctx.out().ok();
  ctx.touch(a[1]);
  ctx.notify(pubsub::kClassList, "lset", a[1]);
}

// LINSERT key <BEFORE | AFTER> pivot element
void linsert(Ctx& ctx, Args a) {
  bool after;
  if (iequals(a[2], "BEFORE")) {
    after = false;
  } else if (iequals(a[2], "AFTER")) {
    after = true;
  } else {
    return ctx.out().error(errors::kSyntax);
  }
  bool wrong;
  List* l = lists::write_list(ctx, a[1], &wrong);
  if (wrong) return;
  if (!l) return ctx.out().integer(0);
  for (auto c = l->cursor(0); c.valid(); c.next()) {
    if (c.value() != a[3]) continue;
    l->insert(c.index() + (after ? 1 : 0), a[4]);
    ctx.out().integer(static_cast<int64_t>(l->size()));
    ctx.touch(a[1]);
    ctx.signal_ready(a[1]);
    ctx.notify(pubsub::kClassList, "linsert", a[1]);
    return;
  }
  ctx.out().integer(-1);
}

// LREM key count element
void lrem(Ctx& ctx, Args a) {
  auto count = int_arg(ctx, a[2]);
  if (!count) return;
  bool wrong;
  List* l = lists::write_list(ctx, a[1], &wrong);
  if (wrong) return;
  if (!l) return ctx.out().integer(0);
  // |count| as unsigned, so INT64_MIN is a limit and not an overflow.
  const uint64_t limit = *count < 0 ? 0 - static_cast<uint64_t>(*count) : static_cast<uint64_t>(*count);
  const size_t removed = l->remove(a[3], static_cast<size_t>(limit), *count < 0);
  ctx.out().integer(static_cast<int64_t>(removed));
  if (!removed) return;
  lists::popped(ctx, a[1], *l, "lrem");
}

// LTRIM key start stop
void ltrim(Ctx& ctx, Args a) {
  auto start = int_arg(ctx, a[2]);
  if (!start) return;
  auto stop = int_arg(ctx, a[3]);
  if (!stop) return;
  bool wrong;
  List* l = lists::write_list(ctx, a[1], &wrong);
  if (wrong) return;
  if (!l) return ctx.out().ok();
  auto range = resolve_range(*start, *stop, l->size());
  if (range) {
    l->keep_range(range->first, range->second);
  } else {
    l->keep_range(1, 0);
  }
  ctx.out().ok();
  lists::popped(ctx, a[1], *l, "ltrim");  // even when nothing was trimmed, as in Redis
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
void lpos(Ctx& ctx, Args a) {
  int64_t rank = 1, count = 0, maxlen = 0;
  bool with_count = false;
  for (size_t i = 3; i < a.size(); ++i) {
    const bool more = i + 1 < a.size();
    if (iequals(a[i], "RANK") && more) {
      auto v = int_arg(ctx, a[++i]);
      if (!v) return;
      if (*v == 0) return ctx.out().error(errors::kRankZero);
      rank = *v;
    } else if (iequals(a[i], "COUNT") && more) {
      auto v = core::parse_int(a[++i]);  // not a number reads as negative, as in Redis
      if (!v || *v < 0) return ctx.out().error(errors::kCountNegative);
      count = *v;
      with_count = true;
    } else if (iequals(a[i], "MAXLEN") && more) {
      auto v = core::parse_int(a[++i]);
      if (!v || *v < 0) return ctx.out().error(errors::kMaxlenNegative);
      maxlen = *v;
    } else {
      return ctx.out().error(errors::kSyntax);
    }
  }
  bool wrong;
  const List* l = read_list(ctx, a[1], &wrong);
  if (wrong) return;
  if (!l) return with_count ? ctx.out().array(0) : ctx.out().null();

  const bool from_tail = rank < 0;
  // Matches to skip before the first one reported. Redis negates RANK in a signed long, so
  // INT64_MIN stays negative there and reports from the first match; so does this.
  const uint64_t skip = rank == INT64_MIN ? 0 : static_cast<uint64_t>(from_tail ? -rank : rank) - 1;
  const uint64_t want = with_count ? (count == 0 ? UINT64_MAX : static_cast<uint64_t>(count)) : 1;
  const uint64_t scan = maxlen == 0 ? UINT64_MAX : static_cast<uint64_t>(maxlen);

  std::vector<int64_t> found;
  uint64_t matches = 0, seen = 0;
  auto c = l->cursor(from_tail ? l->size() - 1 : 0);
  for (; c.valid() && seen < scan && found.size() < want; ++seen) {
    if (c.value() == a[2] && ++matches > skip) found.push_back(static_cast<int64_t>(c.index()));
    from_tail ? c.prev() : c.next();
  }
  if (!with_count) return found.empty() ? ctx.out().null() : ctx.out().integer(found[0]);
  ctx.out().array(found.size());
  for (int64_t i : found) ctx.out().integer(i);
}

// LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>
void lmove(Ctx& ctx, Args a) {
  auto from = lists::parse_end(a[3]);
  auto to = lists::parse_end(a[4]);
  if (!from || !to) return ctx.out().error(errors::kSyntax);
  if (lists::move(ctx, a[1], a[2], *from, *to) == lists::Outcome::kEmpty) ctx.out().null();
}

// RPOPLPUSH source destination
void rpoplpush(Ctx& ctx, Args a) {
  if (lists::move(ctx, a[1], a[2], End::kRight, End::kLeft) == lists::Outcome::kEmpty) {
    ctx.out().null();
  }
}

// LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
void lmpop(Ctx& ctx, Args a) {
  auto spec = lists::parse_mpop(ctx, a, 1);
  if (!spec) return;
  if (lists::mpop(ctx, *spec) == lists::Outcome::kEmpty) ctx.out().null_array();
}

constexpr uint32_t kRW = kWrite | kDenyOom;

// numkeys, then the keys.
constexpr MovableKeys kLmpopKeys{"", 1, MovableKeys::Find::kKeyNum, "RW access delete"};

const Command kLists[] = {
    {"lpush", -3, kRW | kFast, 1, 1, 1, lpush,
     {"Prepend one or multiple elements to a list", "1.0.0", "list",
      "O(1) for each element added", "key element [element ...]"}},
    {"rpush", -3, kRW | kFast, 1, 1, 1, rpush,
     {"Append one or multiple elements to a list", "1.0.0", "list",
      "O(1) for each element added", "key element [element ...]"}},
    {"lpushx", -3, kRW | kFast, 1, 1, 1, lpushx,
     {"Prepend an element to a list, only if the list exists", "2.2.0", "list",
      "O(1) for each element added", "key element [element ...]"}},
    {"rpushx", -3, kRW | kFast, 1, 1, 1, rpushx,
     {"Append an element to a list, only if the list exists", "2.2.0", "list",
      "O(1) for each element added", "key element [element ...]"}},
    {"lpop", -2, kWrite | kFast, 1, 1, 1, lpop,
     {"Remove and get the first elements in a list", "1.0.0", "list",
      "O(N) where N is the number of elements returned", "key [count]"}},
    {"rpop", -2, kWrite | kFast, 1, 1, 1, rpop,
     {"Remove and get the last elements in a list", "1.0.0", "list",
      "O(N) where N is the number of elements returned", "key [count]"}},
    {"llen", 2, kReadOnly | kFast, 1, 1, 1, llen,
     {"Get the length of a list", "1.0.0", "list", "O(1)", "key"}},
    {"lrange", 4, kReadOnly, 1, 1, 1, lrange,
     {"Get a range of elements from a list", "1.0.0", "list", "O(S+N)", "key start stop"}},
    {"lindex", 3, kReadOnly, 1, 1, 1, lindex,
     {"Get an element from a list by its index", "1.0.0", "list", "O(N)", "key index"}},
    {"lset", 4, kRW, 1, 1, 1, lset,
     {"Set the value of an element in a list by its index", "1.0.0", "list", "O(N)",
      "key index element"}},
    {"linsert", 5, kRW, 1, 1, 1, linsert,
     {"Insert an element before or after another element in a list", "2.2.0", "list", "O(N)",
      "key <BEFORE | AFTER> pivot element"}},
    {"lrem", 4, kWrite, 1, 1, 1, lrem,
     {"Remove elements from a list", "1.0.0", "list", "O(N+M)", "key count element"}},
    {"ltrim", 4, kWrite, 1, 1, 1, ltrim,
     {"Trim a list to the specified range", "1.0.0", "list", "O(N)", "key start stop"}},
    {"lpos", -3, kReadOnly, 1, 1, 1, lpos,
     {"Return the index of matching elements on a list", "6.0.6", "list", "O(N)",
      "key element [RANK rank] [COUNT num-matches] [MAXLEN len]"}},
    {"lmove", 5, kRW, 1, 2, 1, lmove,
     {"Pop an element from a list, push it to another list and return it", "6.2.0", "list",
      "O(1)", "source destination <LEFT | RIGHT> <LEFT | RIGHT>"}},
    {"rpoplpush", 3, kRW, 1, 2, 1, rpoplpush,
     {"Remove the last element in a list, prepend it to another list and return it", "1.2.0",
      "list", "O(1)", "source destination"}},
    {"lmpop", -4, kWrite, 0, 0, 0, lmpop,
     {"Pop elements from a list", "7.0.0", "list", "O(N+M)",
      "numkeys key [key ...] <LEFT | RIGHT> [COUNT count]"},
     {},
     &kLmpopKeys},
};

}  // namespace

void add_list_commands(CommandTable& t) { t.add(kLists); }

}  // namespace rill::commands
