// IAM, STS, KMS, Systems Manager Parameter Store, Secrets Manager, DynamoDB and Application Auto
// Scaling resources, from the Service Authorization Reference: list_awsidentityandaccessmanagementiam.html,
// list_awssecuritytokenservice.html, list_awskeymanagementservice.html,
// list_awssystemsmanager.html, list_awssecretsmanager.html, list_amazondynamodb.html,
// list_applicationautoscaling.html.
#include "core/json.h"
#include "services/authz/catalog.h"

namespace services::authz::catalog_detail {
namespace {

using Doc = boost::json::object;

// IAM: arn:aws:iam::<account>:user/<name>, role/<name>, group/<name>, policy/<name>, ... The
// request names no path, so the ARN has none (a policy naming the path does not match).
// Operations on no named resource (ListRoles, ListUsers, ListPolicies, ...) are "*".
bool iam_resources(std::string_view op, const Doc& in, const Arns& a, ActionTarget& out) {
  auto named = [&](std::string_view member, std::string_view type) {
    if (auto n = core::opt_str(in, member)) {
      out.resources.push_back(a.global("iam", std::string(type) + "/" + *n));
      return true;
    }
    return false;
  };
  if (op == "CreatePolicy") return named("PolicyName", "policy");
  for (std::string_view m : {"PolicyArn", "OpenIDConnectProviderArn"}) {
    if (auto arn = core::opt_str(in, m)) out.resources.push_back(*arn);
  }
  named("RoleName", "role");
  named("GroupName", "group");
  named("InstanceProfileName", "instance-profile");
  if (op == "CreateOpenIDConnectProvider") {
    std::string url = core::str(in, "Url");
    if (url.starts_with("https://")) url = url.substr(8);
    out.resources.push_back(a.global("iam", "oidc-provider/" + url));
  }
  bool user_op = op == "GetUser" || op == "CreateAccessKey" || op == "DeleteAccessKey" ||
                 op == "UpdateAccessKey" || op == "ListAccessKeys";
  if (!named("UserName", "user") && user_op && out.resources.empty()) {
    // "If you do not specify a user name, IAM determines the user name implicitly based on the
    // Amazon Web Services access key ID used to sign the request."
    out.resources.push_back(a.scope.caller_arn);
  }
  return true;
}

std::string kms_key(const Arns& a, std::string_view id) {
  if (is_arn(id)) return std::string(id);
  if (id.starts_with("alias/")) return a.arn("kms", id);
  return a.arn("kms", "key/" + std::string(id));
}

bool kms_resources(const Doc& in, const Arns& a, ActionTarget& out) {
  for (std::string_view m : {"KeyId", "TargetKeyId", "SourceKeyId", "DestinationKeyId"}) {
    if (auto id = core::opt_str(in, m)) out.resources.push_back(kms_key(a, *id));
  }
  if (auto alias = core::opt_str(in, "AliasName")) out.resources.push_back(a.arn("kms", *alias));
  return true;
}

// arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>
std::string ssm_parameter(const Arns& a, std::string_view name) {
  if (is_arn(name)) return std::string(name);
  std::string n(name.substr(0, name.find(':')));  // "name:version" / "name:label"
  if (n.starts_with("/")) n.erase(0, 1);
  return a.arn("ssm", "parameter/" + n);
}

bool ssm_resources(std::string_view op, const Doc& in, const Arns& a, ActionTarget& out) {
  for (std::string_view m : {"Name", "Names", "Path"}) {
    for (const std::string& n : members(in, m)) out.resources.push_back(ssm_parameter(a, n));
  }
  if (op.ends_with("TagsForResource") || op.ends_with("TagsFromResource") ||
      op == "AddTagsToResource") {
    if (core::str(in, "ResourceType") == "Parameter") {
      out.resources.push_back(ssm_parameter(a, core::str(in, "ResourceId")));
    }
  }
  return true;
}

// arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>. A name alone gives
// the ARN without its suffix: a policy naming "secret:db-*" or "secret:db*" matches it.
bool secrets_resources(const Doc& in, const Arns& a, ActionTarget& out) {
  for (std::string_view m : {"SecretId", "Name"}) {
    if (auto id = core::opt_str(in, m)) {
      out.resources.push_back(is_arn(*id) ? *id : a.arn("secretsmanager", "secret:" + *id));
      return true;
    }
  }
  return true;
}

}  // namespace

bool identity_resources(std::string_view model, std::string_view op, const Doc& in,
                        const Arns& a, ActionTarget& out) {
  if (model == "iam") return iam_resources(op, in, a, out);
  if (model == "kms") return kms_resources(in, a, out);
  if (model == "ssm") return ssm_resources(op, in, a, out);
  if (model == "secretsmanager") return secrets_resources(in, a, out);
  if (model == "sts") {
    // AssumeRole: the role; GetSessionToken, GetCallerIdentity: "*".
    if (auto role = core::opt_str(in, "RoleArn")) out.resources.push_back(*role);
    return true;
  }
  if (model == "dynamodb") {
    if (auto t = core::opt_str(in, "TableName")) {
      out.resources.push_back(is_arn(*t) ? *t : a.arn("dynamodb", "table/" + *t));
    }
    return true;
  }
  return false;  // application-autoscaling: "*" (scalable targets' ARNs are not in the input)
}

}  // namespace services::authz::catalog_detail
