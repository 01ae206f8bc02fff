#include "core/config.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "core/errors.h"
#include "core/numbers.h"
#include "resp/request_parser.h"

namespace rill::core {

// Redis's memtoull: digits, then an optional unit; no sign, no spaces. Leading zeros are fine
// and the digits may be missing altogether ("" and "mb" are 0, as in Redis). Values past
// INT64_MAX are refused (Redis wraps them around).
std::optional<int64_t> parse_memory(std::string_view s) {
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  std::string_view unit = s.substr(digits);
  int64_t mul = 1;
  if (unit.empty() || iequals(unit, "b")) mul = 1;
  else if (iequals(unit, "k")) mul = 1000;
  else if (iequals(unit, "kb")) mul = 1024;
  else if (iequals(unit, "m")) mul = 1000 * 1000;
  else if (iequals(unit, "mb")) mul = 1024 * 1024;
  else if (iequals(unit, "g")) mul = 1000LL * 1000 * 1000;
  else if (iequals(unit, "gb")) mul = 1024LL * 1024 * 1024;
  else return std::nullopt;
  int64_t n = 0;
  for (size_t i = 0; i < digits; ++i) {
    if (n > (INT64_MAX - (s[i] - '0')) / 10) return std::nullopt;
    n = n * 10 + (s[i] - '0');
  }
  if (n > INT64_MAX / mul) return std::nullopt;
  return n * mul;
}

namespace {

ConfigParam bool_param(std::string_view name, bool mut, bool Config::*field) {
  return ConfigParam{name, mut, [field](const Config& c) { return std::string(c.*field ? "yes" : "no"); },
                     [field](Config& c, std::string_view v) -> Status {
                       if (iequals(v, "yes")) c.*field = true;
                       else if (iequals(v, "no")) c.*field = false;
                       else return Status::error("argument must be 'yes' or 'no'");
                       return Status::ok();
                     }};
}

ConfigParam string_param(std::string_view name, bool mut, std::string Config::*field) {
  return ConfigParam{name, mut, [field](const Config& c) { return c.*field; },
                     [field](Config& c, std::string_view v) -> Status {
                       c.*field = std::string(v);
                       return Status::ok();
                     }};
}

ConfigParam enum_param(std::string_view name, bool mut, std::string Config::*field,
                       std::vector<std::string_view> allowed) {
  return ConfigParam{name, mut, [field](const Config& c) { return c.*field; },
                     [field, allowed](Config& c, std::string_view v) -> Status {
                       for (auto a : allowed) {
                         if (iequals(a, v)) {
                           c.*field = std::string(a);
                           return Status::ok();
                         }
                       }
                       return Status::error("argument(s) must be one of the following: " + [&] {
                         std::string s;
                         for (size_t i = 0; i < allowed.size(); ++i) {
                           if (i) s += ", ";
                           s += allowed[i];
                         }
                         return s;
                       }());
                     }};
}

template <class T>
ConfigParam number_param(std::string_view name, bool mut, T Config::*field, int64_t lo,
                         int64_t hi, bool memory = false) {
  return ConfigParam{name, mut, [field](const Config& c) { return int_to_string(c.*field); },
                     [field, lo, hi, memory](Config& c, std::string_view v) -> Status {
                       auto n = memory ? parse_memory(v) : parse_int(v);
                       if (!n) {
                         return Status::error(memory ? "argument must be a memory value"
                                                     : "argument couldn't be parsed into an integer");
                       }
                       if (*n < lo || *n > hi) {
                         return Status::error("argument must be between " + int_to_string(lo) +
                                              " and " + int_to_string(hi) + " inclusive");
                       }
                       c.*field = static_cast<T>(*n);
                       return Status::ok();
                     }};
}

std::vector<ConfigParam> build_params() {
  constexpr int64_t kMax = INT64_MAX;
  std::vector<ConfigParam> p;
  p.push_back(number_param("port", false, &Config::port, 0, 65535));
  p.push_back(string_param("bind", false, &Config::bind));
  p.push_back(string_param("unixsocket", false, &Config::unixsocket));
  p.push_back(number_param("unixsocketperm", false, &Config::unixsocketperm, 0, 0777));
  p.push_back(number_param("tcp-backlog", false, &Config::tcp_backlog, 0, INT32_MAX));
  p.push_back(number_param("timeout", true, &Config::timeout, 0, INT32_MAX));
  p.push_back(number_param("tcp-keepalive", true, &Config::tcp_keepalive, 0, INT32_MAX));
  p.push_back(bool_param("protected-mode", true, &Config::protected_mode));
  p.push_back(number_param("maxclients", true, &Config::maxclients, 1, UINT32_MAX));
  p.push_back(string_param("requirepass", true, &Config::requirepass));
  p.push_back(number_param("databases", false, &Config::databases, 1, INT32_MAX));
  p.push_back(number_param("hz", true, &Config::hz, 0, INT32_MAX));
  p.push_back(number_param("maxmemory", true, &Config::maxmemory, 0, kMax, true));
  p.push_back(enum_param("maxmemory-policy", true, &Config::maxmemory_policy,
                         {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                          "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}));
  p.push_back(number_param("proto-max-bulk-len", true, &Config::proto_max_bulk_len, 1024 * 1024,
                           kMax, true));
  p.push_back(number_param("client-query-buffer-limit", true,
                           &Config::client_query_buffer_limit, 1024 * 1024, kMax, true));
  p.push_back(string_param("save", true, &Config::save));
  p.push_back(bool_param("appendonly", true, &Config::appendonly));
  p.push_back(enum_param("appendfsync", true, &Config::appendfsync, {"everysec", "always", "no"}));
  p.push_back(string_param("dir", true, &Config::dir));
  p.push_back(string_param("dbfilename", true, &Config::dbfilename));
  p.push_back(string_param("appendfilename", false, &Config::appendfilename));
  p.push_back(string_param("notify-keyspace-events", true, &Config::notify_keyspace_events));
  p.push_back(enum_param("loglevel", true, &Config::loglevel,
                         {"debug", "verbose", "notice", "warning"}));  // 7.0 has no "nothing"
  p.push_back(string_param("logfile", false, &Config::logfile));
  p.push_back(bool_param("daemonize", false, &Config::daemonize));
  p.push_back(string_param("pidfile", false, &Config::pidfile));
  p.push_back(number_param("lua-time-limit", true, &Config::lua_time_limit, 0, kMax));
  p.push_back(number_param("slowlog-log-slower-than", true, &Config::slowlog_log_slower_than,
                           -1, kMax));
  p.push_back(number_param("slowlog-max-len", true, &Config::slowlog_max_len, 0, kMax));
  p.push_back(string_param("client-output-buffer-limit", true,
                           &Config::client_output_buffer_limit));
  p.push_back(number_param("list-max-listpack-size", true, &Config::list_max_listpack_size,
                           INT32_MIN, INT32_MAX));
  // Redis's older name for the same setting; CONFIG GET * lists both, as Redis does.
  p.push_back(number_param("list-max-ziplist-size", true, &Config::list_max_listpack_size,
                           INT32_MIN, INT32_MAX));
  p.push_back(number_param("list-compress-depth", true, &Config::list_compress_depth, 0,
                           INT32_MAX));
  p.push_back(number_param("stream-node-max-bytes", true, &Config::stream_node_max_bytes, 0,
                           kMax, true));
  p.push_back(number_param("stream-node-max-entries", true, &Config::stream_node_max_entries, 0,
                           kMax));
  p.push_back(number_param("latency-tracking", true, &Config::latency_tracking, 0, 1));
  return p;
}

}  // namespace

const std::vector<ConfigParam>& config_params() {
  static const std::vector<ConfigParam> params = build_params();
  return params;
}

const ConfigParam* find_config_param(std::string_view name) {
  for (const auto& p : config_params()) {
    if (iequals(p.name, name)) return &p;
  }
  return nullptr;
}

Status apply_config(Config& cfg, std::string_view name, const std::vector<std::string>& values,
                    bool at_startup) {
  const ConfigParam* p = find_config_param(name);
  if (!p) return Status::error("Bad directive or wrong number of arguments");
  if (!at_startup && !p->mutable_at_runtime) return Status::error("can't set immutable config");
  std::string joined;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) joined += ' ';
    joined += values[i];
  }
  return p->set(cfg, joined);
}

Status load_config_file(Config& cfg, const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::error("Fatal error, can't open config file '" + path + "'");
  std::string line;
  int lineno = 0;
  std::vector<std::string> args;
  while (std::getline(in, line)) {
    ++lineno;
    size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    if (!resp::split_inline_args(line, args) || args.empty()) {
      return Status::error("Unbalanced quotes in configuration line " + std::to_string(lineno));
    }
    std::string name = args[0];
    args.erase(args.begin());
    if (iequals(name, "include")) {
      for (const auto& f : args) {
        if (Status s = load_config_file(cfg, f); !s) return s;
      }
      continue;
    }
    if (Status s = apply_config(cfg, name, args, true); !s) {
      return Status::error("*** FATAL CONFIG FILE ERROR *** line " + std::to_string(lineno) +
                           " in " + path + ": '" + line + "': " + std::string(s.text()));
    }
  }
  return Status::ok();
}

namespace {
// A value as a config file line spells it: quoted when it is empty or has spaces.
std::string quoted(const std::string& v) {
  if (!v.empty() && v.find_first_of(" \t\"'") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}
}  // namespace

Status rewrite_config_file(const Config& cfg) {
  if (cfg.config_file.empty()) {
    return Status::error(std::string(errors::kNoConfigFile));
  }
  std::vector<std::string> lines;
  {
    std::ifstream in(cfg.config_file);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
  }
  const Config defaults;
  std::set<std::string_view> written;
  std::string out;
  std::vector<std::string> args;
  for (const auto& line : lines) {
    size_t start = line.find_first_not_of(" \t\r");
    const ConfigParam* p = nullptr;
    if (start != std::string::npos && line[start] != '#' &&
        resp::split_inline_args(line, args) && !args.empty()) {
      p = find_config_param(args[0]);
    }
    if (!p) {
      out += line + "\n";
      continue;
    }
    if (written.insert(p->name).second) out += std::string(p->name) + " " + quoted(p->get(cfg)) + "\n";
  }
  for (const auto& p : config_params()) {
    if (written.count(p.name) || p.get(cfg) == p.get(defaults)) continue;
    out += std::string(p.name) + " " + quoted(p.get(cfg)) + "\n";
  }
  const std::string tmp = cfg.config_file + ".rewrite.tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << out;
    f.flush();
    if (!f) return Status::error("ERR Rewriting config file: " + std::string(std::strerror(errno)));
  }
  if (std::rename(tmp.c_str(), cfg.config_file.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::error("ERR Rewriting config file: " + std::string(std::strerror(errno)));
  }
  return Status::ok();
}

}  // namespace rill::core
