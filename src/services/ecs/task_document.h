#pragma once
// The task document RunTask stores and the service scheduler stores for each task it starts:
// lastStatus PROVISIONING, desiredStatus RUNNING, as ECS reports a task right after it is
// placed. One code path for both, so a service's tasks look exactly like RunTask's.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "protocol/request_context.h"

namespace services::ecs {

// How a task is launched: a launch type, or a capacity provider strategy.
struct TaskLaunch {
  std::string launch_type;  // "" when a capacity provider strategy is used
  boost::json::array strategy;
  bool fargate = false;
};

// A new task of `task_definition` in `cluster` (both documents as stored). `in` holds RunTask's
// members that shape the task: networkConfiguration, group, startedBy, overrides,
// platformVersion, enableExecuteCommand. `ctx` gives the account and region of its ARN.
boost::json::object new_task(const protocol::RequestContext& ctx,
                             const boost::json::object& cluster,
                             const boost::json::object& task_definition,
                             const boost::json::object& in, const TaskLaunch& launch, double now);

}  // namespace services::ecs
