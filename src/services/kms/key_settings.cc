#include "services/kms/key_settings.h"

#include <boost/json.hpp>
#include <cctype>
#include <set>
#include <string>

#include "core/json.h"
#include "services/kms/errors.h"

namespace services::kms {

namespace json = boost::json;

protocol::Result<void> check_policy(std::string_view policy) {
  boost::system::error_code ec;
  json::value doc = json::parse(policy, ec);
  if (ec || !doc.is_object()) {
    return errors::malformed_policy("The key policy is not a valid JSON document.");
  }
  const json::value* statement = doc.as_object().if_contains("Statement");
  if (statement == nullptr || !(statement->is_array() || statement->is_object())) {
    return errors::malformed_policy("The key policy has no Statement.");
  }
  return {};
}

protocol::Result<void> merge_tags(const json::array& list, json::object& tags,
                                  bool allow_reserved) {
  std::set<std::string> seen;
  json::object merged = tags;
  for (const json::value& v : list) {
    if (!v.is_object()) continue;
    std::string key = core::str(v.as_object(), "TagKey");
    if (!seen.insert(key).second) {
      return errors::tag_error("Duplicate tag keys");
    }
    std::string prefix = key.substr(0, 4);
    for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (prefix == "aws:" && !allow_reserved) {
      return errors::tag_error("Tags beginning with aws: are reserved");
    }
    merged[key] = core::str(v.as_object(), "TagValue");
  }
  tags = std::move(merged);
  return {};
}

}  // namespace services::kms
