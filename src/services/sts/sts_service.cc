#include "services/sts/sts_service.h"

#include <cctype>

#include "core/ids.h"
#include "core/json.h"
#include "services/sts/errors.h"
#include "services/sts/sts_json.h"

namespace services::sts {
namespace {

namespace json = boost::json;

constexpr int64_t kDefaultAssumeRoleSeconds = 3600;
constexpr int64_t kDefaultSessionTokenSeconds = 43200;
constexpr int64_t kMaxSessionTokenSeconds = 129600;
constexpr int64_t kMinDurationSeconds = 900;

bool is_account_id(std::string_view s) {
  return s.size() == 12 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_role_arn(const std::string& text) {
  core::ids::ParsedArn arn;
  return core::ids::parse_arn(text, &arn) && arn.service == "iam" &&
         arn.resource.starts_with("role/") && is_account_id(arn.account);
}

std::optional<protocol::AwsError> check_source_identity(const std::string& value) {
  if (!is_session_name_text(value)) {
    return errors::pattern_mismatch(value, "sourceIdentity", "[\\w+=,.@-]*");
  }
  std::string prefix = value.substr(0, 4);
  for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (prefix == "aws:") {
    return errors::validation("SourceIdentity cannot start with the prefix 'aws:'.");
  }
  return std::nullopt;
}

// The request's condition keys for a trust policy (sts:ExternalId, aws:RequestTag/<key>, ...).
iam::ConditionKeys assume_role_keys(const json::object& in, const SessionSpec& spec) {
  iam::ConditionKeys keys{{"sts:RoleSessionName", {spec.session_name}}};
  if (auto external_id = core::opt_str(in, "ExternalId")) keys["sts:ExternalId"] = {*external_id};
  if (!spec.source_identity.empty()) keys["sts:SourceIdentity"] = {spec.source_identity};
  if (!spec.tags.empty()) {
    std::vector<std::string>& tag_keys = keys["aws:TagKeys"];
    for (const auto& [k, v] : spec.tags) {
      keys["aws:RequestTag/" + k] = {v};
      tag_keys.push_back(k);
    }
  }
  if (!spec.transitive_tag_keys.empty()) keys["sts:TransitiveTagKeys"] = spec.transitive_tag_keys;
  return keys;
}

}  // namespace

StsService::StsService(IdentityStore& identities, RoleSessions& sessions, const OidcKeys& oidc_keys,
                       const core::Clock& clock)
    : identities_(identities), sessions_(sessions), oidc_keys_(oidc_keys), clock_(clock) {}

void StsService::register_operations(protocol::ServiceRegistry& registry) {
  registry.add("sts",
               {
                   {"GetCallerIdentity", protocol::method(this, &StsService::get_caller_identity)},
                   {"GetAccessKeyInfo", protocol::method(this, &StsService::get_access_key_info)},
                   {"AssumeRole", protocol::method(this, &StsService::assume_role)},
                   {"AssumeRoleWithWebIdentity",
                    protocol::method(this, &StsService::assume_role_with_web_identity)},
                   {"GetSessionToken", protocol::method(this, &StsService::get_session_token)},
               });
}

// GetCallerIdentity —
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
protocol::Result<json::object> StsService::get_caller_identity(const protocol::RequestContext& ctx,
                                                               const json::object&) {
  return json::object{
      {"UserId", ctx.caller_user_id}, {"Account", ctx.account}, {"Arn", ctx.caller_arn}};
}

// GetAccessKeyInfo — https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
protocol::Result<json::object> StsService::get_access_key_info(const protocol::RequestContext& ctx,
                                                               const json::object& in) {
  std::string key = core::str(in, "AccessKeyId");
  if (std::optional<protocol::Principal> p = identities_.lookup(key)) {
    return json::object{{"Account", p->account}};
  }
  // A key this server never issued: AWS reads the account out of the key id itself; ours carry
  // none, so the caller's account answers (default auth accepts any key as that account's).
  return json::object{{"Account", ctx.account}};
}

// AssumeRole — https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
protocol::Result<json::object> StsService::assume_role(const protocol::RequestContext& ctx,
                                                       const json::object& in) {
  std::string role_arn = core::str(in, "RoleArn");
  SessionSpec spec{
      .session_name = core::str(in, "RoleSessionName"),
      .duration_seconds = core::opt_int(in, "DurationSeconds").value_or(kDefaultAssumeRoleSeconds),
      .transitive_tag_keys = core::strings(in, "TransitiveTagKeys"),
      .source_identity = core::str(in, "SourceIdentity")};
  if (auto err = check_session_name(spec.session_name)) return *err;
  if (!is_role_arn(role_arn)) {
    return errors::validation("1 validation error detected: Value '" + role_arn +
                              "' at 'roleArn' failed to satisfy constraint: Member must satisfy "
                              "regular expression pattern: arn:aws:iam::\\d{12}:role/.+");
  }
  auto tags = session_tags(in);
  if (!tags) return tags.error();
  spec.tags = std::move(*tags);
  if (!spec.source_identity.empty()) {
    if (auto err = check_source_identity(spec.source_identity)) return *err;
  }
  // Role chaining: a role session passes its transitive tags and source identity along.
  bool chained = ctx.caller_arn.find(":assumed-role/") != std::string::npos;
  if (std::optional<SessionExtras> chain = identities_.session_extras(ctx.access_key_id)) {
    std::optional<protocol::Principal> caller = identities_.lookup(ctx.access_key_id);
    for (const std::string& k : chain->transitive_tag_keys) {
      if (!caller || !caller->session_tags.contains(k)) continue;
      spec.tags.insert_or_assign(k, caller->session_tags.at(k));
      spec.transitive_tag_keys.push_back(k);
    }
    if (spec.source_identity.empty()) spec.source_identity = chain->source_identity;
  }
  std::optional<iam::RoleInfo> role = sessions_.find_role(role_arn);
  if (!role) {
    return errors::access_denied(not_authorized(ctx.caller_arn, "sts:AssumeRole", role_arn));
  }
  if (auto err = check_duration(spec.duration_seconds, *role, chained)) return *err;
  // --auth enforce: the trust policy must allow the caller.
  if (sessions_.enforce_trust()) {
    if (auto refused =
            sessions_.refused_action(*role, ctx.caller_arn, "sts:AssumeRole",
                                     assume_role_keys(in, spec), !spec.tags.empty(), ctx.region)) {
      return errors::access_denied(not_authorized(ctx.caller_arn, *refused, role->arn));
    }
  }
  TemporaryCredentials c = sessions_.issue(*role, spec);
  json::object out{{"Credentials", credentials_json(c)},
                   {"AssumedRoleUser", assumed_role_user_json(c)}};
  if (in.contains("Policy") || !spec.tags.empty()) out["PackedPolicySize"] = 6;
  if (!spec.source_identity.empty()) out["SourceIdentity"] = spec.source_identity;
  return out;
}

// GetSessionToken — https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
protocol::Result<json::object> StsService::get_session_token(const protocol::RequestContext& ctx,
                                                             const json::object& in) {
  int64_t duration = core::opt_int(in, "DurationSeconds").value_or(kDefaultSessionTokenSeconds);
  if (duration < kMinDurationSeconds || duration > kMaxSessionTokenSeconds) {
    return errors::validation("1 validation error detected: Value '" + std::to_string(duration) +
                              "' at 'durationSeconds' failed to satisfy constraint: Member must "
                              "have value less than or equal to 129600");
  }
  if (ctx.caller_arn.find(":assumed-role/") != std::string::npos) {
    return errors::access_denied("Cannot call GetSessionToken with session credentials");
  }
  TemporaryCredentials c = new_key_pair(clock_.now() + std::chrono::seconds(duration));
  identities_.save_temporary(c.access_key_id,
                             principal_for(c, ctx.account, ctx.caller_arn, ctx.caller_user_id));
  return json::object{{"Credentials", credentials_json(c)}};
}

}  // namespace services::sts
