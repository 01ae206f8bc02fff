#include "blocking/blocked_clients.h"

#include <algorithm>

namespace rill::blocking {

std::string BlockedClients::queue_key(int db, std::string_view key) {
  std::string k = std::to_string(db);
  k.push_back('\0');
  k.append(key);
  return k;
}

void BlockedClients::block(Waiter w) {
  auto it = by_session_.find(w.session);
  if (it != by_session_.end()) {
    it->second.argv = std::move(w.argv);
    return;
  }
  w.seq = next_seq_++;
  for (const auto& key : w.keys) {
    auto& q = queues_[queue_key(w.db, key)];
    if (std::find(q.begin(), q.end(), w.session) == q.end()) q.push_back(w.session);
  }
  if (w.deadline_ms) deadlines_.emplace(w.deadline_ms, w.seq);
  by_seq_[w.seq] = w.session;
  const core::Session* s = w.session;
  by_session_.emplace(s, std::move(w));
}

bool BlockedClients::unblock(const core::Session* s) {
  auto it = by_session_.find(s);
  if (it == by_session_.end()) return false;
  const Waiter& w = it->second;
  for (const auto& key : w.keys) {
    auto q = queues_.find(queue_key(w.db, key));
    if (q == queues_.end()) continue;
    auto& dq = q.value();
    dq.erase(std::remove(dq.begin(), dq.end(), s), dq.end());
    if (dq.empty()) queues_.erase(q);
  }
  if (w.deadline_ms) deadlines_.erase({w.deadline_ms, w.seq});
  by_seq_.erase(w.seq);
  by_session_.erase(it);
  return true;
}

const Waiter* BlockedClients::find(const core::Session* s) const {
  auto it = by_session_.find(s);
  return it == by_session_.end() ? nullptr : &it->second;
}

void BlockedClients::signal_ready(int db, std::string_view key) {
  if (queues_.empty()) return;
  std::string k = queue_key(db, key);
  if (!queues_.count(k) || ready_set_.count(k)) return;
  ready_set_.emplace(k, true);
  ready_.emplace_back(db, std::string(key));
}

std::vector<std::pair<int, std::string>> BlockedClients::take_ready() {
  std::vector<std::pair<int, std::string>> out;
  out.swap(ready_);
  ready_set_.clear();
  return out;
}

std::vector<core::Session*> BlockedClients::waiters_of(int db, std::string_view key) const {
  auto q = queues_.find(queue_key(db, key));
  if (q == queues_.end()) return {};
  return {q->second.begin(), q->second.end()};
}

int64_t BlockedClients::next_deadline() const {
  return deadlines_.empty() ? 0 : deadlines_.begin()->first;
}

std::vector<core::Session*> BlockedClients::due(int64_t now_ms) const {
  std::vector<core::Session*> out;
  for (const auto& [deadline, seq] : deadlines_) {
    if (deadline > now_ms) break;
    out.push_back(by_seq_.at(seq));
  }
  return out;
}

}  // namespace rill::blocking
