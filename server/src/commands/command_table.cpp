#include "commands/command_table.h"

#include <cctype>

#include "core/numbers.h"

namespace rill::commands {

namespace {
// Lower-cases a name into a small stack buffer; longer names cannot be commands.
bool lower_into(std::string_view in, char (&buf)[64], std::string_view& out) {
  if (in.size() >= sizeof(buf)) return false;
  for (size_t i = 0; i < in.size(); ++i) {
    buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(in[i])));
  }
  out = std::string_view(buf, in.size());
  return true;
}
}  // namespace

CommandTable::CommandTable() {
  add_connection_commands(*this);
  add_server_commands(*this);
  add_info_commands(*this);
  add_config_commands(*this);
  add_client_commands(*this);
  add_introspection_commands(*this);
  add_key_commands(*this);
  add_expire_commands(*this);
  add_object_commands(*this);
  add_string_commands(*this);
  add_string_range_commands(*this);
  add_string_number_commands(*this);
  add_string_lcs_commands(*this);
  add_stream_commands(*this);
  add_stream_write_commands(*this);
  add_stream_group_commands(*this);
  add_stream_readgroup_commands(*this);
  add_stream_claim_commands(*this);
  add_stream_info_commands(*this);
  add_transaction_commands(*this);
  add_list_commands(*this);
  add_list_blocking_commands(*this);
  add_pubsub_commands(*this);
}

CommandTable::Entry CommandTable::make_entry(const Command& c) {
  std::string_view n = c.name;
  if (auto bar = n.find('|'); bar != std::string_view::npos) n = n.substr(bar + 1);
  Entry e{&c, {}, n, {}};
  for (const Command& sub : c.subcommands) e.subs.push_back(make_entry(sub));
  return e;
}

void CommandTable::add(std::span<const Command> commands) {
  for (const Command& c : commands) {
    auto [it, inserted] = by_name_.emplace(std::string(c.name), make_entry(c));
    (void)inserted;
  }
  // robin_map moves entries on growth, so the order list is rebuilt after each family.
  order_.clear();
  for (const auto& [name, entry] : by_name_) order_.push_back(&entry);
}

const CommandTable::Entry* CommandTable::find(std::string_view name) const {
  char buf[64];
  std::string_view low;
  if (!lower_into(name, buf, low)) return nullptr;
  auto it = by_name_.find(low);
  return it == by_name_.end() ? nullptr : &it->second;
}

const CommandTable::Entry* CommandTable::find_sub(const Entry& parent, std::string_view sub) {
  for (const Entry& e : parent.subs) {
    if (core::iequals(e.sub_name, sub)) return &e;
  }
  return nullptr;
}

void CommandTable::reset_stats() const {
  for (const Entry* e : order_) {
    e->stats = {};
    for (const Entry& s : e->subs) s.stats = {};
  }
}

}  // namespace rill::commands
