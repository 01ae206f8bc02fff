#include "commands/stream_read_options.h"

namespace rill::commands::streams {

std::optional<ReadOptions> read_options(core::Ctx& ctx, Args a, bool grouped) {
  ReadOptions o;
  auto fail = [&ctx](std::string_view text) -> std::optional<ReadOptions> {
    ctx.out().error(text);
    return std::nullopt;
  };
  for (size_t i = 1; i < a.size(); ++i) {
    const size_t more = a.size() - 1 - i;
    if (iequals(a[i], "block") && more) {
      auto t = core::parse_int(a[++i]);
      if (!t) return fail(errors::kTimeoutNotInteger);
      if (*t < 0) return fail(errors::kTimeoutNegative);
      if (*t > INT64_MAX - ctx.now_ms()) return fail(errors::kTimeoutOutOfRange);
      o.timeout = *t;
    } else if (iequals(a[i], "count") && more) {
      auto n = int_arg(ctx, a[++i]);
      if (!n) return std::nullopt;
      o.count = *n < 0 ? 0 : *n;
    } else if (iequals(a[i], "streams") && more) {
      o.streams_at = i + 1;
      if ((a.size() - o.streams_at) % 2) return fail(errors::kXreadUnbalanced);
      o.nstreams = (a.size() - o.streams_at) / 2;
      break;
    } else if (iequals(a[i], "group") && more >= 2) {
      if (!grouped) return fail(errors::kXreadGroupOption);
      o.group = a[i + 1];
      o.consumer = a[i + 2];
      i += 2;
    } else if (iequals(a[i], "noack")) {
      if (!grouped) return fail(errors::kXreadNoackOption);
      o.noack = true;
    } else {
      return fail(errors::kSyntax);
    }
  }
  if (!o.streams_at) return fail(errors::kSyntax);
  return o;
}

}  // namespace rill::commands::streams
