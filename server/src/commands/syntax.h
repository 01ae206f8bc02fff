// Command documentation generated from the table's syntax strings: the argument tree that
// COMMAND DOCS sends (parsed from "key value [NX | XX] [EX seconds | PX milliseconds]"), and
// the README's list of supported commands. The table row is the only place a command's
// grammar is written down; everything here is derived from it.
//
// The grammar is the one Redis's docs print:
//   word          an argument ("key", "seconds"); an UPPERCASE word is a keyword ("NX")
//   [ ... ]       optional                  < ... >   required, used around a choice
//   a | b         a choice; inside brackets it splits the whole group ("[EX seconds | KEEPTTL]"),
//                 outside any bracket it joins the two neighbouring items ("LEFT | RIGHT")
//   x [x ...]     x repeated, x being one item or several ("key value [key value ...]")
// A keyword that opens a group introduces the rest of it ("[AUTH username password]"); a
// keyword elsewhere introduces the next item ("STREAMS key [key ...]").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rill::commands {

class CommandTable;

enum class ArgType { kKey, kString, kInteger, kDouble, kPattern, kUnixTime, kPureToken, kOneOf, kBlock };

// One node of a COMMAND DOCS argument tree.
struct DocArg {
  std::string name;
  ArgType type = ArgType::kString;
  std::string token;            // the keyword that starts the argument, or empty
  bool optional = false;
  bool multiple = false;
  bool multiple_token = false;  // the keyword repeats with each value ("[GET pattern ...]")
  std::vector<DocArg> args;     // the choices of a oneof, the parts of a block

  bool operator==(const DocArg&) const = default;
};

// The name COMMAND DOCS prints for a type: "key", "pure-token", "oneof", ...
std::string_view arg_type_name(ArgType t);

// The argument tree for a syntax string; empty for "". Nullopt when the string is malformed
// (an unclosed bracket, a stray '|' or "..."), which a unit test rules out for every row.
std::optional<std::vector<DocArg>> parse_syntax(std::string_view syntax);

// The README's command section: every command and subcommand, grouped by doc group, one
// bullet each ("- `SET key value [NX | XX] ...`: summary"), subcommands nested under their
// container. Sorted, so the output does not depend on the table's hash order.
std::string command_list_markdown(const CommandTable& table);

// The README lines between which command_list_markdown()'s output sits.
inline constexpr std::string_view kReadmeCommandsBegin = "<!-- commands:begin -->";
inline constexpr std::string_view kReadmeCommandsEnd = "<!-- commands:end -->";

}  // namespace rill::commands
