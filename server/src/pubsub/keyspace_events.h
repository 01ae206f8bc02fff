// Keyspace notifications: what `notify-keyspace-events` enables, and the two pub/sub messages
// one event becomes.
//
//   K  __keyspace@<db>__:<key>    message: the event name ("set", "lpush", "expired", ...)
//   E  __keyevent@<db>__:<event>  message: the key
//
// The other letters choose which classes of events are published: g generic (del, expire,
// rename...), $ strings, l lists, s sets, h hashes, z sorted sets, x expired, e evicted,
// t streams, m key misses, d module events, n new keys. A is every type class, x, e and d,
// but neither m nor n (both are noisy, so Redis makes them opt-in).
//
// Commands announce their events through core::Ctx::notify(), which tests the class bit
// before doing anything else: with notifications off (the default) an event costs one branch.
// Events are published at once, in the order the command causes them, as Redis does; the
// engine announces keys that expired earlier in the command before the event that follows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pubsub/pubsub.h"

namespace rill::pubsub {

// One bit per letter. The values are Redis's own (server.h), so flag words compare with it.
enum EventClass : uint32_t {
  kNotifyKeyspace = 1u << 0,  // K
  kNotifyKeyevent = 1u << 1,  // E
  kClassGeneric = 1u << 2,    // g
  kClassString = 1u << 3,     // $
  kClassList = 1u << 4,       // l
  kClassSet = 1u << 5,        // s
  kClassHash = 1u << 6,       // h
  kClassZSet = 1u << 7,       // z
  kClassExpired = 1u << 8,    // x
  kClassEvicted = 1u << 9,    // e
  kClassStream = 1u << 10,    // t
  kClassKeyMiss = 1u << 11,   // m
  kClassModule = 1u << 13,    // d
  kClassNew = 1u << 14,       // n
  // A
  kClassAll = kClassGeneric | kClassString | kClassList | kClassSet | kClassHash | kClassZSet |
              kClassExpired | kClassEvicted | kClassStream | kClassModule,
};

// The flags a notify-keyspace-events value spells ("KEA", "Elg$"), or nullopt when it holds a
// letter that is no class. Letters may repeat and come in any order.
std::optional<uint32_t> parse_event_flags(std::string_view letters);
// The canonical spelling CONFIG GET answers: A (or the single class letters in Redis's order
// g$lshzxetdn), then K, E and m. As in Redis, n is not printed when A is.
std::string format_event_flags(uint32_t flags);

// Publishes events through a Registry, reusing one buffer for the channel names.
class KeyspaceEvents {
 public:
  explicit KeyspaceEvents(Registry& registry) : registry_(registry) {}

  // Publishes `event` about `key` of database `db` on the channels `flags` asks for (K, E).
  // The caller has already checked that `flags` enables the event's class.
  void publish(uint32_t flags, std::string_view event, std::string_view key, int db);

 private:
  // "__keyspace@<db>__:" or "__keyevent@<db>__:" followed by `tail`, in channel_.
  std::string_view channel(std::string_view kind, int db, std::string_view tail);

  Registry& registry_;
  std::string channel_;
};

}  // namespace rill::pubsub
