#include "commands/expiry_options.h"

#include <limits>

#include "commands/args.h"

namespace rill::commands {

namespace {

// The option a word names in `grammar`, or kNone.
Expiry expiry_word(std::string_view w, ExpiryGrammar grammar) {
  if (iequals(w, "EX")) return Expiry::kEx;
  if (iequals(w, "PX")) return Expiry::kPx;
  if (iequals(w, "EXAT")) return Expiry::kExAt;
  if (iequals(w, "PXAT")) return Expiry::kPxAt;
  if (grammar == ExpiryGrammar::kSet && iequals(w, "KEEPTTL")) return Expiry::kKeepTtl;
  if (grammar == ExpiryGrammar::kGetex && iequals(w, "PERSIST")) return Expiry::kPersist;
  return Expiry::kNone;
}

}  // namespace

OptionRead read_expiry_option(Args a, size_t& i, ExpiryGrammar grammar, ExpiryOption& opt) {
  const Expiry kind = expiry_word(a[i], grammar);
  if (kind == Expiry::kNone) return OptionRead::kNotExpiry;
  // Repeating the same option is allowed (Redis only refuses the other ones).
  if (opt.kind != Expiry::kNone && opt.kind != kind) return OptionRead::kConflict;
  ExpiryOption next{kind, {}};
  if (next.has_time()) {
    if (i + 1 >= a.size()) return OptionRead::kConflict;
    next.amount = a[++i];
  }
  opt = next;
  return OptionRead::kTaken;
}

std::optional<int64_t> to_unix_ms(int64_t amount, bool seconds, bool relative, int64_t now_ms) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (seconds) {
    if (amount > kMax / 1000 || amount < kMin / 1000) return std::nullopt;
    amount *= 1000;
  }
  const int64_t base = relative ? now_ms : 0;
  if (base > 0 && amount > kMax - base) return std::nullopt;
  if (base < 0 && amount < kMin - base) return std::nullopt;
  return amount + base;
}

std::optional<int64_t> expiry_deadline(core::Ctx& ctx, const ExpiryOption& opt,
                                       std::string_view command) {
  auto amount = int_arg(ctx, opt.amount);
  if (!amount) return std::nullopt;
  const bool seconds = opt.kind == Expiry::kEx || opt.kind == Expiry::kExAt;
  const bool relative = opt.kind == Expiry::kEx || opt.kind == Expiry::kPx;
  std::optional<int64_t> at;
  if (*amount > 0) at = to_unix_ms(*amount, seconds, relative, ctx.now_ms());
  if (!at) ctx.out().error(errors::invalid_expire(command));
  return at;
}

}  // namespace rill::commands
