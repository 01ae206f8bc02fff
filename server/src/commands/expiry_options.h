// The expiry options SET and GETEX share: EX seconds | PX milliseconds | EXAT unix-time-seconds |
// PXAT unix-time-milliseconds, plus KEEPTTL (SET only) or PERSIST (GETEX only). The grammar and
// the conversion to an absolute deadline are written once here, with Redis 7.0's rules:
//   - options may repeat (EX 10 EX 20: the last amount wins), but two different ones conflict;
//   - a conflict, or an option missing its amount, is "ERR syntax error";
//   - the amount must be an integer, greater than zero, and the deadline must fit in int64 ms,
//     else "ERR invalid expire time in '<command>' command".
// to_unix_ms() is the bare conversion, without the "greater than zero" rule, for the EXPIRE
// family, which accepts negative times.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "commands/command.h"

namespace rill::core {
class Ctx;
}

namespace rill::commands {

enum class Expiry : uint8_t { kNone, kEx, kPx, kExAt, kPxAt, kKeepTtl, kPersist };

// Which commands' form of the grammar to read: SET takes KEEPTTL, GETEX takes PERSIST.
enum class ExpiryGrammar : uint8_t { kSet, kGetex };

struct ExpiryOption {
  Expiry kind = Expiry::kNone;
  std::string_view amount;  // the word after EX/PX/EXAT/PXAT, not yet parsed

  // EX, PX, EXAT or PXAT: an amount to turn into a deadline.
  bool has_time() const {
    return kind == Expiry::kEx || kind == Expiry::kPx || kind == Expiry::kExAt ||
           kind == Expiry::kPxAt;
  }
  // EXAT or PXAT: a deadline that may already be in the past.
  bool is_absolute() const { return kind == Expiry::kExAt || kind == Expiry::kPxAt; }
};

enum class OptionRead : uint8_t {
  kNotExpiry,  // a[i] is not an expiry option of this grammar; the caller decides
  kTaken,      // read into `opt`; i now indexes the option's last word
  kConflict,   // an expiry option that clashes with the one already read, or lacks its amount
};

// Tries to read the expiry option starting at a[i] into `opt`.
OptionRead read_expiry_option(Args a, size_t& i, ExpiryGrammar grammar, ExpiryOption& opt);

// `amount` seconds or milliseconds, counted from now_ms (relative) or from the epoch, as unix
// milliseconds. Any sign is accepted; nullopt when the result does not fit in int64.
std::optional<int64_t> to_unix_ms(int64_t amount, bool seconds, bool relative, int64_t now_ms);

// The deadline in unix ms that an option with has_time() asks for, under SET's and GETEX's
// rules. On failure the error reply is written (naming `command`, as typed, lower-cased) and
// nullopt returned.
std::optional<int64_t> expiry_deadline(core::Ctx& ctx, const ExpiryOption& opt,
                                       std::string_view command);

}  // namespace rill::commands
