#pragma once
// What item, query and batch requests share before they touch a table: the choice between
// expression and legacy parameters (and DynamoDB's errors for mixing them), conditions and
// projections from either form, and ReturnValues / ReturnConsumedCapacity. Each throws AwsError.

#include <boost/json/object.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb {

// "Can not use both expression and non-expression parameters in the same request:
// Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}", and
// "ExpressionAttributeNames can only be specified when using expressions" (likewise Values,
// with ": <null_what>" naming the expressions that are absent).
void check_expression_parameters(const boost::json::object& req,
                                 std::initializer_list<std::string_view> expressions,
                                 std::initializer_list<std::string_view> legacy,
                                 std::string_view null_what);

// ConditionExpression, else Expected (+ ConditionalOperator), else none.
Condition write_condition(const boost::json::object& req, ExpressionContext& ectx);
// ProjectionExpression, else AttributesToGet, else everything (an empty projection).
Projection read_projection(const boost::json::object& req, ExpressionContext& ectx);
// A projection that keeps everything when it has no paths.
boost::json::object project_item(const Projection& p, const boost::json::object& item);

// ReturnValues, checked against the values the operation allows ("NONE" when absent):
// "Return values set to invalid value".
std::string return_values(const boost::json::object& req,
                          std::initializer_list<std::string_view> allowed);

// The ExpressionContext of a request (its ExpressionAttributeNames/Values).
ExpressionContext expression_context(const boost::json::object& req);

}  // namespace services::dynamodb
