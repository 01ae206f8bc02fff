// Lists and pub/sub through hiredis (Debian's libhiredis, the C client), the same scenarios
// as tests/clients/{python,node}/lists_pubsub.*: a pool of worker threads blocked in BRPOP
// shares a producer's jobs (each processed exactly once, in queue order), and one publisher
// fans out to several subscribers, one of them by pattern, until they unsubscribe.
//
// Each test starts its own rill-server. With RILL_CLIENTS_PORT=<port> set they run against
// the server already listening there instead (real Redis, to check the tests themselves).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/server_process.h"

namespace rill::test {
namespace {

using Words = std::vector<std::string>;

constexpr int kWaitSeconds = 5;  // the longest any single wait or blocking command may take

// A reply as words, to compare with EXPECT_EQ: integers as ":n", nil as "(nil)", an array's
// elements one per word (one level deep, which pub/sub messages and BRPOP replies are).
Words words(const redisReply* r) {
  if (!r) return {"(no reply)"};
  auto word = [](const redisReply* e) -> std::string {
    switch (e->type) {
      case REDIS_REPLY_INTEGER: return ":" + std::to_string(e->integer);
      case REDIS_REPLY_NIL: return "(nil)";
      case REDIS_REPLY_ARRAY: return "(array)";
      case REDIS_REPLY_ERROR: return "(error) " + std::string(e->str, e->len);
      default: return std::string(e->str, e->len);
    }
  };
  if (r->type != REDIS_REPLY_ARRAY) return {word(r)};
  Words out;
  for (size_t i = 0; i < r->elements; ++i) out.push_back(word(r->element[i]));
  return out;
}

Words next_reply(redisContext* c) {
  void* reply = nullptr;
  if (redisGetReply(c, &reply) != REDIS_OK) return {std::string("(no reply) ") + c->errstr};
  return words(HiredisReply(static_cast<redisReply*>(reply)).get());
}

Words call(redisContext* c, const Words& argv) { return words(command(c, argv).get()); }

// Queues a command without reading its reply: SUBSCRIBE answers with one message per channel.
void send(redisContext* c, const Words& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  redisAppendCommandArgv(c, static_cast<int>(argv.size()), ptrs.data(), lens.data());
}

class ClientHiredis : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* port = std::getenv("RILL_CLIENTS_PORT")) {
      port_ = std::atoi(port);
      return;
    }
    server_.emplace();
    ASSERT_TRUE(server_->started()) << server_->failure();
    port_ = server_->port();
  }

  // A connection whose reads time out a little after the server's own blocking timeouts.
  Hiredis connect(const std::string& name = "") const {
    Hiredis c(redisConnectWithTimeout("127.0.0.1", port_, timeval{kWaitSeconds, 0}));
    if (!c || c->err) return nullptr;
    redisSetTimeout(c.get(), timeval{kWaitSeconds * 2, 0});
    if (!name.empty()) command(c.get(), {"CLIENT", "SETNAME", name});
    return c;
  }

  // Waits until every connection named in `names` is blocked in `cmd`; false after the
  // timeout, with the last CLIENT LIST in `last`.
  static bool wait_blocked(redisContext* c, const Words& names, const std::string& cmd,
                           std::string& last) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kWaitSeconds);
    while (std::chrono::steady_clock::now() < deadline) {
      HiredisReply list = command(c, {"CLIENT", "LIST"});
      if (!list || list->type != REDIS_REPLY_STRING) return false;
      last.assign(list->str, list->len);
      std::set<std::string> blocked;
      std::istringstream lines(last);
      for (std::string line; std::getline(lines, line);) {
        std::string name, flags, current;
        std::istringstream fields(line);
        for (std::string field; fields >> field;) {
          if (field.rfind("name=", 0) == 0) name = field.substr(5);
          if (field.rfind("flags=", 0) == 0) flags = field.substr(6);
          if (field.rfind("cmd=", 0) == 0) current = field.substr(4);
        }
        if (flags.find('b') != std::string::npos && current == cmd) blocked.insert(name);
      }
      if (std::all_of(names.begin(), names.end(), [&](auto& n) { return blocked.count(n); })) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  std::optional<ServerProcess> server_;
  int port_ = 0;
};

struct WorkerLog {
  std::vector<int> jobs;
  std::string error;
};

TEST_F(ClientHiredis, BrpopWorkerPoolProcessesEveryJobOnceInQueueOrder) {
  constexpr int kWorkers = 4;
  constexpr int kJobs = 200;
  constexpr int kBatch = 10;  // jobs per LPUSH
  const std::string queue = "c:queue", total = "c:processed", sentinel = "stop";
  Hiredis producer = connect();
  ASSERT_TRUE(producer);
  call(producer.get(), {"DEL", queue, total});

  std::vector<WorkerLog> logs(kWorkers);
  Words names;
  for (int i = 0; i < kWorkers; ++i) names.push_back("c-w" + std::to_string(i));
  {
    std::vector<std::jthread> workers;  // joined at the end of this block, even on failure
    for (int i = 0; i < kWorkers; ++i) {
      workers.emplace_back([&, i] {
        WorkerLog& log = logs[i];
        Hiredis c = connect(names[i]);
        if (!c) {
          log.error = "cannot connect";
          return;
        }
        while (true) {
          Words reply = call(c.get(), {"BRPOP", queue, std::to_string(kWaitSeconds)});
          if (reply.size() != 2 || reply[0] != queue) {
            log.error = "BRPOP replied " + ::testing::PrintToString(reply);
            return;
          }
          if (reply[1] == sentinel) return;
          call(c.get(), {"INCRBY", total, reply[1]});  // the work: a side effect to check
          log.jobs.push_back(std::stoi(reply[1]));
        }
      });
    }
    std::string clients;
    ASSERT_TRUE(wait_blocked(producer.get(), names, "brpop", clients)) << clients;

    for (int batch = 0; batch < kJobs; batch += kBatch) {
      Words push{"LPUSH", queue};
      for (int i = batch; i < batch + kBatch; ++i) push.push_back(std::to_string(i));
      Words length = call(producer.get(), push);
      // The reply is the length right after the push; the blocked workers are served after
      // the command, one job each.
      if (batch == 0) {
        EXPECT_EQ(length, Words{":" + std::to_string(kBatch)});
      }
    }
    // LPUSH + BRPOP is a FIFO: the sentinels come out after every job, one per worker.
    Words stop{"LPUSH", queue};
    stop.insert(stop.end(), kWorkers, sentinel);
    call(producer.get(), stop);
  }

  std::vector<int> processed;
  for (int i = 0; i < kWorkers; ++i) {
    const WorkerLog& log = logs[i];
    EXPECT_EQ(log.error, "") << names[i];
    EXPECT_FALSE(log.jobs.empty()) << names[i] << " was blocked when the first jobs came";
    EXPECT_TRUE(std::is_sorted(log.jobs.begin(), log.jobs.end()))
        << names[i] << " took jobs out of queue order: " << ::testing::PrintToString(log.jobs);
    processed.insert(processed.end(), log.jobs.begin(), log.jobs.end());
  }
  std::sort(processed.begin(), processed.end());
  std::vector<int> all(kJobs);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(processed, all) << "every job exactly once";
  EXPECT_EQ(call(producer.get(), {"GET", total}), Words{std::to_string(kJobs * (kJobs - 1) / 2)});
  EXPECT_EQ(call(producer.get(), {"EXISTS", queue}), Words{":0"});
}

TEST_F(ClientHiredis, PubSubFanOutReachesEverySubscriberInOrderUntilUnsubscribed) {
  const std::string news = "c:news", sports = "c:sports", pattern = "c:n*";
  Hiredis publisher = connect(), reader = connect(), fan = connect(), watcher = connect();
  ASSERT_TRUE(publisher && reader && fan && watcher);
  redisContext* p = publisher.get();

  send(reader.get(), {"SUBSCRIBE", news});
  send(fan.get(), {"SUBSCRIBE", news, sports});
  send(watcher.get(), {"PSUBSCRIBE", pattern});
  // The confirmations are the handshake: once read, the server has registered them.
  EXPECT_EQ(next_reply(reader.get()), (Words{"subscribe", news, ":1"}));
  EXPECT_EQ(next_reply(fan.get()), (Words{"subscribe", news, ":1"}));
  EXPECT_EQ(next_reply(fan.get()), (Words{"subscribe", sports, ":2"}));
  EXPECT_EQ(next_reply(watcher.get()), (Words{"psubscribe", pattern, ":1"}));
  EXPECT_EQ(call(p, {"PUBSUB", "NUMSUB", news, sports}), (Words{news, ":2", sports, ":1"}));
  EXPECT_EQ(call(p, {"PUBSUB", "NUMPAT"}), Words{":1"});

  std::vector<Words> want_reader, want_fan, want_watcher;
  for (int i = 0; i < 50; ++i) {
    const std::string n = "n" + std::to_string(i);
    ASSERT_EQ(call(p, {"PUBLISH", news, n}), Words{":3"}) << "two subscribers and one pattern";
    want_reader.push_back({"message", news, n});
    want_fan.push_back({"message", news, n});
    want_watcher.push_back({"pmessage", pattern, news, n});
    if (i % 10 == 0) {
      const std::string s = "s" + std::to_string(i);
      ASSERT_EQ(call(p, {"PUBLISH", sports, s}), Words{":1"}) << "the pattern does not match";
      want_fan.push_back({"message", sports, s});
    }
  }
  EXPECT_EQ(call(p, {"PUBLISH", "c:weather", "nobody"}), Words{":0"});
  auto take = [](redisContext* c, size_t n) {
    std::vector<Words> got;
    while (got.size() < n) got.push_back(next_reply(c));
    return got;
  };
  EXPECT_EQ(take(reader.get(), want_reader.size()), want_reader);
  EXPECT_EQ(take(fan.get(), want_fan.size()), want_fan);
  EXPECT_EQ(take(watcher.get(), want_watcher.size()), want_watcher);

  // An unsubscribed channel stops arriving: the fan's next message is the sports marker.
  send(fan.get(), {"UNSUBSCRIBE", news});
  EXPECT_EQ(next_reply(fan.get()), (Words{"unsubscribe", news, ":1"}));
  EXPECT_EQ(call(p, {"PUBSUB", "NUMSUB", news}), (Words{news, ":1"}));
  EXPECT_EQ(call(p, {"PUBLISH", news, "after"}), Words{":2"});
  EXPECT_EQ(call(p, {"PUBLISH", sports, "marker"}), Words{":1"});
  EXPECT_EQ(next_reply(fan.get()), (Words{"message", sports, "marker"}));
  EXPECT_EQ(next_reply(reader.get()), (Words{"message", news, "after"}));
  EXPECT_EQ(next_reply(watcher.get()), (Words{"pmessage", pattern, news, "after"}));

  send(watcher.get(), {"PUNSUBSCRIBE", pattern});
  EXPECT_EQ(next_reply(watcher.get()), (Words{"punsubscribe", pattern, ":0"}));
  EXPECT_EQ(call(p, {"PUBSUB", "NUMPAT"}), Words{":0"});
  EXPECT_EQ(call(p, {"PUBLISH", news, "last"}), Words{":1"});
  // Out of pub/sub mode, the watcher's connection answers commands again, and no pmessage
  // for "last" is queued ahead of the reply.
  EXPECT_EQ(call(watcher.get(), {"PING"}), Words{"PONG"});

  send(reader.get(), {"UNSUBSCRIBE"});
  EXPECT_EQ(next_reply(reader.get()), (Words{"message", news, "last"}));
  EXPECT_EQ(next_reply(reader.get()), (Words{"unsubscribe", news, ":0"}));
  EXPECT_EQ(call(p, {"PUBSUB", "NUMSUB", news}), (Words{news, ":0"}));
  EXPECT_EQ(call(p, {"PUBSUB", "CHANNELS", "c:*"}), Words{sports});
}

}  // namespace
}  // namespace rill::test
