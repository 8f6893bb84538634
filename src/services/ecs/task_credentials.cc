#include "services/ecs/task_credentials.h"

#include <boost/json.hpp>
#include <vector>

#include "core/log.h"
#include "core/time_format.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/records.h"
#include "store/transaction.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

// The agent's error body (ecs-agent/tmds/handlers/utils.ErrorMessage, whose HTTPErrorCode has no
// JSON tag and so is sent under its Go name).
TaskCredentials::Reply agent_error(int status, std::string_view code, std::string message) {
  return {status, json::object{{"code", code},
                               {"message", std::move(message)},
                               {"HTTPErrorCode", status}}};
}

std::string prefix(int api_version) {
  return "CredentialsV" + std::to_string(api_version) + "Request: ";
}

std::string task_id_of(std::string_view task_arn) {
  return std::string(task_arn.substr(task_arn.rfind('/') + 1));
}

}  // namespace

std::string unable_to_assume_role(const std::string& role_arn) {
  return "ECS was unable to assume the role '" + role_arn +
         "' that was provided for this task. Please verify that the role being passed has the "
         "proper trust relationship and permissions and that your IAM user has permissions to "
         "pass this role.";
}

std::string task_role_of(const json::object& task, const json::object& task_definition) {
  if (const json::object* o = obj(task, "overrides")) {
    if (std::string r = str(*o, "taskRoleArn"); !r.empty()) return r;
  }
  return str(task_definition, "taskRoleArn");
}

std::function<std::optional<protocol::AwsError>(const protocol::RequestContext&,
                                                const json::object&, const json::object&)>
role_checker(sts::CredentialIssuer& issuer, bool check_execution_role) {
  sts::CredentialIssuer* p = &issuer;
  return [p, check_execution_role](const protocol::RequestContext&, const json::object& td,
                                   const json::object& in) -> std::optional<protocol::AwsError> {
    std::vector<std::string> roles{task_role_of(in, td)};
    if (check_execution_role) {
      const json::object* o = obj(in, "overrides");
      std::string exec = o ? str(*o, "executionRoleArn") : "";
      roles.push_back(exec.empty() ? str(td, "executionRoleArn") : exec);
    }
    for (const std::string& role : roles) {
      if (role.empty()) continue;
      auto r = p->check_assume_role({.role_arn = role,
                                     .session_name = "ecs-run-task",
                                     .duration = std::chrono::seconds(900),
                                     .service_principal = std::string(kEcsTasksPrincipal)});
      if (!r) return protocol::AwsError{"ClientException", unable_to_assume_role(role)};
    }
    return std::nullopt;
  };
}

TaskCredentials::TaskCredentials(store::Db& db, sts::CredentialIssuer& issuer,
                                 const core::Clock& clock, TaskCredentialsOptions options)
    : db_(db), issuer_(issuer), clock_(clock), options_(options) {}

protocol::Result<sts::TemporaryCredentials> TaskCredentials::assume(const std::string& task_arn,
                                                                    const std::string& role_arn) {
  auto r = issuer_.assume_role({.role_arn = role_arn,
                                .session_name = task_id_of(task_arn),
                                .duration = options_.duration,
                                .service_principal = std::string(kEcsTasksPrincipal)});
  if (!r) {
    core::log::info("task role not assumed", {{"task", task_arn},
                                              {"role", role_arn},
                                              {"error", r.error().code}});
    return protocol::AwsError{"ClientException", unable_to_assume_role(role_arn)};
  }
  return r;
}

protocol::Result<void> TaskCredentials::issue(const std::string& id, const std::string& task_arn,
                                              const std::string& role_arn) {
  auto creds = assume(task_arn, role_arn);
  if (!creds) return creds.error();
  std::lock_guard lock(mu_);
  cache_[id] = Entry{task_arn, role_arn, std::move(*creds)};
  return {};
}

protocol::Result<sts::TemporaryCredentials> TaskCredentials::current(const std::string& id,
                                                                     const std::string& task_arn,
                                                                     const std::string& role_arn) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(id);
    if (it != cache_.end() && it->second.role_arn == role_arn &&
        clock_.now() + options_.refresh_before < it->second.credentials.expiration) {
      return it->second.credentials;
    }
  }
  // Renewed outside the lock: the issuer may take its own store transaction.
  auto creds = assume(task_arn, role_arn);
  if (!creds) return creds.error();
  std::lock_guard lock(mu_);
  cache_[id] = Entry{task_arn, role_arn, *creds};
  return creds;
}

TaskCredentials::Reply TaskCredentials::serve(const std::string& account,
                                              const std::string& region, const std::string& id,
                                              const std::string& peer, int api_version) {
  if (id.empty()) {
    return agent_error(400, "NoIdInRequest", prefix(api_version) + "No Credential ID in the request");
  }
  std::string text;
  {
    store::Transaction tx = db_.read();
    tx.query(
        "SELECT doc FROM ecs_tasks WHERE account = ?1 AND region = ?2 "
        "AND json_extract(doc, '$.gantryCredentials.id') = ?3",
        [&](const store::Statement& row) { text = row.text(0); }, account, region, id);
  }
  std::optional<Task> task;
  if (!text.empty()) {
    json::value v = json::parse(text);
    if (v.is_object()) task = task_from_json(std::move(v.as_object()));
  }
  const json::object* note = task ? obj(task->doc, kCredentialsMember) : nullptr;
  if (!note || task->last_status == "STOPPED" || peer.empty() ||
      task->eni_detail("privateIPv4Address") != peer) {
    return not_found(api_version);
  }
  auto creds = current(id, task->arn, str(*note, "roleArn"));
  if (!creds) {
    return agent_error(500, "InternalServerError", "Internal server error");
  }
  return {200, json::object{{"RoleArn", creds->role_arn},
                            {"AccessKeyId", creds->access_key_id},
                            {"SecretAccessKey", creds->secret_access_key},
                            {"Token", creds->session_token},
                            {"Expiration", core::format_iso8601(core::TimePoint(
                                std::chrono::floor<std::chrono::seconds>(creds->expiration)))}}};
}

TaskCredentials::Reply TaskCredentials::not_found(int api_version) {
  return agent_error(400, "InvalidIdInRequest", prefix(api_version) + "Credentials not found");
}

void TaskCredentials::forget(const std::string& task_arn) {
  std::lock_guard lock(mu_);
  std::erase_if(cache_, [&](const auto& kv) { return kv.second.task_arn == task_arn; });
}

}  // namespace services::ecs
