#include "services/iam/iam_json.h"

#include <cctype>
#include <string>

#include "services/iam/iam_names.h"

namespace services::iam {

namespace json = boost::json;

json::object public_view(const json::object& entity) {
  json::object out;
  for (const auto& [k, v] : entity) {
    if (k.empty() || !std::isupper(static_cast<unsigned char>(k.front()))) continue;
    if (k == "Tags" && v.is_array() && v.as_array().empty()) continue;
    if (k == "AssumeRolePolicyDocument" && v.is_string()) {
      out[k] = url_encode(v.get_string());
      continue;
    }
    out[k] = v;
  }
  return out;
}

json::object profile_view(const json::object& profile, const json::array& roles) {
  json::object out = public_view(profile);
  out["Roles"] = roles;
  return out;
}

json::object policy_view(const json::object& policy, int64_t attachments) {
  json::object out = public_view(policy);
  out["AttachmentCount"] = attachments;
  out["PermissionsBoundaryUsageCount"] = 0;
  out["IsAttachable"] = true;
  return out;
}

json::object policy_view(const ManagedPolicy& p, int64_t attachments) {
  return {{"PolicyName", p.name},
          {"PolicyId", p.policy_id},
          {"Arn", p.arn},
          {"Path", p.path},
          {"DefaultVersionId", p.default_version_id},
          {"AttachmentCount", attachments},
          {"PermissionsBoundaryUsageCount", 0},
          {"IsAttachable", true},
          {"CreateDate", p.create_date},
          {"UpdateDate", p.update_date}};
}

}  // namespace services::iam
