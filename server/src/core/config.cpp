#include "core/config.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/errors.h"
#include "core/numbers.h"
#include "pubsub/keyspace_events.h"
#include "resp/request_parser.h"

namespace rill::core {

namespace {
// The multiplier of a memory unit as redis.conf spells it ("" or "b", k, kb, m, mb, g, gb; any
// case), or nullopt.
std::optional<int64_t> memory_unit(std::string_view unit) {
  if (unit.empty() || iequals(unit, "b")) return 1;
  if (iequals(unit, "k")) return 1000;
  if (iequals(unit, "kb")) return 1024;
  if (iequals(unit, "m")) return 1000 * 1000;
  if (iequals(unit, "mb")) return 1024 * 1024;
  if (iequals(unit, "g")) return 1000LL * 1000 * 1000;
  if (iequals(unit, "gb")) return 1024LL * 1024 * 1024;
  return std::nullopt;
}

// The number of leading decimal digits of `s`.
size_t leading_digits(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  return n;
}
}  // namespace

// Redis's memtoull: digits, then an optional unit; no sign, no spaces. Leading zeros are fine
// and the digits may be missing altogether ("" and "mb" are 0, as in Redis). Values past
// INT64_MAX are refused (Redis wraps them around).
std::optional<int64_t> parse_memory(std::string_view s) {
  const size_t digits = leading_digits(s);
  const auto unit = memory_unit(s.substr(digits));
  if (!unit) return std::nullopt;
  const int64_t mul = *unit;
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

// notify-keyspace-events: class letters in, flags stored, the canonical spelling out. The
// rewritten line is always quoted (an empty value is a valid one), and written when any
// class is on, as Redis does.
ConfigParam notify_keyspace_events_param() {
  constexpr std::string_view kName = "notify-keyspace-events";
  return ConfigParam{
      kName, true,
      [](const Config& c) { return pubsub::format_event_flags(c.notify_keyspace_events); },
      [](Config& c, std::string_view v) -> Status {
        auto flags = pubsub::parse_event_flags(v);
        if (!flags) return Status::error(std::string(errors::kInvalidEventClass));
        c.notify_keyspace_events = *flags;
        return Status::ok();
      },
      [kName](const Config& c) {
        std::string line = std::string(kName) + " \"" +
                           pubsub::format_event_flags(c.notify_keyspace_events) + "\"";
        return std::vector<RewriteLine>{{std::move(line), c.notify_keyspace_events != 0}};
      }};
}

constexpr std::string_view kClientClassNames[kClientClasses] = {"normal", "slave", "pubsub"};

// A class name as client-output-buffer-limit takes it ("replica" is "slave"; "master" is a
// class Redis knows but refuses here).
std::optional<ClientClass> client_class(std::string_view name) {
  if (iequals(name, "normal")) return ClientClass::kNormal;
  if (iequals(name, "slave") || iequals(name, "replica")) return ClientClass::kReplica;
  if (iequals(name, "pubsub")) return ClientClass::kPubSub;
  return std::nullopt;
}

// A byte count as Redis's memtoull reads it for this setting: digits and a unit, where digits
// past 2^64 saturate and a unit that overflows wraps around (Redis's own arithmetic, kept so
// that CONFIG GET prints what Redis prints).
std::optional<uint64_t> limit_bytes(std::string_view s) {
  const size_t digits = leading_digits(s);
  const auto unit = memory_unit(s.substr(digits));
  if (digits >= 128 || !unit) return std::nullopt;  // Redis's digit buffer holds 127
  const std::string text(s.substr(0, digits));
  return std::strtoull(text.c_str(), nullptr, 10) * static_cast<uint64_t>(*unit);
}

// soft_seconds as Redis reads it: strtoll into an int, so a huge value wraps (and is refused
// when it wraps negative); an empty word is 0.
std::optional<int64_t> limit_seconds(std::string_view s) {
  const std::string text(s);
  char* end = nullptr;
  const auto n = static_cast<int32_t>(static_cast<uint64_t>(std::strtoll(text.c_str(), &end, 10)));
  if (n < 0 || *end != '\0') return std::nullopt;
  return n;
}

// "pubsub 32mb 8mb 60" as one line of a config file writes it: bytes in the largest unit
// that divides them exactly.
std::string format_limit_bytes(uint64_t bytes) {
  constexpr int64_t kKb = 1024, kMb = kKb * 1024, kGb = kMb * 1024;
  // Redis formats a signed copy; past 2^63 it prints the value as negative bytes.
  const auto v = static_cast<int64_t>(bytes);
  if (v && v % kGb == 0) return std::to_string(v / kGb) + "gb";
  if (v && v % kMb == 0) return std::to_string(v / kMb) + "mb";
  if (v && v % kKb == 0) return std::to_string(v / kKb) + "kb";
  return std::to_string(v);
}

// client-output-buffer-limit <class> <hard> <soft> <soft seconds> [<class> ...]: the words
// are split on single spaces (as CONFIG SET splits them), checked all before any is applied,
// and only the classes named change.
ConfigParam output_buffer_limit_param() {
  constexpr std::string_view kName = "client-output-buffer-limit";
  auto get = [](const Config& c) {
    std::string out;
    for (size_t i = 0; i < kClientClasses; ++i) {
      const OutputBufferLimit& l = c.client_output_buffer_limit[i];
      if (i) out += ' ';
      out += std::string(kClientClassNames[i]) + " " + std::to_string(l.hard_bytes) + " " +
             std::to_string(l.soft_bytes) + " " + std::to_string(l.soft_seconds);
    }
    return out;
  };
  auto set = [](Config& c, std::string_view v) -> Status {
    std::vector<std::string_view> words;
    for (size_t at = 0; !v.empty() && at <= v.size();) {
      size_t space = v.find(' ', at);
      if (space == std::string_view::npos) space = v.size();
      words.push_back(v.substr(at, space - at));
      at = space + 1;
    }
    if (words.size() % 4 != 0) return Status::error(std::string(errors::kBufferLimitArgCount));
    OutputBufferLimit next[kClientClasses];
    bool named[kClientClasses] = {};
    for (size_t i = 0; i < words.size(); i += 4) {
      auto cls = client_class(words[i]);
      if (!cls) return Status::error(std::string(errors::kBufferLimitClass));
      auto hard = limit_bytes(words[i + 1]);
      auto soft = limit_bytes(words[i + 2]);
      auto seconds = limit_seconds(words[i + 3]);
      if (!hard || !soft || !seconds) return Status::error(std::string(errors::kBufferLimitValue));
      const auto k = static_cast<size_t>(*cls);
      next[k] = {*hard, *soft, *seconds};
      named[k] = true;
    }
    for (size_t k = 0; k < kClientClasses; ++k) {
      if (named[k]) c.client_output_buffer_limit[k] = next[k];
    }
    return Status::ok();
  };
  // One line per class, written when it differs from the default; "slave" is spelled
  // "replica" there, as Redis writes it.
  auto rewrite = [kName](const Config& c) {
    const Config defaults;
    std::vector<RewriteLine> lines;
    for (size_t i = 0; i < kClientClasses; ++i) {
      const OutputBufferLimit& l = c.client_output_buffer_limit[i];
      const OutputBufferLimit& d = defaults.client_output_buffer_limit[i];
      const std::string_view cls = i == 1 ? "replica" : kClientClassNames[i];
      lines.push_back({std::string(kName) + " " + std::string(cls) + " " +
                           format_limit_bytes(l.hard_bytes) + " " +
                           format_limit_bytes(l.soft_bytes) + " " + std::to_string(l.soft_seconds),
                       l.hard_bytes != d.hard_bytes || l.soft_bytes != d.soft_bytes ||
                           l.soft_seconds != d.soft_seconds});
    }
    return lines;
  };
  return ConfigParam{kName, true, get, set, rewrite};
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
  p.push_back(notify_keyspace_events_param());
  p.push_back(enum_param("loglevel", true, &Config::loglevel,
                         {"debug", "verbose", "notice", "warning"}));  // 7.0 has no "nothing"
  p.push_back(string_param("logfile", false, &Config::logfile));
  p.push_back(bool_param("daemonize", false, &Config::daemonize));
  p.push_back(string_param("pidfile", false, &Config::pidfile));
  p.push_back(number_param("lua-time-limit", true, &Config::lua_time_limit, 0, kMax));
  p.push_back(number_param("slowlog-log-slower-than", true, &Config::slowlog_log_slower_than,
                           -1, kMax));
  p.push_back(number_param("slowlog-max-len", true, &Config::slowlog_max_len, 0, kMax));
  p.push_back(output_buffer_limit_param());
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
  // Parameters with their own lines: what is left to write of them, in order. Each old line
  // of such a parameter takes the next of its new lines; old lines beyond them go.
  std::map<std::string_view, std::vector<RewriteLine>> pending;
  auto own_lines = [&](const ConfigParam& p) -> std::vector<RewriteLine>& {
    auto it = pending.find(p.name);
    if (it == pending.end()) {
      auto made = p.rewrite(cfg);
      std::reverse(made.begin(), made.end());  // taken from the back
      it = pending.emplace(p.name, std::move(made)).first;
    }
    return it->second;
  };
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
    if (p->rewrite) {
      auto& mine = own_lines(*p);
      if (!mine.empty()) {
        out += mine.back().text + "\n";
        mine.pop_back();
      }
      continue;
    }
    if (written.insert(p->name).second) out += std::string(p->name) + " " + quoted(p->get(cfg)) + "\n";
  }
  for (const auto& p : config_params()) {
    if (p.rewrite) {
      auto& mine = own_lines(p);
      for (auto it = mine.rbegin(); it != mine.rend(); ++it) {
        if (it->force) out += it->text + "\n";
      }
      continue;
    }
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
