#pragma once
// PutParameter's Policies: a JSON array of Expiration, ExpirationNotification and
// NoChangeNotification policies, checked as Parameter Store checks them. Gantry stores and shows
// them; it neither expires parameters nor sends the notifications.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policies.html

#include <string_view>

#include "protocol/aws_error.h"

namespace services::ssm {

// InvalidPolicyTypeException, InvalidPolicyAttributeException, IncompatiblePolicyException
// (two of one type) or PoliciesLimitExceededException (more than 10).
protocol::Result<void> check_policies(std::string_view policies);

}  // namespace services::ssm
