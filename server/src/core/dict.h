// An intrusive chained hash table, the keyspace's index. Nodes are owned by the caller and
// linked through a next-pointer member, so one node (a key with its value) can sit in two
// tables at once: the main table and the table of keys with a TTL.
//
// Why not tsl::robin_map here: SCAN needs a cursor that survives inserts and resizes, and
// RANDOMKEY and the active expiry cycle need to pick buckets at random. Both need bucket
// access, which robin_map does not give. The cursor is Redis's reverse-binary bucket cursor:
// every key present for the whole scan is returned at least once, across resizes.
//
// Resizing rehashes the whole table at once (doubling at load factor 1, halving below 1/8).
#pragma once

#include <bit>
#include <cstdint>
#include <functional>
#include <random>
#include <string_view>
#include <vector>

namespace rill::core {

uint64_t hash_key(std::string_view key);

template <class Node, Node* Node::*Next>
class Dict {
 public:
  Dict() : table_(4, nullptr) {}
  Dict(const Dict&) = delete;
  Dict& operator=(const Dict&) = delete;

  size_t size() const { return size_; }
  size_t buckets() const { return table_.size(); }

  Node* find(std::string_view key) const {
    for (Node* n = table_[hash_key(key) & mask()]; n; n = n->*Next) {
      if (n->key == key) return n;
    }
    return nullptr;
  }

  // Links `node` in; its key must not be present.
  void insert(Node* node) {
    if (size_ >= table_.size()) resize(table_.size() * 2);
    Node*& head = table_[hash_key(node->key) & mask()];
    node->*Next = head;
    head = node;
    ++size_;
  }

  // Unlinks and returns the node with `key`, or null. The caller owns it afterwards.
  Node* remove(std::string_view key) {
    Node** link = &table_[hash_key(key) & mask()];
    for (; *link; link = &((*link)->*Next)) {
      if ((*link)->key == key) {
        Node* n = *link;
        *link = n->*Next;
        --size_;
        return n;
      }
    }
    return nullptr;
  }

  // Unlinks every node, calling `release` on each.
  template <class F>
  void clear(F&& release) {
    for (Node*& head : table_) {
      while (head) {
        Node* n = head;
        head = n->*Next;
        release(n);
      }
    }
    table_.assign(4, nullptr);
    size_ = 0;
  }

  // Calls f(node) for every node of one bucket step and returns the next cursor (0 when the
  // scan is complete). `f` must not insert or remove.
  template <class F>
  uint64_t scan(uint64_t cursor, F&& f) const {
    const uint64_t m = mask();
    for (Node* n = table_[cursor & m]; n; n = n->*Next) f(n);
    cursor |= ~m;
    cursor = reverse_bits(cursor);
    ++cursor;
    return reverse_bits(cursor);
  }

  // A node chosen at random (buckets at random, then a random node of the chain), or null.
  template <class Rng>
  Node* random(Rng& rng) const {
    if (size_ == 0) return nullptr;
    std::uniform_int_distribution<size_t> pick(0, table_.size() - 1);
    Node* head;
    do head = table_[pick(rng)]; while (!head);
    size_t len = 0;
    for (Node* n = head; n; n = n->*Next) ++len;
    size_t k = std::uniform_int_distribution<size_t>(0, len - 1)(rng);
    while (k--) head = head->*Next;
    return head;
  }

  // Calls f(node) for every node; `f` must not insert or remove.
  template <class F>
  void for_each(F&& f) const {
    for (Node* head : table_) {
      for (Node* n = head; n; n = n->*Next) f(n);
    }
  }

  // Halves the table while it is mostly empty; called from the server's periodic cycle.
  void shrink_if_sparse() {
    size_t target = table_.size();
    while (target > 4 && size_ < target / 8) target /= 2;
    if (target != table_.size()) resize(target);
  }

 private:
  uint64_t mask() const { return table_.size() - 1; }

  static uint64_t reverse_bits(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    return __builtin_bswap64(v);
  }

  void resize(size_t n) {
    std::vector<Node*> next(n, nullptr);
    for (Node* head : table_) {
      while (head) {
        Node* node = head;
        head = node->*Next;
        Node*& slot = next[hash_key(node->key) & (n - 1)];
        node->*Next = slot;
        slot = node;
      }
    }
    table_.swap(next);
  }

  std::vector<Node*> table_;
  size_t size_ = 0;
};

}  // namespace rill::core
