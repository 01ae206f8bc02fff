// Stream reads: XLEN, XRANGE, XREVRANGE and XREAD (with BLOCK).
//
// A blocking XREAD that finds nothing parks through Ctx::block with its "$" IDs rewritten to
// the streams' last IDs at that moment, so the re-run after an XADD returns only what
// arrived since, as Redis does. The re-run reads every stream that has something by then,
// so a reader woken by a MULTI that wrote to several of its streams gets all of them.
#include <optional>
#include <string>
#include <vector>

#include "commands/args.h"
#include "commands/command_table.h"
#include "commands/stream_read_options.h"
#include "types/stream.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;
using core::Type;
using types::Stream;
using types::StreamId;

const Stream* stream_of(const Entry* e) {
  return e ? static_cast<const Stream*>(e->value.obj.get()) : nullptr;
}

// Writes entries lo..hi as [[id, [field, value, ...]], ...].
void reply_range(Ctx& ctx, const Stream& s, StreamId lo, StreamId hi, size_t count,
                 bool reverse) {
  resp::Writer& out = ctx.out();
  auto header = out.array_later();
  char buf[48];
  size_t n = s.range(lo, hi, count, reverse,
                     [&](StreamId id, std::span<const std::string_view> fv) {
                       out.array(2);
                       out.bulk(std::string_view(buf, id.format(buf)));
                       out.array(fv.size());
                       for (auto f : fv) out.bulk(f);
                     });
  out.fill(header, n);
}

// XLEN key
void xlen(Ctx& ctx, Args a) {
  bool wrong;
  Entry* e = read_typed(ctx, a[1], Type::kStream, &wrong);
  if (wrong) return;
  ctx.out().integer(e ? static_cast<int64_t>(stream_of(e)->length()) : 0);
}

// XRANGE key start end [COUNT count], and XREVRANGE key end start [COUNT count].
void range_command(Ctx& ctx, Args a, bool reverse) {
  bool exclusive;
  auto lo = types::parse_interval_id(reverse ? a[3] : a[2], 0, &exclusive);
  if (!lo) return ctx.out().error(errors::kInvalidStreamId);
  if (exclusive && !lo->incr()) return ctx.out().error(errors::kInvalidStartId);
  auto hi = types::parse_interval_id(reverse ? a[2] : a[3], StreamId::kMax, &exclusive);
  if (!hi) return ctx.out().error(errors::kInvalidStreamId);
  if (exclusive && !hi->decr()) return ctx.out().error(errors::kInvalidEndId);
  int64_t count = -1;
  for (size_t i = 4; i < a.size(); ++i) {
    if (iequals(a[i], "count") && i + 1 < a.size()) {
      auto n = int_arg(ctx, a[++i]);
      if (!n) return;
      count = *n < 0 ? 0 : *n;
    } else {
      return ctx.out().error(errors::kSyntax);
    }
  }
  bool wrong;
  Entry* e = read_typed(ctx, a[1], Type::kStream, &wrong);
  if (wrong) return;
  if (!e) return ctx.out().array(0);
  if (count == 0) return ctx.out().null_array();  // as Redis answers COUNT 0 on a stream
  reply_range(ctx, *stream_of(e), *lo, *hi, count < 0 ? 0 : static_cast<size_t>(count), reverse);
}

// XRANGE key start end [COUNT count]
void xrange(Ctx& ctx, Args a) { range_command(ctx, a, false); }

// XREVRANGE key end start [COUNT count]
void xrevrange(Ctx& ctx, Args a) { range_command(ctx, a, true); }

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
void xread(Ctx& ctx, Args a) {
  auto opts = streams::read_options(ctx, a, false);
  if (!opts) return;
  const auto [count, timeout, noack, group, consumer, streams_at, nstreams] = *opts;

  std::vector<const Stream*> streams(nstreams);
  std::vector<StreamId> after(nstreams);
  bool has_dollar = false;
  for (size_t j = 0; j < nstreams; ++j) {
    core::Entry* e = ctx.read(a[streams_at + j]);
    if (e && e->value.type != Type::kStream) {
      if (!ctx.rerun()) return ctx.out().error(errors::kWrongType);
      e = nullptr;  // the key changed type while this reader waited: it keeps waiting, as in Redis
    }
    streams[j] = stream_of(e);
    std::string_view id = a[streams_at + nstreams + j];
    if (id == "$") {
      after[j] = streams[j] ? streams[j]->last_id() : StreamId::min();
      has_dollar = true;
    } else if (id == ">") {
      return ctx.out().error(errors::kXreadGreaterId);
    } else {
      auto parsed = types::parse_stream_id(id, 0, true);
      if (!parsed) return ctx.out().error(errors::kInvalidStreamId);
      after[j] = *parsed;
    }
  }

  resp::Writer& out = ctx.out();
  std::optional<resp::Writer::Deferred> header;
  size_t served = 0;
  for (size_t j = 0; j < nstreams; ++j) {
    const Stream* s = streams[j];
    // Served only if a live entry is past the ID: a stream emptied by XDEL or XTRIM whose
    // last_id is still ahead has nothing to give, and a blocked reader keeps waiting.
    // Redis looks every stream up a second time here; so do we, so that hits, misses and
    // keymiss events count as in Redis.
    if (!ctx.rerun()) ctx.read(a[streams_at + j]);
    if (!s || s->length() == 0 || !(after[j] < s->last_live_id())) continue;
    if (!header) header = out.pairs_later();
    ++served;
    StreamId from = after[j];
    from.incr();
    out.pair();
    out.bulk(a[streams_at + j]);
    reply_range(ctx, *s, from, StreamId::max(), static_cast<size_t>(count), false);
  }
  if (served) return out.fill(*header, served);

  if (timeout < 0 || !ctx.can_block()) return out.null_array();
  // Park with "$" pinned to what the streams hold now.
  std::vector<std::string> own(a.begin(), a.end());
  if (has_dollar) {
    for (size_t j = 0; j < nstreams; ++j) {
      if (own[streams_at + nstreams + j] == "$") own[streams_at + nstreams + j] = after[j].str();
    }
  }
  std::vector<std::string_view> argv(own.begin(), own.end());
  ctx.block(a.subspan(streams_at, nstreams), timeout, blocking::TimeoutReply::kNullArray, argv);
}

// The keys: the first half of what follows STREAMS.
constexpr MovableKeys kXreadKeys{"STREAMS", 1, MovableKeys::Find::kFirstHalf, "RO access"};

const Command kStreamReads[] = {
    {"xlen", 2, kReadOnly | kFast, 1, 1, 1, xlen,
     {"Return the number of messages in a stream.", "5.0.0", "stream", "O(1)", "key"}},
    {"xrange", -4, kReadOnly, 1, 1, 1, xrange,
     {"Returns the messages from a stream within a range of IDs.", "5.0.0", "stream",
      "O(N) with N being the number of elements being returned.",
      "key start end [COUNT count]"}},
    {"xrevrange", -4, kReadOnly, 1, 1, 1, xrevrange,
     {"Returns the messages from a stream within a range of IDs in reverse order.", "5.0.0",
      "stream", "O(N) with N being the number of elements being returned.",
      "key end start [COUNT count]"}},
    {"xread", -4, kReadOnly | kBlocking, 0, 0, 0, xread,
     {"Returns messages from multiple streams with IDs greater than the ones requested. Blocks "
      "until a message is available otherwise.", "5.0.0", "stream",
      "For each stream mentioned: O(M) with M being the number of elements returned.",
      "[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]"},
     {},
     &kXreadKeys},
};

}  // namespace

void add_stream_commands(CommandTable& t) { t.add(kStreamReads); }

}  // namespace rill::commands
