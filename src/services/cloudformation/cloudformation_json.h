#pragma once
// Stored rows -> CloudFormation's wire shapes (the model's member names; timestamps as epoch
// seconds, which the query codec writes as ISO 8601).

#include <boost/json/object.hpp>
#include <string_view>

#include "services/cloudformation/model.h"

namespace services::cloudformation {

boost::json::object stack_json(const Stack& s);          // DescribeStacks' Stack
boost::json::object stack_summary_json(const Stack& s);  // ListStacks' StackSummary
boost::json::object event_json(const Stack& s, const StackEvent& e);
boost::json::object resource_json(const Stack& s, const StackResource& r);     // StackResource
boost::json::object resource_detail_json(const Stack& s, const StackResource& r);
boost::json::object resource_summary_json(const StackResource& r);
boost::json::object change_set_json(const Stack& s, const ChangeSet& c);  // DescribeChangeSet
boost::json::object change_set_summary_json(const Stack& s, const ChangeSet& c);
// Parameters as shown: NoEcho values as "****", the internal NoEcho marker dropped.
boost::json::array shown_parameters(const boost::json::array& stored);

double seconds(int64_t ms);

// A request's list member, or [] when absent.
boost::json::array list_of(const boost::json::object& in, std::string_view key);

}  // namespace services::cloudformation
