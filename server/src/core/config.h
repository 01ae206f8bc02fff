// Server settings: one table of parameters, read from the command line (--port 7000), from a
// config file in redis.conf syntax, and by CONFIG GET / CONFIG SET. Each parameter is
// declared once, with its type and whether it may change at run time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rill::core {

// client-output-buffer-limit for one class of clients: a client whose unsent output reaches
// hard_bytes, or stays at or above soft_bytes for more than soft_seconds, is disconnected.
// 0 turns a limit off.
struct OutputBufferLimit {
  uint64_t hard_bytes = 0;
  uint64_t soft_bytes = 0;
  int64_t soft_seconds = 0;
};

// The classes client-output-buffer-limit names, in the order CONFIG GET prints them.
enum class ClientClass : uint8_t { kNormal, kReplica, kPubSub };
inline constexpr size_t kClientClasses = 3;

struct Config {
  // The file the settings were read from, if any (INFO's config_file, CONFIG REWRITE).
  std::string config_file;
  // network
  int port = 6379;
  std::string bind = "127.0.0.1";
  std::string unixsocket;
  int unixsocketperm = 0;
  int tcp_backlog = 511;
  int timeout = 0;
  int tcp_keepalive = 300;
  bool protected_mode = true;
  int64_t maxclients = 10000;
  // security
  std::string requirepass;
  // keyspace
  int databases = 16;
  int hz = 10;
  int64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  // protocol limits
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  // persistence (settings that tools read; the snapshot and AOF use them)
  std::string save = "3600 1 300 100 60 10000";
  bool appendonly = false;
  std::string appendfsync = "everysec";
  std::string dir = ".";
  std::string dbfilename = "dump.rdb";
  std::string appendfilename = "appendonly.aof";
  // notifications and logging
  // notify-keyspace-events as pubsub::EventClass bits (pubsub/keyspace_events.h); 0: off.
  uint32_t notify_keyspace_events = 0;
  std::string loglevel = "notice";
  std::string logfile;
  bool daemonize = false;
  std::string pidfile;
  int64_t lua_time_limit = 5000;
  int64_t slowlog_log_slower_than = 10000;
  int64_t slowlog_max_len = 128;
  // Indexed by ClientClass.
  OutputBufferLimit client_output_buffer_limit[kClientClasses] = {
      {0, 0, 0}, {256ULL << 20, 64ULL << 20, 60}, {32ULL << 20, 8ULL << 20, 60}};
  const OutputBufferLimit& output_limit(ClientClass c) const {
    return client_output_buffer_limit[static_cast<size_t>(c)];
  }
  int64_t list_max_listpack_size = -2;
  int64_t list_compress_depth = 0;  // accepted for compatibility; lists are not compressed
  int64_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;
  int64_t latency_tracking = 1;
};

// A line CONFIG REWRITE writes, and whether it is written even when the file has no line of
// its parameter to replace (because the value differs from the default).
struct RewriteLine {
  std::string text;
  bool force;
};

// One settable parameter: its name, how it reads and writes the Config.
struct ConfigParam {
  std::string_view name;
  bool mutable_at_runtime;
  std::function<std::string(const Config&)> get;
  std::function<Status(Config&, std::string_view)> set;
  // For a parameter CONFIG REWRITE does not write as `name value`: its lines, in order
  // (client-output-buffer-limit writes one per client class). Null for the others.
  std::function<std::vector<RewriteLine>(const Config&)> rewrite = nullptr;
};

const std::vector<ConfigParam>& config_params();
const ConfigParam* find_config_param(std::string_view name);

// Applies "name value..." lines of a redis.conf-style file. Errors name the line.
Status load_config_file(Config& cfg, const std::string& path);
// Applies one setting as from a config file or "--name value" on the command line.
Status apply_config(Config& cfg, std::string_view name, const std::vector<std::string>& values,
                    bool at_startup);

// Writes the current settings into cfg.config_file, as CONFIG REWRITE does: comments and
// unknown lines stay, each known parameter's first line takes its current value (later
// duplicates go), and parameters that differ from their default and had no line are
// appended. Written to a temporary file, then renamed over the old one.
Status rewrite_config_file(const Config& cfg);

// Parses "1gb", "512mb", "100k", "42" as redis.conf does (k = 1000, kb = 1024, ...).
std::optional<int64_t> parse_memory(std::string_view s);

}  // namespace rill::core
