#pragma once
// Fn::ForEach (AWS::LanguageExtensions): a loop in Resources, Outputs or Conditions that stamps
// out one member per collection item.
//
//   "Fn::ForEach::Topics": ["Name", ["Orders", "Invoices"],
//                           {"Topic${Name}": {"Type": "AWS::SNS::Topic",
//                                             "Properties": {"TopicName": {"Ref": "Name"}}}}]
//
// gives TopicOrders and TopicInvoices. In the output keys and in every string of the fragment,
// ${Identifier} is the item and &{Identifier} the item without its non-alphanumeric characters;
// {"Ref": "Identifier"} is the item. The collection is a list or an intrinsic over parameters
// (a CommaDelimitedList parameter), so loops expand once parameter values are known; loops nest.

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/intrinsics.h"
#include "services/cloudformation/engine/parameters.h"
#include "services/cloudformation/engine/template.h"

namespace services::cloudformation::engine {

// `t` with its loops expanded and its sections modelled again; `t` itself when it has none.
protocol::Result<Template> expand_for_each(const Template& t, const StackIdentity& stack,
                                           const ParameterValues& params);

}  // namespace services::cloudformation::engine
