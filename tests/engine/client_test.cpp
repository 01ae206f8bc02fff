// CLIENT and its subcommands through the engine, with several sessions attached as several
// connections would be. Expected replies and error texts are Redis 7.0's (7.2's for SETINFO
// and the lib-name / lib-ver fields).
#include <map>
#include <sstream>

#include "support/engine_harness.h"

namespace rill::test {
namespace {

// Counts the engine's "you have output" notices, as a connection would receive them.
struct CountingSink : core::OutputSink {
  int notices = 0;
  void on_output() override { ++notices; }
};

// The payload of a RESP2 bulk string reply.
std::string bulk_body(const std::string& reply) {
  size_t start = reply.find("\r\n") + 2;
  return reply.substr(start, reply.size() - start - 2);
}

// The lines of a CLIENT LIST / CLIENT INFO reply, each split into (name, value) fields in
// the order printed.
using Fields = std::vector<std::pair<std::string, std::string>>;
std::vector<Fields> client_lines(const std::string& reply) {
  std::vector<Fields> lines;
  std::istringstream text(bulk_body(reply));
  std::string line;
  while (std::getline(text, line)) {
    Fields f;
    std::istringstream words(line);
    std::string w;
    while (words >> w) {
      size_t eq = w.find('=');
      f.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
    lines.push_back(f);
  }
  return lines;
}

std::string field(const Fields& f, std::string_view name) {
  for (const auto& [k, v] : f) {
    if (k == name) return v;
  }
  return "<missing>";
}

class ClientTest : public EngineTest {
 protected:
  ClientTest() {
    attach(other);
    other.addr = "127.0.0.1:50001";
    other.laddr = "127.0.0.1:6380";
    other.sink = &other_sink;
    session.addr = "127.0.0.1:50000";
    session.laddr = "127.0.0.1:6379";
  }
  ~ClientTest() override { detach(other); }

  core::Session other;
  CountingSink other_sink;
};

TEST_F(ClientTest, IdIsTheSessionId) {
  EXPECT_EQ(run("CLIENT ID"), integer(static_cast<int64_t>(session.id)));
  EXPECT_EQ(run_as(other, "CLIENT ID"), integer(static_cast<int64_t>(other.id)));
  EXPECT_NE(session.id, other.id);
  EXPECT_EQ(run("CLIENT ID x"), err("ERR wrong number of arguments for 'client|id' command"));
}

TEST_F(ClientTest, SetnameAndGetname) {
  EXPECT_EQ(run("CLIENT GETNAME"), nil());
  EXPECT_EQ(run("CLIENT SETNAME worker-1"), ok());
  EXPECT_EQ(run("CLIENT GETNAME"), bulk("worker-1"));
  EXPECT_EQ(run_as(other, "CLIENT GETNAME"), nil());  // names are per connection
  const std::string bad = "ERR Client names cannot contain spaces, newlines or special characters.";
  EXPECT_EQ(run({"CLIENT", "SETNAME", "a b"}), err(bad));
  EXPECT_EQ(run({"CLIENT", "SETNAME", "a\nb"}), err(bad));
  EXPECT_EQ(run({"CLIENT", "SETNAME", "caf\xc3\xa9"}), err(bad));
  EXPECT_EQ(run("CLIENT GETNAME"), bulk("worker-1"));  // a refused name changes nothing
  EXPECT_EQ(run({"CLIENT", "SETNAME", ""}), ok());      // the empty name clears it
  EXPECT_EQ(run("CLIENT GETNAME"), nil());
}

TEST_F(ClientTest, ListPrintsEveryClientWithRedisFields) {
  EXPECT_EQ(run("CLIENT SETNAME me"), ok());
  EXPECT_EQ(run("SELECT 3"), ok());
  auto lines = client_lines(run("CLIENT LIST"));
  ASSERT_EQ(lines.size(), 2u);
  std::vector<std::string> names;
  for (const auto& [k, v] : lines[0]) names.push_back(k);
  const std::vector<std::string> expected = {
      "id",       "addr",      "laddr",    "fd",        "name", "age",  "idle",  "flags",
      "db",       "sub",       "psub",     "ssub",      "multi", "qbuf", "qbuf-free",
      "argv-mem", "multi-mem", "rbs",      "rbp",       "obl",  "oll",  "omem",  "tot-mem",
      "events",   "cmd",       "user",     "redir",     "resp", "lib-name", "lib-ver"};
  EXPECT_EQ(names, expected);

  const Fields& me = lines[0];
  EXPECT_EQ(field(me, "id"), std::to_string(session.id));
  EXPECT_EQ(field(me, "addr"), "127.0.0.1:50000");
  EXPECT_EQ(field(me, "laddr"), "127.0.0.1:6379");
  EXPECT_EQ(field(me, "name"), "me");
  EXPECT_EQ(field(me, "flags"), "N");
  EXPECT_EQ(field(me, "db"), "3");
  EXPECT_EQ(field(me, "multi"), "-1");
  EXPECT_EQ(field(me, "argv-mem"), "10");  // "client" + "list", as Redis counts it
  EXPECT_EQ(field(me, "cmd"), "client|list");
  EXPECT_EQ(field(me, "user"), "default");
  EXPECT_EQ(field(me, "redir"), "-1");
  EXPECT_EQ(field(me, "resp"), "2");

  const Fields& them = lines[1];
  EXPECT_EQ(field(them, "id"), std::to_string(other.id));
  EXPECT_EQ(field(them, "name"), "");
  EXPECT_EQ(field(them, "cmd"), "NULL");  // has sent nothing yet
  EXPECT_EQ(field(them, "argv-mem"), "0");
  // Each line ends in a newline, the last one included.
  EXPECT_EQ(bulk_body(run("CLIENT LIST")).back(), '\n');
}

TEST_F(ClientTest, ListShowsTheLastCommandOfOthers) {
  EXPECT_EQ(run_as(other, "SET k v"), ok());
  auto lines = client_lines(run({"CLIENT", "LIST", "ID", std::to_string(other.id)}));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(field(lines[0], "cmd"), "set");
}

TEST_F(ClientTest, ListFiltersByTypeOrId) {
  EXPECT_EQ(client_lines(run("CLIENT LIST TYPE normal")).size(), 2u);
  EXPECT_EQ(client_lines(run("CLIENT LIST TYPE NORMAL")).size(), 2u);
  EXPECT_EQ(run("CLIENT LIST TYPE pubsub"), bulk(""));
  EXPECT_EQ(run("CLIENT LIST TYPE replica"), bulk(""));
  EXPECT_EQ(run("CLIENT LIST TYPE slave"), bulk(""));
  EXPECT_EQ(run("CLIENT LIST TYPE master"), bulk(""));
  EXPECT_EQ(run("CLIENT LIST TYPE foo"), err("ERR Unknown client type 'foo'"));

  auto lines = client_lines(run({"CLIENT", "LIST", "ID", std::to_string(other.id), "999"}));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(field(lines[0], "id"), std::to_string(other.id));
  // IDs are answered in the order given, repeats included.
  lines = client_lines(run({"CLIENT", "LIST", "ID", std::to_string(other.id),
                            std::to_string(session.id), std::to_string(other.id)}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(field(lines[1], "id"), std::to_string(session.id));
  EXPECT_EQ(run("CLIENT LIST ID 0"), bulk(""));
  EXPECT_EQ(run("CLIENT LIST ID -5"), bulk(""));
  EXPECT_EQ(run("CLIENT LIST ID 1 abc"), err("ERR Invalid client ID"));
  // The two filters do not combine in Redis 7.0, and a filter needs its value.
  EXPECT_EQ(run("CLIENT LIST ID 1 TYPE normal"), err("ERR Invalid client ID"));
  EXPECT_EQ(run("CLIENT LIST TYPE normal ID 1"), err("ERR syntax error"));
  EXPECT_EQ(run("CLIENT LIST ID"), err("ERR syntax error"));
  EXPECT_EQ(run("CLIENT LIST TYPE"), err("ERR syntax error"));
  EXPECT_EQ(run("CLIENT LIST foo"), err("ERR syntax error"));
}

TEST_F(ClientTest, InfoIsTheCallersLine) {
  auto lines = client_lines(run("CLIENT INFO"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(field(lines[0], "id"), std::to_string(session.id));
  EXPECT_EQ(field(lines[0], "cmd"), "client|info");
  // RESP3 gets a verbatim string, as for CLIENT LIST and INFO.
  run("HELLO 3");
  std::string r3 = run("CLIENT INFO");
  EXPECT_EQ(r3.substr(0, 1), "=");
  EXPECT_NE(r3.find("\r\ntxt:id="), std::string::npos);
  EXPECT_NE(r3.find(" resp=3 "), std::string::npos);
}

TEST_F(ClientTest, FlagsAndMultiShowTransactionState) {
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("SET a b"), simple("QUEUED"));
  EXPECT_EQ(run("CLIENT NO-EVICT on"), simple("QUEUED"));
  auto lines = client_lines(run_as(other, "CLIENT LIST ID " + std::to_string(session.id)));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(field(lines[0], "flags"), "x");
  EXPECT_EQ(field(lines[0], "multi"), "2");
  EXPECT_EQ(field(lines[0], "multi-mem"), std::to_string(3 + 1 + 1 + 6 + 8 + 2));
  EXPECT_EQ(run("EXEC"), arr({ok(), ok()}));
  EXPECT_EQ(field(client_lines(run("CLIENT INFO"))[0], "flags"), "e");
  EXPECT_EQ(run("CLIENT NO-EVICT OFF"), ok());
  EXPECT_EQ(field(client_lines(run("CLIENT INFO"))[0], "flags"), "N");
  EXPECT_EQ(run("CLIENT NO-EVICT maybe"), err("ERR syntax error"));
  // A watched key changed by someone else: dirty CAS, shown as 'd' after 'x'.
  EXPECT_EQ(run("WATCH k"), ok());
  EXPECT_EQ(run_as(other, "SET k v"), ok());
  EXPECT_EQ(run("MULTI"), ok());
  lines = client_lines(run_as(other, "CLIENT LIST ID " + std::to_string(session.id)));
  EXPECT_EQ(field(lines[0], "flags"), "xd");
  EXPECT_EQ(run("EXEC"), nil_array());
}

TEST_F(ClientTest, SetinfoStoresLibraryNameAndVersion) {
  EXPECT_EQ(run("CLIENT SETINFO LIB-NAME redis-py"), ok());
  EXPECT_EQ(run("CLIENT SETINFO lib-ver 5.0.1"), ok());
  EXPECT_EQ(session.lib_name, "redis-py");
  EXPECT_EQ(session.lib_ver, "5.0.1");
  std::string info = bulk_body(run("CLIENT INFO"));
  EXPECT_EQ(info.substr(info.size() - 39), "resp=2 lib-name=redis-py lib-ver=5.0.1\n");

  EXPECT_EQ(run("CLIENT SETINFO lib-foo x"), err("ERR Unrecognized option 'lib-foo'"));
  // The attribute is named as it was typed.
  EXPECT_EQ(run({"CLIENT", "SETINFO", "lib-name", "a b"}),
            err("ERR lib-name cannot contain spaces, newlines or special characters."));
  EXPECT_EQ(run({"CLIENT", "SETINFO", "LIB-VER", "1\n2"}),
            err("ERR LIB-VER cannot contain spaces, newlines or special characters."));
  EXPECT_EQ(session.lib_ver, "5.0.1");
  EXPECT_EQ(run({"CLIENT", "SETINFO", "lib-ver", ""}), ok());
  EXPECT_EQ(session.lib_ver, "");
  EXPECT_EQ(run("CLIENT SETINFO lib-name"),
            err("ERR wrong number of arguments for 'client|setinfo' command"));
}

TEST_F(ClientTest, KillByIdClosesTheOtherSession) {
  EXPECT_EQ(run({"CLIENT", "KILL", "ID", std::to_string(other.id)}), integer(1));
  EXPECT_TRUE(other.close_requested);
  EXPECT_EQ(other_sink.notices, 1);  // its connection is told, so it closes now
  EXPECT_FALSE(session.close_requested);
  // A killed client is gone: not listed, not killed twice.
  EXPECT_EQ(client_lines(run("CLIENT LIST")).size(), 1u);
  EXPECT_EQ(run({"CLIENT", "KILL", "ID", std::to_string(other.id)}), integer(0));
  EXPECT_EQ(run("CLIENT KILL ID 99999"), integer(0));
}

TEST_F(ClientTest, KillOldFormByAddress) {
  EXPECT_EQ(run("CLIENT KILL 127.0.0.1:50001"), ok());
  EXPECT_TRUE(other.close_requested);
  EXPECT_EQ(run("CLIENT KILL 127.0.0.1:50001"), err("ERR No such client"));
  EXPECT_EQ(run("CLIENT KILL ID"), err("ERR No such client"));  // "ID" read as an address
}

TEST_F(ClientTest, KillOldFormMayKillTheCallerAfterReplying) {
  EXPECT_EQ(run("CLIENT KILL 127.0.0.1:50000"), ok());
  EXPECT_TRUE(session.close_requested);
  EXPECT_FALSE(other.close_requested);
}

TEST_F(ClientTest, KillFiltersSkipTheCallerUnlessSkipmeNo) {
  core::Session third;
  attach(third);
  EXPECT_EQ(run("CLIENT KILL TYPE normal"), integer(2));
  EXPECT_TRUE(other.close_requested);
  EXPECT_TRUE(third.close_requested);
  EXPECT_FALSE(session.close_requested);
  EXPECT_EQ(run("CLIENT KILL TYPE normal SKIPME no"), integer(1));
  EXPECT_TRUE(session.close_requested);
  detach(third);
}

TEST_F(ClientTest, KillFiltersCombine) {
  EXPECT_EQ(run("CLIENT KILL ADDR 127.0.0.1:50001 LADDR 127.0.0.1:9"), integer(0));
  EXPECT_EQ(run("CLIENT KILL LADDR 127.0.0.1:6380 TYPE pubsub"), integer(0));
  EXPECT_EQ(run("CLIENT KILL USER default"), integer(1));
  EXPECT_TRUE(other.close_requested);
}

TEST_F(ClientTest, KillByLocalAddress) {
  EXPECT_EQ(run("CLIENT KILL LADDR 127.0.0.1:6380"), integer(1));
  EXPECT_TRUE(other.close_requested);
}

TEST_F(ClientTest, KillErrors) {
  const std::string bad_id = "ERR client-id should be greater than 0";
  EXPECT_EQ(run("CLIENT KILL ID abc"), err(bad_id));
  EXPECT_EQ(run("CLIENT KILL ID 0"), err(bad_id));
  EXPECT_EQ(run("CLIENT KILL ID -1"), err(bad_id));
  EXPECT_EQ(run("CLIENT KILL TYPE foo"), err("ERR Unknown client type 'foo'"));
  EXPECT_EQ(run("CLIENT KILL USER nobody"), err("ERR No such user 'nobody'"));
  EXPECT_EQ(run("CLIENT KILL TYPE normal SKIPME maybe"), err("ERR syntax error"));
  EXPECT_EQ(run("CLIENT KILL foo bar"), err("ERR syntax error"));
  EXPECT_EQ(run("CLIENT KILL ID 1 TYPE"), err("ERR syntax error"));
  EXPECT_EQ(run("CLIENT KILL"), err("ERR wrong number of arguments for 'client|kill' command"));
  EXPECT_FALSE(other.close_requested);  // a refused kill kills nobody
}

TEST_F(ClientTest, ReplyOffAndSkipSilenceReplies) {
  EXPECT_EQ(run("CLIENT REPLY OFF"), "");
  EXPECT_EQ(run("PING"), "");
  EXPECT_EQ(run("CLIENT REPLY SKIP"), "");  // under OFF, SKIP changes nothing
  EXPECT_EQ(run("PING"), "");
  EXPECT_EQ(run("CLIENT REPLY ON"), ok());
  EXPECT_EQ(run("PING"), simple("PONG"));
  EXPECT_EQ(run("CLIENT REPLY SKIP"), "");
  EXPECT_EQ(run("PING"), "");  // the one skipped reply
  EXPECT_EQ(run("PING"), simple("PONG"));
  // A skipped SKIP skips the command after it too; a skipped ON still answers.
  EXPECT_EQ(run("CLIENT REPLY SKIP"), "");
  EXPECT_EQ(run("CLIENT REPLY SKIP"), "");
  EXPECT_EQ(run("PING"), "");
  EXPECT_EQ(run("PING"), simple("PONG"));
  EXPECT_EQ(run("CLIENT REPLY SKIP"), "");
  EXPECT_EQ(run("CLIENT REPLY ON"), ok());
  EXPECT_EQ(run("PING"), simple("PONG"));
  EXPECT_EQ(run("CLIENT REPLY maybe"), err("ERR syntax error"));
  // Commands still run while their replies are dropped.
  EXPECT_EQ(run("CLIENT REPLY OFF"), "");
  EXPECT_EQ(run("SET k v"), "");
  EXPECT_EQ(run("CLIENT REPLY ON"), ok());
  EXPECT_EQ(run("GET k"), bulk("v"));
}

TEST_F(ClientTest, GetredirHelpAndUnknownSubcommands) {
  EXPECT_EQ(run("CLIENT GETREDIR"), integer(-1));
  std::string help = run("CLIENT HELP");
  // Redis 7.0's 48 lines plus 7.2's four for SETINFO.
  EXPECT_EQ(help.substr(0, 71),
            "*52\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
  EXPECT_NE(help.find("+SETINFO <option> <value>\r\n+    Set client meta attr. Options are:\r\n"),
            std::string::npos);
  EXPECT_EQ(help.substr(help.size() - 31), "+HELP\r\n+    Prints this help.\r\n");
  EXPECT_EQ(run("CLIENT MAINT_NOTIFICATIONS on"),
            err("ERR unknown subcommand 'MAINT_NOTIFICATIONS'. Try CLIENT HELP."));
  EXPECT_EQ(run("client foo"), err("ERR unknown subcommand 'foo'. Try CLIENT HELP."));
  EXPECT_EQ(run("CLIENT"), err("ERR wrong number of arguments for 'client' command"));
}

}  // namespace
}  // namespace rill::test
