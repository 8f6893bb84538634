#pragma once
// CloudWatch's metric retention: data points with a period below 60 s are kept 3 hours, then
// rolled up to 1 minute; 1-minute data is kept 15 days, then rolled up to 5 minutes; 5-minute
// data 63 days, then 1 hour; 1-hour data 455 days, then deleted. Ages are AWS durations on the
// injected clock (so 3 hours last 3 minutes at --time-scale 60).
//
// A reconcile::Controller with one key, resynced every kSweepEvery of AWS time (at least every
// second of real time). Rolling up merges the samples of one metric, bucket and unit into one
// row: counts, sums, minimum, maximum and the values kept for percentiles.
//
// Threads: start()/stop() from the module; sweep() and run_ready() in tests.

#include <chrono>
#include <cstdint>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "store/db.h"

namespace services::cloudwatch {

class MetricRetention {
 public:
  static constexpr std::chrono::minutes kSweepEvery{10};

  MetricRetention(store::Db& db, const core::Clock& clock);

  void start() { controller_.start(); }
  void stop() { controller_.stop(); }
  size_t run_ready() { return controller_.run_ready(); }

  struct Swept {
    int64_t rolled_up = 0;  // rows merged into coarser ones
    int64_t deleted = 0;    // rows past 455 days
  };
  Swept sweep();

 private:
  int64_t roll_up(int finer_than_s, core::Duration age, int to_s, int64_t now_ms);

  store::Db& db_;
  const core::Clock& clock_;
  reconcile::Controller controller_;
};

}  // namespace services::cloudwatch
