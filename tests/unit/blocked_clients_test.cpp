// The blocked-clients bookkeeping: queues per key in arrival order, re-parking in place,
// deadlines, and complete removal.
#include <gtest/gtest.h>

#include "blocking/blocked_clients.h"
#include "core/session.h"

namespace rill::blocking {
namespace {

Waiter waiter(core::Session* s, std::vector<std::string> keys, int64_t deadline = 0) {
  Waiter w;
  w.session = s;
  w.db = 0;
  w.argv = {"BLPOP"};
  w.keys = std::move(keys);
  w.deadline_ms = deadline;
  w.on_timeout = TimeoutReply::kNullArray;
  w.seq = 0;
  return w;
}

TEST(BlockedClients, WaitersOfAKeyComeInArrivalOrder) {
  BlockedClients b;
  core::Session s1, s2, s3;
  b.block(waiter(&s2, {"k"}));
  b.block(waiter(&s1, {"k", "other"}));
  b.block(waiter(&s3, {"other"}));
  EXPECT_EQ(b.waiters_of(0, "k"), (std::vector<core::Session*>{&s2, &s1}));
  EXPECT_EQ(b.waiters_of(0, "other"), (std::vector<core::Session*>{&s1, &s3}));
  EXPECT_TRUE(b.waiters_of(1, "k").empty());  // another database
  EXPECT_EQ(b.count(), 3u);
}

TEST(BlockedClients, ReparkingKeepsPlaceAndDeadline) {
  BlockedClients b;
  core::Session s1, s2;
  b.block(waiter(&s1, {"k"}, 100));
  b.block(waiter(&s2, {"k"}, 50));
  Waiter again = waiter(&s1, {"k"}, 999);
  again.argv = {"XREAD", "rewritten"};
  b.block(std::move(again));
  EXPECT_EQ(b.waiters_of(0, "k"), (std::vector<core::Session*>{&s1, &s2}));
  EXPECT_EQ(b.find(&s1)->deadline_ms, 100);
  EXPECT_EQ(b.find(&s1)->argv, (std::vector<std::string>{"XREAD", "rewritten"}));
  EXPECT_EQ(b.next_deadline(), 50);
}

TEST(BlockedClients, ReadySignalsOnlyForWaitedKeysAndOncePerKey) {
  BlockedClients b;
  core::Session s;
  b.signal_ready(0, "k");  // nobody waits: ignored
  EXPECT_FALSE(b.has_ready());
  b.block(waiter(&s, {"k", "j"}));
  b.signal_ready(0, "nobody");
  b.signal_ready(0, "j");
  b.signal_ready(0, "k");
  b.signal_ready(0, "j");
  auto ready = b.take_ready();
  ASSERT_EQ(ready.size(), 2u);
  EXPECT_EQ(ready[0].second, "j");
  EXPECT_EQ(ready[1].second, "k");
  EXPECT_FALSE(b.has_ready());
  b.signal_ready(0, "j");  // a new turn starts a new list
  EXPECT_TRUE(b.has_ready());
}

TEST(BlockedClients, DueSessionsByDeadlineAndNoneWithoutOne) {
  BlockedClients b;
  core::Session forever, late, early;
  b.block(waiter(&forever, {"k"}));
  b.block(waiter(&late, {"k"}, 300));
  b.block(waiter(&early, {"k"}, 200));
  EXPECT_TRUE(b.due(199).empty());
  EXPECT_EQ(b.due(250), (std::vector<core::Session*>{&early}));
  EXPECT_EQ(b.due(1000), (std::vector<core::Session*>{&early, &late}));
}

TEST(BlockedClients, UnblockRemovesEverything) {
  BlockedClients b;
  core::Session s;
  b.block(waiter(&s, {"a", "b"}, 10));
  EXPECT_TRUE(b.unblock(&s));
  EXPECT_FALSE(b.unblock(&s));
  EXPECT_FALSE(b.is_blocked(&s));
  EXPECT_TRUE(b.waiters_of(0, "a").empty());
  EXPECT_EQ(b.keys_with_waiters(), 0u);
  EXPECT_EQ(b.next_deadline(), 0);
  b.signal_ready(0, "a");
  EXPECT_FALSE(b.has_ready());
}

}  // namespace
}  // namespace rill::blocking
