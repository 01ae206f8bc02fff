// What a command is: one row of the command table. Arity, flags and key positions are data
// here, checked once by the engine before a handler runs, so no handler re-checks them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace rill::core {
class Ctx;
}

namespace rill::commands {

using Args = std::span<const std::string_view>;
using Handler = void (*)(core::Ctx&, Args);

enum Flag : uint32_t {
  kWrite = 1 << 0,
  kReadOnly = 1 << 1,
  kFast = 1 << 2,
  kDenyOom = 1 << 3,
  kBlocking = 1 << 4,
  kPubSub = 1 << 5,      // allowed in RESP2 subscribe mode
  kAdmin = 1 << 6,
  kNoMulti = 1 << 7,     // refused inside MULTI
  kLoading = 1 << 8,
  kNoAuth = 1 << 9,      // allowed before AUTH
  kStale = 1 << 10,
  kNoScript = 1 << 11,
  kSkipMonitor = 1 << 12,
  kAllowBusy = 1 << 13,
  kSentinel = 1 << 14,
};

// Documentation for COMMAND DOCS and the README's command list. `syntax` is the argument
// grammar as Redis's docs print it ("key value [NX | XX]"); COMMAND DOCS derives its
// argument tree from it.
struct CommandDoc {
  std::string_view summary;
  std::string_view since;
  std::string_view group;
  std::string_view complexity;
  std::string_view syntax;
};

// Keys whose positions depend on the arguments ("movablekeys"): found after a keyword
// (XREAD's STREAMS, searched from argument `start`) or at a fixed index `start`, and then
// either counted by a numkeys argument there (LMPOP) or half of what follows (XREAD: the
// keys, then as many IDs). Feeds COMMAND GETKEYS and COMMAND INFO's key spec.
struct MovableKeys {
  enum class Find : uint8_t { kKeyNum, kFirstHalf };
  std::string_view keyword;  // empty: the keys begin at index `start`
  int start;
  Find find;
  std::string_view spec_flags;  // the key spec's flags as Redis lists them: "RW access delete"
};

struct Command {
  std::string_view name;  // lower case, as COMMAND prints it; "client|setname" for subcommands
  int arity;              // Redis's convention: -N means at least N, the name included
  uint32_t flags;
  int8_t first_key, last_key, key_step;  // 0, 0, 0 when the command takes no key
  Handler run;            // null for a container whose subcommands do the work
  CommandDoc doc;
  std::span<const Command> subcommands = {};
  const MovableKeys* movable_keys = nullptr;  // set when first_key is 0 but keys exist

  bool accepts(size_t argc) const {
    return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
  }
};

}  // namespace rill::commands
