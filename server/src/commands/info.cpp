// INFO: the server's state as "field:value" lines under "# Section" headers, in Redis 7.0's
// field names and order, because monitoring tools and client libraries parse them. A field
// rill has no machinery for yet (forks, replicas, pub/sub) reads as the idle value Redis
// would show, never as a made-up measurement.
#include <malloc.h>
#if defined(__SANITIZE_ADDRESS__)
// Provided by the AddressSanitizer runtime (GCC ships no header for it).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "commands/args.h"
#include "pubsub/pubsub.h"
#include "commands/command_table.h"
#include "core/version.h"

namespace rill::commands {
namespace {

using core::Ctx;

// The lines of one section.
class Section {
 public:
  explicit Section(std::string& out) : out_(out) {}
  void add(std::string_view name, std::string_view value) {
    out_.append(name);
    out_ += ':';
    out_.append(value);
    out_.append("\r\n");
  }
  void add(std::string_view name, const char* value) { add(name, std::string_view(value)); }
  void add(std::string_view name, const std::string& value) { add(name, std::string_view(value)); }
  void add(std::string_view name, int64_t v) { add(name, std::to_string(v)); }
  void add(std::string_view name, uint64_t v) { add(name, std::to_string(v)); }
  void add(std::string_view name, int v) { add(name, std::to_string(v)); }
  void add_fixed(std::string_view name, double v) { add(name, format("%.2f", v)); }

  static std::string format(const char* fmt, double v) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), fmt, v);
    return buf;
  }

 private:
  std::string& out_;
};

// Redis's bytesToHuman: "967.17K", "1.13M", "512B".
std::string human_bytes(uint64_t n) {
  constexpr std::array<char, 5> kUnits = {'K', 'M', 'G', 'T', 'P'};
  if (n < 1024) return std::to_string(n) + "B";
  double v = static_cast<double>(n) / 1024;
  size_t u = 0;
  while (v >= 1024 && u + 1 < kUnits.size()) {
    v /= 1024;
    ++u;
  }
  return Section::format("%.2f", v) + kUnits[u];
}

// Bytes the allocator has handed out and not taken back: heap chunks in use plus mmapped
// blocks, from glibc's own accounting (all arenas). Under AddressSanitizer glibc's malloc is
// replaced, so the sanitizer's allocator is asked instead.
uint64_t used_memory() {
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes();
#else
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
#endif
}

// Resident set size, from /proc/self/statm (its second field, in pages).
uint64_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

std::string executable_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

// "seconds.microseconds", as Redis prints CPU times.
std::string cpu_time(const timeval& tv) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%ld.%06ld", static_cast<long>(tv.tv_sec),
                static_cast<long>(tv.tv_usec));
  return buf;
}

int64_t wall_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

size_t live_sessions(core::Engine& e) {
  size_t n = 0;
  for (const auto& [id, s] : e.sessions()) n += s->close_requested ? 0 : 1;
  return n;
}

void server_section(Ctx& ctx, Section& s) {
  core::Engine& e = ctx.engine();
  const core::Config& cfg = e.config();
  utsname un{};
  uname(&un);
  const int64_t uptime = (ctx.now_ms() - e.stats().start_ms) / 1000;
  s.add("redis_version", kRedisVersion);
  s.add("rill_version", kVersion);
  s.add("redis_git_sha1", "00000000");
  s.add("redis_git_dirty", "0");
  s.add("redis_mode", "standalone");
  s.add("os", std::string(un.sysname) + " " + un.release + " " + un.machine);
  s.add("arch_bits", static_cast<int>(sizeof(void*) * 8));
  s.add("multiplexing_api", "epoll");
  s.add("gcc_version", std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
                           std::to_string(__GNUC_PATCHLEVEL__));
  s.add("process_id", static_cast<int64_t>(getpid()));
  s.add("process_supervised", "no");
  s.add("run_id", e.run_id());
  s.add("tcp_port", cfg.port);
  s.add("server_time_usec", wall_us());
  s.add("uptime_in_seconds", uptime);
  s.add("uptime_in_days", uptime / 86400);
  s.add("hz", std::clamp(cfg.hz, 1, 500));  // the rate the reactor's cron really runs at
  s.add("configured_hz", cfg.hz);
  s.add("lru_clock", (ctx.now_ms() / 1000) & ((1 << 24) - 1));
  s.add("executable", executable_path());
  s.add("config_file", ctx.engine().config().config_file);
  s.add("io_threads_active", "0");
}

void clients_section(Ctx& ctx, Section& s) {
  core::Engine& e = ctx.engine();
  size_t max_out = 0;
  for (const auto& [id, session] : e.sessions()) max_out = std::max(max_out, session->out.size());
  s.add("connected_clients", static_cast<uint64_t>(live_sessions(e)));
  s.add("cluster_connections", "0");
  s.add("maxclients", e.config().maxclients);
  s.add("client_recent_max_input_buffer", "0");  // input buffers belong to net/, unmeasured
  s.add("client_recent_max_output_buffer", static_cast<uint64_t>(max_out));
  s.add("blocked_clients", static_cast<uint64_t>(e.blocked().count()));
  s.add("tracking_clients", "0");
  s.add("clients_in_timeout_table", "0");
}

void memory_section(Ctx& ctx, Section& s) {
  core::Engine& e = ctx.engine();
  core::Stats& st = e.stats();
  const uint64_t used = used_memory();
  const uint64_t rss = rss_bytes();
  st.used_memory_peak = std::max(st.used_memory_peak, used);
  const uint64_t total = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) *
                         static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  const uint64_t maxmemory = static_cast<uint64_t>(e.config().maxmemory);
  uint64_t clients = 0;
  for (const auto& [id, session] : e.sessions()) clients += session->out.capacity();
  s.add("used_memory", used);
  s.add("used_memory_human", human_bytes(used));
  s.add("used_memory_rss", rss);
  s.add("used_memory_rss_human", human_bytes(rss));
  s.add("used_memory_peak", st.used_memory_peak);
  s.add("used_memory_peak_human", human_bytes(st.used_memory_peak));
  s.add("used_memory_peak_perc",
        Section::format("%.2f%%", 100.0 * static_cast<double>(used) /
                                      static_cast<double>(st.used_memory_peak)));
  s.add("total_system_memory", total);
  s.add("total_system_memory_human", human_bytes(total));
  s.add("maxmemory", maxmemory);
  s.add("maxmemory_human", human_bytes(maxmemory));
  s.add("maxmemory_policy", e.config().maxmemory_policy);
  s.add_fixed("mem_fragmentation_ratio",
              used ? static_cast<double>(rss) / static_cast<double>(used) : 0.0);
  s.add("mem_fragmentation_bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(used));
  s.add("mem_not_counted_for_evict", "0");
  s.add("mem_replication_backlog", "0");
  s.add("mem_total_replication_buffers", "0");
  s.add("mem_clients_slaves", "0");
  s.add("mem_clients_normal", clients);
  s.add("mem_cluster_links", "0");
  s.add("mem_aof_buffer", "0");
  s.add("mem_allocator", "libc");
  s.add("active_defrag_running", "0");
  s.add("lazyfree_pending_objects", "0");
  s.add("lazyfreed_objects", "0");
}

// Nothing is saved yet (no snapshot, no AOF): "last save" is the start of the server and every
// change since then is unsaved.
void persistence_section(Ctx& ctx, Section& s) {
  const core::Stats& st = ctx.engine().stats();
  for (std::string_view zero : {"loading", "async_loading", "current_cow_peak",
                                "current_cow_size", "current_cow_size_age"}) {
    s.add(zero, "0");
  }
  s.add("current_fork_perc", "0.00");
  s.add("current_save_keys_processed", "0");
  s.add("current_save_keys_total", "0");
  s.add("rdb_changes_since_last_save", st.dirty);
  s.add("rdb_bgsave_in_progress", "0");
  s.add("rdb_last_save_time", st.start_ms / 1000);
  s.add("rdb_last_bgsave_status", "ok");
  s.add("rdb_last_bgsave_time_sec", "-1");
  s.add("rdb_current_bgsave_time_sec", "-1");
  for (std::string_view zero : {"rdb_saves", "rdb_last_cow_size", "rdb_last_load_keys_expired",
                                "rdb_last_load_keys_loaded", "aof_enabled",
                                "aof_rewrite_in_progress", "aof_rewrite_scheduled"}) {
    s.add(zero, "0");
  }
  s.add("aof_last_rewrite_time_sec", "-1");
  s.add("aof_current_rewrite_time_sec", "-1");
  s.add("aof_last_bgrewrite_status", "ok");
  s.add("aof_rewrites", "0");
  s.add("aof_rewrites_consecutive_failures", "0");
  s.add("aof_last_write_status", "ok");
  s.add("aof_last_cow_size", "0");
  s.add("module_fork_in_progress", "0");
  s.add("module_fork_last_cow_size", "0");
}

void stats_section(Ctx& ctx, Section& s) {
  const core::Stats& st = ctx.engine().stats();
  s.add("total_connections_received", st.connections);
  s.add("total_commands_processed", st.commands);
  s.add("instantaneous_ops_per_sec", static_cast<int64_t>(st.ops_rate.per_second()));
  s.add("total_net_input_bytes", st.net_input_bytes);
  s.add("total_net_output_bytes", st.net_output_bytes);
  s.add("total_net_repl_input_bytes", "0");
  s.add("total_net_repl_output_bytes", "0");
  s.add_fixed("instantaneous_input_kbps", st.input_rate.per_second() / 1024);
  s.add_fixed("instantaneous_output_kbps", st.output_rate.per_second() / 1024);
  s.add("instantaneous_input_repl_kbps", "0.00");
  s.add("instantaneous_output_repl_kbps", "0.00");
  s.add("rejected_connections", st.rejected_connections);
  s.add("sync_full", "0");
  s.add("sync_partial_ok", "0");
  s.add("sync_partial_err", "0");
  s.add("expired_keys", st.expired_keys);
  s.add("expired_stale_perc", "0.00");
  s.add("expired_time_cap_reached_count", "0");
  s.add("expire_cycle_cpu_milliseconds", "0");
  s.add("evicted_keys", st.evicted_keys);
  s.add("evicted_clients", "0");
  s.add("total_eviction_exceeded_time", "0");
  s.add("current_eviction_exceeded_time", "0");
  s.add("keyspace_hits", st.keyspace_hits);
  s.add("keyspace_misses", st.keyspace_misses);
  const auto& ps = ctx.engine().pubsub();
  s.add("pubsub_channels", ps.channel_count(pubsub::Kind::kChannel));
  s.add("pubsub_patterns", ps.pattern_count());
  s.add("pubsubshard_channels", ps.channel_count(pubsub::Kind::kShard));
  for (std::string_view zero :
       {"latest_fork_usec",
        "total_forks", "migrate_cached_sockets", "slave_expires_tracked_keys",
        "active_defrag_hits", "active_defrag_misses", "active_defrag_key_hits",
        "active_defrag_key_misses", "total_active_defrag_time", "current_active_defrag_time",
        "tracking_total_keys", "tracking_total_items", "tracking_total_prefixes",
        "unexpected_error_replies"}) {
    s.add(zero, "0");
  }
  s.add("total_error_replies", st.total_error_replies);
  s.add("dump_payload_sanitizations", "0");
  s.add("io_threaded_reads_processed", "0");
  s.add("io_threaded_writes_processed", "0");
}

// There is no replication yet: a master without replicas. Its replication ID is the run ID.
void replication_section(Ctx& ctx, Section& s) {
  s.add("role", "master");
  s.add("connected_slaves", "0");
  s.add("master_failover_state", "no-failover");
  s.add("master_replid", ctx.engine().run_id());
  s.add("master_replid2", std::string(40, '0'));
  s.add("master_repl_offset", "0");
  s.add("second_repl_offset", "-1");
  s.add("repl_backlog_active", "0");
  s.add("repl_backlog_size", "1048576");
  s.add("repl_backlog_first_byte_offset", "0");
  s.add("repl_backlog_histlen", "0");
}

void cpu_section(Ctx&, Section& s) {
  rusage self{}, children{}, thread{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  getrusage(RUSAGE_THREAD, &thread);  // the reactor's thread: the one running INFO
  s.add("used_cpu_sys", cpu_time(self.ru_stime));
  s.add("used_cpu_user", cpu_time(self.ru_utime));
  s.add("used_cpu_sys_children", cpu_time(children.ru_stime));
  s.add("used_cpu_user_children", cpu_time(children.ru_utime));
  s.add("used_cpu_sys_main_thread", cpu_time(thread.ru_stime));
  s.add("used_cpu_user_main_thread", cpu_time(thread.ru_utime));
}

void no_fields(Ctx&, Section&) {}

void add_command_stats(Section& s, const CommandTable::Entry& e) {
  const CommandStats& st = e.stats;
  if (st.calls || st.failed_calls || st.rejected_calls) {
    const double per_call =
        st.calls ? static_cast<double>(st.usec) / static_cast<double>(st.calls) : 0.0;
    s.add("cmdstat_" + std::string(e.cmd->name),
          "calls=" + std::to_string(st.calls) + ",usec=" + std::to_string(st.usec) +
              ",usec_per_call=" + Section::format("%.2f", per_call) +
              ",rejected_calls=" + std::to_string(st.rejected_calls) +
              ",failed_calls=" + std::to_string(st.failed_calls));
  }
  for (const CommandTable::Entry& sub : e.subs) add_command_stats(s, sub);
}

void commandstats_section(Ctx& ctx, Section& s) {
  for (const CommandTable::Entry* e : ctx.engine().commands().all()) add_command_stats(s, *e);
}

// One line per error code seen since the last CONFIG RESETSTAT, in code order, as Redis lists
// them.
void errorstats_section(Ctx& ctx, Section& s) {
  for (const auto& [code, n] : ctx.engine().stats().error_codes) {
    s.add("errorstat_" + code, "count=" + std::to_string(n));
  }
}

void cluster_section(Ctx&, Section& s) { s.add("cluster_enabled", "0"); }

// avg_ttl is Redis's running estimate from its expiry sampling; rill keeps none, so it
// reads 0 as Redis's does before it has sampled.
void keyspace_section(Ctx& ctx, Section& s) {
  core::Engine& e = ctx.engine();
  for (int i = 0; i < e.db_count(); ++i) {
    const core::Db& db = e.db(i);
    if (db.size() == 0) continue;
    s.add("db" + std::to_string(i), "keys=" + std::to_string(db.size()) +
                                        ",expires=" + std::to_string(db.expires()) +
                                        ",avg_ttl=0");
  }
}

struct SectionDef {
  std::string_view name;    // as INFO takes it
  std::string_view title;   // as its header prints it
  bool in_default;
  void (*fill)(Ctx&, Section&);
};

// In the order INFO prints them, whatever order they were asked in.
constexpr SectionDef kSections[] = {
    {"server", "Server", true, server_section},
    {"clients", "Clients", true, clients_section},
    {"memory", "Memory", true, memory_section},
    {"persistence", "Persistence", true, persistence_section},
    {"stats", "Stats", true, stats_section},
    {"replication", "Replication", true, replication_section},
    {"cpu", "CPU", true, cpu_section},
    {"modules", "Modules", true, no_fields},
    {"commandstats", "Commandstats", false, commandstats_section},
    {"errorstats", "Errorstats", true, errorstats_section},
    {"cluster", "Cluster", true, cluster_section},
    {"keyspace", "Keyspace", true, keyspace_section},
};

// INFO [section [section ...]]
void info(Ctx& ctx, Args a) {
  std::array<bool, std::size(kSections)> wanted{};
  for (size_t j = 0; j < wanted.size(); ++j) wanted[j] = a.size() == 1 && kSections[j].in_default;
  for (size_t i = 1; i < a.size(); ++i) {
    const bool all = iequals(a[i], "all") || iequals(a[i], "everything");
    const bool defaults = iequals(a[i], "default");
    for (size_t j = 0; j < wanted.size(); ++j) {
      if (all || (defaults && kSections[j].in_default) || iequals(a[i], kSections[j].name)) {
        wanted[j] = true;
      }
    }
  }
  std::string text;
  Section lines(text);
  bool first = true;
  for (size_t j = 0; j < wanted.size(); ++j) {
    if (!wanted[j]) continue;
    if (!first) text.append("\r\n");
    first = false;
    text.append("# ");
    text.append(kSections[j].title);
    text.append("\r\n");
    kSections[j].fill(ctx, lines);
  }
  ctx.out().verbatim(text);
}

const Command kInfo[] = {
    {"info", -1, kLoading | kStale, 0, 0, 0, info,
     {"Get information and statistics about the server", "1.0.0", "server", "O(1)",
      "[section [section ...]]"}},
};

}  // namespace

void add_info_commands(CommandTable& t) { t.add(kInfo); }

}  // namespace rill::commands
