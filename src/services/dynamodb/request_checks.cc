#include "services/dynamodb/request_checks.h"

#include <vector>

#include "core/json.h"
#include "services/dynamodb/core/legacy.h"
#include "services/dynamodb/errors.h"

namespace services::dynamodb {
namespace {

std::string braces(const std::vector<std::string_view>& names) {
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  return out + "}";
}

}  // namespace

void check_expression_parameters(const boost::json::object& req,
                                 std::initializer_list<std::string_view> expressions,
                                 std::initializer_list<std::string_view> legacy,
                                 std::string_view null_what) {
  std::vector<std::string_view> used_expr;
  std::vector<std::string_view> used_legacy;
  for (std::string_view e : expressions) {
    if (req.contains(e)) used_expr.push_back(e);
  }
  for (std::string_view l : legacy) {
    if (req.contains(l)) used_legacy.push_back(l);
  }
  if (!used_expr.empty() && !used_legacy.empty()) {
    throw errors::validation(
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: " + braces(used_legacy) +
        " Expression parameters: " + braces(used_expr));
  }
  if (used_expr.empty()) {
    if (req.contains("ExpressionAttributeNames")) {
      throw errors::validation(
          "ExpressionAttributeNames can only be specified when using expressions");
    }
    if (req.contains("ExpressionAttributeValues")) {
      throw errors::validation(
          "ExpressionAttributeValues can only be specified when using expressions: " +
          std::string(null_what));
    }
  }
}

ExpressionContext expression_context(const boost::json::object& req) {
  return ExpressionContext(core::obj(req, "ExpressionAttributeNames"),
                           core::obj(req, "ExpressionAttributeValues"));
}

Condition write_condition(const boost::json::object& req, ExpressionContext& ectx) {
  if (auto text = core::opt_str(req, "ConditionExpression")) {
    return parse_condition(*text, ectx, "ConditionExpression");
  }
  if (const boost::json::object* expected = core::obj(req, "Expected")) {
    return condition_from_expected(*expected, core::str(req, "ConditionalOperator"));
  }
  return Condition();
}

Projection read_projection(const boost::json::object& req, ExpressionContext& ectx) {
  if (auto text = core::opt_str(req, "ProjectionExpression")) {
    return parse_projection(*text, ectx);
  }
  if (const boost::json::array* names = core::arr(req, "AttributesToGet")) {
    return projection_from_attributes_to_get(*names);
  }
  return Projection();
}

boost::json::object project_item(const Projection& p, const boost::json::object& item) {
  if (p.paths().empty()) return item;
  return p.apply(item);
}

std::string return_values(const boost::json::object& req,
                          std::initializer_list<std::string_view> allowed) {
  std::string v = core::str(req, "ReturnValues", "NONE");
  for (std::string_view a : allowed) {
    if (v == a) return v;
  }
  throw errors::validation("Return values set to invalid value");
}

}  // namespace services::dynamodb
