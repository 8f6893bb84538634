// Service-linked roles: the roles AWS services create for themselves, under
// /aws-service-role/<service>/ with the service's managed policy attached.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html

#include <array>
#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_json.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"

namespace services::iam {

namespace json = boost::json;

namespace {

struct LinkedService {
  std::string_view service;  // the AWSServiceName
  std::string_view role;
  std::string_view policy_arn;
};

// The services of Gantry that have service-linked roles.
constexpr std::array<LinkedService, 3> kLinked = {{
    {"ecs.amazonaws.com", "AWSServiceRoleForECS",
     "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy"},
    {"elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing",
     "arn:aws:iam::aws:policy/aws-service-role/AWSElasticLoadBalancingServiceRolePolicy"},
    {"ecs.application-autoscaling.amazonaws.com",
     "AWSServiceRoleForApplicationAutoScaling_ECSService",
     "arn:aws:iam::aws:policy/aws-service-role/AWSApplicationAutoscalingECSServicePolicy"},
}};

const LinkedService* linked(std::string_view service) {
  for (const LinkedService& s : kLinked) {
    if (s.service == service) return &s;
  }
  return nullptr;
}

std::string trust_policy(std::string_view service) {
  return json::serialize(
      json::object{{"Version", "2012-10-17"},
                   {"Statement", json::array{json::object{{"Effect", "Allow"},
                                                          {"Principal", {{"Service", service}}},
                                                          {"Action", "sts:AssumeRole"}}}}});
}

}  // namespace

// CreateServiceLinkedRole —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html
Reply IamService::create_service_linked_role(const Ctx& ctx, const Doc& in) {
  std::string service = core::str(in, "AWSServiceName");
  const LinkedService* s = linked(service);
  if (!s) {
    return errors::invalid_input("Service " + service +
                                 " is not supported for service-linked roles.");
  }
  std::string name(s->role);
  if (std::optional<std::string> suffix = core::opt_str(in, "CustomSuffix")) {
    name += "_" + *suffix;
  }
  std::string path = "/aws-service-role/" + service + "/";
  Doc role{{"Path", path},
           {"RoleName", name},
           {"RoleId", new_id("AROA")},
           {"Arn", entity_arn(ctx.account, "role", path, name)},
           {"CreateDate", now()},
           {"AssumeRolePolicyDocument", trust_policy(service)},
           {"MaxSessionDuration", 3600},
           {"Tags", json::array{}},
           {"inline", json::object{}},
           {"attached", json::array{s->policy_arn}}};
  if (std::optional<std::string> d = core::opt_str(in, "Description")) role["Description"] = *d;
  return write([&](IamStore& st) -> Reply {
    if (!st.insert(ctx.account, Kind::Role, name, role)) {
      return errors::invalid_input("Service role name " + name +
                                   " has been taken in this account, please try a different "
                                   "suffix.");
    }
    return Doc{{"Role", public_view(role)}};
  });
}

// DeleteServiceLinkedRole —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteServiceLinkedRole.html
// The role goes at once; its deletion task reports SUCCEEDED.
Reply IamService::delete_service_linked_role(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "RoleName");
  return write([&](IamStore& st) -> Reply {
    protocol::Result<Doc> role = need(st, ctx, Kind::Role, "role", name);
    if (!role) return role.error();
    std::string path = core::str(*role, "Path");
    if (!path.starts_with("/aws-service-role/")) {
      return errors::invalid_input("Role " + name + " is not a service-linked role.");
    }
    st.erase(ctx.account, Kind::Role, name);
    std::string service = path.substr(18, path.size() - 19);
    return Doc{{"DeletionTaskId", "task/aws-service-role/" + service + "/" +
                                      core::str(*role, "RoleName") + "/" + core::ids::uuid4()}};
  });
}

// GetServiceLinkedRoleDeletionStatus —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLinkedRoleDeletionStatus.html
Reply IamService::get_service_linked_role_deletion_status(const Ctx&, const Doc& in) {
  std::string task = core::str(in, "DeletionTaskId");
  if (!task.starts_with("task/aws-service-role/")) {
    return errors::invalid_input("Invalid deletion task id " + task);
  }
  return Doc{{"Status", "SUCCEEDED"}};
}

}  // namespace services::iam
