// Pub/sub commands: the subscribe family (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their
// UNSUBSCRIBEs), PUBLISH, SPUBLISH and PUBSUB's introspection. The subscriptions and the
// delivery live in pubsub/pubsub.h; RESP2's subscribe mode is the engine's gate (kPubSub
// marks the commands it lets through).
#include "commands/args.h"
#include "commands/command_table.h"
#include "pubsub/pubsub.h"

namespace rill::commands {
namespace {

using core::Ctx;
using pubsub::Kind;

// The words of the confirmations and messages, per kind: Redis's own.
std::string_view subscribe_word(Kind kind) {
  switch (kind) {
    case Kind::kChannel:
      return "subscribe";
    case Kind::kPattern:
      return "psubscribe";
    case Kind::kShard:
      break;
  }
  return "ssubscribe";
}

std::string_view unsubscribe_word(Kind kind) {
  switch (kind) {
    case Kind::kChannel:
      return "unsubscribe";
    case Kind::kPattern:
      return "punsubscribe";
    case Kind::kShard:
      break;
  }
  return "sunsubscribe";
}

// One confirmation frame: [word, name, count]; a null name when there was nothing to drop.
void confirm(Ctx& ctx, std::string_view word, const std::string_view* name, Kind kind) {
  pubsub::FrameScope frame(ctx.session());
  auto& out = ctx.out();
  out.push(3);
  out.bulk(word);
  if (name) {
    out.bulk(*name);
  } else {
    out.null();
  }
  out.integer(static_cast<int64_t>(pubsub::confirmation_count(ctx.session(), kind)));
}

// Shared by the three SUBSCRIBEs: one confirmation per name, repeated names included.
void subscribe_to(Ctx& ctx, Args a, Kind kind) {
  pubsub::Registry& reg = ctx.engine().pubsub();
  for (size_t i = 1; i < a.size(); ++i) {
    reg.subscribe(ctx.session(), kind, a[i]);
    confirm(ctx, subscribe_word(kind), &a[i], kind);
  }
}

// Shared by the three UNSUBSCRIBEs. Named: one confirmation per name, subscribed or not.
// Unnamed: every subscription of the kind, or a single null confirmation when there is none.
void unsubscribe_from(Ctx& ctx, Args a, Kind kind) {
  pubsub::Registry& reg = ctx.engine().pubsub();
  core::Session& s = ctx.session();
  std::string_view word = unsubscribe_word(kind);
  if (a.size() > 1) {
    for (size_t i = 1; i < a.size(); ++i) {
      reg.unsubscribe(s, kind, a[i]);
      confirm(ctx, word, &a[i], kind);
    }
    return;
  }
  auto& mine = pubsub::own(s, kind);
  if (mine.empty()) return confirm(ctx, word, nullptr, kind);
  // A copy: each unsubscribe erases from the set being walked.
  std::vector<std::string> names(mine.begin(), mine.end());
  for (const std::string& n : names) {
    reg.unsubscribe(s, kind, n);
    std::string_view name = n;
    confirm(ctx, word, &name, kind);
  }
}

// SUBSCRIBE channel [channel ...]
void subscribe(Ctx& ctx, Args a) { subscribe_to(ctx, a, Kind::kChannel); }
// PSUBSCRIBE pattern [pattern ...]
void psubscribe(Ctx& ctx, Args a) { subscribe_to(ctx, a, Kind::kPattern); }
// SSUBSCRIBE shardchannel [shardchannel ...]
void ssubscribe(Ctx& ctx, Args a) { subscribe_to(ctx, a, Kind::kShard); }
// UNSUBSCRIBE [channel [channel ...]]
void unsubscribe(Ctx& ctx, Args a) { unsubscribe_from(ctx, a, Kind::kChannel); }
// PUNSUBSCRIBE [pattern [pattern ...]]
void punsubscribe(Ctx& ctx, Args a) { unsubscribe_from(ctx, a, Kind::kPattern); }
// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
void sunsubscribe(Ctx& ctx, Args a) { unsubscribe_from(ctx, a, Kind::kShard); }

// PUBLISH channel message
void publish(Ctx& ctx, Args a) {
  size_t n = ctx.engine().pubsub().publish(a[1], a[2]);
  ctx.out().integer(static_cast<int64_t>(n));
}

// SPUBLISH shardchannel message
void spublish(Ctx& ctx, Args a) {
  size_t n = ctx.engine().pubsub().spublish(a[1], a[2]);
  ctx.out().integer(static_cast<int64_t>(n));
}

// Shared by CHANNELS and SHARDCHANNELS: at most one pattern.
void list_active(Ctx& ctx, Args a, Kind kind) {
  if (a.size() > 3) return ctx.out().error(errors::subcommand_syntax(a[1], a[0]));
  const std::string_view* pattern = a.size() == 3 ? &a[2] : nullptr;
  auto names = ctx.engine().pubsub().active(kind, pattern);
  ctx.out().array(names.size());
  for (std::string_view n : names) ctx.out().bulk(n);
}

// Shared by NUMSUB and SHARDNUMSUB: name, count, name, count... a flat array in RESP3 too,
// as Redis 7.0 writes it.
void count_subscribers(Ctx& ctx, Args a, Kind kind) {
  const pubsub::Registry& reg = ctx.engine().pubsub();
  ctx.out().array((a.size() - 2) * 2);
  for (size_t i = 2; i < a.size(); ++i) {
    ctx.out().bulk(a[i]);
    ctx.out().integer(static_cast<int64_t>(reg.subscribers(kind, a[i])));
  }
}

// PUBSUB CHANNELS [pattern]
void channels(Ctx& ctx, Args a) { list_active(ctx, a, Kind::kChannel); }
// PUBSUB SHARDCHANNELS [pattern]
void shardchannels(Ctx& ctx, Args a) { list_active(ctx, a, Kind::kShard); }
// PUBSUB NUMSUB [channel [channel ...]]
void numsub(Ctx& ctx, Args a) { count_subscribers(ctx, a, Kind::kChannel); }
// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
void shardnumsub(Ctx& ctx, Args a) { count_subscribers(ctx, a, Kind::kShard); }

// PUBSUB NUMPAT
void numpat(Ctx& ctx, Args) {
  ctx.out().integer(static_cast<int64_t>(ctx.engine().pubsub().pattern_count()));
}

constexpr std::string_view kHelp[] = {
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
};

// PUBSUB HELP
void help(Ctx& ctx, Args) { reply_help(ctx, kHelp); }

// The subscribe family runs in RESP2 subscribe mode (kPubSub); PUBLISH and PUBSUB do not.
constexpr uint32_t kSubscribe = kPubSub | kNoScript | kLoading | kStale;
constexpr uint32_t kIntrospect = kLoading | kStale;

const Command kPubSubSubs[] = {
    {"pubsub|channels", -2, kIntrospect, 0, 0, 0, channels,
     {"List active channels", "2.8.0", "pubsub",
      "O(N) where N is the number of active channels, and assuming constant time pattern "
      "matching (relatively short channels and patterns)",
      "[pattern]"}},
    {"pubsub|numpat", 2, kIntrospect, 0, 0, 0, numpat,
     {"Get the count of unique patterns pattern subscriptions", "2.8.0", "pubsub", "O(1)", ""}},
    {"pubsub|numsub", -2, kIntrospect, 0, 0, 0, numsub,
     {"Get the count of subscribers for channels", "2.8.0", "pubsub",
      "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
      "[channel [channel ...]]"}},
    {"pubsub|shardchannels", -2, kIntrospect, 0, 0, 0, shardchannels,
     {"List active shard channels", "7.0.0", "pubsub",
      "O(N) where N is the number of active shard channels, and assuming constant time "
      "pattern matching (relatively short shard channels).",
      "[pattern]"}},
    {"pubsub|shardnumsub", -2, kIntrospect, 0, 0, 0, shardnumsub,
     {"Get the count of subscribers for shard channels", "7.0.0", "pubsub",
      "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
      "[shardchannel [shardchannel ...]]"}},
    {"pubsub|help", 2, kIntrospect, 0, 0, 0, help,
     {"Show helpful text about the different subcommands", "6.2.0", "pubsub", "O(1)", ""}},
};

const Command kPubSubCommands[] = {
    {"subscribe", -2, kSubscribe, 0, 0, 0, subscribe,
     {"Listen for messages published to the given channels", "2.0.0", "pubsub",
      "O(N) where N is the number of channels to subscribe to.", "channel [channel ...]"}},
    {"unsubscribe", -1, kSubscribe, 0, 0, 0, unsubscribe,
     {"Stop listening for messages posted to the given channels", "2.0.0", "pubsub",
      "O(N) where N is the number of clients already subscribed to a channel.",
      "[channel [channel ...]]"}},
    {"psubscribe", -2, kSubscribe, 0, 0, 0, psubscribe,
     {"Listen for messages published to channels matching the given patterns", "2.0.0",
      "pubsub", "O(N) where N is the number of patterns the client is already subscribed to.",
      "pattern [pattern ...]"}},
    {"punsubscribe", -1, kSubscribe, 0, 0, 0, punsubscribe,
     {"Stop listening for messages posted to channels matching the given patterns", "2.0.0",
      "pubsub",
      "O(N+M) where N is the number of patterns the client is already subscribed and M is the "
      "number of total patterns subscribed in the system (by any client).",
      "[pattern [pattern ...]]"}},
    {"ssubscribe", -2, kSubscribe, 1, -1, 1, ssubscribe,
     {"Listen for messages published to the given shard channels", "7.0.0", "pubsub",
      "O(N) where N is the number of shard channels to subscribe to.",
      "shardchannel [shardchannel ...]"}},
    {"sunsubscribe", -1, kSubscribe, 1, -1, 1, sunsubscribe,
     {"Stop listening for messages posted to the given shard channels", "7.0.0", "pubsub",
      "O(N) where N is the number of clients already subscribed to a shard channel.",
      "[shardchannel [shardchannel ...]]"}},
    {"publish", 3, kLoading | kStale | kFast, 0, 0, 0, publish,
     {"Post a message to a channel", "2.0.0", "pubsub",
      "O(N+M) where N is the number of clients subscribed to the receiving channel and M is "
      "the total number of subscribed patterns (by any client).",
      "channel message"}},
    {"spublish", 3, kLoading | kStale | kFast, 1, 1, 1, spublish,
     {"Post a message to a shard channel", "7.0.0", "pubsub",
      "O(N) where N is the number of clients subscribed to the receiving shard channel.",
      "shardchannel message"}},
    {"pubsub", -2, 0, 0, 0, 0, nullptr,
     {"A container for Pub/Sub commands", "2.8.0", "pubsub", "Depends on subcommand.", ""},
     kPubSubSubs},
};

}  // namespace

void add_pubsub_commands(CommandTable& t) { t.add(kPubSubCommands); }

}  // namespace rill::commands
