#pragma once
// Pieces of CreateService/UpdateService that need no store: defaults and checks against a task
// definition document. Unit-tested in service_rules_test.cc.

#include <boost/json/object.hpp>
#include <string>

#include "core/clock.h"

namespace services::ecs {

// ECS's deploymentConfiguration defaults merged under what the caller sent: REPLICA 200/100,
// DAEMON 100/0, circuit breaker off. Returns an error message (empty when valid).
std::string apply_deployment_configuration(boost::json::object& service,
                                           const boost::json::object* requested);

// awsvpc needs networkConfiguration with subnets; other modes take none. Error message or "".
std::string check_network_configuration(const boost::json::object& task_definition,
                                        const boost::json::object* network_configuration,
                                        const std::string& launch_type);

// Each load balancer's containerName/containerPort must be a port mapping of the task definition.
std::string check_load_balancers(const boost::json::object& task_definition,
                                 const boost::json::array& load_balancers);

// A new PRIMARY deployment of `service` (taskDefinition, desiredCount, launch settings and
// networkConfiguration taken from it), rolloutState IN_PROGRESS.
boost::json::object new_deployment(const boost::json::object& service, double now);

}  // namespace services::ecs
