#pragma once
// DynamoDB's legacy (pre-expression) parameters, converted to the same parsed forms as the
// expressions so that one evaluator serves both:
//   Expected + ConditionalOperator        → Condition   (PutItem, UpdateItem, DeleteItem)
//   QueryFilter / ScanFilter + ConditionalOperator → Condition
//   KeyConditions                         → KeyCondition (Query)
//   AttributesToGet                       → Projection  (GetItem, Query, Scan, BatchGetItem)
//   AttributeUpdates                      → Update      (UpdateItem)
// Each throws protocol::AwsError (ValidationException) with DynamoDB's messages, e.g.
//   "One or more parameter values were invalid: Invalid number of argument(s) for the EQ
//    ComparisonOperator"
//   "One or more parameter values were invalid: Value must be provided when Exists is null for
//    Attribute: a"
//   "One or more parameter values were invalid: Duplicate value in attribute name: a"
// Mixing a legacy parameter with its expression counterpart is the caller's check
// ("Can not use both expression and non-expression parameters in the same request: ...").

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string_view>

#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb {

// `conditional_operator` is "AND" (also when empty) or "OR".
Condition condition_from_expected(const boost::json::object& expected,
                                  std::string_view conditional_operator);
Condition condition_from_filter(const boost::json::object& filter,
                                std::string_view conditional_operator);
KeyCondition key_condition_from_legacy(const boost::json::object& key_conditions,
                                       const KeySchemaNames& schema);
Projection projection_from_attributes_to_get(const boost::json::array& names);
Update update_from_attribute_updates(const boost::json::object& updates);

}  // namespace services::dynamodb
