// Small helpers every handler uses to read arguments: numbers with Redis's rules and error
// texts, and case-insensitive option names. A helper that fails has already written the
// error reply; the handler just returns.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/engine.h"
#include "core/errors.h"
#include "core/numbers.h"

namespace rill::commands {

using core::iequals;

// The argument as an integer, or the reply "value is not an integer or out of range".
inline std::optional<int64_t> int_arg(core::Ctx& ctx, std::string_view a) {
  auto v = core::parse_int(a);
  if (!v) ctx.out().error(errors::kNotInteger);
  return v;
}

// The argument as a float, or the reply "value is not a valid float".
inline std::optional<long double> float_arg(core::Ctx& ctx, std::string_view a) {
  auto v = core::parse_long_double(a);
  if (!v) ctx.out().error(errors::kNotFloat);
  return v;
}

// Looks `key` up for reading and checks its type. Returns the entry, or null when the key
// is missing (nothing written) or of another type (WRONGTYPE written, *wrong set).
inline core::Entry* read_typed(core::Ctx& ctx, std::string_view key, core::Type type, bool* wrong) {
  core::Entry* e = ctx.read(key);
  *wrong = false;
  if (e && e->value.type != type) {
    ctx.out().error(errors::kWrongType);
    *wrong = true;
    return nullptr;
  }
  return e;
}

// As read_typed(), for a read-modify-write: looks `key` up with ctx.write() (no hit/miss
// counting). Null when missing, or of another type (WRONGTYPE written, *wrong set).
inline core::Entry* write_typed(core::Ctx& ctx, std::string_view key, core::Type type,
                                bool* wrong) {
  core::Entry* e = ctx.write(key);
  *wrong = e && e->value.type != type;
  if (*wrong) {
    ctx.out().error(errors::kWrongType);
    return nullptr;
  }
  return e;
}

// A container's HELP reply: one status line per entry of `lines`, as Redis's addReplyHelp.
inline void reply_help(core::Ctx& ctx, std::span<const std::string_view> lines) {
  ctx.out().array(lines.size());
  for (std::string_view line : lines) ctx.out().simple(line);
}

// Client names and library attributes are printed inside CLIENT LIST lines, whose fields
// are split on spaces and lines on newlines: only printable ASCII other than space may appear.
inline bool printable_token(std::string_view s) {
  for (unsigned char c : s) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

}  // namespace rill::commands
