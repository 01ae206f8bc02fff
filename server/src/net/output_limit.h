// client-output-buffer-limit, judged for one connection: a client whose unsent output reaches
// its class's hard limit, or stays at or above the soft limit for longer than the soft
// seconds, must be disconnected, so that a client that stops reading (a slow subscriber, a
// pipeline nobody reads) cannot grow the server's memory without bound.
//
// Rules as Redis 7.0 applies them: a limit of 0 is off; the soft limit counts in whole
// seconds of the server clock, from the check that first saw it reached, and resets as soon
// as a check finds the output below it; a client that still has to authenticate may not have
// more than 1 KiB waiting, whatever the limits.
#pragma once

#include <cstdint>

#include "core/config.h"

namespace rill::net {

class OutputLimit {
 public:
  // Whether `pending` unsent bytes break `limit` at `now_ms`. Remembers when the soft limit
  // was first reached, so call it on every change worth judging (and periodically, for soft
  // limits on a client that gets no more output).
  bool exceeded(const core::OutputBufferLimit& limit, uint64_t pending, bool unauthenticated,
                int64_t now_ms);

 private:
  int64_t soft_since_s_ = -1;  // when the soft limit was first seen reached; -1: it is not
};

}  // namespace rill::net
