// XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP: the field
// lists Redis 7.0 prints, as maps (RESP3) or flat arrays (RESP2).
//
// Two fields describe Redis's radix tree, which rill does not have: "radix-tree-keys" is our
// node count (Redis's tree holds one key per node), and "radix-tree-nodes" one more than it,
// which is what Redis's tree has for streams of up to one node.
#include <string>

#include "commands/command_table.h"
#include "commands/stream_groups.h"

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

// The stream at `key`, or null with "no such key" / WRONGTYPE written.
Stream* info_stream(Ctx& ctx, std::string_view key) {
  bool wrong;
  Entry* e = read_typed(ctx, key, Type::kStream, &wrong);
  if (wrong) return nullptr;
  if (!e) ctx.out().error(errors::kNoSuchKey);
  return stream_of(e);
}

void reply_entries_read(Ctx& ctx, const StreamGroup& g) {
  if (g.entries_read == types::kEntriesReadUnknown) return ctx.out().null();
  ctx.out().integer(g.entries_read);
}

void reply_lag(Ctx& ctx, const Stream& s, const StreamGroup& g) {
  int64_t lag;
  if (!g.lag(s, &lag)) return ctx.out().null();
  ctx.out().integer(lag);
}

// One end entry of the stream, or nil when it is empty.
void reply_edge(Ctx& ctx, const Stream& s, bool last) {
  if (s.length() == 0) return ctx.out().null();
  streams::reply_entry(ctx, s, last ? s.last_live_id() : s.first_id());
}

// The groups of XINFO STREAM FULL, with at most `count` pending entries each (0: all).
void reply_full_groups(Ctx& ctx, const Stream& s, size_t count) {
  resp::Writer& out = ctx.out();
  out.array(s.groups().size());
  for (const auto& [name, g] : s.groups()) {
    out.map(7);
    out.bulk("name");
    out.bulk(name);
    out.bulk("last-delivered-id");
    reply_id(ctx, g.last_id);
    out.bulk("entries-read");
    reply_entries_read(ctx, g);
    out.bulk("lag");
    reply_lag(ctx, s, g);
    out.bulk("pel-count");
    out.integer(static_cast<int64_t>(g.pel.size()));
    out.bulk("pending");
    size_t n = count == 0 ? g.pel.size() : std::min(count, g.pel.size());
    out.array(n);
    auto it = g.pel.begin();
    for (size_t i = 0; i < n; ++i, ++it) {
      out.array(4);
      reply_id(ctx, it->first);
      out.bulk(it->second.consumer);
      out.integer(it->second.delivery_time_ms);
      out.integer(static_cast<int64_t>(it->second.delivery_count));
    }
    out.bulk("consumers");
    out.array(g.consumers.size());
    for (const auto& [cname, c] : g.consumers) {
      out.map(4);
      out.bulk("name");
      out.bulk(cname);
      out.bulk("seen-time");
      out.integer(c.seen_time_ms);
      out.bulk("pel-count");
      out.integer(static_cast<int64_t>(c.pending.size()));
      out.bulk("pending");
      size_t m = count == 0 ? c.pending.size() : std::min(count, c.pending.size());
      out.array(m);
      auto id = c.pending.begin();
      for (size_t i = 0; i < m; ++i, ++id) {
        const types::PendingEntry& p = g.pel.at(*id);
        out.array(3);
        reply_id(ctx, *id);
        out.integer(p.delivery_time_ms);
        out.integer(static_cast<int64_t>(p.delivery_count));
      }
    }
  }
}

// XINFO STREAM key [FULL [COUNT count]]
void stream(Ctx& ctx, Args a) {
  bool full = false;
  int64_t count = 10;
  if (a.size() >= 4) {
    const bool with_count = a.size() == 6 && iequals(a[4], "count");
    if (!iequals(a[3], "full") || (a.size() != 4 && !with_count)) {
      return ctx.out().error(errors::subcommand_syntax(a[1], a[0]));
    }
    full = true;
    if (with_count) {
      auto n = int_arg(ctx, a[5]);
      if (!n) return;
      count = *n < 0 ? 0 : *n;
    }
  }
  Stream* s = info_stream(ctx, a[2]);
  if (!s) return;
  resp::Writer& out = ctx.out();
  out.map(full ? 9 : 10);
  out.bulk("length");
  out.integer(static_cast<int64_t>(s->length()));
  out.bulk("radix-tree-keys");
  out.integer(static_cast<int64_t>(s->node_count()));
  out.bulk("radix-tree-nodes");
  out.integer(static_cast<int64_t>(s->node_count() + 1));
  out.bulk("last-generated-id");
  reply_id(ctx, s->last_id());
  out.bulk("max-deleted-entry-id");
  reply_id(ctx, s->max_deleted_id());
  out.bulk("entries-added");
  out.integer(static_cast<int64_t>(s->entries_added()));
  out.bulk("recorded-first-entry-id");
  reply_id(ctx, s->first_id());
  if (!full) {
    out.bulk("groups");
    out.integer(static_cast<int64_t>(s->groups().size()));
    out.bulk("first-entry");
    reply_edge(ctx, *s, false);
    out.bulk("last-entry");
    reply_edge(ctx, *s, true);
    return;
  }
  out.bulk("entries");
  auto header = out.array_later();
  size_t n = s->range(StreamId::min(), StreamId::max(), static_cast<size_t>(count), false,
                      [&](StreamId id, std::span<const std::string_view> fv) {
                        out.array(2);
                        reply_id(ctx, id);
                        out.array(fv.size());
                        for (auto f : fv) out.bulk(f);
                      });
  out.fill(header, n);
  out.bulk("groups");
  reply_full_groups(ctx, *s, static_cast<size_t>(count));
}

// XINFO GROUPS key
void groups(Ctx& ctx, Args a) {
  Stream* s = info_stream(ctx, a[2]);
  if (!s) return;
  resp::Writer& out = ctx.out();
  out.array(s->groups().size());
  for (const auto& [name, g] : s->groups()) {
    out.map(6);
    out.bulk("name");
    out.bulk(name);
    out.bulk("consumers");
    out.integer(static_cast<int64_t>(g.consumers.size()));
    out.bulk("pending");
    out.integer(static_cast<int64_t>(g.pel.size()));
    out.bulk("last-delivered-id");
    reply_id(ctx, g.last_id);
    out.bulk("entries-read");
    reply_entries_read(ctx, g);
    out.bulk("lag");
    reply_lag(ctx, *s, g);
  }
}

// XINFO CONSUMERS key group
void consumers(Ctx& ctx, Args a) {
  Stream* s = info_stream(ctx, a[2]);
  if (!s) return;
  StreamGroup* g = s->find_group(a[3]);
  if (!g) return ctx.out().error(errors::no_group(a[2], a[3]));
  resp::Writer& out = ctx.out();
  out.array(g->consumers.size());
  for (const auto& [name, c] : g->consumers) {
    out.map(3);
    out.bulk("name");
    out.bulk(name);
    out.bulk("pending");
    out.integer(static_cast<int64_t>(c.pending.size()));
    out.bulk("idle");
    const int64_t idle = ctx.now_ms() - c.seen_time_ms;
    out.integer(idle < 0 ? 0 : idle);
  }
}

constexpr std::string_view kHelp[] = {
    "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
    "HELP",
    "    Prints this help.",
};

// XINFO HELP
void help(Ctx& ctx, Args) { reply_help(ctx, kHelp); }

const Command kXinfoSubs[] = {
    {"xinfo|consumers",
     4,
     kReadOnly,
     2,
     2,
     1,
     consumers,
     {"List the consumers in a consumer group", "5.0.0", "stream", "O(1)", "key groupname"}},
    {"xinfo|groups",
     3,
     kReadOnly,
     2,
     2,
     1,
     groups,
     {"List the consumer groups of a stream", "5.0.0", "stream", "O(1)", "key"}},
    {"xinfo|stream",
     -3,
     kReadOnly,
     2,
     2,
     1,
     stream,
     {"Get information about a stream", "5.0.0", "stream", "O(1)", "key [FULL [COUNT count]]"}},
    {"xinfo|help",
     2,
     kLoading | kStale,
     0,
     0,
     0,
     help,
     {"Show helpful text about the different subcommands", "5.0.0", "stream", "O(1)", ""}},
};

const Command kXinfo[] = {
    {"xinfo",
     -2,
     0,
     0,
     0,
     0,
     nullptr,
     {"A container for stream introspection commands", "5.0.0", "stream", "Depends on subcommand.",
      ""},
     kXinfoSubs},
};

}  // namespace

void add_stream_info_commands(CommandTable& t) { t.add(kXinfo); }

}  // namespace rill::commands
