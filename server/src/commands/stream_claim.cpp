// XCLAIM and XAUTOCLAIM: moving pending entries to another consumer.
//
// A claimed entry that was deleted from the stream is dropped from the pending lists (XCLAIM
// says nothing of it; XAUTOCLAIM lists it in its third reply element, as Redis 7.0 does). A
// claim without JUSTID counts as a delivery and bumps the delivery count.
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/stream_groups.h"
#include "commands/stream_propagation.h"

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

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds]
// [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
void xclaim(Ctx& ctx, Args a) {
  bool wrong;
  Entry* e = read_typed(ctx, a[1], Type::kStream, &wrong);  // a read lookup, as in Redis
  if (wrong) return;
  Stream* s = stream_of(e);
  StreamGroup* g = s ? s->find_group(a[2]) : nullptr;
  if (!g) return ctx.out().error(errors::no_key_or_group(a[1], a[2], false));
  // IDLE and a min-idle-time depend on the moment: claims propagate as exact XCLAIMs.
  ctx.replace_propagation();
  auto min_idle = core::parse_int(a[4]);
  if (!min_idle) return ctx.out().error(errors::kXclaimMinIdle);
  if (*min_idle < 0) min_idle = 0;

  // IDs run until the first argument that is not one; options follow.
  std::vector<StreamId> ids;
  size_t i = 5;
  for (; i < a.size(); ++i) {
    auto id = types::parse_stream_id(a[i], 0, true);
    if (!id) break;
    ids.push_back(*id);
  }
  const int64_t now = ctx.now_ms();
  int64_t delivery_time = now;
  int64_t retry_count = -1;
  bool force = false, justid = false;
  std::optional<StreamId> last_id;
  for (; i < a.size(); ++i) {
    const bool more = i + 1 < a.size();
    if (iequals(a[i], "force")) {
      force = true;
    } else if (iequals(a[i], "justid")) {
      justid = true;
    } else if (iequals(a[i], "idle") && more) {
      auto n = core::parse_int(a[++i]);
      if (!n) return ctx.out().error(errors::kXclaimIdle);
      delivery_time = now - *n;
    } else if (iequals(a[i], "time") && more) {
      auto n = core::parse_int(a[++i]);
      if (!n) return ctx.out().error(errors::kXclaimTime);
      delivery_time = *n;
    } else if (iequals(a[i], "retrycount") && more) {
      auto n = core::parse_int(a[++i]);
      if (!n) return ctx.out().error(errors::kXclaimRetryCount);
      retry_count = *n;
    } else if (iequals(a[i], "lastid") && more) {
      auto id = types::parse_stream_id(a[++i], 0, true);
      if (!id) return ctx.out().error(errors::kInvalidStreamId);
      last_id = *id;
    } else {
      return ctx.out().error(errors::xclaim_option(a[i]));
    }
  }
  // A time in the future (or before the epoch) means now, as Redis reads it.
  if (delivery_time < 0 || delivery_time > now) delivery_time = now;

  bool changed = false;
  bool moved = false;  // LASTID advanced the group
  if (last_id && g->last_id < *last_id) {
    g->last_id = *last_id;
    changed = moved = true;
  }
  const bool propagating = ctx.propagating();
  resp::Writer& out = ctx.out();
  auto header = out.array_later();
  size_t n = 0;
  types::Consumer* c = nullptr;
  for (StreamId id : ids) {
    auto it = g->pel.find(id);
    if (!streams::entry_exists(*s, id)) {
      if (it == g->pel.end()) continue;
      if (propagating) streams::propagate_claim(ctx, a[1], a[2], *g, a[3], id, now, 0);
      changed = g->ack(id) || changed;
      continue;
    }
    bool fresh = false;  // created by FORCE: no owner, so no idle time to check
    if (it == g->pel.end()) {
      if (!force) continue;
      fresh = true;
    } else if (*min_idle && now - it->second.delivery_time_ms < *min_idle) {
      continue;
    }
    if (!c) c = &streams::consumer_of(ctx, *g, a[1], a[3]);
    c->seen_time_ms = now;
    c->active_time_ms = now;
    types::PendingEntry& p = g->assign(id, a[3], *c);
    if (fresh) p.delivery_count = 1;  // as a new delivery; the claim below counts again
    p.delivery_time_ms = delivery_time;
    if (retry_count >= 0) {
      p.delivery_count = static_cast<uint64_t>(retry_count);
    } else if (!justid) {
      ++p.delivery_count;
    }
    if (justid) {
      reply_id(ctx, id);
    } else {
      streams::reply_entry(ctx, *s, id);
    }
    if (propagating) streams::propagate_claim(ctx, a[1], a[2], *g, id);
    ++n;
    changed = true;
  }
  out.fill(header, n);
  if (moved && propagating) streams::propagate_group_position(ctx, a[1], a[2], *g);
  if (changed) ctx.touch(a[1]);
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
void xautoclaim(Ctx& ctx, Args a) {
  bool wrong;
  Entry* e = read_typed(ctx, a[1], Type::kStream, &wrong);  // a read lookup, as in Redis
  if (wrong) return;
  Stream* s = stream_of(e);
  StreamGroup* g = s ? s->find_group(a[2]) : nullptr;
  auto min_idle = core::parse_int(a[4]);
  if (!min_idle) return ctx.out().error(errors::kXautoclaimMinIdle);
  if (*min_idle < 0) min_idle = 0;
  bool exclusive;
  auto start = types::parse_interval_id(a[5], 0, &exclusive);
  if (!start) return ctx.out().error(errors::kInvalidStreamId);
  if (exclusive && !start->incr()) return ctx.out().error(errors::kInvalidStartId);
  // Each entry returned may cost up to this many PEL entries looked at (Redis's bound).
  constexpr int64_t kAttemptsFactor = 10;
  int64_t count = 100;
  bool justid = false;
  for (size_t i = 6; i < a.size(); ++i) {
    if (iequals(a[i], "count") && i + 1 < a.size()) {
      auto n = int_arg(ctx, a[++i]);
      if (!n) return;
      if (*n < 1 || *n > INT64_MAX / kAttemptsFactor) {
        return ctx.out().error(errors::kXautoclaimCount);
      }
      count = *n;
    } else if (iequals(a[i], "justid")) {
      justid = true;
    } else {
      return ctx.out().error(errors::kSyntax);
    }
  }
  if (!g) return ctx.out().error(errors::no_key_or_group(a[1], a[2], false));
  // Which entries were idle enough depends on the moment: claims propagate as exact XCLAIMs.
  ctx.replace_propagation();
  const bool propagating = ctx.propagating();

  const int64_t now = ctx.now_ms();
  types::Consumer* c = nullptr;  // created on the first claim
  resp::Writer& out = ctx.out();
  out.array(3);
  // The cursor is known only after the scan: claim first into lists, then write.
  std::vector<StreamId> claimed, deleted;
  int64_t attempts = count * kAttemptsFactor;
  auto it = g->pel.lower_bound(*start);
  while (attempts-- > 0 && count > 0 && it != g->pel.end()) {
    const StreamId id = it->first;
    ++it;
    if (!streams::entry_exists(*s, id)) {
      if (propagating) streams::propagate_claim(ctx, a[1], a[2], *g, a[3], id, now, 0);
      g->ack(id);
      deleted.push_back(id);
      --count;  // a deleted entry uses up the count as a claimed one does, as in Redis 7.0
      continue;
    }
    types::PendingEntry& p = g->pel.at(id);
    if (*min_idle && now - p.delivery_time_ms < *min_idle) continue;
    if (!c) c = &streams::consumer_of(ctx, *g, a[1], a[3]);
    c->seen_time_ms = now;
    types::PendingEntry& mine = g->assign(id, a[3], *c);
    mine.delivery_time_ms = now;
    if (!justid) ++mine.delivery_count;
    if (propagating) streams::propagate_claim(ctx, a[1], a[2], *g, id);
    claimed.push_back(id);
    --count;
  }
  if (c) c->active_time_ms = now;
  reply_id(ctx, it == g->pel.end() ? StreamId::min() : it->first);
  out.array(claimed.size());
  for (StreamId id : claimed) {
    if (justid) {
      reply_id(ctx, id);
    } else {
      streams::reply_entry(ctx, *s, id);
    }
  }
  out.array(deleted.size());
  for (StreamId id : deleted) reply_id(ctx, id);
  if (c || !deleted.empty()) ctx.touch(a[1]);
}

const Command kClaims[] = {
    {"xclaim",
     -6,
     kWrite | kFast,
     1,
     1,
     1,
     xclaim,
     {"Changes (or acquires) ownership of a message in a consumer group, as if the message was "
      "delivered to the specified consumer.",
      "5.0.0", "stream",
      "O(log N) with N being the "
      "number of messages in the PEL of the consumer group.",
      "key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] "
      "[RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]"}},
    {"xautoclaim",
     -6,
     kWrite | kFast,
     1,
     1,
     1,
     xautoclaim,
     {"Changes (or acquires) ownership of messages in a consumer group, as if the messages "
      "were delivered to the specified consumer.",
      "6.2.0", "stream", "O(1) if COUNT is small.",
      "key group consumer min-idle-time start [COUNT count] [JUSTID]"}},
};

}  // namespace

void add_stream_claim_commands(CommandTable& t) { t.add(kClaims); }

}  // namespace rill::commands
