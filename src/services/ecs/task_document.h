#pragma once
// The task document RunTask stores and the service scheduler stores for each task it starts:
// lastStatus PROVISIONING, desiredStatus RUNNING, as ECS reports a task right after it is
// placed. One code path for both, so a service's tasks look exactly like RunTask's.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "protocol/aws_error.h"
#include "protocol/request_context.h"

namespace services::ecs {

// How a task is launched: a launch type, or a capacity provider strategy.
struct TaskLaunch {
  std::string launch_type;  // "" when a capacity provider strategy is used
  boost::json::array strategy;
  bool fargate = false;
};

// How a RunTask or CreateService request launches: the requested capacity provider strategy
// (`requested`, null when none), else in's launchType, else the cluster's default strategy, else
// EC2. Fargate when the launch type or any provider of the strategy is FARGATE(_SPOT). Fails with
// InvalidParameterException when the requested strategy is invalid.
protocol::Result<TaskLaunch> resolve_launch(const boost::json::array* requested,
                                            const boost::json::object& in,
                                            const boost::json::object& cluster);

// InvalidParameterException when `in` gives a platformVersion for an EC2 launch.
protocol::Result<void> check_platform_version(const TaskLaunch& launch,
                                              const boost::json::object& in);

// Whether a task definition's compatibilities include FARGATE.
bool supports_fargate(const boost::json::object& task_definition);

// A new task of `task_definition` in `cluster` (both documents as stored). `in` holds RunTask's
// members that shape the task: networkConfiguration, group, startedBy, overrides,
// platformVersion, enableExecuteCommand. `ctx` gives the account and region of its ARN.
boost::json::object new_task(const protocol::RequestContext& ctx,
                             const boost::json::object& cluster,
                             const boost::json::object& task_definition,
                             const boost::json::object& in, const TaskLaunch& launch, double now);

}  // namespace services::ecs
