// Consumer-group management: XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER,
// HELP), XACK and XPENDING. Claims are in stream_claim.cpp, reads in stream_readgroup.cpp.
//
// Argument errors come before key errors, and key errors before group errors, in the order
// Redis checks them. XGROUP DESTROY marks the key ready so that readers blocked on the group
// are re-run and answered with NOGROUP (stream_readgroup.cpp).
#include "commands/stream_groups.h"

#include <string>
#include <vector>

#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;
using core::Type;
using streams::reply_id;
using streams::stream_of;
using types::Stream;
using types::StreamGroup;
using types::StreamId;

// ENTRIESREAD's argument: an integer >= -1.
std::optional<int64_t> entries_read_arg(Ctx& ctx, std::string_view a) {
  auto n = int_arg(ctx, a);
  if (!n) return std::nullopt;
  if (*n < -1) return ctx.out().error(errors::kEntriesReadInvalid), std::nullopt;
  return n;
}

// The stream XGROUP works on: WRONGTYPE, or the must-exist error unless `may_create`.
// Null with a reply written, or null and *missing set when it may be created.
Stream* xgroup_stream(Ctx& ctx, std::string_view key, bool may_create, bool* missing) {
  bool wrong;
  Entry* e = write_typed(ctx, key, Type::kStream, &wrong);
  *missing = false;
  if (wrong) return nullptr;
  if (!e) {
    if (may_create) {
      *missing = true;
    } else {
      ctx.out().error(errors::kXgroupKeyMissing);
    }
    return nullptr;
  }
  return stream_of(e);
}

// The group's starting ID: "$" (the stream's last ID) or an ID. SETID also takes "-" and "+"
// (0-0 and the largest ID), as Redis reads it; CREATE refuses them.
std::optional<StreamId> group_id_arg(Ctx& ctx, std::string_view a, const Stream* s,
                                     bool strict) {
  if (a == "$") return s ? s->last_id() : StreamId::min();
  auto id = types::parse_stream_id(a, 0, strict);
  if (!id) ctx.out().error(errors::kInvalidStreamId);
  return id;
}

// XGROUP CREATE key group <id | $> [MKSTREAM] [ENTRIESREAD entries-read]
void create(Ctx& ctx, Args a) {
  bool mkstream = false;
  int64_t entries_read = types::kEntriesReadUnknown;
  for (size_t i = 5; i < a.size(); ++i) {
    if (iequals(a[i], "mkstream")) {
      mkstream = true;
    } else if (iequals(a[i], "entriesread") && i + 1 < a.size()) {
      auto n = entries_read_arg(ctx, a[++i]);
      if (!n) return;
      entries_read = *n;
    } else {
      return ctx.out().error(errors::subcommand_syntax(a[1], a[0]));
    }
  }
  bool missing;
  Stream* s = xgroup_stream(ctx, a[2], mkstream, &missing);
  if (!s && !missing) return;
  auto id = group_id_arg(ctx, a[4], s, true);
  if (!id) return;
  if (!s) {
    core::Value v;
    v.type = Type::kStream;
    v.obj = std::make_unique<Stream>();
    s = stream_of(ctx.add(a[2], std::move(v)));
  }
  auto [it, inserted] = s->groups().try_emplace(std::string(a[3]));
  if (!inserted) return ctx.out().error(errors::kBusyGroup);
  it->second.last_id = *id;
  it->second.entries_read = entries_read;
  ctx.out().ok();
  ctx.touch(a[2]);
  ctx.notify(pubsub::kClassStream, "xgroup-create", a[2]);
}

// XGROUP SETID key group <id | $> [ENTRIESREAD entries-read]
void setid(Ctx& ctx, Args a) {
  int64_t entries_read = types::kEntriesReadUnknown;
  if (a.size() == 7 && iequals(a[5], "entriesread")) {
    auto n = entries_read_arg(ctx, a[6]);
    if (!n) return;
    entries_read = *n;
  } else if (a.size() != 5) {
    return ctx.out().error(errors::subcommand_syntax(a[1], a[0]));
  }
  bool missing;
  Stream* s = xgroup_stream(ctx, a[2], false, &missing);
  if (!s) return;
  StreamGroup* g = s->find_group(a[3]);
  if (!g) return ctx.out().error(errors::no_group(a[2], a[3]));
  auto id = group_id_arg(ctx, a[4], s, false);
  if (!id) return;
  g->last_id = *id;
  g->entries_read = entries_read;
  ctx.out().ok();
  ctx.touch(a[2]);
  ctx.notify(pubsub::kClassStream, "xgroup-setid", a[2]);
}

// XGROUP DESTROY key group
void destroy(Ctx& ctx, Args a) {
  bool missing;
  Stream* s = xgroup_stream(ctx, a[2], false, &missing);
  if (!s) return;
  auto it = s->groups().find(a[3]);
  if (it == s->groups().end()) return ctx.out().integer(0);
  s->groups().erase(it);
  ctx.out().integer(1);
  ctx.touch(a[2]);
  ctx.notify(pubsub::kClassStream, "xgroup-destroy", a[2]);
  ctx.signal_ready(a[2]);  // readers blocked on the group get NOGROUP
}

// XGROUP CREATECONSUMER key group consumer
void createconsumer(Ctx& ctx, Args a) {
  bool missing;
  Stream* s = xgroup_stream(ctx, a[2], false, &missing);
  if (!s) return;
  StreamGroup* g = s->find_group(a[3]);
  if (!g) return ctx.out().error(errors::no_group(a[2], a[3]));
  bool created;
  g->consumer(a[4], ctx.now_ms(), &created);
  ctx.out().integer(created ? 1 : 0);
  if (!created) return;
  ctx.touch(a[2]);
  ctx.notify(pubsub::kClassStream, "xgroup-createconsumer", a[2]);
}

// XGROUP DELCONSUMER key group consumer
void delconsumer(Ctx& ctx, Args a) {
  bool missing;
  Stream* s = xgroup_stream(ctx, a[2], false, &missing);
  if (!s) return;
  StreamGroup* g = s->find_group(a[3]);
  if (!g) return ctx.out().error(errors::no_group(a[2], a[3]));
  const bool existed = g->find_consumer(a[4]) != nullptr;
  ctx.out().integer(static_cast<int64_t>(g->delete_consumer(a[4])));
  if (!existed) return;
  ctx.touch(a[2]);
  ctx.notify(pubsub::kClassStream, "xgroup-delconsumer", a[2]);
}

constexpr std::string_view kHelp[] = {
    "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
    "HELP",
    "    Prints this help.",
};

// XGROUP HELP
void help(Ctx& ctx, Args) { reply_help(ctx, kHelp); }

// The group named by a[2] of the stream a[1], for XACK / XPENDING: null when either is
// missing (*wrong set when the key holds another type, with WRONGTYPE written).
StreamGroup* lookup_group(Ctx& ctx, Args a, bool* wrong, Stream** stream = nullptr) {
  Entry* e = read_typed(ctx, a[1], Type::kStream, wrong);  // a read lookup, as in Redis
  Stream* s = stream_of(e);
  if (stream) *stream = s;
  return s ? s->find_group(a[2]) : nullptr;
}

// XACK key group id [id ...]
void xack(Ctx& ctx, Args a) {
  bool wrong;
  StreamGroup* g = lookup_group(ctx, a, &wrong);
  if (wrong) return;
  if (!g) return ctx.out().integer(0);
  // Every ID is checked before any is acknowledged.
  std::vector<StreamId> ids;
  ids.reserve(a.size() - 3);
  for (size_t i = 3; i < a.size(); ++i) {
    auto id = types::parse_stream_id(a[i], 0, true);
    if (!id) return ctx.out().error(errors::kInvalidStreamId);
    ids.push_back(*id);
  }
  int64_t acked = 0;
  for (StreamId id : ids) acked += g->ack(id) ? 1 : 0;
  ctx.out().integer(acked);
  if (acked) ctx.touch(a[1]);
}

// The summary form: [count, smallest ID, greatest ID, [[consumer, count], ...]].
void pending_summary(Ctx& ctx, const StreamGroup& g) {
  resp::Writer& out = ctx.out();
  out.array(4);
  out.integer(static_cast<int64_t>(g.pel.size()));
  if (g.pel.empty()) {
    out.null();
    out.null();
    out.null_array();
    return;
  }
  reply_id(ctx, g.pel.begin()->first);
  reply_id(ctx, g.pel.rbegin()->first);
  auto header = out.array_later();
  size_t n = 0;
  for (const auto& [name, c] : g.consumers) {
    if (c.pending.empty()) continue;
    out.array(2);
    out.bulk(name);
    out.bulk(std::to_string(c.pending.size()));
    ++n;
  }
  out.fill(header, n);
}

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
void xpending(Ctx& ctx, Args a) {
  const bool extended = a.size() > 3;
  int64_t min_idle = 0, count = 0;
  StreamId lo, hi;
  std::string_view consumer;
  bool by_consumer = false;
  if (extended) {
    size_t i = 3;
    if (a.size() >= 6 && iequals(a[3], "idle")) {
      auto n = int_arg(ctx, a[4]);
      if (!n) return;
      min_idle = *n;
      i = 5;
    }
    const size_t left = a.size() - i;
    if (left != 3 && left != 4) return ctx.out().error(errors::kSyntax);
    bool exclusive;
    auto l = types::parse_interval_id(a[i], 0, &exclusive);
    if (!l) return ctx.out().error(errors::kInvalidStreamId);
    if (exclusive && !l->incr()) return ctx.out().error(errors::kInvalidStartId);
    auto h = types::parse_interval_id(a[i + 1], StreamId::kMax, &exclusive);
    if (!h) return ctx.out().error(errors::kInvalidStreamId);
    if (exclusive && !h->decr()) return ctx.out().error(errors::kInvalidEndId);
    auto n = int_arg(ctx, a[i + 2]);
    if (!n) return;
    lo = *l;
    hi = *h;
    count = *n < 0 ? 0 : *n;
    by_consumer = left == 4;
    if (by_consumer) consumer = a[i + 3];
  }
  bool wrong;
  StreamGroup* g = lookup_group(ctx, a, &wrong);
  if (wrong) return;
  if (!g) return ctx.out().error(errors::no_key_or_group(a[1], a[2], false));
  if (!extended) return pending_summary(ctx, *g);

  resp::Writer& out = ctx.out();
  auto header = out.array_later();
  size_t n = 0;
  const int64_t now = ctx.now_ms();
  auto emit = [&](StreamId id, const types::PendingEntry& p) {
    const int64_t idle = now - p.delivery_time_ms;
    if (min_idle && idle < min_idle) return;
    out.array(4);
    reply_id(ctx, id);
    out.bulk(p.consumer);
    out.integer(idle < 0 ? 0 : idle);
    out.integer(static_cast<int64_t>(p.delivery_count));
    ++n;
  };
  if (by_consumer) {
    const types::Consumer* c = g->find_consumer(consumer);
    if (c) {
      for (auto it = c->pending.lower_bound(lo);
           it != c->pending.end() && *it <= hi && n < static_cast<size_t>(count); ++it) {
        emit(*it, g->pel.at(*it));
      }
    }
  } else {
    for (auto it = g->pel.lower_bound(lo);
         it != g->pel.end() && it->first <= hi && n < static_cast<size_t>(count); ++it) {
      emit(it->first, it->second);
    }
  }
  out.fill(header, n);
}

const Command kXgroupSubs[] = {
    {"xgroup|create",
     -5,
     kWrite | kDenyOom,
     2,
     2,
     1,
     create,
     {"Create a consumer group.", "5.0.0", "stream", "O(1)",
      "key groupname <id | $> [MKSTREAM] [ENTRIESREAD entries-read]"}},
    {"xgroup|setid",
     -5,
     kWrite,
     2,
     2,
     1,
     setid,
     {"Set a consumer group to an arbitrary last delivered ID value.", "5.0.0", "stream", "O(1)",
      "key groupname <id | $> [ENTRIESREAD entries-read]"}},
    {"xgroup|destroy",
     4,
     kWrite,
     2,
     2,
     1,
     destroy,
     {"Destroy a consumer group.", "5.0.0", "stream",
      "O(N) where N is the number of entries in the group's pending entries list (PEL).",
      "key groupname"}},
    {"xgroup|createconsumer",
     5,
     kWrite | kDenyOom,
     2,
     2,
     1,
     createconsumer,
     {"Create a consumer in a consumer group.", "6.2.0", "stream", "O(1)",
      "key groupname consumername"}},
    {"xgroup|delconsumer",
     5,
     kWrite,
     2,
     2,
     1,
     delconsumer,
     {"Delete a consumer from a consumer group.", "5.0.0", "stream", "O(1)",
      "key groupname consumername"}},
    {"xgroup|help",
     2,
     kLoading | kStale,
     0,
     0,
     0,
     help,
     {"Show helpful text about the different subcommands", "5.0.0", "stream", "O(1)", ""}},
};

const Command kGroupCommands[] = {
    {"xgroup",
     -2,
     0,
     0,
     0,
     0,
     nullptr,
     {"A container for consumer groups commands", "5.0.0", "stream", "Depends on subcommand.", ""},
     kXgroupSubs},
    {"xack",
     -4,
     kWrite | kFast,
     1,
     1,
     1,
     xack,
     {"Marks a pending message as correctly processed, effectively removing it from the pending "
      "entries list of the consumer group. Return value of the command is the number of "
      "messages successfully acknowledged, that is, the IDs we were actually able to resolve in "
      "the PEL.",
      "5.0.0", "stream", "O(1) for each message ID processed.", "key group id [id ...]"}},
    {"xpending",
     -3,
     kReadOnly,
     1,
     1,
     1,
     xpending,
     {"Return information and entries from a stream consumer group pending entries list, that "
      "are messages fetched but never acknowledged.",
      "5.0.0", "stream",
      "O(N) with N being the number of elements returned, so asking for a small fixed number "
      "of entries per call is O(1). O(M), where M is the total number of entries scanned when "
      "used with the IDLE filter. When the command returns just the summary and the list of "
      "consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for "
      "iterating every consumer.",
      "key group [[IDLE min-idle-time] start end count [consumer]]"}},
};

}  // namespace

void add_stream_group_commands(CommandTable& t) { t.add(kGroupCommands); }

}  // namespace rill::commands
