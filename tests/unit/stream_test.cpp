// The stream type against a std::map model: appends, ranges both ways, deletes and trims over
// many random steps, with small nodes so that splits, tombstones and compaction all happen.
#include "types/stream.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace rill::types {
namespace {

using Fields = std::vector<std::string>;
using Model = std::map<StreamId, Fields>;

std::vector<std::pair<StreamId, Fields>> collect(const Stream& s, StreamId lo, StreamId hi,
                                                 size_t count, bool reverse) {
  std::vector<std::pair<StreamId, Fields>> out;
  s.range(lo, hi, count, reverse, [&](StreamId id, std::span<const std::string_view> fv) {
    out.emplace_back(id, Fields(fv.begin(), fv.end()));
  });
  return out;
}

std::vector<std::pair<StreamId, Fields>> model_range(const Model& m, StreamId lo, StreamId hi,
                                                     size_t count, bool reverse) {
  std::vector<std::pair<StreamId, Fields>> out;
  if (lo > hi) return out;
  for (auto it = m.lower_bound(lo); it != m.end() && it->first <= hi; ++it) out.push_back(*it);
  if (reverse) std::reverse(out.begin(), out.end());
  if (count && out.size() > count) out.resize(count);
  return out;
}

Result<StreamId> add(Stream& s, const Fields& f, AddId id, int64_t now, NodeLimits lim = {}) {
  std::vector<std::string_view> v(f.begin(), f.end());
  return s.append(v, id, now, lim);
}

TEST(StreamId, ParsesAsRedis) {
  bool given = false;
  EXPECT_EQ(parse_stream_id("5-3", 0, true), (StreamId{5, 3}));
  EXPECT_EQ(parse_stream_id("5", 7, false), (StreamId{5, 7}));
  EXPECT_EQ(parse_stream_id("-", 0, false), StreamId::min());
  EXPECT_EQ(parse_stream_id("+", 0, false), StreamId::max());
  EXPECT_FALSE(parse_stream_id("-", 0, true));
  EXPECT_FALSE(parse_stream_id("+", 0, true));
  EXPECT_EQ(parse_stream_id(" 1", 0, true), (StreamId{1, 0}));   // strtoull's leniency
  EXPECT_EQ(parse_stream_id("+2-01", 0, true), (StreamId{2, 1}));
  EXPECT_FALSE(parse_stream_id("1-2-3", 0, true));
  EXPECT_FALSE(parse_stream_id("-1", 0, true));
  EXPECT_FALSE(parse_stream_id("1-", 0, true));
  EXPECT_FALSE(parse_stream_id("18446744073709551616-1", 0, true));
  EXPECT_FALSE(parse_stream_id("5-*", 0, true));  // only where XADD allows it
  EXPECT_EQ(parse_stream_id("5-*", 0, true, &given), (StreamId{5, 0}));
  EXPECT_FALSE(given);
  EXPECT_EQ(parse_stream_id(std::string(128, '1'), 0, true), std::nullopt);
  bool ex = false;
  EXPECT_EQ(parse_interval_id("(5", 0, &ex), (StreamId{5, 0}));
  EXPECT_TRUE(ex);
  EXPECT_FALSE(parse_interval_id("(-", 0, &ex));
  EXPECT_FALSE(parse_interval_id("(", 0, &ex));
  StreamId top = StreamId::max();
  EXPECT_FALSE(top.incr());
  StreamId a{3, StreamId::kMax};
  EXPECT_TRUE(a.incr());
  EXPECT_EQ(a, (StreamId{4, 0}));
  EXPECT_TRUE(a.decr());
  EXPECT_EQ(a.str(), "3-18446744073709551615");
}

TEST(Stream, GeneratesIdsFromTheClockAndTheLastId) {
  Stream s;
  EXPECT_EQ(*add(s, {"f", "v"}, {}, 1000), (StreamId{1000, 0}));
  EXPECT_EQ(*add(s, {"f", "v"}, {}, 1000), (StreamId{1000, 1}));
  EXPECT_EQ(*add(s, {"f", "v"}, {}, 999), (StreamId{1000, 2}));  // the clock went back
  EXPECT_EQ(*add(s, {"f", "v"}, {AddId::Kind::kMsAuto, {1000, 0}}, 0), (StreamId{1000, 3}));
  EXPECT_EQ(*add(s, {"f", "v"}, {AddId::Kind::kMsAuto, {2000, 0}}, 0), (StreamId{2000, 0}));
  auto small = add(s, {"f", "v"}, {AddId::Kind::kExplicit, {2000, 0}}, 0);
  ASSERT_FALSE(small.is_ok());
  EXPECT_EQ(small.status().text(),
            "ERR The ID specified in XADD is equal or smaller than the target stream top item");
  EXPECT_EQ(s.length(), 5u);
  EXPECT_EQ(s.entries_added(), 5u);
  EXPECT_EQ(s.first_id(), (StreamId{1000, 0}));
}

TEST(Stream, MatchesAMapModelOverRandomSteps) {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 4; ++round) {
    Stream s;
    Model m;
    NodeLimits lim{round % 2 ? 200 : 4096, round < 2 ? 7 : 100};
    uint64_t ms = 1;
    for (int step = 0; step < 6000; ++step) {
      const int op = static_cast<int>(rng() % 100);
      if (op < 55) {
        ms += rng() % 3;
        Fields f;
        const int shape = static_cast<int>(rng() % 3);
        f = shape == 0 ? Fields{"name", std::to_string(rng() % 1000), "n", "1"}
            : shape == 1 ? Fields{"name", std::string(rng() % 40, 'x')}
                         : Fields{"other", std::to_string(step), "z", "", "w", "123456789012"};
        auto id = add(s, f, {AddId::Kind::kMsAuto, {ms, 0}}, 0, lim);
        ASSERT_TRUE(id.is_ok());
        m[*id] = f;
      } else if (op < 75 && !m.empty()) {
        auto it = m.begin();
        std::advance(it, static_cast<long>(rng() % m.size()));
        StreamId victim = it->first;
        if (rng() % 4 == 0) victim.seq += 1000;  // usually absent
        const bool present = m.erase(victim) == 1;
        ASSERT_EQ(s.remove(victim), present);
      } else if (op < 80) {
        TrimSpec t;
        t.strategy = TrimSpec::Strategy::kMaxLen;
        t.maxlen = static_cast<int64_t>(m.size() > 10 ? m.size() - rng() % 10 : m.size());
        const int64_t removed = s.trim(t);
        ASSERT_EQ(static_cast<size_t>(removed), m.size() - static_cast<size_t>(t.maxlen));
        while (m.size() > static_cast<size_t>(t.maxlen)) m.erase(m.begin());
      } else if (op < 84 && !m.empty()) {
        TrimSpec t;
        t.strategy = TrimSpec::Strategy::kMinId;
        t.minid = {m.begin()->first.ms + rng() % 3, 0};
        const int64_t removed = s.trim(t);
        int64_t expect = 0;
        while (!m.empty() && m.begin()->first < t.minid) {
          m.erase(m.begin());
          ++expect;
        }
        ASSERT_EQ(removed, expect);
      } else if (op < 86) {
        // Approximate: whole nodes only, so never below the threshold, never a partial node.
        TrimSpec t;
        t.strategy = TrimSpec::Strategy::kMaxLen;
        t.approx = true;
        t.maxlen = static_cast<int64_t>(m.size() / 2);
        const int64_t removed = s.trim(t);
        ASSERT_GE(m.size() - static_cast<size_t>(removed), static_cast<size_t>(t.maxlen));
        for (int64_t i = 0; i < removed; ++i) m.erase(m.begin());
      } else {
        StreamId lo{ms > 20 ? ms - rng() % 20 : 0, rng() % 2};
        StreamId hi{lo.ms + rng() % 30, rng() % 3};
        const size_t count = rng() % 4 == 0 ? 0 : rng() % 8 + 1;
        const bool rev = rng() % 2;
        ASSERT_EQ(collect(s, lo, hi, count, rev), model_range(m, lo, hi, count, rev))
            << "step " << step;
      }
      ASSERT_EQ(s.length(), m.size());
      if (!m.empty()) {
        ASSERT_EQ(s.first_id(), m.begin()->first);
        ASSERT_EQ(s.last_live_id(), m.rbegin()->first);
      }
    }
    EXPECT_EQ(collect(s, StreamId::min(), StreamId::max(), 0, false),
              model_range(m, StreamId::min(), StreamId::max(), 0, false));
    EXPECT_EQ(collect(s, StreamId::min(), StreamId::max(), 0, true),
              model_range(m, StreamId::min(), StreamId::max(), 0, true));
    auto copy = s.clone();
    EXPECT_EQ(collect(static_cast<Stream&>(*copy), StreamId::min(), StreamId::max(), 0, false),
              model_range(m, StreamId::min(), StreamId::max(), 0, false));
  }
}

TEST(Stream, EmptiedNodesAreRemovedAndTrimStopsAtLimit) {
  Stream s;
  NodeLimits lim{4096, 10};
  for (uint64_t i = 1; i <= 30; ++i) add(s, {"f", "v"}, {AddId::Kind::kExplicit, {i, 1}}, 0, lim);
  EXPECT_EQ(s.node_count(), 3u);
  for (uint64_t i = 11; i <= 20; ++i) EXPECT_TRUE(s.remove({i, 1}));
  EXPECT_EQ(s.node_count(), 2u);
  EXPECT_EQ(s.max_deleted_id(), (StreamId{20, 1}));
  TrimSpec t;
  t.strategy = TrimSpec::Strategy::kMaxLen;
  t.approx = true;
  t.maxlen = 0;
  t.limit = 9;  // less than a node: nothing can go
  EXPECT_EQ(s.trim(t), 0);
  t.limit = 10;
  EXPECT_EQ(s.trim(t), 10);
  EXPECT_EQ(s.first_id(), (StreamId{21, 1}));
}

TEST(Stream, MemoryPerEntryIsSmall) {
  Stream s;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    std::string v = std::to_string(i);
    std::vector<std::string_view> fv{"field", v, "name", "value"};
    ASSERT_TRUE(s.append(fv, {}, 1700000000000 + i / 10, {}).is_ok());
  }
  const double per_entry = static_cast<double>(s.memory_usage()) / n;
  std::printf("[ stream  ] %d entries of two small fields: %.1f bytes per entry, %zu nodes\n", n,
              per_entry, s.node_count());
  EXPECT_LT(per_entry, 20.0);  // 15 of them are the entry's own bytes
}

}  // namespace
}  // namespace rill::types
