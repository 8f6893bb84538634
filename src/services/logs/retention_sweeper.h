#pragma once
// Enforces PutRetentionPolicy: deletes the events of a group whose timestamp is older than its
// retention period, measured on the injected clock and divided by its time scale (1 day of
// retention lasts 1 s at --time-scale 86400).
//
// A reconcile::Controller keyed by group id: every group with a policy is swept at each resync
// (every kSweepEvery of AWS time, at least once a second of real time), and PutRetentionPolicy
// enqueues its group at once. AWS deletes expired events "typically within 72 hours"; we are
// quicker, which no client can tell apart.
//
// Threads: enqueue() from any thread; start()/stop() from the module; run_ready() in tests.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "store/db.h"

namespace services::logs {

class RetentionSweeper {
 public:
  static constexpr std::chrono::minutes kSweepEvery{10};

  RetentionSweeper(store::Db& db, const core::Clock& clock);

  void start() { controller_.start(); }
  void stop() { controller_.stop(); }
  void enqueue(int64_t group_id) { controller_.enqueue(std::to_string(group_id)); }
  // Tests: sweeps every group that is due, on the calling thread.
  size_t run_ready() { return controller_.run_ready(); }

  // Deletes the group's expired events now; returns how many went.
  int64_t sweep(int64_t group_id);

 private:
  reconcile::ReconcileResult reconcile(const std::string& key);

  store::Db& db_;
  const core::Clock& clock_;
  reconcile::Controller controller_;
};

}  // namespace services::logs
