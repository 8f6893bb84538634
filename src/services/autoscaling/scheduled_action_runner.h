#pragma once
// Fires scheduled actions at their times: sets the target's MinCapacity and MaxCapacity from the
// action's ScalableTargetAction and, when the service's desiredCount is outside the new range,
// brings it inside ("If the current capacity is below the new minimum, Application Auto Scaling
// scales out to the minimum; above the new maximum, it scales in to the maximum"). Each firing is
// a scaling activity; a rate or cron action is then due again at its next time, an at() action
// never. While ScheduledScalingSuspended is true, due actions are skipped.
//
// A reconcile::Controller with one key, resynced every second of real time or every minute of
// AWS time, whichever is shorter (PutScheduledAction also wakes it): an action runs within that
// of its time. Rates are AWS time (divided by the time scale); at() and cron() are wall-clock
// times and are not scaled.
//
// Threads: start()/stop() from the module; wake() from any thread; run_ready() in tests.

#include <chrono>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "services/autoscaling/ports.h"
#include "services/autoscaling/scaler.h"
#include "store/db.h"

namespace services::autoscaling {

class ScheduledActionRunner {
 public:
  ScheduledActionRunner(store::Db& db, const core::Clock& clock, ServiceCapacity& capacity,
                        Scaler& scaler);

  void start() { controller_.start(); }
  void stop() { controller_.stop(); }
  void wake() { controller_.enqueue("due"); }
  size_t run_ready() { return controller_.run_ready(); }

  // Fires every action due now; returns how many fired.
  int run_due();

 private:
  void fire(const NamedRow& action);

  store::Db& db_;
  const core::Clock& clock_;
  ServiceCapacity& capacity_;
  Scaler& scaler_;
  reconcile::Controller controller_;
};

}  // namespace services::autoscaling
