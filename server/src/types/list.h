// The list value: a deque of small packed chunks.
//
// Each chunk is one byte buffer holding up to kMaxChunkCount elements (or about
// kMaxChunkBytes; a bigger element gets a chunk of its own). An element is stored as
//
//   varint(len) | bytes | varint(len) with its bytes reversed
//
// so a chunk can be walked from either end without an index: pushes and pops at both ends
// touch one chunk (O(1), bounded by the chunk size), indexed access skips whole chunks by
// their count from the nearer end, and an insert or erase in the middle rewrites one chunk,
// splitting it when it grows past the cap and merging it with a neighbour when it shrinks.
// Two length bytes per short element plus a chunk header shared by everything in 8 KB (the
// size of Redis's default listpack, list-max-listpack-size -2) is no more than Redis's
// quicklist spends. The count cap only bounds the walk inside a chunk for tiny elements;
// a push at the front moves the chunk's bytes, as a listpack insert at its head does.
//
// The type knows nothing of commands: no replies, no keyspace, no side effects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace rill::types {

class List : public core::Object {
 public:
  static constexpr size_t kMaxChunkBytes = 8192;
  static constexpr uint32_t kMaxChunkCount = 1024;

  std::unique_ptr<core::Object> clone() const override;
  // Redis 7.0 reports every list as a quicklist.
  std::string_view encoding() const override { return "quicklist"; }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void push_front(std::string_view v);
  void push_back(std::string_view v);
  // The list must not be empty.
  std::string pop_front();
  std::string pop_back();

  // Element `i` (0 <= i < size()). The view lives until the list changes.
  std::string_view at(size_t i) const;
  void set(size_t i, std::string_view v);
  // Inserts `v` so that it becomes element `i` (0 <= i <= size()).
  void insert(size_t i, std::string_view v);
  void erase(size_t i);
  // Keeps only elements [first, last] (inclusive); first > last empties the list.
  void keep_range(size_t first, size_t last);
  // Removes up to `limit` elements equal to `v` (0: all), scanning from the head or, when
  // from_tail, from the tail. Returns how many were removed.
  size_t remove(std::string_view v, size_t limit, bool from_tail);

 private:
  struct Chunk;

 public:
  // A position for walking the list in either direction. Invalidated by any change.
  // Each element is decoded once, on arrival (LRANGE walks hundreds per call), and the
  // current chunk is held by pointer, not looked up in the deque again per element.
  class Cursor {
   public:
    bool valid() const { return index_ < list_->size_; }
    size_t index() const { return index_; }
    std::string_view value() const { return value_; }
    void next();
    void prev();  // from index 0 the cursor becomes invalid

   private:
    friend class List;
    // Decodes the element at offset_ of the current chunk into value_ and next_.
    void load();

    const List* list_ = nullptr;
    const Chunk* chunk_ = nullptr;
    size_t chunk_index_ = 0;  // index of chunk_ in chunks_
    size_t offset_ = 0;       // byte offset of the element in its chunk
    size_t next_ = 0;         // byte offset of the element after it
    size_t index_ = 0;        // element index in the list; size_ when past either end
    std::string_view value_;
  };
  // A cursor on element `i`, or an invalid one when i >= size().
  Cursor cursor(size_t i) const;

  // Bytes held, for MEMORY USAGE and tests of compactness.
  size_t bytes_used() const;
  // Number of chunks (tests).
  size_t chunk_count() const { return chunks_.size(); }

 private:
  struct Chunk {
    std::string buf;
    uint32_t count = 0;
  };

  // The chunk holding element `i`, and the element's index within it.
  void locate(size_t i, size_t* chunk, size_t* in_chunk) const;
  // Byte offset of element `k` of chunk `c`, walking from the nearer end.
  static size_t offset_of(const Chunk& c, uint32_t k);
  static bool fits(const Chunk& c, size_t element_bytes);
  // After a chunk grew past its cap: split it in two halves.
  void split_if_big(size_t chunk);
  // After a chunk shrank: drop it if empty, or merge it with a neighbour when both fit in one.
  void merge_if_small(size_t chunk);
  void seal(Chunk& c) { c.buf.shrink_to_fit(); }

  std::deque<Chunk> chunks_;
  size_t size_ = 0;
};

}  // namespace rill::types
