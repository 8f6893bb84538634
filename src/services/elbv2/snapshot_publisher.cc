#include "services/elbv2/snapshot_publisher.h"

#include <vector>

#include "services/elbv2/snapshot_builder.h"

namespace services::elbv2 {

SnapshotPublisher::SnapshotPublisher(store::Db& db, const core::Clock& clock)
    : db_(db), clock_(clock), current_(std::make_shared<const AlbSnapshot>()) {}

void SnapshotPublisher::publish() {
  std::shared_ptr<const AlbSnapshot> installed;
  {
    std::lock_guard<std::mutex> lock(publish_mutex_);
    std::shared_ptr<AlbSnapshot> next;
    {
      store::Transaction tx = db_.read();
      next = build_snapshot(tx);
      tx.commit();
    }
    next->version = ++version_;
    next->built_at = clock_.now();
    installed = std::move(next);
    current_.store(installed);
  }
  std::vector<Listener> listeners;
  {
    std::lock_guard<std::mutex> lock(listeners_mutex_);
    for (const auto& [id, listener] : listeners_) {
      listeners.push_back(listener);
    }
  }
  for (const Listener& listener : listeners) {
    listener(installed);
  }
}

std::shared_ptr<const AlbSnapshot> SnapshotPublisher::current() const { return current_.load(); }

uint64_t SnapshotPublisher::subscribe(Listener listener) {
  std::lock_guard<std::mutex> lock(listeners_mutex_);
  uint64_t id = next_listener_id_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void SnapshotPublisher::unsubscribe(uint64_t id) {
  std::lock_guard<std::mutex> lock(listeners_mutex_);
  listeners_.erase(id);
}

}  // namespace services::elbv2
