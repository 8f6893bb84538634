#pragma once
// The task execution role in `--auth enforce` mode: what ECS does on a task's behalf (pull from
// ECR, create its awslogs stream, read its secrets) is allowed only by that role's policies,
// evaluated by iam::Authority for the role session ECS would use,
// arn:aws:sts::<account>:assumed-role/<role name>/<task id>. A denial stops the task with the
// agent's words:
//   ecr:GetAuthorizationToken ("*")   ResourceInitializationError: unable to pull secrets or
//                                     registry auth: execution resource retrieval failed: unable
//                                     to retrieve ecr registry auth: ... AccessDeniedException: ...
//   ecr:BatchGetImage (repository)    CannotPullContainerError: pull image manifest has been
//                                     retried 1 time(s): failed to resolve ref <image>: pulling
//                                     from host <registry> failed with status code
//                                     [manifests <tag>]: 403 Forbidden
//   ecr:GetDownloadUrlForLayer        CannotPullContainerError: error pulling image
//                                     configuration: download failed after attempts=1: denied:
//                                     User: ... is not authorized to perform:
//                                     ecr:GetDownloadUrlForLayer on resource: ...
//   logs:CreateLogStream,             ResourceInitializationError: failed to validate logger
//   logs:PutLogEvents (the stream)    args: create stream has been retried 1 times: failed to
//                                     create Cloudwatch log stream: AccessDeniedException: ...
// Secrets are checked by TaskSecrets through the Authorize hook made here.
//
// Thread-safe (the Authority is).

#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "services/ecs/task_secrets.h"
#include "services/iam/authority.h"

namespace services::ecs {

// The role session ECS's requests are made as.
std::string execution_role_session_arn(const std::string& role_arn, const std::string& task_id);

// Whether `image` names a repository of an ECR registry (<account>.dkr.ecr.<region>....).
bool is_ecr_image(const std::string& image);

class ExecutionRoleCheck {
 public:
  explicit ExecutionRoleCheck(const iam::Authority& authority) : authority_(authority) {}

  // The hook that checks `role_arn`'s session for the task `task_id`.
  Authorize authorizer(const std::string& account, const std::string& region,
                       const std::string& role_arn, const std::string& task_id) const;

  // The stoppedReason of the first denial, or "" when allowed. `image` as the definition gives
  // it; images that are not ECR's need no permission.
  static std::string check_registry_auth(const Authorize& authorize,
                                         const std::map<std::string, boost::json::object>& defs);
  static std::string check_pull(const Authorize& authorize, const std::string& image,
                                const std::string& account, const std::string& region);
  // awslogs of one container (`definition`), whose stream is <prefix>/<name>/<task id>.
  static std::string check_logs(const Authorize& authorize, const boost::json::object& definition,
                                const std::string& account, const std::string& region,
                                const std::string& task_id);

 private:
  const iam::Authority& authority_;
};

}  // namespace services::ecs
