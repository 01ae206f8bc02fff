#include "net/output_limit.h"

namespace rill::net {

namespace {
// What a client that has not authenticated may have waiting (Redis's fix for CVE-2025-21605:
// otherwise anyone who can connect can make the server buffer replies without end).
constexpr uint64_t kUnauthenticatedLimit = 1024;
}  // namespace

bool OutputLimit::exceeded(const core::OutputBufferLimit& limit, uint64_t pending,
                           bool unauthenticated, int64_t now_ms) {
  if (unauthenticated && pending > kUnauthenticatedLimit) return true;
  if (limit.hard_bytes && pending >= limit.hard_bytes) return true;
  if (!limit.soft_bytes || pending < limit.soft_bytes) {
    soft_since_s_ = -1;
    return false;
  }
  const int64_t now_s = now_ms / 1000;
  if (soft_since_s_ < 0) {
    soft_since_s_ = now_s;
    return false;
  }
  return now_s - soft_since_s_ > limit.soft_seconds;
}

}  // namespace rill::net
