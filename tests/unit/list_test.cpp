// The packed-chunk list: ends, indexes, middle edits, trims and cursors, and a long random
// sequence checked step by step against std::deque.
#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "types/list.h"

namespace rill::types {
namespace {

std::vector<std::string> all(const List& l) {
  std::vector<std::string> v;
  for (auto c = l.cursor(0); c.valid(); c.next()) v.emplace_back(c.value());
  return v;
}

std::vector<std::string> all_backwards(const List& l) {
  std::vector<std::string> v;
  if (l.empty()) return v;
  for (auto c = l.cursor(l.size() - 1); c.valid(); c.prev()) v.emplace_back(c.value());
  return v;
}

using Strings = std::vector<std::string>;

TEST(List, PushAndPopAtBothEnds) {
  List l;
  l.push_back("b");
  l.push_front("a");
  l.push_back("c");
  EXPECT_EQ(l.size(), 3u);
  EXPECT_EQ(all(l), (Strings{"a", "b", "c"}));
  EXPECT_EQ(l.pop_front(), "a");
  EXPECT_EQ(l.pop_back(), "c");
  EXPECT_EQ(l.pop_back(), "b");
  EXPECT_TRUE(l.empty());
  EXPECT_EQ(l.chunk_count(), 0u);
}

TEST(List, EmptyAndLongElementsRoundTrip) {
  List l;
  std::string big(100000, 'x');
  std::string mid(200, 'm');
  l.push_back("");
  l.push_back(big);
  l.push_front(mid);
  EXPECT_EQ(all(l), (Strings{mid, "", big}));
  EXPECT_EQ(all_backwards(l), (Strings{big, "", mid}));
  EXPECT_EQ(l.pop_back(), big);
  EXPECT_EQ(l.pop_front(), mid);
  EXPECT_EQ(l.pop_front(), "");
}

TEST(List, ManyElementsSpreadOverChunksAndIndexFromBothEnds) {
  List l;
  for (int i = 0; i < 10000; ++i) l.push_back(std::to_string(i));
  EXPECT_GT(l.chunk_count(), 5u);
  EXPECT_LE(l.chunk_count(), 10000u / List::kMaxChunkCount + 1);
  for (int i = 0; i < 10000; ++i) EXPECT_EQ(l.at(static_cast<size_t>(i)), std::to_string(i));
}

TEST(List, InsertSetAndEraseInTheMiddle) {
  List l;
  for (int i = 0; i < 300; ++i) l.push_back(std::to_string(i));
  l.insert(150, "x");
  EXPECT_EQ(l.at(150), "x");
  EXPECT_EQ(l.at(151), "150");
  l.set(150, std::string(20000, 'y'));  // bigger than a chunk: the chunk splits
  EXPECT_EQ(l.at(150).size(), 20000u);
  EXPECT_EQ(l.at(149), "149");
  l.erase(150);
  EXPECT_EQ(l.size(), 300u);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(l.at(static_cast<size_t>(i)), std::to_string(i));
}

TEST(List, KeepRange) {
  List l;
  for (int i = 0; i < 500; ++i) l.push_back(std::to_string(i));
  l.keep_range(130, 260);
  EXPECT_EQ(l.size(), 131u);
  EXPECT_EQ(l.at(0), "130");
  EXPECT_EQ(l.at(130), "260");
  l.keep_range(5, 1000);  // last past the end is clamped
  EXPECT_EQ(l.size(), 126u);
  l.keep_range(3, 2);
  EXPECT_TRUE(l.empty());
}

TEST(List, RemoveFromHeadOrTailWithALimit) {
  List l;
  for (int i = 0; i < 400; ++i) l.push_back(i % 3 == 0 ? "a" : std::to_string(i));
  const size_t as = 134;
  EXPECT_EQ(l.remove("a", 2, false), 2u);
  EXPECT_EQ(l.at(0), "1");
  EXPECT_EQ(l.remove("a", 1, true), 1u);
  EXPECT_EQ(l.at(l.size() - 1), "398");
  EXPECT_EQ(l.remove("a", 0, false), as - 3);
  EXPECT_EQ(l.size(), 400u - as);
  EXPECT_EQ(l.remove("zz", 0, false), 0u);
}

TEST(List, CloneIsIndependentAndEncodingIsQuicklist) {
  List l;
  l.push_back("a");
  auto copy = l.clone();
  l.push_back("b");
  EXPECT_EQ(static_cast<List&>(*copy).size(), 1u);
  EXPECT_EQ(copy->encoding(), "quicklist");
}

TEST(List, CompactForSmallElements) {
  List l;
  for (int i = 0; i < 100000; ++i) l.push_back("value" + std::to_string(i % 100));
  // About 7 bytes of payload and 2 of framing per element, plus the shared chunk headers.
  EXPECT_LT(static_cast<double>(l.bytes_used()) / 100000.0, 12.0);
}

TEST(List, RandomOperationsMatchADeque) {
  std::mt19937 rng(7);
  List l;
  std::deque<std::string> model;
  auto rand_value = [&] {
    const int kind = static_cast<int>(rng() % 10);
    size_t len = kind == 0 ? rng() % 3000 : kind == 1 ? 9000 : rng() % 12;
    return std::string(len, static_cast<char>('a' + rng() % 26));
  };
  for (int step = 0; step < 20000; ++step) {
    const int op = static_cast<int>(rng() % 11);
    if (op <= 1) {
      auto v = rand_value();
      l.push_back(v);
      model.push_back(v);
    } else if (op == 2) {
      auto v = rand_value();
      l.push_front(v);
      model.push_front(v);
    } else if (op == 3 && !model.empty()) {
      ASSERT_EQ(l.pop_front(), model.front());
      model.pop_front();
    } else if (op == 4 && !model.empty()) {
      ASSERT_EQ(l.pop_back(), model.back());
      model.pop_back();
    } else if (op == 5) {
      size_t i = rng() % (model.size() + 1);
      auto v = rand_value();
      l.insert(i, v);
      model.insert(model.begin() + static_cast<std::ptrdiff_t>(i), v);
    } else if (op == 6 && !model.empty()) {
      size_t i = rng() % model.size();
      l.erase(i);
      model.erase(model.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (op == 7 && !model.empty()) {
      size_t i = rng() % model.size();
      auto v = rand_value();
      l.set(i, v);
      model[i] = v;
    } else if (op == 8 && !model.empty() && rng() % 20 == 0) {
      size_t a = rng() % model.size(), b = rng() % (model.size() + 10);
      l.keep_range(a, b);
      if (a > b) {
        model.clear();
      } else {
        b = std::min(b, model.size() - 1);
        model = std::deque<std::string>(model.begin() + static_cast<std::ptrdiff_t>(a),
                                        model.begin() + static_cast<std::ptrdiff_t>(b) + 1);
      }
    } else if (op == 9 && !model.empty() && rng() % 5 == 0) {
      std::string v = model[rng() % model.size()];
      size_t limit = rng() % 3;
      bool tail = rng() % 2;
      size_t removed = 0;
      if (!tail) {
        for (auto it = model.begin(); it != model.end() && (!limit || removed < limit);) {
          if (*it == v) {
            it = model.erase(it);
            ++removed;
          } else {
            ++it;
          }
        }
      } else {
        for (size_t i = model.size(); i > 0 && (!limit || removed < limit); --i) {
          if (model[i - 1] == v) {
            model.erase(model.begin() + static_cast<std::ptrdiff_t>(i) - 1);
            ++removed;
          }
        }
      }
      ASSERT_EQ(l.remove(v, limit, tail), removed);
    } else if (op == 10 && !model.empty()) {
      size_t i = rng() % model.size();
      ASSERT_EQ(l.at(i), model[i]);
    }
    ASSERT_EQ(l.size(), model.size());
    if (step % 500 == 0) {
      ASSERT_EQ(all(l), Strings(model.begin(), model.end()));
      ASSERT_EQ(all_backwards(l), Strings(model.rbegin(), model.rend()));
    }
  }
  ASSERT_EQ(all(l), Strings(model.begin(), model.end()));
}

}  // namespace
}  // namespace rill::types
