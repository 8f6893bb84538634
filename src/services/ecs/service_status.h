#pragma once
// The observing half of the service scheduler: from a service's tasks, the counts and rollout
// states ECS shows in DescribeServices, and the decisions that follow from them alone:
// completion of a deployment, the deployment circuit breaker and its rollback, the steady-state
// event, and DRAINING → INACTIVE after DeleteService. Pure functions of records (records.h) and
// time, applied inside the scheduler's write transaction to the freshly read rows.

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/ecs/records.h"

namespace services::ecs {

// ECS's circuit-breaker threshold: half the desired count, rounded up, between 3 and 200.
int64_t circuit_breaker_threshold(int64_t desired_count);

struct StatusInput {
  double now = 0;
  // How long ECS waits before repeating an unchanged steady-state event (6 hours, scaled).
  double repeat_after_seconds = 6 * 3600;
  // Tasks found available by this pass (RUNNING and healthy in every target group).
  std::set<std::string> available;
};

// Updates service["runningCount"/"pendingCount"], each deployment's counts, rolloutState and
// events, and the service deployments history ("_history") from `tasks` (every task row of the
// service, stopped ones included). Idempotent: a second call with the same rows changes nothing
// but counts.
void update_service_status(Service& service, const std::vector<Task>& tasks,
                           const StatusInput& in);
// The same over stored documents.
void update_service_status(boost::json::object& service,
                           const std::vector<boost::json::object>& tasks, const StatusInput& in);

// Adds the members update_service_status() writes when a document lacks them, in the order a
// service document first gets them.
void ensure_status_members(boost::json::object& service);

// The circuit breaker's decision on a service: whether its PRIMARY deployment fails now, and the
// deployment it rolls back to (nullptr: none, or rollback is off).
struct BreakerDecision {
  bool trips = false;
  const Deployment* rollback_to = nullptr;
};
// `running` maps deployment ids to their RUNNING tasks.
BreakerDecision plan_circuit_breaker(const Service& service,
                                     const std::map<std::string, int64_t>& running);

// Sets the status of the history entry of `deployment_id` (the service deployments API); a final
// status also sets finishedAt.
void set_history_status(boost::json::object& service, const std::string& deployment_id,
                        const std::string& status, double now);

}  // namespace services::ecs
