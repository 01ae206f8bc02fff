// rill's own version, and the Redis version whose behaviour it reproduces (what INFO's
// redis_version and HELLO's version report, since clients gate features on them).
#pragma once

namespace rill {
inline constexpr const char* kVersion = "0.1.0";
inline constexpr const char* kRedisVersion = "7.0.15";
}  // namespace rill
