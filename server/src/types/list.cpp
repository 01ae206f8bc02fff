#include "types/list.h"

#include <algorithm>
#include <utility>

namespace rill::types {

namespace {

// Element framing: a varint length before the bytes, the same varint mirrored after them.
size_t varint_size(size_t n) {
  size_t s = 1;
  while (n >= 0x80) {
    n >>= 7;
    ++s;
  }
  return s;
}

size_t element_size(size_t len) { return 2 * varint_size(len) + len; }

void encode(std::string& out, std::string_view v) {
  char head[10];
  size_t h = 0;
  size_t n = v.size();
  do {
    auto b = static_cast<unsigned char>(n & 0x7f);
    n >>= 7;
    if (n) b |= 0x80;
    head[h++] = static_cast<char>(b);
  } while (n);
  out.append(head, h);
  out.append(v);
  for (size_t i = h; i > 0; --i) out.push_back(head[i - 1]);
}

std::string encoded(std::string_view v) {
  std::string s;
  s.reserve(element_size(v.size()));
  encode(s, v);
  return s;
}

// The element starting at `off`: its value; *next is where the following one starts.
std::string_view decode_at(const std::string& buf, size_t off, size_t* next) {
  size_t len = 0;
  int shift = 0;
  size_t p = off;
  for (;;) {
    auto b = static_cast<unsigned char>(buf[p++]);
    len |= static_cast<size_t>(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  const size_t h = p - off;
  if (next) *next = p + len + h;
  return std::string_view(buf.data() + p, len);
}

// Where the element ending at `end` starts.
size_t start_before(const std::string& buf, size_t end) {
  size_t len = 0;
  int shift = 0;
  size_t p = end;
  for (;;) {
    auto b = static_cast<unsigned char>(buf[--p]);
    len |= static_cast<size_t>(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  const size_t h = end - p;
  return end - 2 * h - len;
}

}  // namespace

std::unique_ptr<core::Object> List::clone() const { return std::make_unique<List>(*this); }

bool List::fits(const Chunk& c, size_t element_bytes) {
  if (c.count == 0) return true;
  return c.count < kMaxChunkCount && c.buf.size() + element_bytes <= kMaxChunkBytes;
}

void List::push_front(std::string_view v) {
  const size_t eb = element_size(v.size());
  if (chunks_.empty() || !fits(chunks_.front(), eb)) {
    if (!chunks_.empty()) seal(chunks_.front());
    chunks_.emplace_front();
  }
  Chunk& c = chunks_.front();
  c.buf.insert(0, encoded(v));
  ++c.count;
  ++size_;
}

void List::push_back(std::string_view v) {
  const size_t eb = element_size(v.size());
  if (chunks_.empty() || !fits(chunks_.back(), eb)) {
    if (!chunks_.empty()) seal(chunks_.back());
    chunks_.emplace_back();
  }
  Chunk& c = chunks_.back();
  encode(c.buf, v);
  ++c.count;
  ++size_;
}

std::string List::pop_front() {
  Chunk& c = chunks_.front();
  size_t next;
  std::string v(decode_at(c.buf, 0, &next));
  c.buf.erase(0, next);
  --size_;
  if (--c.count == 0) chunks_.pop_front();
  return v;
}

std::string List::pop_back() {
  Chunk& c = chunks_.back();
  const size_t start = start_before(c.buf, c.buf.size());
  std::string v(decode_at(c.buf, start, nullptr));
  c.buf.resize(start);
  --size_;
  if (--c.count == 0) chunks_.pop_back();
  return v;
}

void List::locate(size_t i, size_t* chunk, size_t* in_chunk) const {
  if (i < size_ / 2) {
    size_t c = 0;
    while (i >= chunks_[c].count) i -= chunks_[c++].count;
    *chunk = c;
    *in_chunk = i;
    return;
  }
  size_t j = size_ - 1 - i;  // distance from the tail
  size_t c = chunks_.size() - 1;
  while (j >= chunks_[c].count) j -= chunks_[c--].count;
  *chunk = c;
  *in_chunk = chunks_[c].count - 1 - j;
}

size_t List::offset_of(const Chunk& c, uint32_t k) {
  if (k <= c.count / 2) {
    size_t off = 0;
    for (uint32_t n = 0; n < k; ++n) decode_at(c.buf, off, &off);
    return off;
  }
  size_t off = c.buf.size();
  for (uint32_t n = c.count; n > k; --n) off = start_before(c.buf, off);
  return off;
}

std::string_view List::at(size_t i) const {
  size_t c, k;
  locate(i, &c, &k);
  return decode_at(chunks_[c].buf, offset_of(chunks_[c], static_cast<uint32_t>(k)), nullptr);
}

void List::set(size_t i, std::string_view v) {
  size_t c, k;
  locate(i, &c, &k);
  Chunk& ch = chunks_[c];
  const size_t off = offset_of(ch, static_cast<uint32_t>(k));
  size_t next;
  decode_at(ch.buf, off, &next);
  ch.buf.replace(off, next - off, encoded(v));
  split_if_big(c);
}

void List::insert(size_t i, std::string_view v) {
  if (i == 0) return push_front(v);
  if (i == size_) return push_back(v);
  size_t c, k;
  locate(i, &c, &k);
  Chunk& ch = chunks_[c];
  ch.buf.insert(offset_of(ch, static_cast<uint32_t>(k)), encoded(v));
  ++ch.count;
  ++size_;
  split_if_big(c);
}

void List::erase(size_t i) {
  size_t c, k;
  locate(i, &c, &k);
  Chunk& ch = chunks_[c];
  const size_t off = offset_of(ch, static_cast<uint32_t>(k));
  size_t next;
  decode_at(ch.buf, off, &next);
  ch.buf.erase(off, next - off);
  --ch.count;
  --size_;
  merge_if_small(c);
}

void List::split_if_big(size_t c) {
  Chunk& ch = chunks_[c];
  if (ch.count < 2 || (ch.count <= kMaxChunkCount && ch.buf.size() <= kMaxChunkBytes)) return;
  const uint32_t half = ch.count / 2;
  const size_t off = offset_of(ch, half);
  Chunk tail{ch.buf.substr(off), ch.count - half};
  ch.buf.resize(off);
  ch.count = half;
  seal(ch);
  chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c) + 1, std::move(tail));
}

void List::merge_if_small(size_t c) {
  if (chunks_[c].count == 0) {
    chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(c));
    return;
  }
  // Merge only well under the cap, so an insert right after does not split it again.
  auto small_pair = [&](size_t a) {
    return chunks_[a].count + chunks_[a + 1].count <= kMaxChunkCount * 3 / 4 &&
           chunks_[a].buf.size() + chunks_[a + 1].buf.size() <= kMaxChunkBytes * 3 / 4;
  };
  size_t a = chunks_.size();
  if (c + 1 < chunks_.size() && small_pair(c)) {
    a = c;
  } else if (c > 0 && small_pair(c - 1)) {
    a = c - 1;
  }
  if (a == chunks_.size()) return;
  chunks_[a].buf += chunks_[a + 1].buf;
  chunks_[a].count += chunks_[a + 1].count;
  chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(a) + 1);
}

void List::keep_range(size_t first, size_t last) {
  if (first > last || first >= size_) {
    chunks_.clear();
    size_ = 0;
    return;
  }
  last = std::min(last, size_ - 1);
  // The tail after `last`: whole chunks, then part of one.
  size_t drop = size_ - 1 - last;
  while (drop && drop >= chunks_.back().count) {
    drop -= chunks_.back().count;
    size_ -= chunks_.back().count;
    chunks_.pop_back();
  }
  if (drop) {
    Chunk& ch = chunks_.back();
    ch.buf.resize(offset_of(ch, ch.count - static_cast<uint32_t>(drop)));
    ch.count -= static_cast<uint32_t>(drop);
    size_ -= drop;
  }
  drop = first;
  while (drop && drop >= chunks_.front().count) {
    drop -= chunks_.front().count;
    size_ -= chunks_.front().count;
    chunks_.pop_front();
  }
  if (drop) {
    Chunk& ch = chunks_.front();
    ch.buf.erase(0, offset_of(ch, static_cast<uint32_t>(drop)));
    ch.count -= static_cast<uint32_t>(drop);
    size_ -= drop;
  }
}

size_t List::remove(std::string_view v, size_t limit, bool from_tail) {
  size_t removed = 0;
  std::vector<size_t> starts;
  const size_t n = chunks_.size();
  for (size_t step = 0; step < n && (limit == 0 || removed < limit); ++step) {
    Chunk& ch = chunks_[from_tail ? n - 1 - step : step];
    starts.clear();
    for (size_t off = 0; off < ch.buf.size();) {
      starts.push_back(off);
      decode_at(ch.buf, off, &off);
    }
    starts.push_back(ch.buf.size());
    // Mark the matches to drop, in scan order, then rebuild the chunk without them.
    std::vector<bool> drop(ch.count, false);
    bool any = false;
    for (size_t s = 0; s < ch.count && (limit == 0 || removed < limit); ++s) {
      const size_t e = from_tail ? ch.count - 1 - s : s;
      if (decode_at(ch.buf, starts[e], nullptr) == v) {
        drop[e] = true;
        any = true;
        ++removed;
      }
    }
    if (!any) continue;
    std::string kept;
    uint32_t count = 0;
    for (size_t e = 0; e < ch.count; ++e) {
      if (drop[e]) continue;
      kept.append(ch.buf, starts[e], starts[e + 1] - starts[e]);
      ++count;
    }
    size_ -= ch.count - count;
    ch.buf = std::move(kept);
    ch.count = count;
  }
  if (!removed) return 0;
  // Drop emptied chunks and merge neighbours that now fit together.
  std::deque<Chunk> out;
  for (Chunk& ch : chunks_) {
    if (ch.count == 0) continue;
    if (!out.empty() && out.back().count + ch.count <= kMaxChunkCount * 3 / 4 &&
        out.back().buf.size() + ch.buf.size() <= kMaxChunkBytes * 3 / 4) {
      out.back().buf += ch.buf;
      out.back().count += ch.count;
    } else {
      out.push_back(std::move(ch));
    }
  }
  chunks_ = std::move(out);
  return removed;
}

List::Cursor List::cursor(size_t i) const {
  Cursor cur;
  cur.list_ = this;
  cur.index_ = size_;
  if (i >= size_) return cur;
  size_t k;
  locate(i, &cur.chunk_index_, &k);
  cur.chunk_ = &chunks_[cur.chunk_index_];
  cur.offset_ = offset_of(*cur.chunk_, static_cast<uint32_t>(k));
  cur.index_ = i;
  cur.load();
  return cur;
}

void List::Cursor::load() { value_ = decode_at(chunk_->buf, offset_, &next_); }

void List::Cursor::next() {
  if (!valid()) return;
  if (++index_ >= list_->size_) return;
  offset_ = next_;
  if (offset_ >= chunk_->buf.size()) {
    chunk_ = &list_->chunks_[++chunk_index_];
    offset_ = 0;
  }
  load();
}

void List::Cursor::prev() {
  if (!valid()) return;
  if (index_ == 0) {
    index_ = list_->size_;
    return;
  }
  if (offset_ == 0) {
    chunk_ = &list_->chunks_[--chunk_index_];
    offset_ = chunk_->buf.size();
  }
  offset_ = start_before(chunk_->buf, offset_);
  --index_;
  load();
}

size_t List::bytes_used() const {
  size_t n = sizeof(List);
  for (const Chunk& c : chunks_) n += sizeof(Chunk) + (c.buf.capacity() > 15 ? c.buf.capacity() : 0);
  return n;
}

}  // namespace rill::types
