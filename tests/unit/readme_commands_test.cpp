// README.md's list of supported commands against the command table: every command and
// subcommand the table has is listed, and nothing is listed that the table lacks. When this
// fails, regenerate the section (see server/tools/commands_md.cpp):
//   cmake --build build --target rill-commands-md && build/rill-commands-md README.md
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "commands/command_table.h"
#include "commands/syntax.h"

namespace rill::commands {
namespace {

std::string read_readme() {
  std::ifstream in(std::string(RILL_SOURCE_DIR) + "/README.md", std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Command names in a section of bullets: "- `SET key ...`" names set, an indented
// "  - `CLIENT LIST ...`" names client|list.
std::set<std::string> listed_names(const std::string& section) {
  std::set<std::string> names;
  std::istringstream lines(section);
  std::string line;
  while (std::getline(lines, line)) {
    size_t dash = line.find_first_not_of(' ');
    if (dash == std::string::npos || line.compare(dash, 3, "- `") != 0) continue;
    size_t end = line.find('`', dash + 3);
    std::istringstream words(line.substr(dash + 3, end - dash - 3));
    std::string name, sub;
    words >> name;
    if (dash > 0 && words >> sub) name += "|" + sub;
    names.insert(lower(name));
  }
  return names;
}

std::set<std::string> table_names(const CommandTable& table) {
  std::set<std::string> names;
  for (const auto* e : table.all()) {
    names.insert(std::string(e->cmd->name));
    for (const Command& sub : e->cmd->subcommands) names.insert(std::string(sub.name));
  }
  return names;
}

TEST(ReadmeCommands, SectionListsExactlyTheTablesCommands) {
  std::string readme = read_readme();
  ASSERT_FALSE(readme.empty()) << "cannot read " << RILL_SOURCE_DIR << "/README.md";
  size_t begin = readme.find(kReadmeCommandsBegin);
  size_t end = readme.find(kReadmeCommandsEnd);
  ASSERT_NE(begin, std::string::npos) << "README.md has no " << kReadmeCommandsBegin;
  ASSERT_NE(end, std::string::npos) << "README.md has no " << kReadmeCommandsEnd;
  ASSERT_LT(begin, end);
  std::set<std::string> listed = listed_names(readme.substr(begin, end - begin));

  CommandTable table;
  std::set<std::string> known = table_names(table);
  for (const std::string& name : known) {
    EXPECT_TRUE(listed.count(name)) << name << " is in the command table but not in README.md";
  }
  for (const std::string& name : listed) {
    EXPECT_TRUE(known.count(name)) << name << " is in README.md but not in the command table";
  }
}

TEST(ReadmeCommands, ListedNamesAreReadFromBullets) {
  // The reader above must see what command_list_markdown() writes, or the test proves nothing.
  CommandTable table;
  EXPECT_EQ(listed_names(command_list_markdown(table)), table_names(table));
}

}  // namespace
}  // namespace rill::commands
