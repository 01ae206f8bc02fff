// COMMAND, COMMAND INFO / COUNT / LIST / DOCS / GETKEYS / HELP, generated from the table.
// Expected bytes come from Redis 7.0.15; where our derived data (ACL categories, key spec
// flags, tips) cannot match Redis's exactly, the tests check the shape instead.
#include <string>

#include "resp/reply_decoder.h"
#include "support/engine_harness.h"

namespace rill::test {
namespace {

using resp::Reply;
using resp::ReplyType;

class IntrospectionTest : public EngineTest {
 protected:
  Reply decode(const std::string& bytes) {
    resp::ReplyDecoder d;
    d.feed(bytes);
    auto r = d.next();
    EXPECT_TRUE(r.has_value()) << bytes;
    EXPECT_EQ(d.buffered(), 0u) << "trailing bytes after the reply";
    return r.value_or(Reply{});
  }
};

// The value of `name` in a map reply (flattened key, value, ...), or null.
const Reply* field(const Reply& map, std::string_view name) {
  for (size_t i = 0; i + 1 < map.elements.size(); i += 2) {
    if (map.elements[i].str == name) return &map.elements[i + 1];
  }
  return nullptr;
}

// An argument map of COMMAND DOCS, by name, among `args`.
const Reply* doc_arg(const Reply& args, std::string_view name) {
  for (const Reply& a : args.elements) {
    const Reply* n = field(a, "name");
    if (n && n->str == name) return &a;
  }
  return nullptr;
}

// Byte for byte what Redis 7.0.15 sends for COMMAND INFO get.
constexpr std::string_view kGetInfoResp2 =
    "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
    "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n"
    "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
    "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
    "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
constexpr std::string_view kGetInfoResp3 =
    "*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
    "~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n"
    "~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n"
    "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n"
    "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";

TEST_F(IntrospectionTest, CountIsTheNumberOfTopLevelCommands) {
  const size_t n = engine.commands().all().size();
  EXPECT_GT(n, 10u);
  EXPECT_EQ(run("COMMAND COUNT"), integer(static_cast<int64_t>(n)));
  EXPECT_EQ(decode(run("COMMAND")).elements.size(), n);
  EXPECT_EQ(decode(run("COMMAND INFO")).elements.size(), n);
  EXPECT_EQ(run("COMMAND COUNT x"),
            err("ERR wrong number of arguments for 'command|count' command"));
  EXPECT_EQ(run("COMMAND nosuch"), err("ERR unknown subcommand 'nosuch'. Try COMMAND HELP."));
}

TEST_F(IntrospectionTest, InfoGetIsRedisBytesInBothProtocols) {
  EXPECT_EQ(run("COMMAND INFO get"), "*1\r\n" + std::string(kGetInfoResp2));
  run("HELLO 3");
  EXPECT_EQ(run("COMMAND INFO GET"), "*1\r\n" + std::string(kGetInfoResp3));
}

TEST_F(IntrospectionTest, InfoUnknownNamesAreNil) {
  EXPECT_EQ(run("COMMAND INFO nosuch get|x command| |count"),
            arr({nil(), nil(), nil(), nil()}));
  run("HELLO 3");
  EXPECT_EQ(run("COMMAND INFO nosuch"), "*1\r\n_\r\n");
}

TEST_F(IntrospectionTest, InfoSetShape) {
  Reply r = decode(run("COMMAND INFO set"));
  ASSERT_EQ(r.elements.size(), 1u);
  const Reply& set = r.elements[0];
  ASSERT_EQ(set.elements.size(), 10u);
  EXPECT_EQ(set.elements[0].str, "set");
  EXPECT_EQ(set.elements[1].integer, -3);
  EXPECT_EQ(set.elements[2].elements[0].type, ReplyType::kSimple);
  EXPECT_EQ(set.elements[2].elements[0].str, "write");
  EXPECT_EQ(set.elements[3].integer, 1);
  EXPECT_EQ(set.elements[4].integer, 1);
  EXPECT_EQ(set.elements[5].integer, 1);
  EXPECT_EQ(set.elements[6].elements[0].str, "@write");
  ASSERT_EQ(set.elements[8].elements.size(), 1u);  // one key spec
  const Reply* find_keys = field(set.elements[8].elements[0], "find_keys");
  ASSERT_NE(find_keys, nullptr);
  EXPECT_EQ(field(*find_keys, "type")->str, "range");
  EXPECT_TRUE(set.elements[9].elements.empty());
}

TEST_F(IntrospectionTest, KeySpecRangeIsRelativeToTheFirstKey) {
  // MSET: keys from 1 to the end, every second argument (Redis: lastkey -1, keystep 2).
  Reply mset = decode(run("COMMAND INFO mset")).elements[0];
  const Reply* spec = field(*field(mset.elements[8].elements[0], "find_keys"), "spec");
  EXPECT_EQ(field(*spec, "lastkey")->integer, -1);
  EXPECT_EQ(field(*spec, "keystep")->integer, 2);
  // OBJECT ENCODING key: the key is argument 2.
  Reply enc = decode(run("COMMAND INFO object|encoding")).elements[0];
  EXPECT_EQ(enc.elements[0].str, "object|encoding");
  const Reply* begin = field(*field(enc.elements[8].elements[0], "begin_search"), "spec");
  EXPECT_EQ(field(*begin, "index")->integer, 2);
}

TEST_F(IntrospectionTest, ContainerListsItsSubcommands) {
  Reply cmd = decode(run("COMMAND INFO command")).elements[0];
  EXPECT_EQ(cmd.elements[0].str, "command");
  EXPECT_EQ(cmd.elements[1].integer, -1);
  const Reply& subs = cmd.elements[9];
  EXPECT_EQ(subs.type, ReplyType::kArray);
  ASSERT_EQ(subs.elements.size(), 7u);
  for (const Reply& s : subs.elements) {
    ASSERT_EQ(s.elements.size(), 10u);
    EXPECT_EQ(s.elements[0].str.substr(0, 8), "command|");
  }
  // A container with no flags of its own: Redis sends "object" as -2, ~0, 0 0 0, ~1 @slow,
  // ~0, ~0, then its subcommands as an array.
  run("HELLO 3");
  const std::string head =
      "*1\r\n*10\r\n$6\r\nobject\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*5\r\n";
  EXPECT_EQ(run("COMMAND INFO object").substr(0, head.size()), head);
}

TEST_F(IntrospectionTest, Resp3UsesSetsAndMaps) {
  run("HELLO 3");
  Reply get = decode(run("COMMAND INFO get")).elements[0];
  EXPECT_EQ(get.elements[2].type, ReplyType::kSet);   // flags
  EXPECT_EQ(get.elements[6].type, ReplyType::kSet);   // ACL categories
  EXPECT_EQ(get.elements[6].elements[0].type, ReplyType::kSimple);
  EXPECT_EQ(get.elements[8].elements[0].type, ReplyType::kMap);  // key spec
  Reply docs = decode(run("COMMAND DOCS get"));
  EXPECT_EQ(docs.type, ReplyType::kMap);
  EXPECT_EQ(docs.elements[1].type, ReplyType::kMap);
  EXPECT_EQ(decode(run("COMMAND DOCS nosuch")).type, ReplyType::kMap);
  EXPECT_EQ(run("COMMAND DOCS nosuch"), "%0\r\n");
  // Every count in the whole output is right: each reply decodes with nothing left over.
  const size_t n = engine.commands().all().size();
  EXPECT_EQ(decode(run("COMMAND")).elements.size(), n);
  EXPECT_EQ(decode(run("COMMAND DOCS")).elements.size(), 2 * n);
}

TEST_F(IntrospectionTest, GetkeysFollowsKeyPositions) {
  EXPECT_EQ(run("COMMAND GETKEYS SET a b"), bulks({"a"}));
  EXPECT_EQ(run("COMMAND GETKEYS set a b EX 10"), bulks({"a"}));
  EXPECT_EQ(run("COMMAND GETKEYS mset a 1 b 2"), bulks({"a", "b"}));
  // Redis 7.0 walks the range over whatever was given, pairs or not.
  EXPECT_EQ(run("COMMAND GETKEYS mset a b c"), bulks({"a", "c"}));
  EXPECT_EQ(run("COMMAND GETKEYS del a b c"), bulks({"a", "b", "c"}));
  EXPECT_EQ(run("COMMAND GETKEYS rename a b"), bulks({"a", "b"}));
  EXPECT_EQ(run("COMMAND GETKEYS object encoding k"), bulks({"k"}));
}

TEST_F(IntrospectionTest, GetkeysErrors) {
  EXPECT_EQ(run("COMMAND GETKEYS nosuch a b"), err("ERR Invalid command specified"));
  EXPECT_EQ(run("COMMAND GETKEYS object nosub k"), err("ERR Invalid command specified"));
  EXPECT_EQ(run("COMMAND GETKEYS echo x"), err("ERR The command has no key arguments"));
  EXPECT_EQ(run("COMMAND GETKEYS echo x y"), err("ERR The command has no key arguments"));
  EXPECT_EQ(run("COMMAND GETKEYS object help"), err("ERR The command has no key arguments"));
  EXPECT_EQ(run("COMMAND GETKEYS get a b"),
            err("ERR Invalid number of arguments specified for command"));
  EXPECT_EQ(run("COMMAND GETKEYS set a"),
            err("ERR Invalid number of arguments specified for command"));
  EXPECT_EQ(run("COMMAND GETKEYS object encoding"),
            err("ERR Invalid number of arguments specified for command"));
  EXPECT_EQ(run("COMMAND GETKEYS get"),
            err("ERR wrong number of arguments for 'command|getkeys' command"));
}

TEST_F(IntrospectionTest, GetkeysAndFlags) {
  EXPECT_EQ(run("COMMAND GETKEYSANDFLAGS get a"),
            arr({arr({bulk("a"), arr({simple("RO"), simple("access")})})}));
  run("HELLO 3");
  EXPECT_EQ(run("COMMAND GETKEYSANDFLAGS get a"), "*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n");
}

TEST_F(IntrospectionTest, ListIncludesSubcommandsAndFilters) {
  size_t all = 0;
  for (const auto* e : engine.commands().all()) all += 1 + e->subs.size();
  EXPECT_EQ(decode(run("COMMAND LIST")).elements.size(), all);

  EXPECT_EQ(run("COMMAND LIST FILTERBY PATTERN command|c*"), bulks({"command|count"}));
  EXPECT_EQ(run("COMMAND LIST FILTERBY pattern COMMAND|COUNT"), bulks({"command|count"}));
  Reply strings = decode(run("COMMAND LIST FILTERBY ACLCAT STRING"));
  auto has = [&](std::string_view name) {
    for (const Reply& r : strings.elements) {
      if (r.str == name) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("get"));
  EXPECT_TRUE(has("mset"));
  EXPECT_FALSE(has("del"));
  EXPECT_EQ(run("COMMAND LIST FILTERBY ACLCAT @string"), arr({}));
  EXPECT_EQ(run("COMMAND LIST FILTERBY MODULE foo"), arr({}));
}

TEST_F(IntrospectionTest, ListSyntaxErrors) {
  EXPECT_EQ(run("COMMAND LIST FILTERBY"), err("ERR syntax error"));
  EXPECT_EQ(run("COMMAND LIST FILTERBY pattern"), err("ERR syntax error"));
  EXPECT_EQ(run("COMMAND LIST FILTERBY foo bar"), err("ERR syntax error"));
  EXPECT_EQ(run("COMMAND LIST foo"), err("ERR syntax error"));
  EXPECT_EQ(run("COMMAND LIST FILTERBY pattern x extra"), err("ERR syntax error"));
}

TEST_F(IntrospectionTest, DocsGetIsRedisShape) {
  // Redis: {get: {summary, since, group, complexity, arguments: [{name key, type key,
  // key_spec_index 0}]}}.
  EXPECT_EQ(run("COMMAND DOCS get"),
            arr({bulk("get"),
                 arr({bulk("summary"), bulk("Get the value of a key"), bulk("since"),
                      bulk("1.0.0"), bulk("group"), bulk("string"), bulk("complexity"),
                      bulk("O(1)"), bulk("arguments"),
                      arr({arr({bulk("name"), bulk("key"), bulk("type"), bulk("key"),
                                bulk("key_spec_index"), integer(0)})})})}));
}

TEST_F(IntrospectionTest, DocsSetHasItsArgumentTree) {
  Reply docs = decode(run("COMMAND DOCS set nosuch"));
  ASSERT_EQ(docs.elements.size(), 2u);  // the unknown name is left out
  EXPECT_EQ(docs.elements[0].str, "set");
  const Reply& set = docs.elements[1];
  EXPECT_EQ(field(set, "group")->str, "string");
  const Reply* args = field(set, "arguments");
  ASSERT_NE(args, nullptr);
  ASSERT_EQ(args->elements.size(), 5u);  // key value condition get expiration, as Redis
  EXPECT_EQ(field(*doc_arg(*args, "key"), "type")->str, "key");
  EXPECT_EQ(field(*doc_arg(*args, "value"), "type")->str, "string");
  const Reply* get = doc_arg(*args, "get");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(field(*get, "type")->str, "pure-token");
  EXPECT_EQ(field(*get, "token")->str, "GET");
  EXPECT_EQ(field(*get, "flags")->elements[0].str, "optional");
  const Reply& expiration = args->elements[4];
  EXPECT_EQ(field(expiration, "type")->str, "oneof");
  const Reply* choices = field(expiration, "arguments");
  ASSERT_EQ(choices->elements.size(), 5u);
  const Reply* ex = doc_arg(*choices, "seconds");
  ASSERT_NE(ex, nullptr);
  EXPECT_EQ(field(*ex, "type")->str, "integer");
  EXPECT_EQ(field(*ex, "token")->str, "EX");
  EXPECT_EQ(field(*doc_arg(*choices, "unix-time-seconds"), "type")->str, "unix-time");
}

TEST_F(IntrospectionTest, DocsSubcommands) {
  Reply docs = decode(run("COMMAND DOCS command|list"));
  ASSERT_EQ(docs.elements.size(), 2u);
  EXPECT_EQ(docs.elements[0].str, "command|list");
  const Reply* filter = field(docs.elements[1], "arguments");
  ASSERT_NE(filter, nullptr);
  EXPECT_EQ(field(filter->elements[0], "token")->str, "FILTERBY");

  Reply container = decode(run("COMMAND DOCS command"));
  const Reply* subs = field(container.elements[1], "subcommands");
  ASSERT_NE(subs, nullptr);
  EXPECT_EQ(subs->elements.size(), 14u);  // 7 name, doc pairs
  EXPECT_EQ(field(container.elements[1], "arguments"), nullptr);

  EXPECT_EQ(decode(run("COMMAND DOCS")).elements.size(), 2 * engine.commands().all().size());
}

TEST_F(IntrospectionTest, Help) {
  Reply help = decode(run("COMMAND HELP"));
  ASSERT_EQ(help.elements.size(), 21u);
  EXPECT_EQ(help.elements[0].str, "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  EXPECT_EQ(help.elements[20].str, "    Prints this help.");
  EXPECT_EQ(run("COMMAND HELP x"), err("ERR wrong number of arguments for 'command|help' command"));
}

}  // namespace
}  // namespace rill::test
