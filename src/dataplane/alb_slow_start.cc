#include "dataplane/alb_slow_start.h"

#include <algorithm>

namespace dataplane {

void SlowStartTracker::observe(const AlbSnapshot& snapshot, core::TimePoint now) {
  std::lock_guard lock(mu_);
  std::set<TargetKey> healthy;
  std::map<TargetKey, core::TimePoint> started;
  for (const auto& [arn, group] : snapshot.target_groups) {
    bool group_had_healthy = false;
    for (const auto& t : group.targets) {
      group_had_healthy = group_had_healthy || healthy_.count({arn, t.id, t.port}) > 0;
    }
    for (const auto& t : group.targets) {
      if (t.state != TargetState::Healthy) continue;
      TargetKey key{arn, t.id, t.port};
      healthy.insert(key);
      if (group.slow_start_seconds <= 0) continue;
      auto it = started_.find(key);
      if (it != started_.end()) {
        started[key] = it->second;  // still warming up
      } else if (seen_first_ && group_had_healthy && healthy_.count(key) == 0) {
        started[key] = now;  // just turned healthy beside healthy peers
      }
    }
  }
  // Entries whose duration has passed are harmless (share() caps at 1) and drop out once the
  // target leaves healthy.
  healthy_ = std::move(healthy);
  started_ = std::move(started);
  seen_first_ = true;
}

double SlowStartTracker::share(const SnapshotTargetGroup& group,
                               const SnapshotTarget& target, core::TimePoint now,
                               double time_scale) const {
  if (group.slow_start_seconds <= 0) return 1.0;
  std::lock_guard lock(mu_);
  auto it = started_.find({group.arn, target.id, target.port});
  if (it == started_.end()) return 1.0;
  double elapsed = std::chrono::duration<double>(now - it->second).count();
  double share = elapsed * time_scale / group.slow_start_seconds;
  return std::clamp(share, 0.01, 1.0);
}

}  // namespace dataplane
