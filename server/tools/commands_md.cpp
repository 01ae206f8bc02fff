// rill-commands-md: prints the README's list of supported commands, generated from the
// command table, or writes it into a README between its marker lines. Regenerate with
//
//   cmake --build build --target rill-commands-md && build/rill-commands-md README.md
//
// tests/unit/readme_commands_test.cpp fails while README.md and the table disagree.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "commands/command_table.h"
#include "commands/syntax.h"

namespace {

using rill::commands::kReadmeCommandsBegin;
using rill::commands::kReadmeCommandsEnd;

// Replaces what lies between the marker lines of the file at `path`.
int rewrite(const char* path, const std::string& list) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "rill-commands-md: cannot read " << path << "\n";
    return 1;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  size_t begin = text.find(kReadmeCommandsBegin);
  size_t end = begin == std::string::npos ? begin : text.find(kReadmeCommandsEnd, begin);
  if (end == std::string::npos) {
    std::cerr << "rill-commands-md: " << path << " has no " << kReadmeCommandsBegin << " ... "
              << kReadmeCommandsEnd << " section\n";
    return 1;
  }
  begin += kReadmeCommandsBegin.size();
  text.replace(begin, end - begin, "\n" + list);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    std::cerr << "rill-commands-md: cannot write " << path << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2) {
    std::cerr << "usage: rill-commands-md [README.md]\n";
    return 2;
  }
  rill::commands::CommandTable table;
  std::string list = rill::commands::command_list_markdown(table);
  if (argc == 2) return rewrite(argv[1], list);
  std::cout << list;
  return 0;
}
