#pragma once
// Expires STOPPED tasks from the API as ECS does: "stopped tasks appear in the returned results
// for at least one hour" (DescribeTasks), then DescribeTasks reports them MISSING and ListTasks
// no longer lists them. The window is an AWS timer: divided by the clock's time scale.
//
// A reconcile::Controller with one key: a sweep at every resync (a tenth of the window, at least
// once a second and at most once a minute of real time). The decision is expired_tasks(), a pure
// function of the rows, the time and the window.
//
// Threads: start()/stop() from the module; run_ready() in tests.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "services/ecs/ecs_store.h"
#include "store/db.h"

namespace services::ecs {

// ECS's documented minimum; the --stopped-task-ttl flag changes it.
inline constexpr std::chrono::seconds kDefaultStoppedTaskTtl{3600};

// The rows whose window has passed at `now` (epoch seconds): stopped at least `ttl` (already
// scaled) ago, and not still awaited by their service's scheduler.
std::vector<StoppedTaskRow> expired_tasks(const std::vector<StoppedTaskRow>& stopped, double now,
                                          core::Duration ttl);

class StoppedTaskSweeper {
 public:
  // `ttl` in AWS time.
  StoppedTaskSweeper(store::Db& db, const core::Clock& clock, core::Duration ttl);

  void start() { controller_.start(); }
  void stop() { controller_.stop(); }
  // Tests: sweeps now if due, on the calling thread.
  std::size_t run_ready() { return controller_.run_ready(); }

  // Deletes the expired tasks now; returns how many went.
  std::size_t sweep();

 private:
  store::Db& db_;
  const core::Clock& clock_;
  core::Duration ttl_;  // scaled
  reconcile::Controller controller_;
};

}  // namespace services::ecs
