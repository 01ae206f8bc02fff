// The option grammar XREAD and XREADGROUP share, read by one function as Redis does:
//   [GROUP group consumer] [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key... id...
// GROUP and NOACK are XREADGROUP's; XREAD answers them with its own errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "commands/args.h"

namespace rill::commands::streams {

struct ReadOptions {
  int64_t count = 0;      // 0: no limit
  int64_t timeout = -1;   // milliseconds; -1: no BLOCK, 0: forever
  bool noack = false;
  std::string_view group, consumer;  // group.data() is null when GROUP is absent
  size_t streams_at = 0;  // index of the first key
  size_t nstreams = 0;
};

// Reads the options of `a` for XREADGROUP (grouped) or XREAD. On an error the reply is
// written and nullopt returned.
std::optional<ReadOptions> read_options(core::Ctx& ctx, Args a, bool grouped);

}  // namespace rill::commands::streams
