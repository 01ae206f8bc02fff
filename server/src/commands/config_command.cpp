// CONFIG: reads and changes the settings of core/config.h at run time. The parameter table
// there decides what exists and how each value is checked; this file adds Redis's command
// grammar around it (glob patterns, several pairs set all-or-nothing, its error texts).
#include <algorithm>
#include <vector>

#include "commands/args.h"
#include "commands/command_table.h"
#include "core/glob.h"

namespace rill::commands {
namespace {

using core::ConfigParam;
using core::Ctx;

bool has_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

// CONFIG GET parameter [parameter ...]
// A plain name answers under the spelling it was asked with; a pattern (matched without
// regard to case) answers under each parameter's own name. Each parameter appears once.
void config_get(Ctx& ctx, Args a) {
  std::vector<std::pair<std::string_view, const ConfigParam*>> found;
  auto seen = [&found](const ConfigParam* p) {
    return std::any_of(found.begin(), found.end(), [p](const auto& f) { return f.second == p; });
  };
  for (size_t i = 2; i < a.size(); ++i) {
    if (!has_glob(a[i])) {
      const ConfigParam* p = core::find_config_param(a[i]);
      if (p && !seen(p)) found.emplace_back(a[i], p);
      continue;
    }
    for (const ConfigParam& p : core::config_params()) {
      if (!seen(&p) && core::glob_match(a[i], p.name, true)) found.emplace_back(p.name, &p);
    }
  }
  const core::Config& cfg = ctx.engine().config();
  ctx.out().map(found.size());
  for (const auto& [name, p] : found) {
    ctx.out().bulk(name);
    ctx.out().bulk(p->get(cfg));
  }
}

// Values Redis accepts but then bounds: hz runs between 1 and 500 times a second.
void normalize(core::Config& cfg) { cfg.hz = std::clamp(cfg.hz, 1, 500); }

// CONFIG SET parameter value [parameter value ...]
// Every name is checked before any value is applied, and the values are applied to a copy,
// so a failure anywhere leaves every setting as it was. The first problem found is reported.
void config_set(Ctx& ctx, Args a) {
  if (a.size() % 2 != 0) return ctx.out().error(errors::kSyntax);
  std::vector<const ConfigParam*> params;
  std::string_view unknown, failed_name, reason;
  for (size_t i = 2; i < a.size(); i += 2) {
    const bool failed = !unknown.empty() || !failed_name.empty();
    const ConfigParam* p = core::find_config_param(a[i]);
    if (!p) {
      if (!failed) unknown = a[i];
      continue;
    }
    if (failed) continue;
    if (!p->mutable_at_runtime) {
      failed_name = a[i];
      reason = errors::kImmutableConfig;
    } else if (std::find(params.begin(), params.end(), p) != params.end()) {
      failed_name = a[i];
      reason = errors::kDuplicateParameter;
    }
    params.push_back(p);
  }
  if (!unknown.empty()) return ctx.out().error(errors::config_set_unknown(unknown));
  if (!failed_name.empty()) return ctx.out().error(errors::config_set_failed(failed_name, reason));

  core::Config next = ctx.engine().config();
  for (size_t k = 0; k < params.size(); ++k) {
    std::string_view name = a[2 + 2 * k], value = a[3 + 2 * k];
    if (Status st = params[k]->set(next, value); !st) {
      return ctx.out().error(errors::config_set_failed(name, st.text()));
    }
  }
  normalize(next);
  ctx.engine().config() = std::move(next);
  ctx.out().ok();
}

// CONFIG RESETSTAT: the counters INFO shows go back to zero. The start time, the count of
// unsaved changes and the memory peak are not among the statistics Redis resets, and stay.
void config_resetstat(Ctx& ctx, Args) {
  core::Stats& st = ctx.engine().stats();
  core::Stats fresh;
  fresh.start_ms = st.start_ms;
  fresh.dirty = st.dirty;
  fresh.used_memory_peak = st.used_memory_peak;
  st = fresh;
  ctx.engine().commands().reset_stats();
  ctx.out().ok();
}

// CONFIG REWRITE: the file the server was started with takes the current settings.
void config_rewrite(Ctx& ctx, Args) {
  Status st = core::rewrite_config_file(ctx.engine().config());
  if (!st) return ctx.out().error(st.text());
  ctx.out().ok();
}

constexpr std::string_view kHelp[] = {
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
};

// CONFIG HELP
void config_help(Ctx& ctx, Args) {
  reply_help(ctx, kHelp);
}

constexpr uint32_t kConfigFlags = kAdmin | kNoScript | kLoading | kStale;

const Command kConfigSubs[] = {
    {"config|get", -3, kConfigFlags, 0, 0, 0, config_get,
     {"Get the values of configuration parameters", "2.0.0", "server",
      "O(N) when N is the number of configuration parameters provided",
      "parameter [parameter ...]"}},
    {"config|set", -4, kConfigFlags, 0, 0, 0, config_set,
     {"Set configuration parameters to the given values", "2.0.0", "server",
      "O(N) when N is the number of configuration parameters provided",
      "parameter value [parameter value ...]"}},
    {"config|resetstat", 2, kConfigFlags, 0, 0, 0, config_resetstat,
     {"Reset the stats returned by INFO", "2.0.0", "server", "O(1)", ""}},
    {"config|rewrite", 2, kConfigFlags, 0, 0, 0, config_rewrite,
     {"Rewrite the configuration file with the in memory configuration", "2.8.0", "server",
      "O(1)", ""}},
    {"config|help", 2, kLoading | kStale, 0, 0, 0, config_help,
     {"Show helpful text about the different subcommands", "5.0.0", "server", "O(1)", ""}},
};

const Command kConfig[] = {
    {"config", -2, 0, 0, 0, 0, nullptr,
     {"A container for server configuration commands", "2.0.0", "server",
      "Depends on subcommand.", ""},
     kConfigSubs},
};

}  // namespace

void add_config_commands(CommandTable& t) { t.add(kConfig); }

}  // namespace rill::commands
