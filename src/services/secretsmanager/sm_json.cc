#include "services/secretsmanager/sm_json.h"

#include <algorithm>
#include <charconv>

#include "core/base64.h"
#include "core/ids.h"
#include "core/json.h"
#include "services/secretsmanager/errors.h"
#include "services/secretsmanager/password.h"

namespace services::secretsmanager {

namespace json = boost::json;

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// LastAccessedDate: "This value is truncated to midnight of the date and therefore shows only the
// date, not the time."
double day_of(int64_t ms) { return epoch_seconds(ms - ms % kDayMs); }

}  // namespace

std::string new_secret_arn(std::string_view account, std::string_view region,
                           std::string_view name) {
  PasswordRules rules{
      .length = 6, .exclude_punctuation = true, .require_each_included_type = false};
  protocol::Result<std::string> suffix = random_password(rules);
  return core::ids::arn("secretsmanager", region, account,
                        "secret:" + std::string(name) + "-" + *suffix);
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
json::object describe(const SecretRow& s, const std::vector<VersionRow>& versions,
                      bool list_entry) {
  json::object out{{"ARN", s.arn}, {"Name", s.name}};
  if (s.description) out["Description"] = *s.description;
  // "If the secret is encrypted with the Amazon Web Services managed key aws/secretsmanager, this
  // field is omitted."
  if (!s.kms_key_id.empty() && s.kms_key_id != kDefaultKey) out["KmsKeyId"] = s.kms_key_id;
  if (s.rotation_enabled) out["RotationEnabled"] = *s.rotation_enabled;
  if (s.rotation_lambda_arn) out["RotationLambdaARN"] = *s.rotation_lambda_arn;
  if (s.rotation_rules) out["RotationRules"] = *s.rotation_rules;
  if (s.last_rotated_ms) out["LastRotatedDate"] = epoch_seconds(*s.last_rotated_ms);
  if (s.next_rotation_ms && s.rotation_enabled.value_or(false)) {
    out["NextRotationDate"] = epoch_seconds(*s.next_rotation_ms);
  }
  out["LastChangedDate"] = epoch_seconds(s.last_changed_ms);
  if (s.last_accessed_ms) out["LastAccessedDate"] = day_of(*s.last_accessed_ms);
  if (s.deleted_date_ms) out["DeletedDate"] = epoch_seconds(*s.deleted_date_ms);
  if (!s.tags.empty()) out["Tags"] = s.tags;
  json::object stages;
  for (const VersionRow& v : versions) {
    if (v.stages.empty()) continue;  // deprecated
    json::array labels;
    for (const std::string& l : v.stages) labels.emplace_back(l);
    stages[v.version_id] = std::move(labels);
  }
  if (!stages.empty()) {
    out[list_entry ? "SecretVersionsToStages" : "VersionIdsToStages"] = std::move(stages);
  }
  out["CreatedDate"] = epoch_seconds(s.created_at_ms);
  return out;
}

json::object version_entry(const SecretRow& s, const VersionRow& v) {
  json::object out{{"VersionId", v.version_id}};
  if (!v.stages.empty()) {
    json::array labels;
    for (const std::string& l : v.stages) labels.emplace_back(l);
    out["VersionStages"] = std::move(labels);
  }
  if (v.last_accessed_ms) out["LastAccessedDate"] = day_of(*v.last_accessed_ms);
  out["CreatedDate"] = epoch_seconds(v.created_at_ms);
  // AWS lists the AWS managed key as "DefaultEncryptionKey".
  out["KmsKeyIds"] = json::array{s.kms_key_id.empty() || s.kms_key_id == kDefaultKey
                                     ? std::string("DefaultEncryptionKey")
                                     : s.kms_key_id};
  return out;
}

void merge_tags(json::array& tags, const json::array& added) {
  for (const json::value& t : added) {
    if (!t.is_object()) continue;
    std::string key = core::str(t.as_object(), "Key");
    std::string value = core::str(t.as_object(), "Value");
    auto same = std::find_if(tags.begin(), tags.end(), [&](const json::value& have) {
      return have.is_object() && core::str(have.as_object(), "Key") == key;
    });
    if (same != tags.end()) {
      same->as_object()["Value"] = value;
    } else {
      tags.push_back(json::object{{"Key", key}, {"Value", value}});
    }
  }
}

void remove_tags(json::array& tags, const std::vector<std::string>& keys) {
  json::array kept;
  for (const json::value& t : tags) {
    std::string key = t.is_object() ? core::str(t.as_object(), "Key") : "";
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) kept.push_back(t);
  }
  tags = std::move(kept);
}

std::string next_token(std::size_t offset) {
  return core::base64_encode("offset:" + std::to_string(offset));
}

protocol::Result<std::size_t> token_offset(const json::object& in) {
  std::optional<std::string> token = core::opt_str(in, "NextToken");
  if (!token) return std::size_t{0};
  std::optional<std::string> text = core::base64_decode(*token);
  if (!text || !text->starts_with("offset:")) return errors::invalid_next_token();
  std::size_t offset = 0;
  const char* begin = text->data() + 7;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(begin, end, offset);
  if (ec != std::errc() || ptr != end || begin == end) return errors::invalid_next_token();
  return offset;
}

}  // namespace services::secretsmanager
