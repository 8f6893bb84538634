#pragma once
// The decision half of the service scheduler (STYLE.md §4), above plan_rollout(): from the
// service record and what this pass found of its tasks, whether launches may go ahead (the
// service throttle, the circuit breaker, a FAILED rollout), how many tasks to start and which to
// stop, and into which subnets the new tasks go. Pure functions of their input (`now` is passed
// in), unit-tested in service_plan_test.cc; RollingServiceScheduler reads and writes.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "services/ecs/deployment_rollout.h"
#include "services/ecs/records.h"

namespace services::ecs {

// What the scheduler learnt from the service's tasks before planning.
struct TaskFindings {
  std::vector<RolloutTask> live;          // tasks still counted (see RolloutTask)
  std::map<std::string, int64_t> failed;  // deployment id → tasks newly found failed
  int64_t failed_to_start = 0;            // of those, tasks that never reached RUNNING
  bool became_available = false;          // a task turned available for the first time
};

struct ServicePlanInput {
  double now = 0;
  double time_scale = 1.0;          // the clock's: AWS durations are divided by it
  bool has_task_definition = true;  // the PRIMARY's task definition exists
  TaskFindings findings;
};

struct ServicePlan {
  RolloutPlan rollout;
  std::string primary_id;
  // The service throttle after this pass: failed launches in a row and the time before which
  // none starts; `throttled` when this pass delayed launches (an "unable to consistently start
  // tasks" event is due).
  int64_t consecutive_failures = 0;
  double launch_not_before = 0;
  bool throttled = false;
  bool breaker_trips = false;
};

ServicePlan plan_service(const Service& service, const ServicePlanInput& in);

// The subnets of each new task, in order (its ENI goes into the first): the least-used zone,
// then the least-used subnet first. `zone_of` maps each subnet to its zone (or to itself);
// `subnet_use` counts the tasks already in each subnet and is updated.
std::vector<std::vector<std::string>> place_tasks(const std::vector<std::string>& subnets,
                                                  const std::map<std::string, std::string>& zone_of,
                                                  std::map<std::string, int64_t>& subnet_use,
                                                  int64_t count);

}  // namespace services::ecs
