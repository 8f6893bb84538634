#pragma once
// The service document as CreateService and UpdateService store it and DescribeServices shows it:
// its ARN, its deployments with their history, network defaults, and its wire form.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "protocol/request_context.h"

namespace services::ecs {

class EcsStore;

// A service's ARN: `ref` when it is one, else the ARN of service `ref` in `cluster`.
std::string service_arn_for(const protocol::RequestContext& ctx, const boost::json::object& cluster,
                            std::string_view ref);

// The wire form of a stored service: internal members ("_history") dropped.
boost::json::object without_internal_members(boost::json::object service);

// The wire form, with the service's tags (from `st`) when with_tags.
boost::json::object present_service(EcsStore& st, boost::json::object service, bool with_tags);

// Replaces the PRIMARY deployment: the old one becomes ACTIVE (it still owns tasks until the
// scheduler drains it); the new one is recorded in the service's history.
void start_deployment(boost::json::object& service, double now);

// A checked networkConfiguration as the service keeps it: assignPublicIp DISABLED and no
// securityGroups unless given.
boost::json::object with_network_defaults(boost::json::object network);

}  // namespace services::ecs
