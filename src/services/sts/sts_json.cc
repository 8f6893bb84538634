#include "services/sts/sts_json.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/json.h"
#include "services/sts/errors.h"

namespace services::sts {

namespace json = boost::json;

json::object credentials_json(const TemporaryCredentials& c) {
  return {{"AccessKeyId", c.access_key_id},
          {"SecretAccessKey", c.secret_access_key},
          {"SessionToken", c.session_token},
          {"Expiration", core::to_epoch_seconds(c.expiration)}};
}

json::object assumed_role_user_json(const TemporaryCredentials& c) {
  return {{"AssumedRoleId", c.assumed_role_id}, {"Arn", c.assumed_role_arn}};
}

protocol::Result<std::map<std::string, std::string>> session_tags(const json::object& in) {
  std::map<std::string, std::string> tags;
  const json::array* list = core::arr(in, "Tags");
  if (list == nullptr) return tags;
  std::set<std::string> lowered;
  for (const json::value& item : *list) {
    if (!item.is_object()) continue;
    std::string key = core::str(item.as_object(), "Key");
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!lowered.insert(lower).second) {
      return errors::validation(
          "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
    tags[key] = core::str(item.as_object(), "Value");
  }
  return tags;
}

}  // namespace services::sts
