#include "services/ecs/execution_role.h"

#include <boost/json.hpp>

#include "core/ids.h"
#include "services/ecr/image_store.h"
#include "services/ecs/ecs_json.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

std::string access_denied(const std::string& sentence) {
  return "AccessDeniedException: " + sentence +
         " status code: 400, request id: " + core::ids::uuid4();
}

}  // namespace

std::string execution_role_session_arn(const std::string& role_arn, const std::string& task_id) {
  core::ids::ParsedArn arn;
  if (!core::ids::parse_arn(role_arn, &arn)) return role_arn;
  std::string name = arn.resource.substr(arn.resource.rfind('/') + 1);
  return "arn:" + arn.partition + ":sts::" + arn.account + ":assumed-role/" + name + "/" + task_id;
}

bool is_ecr_image(const std::string& image) {
  std::string host = image.substr(0, image.find('/'));
  std::string account, region;
  return image.find('/') != std::string::npos &&
         ecr::parse_registry_host(host, &account, &region);
}

Authorize ExecutionRoleCheck::authorizer(const std::string& account, const std::string& region,
                                         const std::string& role_arn,
                                         const std::string& task_id) const {
  std::string principal = execution_role_session_arn(role_arn, task_id);
  const iam::Authority* authority = &authority_;
  return [=](const std::string& action, const std::string& resource) -> std::optional<std::string> {
    iam::AuthzResult r = authority->authorize({.principal_arn = principal,
                                               .action = action,
                                               .resource = resource,
                                               .account = account,
                                               .region = region});
    if (r.allowed()) return std::nullopt;
    return r.message;
  };
}

std::string ExecutionRoleCheck::check_registry_auth(
    const Authorize& authorize, const std::map<std::string, json::object>& defs) {
  for (const auto& [name, def] : defs) {
    if (!is_ecr_image(str(def, "image"))) continue;
    if (auto denied = authorize("ecr:GetAuthorizationToken", "*")) {
      return std::string(kSecretsFailurePrefix) +
             "unable to retrieve ecr registry auth: service call has been retried 3 time(s): " +
             access_denied(*denied);
    }
    break;  // one token serves every image
  }
  return {};
}

std::string ExecutionRoleCheck::check_pull(const Authorize& authorize, const std::string& image,
                                           const std::string& account, const std::string& region) {
  if (!is_ecr_image(image)) return {};
  std::optional<ecr::ImageReference> ref =
      ecr::parse_image_reference(image, {.default_account = account, .default_region = region});
  if (!ref) return {};
  std::string repo_arn =
      "arn:aws:ecr:" + ref->region + ":" + ref->account + ":repository/" + ref->repository;
  std::string host = image.substr(0, image.find('/'));
  if (authorize("ecr:BatchGetImage", repo_arn)) {
    // containerd names the reference with its tag, ":latest" when the definition has none.
    std::string tag = ref->digest.empty() ? ref->tag : ref->digest;
    std::string last = image.substr(image.rfind('/') + 1);
    std::string full = image;
    if (ref->digest.empty() && last.find(':') == std::string::npos) full += ":" + tag;
    return "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to "
           "resolve ref " + full + ": pulling from host " + host +
           " failed with status code [manifests " + tag + "]: 403 Forbidden";
  }
  if (auto denied = authorize("ecr:GetDownloadUrlForLayer", repo_arn)) {
    return "CannotPullContainerError: error pulling image configuration: download failed after "
           "attempts=1: denied: " + *denied;
  }
  return {};
}

std::string ExecutionRoleCheck::check_logs(const Authorize& authorize,
                                           const json::object& definition,
                                           const std::string& account, const std::string& region,
                                           const std::string& task_id) {
  const json::object* lc = obj(definition, "logConfiguration");
  if (!lc || str(*lc, "logDriver") != "awslogs") return {};
  const json::object* options = obj(*lc, "options");
  if (!options) return {};
  std::string group = str(*options, "awslogs-group");
  std::string prefix = str(*options, "awslogs-stream-prefix");
  std::string stream =
      prefix.empty() ? task_id : prefix + "/" + str(definition, "name") + "/" + task_id;
  std::string stream_arn = "arn:aws:logs:" + str(*options, "awslogs-region", region) + ":" +
                           account + ":log-group:" + group + ":log-stream:" + stream;
  for (const char* action : {"logs:CreateLogStream", "logs:PutLogEvents"}) {
    if (auto denied = authorize(action, stream_arn)) {
      return "ResourceInitializationError: failed to validate logger args: create stream has "
             "been retried 1 times: failed to create Cloudwatch log stream: " +
             access_denied(*denied);
    }
  }
  return {};
}

}  // namespace services::ecs
