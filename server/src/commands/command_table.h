// The command table: every command rill knows, registered explicitly family by family in
// command_table.cpp. Lookup is case-insensitive and allocation-free. COMMAND, COMMAND INFO,
// COMMAND DOCS, COMMAND LIST and the README's command list all come from this one table.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tsl/robin_map.h>

#include "commands/command.h"

namespace rill::commands {

struct CommandStats {
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected_calls = 0;
  uint64_t failed_calls = 0;
};

// Hash and equality that accept string_view, so lookups build no std::string.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct NameEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

class CommandTable {
 public:
  struct Entry {
    const Command* cmd;
    mutable CommandStats stats;
    std::string_view sub_name;  // "setname" for "client|setname"
    std::vector<Entry> subs;    // for containers (CLIENT, CONFIG, ...): few, searched in order
  };

  CommandTable();
  void add(std::span<const Command> commands);

  // The top-level command named `name` (any case), or null.
  const Entry* find(std::string_view name) const;
  // The subcommand `sub` of container `parent`, or null.
  static const Entry* find_sub(const Entry& parent, std::string_view sub);

  // Every top-level command, in registration order.
  const std::vector<const Entry*>& all() const { return order_; }
  void reset_stats() const;

 private:
  static Entry make_entry(const Command& c);
  tsl::robin_map<std::string, Entry, NameHash, NameEq> by_name_;
  std::vector<const Entry*> order_;
};

// Registration hooks, one per family file.
void add_connection_commands(CommandTable& t);
void add_server_commands(CommandTable& t);
void add_info_commands(CommandTable& t);
void add_config_commands(CommandTable& t);
void add_client_commands(CommandTable& t);
void add_key_commands(CommandTable& t);
void add_expire_commands(CommandTable& t);
void add_object_commands(CommandTable& t);
void add_string_commands(CommandTable& t);
void add_string_range_commands(CommandTable& t);
void add_string_number_commands(CommandTable& t);
void add_string_lcs_commands(CommandTable& t);
void add_transaction_commands(CommandTable& t);
void add_list_commands(CommandTable& t);
void add_list_blocking_commands(CommandTable& t);
void add_stream_commands(CommandTable& t);        // stream_read.cpp
void add_stream_write_commands(CommandTable& t);  // stream_write.cpp
void add_stream_group_commands(CommandTable& t);      // stream_groups.cpp
void add_stream_readgroup_commands(CommandTable& t);  // stream_readgroup.cpp
void add_stream_claim_commands(CommandTable& t);      // stream_claim.cpp
void add_stream_info_commands(CommandTable& t);       // stream_info.cpp
void add_introspection_commands(CommandTable& t);
void add_pubsub_commands(CommandTable& t);

}  // namespace rill::commands
