// What the consumer-group handlers share (stream_groups.cpp, stream_claim.cpp,
// stream_readgroup.cpp, stream_info.cpp): finding a stream and its group, and writing IDs and
// single entries.
#pragma once

#include <string_view>

#include "commands/args.h"
#include "types/stream.h"

namespace rill::commands::streams {

inline types::Stream* stream_of(core::Entry* e) {
  return e ? static_cast<types::Stream*>(e->value.obj.get()) : nullptr;
}

// Writes "ms-seq" as a bulk string.
inline void reply_id(core::Ctx& ctx, types::StreamId id) {
  char buf[48];
  ctx.out().bulk(std::string_view(buf, id.format(buf)));
}

// Writes [id, [field, value, ...]] for the live entry `id`; false (nothing written) when the
// stream has no such entry.
inline bool reply_entry(core::Ctx& ctx, const types::Stream& s, types::StreamId id) {
  size_t n = s.range(id, id, 1, false, [&](types::StreamId, std::span<const std::string_view> fv) {
    ctx.out().array(2);
    reply_id(ctx, id);
    ctx.out().array(fv.size());
    for (auto f : fv) ctx.out().bulk(f);
  });
  return n != 0;
}

inline bool entry_exists(const types::Stream& s, types::StreamId id) {
  return s.range(id, id, 1, false, [](types::StreamId, std::span<const std::string_view>) {}) != 0;
}

// The consumer `name` of group `g` of the stream at `key`, created when missing. A creation is
// announced as "xgroup-createconsumer", as Redis does whichever command creates it
// (XREADGROUP, XCLAIM, XAUTOCLAIM).
inline types::Consumer& consumer_of(core::Ctx& ctx, types::StreamGroup& g, std::string_view key,
                                    std::string_view name) {
  bool created;
  types::Consumer& c = g.consumer(name, ctx.now_ms(), &created);
  if (created) ctx.notify(pubsub::kClassStream, "xgroup-createconsumer", key);
  return c;
}

}  // namespace rill::commands::streams
