#include "services/authz/catalog.h"

#include <array>

#include "core/json.h"

namespace services::authz {
namespace catalog_detail {

std::string Arns::arn(std::string_view service, std::string_view resource) const {
  return "arn:aws:" + std::string(service) + ":" + scope.region + ":" + scope.account + ":" +
         std::string(resource);
}

std::string Arns::global(std::string_view service, std::string_view resource) const {
  return "arn:aws:" + std::string(service) + "::" + scope.account + ":" + std::string(resource);
}

bool is_arn(std::string_view s) { return s.starts_with("arn:"); }

std::string name_of(std::string_view s) {
  if (!is_arn(s)) return std::string(s);
  return std::string(s.substr(s.rfind('/') + 1));
}

std::vector<std::string> members(const boost::json::object& in, std::string_view key) {
  if (std::optional<std::string> s = core::opt_str(in, key)) return {*s};
  return core::strings(in, key);
}

}  // namespace catalog_detail

namespace {

using namespace catalog_detail;

// The resource ARN members that tagging operations name, whatever the service.
constexpr std::array kTagArnMembers{"resourceArn", "ResourceArn", "ResourceARN", "ResourceArns"};

bool tag_resources(std::string_view op, const boost::json::object& in, ActionTarget& out) {
  if (op != "TagResource" && op != "UntagResource" && op != "ListTagsForResource" &&
      op != "AddTags" && op != "RemoveTags") {
    return false;
  }
  for (const char* m : kTagArnMembers) {
    std::vector<std::string> arns = members(in, m);
    if (!arns.empty() && is_arn(arns.front())) {
      out.resources = std::move(arns);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view action_prefix(std::string_view model) {
  if (model == "elbv2") return "elasticloadbalancing";
  if (model == "monitoring") return "cloudwatch";
  return model;
}

bool needs_no_permission(std::string_view model, std::string_view operation) {
  return model == "sts" && operation == "GetCallerIdentity";
}

ActionTarget describe_action(std::string_view model, std::string_view operation,
                             const boost::json::object& input, const Scope& scope) {
  ActionTarget out;
  out.action = std::string(action_prefix(model)) + ":" + std::string(operation);
  Arns a{scope};
  bool known = tag_resources(operation, input, out);
  if (!known) {
    if (model == "ecs") {
      known = ecs_resources(operation, input, a, out);
    } else if (model == "ecr") {
      known = ecr_resources(operation, input, a, out);
    } else if (model == "logs") {
      known = logs_resources(operation, input, a, out);
    } else if (model == "ec2") {
      known = ec2_resources(operation, input, a, out);
    } else if (model == "elbv2") {
      known = elbv2_resources(operation, input, a, out);
    } else if (model == "cloudwatch" || model == "monitoring") {
      known = cloudwatch_resources(operation, input, a, out);
    } else {
      // iam, sts, kms, ssm, secretsmanager, dynamodb. Application Auto Scaling's scalable
      // targets have ARNs that its input never names: the reference lists "*" for them.
      known = identity_resources(model, operation, input, a, out);
    }
  }
  if (!known || out.resources.empty()) out.resources = {"*"};
  return out;
}

}  // namespace services::authz
