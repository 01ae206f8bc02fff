// Generic key commands: the ones that work on any key whatever its type (DEL, EXISTS, TYPE,
// RENAME, KEYS, SCAN, RANDOMKEY, TOUCH, COPY, MOVE). Expiry commands live in expire.cpp and
// OBJECT in object.cpp.
//
// A key keeps its TTL when it changes name or database (RENAME, MOVE) and a copy gets its
// source's TTL (COPY), as in Redis: the entry is detached with its deadline and re-linked.
#include <limits>
#include <vector>

#include "commands/args.h"
#include "commands/command_table.h"
#include "core/glob.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;

// A database index argument (MOVE, COPY ... DB): an int, then within the configured range.
std::optional<int> db_index_arg(Ctx& ctx, std::string_view a) {
  auto v = core::parse_int(a);
  if (!v) {
    ctx.out().error(errors::kNotInteger);
    return std::nullopt;
  }
  if (*v < std::numeric_limits<int32_t>::min() || *v > std::numeric_limits<int32_t>::max()) {
    ctx.out().error(errors::kIntOutOfRange);
    return std::nullopt;
  }
  if (*v < 0 || *v >= ctx.engine().db_count()) {
    ctx.out().error(errors::kDbIndexOutOfRange);
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

// A SCAN cursor read as Redis reads it, with strtoul(): an optional sign and decimal digits,
// so "-1" wraps to 2^64-1 and an empty cursor is 0, while a leading space, trailing bytes or
// an overflow are refused. strtoul stops at a NUL byte, so we do too.
std::optional<uint64_t> scan_cursor(std::string_view s) {
  s = s.substr(0, s.find('\0'));
  if (s.empty()) return 0;
  size_t i = 0;
  const bool neg = s[0] == '-';
  if (s[0] == '-' || s[0] == '+') i = 1;
  if (i == s.size()) return std::nullopt;  // a lone sign converts nothing
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return neg ? 0 - v : v;
}

bool expired(const Entry& e, int64_t now_ms) { return e.expire_at && e.expire_at <= now_ms; }

// DEL key [key ...]
// UNLINK key [key ...]  (values are freed at once here; there is no background thread to
// hand them to, and the reply is the same)
void del(Ctx& ctx, Args a) {
  int64_t n = 0;
  for (size_t i = 1; i < a.size(); ++i) {
    if (ctx.db().remove(a[i], ctx.now_ms())) {
      ++n;
      ctx.touch(a[i]);
      ctx.notify(pubsub::kClassGeneric, "del", a[i]);
    }
  }
  ctx.out().integer(n);
}

// EXISTS key [key ...]  (a key named twice counts twice)
void exists(Ctx& ctx, Args a) {
  int64_t n = 0;
  for (size_t i = 1; i < a.size(); ++i) n += ctx.peek(a[i]) ? 1 : 0;
  ctx.out().integer(n);
}

// TOUCH key [key ...]: EXISTS that refreshes each key's access time.
void touch(Ctx& ctx, Args a) {
  int64_t n = 0;
  for (size_t i = 1; i < a.size(); ++i) n += ctx.read(a[i]) ? 1 : 0;
  ctx.out().integer(n);
}

// TYPE key
void type(Ctx& ctx, Args a) {
  const Entry* e = ctx.peek(a[1]);
  ctx.out().simple(e ? core::type_name(e->value.type) : "none");
}

// RENAME key newkey / RENAMENX key newkey. The destination's old value and TTL are dropped;
// the key takes its TTL along. Renaming a key to itself changes nothing but still needs the
// key to exist.
void rename_key(Ctx& ctx, Args a, bool nx) {
  core::Db& db = ctx.db();
  const int64_t now = ctx.now_ms();
  if (!ctx.write(a[1])) return ctx.out().error(errors::kNoSuchKey);
  if (a[1] == a[2]) return nx ? ctx.out().integer(0) : ctx.out().ok();
  if (ctx.write(a[2])) {
    if (nx) return ctx.out().integer(0);
    db.remove(a[2], now);
  }
  std::unique_ptr<Entry> e = db.take(a[1], now);
  e->key.assign(a[2]);
  db.adopt(std::move(e));
  ctx.touch(a[1]);
  ctx.touch(a[2]);
  // Redis re-adds the value under its new name, so "new" comes first even over a key.
  ctx.notify(pubsub::kClassNew, "new", a[2]);
  ctx.notify(pubsub::kClassGeneric, "rename_from", a[1]);
  ctx.notify(pubsub::kClassGeneric, "rename_to", a[2]);
  if (nx) return ctx.out().integer(1);
  ctx.out().ok();
}

// RENAME key newkey
void rename(Ctx& ctx, Args a) { rename_key(ctx, a, false); }

// RENAMENX key newkey
void renamenx(Ctx& ctx, Args a) { rename_key(ctx, a, true); }

// KEYS pattern  (logically expired keys are skipped, not deleted, as in Redis)
void keys(Ctx& ctx, Args a) {
  const std::string_view pattern = a[1];
  const bool all = pattern == "*";
  const int64_t now = ctx.now_ms();
  auto& out = ctx.out();
  auto header = out.array_later();
  size_t n = 0;
  ctx.db().for_each([&](const Entry* e) {
    if (expired(*e, now)) return;
    if (!all && !core::glob_match(pattern, e->key)) return;
    out.bulk(e->key);
    ++n;
  });
  out.fill(header, n);
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
// The cursor walks buckets in reverse-binary order (Db::scan), so every key present for the
// whole iteration is returned at least once even if the table grows or shrinks in between.
// Each call visits buckets until it has `count` candidates or has tried count*10 buckets;
// MATCH, TYPE and expiry filter the candidates afterwards, so a call may return nothing.
void scan(Ctx& ctx, Args a) {
  auto cursor = scan_cursor(a[1]);
  if (!cursor) return ctx.out().error(errors::kInvalidCursor);
  std::string_view pattern, type_filter;
  bool use_pattern = false, use_type = false;
  int64_t count = 10;
  for (size_t i = 2; i < a.size(); i += 2) {
    const bool has_value = i + 1 < a.size();
    if (has_value && iequals(a[i], "COUNT")) {
      auto n = int_arg(ctx, a[i + 1]);
      if (!n) return;
      if (*n < 1) return ctx.out().error(errors::kSyntax);
      count = *n;
    } else if (has_value && iequals(a[i], "MATCH")) {
      pattern = a[i + 1];
      use_pattern = pattern != "*";
    } else if (has_value && iequals(a[i], "TYPE")) {
      // An unknown type name is not an error in Redis 7.0: it simply matches nothing.
      type_filter = a[i + 1];
      use_type = true;
    } else {
      return ctx.out().error(errors::kSyntax);
    }
  }

  core::Db& db = ctx.db();
  std::vector<Entry*> found;
  const size_t want = static_cast<size_t>(count);
  int64_t budget = count > std::numeric_limits<int64_t>::max() / 10
                       ? std::numeric_limits<int64_t>::max()
                       : count * 10;
  uint64_t next = *cursor;
  do {
    next = db.scan(next, [&](Entry* e) { found.push_back(e); });
  } while (next != 0 && budget-- > 0 && found.size() < want);

  // Filter in place. Deleting an expired entry frees only that entry, so the pointers still
  // to be examined stay valid.
  const int64_t now = ctx.now_ms();
  size_t kept = 0;
  for (Entry* e : found) {
    if (use_pattern && !core::glob_match(pattern, e->key)) continue;
    if (expired(*e, now)) {
      db.find(e->key, now);  // deletes it (and logs the expiry)
      continue;
    }
    if (use_type && !iequals(core::type_name(e->value.type), type_filter)) continue;
    found[kept++] = e;
  }

  auto& out = ctx.out();
  out.array(2);
  out.bulk(std::to_string(next));
  out.array(kept);
  for (size_t i = 0; i < kept; ++i) out.bulk(found[i]->key);
}

// RANDOMKEY: a random live key, or nil. An expired key drawn is deleted and another drawn,
// so the loop ends: each turn either answers or shrinks the table.
void randomkey(Ctx& ctx, Args) {
  core::Db& db = ctx.db();
  const int64_t now = ctx.now_ms();
  for (;;) {
    Entry* e = db.random_entry(ctx.engine().rng());
    if (!e) return ctx.out().null();
    if (!expired(*e, now)) return ctx.out().bulk(e->key);
    db.find(e->key, now);
  }
}

// COPY source destination [DB destination-db] [REPLACE]
// Options are read in order, so a bad DB index is reported before a later syntax error.
void copy(Ctx& ctx, Args a) {
  const int src_db = ctx.session().db;
  int dst_db = src_db;
  bool replace = false;
  for (size_t i = 3; i < a.size(); ++i) {
    if (iequals(a[i], "REPLACE")) {
      replace = true;
    } else if (iequals(a[i], "DB") && i + 1 < a.size()) {
      auto idx = db_index_arg(ctx, a[++i]);
      if (!idx) return;
      dst_db = *idx;
    } else {
      return ctx.out().error(errors::kSyntax);
    }
  }
  if (src_db == dst_db && a[1] == a[2]) return ctx.out().error(errors::kSameObject);

  const Entry* src = ctx.read(a[1]);
  if (!src) return ctx.out().integer(0);
  core::Db& dst = ctx.engine().db(dst_db);
  const int64_t now = ctx.now_ms();
  if (dst.find(a[2], now)) {
    if (!replace) return ctx.out().integer(0);
    dst.remove(a[2], now);  // never `src`: same db means a different name
  }
  const int64_t expire_at = src->expire_at;
  Entry* e = dst.add(a[2], src->value.clone());
  if (expire_at) dst.set_expire(e, expire_at);
  ctx.touch(dst_db, a[2]);
  ctx.notify(pubsub::kClassNew, "new", a[2], dst_db);
  ctx.notify(pubsub::kClassGeneric, "copy_to", a[2], dst_db);
  ctx.out().integer(1);
}

// MOVE key db
void move(Ctx& ctx, Args a) {
  auto idx = db_index_arg(ctx, a[2]);
  if (!idx) return;
  if (*idx == ctx.session().db) return ctx.out().error(errors::kSameObject);
  if (!ctx.write(a[1])) return ctx.out().integer(0);
  core::Db& dst = ctx.engine().db(*idx);
  const int64_t now = ctx.now_ms();
  if (dst.find(a[1], now)) return ctx.out().integer(0);
  dst.adopt(ctx.db().take(a[1], now));
  ctx.touch(a[1]);
  ctx.touch(*idx, a[1]);
  ctx.notify(pubsub::kClassNew, "new", a[1], *idx);
  ctx.notify(pubsub::kClassGeneric, "move_from", a[1]);
  ctx.notify(pubsub::kClassGeneric, "move_to", a[1], *idx);
  ctx.out().integer(1);
}

const Command kKeys[] = {
    {"del", -2, kWrite, 1, -1, 1, del,
     {"Delete a key", "1.0.0", "generic",
      "O(N) where N is the number of keys that will be removed. When a key to remove holds a "
      "value other than a string, the individual complexity for this key is O(M) where M is "
      "the number of elements in the list, set, sorted set or hash. Removing a single key "
      "that holds a string value is O(1).",
      "key [key ...]"}},
    {"unlink", -2, kWrite | kFast, 1, -1, 1, del,
     {"Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non "
      "blocking.",
      "4.0.0", "generic",
      "O(1) for each key removed regardless of its size. Then the command does O(N) work in a "
      "different thread in order to reclaim memory, where N is the number of allocations the "
      "deleted objects where composed of.",
      "key [key ...]"}},
    {"exists", -2, kReadOnly | kFast, 1, -1, 1, exists,
     {"Determine if a key exists", "1.0.0", "generic",
      "O(N) where N is the number of keys to check.", "key [key ...]"}},
    {"touch", -2, kReadOnly | kFast, 1, -1, 1, touch,
     {"Alters the last access time of a key(s). Returns the number of existing keys "
      "specified.",
      "3.2.1", "generic", "O(N) where N is the number of keys that will be touched.",
      "key [key ...]"}},
    {"type", 2, kReadOnly | kFast, 1, 1, 1, type,
     {"Determine the type stored at key", "1.0.0", "generic", "O(1)", "key"}},
    {"rename", 3, kWrite, 1, 2, 1, rename,
     {"Rename a key", "1.0.0", "generic", "O(1)", "key newkey"}},
    {"renamenx", 3, kWrite | kFast, 1, 2, 1, renamenx,
     {"Rename a key, only if the new key does not exist", "1.0.0", "generic", "O(1)",
      "key newkey"}},
    {"keys", 2, kReadOnly, 0, 0, 0, keys,
     {"Find all keys matching the given pattern", "1.0.0", "generic",
      "O(N) with N being the number of keys in the database, under the assumption that the "
      "key names in the database and the given pattern have limited length.",
      "pattern"}},
    {"scan", -2, kReadOnly, 0, 0, 0, scan,
     {"Incrementally iterate the keys space", "2.8.0", "generic",
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for "
      "the cursor to return back to 0. N is the number of elements inside the collection.",
      "cursor [MATCH pattern] [COUNT count] [TYPE type]"}},
    {"randomkey", 1, kReadOnly, 0, 0, 0, randomkey,
     {"Return a random key from the keyspace", "1.0.0", "generic", "O(1)", ""}},
    {"copy", -3, kWrite | kDenyOom, 1, 2, 1, copy,
     {"Copy a key", "6.2.0", "generic",
      "O(N) worst case for collections, where N is the number of nested items. O(1) for "
      "string values.",
      "source destination [DB destination-db] [REPLACE]"}},
    {"move", 3, kWrite | kFast, 1, 1, 1, move,
     {"Move a key to another database", "1.0.0", "generic", "O(1)", "key db"}},
};

}  // namespace

void add_key_commands(CommandTable& t) { t.add(kKeys); }

}  // namespace rill::commands
