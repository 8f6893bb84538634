#include "http/connection_table.h"

#include <algorithm>
#include <utility>

namespace http {

ConnectionTable::Id ConnectionTable::add() {
  std::lock_guard lock(mu_);
  Id id = next_id_++;
  entries_.emplace(id, Entry{});
  return id;
}

void ConnectionTable::remove(Id id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (it->second.idle) idle_.erase(it->second.idle_seq);
  entries_.erase(it);
}

void ConnectionTable::set_idle(Id id, Closer close) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  if (e.idle) idle_.erase(e.idle_seq);
  e.idle = true;
  e.idle_seq = next_idle_seq_++;
  e.close = std::move(close);
  idle_.emplace(e.idle_seq, id);
}

void ConnectionTable::set_busy(Id id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || !it->second.idle) return;
  idle_.erase(it->second.idle_seq);
  it->second.idle = false;
  it->second.close = nullptr;
}

bool ConnectionTable::full() const {
  std::lock_guard lock(mu_);
  return entries_.size() >= limit_;
}

bool ConnectionTable::has_idle() const {
  std::lock_guard lock(mu_);
  return !idle_.empty();
}

std::size_t ConnectionTable::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

bool ConnectionTable::evict_oldest_idle() {
  Closer close;
  {
    std::lock_guard lock(mu_);
    if (idle_.empty()) return false;
    auto oldest = idle_.begin();
    Entry& e = entries_.at(oldest->second);
    close = std::move(e.close);
    e.idle = false;
    e.close = nullptr;
    idle_.erase(oldest);
  }
  if (close) close();
  return true;
}

std::size_t default_connection_limit(uint64_t nofile) {
  return static_cast<std::size_t>(std::clamp<uint64_t>(nofile / 2, 1, 10000));
}

}  // namespace http
