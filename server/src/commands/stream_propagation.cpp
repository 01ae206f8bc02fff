// Consumer-group changes as the commands that reproduce them (stream_propagation.h).
#include "commands/stream_propagation.h"

#include <string>
#include <vector>

namespace rill::commands::streams {

void propagate_claim(core::Ctx& ctx, std::string_view key, std::string_view group,
                     const types::StreamGroup& g, std::string_view consumer, types::StreamId id,
                     int64_t delivery_time_ms, uint64_t delivery_count) {
  ctx.propagate({"XCLAIM", std::string(key), std::string(group), std::string(consumer), "0",
                 id.str(), "TIME", std::to_string(delivery_time_ms), "RETRYCOUNT",
                 std::to_string(delivery_count), "FORCE", "JUSTID", "LASTID", g.last_id.str()});
}

void propagate_claim(core::Ctx& ctx, std::string_view key, std::string_view group,
                     const types::StreamGroup& g, types::StreamId id) {
  const types::PendingEntry& p = g.pel.at(id);
  propagate_claim(ctx, key, group, g, p.consumer, id, p.delivery_time_ms, p.delivery_count);
}

void propagate_group_position(core::Ctx& ctx, std::string_view key, std::string_view group,
                              const types::StreamGroup& g) {
  ctx.propagate({"XGROUP", "SETID", std::string(key), std::string(group), g.last_id.str(),
                 "ENTRIESREAD", std::to_string(g.entries_read)});
}

void propagate_consumer_created(core::Ctx& ctx, std::string_view key, std::string_view group,
                                std::string_view consumer) {
  ctx.propagate(
      {"XGROUP", "CREATECONSUMER", std::string(key), std::string(group), std::string(consumer)});
}

}  // namespace rill::commands::streams
