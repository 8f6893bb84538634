#pragma once
// Slow start (target group attribute slow_start.duration_seconds), as ALB does it: a target that
// turns healthy gets a weight in its group's picks that rises linearly from 0 to that of its peers
// over the duration ("the load balancer linearly increases the number of requests that it sends
// to the target"). The proxy learns when a target turned healthy from the snapshots it sees.
//
// As AWS: a target is not in slow start when it was already healthy in the first snapshot the
// proxy saw, when its group had no healthy target before (nothing to protect it from), or when
// the group has slow start off. A target that leaves healthy leaves slow start; turning healthy
// again starts it over. Thread-safe.

#include <map>
#include <mutex>
#include <set>

#include "core/clock.h"
#include "dataplane/alb_config.h"

namespace dataplane {


class SlowStartTracker {
 public:
  // Records, for each target healthy in `snapshot`, when it turned healthy (`now` when it was not
  // healthy in the previous snapshot).
  void observe(const AlbSnapshot& snapshot, core::TimePoint now);

  // The weight of `target` against a peer at `now` (a peer weighs 1): 1 when it is
  // not in slow start, otherwise elapsed / slow_start_seconds (at least 0.01). The duration is
  // in AWS seconds, divided by `time_scale` (core::Clock::time_scale()).
  double share(const SnapshotTargetGroup& group, const SnapshotTarget& target,
               core::TimePoint now, double time_scale = 1.0) const;

 private:
  mutable std::mutex mu_;
  bool seen_first_ = false;
  std::set<TargetKey> healthy_;                   // healthy in the last snapshot
  std::map<TargetKey, core::TimePoint> started_;  // in slow start since
};

}  // namespace dataplane
