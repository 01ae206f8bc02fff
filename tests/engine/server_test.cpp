// INFO, CONFIG, SHUTDOWN, LASTSAVE and ROLE through the engine. Section names, field names
// and error texts are checked against Redis 7.0; measured values only for their shape and
// for moving the way the server's state moved.
#include <unistd.h>

#include <regex>

#include "support/engine_harness.h"

namespace rill::test {
namespace {

class ServerTest : public EngineTest {
 protected:
  // The text of an INFO reply (RESP2 bulk).
  std::string info(std::string_view args = "") {
    std::string reply = run(args.empty() ? std::string("INFO") : "INFO " + std::string(args));
    size_t start = reply.find("\r\n") + 2;
    EXPECT_EQ(reply[0], '$');
    return reply.substr(start, reply.size() - start - 2);
  }
  // The value of `field` in INFO's text, or "<missing>".
  static std::string value(const std::string& text, std::string_view field) {
    std::string key = "\r\n" + std::string(field) + ":";
    size_t at = ("\r\n" + text).find(key);
    if (at == std::string::npos) return "<missing>";
    size_t start = at + key.size() - 2;
    return text.substr(start, text.find("\r\n", start) - start);
  }
  int64_t number(std::string_view section, std::string_view field) {
    return std::stoll(value(info(section), field));
  }
  static std::vector<std::string> headers(const std::string& text) {
    std::vector<std::string> out;
    std::regex header("# ([A-Za-z]+)\r\n");
    for (std::sregex_iterator it(text.begin(), text.end(), header), end; it != end; ++it) {
      out.push_back((*it)[1]);
    }
    return out;
  }
};

const std::vector<std::string> kDefaultSections = {
    "Server", "Clients", "Memory",  "Persistence", "Stats",  "Replication",
    "CPU",    "Modules", "Errorstats", "Cluster",  "Keyspace"};

TEST_F(ServerTest, InfoDefaultSectionsInRedisOrder) {
  EXPECT_EQ(headers(info()), kDefaultSections);
  EXPECT_EQ(headers(info("default")), kDefaultSections);
  std::vector<std::string> all = kDefaultSections;
  all.insert(all.begin() + 8, "Commandstats");
  EXPECT_EQ(headers(info("all")), all);
  EXPECT_EQ(headers(info("EVERYTHING")), all);
}

TEST_F(ServerTest, InfoSectionsComeInFixedOrderWhateverTheAsk) {
  std::string text = info("KEYSPACE server");
  EXPECT_EQ(headers(text), (std::vector<std::string>{"Server", "Keyspace"}));
  // Sections are separated by one blank line, and every line ends in CRLF.
  EXPECT_NE(text.find("io_threads_active:0\r\n\r\n# Keyspace\r\n"), std::string::npos);
  EXPECT_EQ(headers(info("commandstats default")).size(), kDefaultSections.size() + 1);
  EXPECT_EQ(run("INFO foo"), bulk(""));
  EXPECT_EQ(run("INFO foo bar"), bulk(""));
}

TEST_F(ServerTest, InfoKeyspaceCountsKeysAndTtls) {
  EXPECT_EQ(run("INFO keyspace"), bulk("# Keyspace\r\n"));
  run("SET a 1");
  run("SET b 2 EX 100");
  run("SELECT 2");
  run("SET c 3");
  EXPECT_EQ(run("INFO keyspace"),
            bulk("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb2:keys=1,expires=0,avg_ttl=0\r\n"));
}

TEST_F(ServerTest, InfoIsVerbatimInResp3) {
  run("HELLO 3");
  EXPECT_EQ(run("INFO keyspace"), "=16\r\ntxt:# Keyspace\r\n\r\n");
}

TEST_F(ServerTest, InfoServerFields) {
  std::string s = info("server");
  EXPECT_EQ(value(s, "redis_version"), "7.0.15");
  EXPECT_EQ(value(s, "rill_version"), "0.1.0");
  EXPECT_EQ(value(s, "redis_mode"), "standalone");
  EXPECT_EQ(value(s, "arch_bits"), std::to_string(sizeof(void*) * 8));
  EXPECT_EQ(value(s, "process_id"), std::to_string(getpid()));
  EXPECT_EQ(value(s, "run_id"), engine.run_id());
  EXPECT_TRUE(std::regex_match(value(s, "run_id"), std::regex("[0-9a-f]{40}")));
  EXPECT_EQ(value(s, "tcp_port"), "0");  // the harness's config
  EXPECT_EQ(value(s, "hz"), "10");
  EXPECT_EQ(value(s, "uptime_in_seconds"), "0");
  engine.advance_clock_for_tests(2 * 86400 * 1000 + 5000);
  s = info("server");
  EXPECT_EQ(value(s, "uptime_in_seconds"), std::to_string(2 * 86400 + 5));
  EXPECT_EQ(value(s, "uptime_in_days"), "2");
  EXPECT_TRUE(std::regex_match(value(s, "server_time_usec"), std::regex("[0-9]{16}")));
  EXPECT_NE(value(s, "executable"), "");
}

TEST_F(ServerTest, InfoClientsCountsAttachedSessions) {
  EXPECT_EQ(number("clients", "connected_clients"), 1);
  core::Session other;
  attach(other);
  EXPECT_EQ(number("clients", "connected_clients"), 2);
  EXPECT_EQ(number("clients", "maxclients"), 10000);
  detach(other);
  EXPECT_EQ(number("clients", "connected_clients"), 1);
}

TEST_F(ServerTest, InfoStatsFollowCommands) {
  run("SET k v");
  run("GET k");
  run("GET nope");
  run("INCR k");  // an error reply
  std::string s = info("stats");
  EXPECT_EQ(value(s, "keyspace_hits"), "1");
  EXPECT_EQ(value(s, "keyspace_misses"), "1");
  EXPECT_EQ(value(s, "total_commands_processed"), "4");  // INFO counts once it has run
  EXPECT_EQ(value(s, "total_error_replies"), "1");
  EXPECT_EQ(value(s, "instantaneous_ops_per_sec"), "0");
  EXPECT_EQ(value(s, "instantaneous_input_kbps"), "0.00");
  run("SET t v PX 10");
  engine.advance_clock_for_tests(20);
  run("GET t");
  EXPECT_EQ(number("stats", "expired_keys"), 1);
  // The two SETs; neither the failed INCR nor the expiry is a change, as in Redis.
  EXPECT_EQ(number("persistence", "rdb_changes_since_last_save"), 2);
}

TEST_F(ServerTest, InstantaneousOpsComeFromCronSamples) {
  engine.cron();  // first sample: a baseline
  for (int i = 0; i < 100; ++i) run("PING");
  engine.advance_clock_for_tests(1000);
  engine.cron();  // 100 commands in a second, averaged over 16 sample slots
  EXPECT_EQ(number("stats", "instantaneous_ops_per_sec"), 100 / 16);
}

TEST_F(ServerTest, InfoMemoryMeasuresAllocations) {
  std::string before = info("memory");
  const int64_t used = std::stoll(value(before, "used_memory"));
  EXPECT_GT(used, 0);
  EXPECT_GT(std::stoll(value(before, "used_memory_rss")), 0);
  EXPECT_GE(std::stoll(value(before, "used_memory_peak")), used);
  EXPECT_TRUE(std::regex_match(value(before, "used_memory_human"),
                               std::regex("[0-9]+B|[0-9]+\\.[0-9]{2}[KMGTP]")));
  EXPECT_TRUE(std::regex_match(value(before, "mem_fragmentation_ratio"),
                               std::regex("[0-9]+\\.[0-9]{2}")));
  EXPECT_EQ(value(before, "maxmemory"), "0");
  EXPECT_EQ(value(before, "maxmemory_human"), "0B");
  EXPECT_EQ(value(before, "maxmemory_policy"), "noeviction");
  // 2000 values of 1 KiB each must show up as at least 2 MB more in use.
  std::string big(1024, 'x');
  for (int i = 0; i < 2000; ++i) run({"SET", "key:" + std::to_string(i), big});
  EXPECT_GT(number("memory", "used_memory"), used + 2000 * 1024);
  EXPECT_EQ(run("CONFIG SET maxmemory 10mb"), ok());
  std::string after = info("memory");
  EXPECT_EQ(value(after, "maxmemory"), "10485760");
  EXPECT_EQ(value(after, "maxmemory_human"), "10.00M");
}

TEST_F(ServerTest, InfoPersistenceAndReplicationSayWhatIsThere) {
  std::string p = info("persistence");
  EXPECT_EQ(value(p, "loading"), "0");
  EXPECT_EQ(value(p, "rdb_bgsave_in_progress"), "0");
  EXPECT_EQ(value(p, "rdb_last_save_time"), std::to_string(engine.stats().start_ms / 1000));
  EXPECT_EQ(value(p, "aof_enabled"), "0");
  std::string r = info("replication");
  EXPECT_EQ(value(r, "role"), "master");
  EXPECT_EQ(value(r, "connected_slaves"), "0");
  EXPECT_EQ(value(r, "master_repl_offset"), "0");
  EXPECT_EQ(value(r, "master_replid").size(), 40u);
  EXPECT_TRUE(std::regex_match(value(info("cpu"), "used_cpu_user"),
                               std::regex("[0-9]+\\.[0-9]{6}")));
  EXPECT_EQ(value(info("cluster"), "cluster_enabled"), "0");
}

TEST_F(ServerTest, InfoCommandstatsCountsCallsFailuresAndRejections) {
  run("SET k v");
  run("INCR k");                  // runs and fails
  run("GET");                     // refused before running: wrong arity
  run("CLIENT ID");
  std::string s = info("commandstats");
  EXPECT_TRUE(std::regex_match(
      value(s, "cmdstat_set"),
      std::regex("calls=1,usec=[0-9]+,usec_per_call=[0-9]+\\.[0-9]{2},rejected_calls=0,"
                 "failed_calls=0")));
  EXPECT_NE(value(s, "cmdstat_incr").find(",rejected_calls=0,failed_calls=1"), std::string::npos);
  EXPECT_TRUE(value(s, "cmdstat_get").starts_with("calls=0,usec=0,usec_per_call=0.00,"));
  EXPECT_NE(value(s, "cmdstat_get").find("rejected_calls=1,failed_calls=0"), std::string::npos);
  EXPECT_TRUE(value(s, "cmdstat_client|id").starts_with("calls=1,"));
  EXPECT_EQ(value(s, "cmdstat_del"), "<missing>");  // never called: not listed
}

TEST_F(ServerTest, InfoErrorstatsCountsErrorsByCode) {
  run("FOO");                    // ERR, refused before running
  run("SET k v");
  run("LPUSH k x");              // WRONGTYPE from a handler
  run("INCR k");                 // ERR from a handler
  run("XREADGROUP GROUP g c STREAMS s >");  // NOGROUP
  run("MULTI");
  run("FOO");
  run("EXEC");                   // ERR for FOO, then EXECABORT
  const std::string s = info("errorstats");
  EXPECT_EQ(value(s, "errorstat_ERR"), "count=3");
  EXPECT_EQ(value(s, "errorstat_WRONGTYPE"), "count=1");
  EXPECT_EQ(value(s, "errorstat_NOGROUP"), "count=1");
  EXPECT_EQ(value(s, "errorstat_EXECABORT"), "count=1");
  EXPECT_EQ(number("stats", "total_error_replies"), 6);
  run("CONFIG RESETSTAT");
  EXPECT_EQ(value(info("errorstats"), "errorstat_ERR"), "<missing>");
}

// A blocking command is one call however many times it waits, counted when it is answered.
TEST_F(ServerTest, ABlockedCommandCountsOneCallWhenAnswered) {
  core::Session reader;
  attach(reader);
  run("XGROUP CREATE s g $ MKSTREAM");
  run_as(reader, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
  run("XADD s 1-0 f v");  // serves it
  run_as(reader, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
  run("XGROUP DESTROY s g");  // answers NOGROUP: a failed call
  run_as(reader, "BLPOP q 0");
  run(std::string("CLIENT UNBLOCK ") + std::to_string(reader.id) + " ERROR");
  take(reader);
  const std::string s = info("commandstats");
  EXPECT_TRUE(value(s, "cmdstat_xreadgroup").starts_with("calls=2,"));
  EXPECT_TRUE(value(s, "cmdstat_xreadgroup").ends_with(",rejected_calls=0,failed_calls=1"));
  EXPECT_TRUE(value(s, "cmdstat_blpop").starts_with("calls=1,"));
  EXPECT_TRUE(value(s, "cmdstat_blpop").ends_with(",failed_calls=1"));
  EXPECT_EQ(value(info("errorstats"), "errorstat_UNBLOCKED"), "count=1");
  detach(reader);
}

TEST_F(ServerTest, SwapdbTradesContentsAndWakesBlockedClients) {
  run("SET a 0");
  run("SELECT 1");
  run("RPUSH q x y");
  EXPECT_EQ(run("SWAPDB 0 1"), ok());
  EXPECT_EQ(run("LRANGE q 0 -1"), arr({}));  // db 1 now holds what db 0 held

  EXPECT_EQ(run("GET a"), bulk("0"));
  run("SELECT 0");
  EXPECT_EQ(run("LRANGE q 0 -1"), bulks({"x", "y"}));
  // A client blocked on a key of one database is served when a swap brings the key in.
  core::Session waiter;
  attach(waiter);
  run_as(waiter, "SELECT 1");
  EXPECT_EQ(run_as(waiter, "BLPOP q 0"), "");
  EXPECT_EQ(run("SWAPDB 1 0"), ok());
  EXPECT_EQ(take(waiter), bulks({"q", "x"}));
  EXPECT_EQ(run("SWAPDB 0 0"), ok());
  EXPECT_EQ(run("SWAPDB a 1"), err("ERR invalid first DB index"));
  EXPECT_EQ(run("SWAPDB 99 a"), err("ERR invalid second DB index"));
  EXPECT_EQ(run("SWAPDB 1 16"), err("ERR DB index is out of range"));
  EXPECT_EQ(run("SWAPDB -1 2"), err("ERR DB index is out of range"));
  detach(waiter);
}

TEST_F(ServerTest, ConfigGetAnswersPairs) {
  EXPECT_EQ(run("CONFIG GET save"), bulks({"save", "3600 1 300 100 60 10000"}));
  EXPECT_EQ(run("CONFIG GET appendonly"), bulks({"appendonly", "no"}));
  EXPECT_EQ(run("CONFIG GET databases"), bulks({"databases", "16"}));
  // A plain name answers under the spelling asked; each parameter once.
  EXPECT_EQ(run("CONFIG GET SAVE"), bulks({"SAVE", "3600 1 300 100 60 10000"}));
  EXPECT_EQ(run("CONFIG GET [h]z HZ"), bulks({"hz", "10"}));
  EXPECT_EQ(run("CONFIG GET hz hz"), bulks({"hz", "10"}));
  EXPECT_EQ(run("CONFIG GET nonexistent"), arr({}));
  EXPECT_EQ(run("CONFIG GET"), err("ERR wrong number of arguments for 'config|get' command"));
  run("HELLO 3");
  EXPECT_EQ(run("CONFIG GET appendonly"), "%1\r\n" + bulk("appendonly") + bulk("no"));
}

TEST_F(ServerTest, ConfigGetGlobPatterns) {
  EXPECT_EQ(run("CONFIG GET maxmemory*"),
            bulks({"maxmemory", "0", "maxmemory-policy", "noeviction"}));
  EXPECT_EQ(run("CONFIG GET MAXMEMORY-P*"), bulks({"maxmemory-policy", "noeviction"}));
  EXPECT_EQ(run("CONFIG GET h?"), bulks({"hz", "10"}));
  EXPECT_EQ(run("CONFIG GET stream-node-max-*"),
            bulks({"stream-node-max-bytes", "4096", "stream-node-max-entries", "100"}));
  // Everything, and no parameter twice however many patterns match it.
  std::string all = run("CONFIG GET *");
  std::string twice = run("CONFIG GET * h*");
  EXPECT_EQ(all, twice);
  EXPECT_EQ(all.substr(0, all.find("\r\n")), "*" + std::to_string(2 * core::config_params().size()));
}

TEST_F(ServerTest, ConfigSetRoundTrips) {
  EXPECT_EQ(run("CONFIG SET hz 20"), ok());
  EXPECT_EQ(run("CONFIG GET hz"), bulks({"hz", "20"}));
  EXPECT_EQ(run("CONFIG SET maxmemory 10mb maxmemory-policy ALLKEYS-LRU"), ok());
  EXPECT_EQ(run("CONFIG GET maxmemory*"),
            bulks({"maxmemory", "10485760", "maxmemory-policy", "allkeys-lru"}));
  EXPECT_EQ(engine.config().maxmemory, 10485760);
  EXPECT_EQ(run("CONFIG SET HZ 30"), ok());
  EXPECT_EQ(engine.config().hz, 30);
  EXPECT_EQ(run({"CONFIG", "SET", "save", ""}), ok());
  EXPECT_EQ(run("CONFIG GET save"), bulks({"save", ""}));
  // hz runs between 1 and 500, as Redis bounds it.
  EXPECT_EQ(run("CONFIG SET hz 0"), ok());
  EXPECT_EQ(run("CONFIG GET hz"), bulks({"hz", "1"}));
  EXPECT_EQ(run("CONFIG SET hz 1000"), ok());
  EXPECT_EQ(run("CONFIG GET hz"), bulks({"hz", "500"}));
}

TEST_F(ServerTest, ConfigSetErrorsAsRedis) {
  EXPECT_EQ(run("CONFIG SET foo bar"),
            err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"));
  EXPECT_EQ(run("CONFIG SET maxmemory abc"),
            err("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument "
                "must be a memory value"));
  EXPECT_EQ(run("CONFIG SET HZ abc"),
            err("ERR CONFIG SET failed (possibly related to argument 'HZ') - argument couldn't "
                "be parsed into an integer"));
  EXPECT_EQ(run("CONFIG SET hz -1"),
            err("ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be "
                "between 0 and 2147483647 inclusive"));
  EXPECT_EQ(run("CONFIG SET databases 5"),
            err("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set "
                "immutable config"));
  EXPECT_EQ(run("CONFIG SET appendonly maybe"),
            err("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument "
                "must be 'yes' or 'no'"));
  EXPECT_EQ(run("CONFIG SET hz 10 hz 20"),
            err("ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate "
                "parameter"));
  EXPECT_EQ(run("CONFIG SET hz 10 maxmemory"), err("ERR syntax error"));
  EXPECT_EQ(run("CONFIG SET hz"), err("ERR wrong number of arguments for 'config|set' command"));
  // The first problem in argument order is the one reported.
  EXPECT_EQ(run("CONFIG SET databases 5 foo 1"),
            err("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set "
                "immutable config"));
  EXPECT_EQ(run("CONFIG SET foo 1 databases 5"),
            err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"));
}

TEST_F(ServerTest, ConfigSetIsAllOrNothing) {
  EXPECT_EQ(run("CONFIG SET hz 15 foo 1"),
            err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"));
  EXPECT_EQ(run("CONFIG SET hz 16 maxmemory abc").substr(0, 20), "-ERR CONFIG SET fail");
  EXPECT_EQ(run("CONFIG GET hz"), bulks({"hz", "10"}));
  EXPECT_EQ(run("CONFIG GET maxmemory"), bulks({"maxmemory", "0"}));
}

TEST_F(ServerTest, ConfigResetstatZeroesCounters) {
  run("SET k v");
  run("GET k");
  run("GET nope");
  run("INCR k");
  EXPECT_EQ(run("CONFIG RESETSTAT"), ok());
  std::string s = info("stats");
  // Only RESETSTAT itself has been counted since (INFO counts once it has run), as in Redis.
  EXPECT_EQ(value(s, "total_commands_processed"), "1");
  EXPECT_EQ(value(s, "keyspace_hits"), "0");
  EXPECT_EQ(value(s, "keyspace_misses"), "0");
  EXPECT_EQ(value(s, "total_error_replies"), "0");
  std::string cs = info("commandstats");
  EXPECT_EQ(value(cs, "cmdstat_set"), "<missing>");
  EXPECT_TRUE(value(cs, "cmdstat_config|resetstat").starts_with("calls=1,"));
  EXPECT_TRUE(value(cs, "cmdstat_info").starts_with("calls=1,"));
  // Not statistics: the unsaved-change count and the start time stay.
  EXPECT_EQ(number("persistence", "rdb_changes_since_last_save"), 1);
  EXPECT_EQ(run("CONFIG RESETSTAT x"),
            err("ERR wrong number of arguments for 'config|resetstat' command"));
}

TEST_F(ServerTest, ConfigRewriteHelpAndUnknown) {
  EXPECT_EQ(run("CONFIG REWRITE"), err("ERR The server is running without a config file"));
  std::string help = run("CONFIG HELP");
  EXPECT_EQ(help.substr(0, 71),
            "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
  EXPECT_NE(help.find("+RESETSTAT\r\n+    Reset statistics reported by the INFO command.\r\n"),
            std::string::npos);
  EXPECT_EQ(run("CONFIG foo"), err("ERR unknown subcommand 'foo'. Try CONFIG HELP."));
  EXPECT_EQ(run("CONFIG"), err("ERR wrong number of arguments for 'config' command"));
}

TEST_F(ServerTest, ShutdownAsksTheEngineToStopWithoutReplying) {
  EXPECT_EQ(run("SHUTDOWN ABORT"), err("ERR No shutdown in progress."));
  EXPECT_EQ(run("SHUTDOWN foo"), err("ERR syntax error"));
  EXPECT_EQ(run("SHUTDOWN NOSAVE SAVE"), err("ERR syntax error"));
  EXPECT_EQ(run("SHUTDOWN NOW ABORT"), err("ERR syntax error"));
  EXPECT_EQ(run("MULTI"), ok());
  EXPECT_EQ(run("SHUTDOWN"), err("ERR Command not allowed inside a transaction"));
  EXPECT_EQ(run("DISCARD"), ok());
  EXPECT_FALSE(engine.shutdown_requested());
  EXPECT_EQ(run("SHUTDOWN NOSAVE NOW FORCE"), "");
  EXPECT_TRUE(engine.shutdown_requested());
}

TEST_F(ServerTest, LastsaveAndRole) {
  EXPECT_EQ(run("LASTSAVE"), integer(engine.stats().start_ms / 1000));
  EXPECT_EQ(run("ROLE"), arr({bulk("master"), integer(0), arr({})}));
  EXPECT_EQ(run("ROLE x"), err("ERR wrong number of arguments for 'role' command"));
}

}  // namespace
}  // namespace rill::test
