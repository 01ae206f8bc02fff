// OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP: a look at how a key's value is held.
// None of them refreshes the key's access time (looking must not change what is seen).
//
// What rill does not keep, it answers as Redis would in the common case:
//   - REFCOUNT: Redis shares the objects of the integers 0..9999 between keys (and reports
//     INT_MAX for them) unless maxmemory is set with an LRU or LFU policy; every other value
//     has one reference. We decide "shared" from the value and the current settings.
//   - FREQ: no LFU counter is kept, so under an LFU policy the answer is the counter a new
//     key starts with.
#include <cstdint>
#include <limits>

#include "commands/args.h"
#include "commands/command_table.h"

namespace rill::commands {
namespace {

using core::Ctx;
using core::Entry;

constexpr int64_t kSharedIntegers = 10000;                               // 0..9999
constexpr int64_t kSharedRefcount = std::numeric_limits<int32_t>::max();  // Redis's INT_MAX
constexpr int64_t kLfuInitVal = 5;

bool lfu_policy(Ctx& ctx) {
  return ctx.engine().config().maxmemory_policy.find("lfu") != std::string::npos;
}

// Under maxmemory with an LRU or LFU policy each key needs its own access time, so Redis
// stops sharing integer objects.
bool shares_integers(Ctx& ctx) {
  const auto& cfg = ctx.engine().config();
  const bool per_key_clock = cfg.maxmemory_policy.find("lru") != std::string::npos ||
                             cfg.maxmemory_policy.find("lfu") != std::string::npos;
  return cfg.maxmemory == 0 || !per_key_clock;
}

// The key named by a[2], or null after replying nil.
const Entry* lookup(Ctx& ctx, Args a) {
  const Entry* e = ctx.peek(a[2], false);  // no keymiss event, as in Redis
  if (!e) ctx.out().null();
  return e;
}

// OBJECT ENCODING key
void encoding(Ctx& ctx, Args a) {
  if (const Entry* e = lookup(ctx, a)) ctx.out().bulk(e->value.encoding());
}

// OBJECT REFCOUNT key
void refcount(Ctx& ctx, Args a) {
  const Entry* e = lookup(ctx, a);
  if (!e) return;
  const core::Value& v = e->value;
  if (v.type == core::Type::kString && v.enc == core::StrEnc::kInt && shares_integers(ctx)) {
    auto n = core::parse_int(v.str);
    if (n && *n >= 0 && *n < kSharedIntegers) return ctx.out().integer(kSharedRefcount);
  }
  ctx.out().integer(1);
}

// OBJECT IDLETIME key  (seconds since the last access)
void idletime(Ctx& ctx, Args a) {
  const Entry* e = lookup(ctx, a);
  if (!e) return;
  if (lfu_policy(ctx)) return ctx.out().error(errors::kLfuSelected);
  const int64_t idle = ctx.now_ms() / 1000 - static_cast<int64_t>(e->value.lru);
  ctx.out().integer(idle > 0 ? idle : 0);
}

// OBJECT FREQ key
void freq(Ctx& ctx, Args a) {
  if (!lookup(ctx, a)) return;
  if (!lfu_policy(ctx)) return ctx.out().error(errors::kLfuNotSelected);
  ctx.out().integer(kLfuInitVal);
}

constexpr std::string_view kHelp[] = {
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
};

// OBJECT HELP
void help(Ctx& ctx, Args) {
  reply_help(ctx, kHelp);
}

const Command kObjectSubs[] = {
    {"object|encoding", 3, kReadOnly, 2, 2, 1, encoding,
     {"Inspect the internal encoding of a Redis object", "2.2.3", "generic", "O(1)", "key"}},
    {"object|freq", 3, kReadOnly, 2, 2, 1, freq,
     {"Get the logarithmic access frequency counter of a Redis object", "4.0.0", "generic",
      "O(1)", "key"}},
    {"object|idletime", 3, kReadOnly, 2, 2, 1, idletime,
     {"Get the time since a Redis object was last accessed", "2.2.3", "generic", "O(1)",
      "key"}},
    {"object|refcount", 3, kReadOnly, 2, 2, 1, refcount,
     {"Get the number of references to the value of the key", "2.2.3", "generic", "O(1)",
      "key"}},
    {"object|help", 2, kLoading | kStale, 0, 0, 0, help,
     {"Show helpful text about the different subcommands", "6.2.0", "generic", "O(1)", ""}},
};

const Command kObject[] = {
    {"object", -2, 0, 0, 0, 0, nullptr,
     {"A container for object introspection commands", "2.2.3", "generic",
      "Depends on subcommand.", ""},
     kObjectSubs},
};

}  // namespace

void add_object_commands(CommandTable& t) { t.add(kObject); }

}  // namespace rill::commands
