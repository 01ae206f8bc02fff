#include "core/dict.h"

#include <random>

namespace rill::core {

namespace {
// A per-process seed, so that an attacker cannot pick keys that all land in one bucket
// without knowing it (Redis seeds SipHash the same way).
size_t process_seed() {
  static const size_t seed = [] {
    std::random_device rd;
    return (static_cast<size_t>(rd()) << 32) ^ rd();
  }();
  return seed;
}
}  // namespace

uint64_t hash_key(std::string_view key) {
  return std::_Hash_bytes(key.data(), key.size(), process_seed());
}

}  // namespace rill::core
