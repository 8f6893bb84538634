#include "services/sts/role_sessions.h"

#include <cctype>

#include "core/ids.h"
#include "core/sha256.h"
#include "services/sts/errors.h"

namespace services::sts {
namespace {

constexpr int64_t kMinDurationSeconds = 900;
constexpr int64_t kChainedMaxSeconds = 3600;
constexpr int kIamMaxSessionDuration = 43200;

// Without IAM, a role's unique id (AROA...) is derived from its ARN, so that it is stable.
std::string role_unique_id(std::string_view role_arn) {
  std::string digest = core::sha256(role_arn);
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string id = "AROA";
  for (int i = 0; i < 17; ++i) id += kAlphabet[static_cast<unsigned char>(digest[i]) % 32];
  return id;
}

std::string partition_of(std::string_view arn) {
  core::ids::ParsedArn parsed;
  return core::ids::parse_arn(arn, &parsed) ? parsed.partition : "aws";
}

}  // namespace

bool is_session_name_text(std::string_view s) {
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && std::string_view("_+=,.@-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::optional<protocol::AwsError> check_session_name(const std::string& name) {
  if (name.size() < 2 || name.size() > 64) {
    return errors::validation(
        "1 validation error detected: Value '" + name +
        "' at 'roleSessionName' failed to satisfy constraint: Member must "
        "have length " +
        (name.size() < 2 ? "greater than or equal to 2" : "less than or equal to 64"));
  }
  if (!is_session_name_text(name)) {
    return errors::pattern_mismatch(name, "roleSessionName", "[\\w+=,.@-]*");
  }
  return std::nullopt;
}

std::optional<protocol::AwsError> check_duration(int64_t seconds, const iam::RoleInfo& role,
                                                 bool chained) {
  if (seconds < kMinDurationSeconds) {
    return errors::validation("1 validation error detected: Value '" + std::to_string(seconds) +
                              "' at 'durationSeconds' failed to satisfy constraint: Member must "
                              "have value greater than or equal to 900");
  }
  if (chained && seconds > kChainedMaxSeconds) {
    return errors::validation(
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
        "role chaining.");
  }
  if (seconds > role.max_session_duration) {
    return errors::validation(
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  return std::nullopt;
}

std::string not_authorized(std::string_view caller, std::string_view action,
                           std::string_view role_arn) {
  return "User: " + std::string(caller) + " is not authorized to perform: " + std::string(action) +
         " on resource: " + std::string(role_arn);
}

RoleSessions::RoleSessions(IdentityStore& identities, const core::Clock& clock,
                           RoleSessionsOptions options)
    : identities_(identities), clock_(clock), options_(options) {}

std::optional<iam::RoleInfo> RoleSessions::find_role(std::string_view role_arn) const {
  if (options_.directory != nullptr) return options_.directory->find_role_by_arn(role_arn);
  core::ids::ParsedArn arn;
  if (!core::ids::parse_arn(role_arn, &arn) || arn.service != "iam" ||
      !arn.resource.starts_with("role/") || arn.account.size() != 12) {
    return std::nullopt;
  }
  iam::RoleInfo role;
  role.account = arn.account;
  std::size_t slash = arn.resource.rfind('/');
  role.name = arn.resource.substr(slash + 1);
  role.path = arn.resource.substr(4, slash - 4 + 1);
  role.arn = std::string(role_arn);
  role.role_id = role_unique_id(role_arn);
  role.max_session_duration = kIamMaxSessionDuration;
  return role;
}

std::optional<std::string> RoleSessions::refused_action(
    const iam::RoleInfo& role, const std::string& principal, std::string_view action,
    const iam::ConditionKeys& keys, bool tagging, const std::string& region) const {
  if (options_.authority == nullptr) return std::nullopt;
  iam::AuthzRequest request{.principal_arn = principal,
                            .action = std::string(action),
                            .resource = role.arn,
                            .account = role.account,
                            .region = region,
                            .keys = keys};
  if (!options_.authority->authorize_trust(role, request).allowed()) return request.action;
  if (tagging) {
    request.action = "sts:TagSession";
    if (!options_.authority->authorize_trust(role, request).allowed()) return request.action;
  }
  return std::nullopt;
}

TemporaryCredentials new_key_pair(core::TimePoint expiration) {
  return {.access_key_id = "ASIA" + core::ids::random_upper_alnum(16),
          .secret_access_key = core::ids::random_secret(40),
          .session_token = "FwoGZXIvYXdzE" + core::ids::random_secret(343),
          .expiration = expiration};
}

protocol::Principal principal_for(const TemporaryCredentials& c, std::string account,
                                  std::string arn, std::string user_id) {
  protocol::Principal p;
  p.account = std::move(account);
  p.arn = std::move(arn);
  p.user_id = std::move(user_id);
  p.secret_access_key = c.secret_access_key;
  p.session_token = c.session_token;
  p.expires_at = c.expiration;
  return p;
}

TemporaryCredentials RoleSessions::issue(const iam::RoleInfo& role, const SessionSpec& spec) {
  TemporaryCredentials c = new_key_pair(clock_.now() + std::chrono::seconds(spec.duration_seconds));
  c.role_arn = role.arn;
  c.assumed_role_arn = "arn:" + partition_of(role.arn) + ":sts::" + role.account +
                       ":assumed-role/" + role.name + "/" + spec.session_name;
  c.assumed_role_id = role.role_id + ":" + spec.session_name;
  protocol::Principal p = principal_for(c, role.account, c.assumed_role_arn, c.assumed_role_id);
  p.session_tags = spec.tags;
  identities_.save_temporary(
      c.access_key_id, p,
      {.transitive_tag_keys = spec.transitive_tag_keys, .source_identity = spec.source_identity});
  return c;
}

protocol::Result<iam::RoleInfo> RoleSessions::checked_role(const AssumeRoleByService& request) {
  if (auto err = check_session_name(request.session_name)) return *err;
  std::optional<iam::RoleInfo> role = find_role(request.role_arn);
  if (!role) {
    std::string name = request.role_arn.substr(request.role_arn.rfind('/') + 1);
    return errors::no_such_role(name);
  }
  if (auto err = check_duration(request.duration.count(), *role, false)) return *err;
  if (enforce_trust()) {
    iam::ConditionKeys keys{{"sts:RoleSessionName", {request.session_name}}};
    if (auto refused = refused_action(*role, request.service_principal, "sts:AssumeRole", keys,
                                      !request.session_tags.empty(), "")) {
      return errors::access_denied(not_authorized(request.service_principal, *refused, role->arn));
    }
  }
  return *role;
}

protocol::Result<void> RoleSessions::check_assume_role(const AssumeRoleByService& request) {
  auto role = checked_role(request);
  if (!role) return role.error();
  return {};
}

protocol::Result<TemporaryCredentials> RoleSessions::assume_role(
    const AssumeRoleByService& request) {
  auto role = checked_role(request);
  if (!role) return role.error();
  return issue(*role, {.session_name = request.session_name,
                       .duration_seconds = request.duration.count(),
                       .tags = request.session_tags});
}

}  // namespace services::sts
