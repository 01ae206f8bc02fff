// Pub/sub delivery: who listens to what, and the push frames a message becomes.
//
//   channels_  "news"    -> [s1, s3]       exact channel name (SUBSCRIBE)
//   patterns_  "news.*"  -> [s2]           glob, matched against every PUBLISH (PSUBSCRIBE)
//   shards_    "orders"  -> [s4]           sharded channels (SSUBSCRIBE / SPUBLISH)
//
// Each Session keeps its own sets (core::Session::channels, patterns, shard_channels), the
// other half of the relation, so a disconnect or RESET drops a client in O(its own
// subscriptions) instead of scanning every channel. Subscribers of one name are kept in
// subscription order, and delivered to in that order, as Redis does.
//
// Delivery writes the frame straight into the subscriber's output buffer (an array in RESP2,
// a '>' push in RESP3) and tells its sink, so the network layer flushes it this turn.
// Not thread-safe: the engine's thread owns it.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <tsl/robin_map.h>

#include "core/session.h"

namespace rill::pubsub {

enum class Kind : uint8_t { kChannel, kPattern, kShard };

class Registry {
 public:
  // Adds `s` as a listener of `name`; false if it already was one.
  bool subscribe(core::Session& s, Kind kind, std::string_view name);
  // Removes `s` from `name`; false if it was not listening to it.
  bool unsubscribe(core::Session& s, Kind kind, std::string_view name);
  // Drops every subscription of `s` without a word to it (disconnect, RESET).
  void forget(core::Session& s);

  // PUBLISH: "message" frames to the channel's subscribers, then a "pmessage" frame per
  // matching (pattern, subscriber) pair, so a client matched by two patterns gets two.
  // Returns the number of frames delivered.
  size_t publish(std::string_view channel, std::string_view message);
  // SPUBLISH: "smessage" frames to the shard channel's subscribers; returns their number.
  size_t spublish(std::string_view channel, std::string_view message);

  // Subscribers of one channel or shard channel (PUBSUB NUMSUB / SHARDNUMSUB).
  size_t subscribers(Kind kind, std::string_view name) const;
  // Distinct patterns with at least one subscriber (PUBSUB NUMPAT).
  size_t pattern_count() const { return patterns_.size(); }
  // Channels (kChannel) or shard channels (kShard) with at least one subscriber (INFO).
  size_t channel_count(Kind kind) const { return listeners(kind).size(); }
  // Channels (kChannel) or shard channels (kShard) with a subscriber, those whose name
  // matches `pattern` when one is given (PUBSUB CHANNELS / SHARDCHANNELS). Views into the
  // registry, valid until the next subscription change.
  std::vector<std::string_view> active(Kind kind, const std::string_view* pattern) const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };
  using Listeners = tsl::robin_map<std::string, std::vector<core::Session*>, Hash, Eq>;

  Listeners& listeners(Kind kind);
  const Listeners& listeners(Kind kind) const;

  Listeners channels_, patterns_, shards_;
};

// Brackets one pub/sub frame (a message or a (un)subscribe confirmation) written into a
// session's output, so that a reply the engine drops for CLIENT REPLY OFF / SKIP keeps it.
class FrameScope {
 public:
  explicit FrameScope(core::Session& s) : s_(s), start_(s.out.size()) {}
  ~FrameScope() {
    if (s_.keep_pushes) s_.kept_pushes.emplace_back(start_, s_.out.size());
  }
  FrameScope(const FrameScope&) = delete;
  FrameScope& operator=(const FrameScope&) = delete;

 private:
  core::Session& s_;
  size_t start_;
};

// The session's own set of names for `kind`.
std::set<std::string, std::less<>>& own(core::Session& s, Kind kind);

// The count a (un)subscribe confirmation carries: channels plus patterns for the classic
// family, shard channels alone for the sharded one (as Redis 7.0 counts them).
size_t confirmation_count(const core::Session& s, Kind kind);

}  // namespace rill::pubsub
