#pragma once
// The AlbSnapshotSource of the control plane: rebuilds the snapshot from the store and swaps it
// in atomically, then tells subscribers.
//
// Thread-safe. publish() must not be called while the calling thread holds a transaction on the
// same Db (it opens a read transaction); concurrent publishes are serialised, and the snapshot a
// publish() installs always reflects every commit that happened before it was called.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "core/clock.h"
#include "services/elbv2/alb_snapshot.h"
#include "store/db.h"

namespace services::elbv2 {

class SnapshotPublisher final : public AlbSnapshotSource {
 public:
  SnapshotPublisher(store::Db& db, const core::Clock& clock);

  // Rebuilds from the store, installs the result and calls the subscribers with it.
  void publish();

  std::shared_ptr<const AlbSnapshot> current() const override;
  uint64_t subscribe(Listener listener) override;
  void unsubscribe(uint64_t id) override;

 private:
  store::Db& db_;
  const core::Clock& clock_;
  std::mutex publish_mutex_;  // one rebuild at a time, in order
  uint64_t version_ = 0;      // guarded by publish_mutex_
  std::atomic<std::shared_ptr<const AlbSnapshot>> current_;
  std::mutex listeners_mutex_;
  std::map<uint64_t, Listener> listeners_;
  uint64_t next_listener_id_ = 1;
};

}  // namespace services::elbv2
