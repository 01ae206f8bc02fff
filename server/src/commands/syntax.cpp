#include "commands/syntax.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <utility>

#include "commands/command_table.h"

namespace rill::commands {

namespace {

// ---- Reading the string: tokens, then a tree that mirrors the brackets -------------------

enum class Tok { kWord, kOpen, kClose, kAngleOpen, kAngleClose, kBar, kEnd };

struct Token {
  Tok kind;
  std::string_view text;
};

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Tok single = c == '[' ? Tok::kOpen
                 : c == ']' ? Tok::kClose
                 : c == '<' ? Tok::kAngleOpen
                 : c == '>' ? Tok::kAngleClose
                 : c == '|' ? Tok::kBar
                            : Tok::kWord;
    if (single != Tok::kWord) {
      out.push_back({single, s.substr(i, 1)});
      ++i;
      continue;
    }
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) &&
           std::string_view("[]<>|").find(s[i]) == std::string_view::npos) {
      ++i;
    }
    out.push_back({Tok::kWord, s.substr(start, i - start)});
  }
  out.push_back({Tok::kEnd, {}});
  return out;
}

constexpr std::string_view kEllipsis = "...";

// What the brackets say, before any meaning is given to the words.
struct Node {
  enum class Kind { kWord, kOptional, kRequired, kRepeat };
  Kind kind = Kind::kWord;
  std::string_view word;
  // A group's choices (one for a plain group); a repeat's unit is alts[0].
  std::vector<std::vector<Node>> alts;

  bool operator==(const Node&) const = default;
  bool is_ellipsis() const { return kind == Kind::kWord && word == kEllipsis; }
};

Node group_node(Node::Kind kind, std::vector<std::vector<Node>> alts) {
  Node n;
  n.kind = kind;
  n.alts = std::move(alts);
  return n;
}

// Recursive descent over the tokens. Every method returns false on malformed input.
class TreeParser {
 public:
  explicit TreeParser(std::string_view s) : toks_(lex(s)) {}

  bool parse(std::vector<Node>& out) { return seq(out, false) && peek() == Tok::kEnd; }

 private:
  Tok peek() const { return toks_[pos_].kind; }

  // Items up to the end of the enclosing group (or of the string at top level).
  bool seq(std::vector<Node>& out, bool in_group) {
    size_t choice_at = SIZE_MAX;  // index of a choice built from top-level bars
    for (;;) {
      Tok t = peek();
      if (t == Tok::kEnd) return !in_group;
      if (t == Tok::kClose || t == Tok::kAngleClose) return in_group;
      if (t == Tok::kBar) {
        if (in_group) return true;  // the group splits its choices
        ++pos_;
        Node next;
        if (out.empty() || !item(next)) return false;
        if (choice_at != out.size() - 1) {
          out.back() = group_node(Node::Kind::kRequired, {{std::move(out.back())}});
          choice_at = out.size() - 1;
        }
        out.back().alts.push_back({std::move(next)});
        continue;
      }
      if (t == Tok::kWord && toks_[pos_].text == kEllipsis) {
        ++pos_;
        // "[key value ...]": kept as a marker for the group to fold; elsewhere "x ..."
        // repeats the item before it.
        if (in_group && peek() == Tok::kClose) {
          out.push_back(Node{Node::Kind::kWord, kEllipsis, {}});
        } else {
          if (out.empty()) return false;
          out.back() = group_node(Node::Kind::kRepeat, {{std::move(out.back())}});
        }
        continue;
      }
      Node n;
      if (!item(n)) return false;
      if (!fold_repeat(out, std::move(n))) return false;
    }
  }

  // A word or a bracketed group.
  bool item(Node& out) {
    Token t = toks_[pos_];
    if (t.kind == Tok::kWord) {
      if (t.text == kEllipsis) return false;
      ++pos_;
      out = Node{Node::Kind::kWord, t.text, {}};
      return true;
    }
    if (t.kind == Tok::kOpen) return group(Tok::kClose, Node::Kind::kOptional, out);
    if (t.kind == Tok::kAngleOpen) return group(Tok::kAngleClose, Node::Kind::kRequired, out);
    return false;
  }

  bool group(Tok close, Node::Kind kind, Node& out) {
    ++pos_;
    std::vector<std::vector<Node>> alts;
    for (;;) {
      std::vector<Node> alt;
      if (!seq(alt, true) || alt.empty()) return false;
      alts.push_back(std::move(alt));
      if (peek() == Tok::kBar) {
        ++pos_;
        continue;
      }
      if (peek() != close) return false;
      ++pos_;
      break;
    }
    // A "..." marker may only close an optional group.
    for (size_t i = 0; i < alts.size(); ++i) {
      bool last = i + 1 == alts.size() && kind == Node::Kind::kOptional;
      if (alts[i].back().is_ellipsis() && !last) return false;
    }
    out = group_node(kind, std::move(alts));
    return true;
  }

  // Appends `n` to `out`, folding "x [x ...]" into one repeated x. The repeated unit is
  // the group's items, or for "<a | b> [a | b ...]" the whole choice.
  static bool fold_repeat(std::vector<Node>& out, Node n) {
    bool marked = n.kind == Node::Kind::kOptional && n.alts.back().back().is_ellipsis();
    if (!marked) {
      out.push_back(std::move(n));
      return true;
    }
    n.alts.back().pop_back();
    if (n.alts.back().empty()) return false;
    std::vector<Node> unit;
    if (n.alts.size() == 1) {
      unit = std::move(n.alts[0]);
    } else {
      unit.push_back(group_node(Node::Kind::kRequired, std::move(n.alts)));
    }
    size_t len = unit.size();
    if (out.size() >= len && std::equal(out.end() - static_cast<ptrdiff_t>(len), out.end(),
                                        unit.begin())) {
      out.resize(out.size() - len);
      out.push_back(group_node(Node::Kind::kRepeat, {std::move(unit)}));
    } else {
      // "[arg ...]" with nothing before it: zero or more.
      out.push_back(group_node(Node::Kind::kOptional,
                               {{group_node(Node::Kind::kRepeat, {std::move(unit)})}}));
    }
    return true;
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
};

// ---- Giving the words meaning: keywords, argument types, blocks and choices --------------

bool is_keyword(std::string_view w) {
  bool letter = false;
  for (char c : w) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
    if (std::isupper(static_cast<unsigned char>(c))) letter = true;
  }
  return letter;
}

bool is_keyword(const Node& n) { return n.kind == Node::Kind::kWord && is_keyword(n.word); }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Argument names whose values Redis's docs type as numbers; anything unlisted is a string.
constexpr std::array<std::string_view, 20> kIntegerNames = {
    "seconds", "milliseconds", "count",  "index",     "offset",   "increment", "decrement",
    "db",      "destination-db", "timeout", "start",   "end",      "len",       "numkeys",
    "cursor",  "protover",     "client-id", "port",    "numreplicas", "ttl"};
constexpr std::array<std::string_view, 5> kDoubleNames = {"score", "latitude", "longitude",
                                                          "radius", "weight"};
constexpr std::array<std::string_view, 4> kKeyNames = {"key", "newkey", "source", "destination"};

bool listed(std::span<const std::string_view> names, std::string_view w) {
  return std::find(names.begin(), names.end(), w) != names.end();
}

ArgType word_type(std::string_view w) {
  bool numbered_key = w.size() > 3 && w.starts_with("key") &&
                      std::all_of(w.begin() + 3, w.end(),
                                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (listed(kKeyNames, w) || numbered_key) return ArgType::kKey;
  if (listed(kIntegerNames, w)) return ArgType::kInteger;
  if (listed(kDoubleNames, w)) return ArgType::kDouble;
  if (w == "pattern") return ArgType::kPattern;
  if (w.starts_with("unix-time")) return ArgType::kUnixTime;
  return ArgType::kString;
}

DocArg word_arg(std::string_view w) {
  DocArg a;
  if (is_keyword(w)) {
    a.name = to_lower(w);
    a.type = ArgType::kPureToken;
    a.token = std::string(w);
  } else {
    a.name = std::string(w);
    a.type = word_type(w);
  }
  return a;
}

std::string joined_names(const std::vector<DocArg>& args) {
  std::string out;
  for (const DocArg& a : args) {
    if (!out.empty()) out += '_';
    out += a.name;
  }
  return out;
}

DocArg block(std::vector<DocArg> parts) {
  DocArg b;
  b.name = joined_names(parts);
  b.type = ArgType::kBlock;
  b.args = std::move(parts);
  return b;
}

// A keyword introduces a required argument only: "STREAMS key" is one argument, but
// "NOMKSTREAM [MAXLEN n]" is two, since the keyword cannot become optional with its neighbour.
bool introduces(const Node& next) { return !is_keyword(next) && next.kind != Node::Kind::kOptional; }

bool convert(const Node& n, DocArg& out);

// A sequence of items. At the head of a group, a keyword introduces everything after it.
bool convert_seq(std::span<const Node> nodes, bool group_head, std::vector<DocArg>& out) {
  if (group_head && nodes.size() > 1 && is_keyword(nodes[0])) {
    std::vector<DocArg> rest;
    if (!convert_seq(nodes.subspan(1), false, rest)) return false;
    if (rest.size() == 1 && rest[0].token.empty() && !rest[0].optional) {
      rest[0].token = std::string(nodes[0].word);
      out.push_back(std::move(rest[0]));
    } else {
      DocArg b = block(std::move(rest));
      b.name = to_lower(nodes[0].word);
      b.token = std::string(nodes[0].word);
      out.push_back(std::move(b));
    }
    return true;
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    DocArg a;
    if (is_keyword(nodes[i]) && i + 1 < nodes.size() && introduces(nodes[i + 1])) {
      if (!convert(nodes[i + 1], a)) return false;
      if (a.token.empty()) {
        a.token = std::string(nodes[i].word);
        ++i;
      } else {
        a = word_arg(nodes[i].word);
      }
    } else if (!convert(nodes[i], a)) {
      return false;
    }
    out.push_back(std::move(a));
  }
  return true;
}

// One choice of a group: a single argument, or a block of several.
bool convert_alt(const std::vector<Node>& alt, DocArg& out) {
  std::vector<DocArg> parts;
  if (!convert_seq(alt, true, parts) || parts.empty()) return false;
  out = parts.size() == 1 ? std::move(parts[0]) : block(std::move(parts));
  return true;
}

bool convert_group(const Node& n, DocArg& out) {
  if (n.alts.size() == 1) return convert_alt(n.alts[0], out);
  out = DocArg{};
  out.type = ArgType::kOneOf;
  for (const auto& alt : n.alts) {
    DocArg choice;
    if (!convert_alt(alt, choice)) return false;
    out.args.push_back(std::move(choice));
  }
  out.name = joined_names(out.args);
  return true;
}

bool convert(const Node& n, DocArg& out) {
  switch (n.kind) {
    case Node::Kind::kWord:
      if (n.is_ellipsis()) return false;
      out = word_arg(n.word);
      return true;
    case Node::Kind::kOptional:
      if (!convert_group(n, out)) return false;
      out.optional = true;
      return true;
    case Node::Kind::kRequired:
      return convert_group(n, out);
    case Node::Kind::kRepeat:
      if (!convert_alt(n.alts[0], out)) return false;
      out.multiple = true;
      // The keyword was inside the repeated unit, so it comes back with every value.
      out.multiple_token = !out.token.empty();
      return true;
  }
  return false;
}

}  // namespace

std::string_view arg_type_name(ArgType t) {
  switch (t) {
    case ArgType::kKey: return "key";
    case ArgType::kString: return "string";
    case ArgType::kInteger: return "integer";
    case ArgType::kDouble: return "double";
    case ArgType::kPattern: return "pattern";
    case ArgType::kUnixTime: return "unix-time";
    case ArgType::kPureToken: return "pure-token";
    case ArgType::kOneOf: return "oneof";
    case ArgType::kBlock: return "block";
  }
  return "string";
}

std::optional<std::vector<DocArg>> parse_syntax(std::string_view syntax) {
  std::vector<Node> tree;
  TreeParser p(syntax);
  if (!p.parse(tree)) return std::nullopt;
  std::vector<DocArg> out;
  if (!convert_seq(tree, false, out)) return std::nullopt;
  return out;
}

// ---- The README's command list ----------------------------------------------------------

namespace {

// Doc groups in the order the README shows them, with their headings. Groups not listed
// here follow, under their own names.
constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kGroupHeadings = {{
    {"connection", "Connection"},
    {"server", "Server"},
    {"generic", "Keys"},
    {"string", "Strings"},
    {"bitmap", "Bitmaps"},
    {"list", "Lists"},
    {"hash", "Hashes"},
    {"set", "Sets"},
    {"sorted_set", "Sorted sets"},
    {"hyperloglog", "HyperLogLog"},
    {"geo", "Geospatial"},
    {"stream", "Streams"},
    {"pubsub", "Pub/sub"},
    {"transactions", "Transactions"},
    {"scripting", "Scripting"},
}};

size_t group_rank(std::string_view group) {
  for (size_t i = 0; i < kGroupHeadings.size(); ++i) {
    if (kGroupHeadings[i].first == group) return i;
  }
  return kGroupHeadings.size();
}

std::string_view group_heading(std::string_view group) {
  size_t r = group_rank(group);
  return r < kGroupHeadings.size() ? kGroupHeadings[r].second : group;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "- `SET key value [NX | XX]`: Set the string value of a key"; `words` is "SET" or
// "CLIENT LIST".
void bullet(std::string& out, std::string_view indent, const std::string& words,
            const CommandDoc& doc) {
  out += indent;
  out += "- `";
  out += words;
  if (!doc.syntax.empty()) {
    out += ' ';
    out += doc.syntax;
  }
  out += '`';
  if (!doc.summary.empty()) {
    out += ": ";
    out += doc.summary;
  }
  out += '\n';
}

}  // namespace

std::string command_list_markdown(const CommandTable& table) {
  std::vector<const CommandTable::Entry*> entries = table.all();
  std::sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) {
    size_t ra = group_rank(a->cmd->doc.group), rb = group_rank(b->cmd->doc.group);
    if (ra != rb) return ra < rb;
    if (a->cmd->doc.group != b->cmd->doc.group) return a->cmd->doc.group < b->cmd->doc.group;
    return a->cmd->name < b->cmd->name;
  });

  size_t subs = 0;
  for (const auto* e : entries) subs += e->subs.size();
  std::string out = std::to_string(entries.size()) + " commands and " + std::to_string(subs) +
                    " subcommands.\n";
  std::string_view group;
  bool first = true;
  for (const auto* e : entries) {
    const Command& c = *e->cmd;
    if (first || c.doc.group != group) {
      group = c.doc.group;
      first = false;
      out += "\n### ";
      out += group_heading(group);
      out += "\n\n";
    }
    bullet(out, "", to_upper(c.name), c.doc);
    std::vector<const CommandTable::Entry*> sorted;
    for (const auto& s : e->subs) sorted.push_back(&s);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return a->sub_name < b->sub_name; });
    for (const auto* s : sorted) {
      bullet(out, "  ", to_upper(c.name) + " " + to_upper(s->sub_name), s->cmd->doc);
    }
  }
  return out;
}

}  // namespace rill::commands
