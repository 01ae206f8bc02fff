#include "pubsub/pubsub.h"

#include <algorithm>
#include <initializer_list>

#include "core/glob.h"

namespace rill::pubsub {

namespace {

// Writes one message frame into `s`'s output, in its own protocol.
void write_frame(core::Session& s, std::initializer_list<std::string_view> parts) {
  FrameScope frame(s);
  resp::Writer& w = s.writer;
  w.set_proto(s.proto);
  w.push(parts.size());
  for (std::string_view p : parts) w.bulk(p);
}

// As write_frame(), and tells its connection (which may be idle, waiting for input) that
// there is something to send.
void deliver(core::Session& s, std::initializer_list<std::string_view> parts) {
  write_frame(s, parts);
  if (s.sink) s.sink->on_output();
}

}  // namespace

std::set<std::string, std::less<>>& own(core::Session& s, Kind kind) {
  switch (kind) {
    case Kind::kChannel:
      return s.channels;
    case Kind::kPattern:
      return s.patterns;
    case Kind::kShard:
      break;
  }
  return s.shard_channels;
}

size_t confirmation_count(const core::Session& s, Kind kind) {
  if (kind == Kind::kShard) return s.shard_channels.size();
  return s.channels.size() + s.patterns.size();
}

Registry::Listeners& Registry::listeners(Kind kind) {
  switch (kind) {
    case Kind::kChannel:
      return channels_;
    case Kind::kPattern:
      return patterns_;
    case Kind::kShard:
      break;
  }
  return shards_;
}

const Registry::Listeners& Registry::listeners(Kind kind) const {
  return const_cast<Registry*>(this)->listeners(kind);
}

bool Registry::subscribe(core::Session& s, Kind kind, std::string_view name) {
  auto& mine = own(s, kind);
  if (mine.contains(name)) return false;
  mine.emplace(name);
  Listeners& map = listeners(kind);
  auto it = map.find(name);
  if (it == map.end()) it = map.emplace(std::string(name), std::vector<core::Session*>()).first;
  it.value().push_back(&s);
  return true;
}

bool Registry::unsubscribe(core::Session& s, Kind kind, std::string_view name) {
  auto& mine = own(s, kind);
  auto own_it = mine.find(name);
  if (own_it == mine.end()) return false;
  Listeners& map = listeners(kind);
  if (auto it = map.find(name); it != map.end()) {
    // Erase keeps the others in subscription order: delivery order stays Redis's.
    std::erase(it.value(), &s);
    if (it->second.empty()) map.erase(it);
  }
  mine.erase(own_it);  // last: `name` may be a view of this very string
  return true;
}

void Registry::forget(core::Session& s) {
  for (Kind kind : {Kind::kChannel, Kind::kPattern, Kind::kShard}) {
    auto& mine = own(s, kind);
    Listeners& map = listeners(kind);
    for (const std::string& name : mine) {
      auto it = map.find(name);
      if (it == map.end()) continue;
      std::erase(it.value(), &s);
      if (it->second.empty()) map.erase(it);
    }
    mine.clear();
  }
}

size_t Registry::publish(std::string_view channel, std::string_view message) {
  size_t receivers = 0;
  if (auto it = channels_.find(channel); it != channels_.end()) {
    for (core::Session* s : it->second) deliver(*s, {"message", channel, message});
    receivers += it->second.size();
  }
  for (const auto& [pattern, sessions] : patterns_) {
    if (!core::glob_match(pattern, channel)) continue;
    for (core::Session* s : sessions) deliver(*s, {"pmessage", pattern, channel, message});
    receivers += sessions.size();
  }
  return receivers;
}

size_t Registry::spublish(std::string_view channel, std::string_view message) {
  auto it = shards_.find(channel);
  if (it == shards_.end()) return 0;
  for (core::Session* s : it->second) deliver(*s, {"smessage", channel, message});
  return it->second.size();
}

size_t Registry::subscribers(Kind kind, std::string_view name) const {
  const Listeners& map = listeners(kind);
  auto it = map.find(name);
  return it == map.end() ? 0 : it->second.size();
}

std::vector<std::string_view> Registry::active(Kind kind, const std::string_view* pattern) const {
  std::vector<std::string_view> out;
  for (const auto& [name, sessions] : listeners(kind)) {
    if (!pattern || core::glob_match(*pattern, name)) out.emplace_back(name);
  }
  return out;
}

}  // namespace rill::pubsub
