// The deterministic forms consumer-group reads and claims propagate (core/propagation.h).
//
// What XREADGROUP, XCLAIM and XAUTOCLAIM did depends on the moment (which entries were new,
// which were idle long enough), so they propagate what they changed instead of themselves:
//   each pending entry given to a consumer   XCLAIM key group consumer 0 id TIME t
//                                              RETRYCOUNT n FORCE JUSTID LASTID last-id
//   a pending entry whose stream entry was deleted   the same XCLAIM, which drops it on replay
//   a ">" read's new position                 XGROUP SETID key group last-id ENTRIESREAD n
//   a consumer created by a read              XGROUP CREATECONSUMER key group consumer
// Callers check ctx.propagating() first.
#pragma once

#include <string_view>

#include "core/engine.h"
#include "types/stream_group.h"

namespace rill::commands::streams {

// `id` now pending for `consumer` with this delivery time and count (or dropped, when the
// stream no longer has it).
void propagate_claim(core::Ctx& ctx, std::string_view key, std::string_view group,
                     const types::StreamGroup& g, std::string_view consumer, types::StreamId id,
                     int64_t delivery_time_ms, uint64_t delivery_count);
// As above, with the time and count the group's pending list holds for `id`.
void propagate_claim(core::Ctx& ctx, std::string_view key, std::string_view group,
                     const types::StreamGroup& g, types::StreamId id);
void propagate_group_position(core::Ctx& ctx, std::string_view key, std::string_view group,
                              const types::StreamGroup& g);
void propagate_consumer_created(core::Ctx& ctx, std::string_view key, std::string_view group,
                                std::string_view consumer);

}  // namespace rill::commands::streams
