#pragma once
// Load balancer, target group and listener attributes: AWS's defaults for application load
// balancers and their validation. Attributes are stored as a JSON object key -> value (text).
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::elbv2 {

boost::json::object default_load_balancer_attributes();
// target_type: ip, instance or lambda.
boost::json::object default_target_group_attributes(std::string_view target_type);
boost::json::object default_listener_attributes();

// Checks every {Key, Value} of `changes` and, only when all are valid, writes them into
// `attributes`. Unknown keys and bad values are ValidationErrors, as ELB reports them.
std::optional<protocol::AwsError> apply_load_balancer_attributes(boost::json::object& attributes,
                                                                 const boost::json::array& changes);
std::optional<protocol::AwsError> apply_target_group_attributes(boost::json::object& attributes,
                                                                const boost::json::array& changes);
std::optional<protocol::AwsError> apply_listener_attributes(boost::json::object& attributes,
                                                            const boost::json::array& changes);

}  // namespace services::elbv2
