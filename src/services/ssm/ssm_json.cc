#include "services/ssm/ssm_json.h"

#include <algorithm>
#include <boost/json.hpp>
#include <utility>
#include <vector>

#include "core/base64.h"

namespace services::ssm {

namespace json = boost::json;

namespace {

// Parameter policies as ParameterMetadata lists them (ParameterInlinePolicy).
json::array policy_list(const std::string& policies) {
  json::array out;
  if (policies.empty()) return out;
  boost::system::error_code ec;
  json::value v = json::parse(policies, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& p : v.as_array()) {
    std::string type;
    if (p.is_object()) {
      if (const json::value* t = p.as_object().if_contains("Type"); t && t->is_string()) {
        type = std::string(t->as_string());
      }
    }
    out.push_back(json::object{
        {"PolicyText", json::serialize(p)}, {"PolicyType", type}, {"PolicyStatus", "Pending"}});
  }
  return out;
}

}  // namespace

json::object parameter_json(std::string_view name, std::string_view arn, const VersionRow& v,
                            std::string_view value, std::string_view selector) {
  json::object o{{"Name", name},
                 {"Type", v.type},
                 {"Value", value},
                 {"Version", v.version},
                 {"LastModifiedDate", epoch_seconds(v.modified_at_ms)},
                 {"ARN", arn},
                 {"DataType", v.data_type}};
  if (!selector.empty()) o["Selector"] = selector;
  return o;
}

namespace {

// The members ParameterMetadata and ParameterHistory share: one version's settings.
json::object version_fields(std::string_view name, const VersionRow& v) {
  json::object o{{"Name", name},
                 {"Type", v.type},
                 {"LastModifiedDate", epoch_seconds(v.modified_at_ms)},
                 {"LastModifiedUser", v.modified_by},
                 {"Version", v.version},
                 {"Tier", v.tier},
                 {"Policies", policy_list(v.policies)},
                 {"DataType", v.data_type}};
  if (!v.key_id.empty()) o["KeyId"] = v.key_id;
  if (!v.description.empty()) o["Description"] = v.description;
  if (!v.allowed_pattern.empty()) o["AllowedPattern"] = v.allowed_pattern;
  return o;
}

}  // namespace

json::object metadata_json(const ParameterRow& p, std::string_view arn) {
  json::object o = version_fields(p.name, p.current());
  o["ARN"] = arn;
  return o;
}

json::object history_json(std::string_view name, const VersionRow& v, std::string_view value) {
  json::object o = version_fields(name, v);
  json::array labels;
  for (const std::string& l : v.labels) labels.emplace_back(l);
  o["Value"] = value;
  o["Labels"] = std::move(labels);
  return o;
}

json::array tag_list(const json::object& tags) {
  std::vector<std::pair<std::string, std::string>> sorted;
  for (const auto& t : tags) {
    sorted.emplace_back(std::string(t.key()),
                        t.value().is_string() ? std::string(t.value().get_string()) : "");
  }
  std::sort(sorted.begin(), sorted.end());
  json::array out;
  for (const auto& [k, v] : sorted) out.push_back(json::object{{"Key", k}, {"Value", v}});
  return out;
}

std::string next_token(std::string_view last_key) { return core::base64_encode(last_key); }

std::optional<std::string> parse_token(std::string_view token) {
  return core::base64_decode(token);
}

}  // namespace services::ssm
