#include "dataplane/target_selector.h"

#include <vector>

namespace dataplane {
namespace {

bool receives_traffic(const SnapshotTarget& t, bool checks_enabled) {
  if (t.state == TargetState::Healthy) return true;
  return !checks_enabled && t.state == TargetState::Unavailable;
}

bool fail_open_candidate(const SnapshotTarget& t) {
  return t.state != TargetState::Draining && t.state != TargetState::Unused;
}

}  // namespace

std::optional<SnapshotTarget> TargetSelector::pick(const SnapshotTargetGroup& group) {
  std::vector<const SnapshotTarget*> candidates;
  for (const auto& t : group.targets) {
    if (receives_traffic(t, group.health_check.enabled)) candidates.push_back(&t);
  }
  if (candidates.empty()) {
    for (const auto& t : group.targets) {
      if (fail_open_candidate(t)) candidates.push_back(&t);
    }
  }
  if (candidates.empty()) return std::nullopt;

  std::lock_guard lock(mu_);
  uint64_t& cursor = next_[group.arn];
  if (group.algorithm == "least_outstanding_requests") {
    // Ties go round robin so that an idle group still spreads its requests.
    size_t n = candidates.size();
    size_t best = cursor % n;
    int best_count = -1;
    for (size_t i = 0; i < n; ++i) {
      size_t idx = (cursor + i) % n;
      const auto* t = candidates[idx];
      auto it = outstanding_.find({group.arn, t->id, t->port});
      int count = it == outstanding_.end() ? 0 : it->second;
      if (best_count < 0 || count < best_count) {
        best = idx;
        best_count = count;
      }
    }
    ++cursor;
    return *candidates[best];
  }
  return *candidates[cursor++ % candidates.size()];
}

void TargetSelector::started(const TargetKey& target) {
  std::lock_guard lock(mu_);
  ++outstanding_[target];
}

int TargetSelector::finished(const TargetKey& target) {
  std::lock_guard lock(mu_);
  auto it = outstanding_.find(target);
  if (it == outstanding_.end()) return 0;
  int left = --it->second;
  if (left <= 0) {
    outstanding_.erase(it);
    return 0;
  }
  return left;
}

int TargetSelector::outstanding(const TargetKey& target) const {
  std::lock_guard lock(mu_);
  auto it = outstanding_.find(target);
  return it == outstanding_.end() ? 0 : it->second;
}

}  // namespace dataplane
