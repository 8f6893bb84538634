#pragma once
// What a change set would do: each resource's Add, Modify (with Replacement and the properties
// that change) or Remove, as DescribeChangeSet lists them. Properties that depend on resources
// not created yet are compared as unknown (a change CloudFormation would evaluate later).

#include <boost/json/array.hpp>

#include "services/cloudformation/cloudformation_service.h"

namespace services::cloudformation {

// `previous` is the stack being updated, null for a CREATE change set.
boost::json::array preview_changes(store::Transaction& tx, const Ctx& ctx,
                                   const CheckedTemplate& next, const Stack* previous,
                                   const StackWorker& worker);

}  // namespace services::cloudformation
