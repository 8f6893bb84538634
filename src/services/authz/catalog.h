#pragma once
// What IAM checks for each Gantry operation: the action "<prefix>:<Operation>" and the resource
// ARN(s) built from the request's input, as the Service Authorization Reference lists them
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
// with "*" where it lists no resource type.
//
//   ActionTarget t = describe_action("ecs", "CreateService", input, {acct, region, caller});
//   // t.action == "ecs:CreateService"
//   // t.resources == {"arn:aws:ecs:us-east-1:000000000000:service/web/api"}
//   // t.keys == {"ecs:cluster": {"arn:aws:ecs:us-east-1:000000000000:cluster/web"}}

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "services/iam/authority.h"

namespace services::authz {

struct Scope {
  std::string account;
  std::string region;
  std::string caller_arn;  // IAM operations on "the calling user" when UserName is absent
};

struct ActionTarget {
  std::string action;                  // "ecs:CreateService"
  std::vector<std::string> resources;  // each must be allowed; never empty ("*" at least)
  iam::ConditionKeys keys;             // service condition keys that are cheap to fill
};

// The IAM service prefix of a botocore model: "elbv2" -> "elasticloadbalancing".
std::string_view action_prefix(std::string_view model);

ActionTarget describe_action(std::string_view model, std::string_view operation,
                             const boost::json::object& input, const Scope& scope);

// Operations that no policy governs: "No permissions are required to perform this operation."
// (sts:GetCallerIdentity).
bool needs_no_permission(std::string_view model, std::string_view operation);

namespace catalog_detail {

// Helpers shared by the per-service tables.
struct Arns {
  const Scope& scope;
  // arn:aws:<service>:<region>:<account>:<resource>
  std::string arn(std::string_view service, std::string_view resource) const;
  // The same without a region (IAM, CloudWatch dashboards).
  std::string global(std::string_view service, std::string_view resource) const;
};

bool is_arn(std::string_view s);
// A name or an ARN given for it: the ARN's last '/' segment, else the text.
std::string name_of(std::string_view s);
// A string member, or each string of a list member.
std::vector<std::string> members(const boost::json::object& in, std::string_view key);

// Per-service resource builders: false when they know nothing of `op` (then "*").
using Resources = std::vector<std::string>;
bool ecs_resources(std::string_view op, const boost::json::object& in, const Arns& a,
                   ActionTarget& out);
bool ecr_resources(std::string_view op, const boost::json::object& in, const Arns& a,
                   ActionTarget& out);
bool logs_resources(std::string_view op, const boost::json::object& in, const Arns& a,
                    ActionTarget& out);
bool ec2_resources(std::string_view op, const boost::json::object& in, const Arns& a,
                   ActionTarget& out);
bool elbv2_resources(std::string_view op, const boost::json::object& in, const Arns& a,
                     ActionTarget& out);
bool cloudwatch_resources(std::string_view op, const boost::json::object& in, const Arns& a,
                          ActionTarget& out);
bool identity_resources(std::string_view model, std::string_view op,
                        const boost::json::object& in, const Arns& a, ActionTarget& out);

}  // namespace catalog_detail
}  // namespace services::authz
