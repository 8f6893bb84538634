#pragma once
// Task-role credentials, as the ECS agent serves them on Fargate: a task whose task definition
// (or RunTask's overrides) names a taskRoleArn gets AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=
// /v2/credentials/<id> in every container, and GET http://169.254.170.2/v2/credentials/<id>
// answers the role's temporary credentials:
//   {"RoleArn":..., "AccessKeyId":..., "SecretAccessKey":..., "Token":..., "Expiration":...}
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
//
// The id (a random UUID per task) and the role are kept in the task row ("gantryCredentials",
// never sent on the wire); the credentials themselves only in memory. They come from
// sts::CredentialIssuer (session name: the task id, principal ecs-tasks.amazonaws.com) and are
// served from the cache until less than `refresh_before` of their life is left, then renewed,
// as the agent renews them well before they expire. After a restart the first request assumes
// the role again.
//
// Only the task's own ENI address may read its credentials: on Fargate each task is its own
// micro-VM, so no other task can reach its agent; here every task of a VPC shares one
// 169.254.170.2 listener, so a request from any other address is answered as for an unknown id.
//
// Thread-safe.

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "protocol/aws_error.h"
#include "protocol/request_context.h"
#include "services/sts/credential_issuer.h"
#include "store/db.h"

namespace services::ecs {

// The task document member that holds the id and the role.
inline constexpr std::string_view kCredentialsMember = "gantryCredentials";
inline constexpr std::string_view kEcsTasksPrincipal = "ecs-tasks.amazonaws.com";

// ECS's words when the role cannot be assumed (RunTask's ClientException, a service's event).
std::string unable_to_assume_role(const std::string& role_arn);

// The task role of a task: RunTask's overrides.taskRoleArn, else the task definition's.
std::string task_role_of(const boost::json::object& task, const boost::json::object& task_definition);

// RunTask's check (EcsService::set_role_checker): ECS assumes the task role, and in enforce mode
// the execution role, before it accepts a task; ClientException unable_to_assume_role()
// otherwise. Each check is a 900-second session that nothing uses.
std::function<std::optional<protocol::AwsError>(
    const protocol::RequestContext&, const boost::json::object& task_definition,
    const boost::json::object& in)>
role_checker(sts::CredentialIssuer& issuer, bool check_execution_role);

struct TaskCredentialsOptions {
  std::chrono::seconds duration{3600};  // within every role's MaxSessionDuration
  std::chrono::seconds refresh_before{1800};
};

class TaskCredentials {
 public:
  TaskCredentials(store::Db& db, sts::CredentialIssuer& issuer, const core::Clock& clock,
                  TaskCredentialsOptions options = {});

  // Assumes `role_arn` for the task now and caches the credentials under `id`. The error is
  // unable_to_assume_role()'s sentence.
  protocol::Result<void> issue(const std::string& id, const std::string& task_arn,
                               const std::string& role_arn);

  struct Reply {
    int status = 200;
    boost::json::object body;
  };
  // GET /v2/credentials/<id> (api_version 2) or /v1/credentials?id=<id> (1) from `peer`, on the
  // VPC listener of `account`/`region`. The agent's answers: 200 with the credentials; 400
  // NoIdInRequest / InvalidIdInRequest; 500 when the role can no longer be assumed.
  Reply serve(const std::string& account, const std::string& region, const std::string& id,
              const std::string& peer, int api_version);

  // The answer for an id no task holds (also when no task can have credentials).
  static Reply not_found(int api_version);

  // Drops the cached credentials of a task that stopped.
  void forget(const std::string& task_arn);

 private:
  struct Entry {
    std::string task_arn;
    std::string role_arn;
    sts::TemporaryCredentials credentials;
  };
  protocol::Result<sts::TemporaryCredentials> assume(const std::string& task_arn,
                                                     const std::string& role_arn);
  // The cached entry when still fresh enough, else a renewed one.
  protocol::Result<sts::TemporaryCredentials> current(const std::string& id,
                                                      const std::string& task_arn,
                                                      const std::string& role_arn);

  store::Db& db_;
  sts::CredentialIssuer& issuer_;
  const core::Clock& clock_;
  TaskCredentialsOptions options_;
  std::mutex mu_;
  std::map<std::string, Entry> cache_;  // by credentials id
};

}  // namespace services::ecs
