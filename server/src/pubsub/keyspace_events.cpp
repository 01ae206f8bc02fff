#include "pubsub/keyspace_events.h"

#include <charconv>

namespace rill::pubsub {

namespace {

struct Letter {
  char letter;
  uint32_t flags;
};

// Each class letter, in the order CONFIG GET prints them.
constexpr Letter kClassLetters[] = {
    {'g', kClassGeneric}, {'$', kClassString},  {'l', kClassList},    {'s', kClassSet},
    {'h', kClassHash},    {'z', kClassZSet},    {'x', kClassExpired}, {'e', kClassEvicted},
    {'t', kClassStream},  {'d', kClassModule},  {'n', kClassNew},
};

}  // namespace

std::optional<uint32_t> parse_event_flags(std::string_view letters) {
  uint32_t flags = 0;
  for (char c : letters) {
    switch (c) {
      case 'A': flags |= kClassAll; break;
      case 'K': flags |= kNotifyKeyspace; break;
      case 'E': flags |= kNotifyKeyevent; break;
      case 'm': flags |= kClassKeyMiss; break;
      default: {
        bool known = false;
        for (const Letter& l : kClassLetters) {
          if (l.letter == c) {
            flags |= l.flags;
            known = true;
          }
        }
        if (!known) return std::nullopt;
      }
    }
  }
  return flags;
}

std::string format_event_flags(uint32_t flags) {
  std::string out;
  if ((flags & kClassAll) == kClassAll) {
    out += 'A';
  } else {
    for (const Letter& l : kClassLetters) {
      if (flags & l.flags) out += l.letter;
    }
  }
  if (flags & kNotifyKeyspace) out += 'K';
  if (flags & kNotifyKeyevent) out += 'E';
  if (flags & kClassKeyMiss) out += 'm';
  return out;
}

std::string_view KeyspaceEvents::channel(std::string_view kind, int db, std::string_view tail) {
  char digits[16];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), db);
  (void)ec;
  channel_.assign(kind);
  channel_.append(digits, end);
  channel_.append("__:");
  channel_.append(tail);
  return channel_;
}

void KeyspaceEvents::publish(uint32_t flags, std::string_view event, std::string_view key,
                             int db) {
  if (flags & kNotifyKeyspace) registry_.publish(channel("__keyspace@", db, key), event);
  if (flags & kNotifyKeyevent) registry_.publish(channel("__keyevent@", db, event), key);
}

}  // namespace rill::pubsub
