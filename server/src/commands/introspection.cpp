// COMMAND and its subcommands, all generated from the command table: a row's arity, flags
// and key positions become COMMAND INFO's entry, its CommandDoc becomes COMMAND DOCS (the
// argument tree parsed from the syntax string, see syntax.h). Nothing here lists commands.
//
// What the table does not hold is derived, as Redis 7.0 derives most of it: ACL categories
// from the flags and the doc group, one range key spec from first/last/step with access
// flags from readonly/write. Command tips are not kept, so that set is always empty.
#include <algorithm>
#include <array>
#include <bitset>
#include <string>
#include <utility>

#include "commands/args.h"
#include "commands/command_table.h"
#include "commands/syntax.h"
#include "core/glob.h"

namespace rill::commands {
namespace {

using core::Ctx;
using resp::Writer;

// ---- Flags and ACL categories ------------------------------------------------------------

// Flag names in the order Redis prints them (its flag bit order). kSentinel is not printed
// by Redis 7.0; kPubSub is ours for "allowed in subscribe mode", and Redis names "pubsub"
// only the pub/sub commands themselves.
constexpr std::array<std::pair<uint32_t, std::string_view>, 13> kFlagNames = {{
    {kWrite, "write"},
    {kReadOnly, "readonly"},
    {kDenyOom, "denyoom"},
    {kAdmin, "admin"},
    {kNoScript, "noscript"},
    {kBlocking, "blocking"},
    {kLoading, "loading"},
    {kStale, "stale"},
    {kSkipMonitor, "skip_monitor"},
    {kFast, "fast"},
    {kNoAuth, "no_auth"},
    {kNoMulti, "no_multi"},
    {kAllowBusy, "allow_busy"},
}};

std::vector<std::string_view> flag_names(const Command& c) {
  std::vector<std::string_view> out;
  for (const auto& [bit, name] : kFlagNames) {
    if (c.flags & bit) out.push_back(name);
    // Redis's pubsub bit sits between admin and noscript.
    if (bit == kAdmin && (c.flags & kPubSub) && c.doc.group == "pubsub") out.push_back("pubsub");
  }
  if (c.movable_keys) out.push_back("movablekeys");
  return out;
}

// ACL categories in Redis's order (its category bit order), so sets print as Redis's do.
enum Category : size_t {
  kKeyspace, kRead, kWriteCat, kSet, kSortedSet, kList, kHash, kString, kBitmap,
  kHyperLogLog, kGeo, kStream, kPubSubCat, kAdminCat, kFastCat, kSlow, kBlockingCat,
  kDangerous, kConnection, kTransaction, kScripting, kCategoryCount
};
constexpr std::array<std::string_view, kCategoryCount> kCategoryNames = {
    "keyspace", "read",  "write",  "set",    "sortedset", "list",  "hash",
    "string",   "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin",
    "fast",     "slow",  "blocking", "dangerous", "connection", "transaction", "scripting"};

// The category a doc group implies, as Redis's command files declare it for most commands.
constexpr std::array<std::pair<std::string_view, Category>, 14> kGroupCategory = {{
    {"generic", kKeyspace},     {"string", kString},       {"list", kList},
    {"set", kSet},              {"sorted_set", kSortedSet}, {"hash", kHash},
    {"bitmap", kBitmap},        {"hyperloglog", kHyperLogLog}, {"geo", kGeo},
    {"stream", kStream},        {"pubsub", kPubSubCat},    {"connection", kConnection},
    {"transactions", kTransaction}, {"scripting", kScripting},
}};

std::bitset<kCategoryCount> categories(const Command& c) {
  std::bitset<kCategoryCount> cats;
  // A container's own row only routes to its subcommands: Redis gives it no group category.
  if (c.subcommands.empty()) {
    for (const auto& [group, cat] : kGroupCategory) {
      if (c.doc.group == group) cats.set(cat);
    }
  }
  if (c.flags & kWrite) cats.set(kWriteCat);
  if (c.flags & kReadOnly) cats.set(kRead);
  if (c.flags & kAdmin) cats.set(kAdminCat).set(kDangerous);
  if (c.flags & kBlocking) cats.set(kBlockingCat);
  cats.set((c.flags & kFast) ? kFastCat : kSlow);
  return cats;
}

// ---- COMMAND INFO entries ------------------------------------------------------------------

bool has_keys(const Command& c) { return c.first_key > 0 || c.movable_keys; }

// The access flags of the one key spec, from what the command does with its keys.
std::vector<std::string_view> key_spec_flags(const Command& c) {
  if (c.movable_keys) {
    std::vector<std::string_view> flags;
    std::string_view rest = c.movable_keys->spec_flags;
    while (!rest.empty()) {
      const size_t sp = rest.find(' ');
      flags.push_back(rest.substr(0, sp));
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    }
    return flags;
  }
  if (c.flags & kWrite) return {"RW", "update"};
  if (c.flags & kReadOnly) return {"RO", "access"};
  return {"RO"};
}

void write_status_set(Writer& out, const std::vector<std::string_view>& items) {
  out.set(items.size());
  for (std::string_view s : items) out.simple(s);
}

// A key spec's begin_search of type "index": the keys begin at argument `index`.
void write_begin_at_index(Writer& out, int64_t index) {
  out.map(2);
  out.bulk("type");
  out.bulk("index");
  out.bulk("spec");
  out.map(1);
  out.bulk("index");
  out.integer(index);
}

// A key spec's find_keys of type "range": up to `lastkey` (relative to the first key, or from
// the end when negative), every `keystep`, and with limit N only the first 1/N of them.
void write_find_range(Writer& out, int64_t lastkey, int64_t keystep, int64_t limit) {
  out.map(2);
  out.bulk("type");
  out.bulk("range");
  out.bulk("spec");
  out.map(3);
  out.bulk("lastkey");
  out.integer(lastkey);
  out.bulk("keystep");
  out.integer(keystep);
  out.bulk("limit");
  out.integer(limit);
}

// The command's one key spec. Fixed keys: from first_key to last_key, every key_step. Movable
// keys: after a keyword (XREAD's STREAMS) or an index, then counted by a numkeys argument
// ("keynum", LMPOP) or the first half of the rest ("range" with limit 2, XREAD).
void write_key_spec(Writer& out, const Command& c) {
  out.map(3);
  out.bulk("flags");
  write_status_set(out, key_spec_flags(c));
  out.bulk("begin_search");
  const MovableKeys* m = c.movable_keys;
  if (!m) {
    write_begin_at_index(out, c.first_key);
    out.bulk("find_keys");
    return write_find_range(out, c.last_key < 0 ? c.last_key : c.last_key - c.first_key,
                            c.key_step, 0);
  }
  if (m->keyword.empty()) {
    write_begin_at_index(out, m->start);
  } else {
    out.map(2);
    out.bulk("type");
    out.bulk("keyword");
    out.bulk("spec");
    out.map(2);
    out.bulk("keyword");
    out.bulk(m->keyword);
    out.bulk("startfrom");
    out.integer(m->start);
  }
  out.bulk("find_keys");
  if (m->find == MovableKeys::Find::kFirstHalf) return write_find_range(out, -1, 1, 2);
  out.map(2);
  out.bulk("type");
  out.bulk("keynum");
  out.bulk("spec");
  out.map(3);
  out.bulk("keynumidx");
  out.integer(0);
  out.bulk("firstkey");
  out.integer(1);
  out.bulk("keystep");
  out.integer(1);
}

// name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands
void write_info(Writer& out, const Command& c) {
  out.array(10);
  out.bulk(c.name);
  out.integer(c.arity);
  write_status_set(out, flag_names(c));
  out.integer(c.first_key);
  out.integer(c.last_key);
  out.integer(c.key_step);
  auto cats = categories(c);
  out.set(cats.count());
  for (size_t i = 0; i < kCategoryCount; ++i) {
    if (cats.test(i)) out.simple("@" + std::string(kCategoryNames[i]));
  }
  out.set(0);  // tips
  out.set(has_keys(c) ? 1 : 0);
  if (has_keys(c)) write_key_spec(out, c);
  // Redis sends a leaf's missing subcommands as an empty set, a container's as an array.
  if (c.subcommands.empty()) return out.set(0);
  out.array(c.subcommands.size());
  for (const Command& sub : c.subcommands) write_info(out, sub);
}

// A command by the name COMMAND INFO / DOCS accept: "get", or "client|list" for a subcommand.
const Command* find_named(const CommandTable& table, std::string_view name) {
  size_t bar = name.find('|');
  if (bar == std::string_view::npos) {
    const CommandTable::Entry* e = table.find(name);
    return e ? e->cmd : nullptr;
  }
  const CommandTable::Entry* parent = table.find(name.substr(0, bar));
  if (!parent) return nullptr;
  const CommandTable::Entry* sub = CommandTable::find_sub(*parent, name.substr(bar + 1));
  return sub ? sub->cmd : nullptr;
}

// COMMAND
void command_all(Ctx& ctx, Args) {
  const auto& all = ctx.engine().commands().all();
  ctx.out().array(all.size());
  for (const auto* e : all) write_info(ctx.out(), *e->cmd);
}

// COMMAND INFO [command-name [command-name ...]]
void command_info(Ctx& ctx, Args a) {
  if (a.size() == 2) return command_all(ctx, a);
  ctx.out().array(a.size() - 2);
  for (std::string_view name : a.subspan(2)) {
    const Command* c = find_named(ctx.engine().commands(), name);
    if (c) {
      write_info(ctx.out(), *c);
    } else {
      ctx.out().null();
    }
  }
}

// COMMAND COUNT
void command_count(Ctx& ctx, Args) {
  ctx.out().integer(static_cast<int64_t>(ctx.engine().commands().all().size()));
}

// ---- COMMAND DOCS --------------------------------------------------------------------------

void write_doc_arg(Writer& out, const DocArg& arg, bool key_specs) {
  bool spec_index = key_specs && arg.type == ArgType::kKey;
  std::vector<std::string_view> flags;
  if (arg.optional) flags.push_back("optional");
  if (arg.multiple) flags.push_back("multiple");
  if (arg.multiple_token) flags.push_back("multiple_token");
  out.map(2 + spec_index + !arg.token.empty() + !flags.empty() + !arg.args.empty());
  out.bulk("name");
  out.bulk(arg.name);
  out.bulk("type");
  out.bulk(arg_type_name(arg.type));
  if (spec_index) {
    out.bulk("key_spec_index");
    out.integer(0);  // the one range spec covers every key
  }
  if (!arg.token.empty()) {
    out.bulk("token");
    out.bulk(arg.token);
  }
  if (!flags.empty()) {
    out.bulk("flags");
    write_status_set(out, flags);
  }
  if (!arg.args.empty()) {
    out.bulk("arguments");
    out.array(arg.args.size());
    for (const DocArg& sub : arg.args) write_doc_arg(out, sub, key_specs);
  }
}

void write_doc(Writer& out, const Command& c) {
  // A syntax string the parser rejects only loses its argument tree; syntax_test checks
  // that no row's does.
  std::vector<DocArg> args = parse_syntax(c.doc.syntax).value_or(std::vector<DocArg>{});
  out.map(4 + !args.empty() + !c.subcommands.empty());
  out.bulk("summary");
  out.bulk(c.doc.summary);
  out.bulk("since");
  out.bulk(c.doc.since);
  out.bulk("group");
  out.bulk(c.doc.group);
  out.bulk("complexity");
  out.bulk(c.doc.complexity);
  if (!args.empty()) {
    out.bulk("arguments");
    out.array(args.size());
    for (const DocArg& a : args) write_doc_arg(out, a, has_keys(c));
  }
  if (!c.subcommands.empty()) {
    out.bulk("subcommands");
    out.map(c.subcommands.size());
    for (const Command& sub : c.subcommands) {
      out.bulk(sub.name);
      write_doc(out, sub);
    }
  }
}

// COMMAND DOCS [command-name [command-name ...]]
void command_docs(Ctx& ctx, Args a) {
  Writer& out = ctx.out();
  if (a.size() == 2) {
    const auto& all = ctx.engine().commands().all();
    out.map(all.size());
    for (const auto* e : all) {
      out.bulk(e->cmd->name);
      write_doc(out, *e->cmd);
    }
    return;
  }
  // Unknown names are left out, so the count is known only at the end.
  Writer::Deferred header = out.map_later();
  size_t found = 0;
  for (std::string_view name : a.subspan(2)) {
    if (const Command* c = find_named(ctx.engine().commands(), name)) {
      out.bulk(c->name);
      write_doc(out, *c);
      ++found;
    }
  }
  out.fill(header, found);
}

// ---- COMMAND LIST --------------------------------------------------------------------------

enum class Filter { kNone, kModule, kAclCat, kPattern };

bool passes(const Command& c, Filter f, std::string_view value) {
  switch (f) {
    case Filter::kNone: return true;
    case Filter::kModule: return false;  // no modules: nothing comes from one
    case Filter::kPattern: return core::glob_match(value, c.name, true);
    case Filter::kAclCat: {
      auto cats = categories(c);
      for (size_t i = 0; i < kCategoryCount; ++i) {
        if (cats.test(i) && iequals(kCategoryNames[i], value)) return true;
      }
      return false;
    }
  }
  return false;
}

// COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]
void command_list(Ctx& ctx, Args a) {
  Filter f = Filter::kNone;
  std::string_view value;
  if (a.size() == 5 && iequals(a[2], "FILTERBY")) {
    value = a[4];
    if (iequals(a[3], "MODULE")) f = Filter::kModule;
    else if (iequals(a[3], "ACLCAT")) f = Filter::kAclCat;
    else if (iequals(a[3], "PATTERN")) f = Filter::kPattern;
    else return ctx.out().error(errors::kSyntax);
  } else if (a.size() != 2) {
    return ctx.out().error(errors::kSyntax);
  }
  Writer& out = ctx.out();
  Writer::Deferred header = out.array_later();
  size_t n = 0;
  auto visit = [&](const Command& c) {
    if (!passes(c, f, value)) return;
    out.bulk(c.name);
    ++n;
  };
  for (const auto* e : ctx.engine().commands().all()) {
    visit(*e->cmd);
    for (const Command& sub : e->cmd->subcommands) visit(sub);
  }
  out.fill(header, n);
}

// ---- COMMAND GETKEYS / GETKEYSANDFLAGS ----------------------------------------------------

// Positions of a movable command's keys in `argv`; none when the arguments do not hold any
// (no keyword, a numkeys that is not a positive count of arguments present).
void movable_key_positions(const MovableKeys& m, Args argv, std::vector<size_t>& positions) {
  size_t begin = static_cast<size_t>(m.start);
  if (!m.keyword.empty()) {
    while (begin < argv.size() && !iequals(argv[begin], m.keyword)) ++begin;
    ++begin;  // past the keyword
  }
  if (begin >= argv.size()) return;
  size_t first = begin, count = 0;
  if (m.find == MovableKeys::Find::kKeyNum) {
    auto n = core::parse_int(argv[begin]);
    first = begin + 1;
    if (!n || *n <= 0 || static_cast<uint64_t>(*n) > argv.size() - first) return;
    count = static_cast<size_t>(*n);
  } else {
    count = (argv.size() - begin) / 2;
  }
  for (size_t i = 0; i < count; ++i) positions.push_back(first + i);
}

// The key positions of the command given in a[2..]: its first_key / last_key / key_step
// applied to that argument vector. On failure writes the error and returns null.
const Command* key_positions(Ctx& ctx, Args a, std::vector<size_t>& positions) {
  Args target = a.subspan(2);
  const CommandTable::Entry* e = ctx.engine().commands().find(target[0]);
  if (e && !e->subs.empty() && target.size() >= 2) e = CommandTable::find_sub(*e, target[1]);
  if (!e) {
    ctx.out().error(errors::kInvalidCommandSpecified);
    return nullptr;
  }
  const Command& c = *e->cmd;
  if (!has_keys(c)) {
    ctx.out().error(errors::kNoKeyArguments);
    return nullptr;
  }
  if (!c.accepts(target.size())) {
    ctx.out().error(errors::kInvalidArgumentCount);
    return nullptr;
  }
  const int argc = static_cast<int>(target.size());
  if (c.movable_keys) {
    movable_key_positions(*c.movable_keys, target, positions);
    for (size_t& p : positions) p += 2;
    if (positions.empty()) {
      ctx.out().error(errors::kInvalidArguments);
      return nullptr;
    }
    return &c;
  }
  const int last = c.last_key < 0 ? argc + c.last_key : c.last_key;
  const int step = std::max<int>(c.key_step, 1);
  for (int i = c.first_key; i <= last && i < argc; i += step) {
    positions.push_back(static_cast<size_t>(i) + 2);
  }
  if (positions.empty()) {
    ctx.out().error(errors::kInvalidArguments);
    return nullptr;
  }
  return &c;
}

// COMMAND GETKEYS command [arg [arg ...]]
void command_getkeys(Ctx& ctx, Args a) {
  std::vector<size_t> positions;
  if (!key_positions(ctx, a, positions)) return;
  ctx.out().array(positions.size());
  for (size_t p : positions) ctx.out().bulk(a[p]);
}

// COMMAND GETKEYSANDFLAGS command [arg [arg ...]]
void command_getkeysandflags(Ctx& ctx, Args a) {
  std::vector<size_t> positions;
  const Command* c = key_positions(ctx, a, positions);
  if (!c) return;
  auto flags = key_spec_flags(*c);
  ctx.out().array(positions.size());
  for (size_t p : positions) {
    ctx.out().array(2);
    ctx.out().bulk(a[p]);
    write_status_set(ctx.out(), flags);
  }
}

// ---- COMMAND HELP --------------------------------------------------------------------------

constexpr std::string_view kHelp[] = {
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
};

// COMMAND HELP
void command_help(Ctx& ctx, Args) {
  reply_help(ctx, kHelp);
}

constexpr uint32_t kIntro = kLoading | kStale;
constexpr std::string_view kLookupCost = "O(N) where N is the number of commands to look up";
constexpr std::string_view kArgumentsCost =
    "O(N) where N is the number of arguments to the command";
constexpr std::string_view kAllCost = "O(N) where N is the total number of Redis commands";

// Arities as Redis 7.0.15 reports them (GETKEYS wants a command and at least one argument).
const Command kCommandSubs[] = {
    {"command|count", 2, kIntro, 0, 0, 0, command_count,
     {"Get total number of Redis commands", "2.8.13", "server", "O(1)", ""}},
    {"command|docs", -2, kIntro, 0, 0, 0, command_docs,
     {"Get array of specific Redis command documentation", "7.0.0", "server", kLookupCost,
      "[command-name [command-name ...]]"}},
    {"command|getkeys", -4, kIntro, 0, 0, 0, command_getkeys,
     {"Extract keys given a full Redis command", "2.8.13", "server", kArgumentsCost,
      "command [arg [arg ...]]"}},
    {"command|getkeysandflags", -4, kIntro, 0, 0, 0, command_getkeysandflags,
     {"Extract keys and access flags given a full Redis command", "7.0.0", "server",
      kArgumentsCost, "command [arg [arg ...]]"}},
    {"command|help", 2, kIntro, 0, 0, 0, command_help,
     {"Show helpful text about the different subcommands", "5.0.0", "server", "O(1)", ""}},
    {"command|info", -2, kIntro, 0, 0, 0, command_info,
     {"Get array of specific Redis command details, or all when no argument is given.",
      "2.8.13", "server", kLookupCost, "[command-name [command-name ...]]"}},
    {"command|list", -2, kIntro, 0, 0, 0, command_list,
     {"Get an array of Redis command names", "7.0.0", "server", kAllCost,
      "[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]"}},
};

const Command kIntrospection[] = {
    {"command", -1, kIntro, 0, 0, 0, command_all,
     {"Get array of Redis command details", "2.8.13", "server", kAllCost, ""},
     kCommandSubs},
};

}  // namespace

void add_introspection_commands(CommandTable& t) { t.add(kIntrospection); }

}  // namespace rill::commands
