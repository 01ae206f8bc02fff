// core::Dict: the keyspace's intrusive hash table. Insert, find, remove and resizing, and the
// promise SCAN makes to clients: every key present for the whole scan is returned at least
// once, even when the table grows or shrinks between calls.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/dict.h"

namespace rill::core {
namespace {

struct Node {
  std::string key;
  Node* next = nullptr;
};
using TestDict = Dict<Node, &Node::next>;

// Owns the nodes; the dict only links them.
class DictTest : public ::testing::Test {
 protected:
  Node* add(const std::string& key) {
    nodes_.push_back(std::make_unique<Node>());
    nodes_.back()->key = key;
    dict_.insert(nodes_.back().get());
    return nodes_.back().get();
  }
  void add_range(const std::string& prefix, int from, int to) {
    for (int i = from; i < to; ++i) add(prefix + std::to_string(i));
  }
  // Removes the keys prefix<from..to) from the dict (the nodes stay owned here).
  void remove_range(const std::string& prefix, int from, int to) {
    for (int i = from; i < to; ++i) ASSERT_NE(dict_.remove(prefix + std::to_string(i)), nullptr);
  }
  std::multiset<std::string> scan_all() {
    std::multiset<std::string> seen;
    uint64_t cursor = 0;
    do {
      cursor = dict_.scan(cursor, [&](Node* n) { seen.insert(n->key); });
    } while (cursor != 0);
    return seen;
  }

  TestDict dict_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

bool is_power_of_two(size_t n) { return n && !(n & (n - 1)); }

TEST_F(DictTest, StartsEmpty) {
  EXPECT_EQ(dict_.size(), 0u);
  EXPECT_EQ(dict_.buckets(), 4u);
  EXPECT_EQ(dict_.find("x"), nullptr);
  EXPECT_EQ(dict_.remove("x"), nullptr);
  EXPECT_TRUE(scan_all().empty());
}

TEST_F(DictTest, InsertFindRemove) {
  Node* a = add("a");
  Node* b = add("b");
  add("");  // the empty key is a key
  EXPECT_EQ(dict_.size(), 3u);
  EXPECT_EQ(dict_.find("a"), a);
  EXPECT_EQ(dict_.find("b"), b);
  EXPECT_NE(dict_.find(""), nullptr);
  EXPECT_EQ(dict_.find("c"), nullptr);
  EXPECT_EQ(dict_.remove("a"), a);
  EXPECT_EQ(dict_.find("a"), nullptr);
  EXPECT_EQ(dict_.remove("a"), nullptr);
  EXPECT_EQ(dict_.size(), 2u);
  EXPECT_EQ(dict_.find("b"), b);
}

TEST_F(DictTest, KeysAreBinary) {
  using namespace std::string_literals;
  Node* x = add("a\0b"s);
  Node* y = add("a\0c"s);
  EXPECT_EQ(dict_.find("a\0b"s), x);
  EXPECT_EQ(dict_.find("a\0c"s), y);
  EXPECT_EQ(dict_.find("a"), nullptr);
}

// The table doubles at load factor 1, so lookups stay short, and everything survives.
TEST_F(DictTest, GrowsAndKeepsEveryKey) {
  add_range("k", 0, 10000);
  EXPECT_EQ(dict_.size(), 10000u);
  EXPECT_TRUE(is_power_of_two(dict_.buckets()));
  EXPECT_GE(dict_.buckets(), 10000u / 2);
  EXPECT_LE(dict_.buckets(), 2 * 10000u);
  for (int i = 0; i < 10000; ++i) ASSERT_NE(dict_.find("k" + std::to_string(i)), nullptr) << i;
}

TEST_F(DictTest, ShrinksWhenSparse) {
  add_range("k", 0, 4096);
  const size_t big = dict_.buckets();
  remove_range("k", 0, 4090);
  EXPECT_EQ(dict_.buckets(), big);  // removal alone never resizes
  dict_.shrink_if_sparse();
  // Halved while fewer than 1/8 full: 6 keys stop it at 32 buckets (6 >= 32 / 8).
  EXPECT_EQ(dict_.buckets(), 32u);
  for (int i = 4090; i < 4096; ++i) EXPECT_NE(dict_.find("k" + std::to_string(i)), nullptr);
  remove_range("k", 4090, 4096);
  dict_.shrink_if_sparse();
  EXPECT_EQ(dict_.buckets(), 4u);
  EXPECT_EQ(dict_.size(), 0u);
}

TEST_F(DictTest, ShrinkLeavesADenseTableAlone) {
  add_range("k", 0, 100);
  const size_t before = dict_.buckets();
  dict_.shrink_if_sparse();
  EXPECT_EQ(dict_.buckets(), before);
}

TEST_F(DictTest, ForEachVisitsEveryNodeOnce) {
  add_range("k", 0, 500);
  std::multiset<std::string> seen;
  dict_.for_each([&](Node* n) { seen.insert(n->key); });
  EXPECT_EQ(seen.size(), 500u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 500u);
}

TEST_F(DictTest, ClearReleasesEveryNode) {
  add_range("k", 0, 300);
  size_t released = 0;
  dict_.clear([&](Node* n) {
    ++released;
    n->next = nullptr;
  });
  EXPECT_EQ(released, 300u);
  EXPECT_EQ(dict_.size(), 0u);
  EXPECT_EQ(dict_.buckets(), 4u);
  EXPECT_EQ(dict_.find("k1"), nullptr);
}

// Without changes in between, a full scan returns each key exactly once.
TEST_F(DictTest, ScanOfAStableTableReturnsEachKeyOnce) {
  for (int n : {0, 1, 3, 4, 5, 100, 1000}) {
    SCOPED_TRACE(n);
    dict_.clear([](Node*) {});
    nodes_.clear();
    add_range("k", 0, n);
    auto seen = scan_all();
    EXPECT_EQ(seen.size(), static_cast<size_t>(n));
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), static_cast<size_t>(n));
  }
}

// Scans `steps` calls, then runs `change`, then finishes; returns what was seen.
template <class F>
std::set<std::string> scan_with_change_midway(TestDict& d, int steps, F&& change) {
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int calls = 0;
  bool changed = false;
  do {
    if (calls++ == steps) {
      change();
      changed = true;
    }
    cursor = d.scan(cursor, [&](Node* n) { seen.insert(n->key); });
  } while (cursor != 0);
  if (!changed) change();
  return seen;
}

TEST_F(DictTest, ScanSurvivesGrowth) {
  add_range("stay:", 0, 200);
  for (int steps : {1, 7, 30, 100}) {
    SCOPED_TRACE(steps);
    auto seen = scan_with_change_midway(dict_, steps, [&] {
      add_range("new" + std::to_string(steps) + ":", 0, 5000);  // several doublings
    });
    for (int i = 0; i < 200; ++i) EXPECT_TRUE(seen.count("stay:" + std::to_string(i))) << i;
  }
}

TEST_F(DictTest, ScanSurvivesShrinking) {
  for (int steps : {1, 13, 200, 900}) {
    SCOPED_TRACE(steps);
    add_range("stay:", 0, 50);
    add_range("gone:", 0, 8000);
    const size_t before = dict_.buckets();
    auto seen = scan_with_change_midway(dict_, steps, [&] {
      remove_range("gone:", 0, 8000);
      dict_.shrink_if_sparse();
    });
    EXPECT_LT(dict_.buckets(), before);
    for (int i = 0; i < 50; ++i) EXPECT_TRUE(seen.count("stay:" + std::to_string(i))) << i;
    remove_range("stay:", 0, 50);
    nodes_.clear();
  }
}

// Grow and shrink several times during one scan, at random points.
TEST_F(DictTest, ScanSurvivesRepeatedResizes) {
  std::mt19937_64 rng(42);
  add_range("stay:", 0, 300);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int round = 0;
  bool big = false;
  do {
    if (round < 12 && rng() % 8 == 0) {
      if (!big) {
        add_range("tmp:", 0, 6000);
      } else {
        remove_range("tmp:", 0, 6000);
        dict_.shrink_if_sparse();
      }
      big = !big;
      ++round;
    }
    cursor = dict_.scan(cursor, [&](Node* n) { seen.insert(n->key); });
  } while (cursor != 0);
  EXPECT_GE(round, 3);
  for (int i = 0; i < 300; ++i) EXPECT_TRUE(seen.count("stay:" + std::to_string(i))) << i;
}

TEST_F(DictTest, RandomOfEmptyIsNull) {
  std::mt19937_64 rng(1);
  EXPECT_EQ(dict_.random(rng), nullptr);
}

TEST_F(DictTest, RandomReachesEveryNode) {
  add_range("k", 0, 20);
  std::mt19937_64 rng(7);
  std::set<std::string> drawn;
  for (int i = 0; i < 5000; ++i) {
    Node* n = dict_.random(rng);
    ASSERT_NE(n, nullptr);
    ASSERT_EQ(dict_.find(n->key), n);
    drawn.insert(n->key);
  }
  EXPECT_EQ(drawn.size(), 20u);
}

TEST_F(DictTest, RandomInASparseTableFindsTheOneKey) {
  add_range("k", 0, 1000);
  remove_range("k", 1, 1000);  // one key left in a table of many empty buckets
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100; ++i) {
    Node* n = dict_.random(rng);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->key, "k0");
  }
}

}  // namespace
}  // namespace rill::core
