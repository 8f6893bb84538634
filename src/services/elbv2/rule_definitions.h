#pragma once
// Validation and normal form of listener actions and rule conditions, as CreateListener,
// ModifyListener, CreateRule and ModifyRule accept them and Describe* return them. Pure
// functions: checking that target groups exist is the caller's job (it has the store).
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RuleCondition.html

#include <boost/json/array.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/aws_error.h"

namespace services::elbv2 {

struct NormalizedActions {
  // As Describe* returns them: a forward to one group carries both TargetGroupArn and
  // ForwardConfig (weight 1, stickiness off); ordered by Order, which is kept when given.
  boost::json::array actions;
  std::vector<std::string> target_groups;  // every group forwarded to, first-seen order
};

// `listener_protocol` is HTTP or HTTPS (authenticate-* need HTTPS).
protocol::Result<NormalizedActions> normalize_actions(const boost::json::array* actions,
                                                      std::string_view listener_protocol);

// Conditions in their normal form: path-pattern and host-header carry both Values and their
// *Config; the other fields only their *Config. ALB allows 5 condition values per rule.
protocol::Result<boost::json::array> normalize_conditions(const boost::json::array* conditions);

}  // namespace services::elbv2
