#include "services/sts/sts_service.h"

#include "core/ids.h"
#include "core/json.h"
#include "core/sha256.h"
#include "services/sts/errors.h"

namespace services::sts {
namespace {

namespace json = boost::json;

constexpr int64_t kDefaultAssumeRoleSeconds = 3600;
constexpr int64_t kMaxAssumeRoleSeconds = 43200;
constexpr int64_t kDefaultSessionTokenSeconds = 43200;
constexpr int64_t kMaxSessionTokenSeconds = 129600;
constexpr int64_t kMinDurationSeconds = 900;

int64_t int_or(const json::object& in, std::string_view key, int64_t fallback) {
  const json::value* v = in.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : fallback;
}

// A role's unique id (AROA...) is stable for the role, as in IAM: derived from its ARN.
std::string role_unique_id(std::string_view role_arn) {
  std::string digest = core::sha256(role_arn);
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string id = "AROA";
  for (int i = 0; i < 17; ++i) id += kAlphabet[static_cast<unsigned char>(digest[i]) % 32];
  return id;
}

}  // namespace

StsService::StsService(IdentityStore& identities, const core::Clock& clock)
    : identities_(identities), clock_(clock) {}

void StsService::register_operations(protocol::ServiceRegistry& registry) {
  registry.add("sts",
               {
                   {"GetCallerIdentity", protocol::method(this, &StsService::get_caller_identity)},
                   {"AssumeRole", protocol::method(this, &StsService::assume_role)},
                   {"GetSessionToken", protocol::method(this, &StsService::get_session_token)},
               });
}

json::object StsService::issue(const std::string& account, const std::string& arn,
                               const std::string& user_id, int64_t duration_seconds) {
  protocol::Principal p;
  p.account = account;
  p.arn = arn;
  p.user_id = user_id;
  p.secret_access_key = core::ids::random_secret(40);
  p.session_token = "FwoGZXIvYXdzE" + core::ids::random_secret(343);
  p.expires_at = clock_.now() + std::chrono::seconds(duration_seconds);
  std::string access_key_id = "ASIA" + core::ids::random_upper_alnum(16);
  identities_.save_temporary(access_key_id, p);
  return {{"AccessKeyId", access_key_id},
          {"SecretAccessKey", p.secret_access_key},
          {"SessionToken", p.session_token},
          {"Expiration", core::to_epoch_seconds(*p.expires_at)}};
}

// GetCallerIdentity — https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
protocol::Result<json::object> StsService::get_caller_identity(const protocol::RequestContext& ctx,
                                                               const json::object&) {
  return json::object{
      {"UserId", ctx.caller_user_id}, {"Account", ctx.account}, {"Arn", ctx.caller_arn}};
}

// AssumeRole — https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
protocol::Result<json::object> StsService::assume_role(const protocol::RequestContext& ctx,
                                                       const json::object& in) {
  std::string role_arn = core::str(in, "RoleArn");
  std::string session = core::str(in, "RoleSessionName");
  core::ids::ParsedArn arn;
  if (!core::ids::parse_arn(role_arn, &arn) || arn.service != "iam" ||
      !arn.resource.starts_with("role/") || arn.account.size() != 12) {
    return errors::validation("1 validation error detected: Value '" + role_arn +
                              "' at 'roleArn' failed to satisfy constraint: Member must satisfy "
                              "regular expression pattern: arn:aws:iam::\\d{12}:role/.+");
  }
  int64_t duration = int_or(in, "DurationSeconds", kDefaultAssumeRoleSeconds);
  if (duration < kMinDurationSeconds || duration > kMaxAssumeRoleSeconds) {
    // Beyond the role's MaxSessionDuration (at most 12 h).
    return errors::validation(
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  std::string role_name = arn.resource.substr(arn.resource.rfind('/') + 1);
  std::string assumed_id = role_unique_id(role_arn) + ":" + session;
  std::string assumed_arn = "arn:" + arn.partition + ":sts::" + arn.account + ":assumed-role/" +
                            role_name + "/" + session;
  json::object credentials = issue(arn.account, assumed_arn, assumed_id, duration);
  json::object out{{"Credentials", std::move(credentials)},
                   {"AssumedRoleUser", {{"AssumedRoleId", assumed_id}, {"Arn", assumed_arn}}}};
  if (in.contains("Policy") || in.contains("Tags")) {
    out["PackedPolicySize"] = 6;
  }
  (void)ctx;
  return out;
}

// GetSessionToken — https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
protocol::Result<json::object> StsService::get_session_token(const protocol::RequestContext& ctx,
                                                             const json::object& in) {
  int64_t duration = int_or(in, "DurationSeconds", kDefaultSessionTokenSeconds);
  if (duration < kMinDurationSeconds || duration > kMaxSessionTokenSeconds) {
    return errors::validation("1 validation error detected: Value '" + std::to_string(duration) +
                              "' at 'durationSeconds' failed to satisfy constraint: Member must "
                              "have value less than or equal to 129600");
  }
  if (ctx.caller_arn.find(":assumed-role/") != std::string::npos) {
    return errors::access_denied("Cannot call GetSessionToken with session credentials");
  }
  return json::object{
      {"Credentials", issue(ctx.account, ctx.caller_arn, ctx.caller_user_id, duration)}};
}

}  // namespace services::sts
