#pragma once
// What the STS module offers other modules, in process: temporary credentials of an IAM role,
// as AssumeRole issues them, for a service that assumes the role itself. ECS gives each task
// with a taskRoleArn credentials of that role at 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
// and renews them before they expire.
//
//   Result<sts::TemporaryCredentials> c = issuer.assume_role(
//       {.role_arn = task_role_arn, .session_name = task_id, .duration = 6h,
//        .service_principal = "ecs-tasks.amazonaws.com"});
//
// The credentials resolve through the same IdentityResolver as AssumeRole's: SigV4 accepts
// them, and GetCallerIdentity answers arn:aws:sts::<acct>:assumed-role/<role>/<session>.
// Thread-safe.

#include <chrono>
#include <map>
#include <string>

#include "core/clock.h"
#include "protocol/aws_error.h"

namespace services::sts {

struct AssumeRoleByService {
  std::string role_arn;
  std::string session_name;  // 2..64 of [\w+=,.@-]
  std::chrono::seconds duration{3600};  // 900 .. the role's MaxSessionDuration
  // The service principal that assumes the role ("ecs-tasks.amazonaws.com"). In
  // `--auth enforce` the role's trust policy must allow it sts:AssumeRole
  // (AccessDenied otherwise); in the other modes only the role's existence is checked.
  std::string service_principal;
  std::map<std::string, std::string> session_tags;
};

struct TemporaryCredentials {
  std::string access_key_id;  // ASIA...
  std::string secret_access_key;
  std::string session_token;
  core::TimePoint expiration{};
  std::string role_arn;
  std::string assumed_role_arn;  // arn:aws:sts::<acct>:assumed-role/<role>/<session>
  std::string assumed_role_id;   // AROA...:<session>
};

class CredentialIssuer {
 public:
  virtual ~CredentialIssuer() = default;
  // Failures: NoSuchEntity when the role does not exist (IAM's wording, "The role with name X
  // cannot be found."), AccessDenied when its trust policy refuses the service principal.
  virtual protocol::Result<TemporaryCredentials> assume_role(const AssumeRoleByService& request) = 0;
  // assume_role()'s checks without issuing credentials (ECS validates a task's roles at RunTask
  // this way, on every launch, without leaving sessions behind).
  virtual protocol::Result<void> check_assume_role(const AssumeRoleByService& request) = 0;
};

}  // namespace services::sts
