#pragma once
// The decision half of the service scheduler (STYLE.md §4): given a service's desired count, its
// deployment configuration and the tasks it has, which tasks to start for the PRIMARY deployment
// and which tasks to stop. A pure function of its input, unit-tested on its own
// (deployment_rollout_test.cc); the scheduler does the side effects.

#include <cstdint>
#include <string>
#include <vector>

namespace services::ecs {

// One task the scheduler still counts: desiredStatus RUNNING, not STOPPED, not being drained.
struct RolloutTask {
  std::string arn;
  std::string deployment_id;  // its startedBy
  // RUNNING, and healthy in every target group when the service has load balancers
  // (a target in "initial" does not count).
  bool available = false;
  bool running = false;   // lastStatus RUNNING (healthy or not)
  double created_at = 0;  // epoch seconds; newer tasks are stopped first on scale-in
};

struct RolloutInput {
  int64_t desired_count = 0;
  int64_t minimum_healthy_percent = 100;
  int64_t maximum_percent = 200;
  std::string primary_id;
  // The ACTIVE deployments, oldest first: their tasks are replaced in that order.
  std::vector<std::string> old_ids;
  // False while launches back off after failures, or once the PRIMARY rollout FAILED.
  bool may_launch = true;
  std::vector<RolloutTask> tasks;
};

struct RolloutPlan {
  int64_t start = 0;              // new tasks for the PRIMARY deployment
  std::vector<std::string> stop;  // task ARNs to drain and stop, in order
};

RolloutPlan plan_rollout(const RolloutInput& in);

}  // namespace services::ecs
