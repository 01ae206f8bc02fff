// Propagation: what a write sends to the append-only file and to replicas.
//
// A change is described by commands that, replayed in order on a copy of the data set,
// reproduce it exactly. Most writes propagate as they were sent. Those whose effect depends on
// the moment (XADD *, a "~" trim, a read through a consumer group, a blocking pop, an expiry)
// propagate a deterministic form instead: XADD with the ID it chose, the trim as an exact
// threshold, XREADGROUP as the XCLAIM and XGROUP SETID of what it delivered, BLPOP as the LPOP
// it performed, an expired key as DEL.
//
// The engine groups what one command (or one EXEC, or one served blocked client) propagated
// into a unit; a unit of several commands reaches the sink between MULTI and EXEC, so it is
// replayed all or nothing. Nothing is collected while no sink is attached.
#pragma once

#include <span>
#include <string>

namespace rill::core {

class Propagator {
 public:
  virtual ~Propagator() = default;
  // One command to replay in database `db`.
  virtual void propagate(int db, std::span<const std::string> argv) = 0;
};

}  // namespace rill::core
