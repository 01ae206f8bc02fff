// XREADGROUP: reads through a consumer group, with BLOCK.
//
// A ">" read delivers entries past the group's last-delivered ID, advancing it and (without
// NOACK) adding each entry to the group's and the consumer's pending lists. A read with an
// ID re-reads the consumer's own pending entries after that ID ("history"): it never blocks,
// and a pending entry deleted from the stream comes back as [id, nil].
//
// When every stream is read with ">" and none has anything new, the command parks through
// Ctx::block as it is. Its re-run (after an XADD, a deletion, XGROUP DESTROY) first checks
// the key that woke it: gone or no longer a stream, or the group destroyed, and the reader is
// answered with Redis 7.0's error instead of waiting on.
#include <optional>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/stream_groups.h"
#include "commands/stream_propagation.h"
#include "commands/stream_read_options.h"

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

// ">" parsed: the largest ID, which no entry can be after.
constexpr StreamId kNewEntries = StreamId::max();

// On a re-run: the error for the key that woke this reader, if it lost its stream or group.
bool answered_on_wake(Ctx& ctx, std::string_view group) {
  if (!ctx.rerun()) return false;
  Entry* e = ctx.peek(ctx.ready_key());
  if (!e || e->value.type != Type::kStream) {
    ctx.out().error(errors::kBlockedStreamDeleted);
    return true;
  }
  if (!stream_of(e)->find_group(group)) {
    ctx.out().error(errors::kBlockedGroupDestroyed);
    return true;
  }
  return false;
}

// Where a read delivers: the stream's key, the group and the consumer, by name.
struct Target {
  std::string_view key, group, consumer;
};

// Entries after the group's last-delivered ID, at most `count` (0: all).
void deliver_new(Ctx& ctx, Stream& s, StreamGroup& g, const Target& t, types::Consumer& c,
                 size_t count, bool noack) {
  resp::Writer& out = ctx.out();
  auto header = out.array_later();
  StreamId from = g.last_id;
  from.incr();
  const int64_t now = ctx.now_ms();
  size_t n = s.range(from, StreamId::max(), count, false,
                     [&](StreamId id, std::span<const std::string_view> fv) {
                       out.array(2);
                       reply_id(ctx, id);
                       out.array(fv.size());
                       for (auto f : fv) out.bulk(f);
                       g.advance(s, id);
                       if (noack) return;
                       types::PendingEntry& p = g.assign(id, t.consumer, c);
                       p.delivery_time_ms = now;
                       p.delivery_count = 1;
                       if (ctx.propagating()) streams::propagate_claim(ctx, t.key, t.group, g, id);
                     });
  out.fill(header, n);
  if (!n) return;
  c.active_time_ms = now;
  if (ctx.propagating()) streams::propagate_group_position(ctx, t.key, t.group, g);
}

// The consumer's pending entries after `after`, at most `count` (0: all).
void deliver_history(Ctx& ctx, const Stream& s, StreamGroup& g, const Target& t,
                     types::Consumer& c, StreamId after, size_t count) {
  resp::Writer& out = ctx.out();
  auto header = out.array_later();
  size_t n = 0;
  if (after.incr()) {
    for (auto it = c.pending.lower_bound(after); it != c.pending.end() && (count == 0 || n < count);
         ++it, ++n) {
      if (streams::reply_entry(ctx, s, *it)) {
        types::PendingEntry& p = g.pel.at(*it);
        p.delivery_time_ms = ctx.now_ms();
        ++p.delivery_count;
        if (ctx.propagating()) streams::propagate_claim(ctx, t.key, t.group, g, *it);
      } else {
        out.array(2);
        reply_id(ctx, *it);
        out.null_array();
      }
    }
  }
  out.fill(header, n);
}

// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key
// [key ...] id [id ...]
void xreadgroup(Ctx& ctx, Args a) {
  auto opts = streams::read_options(ctx, a, true);
  if (!opts) return;
  const auto [count, timeout, noack, group, consumer, streams_at, nstreams] = *opts;
  if (group.data() == nullptr) return ctx.out().error(errors::kXreadgroupMissingGroup);
  if (answered_on_wake(ctx, group)) return;
  // What a read delivered depends on the moment: it propagates as claims (stream_propagation.h).
  ctx.replace_propagation();

  std::vector<Stream*> streams(nstreams);
  std::vector<StreamGroup*> groups(nstreams);
  std::vector<StreamId> after(nstreams);
  for (size_t j = 0; j < nstreams; ++j) {
    std::string_view key = a[streams_at + j];
    bool wrong;
    streams[j] = stream_of(read_typed(ctx, key, Type::kStream, &wrong));
    if (wrong) return;
    groups[j] = streams[j] ? streams[j]->find_group(group) : nullptr;
    if (!groups[j]) return ctx.out().error(errors::no_key_or_group(key, group, true));
    std::string_view id = a[streams_at + nstreams + j];
    if (id == "$") return ctx.out().error(errors::kXreadgroupDollar);
    if (id == ">") {
      after[j] = kNewEntries;
      continue;
    }
    auto parsed = types::parse_stream_id(id, 0, true);
    if (!parsed) return ctx.out().error(errors::kInvalidStreamId);
    after[j] = *parsed;
  }

  resp::Writer& out = ctx.out();
  std::optional<resp::Writer::Deferred> header;
  size_t served = 0;
  for (size_t j = 0; j < nstreams; ++j) {
    Stream& s = *streams[j];
    StreamGroup& g = *groups[j];
    const bool history = after[j] != kNewEntries;
    // A ">" read is served only if a live entry lies past the group's position.
    if (!history && (s.length() == 0 || !(g.last_id < s.last_live_id()))) continue;
    if (!header) header = out.pairs_later();
    ++served;
    out.pair();
    const Target t{a[streams_at + j], group, consumer};
    out.bulk(t.key);
    bool created = false;
    types::Consumer& c = g.consumer(consumer, ctx.now_ms(), &created);
    c.seen_time_ms = ctx.now_ms();
    if (created && ctx.propagating()) streams::propagate_consumer_created(ctx, t.key, group, consumer);
    if (created) ctx.notify(pubsub::kClassStream, "xgroup-createconsumer", t.key);
    if (history) {
      deliver_history(ctx, s, g, t, c, after[j], static_cast<size_t>(count));
    } else {
      deliver_new(ctx, s, g, t, c, static_cast<size_t>(count), noack);
    }
    ctx.touch(a[streams_at + j]);
  }
  if (served) return out.fill(*header, served);

  if (timeout < 0 || !ctx.can_block()) return out.null_array();
  ctx.block(a.subspan(streams_at, nstreams), timeout, blocking::TimeoutReply::kNullArray, a);
}

// The keys: the first half of what follows STREAMS (searched for after GROUP group consumer).
constexpr MovableKeys kXreadgroupKeys{"STREAMS", 4, MovableKeys::Find::kFirstHalf, "RO access"};

const Command kReadGroup[] = {
    {"xreadgroup",
     -7,
     kWrite | kBlocking,
     0,
     0,
     0,
     xreadgroup,
     {"Return new entries from a stream using a consumer group, or access the history of the "
      "pending entries for a given consumer. Can block.",
      "5.0.0", "stream",
      "For each stream mentioned: O(M) with M the number of elements returned. If M is "
      "constant (e.g. always asking for the first 10 elements with COUNT), you can consider "
      "it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in "
      "order to serve the N clients blocked on the stream getting new data.",
      "GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] "
      "id [id ...]"},
     {},
     &kXreadgroupKeys},
};

}  // namespace

void add_stream_readgroup_commands(CommandTable& t) { t.add(kReadGroup); }

}  // namespace rill::commands
