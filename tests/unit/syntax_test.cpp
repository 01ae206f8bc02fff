// The doc-syntax grammar behind COMMAND DOCS: syntax strings as Redis's docs print them
// become the argument trees Redis 7.0 sends (compared with `COMMAND DOCS set`, `hello`,
// `client|list` of real Redis: same nesting, types, tokens and flags; names of choices and
// blocks are ours where Redis's are not in the string).
#include "commands/syntax.h"

#include <gtest/gtest.h>

#include <string>

#include "commands/command_table.h"

namespace rill::commands {
namespace {

// A compact spelling of a tree: name:type, "=TOKEN", "?" optional, "*" multiple,
// "+" multiple_token, children in parentheses.
std::string render(const std::vector<DocArg>& args) {
  std::string out;
  for (const DocArg& a : args) {
    if (!out.empty()) out += ' ';
    out += a.name + ":" + std::string(arg_type_name(a.type));
    if (!a.token.empty()) out += "=" + a.token;
    if (a.optional) out += '?';
    if (a.multiple) out += '*';
    if (a.multiple_token) out += '+';
    if (!a.args.empty()) out += "(" + render(a.args) + ")";
  }
  return out;
}

std::string parsed(std::string_view syntax) {
  auto args = parse_syntax(syntax);
  return args ? render(*args) : "<malformed>";
}

TEST(Syntax, EmptyStringHasNoArguments) {
  auto args = parse_syntax("");
  ASSERT_TRUE(args.has_value());
  EXPECT_TRUE(args->empty());
}

TEST(Syntax, PlainWordsAreTypedByName) {
  EXPECT_EQ(parsed("key"), "key:key");
  EXPECT_EQ(parsed("key seconds value"), "key:key seconds:integer value:string");
  EXPECT_EQ(parsed("key1 key2"), "key1:key key2:key");
  EXPECT_EQ(parsed("source destination newkey"), "source:key destination:key newkey:key");
  EXPECT_EQ(parsed("pattern"), "pattern:pattern");
  EXPECT_EQ(parsed("key unix-time-seconds"), "key:key unix-time-seconds:unix-time");
  EXPECT_EQ(parsed("key score member"), "key:key score:double member:string");
  // A word that only contains "key" is not a key: our routing keys are plain strings.
  EXPECT_EQ(parsed("routing-key"), "routing-key:string");
}

TEST(Syntax, UppercaseWordsAreKeywords) {
  EXPECT_EQ(parsed("[GET]"), "get:pure-token=GET?");
  EXPECT_EQ(parsed("[ASYNC | SYNC]"), "async_sync:oneof?(async:pure-token=ASYNC sync:pure-token=SYNC)");
  EXPECT_EQ(parsed("<ON | OFF>"), "on_off:oneof(on:pure-token=ON off:pure-token=OFF)");
}

TEST(Syntax, RepeatedKey) {
  EXPECT_EQ(parsed("key [key ...]"), "key:key*");
  EXPECT_EQ(parsed("numkeys key [key ...]"), "numkeys:integer key:key*");
  EXPECT_EQ(parsed("[command-name [command-name ...]]"), "command-name:string?*");
  EXPECT_EQ(parsed("command [arg [arg ...]]"), "command:string arg:string?*");
  // "[arg ...]" with nothing to repeat before it: zero or more.
  EXPECT_EQ(parsed("[arg ...]"), "arg:string?*");
  EXPECT_EQ(parsed("member ..."), "member:string*");
}

TEST(Syntax, RepeatedPairBecomesAMultipleBlock) {
  EXPECT_EQ(parsed("key value [key value ...]"), "key_value:block*(key:key value:string)");
  EXPECT_EQ(parsed("parameter value [parameter value ...]"),
            "parameter_value:block*(parameter:string value:string)");
}

TEST(Syntax, SetMatchesRedisTree) {
  // Redis: key, value, condition (oneof, optional: NX, XX), get (pure-token, optional),
  // expiration (oneof, optional: EX seconds, PX milliseconds, EXAT ..., PXAT ..., KEEPTTL).
  EXPECT_EQ(parsed("key value [NX | XX] [GET] [EX seconds | PX milliseconds | "
                   "EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"),
            "key:key value:string nx_xx:oneof?(nx:pure-token=NX xx:pure-token=XX) "
            "get:pure-token=GET? "
            "seconds_milliseconds_unix-time-seconds_unix-time-milliseconds_keepttl:oneof?("
            "seconds:integer=EX milliseconds:integer=PX unix-time-seconds:unix-time=EXAT "
            "unix-time-milliseconds:unix-time=PXAT keepttl:pure-token=KEEPTTL)");
}

TEST(Syntax, HelloMatchesRedisTree) {
  // Redis: an optional block of protover, an AUTH block (username, password) and SETNAME.
  EXPECT_EQ(parsed("[protover [AUTH username password] [SETNAME clientname]]"),
            "protover_auth_clientname:block?(protover:integer "
            "auth:block=AUTH?(username:string password:string) clientname:string=SETNAME?)");
}

TEST(Syntax, KeywordOpeningAGroupIntroducesTheRest) {
  EXPECT_EQ(parsed("[MATCH pattern] [COUNT count]"), "pattern:pattern=MATCH? count:integer=COUNT?");
  EXPECT_EQ(parsed("[LIMIT offset count]"), "limit:block=LIMIT?(offset:integer count:integer)");
  EXPECT_EQ(parsed("[COUNT count [ANY]]"), "count:block=COUNT?(count:integer any:pure-token=ANY?)");
  // CLIENT LIST: the keyword carries the whole choice, and a repeated id.
  EXPECT_EQ(parsed("[TYPE <NORMAL | MASTER>] [ID client-id [client-id ...]]"),
            "normal_master:oneof=TYPE?(normal:pure-token=NORMAL master:pure-token=MASTER) "
            "client-id:integer=ID?*");
  // COMMAND LIST
  EXPECT_EQ(parsed("[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]"),
            "module-name_category_pattern:oneof=FILTERBY?(module-name:string=MODULE "
            "category:string=ACLCAT pattern:pattern=PATTERN)");
}

TEST(Syntax, KeywordInsideARepeatRepeatsWithEachValue) {
  EXPECT_EQ(parsed("[GET pattern [GET pattern ...]]"), "pattern:pattern=GET?*+");
}

TEST(Syntax, KeywordElsewhereIntroducesTheNextRequiredItem) {
  EXPECT_EQ(parsed("STREAMS key [key ...] id [id ...]"), "key:key=STREAMS* id:string*");
  // Not an optional neighbour: the keyword would become optional with it.
  EXPECT_EQ(parsed("key [NOMKSTREAM] [MAXLEN count]"),
            "key:key nomkstream:pure-token=NOMKSTREAM? count:integer=MAXLEN?");
  EXPECT_EQ(parsed("key NOMKSTREAM [MAXLEN count]"),
            "key:key nomkstream:pure-token=NOMKSTREAM count:integer=MAXLEN?");
}

TEST(Syntax, BarsOutsideBracketsJoinNeighbours) {
  EXPECT_EQ(parsed("source destination LEFT | RIGHT LEFT | RIGHT"),
            "source:key destination:key left_right:oneof(left:pure-token=LEFT "
            "right:pure-token=RIGHT) left_right:oneof(left:pure-token=LEFT right:pure-token=RIGHT)");
  EXPECT_EQ(parsed("a | b | c d"), "a_b_c:oneof(a:string b:string c:string) d:string");
}

TEST(Syntax, RepeatedChoice) {
  // CLIENT KILL's new form: one filter or more.
  EXPECT_EQ(parsed("<[ID client-id] | [USER username]> [[ID client-id] | [USER username] ...]"),
            "client-id_username:oneof*(client-id:integer=ID? username:string=USER?)");
  EXPECT_EQ(parsed("<ip:port | <[ID client-id] | [SKIPME <YES | NO>]> [[ID client-id] | "
                   "[SKIPME <YES | NO>] ...]>"),
            "ip:port_client-id_yes_no:oneof(ip:port:string client-id_yes_no:oneof*("
            "client-id:integer=ID? yes_no:oneof=SKIPME?(yes:pure-token=YES no:pure-token=NO)))");
}

TEST(Syntax, MalformedStringsAreRejected) {
  for (std::string_view bad : {"[key", "key]", "<a | b", "[a>", "| a", "a |", "...", "[...]",
                               "[]", "[a | ]", "[a | ...]", "... a"}) {
    EXPECT_FALSE(parse_syntax(bad).has_value()) << bad;
  }
}

TEST(Syntax, EveryTableRowParses) {
  CommandTable table;
  size_t checked = 0;
  for (const auto* e : table.all()) {
    EXPECT_TRUE(parse_syntax(e->cmd->doc.syntax).has_value())
        << e->cmd->name << ": " << e->cmd->doc.syntax;
    for (const Command& sub : e->cmd->subcommands) {
      EXPECT_TRUE(parse_syntax(sub.doc.syntax).has_value()) << sub.name << ": " << sub.doc.syntax;
    }
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

TEST(CommandListMarkdown, OneBulletPerCommandAndSubcommand) {
  CommandTable table;
  std::string md = command_list_markdown(table);
  EXPECT_NE(md.find("\n- `GET key`: Get the value of a key\n"), std::string::npos);
  EXPECT_NE(md.find("\n- `COMMAND`: Get array of Redis command details\n"), std::string::npos);
  EXPECT_NE(md.find("\n  - `COMMAND COUNT`: Get total number of Redis commands\n"),
            std::string::npos);
  EXPECT_NE(md.find("\n### Strings\n"), std::string::npos);
  // Sorted within a group, whatever the table's hash order.
  EXPECT_LT(md.find("- `APPEND "), md.find("- `GET key`"));
}

}  // namespace
}  // namespace rill::commands
