#include "services/ecs/task_secrets.h"

#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>
#include <boost/json.hpp>

#include "core/ids.h"
#include "services/ecs/ecs_json.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

// How the agent shows an AWS SDK (Go, v1) error once flattened into stoppedReason.
std::string sdk_error(std::string_view code, std::string_view message, int status = 400) {
  return std::string(code) + ": " + std::string(message) + " status code: " +
         std::to_string(status) + ", request id: " + core::ids::uuid4();
}

protocol::AwsError failure(std::string reason) {
  return {"ResourceInitializationError", std::move(reason)};
}

std::string ssm_failure(std::string_view detail) {
  return std::string(kSecretsFailurePrefix) +
         "unable to retrieve secrets from ssm: service call has been retried 1 time(s): " +
         std::string(detail);
}

std::string asm_failure(std::string_view detail) {
  return std::string(kSecretsFailurePrefix) +
         "unable to retrieve secret from asm: service call has been retried 1 time(s): " +
         std::string(detail);
}

// The value of `key` in a JSON secret as the agent prints it (Go's "%v": strings bare).
protocol::Result<std::string> json_key_value(const std::string& secret, const std::string& key) {
  boost::system::error_code ec;
  json::value v = json::parse(secret, ec);
  if (ec || !v.is_object()) {
    // Go's json error, without the character it quotes: that would be part of the secret.
    return failure(asm_failure(ec ? "invalid character looking for beginning of value"
                                  : "json: cannot unmarshal into Go value of type "
                                    "map[string]interface {}"));
  }
  const json::value* found = v.as_object().if_contains(key);
  if (!found) {
    return failure(
        asm_failure("retrieved secret from Secrets Manager did not contain json key " + key));
  }
  if (found->is_string()) return std::string(found->as_string());
  return json::serialize(*found);
}

}  // namespace

std::optional<SecretRef> parse_value_from(std::string_view value_from, std::string_view account,
                                          std::string_view region, std::string* error) {
  SecretRef ref{.account = std::string(account), .region = std::string(region),
                .id = std::string(value_from)};
  core::ids::ParsedArn arn;
  if (!core::ids::parse_arn(value_from, &arn)) return ref;  // an SSM parameter name
  ref.account = arn.account;
  ref.region = arn.region;
  if (arn.service != "secretsmanager") return ref;
  ref.secrets_manager = true;
  // secret:<name-suffix> or secret:<name-suffix>:<json-key>:<version-stage>:<version-id>
  std::vector<std::string> parts;
  boost::algorithm::split(parts, arn.resource, boost::algorithm::is_any_of(":"));
  if (parts.size() == 2) return ref;
  if (parts.size() != 5) {
    *error = "trying to retrieve secret with value " + std::string(value_from) +
             " resulted in error: an invalid ARN format for the AWS Secrets Manager secret was "
             "specified. Specify a valid ARN and try again.";
    return std::nullopt;
  }
  ref.id = "arn:" + arn.partition + ":secretsmanager:" + arn.region + ":" + arn.account + ":" +
           parts[0] + ":" + parts[1];
  ref.json_key = parts[2];
  ref.version_stage = parts[3];
  ref.version_id = parts[4];
  return ref;
}

std::string ssm_parameter_arn(const SecretRef& ref) {
  core::ids::ParsedArn arn;
  if (core::ids::parse_arn(ref.id, &arn)) return ref.id;
  std::string name = ref.id.substr(0, ref.id.find(':'));  // without ":version" or ":label"
  if (!name.starts_with('/')) name = "/" + name;
  return "arn:aws:ssm:" + ref.region + ":" + ref.account + ":parameter" + name;
}

protocol::Result<std::string> TaskSecrets::read_ssm(const SecretRef& ref,
                                                    const Authorize& authorize,
                                                    std::vector<std::string>& invalid) const {
  if (authorize) {
    if (auto denied = authorize("ssm:GetParameters", ssm_parameter_arn(ref))) {
      return failure(ssm_failure(sdk_error("AccessDeniedException", *denied)));
    }
  }
  auto v = ports_.ssm->get(ref.account, ref.region, ref.id, true);
  if (!v) {
    // GetParameters lists unknown names (and versions) in InvalidParameters.
    if (v.error().code == "ParameterNotFound" || v.error().code == "ParameterVersionNotFound") {
      invalid.push_back(ref.id);
      return std::string();
    }
    return failure(ssm_failure(sdk_error(v.error().code, v.error().message, v.error().http_status)));
  }
  return std::move(v->value);
}

protocol::Result<std::string> TaskSecrets::read_asm(const SecretRef& ref,
                                                    const Authorize& authorize) const {
  std::string fetching = "failed to fetch secret " + ref.id + " from secrets manager: ";
  auto v = ports_.secrets->get(ref.account, ref.region, ref.id, ref.version_id,
                               ref.version_stage);
  if (!v) {
    return failure(
        asm_failure(fetching + sdk_error(v.error().code, v.error().message, v.error().http_status)));
  }
  if (authorize) {
    // Checked on the secret's full ARN, which only the read tells when valueFrom is partial.
    if (auto denied = authorize("secretsmanager:GetSecretValue", v->arn)) {
      return failure(asm_failure(fetching + sdk_error("AccessDeniedException", *denied)));
    }
  }
  if (ref.json_key.empty()) return std::move(v->secret_string);
  return json_key_value(v->secret_string, ref.json_key);
}

protocol::Result<std::map<std::string, EnvList>> TaskSecrets::resolve(
    const std::string& account, const std::string& region,
    const std::map<std::string, json::object>& defs, const Authorize& authorize) const {
  std::map<std::string, EnvList> out;
  std::vector<std::string> invalid;
  for (const auto& [name, def] : defs) {
    const json::array* secrets = arr(def, "secrets");
    if (!secrets) continue;
    for (const json::value& s : *secrets) {
      if (!s.is_object()) continue;
      std::string error;
      std::optional<SecretRef> ref =
          parse_value_from(str(s.as_object(), "valueFrom"), account, region, &error);
      if (!ref) return failure(asm_failure(error));
      if (ref->secrets_manager ? !ports_.secrets : !ports_.ssm) continue;  // feature off
      auto value = ref->secrets_manager ? read_asm(*ref, authorize)
                                        : read_ssm(*ref, authorize, invalid);
      if (!value) return value.error();
      out[name].emplace_back(str(s.as_object(), "name"), std::move(*value));
    }
  }
  if (!invalid.empty()) {
    std::string list;
    for (const std::string& n : invalid) list += (list.empty() ? "" : ",") + n;
    return failure(ssm_failure("invalid parameters: " + list));
  }
  return out;
}

protocol::Result<void> TaskSecrets::check_registry_auth(
    const std::string& account, const std::string& region,
    const std::map<std::string, json::object>& defs, const Authorize& authorize) const {
  if (!ports_.secrets) return {};
  for (const auto& [name, def] : defs) {
    const json::object* rc = obj(def, "repositoryCredentials");
    std::string id = rc ? str(*rc, "credentialsParameter") : "";
    if (id.empty()) continue;
    std::string head = std::string(kSecretsFailurePrefix) +
                       "unable to get registry auth from asm: service call has been retried 1 "
                       "time(s): ";
    std::string fetching = "asm fetching secret from the service for " + id + ": ";
    core::ids::ParsedArn arn;
    bool is_arn = core::ids::parse_arn(id, &arn);
    auto v = ports_.secrets->get(is_arn ? arn.account : account, is_arn ? arn.region : region,
                                 id, "", "");
    if (!v) {
      return failure(head + fetching +
                     sdk_error(v.error().code, v.error().message, v.error().http_status));
    }
    if (authorize) {
      if (auto denied = authorize("secretsmanager:GetSecretValue", v->arn)) {
        return failure(head + fetching + sdk_error("AccessDeniedException", *denied));
      }
    }
    // The agent's checks of the value (agent/asm: GetDockerAuthFromASM).
    if (v->secret_string.empty()) {
      return failure(head + "asm fetching authorization data: empty secrets value");
    }
    boost::system::error_code ec;
    json::value auth = json::parse(v->secret_string, ec);
    if (ec || !auth.is_object()) {
      return failure(head +
                     "asm fetching authorization data: unable to unmarshal secret value, invalid "
                     "schema");
    }
    if (str(auth.as_object(), "username").empty()) {
      return failure(head + "asm fetching username: AuthorizationData is malformed, empty field");
    }
    if (str(auth.as_object(), "password").empty()) {
      return failure(head + "asm fetching password: AuthorizationData is malformed, empty field");
    }
  }
  return {};
}

}  // namespace services::ecs
