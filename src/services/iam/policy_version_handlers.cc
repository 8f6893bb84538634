// Versions of managed policies: a customer managed policy keeps up to five, one of them the
// default; an AWS managed policy shows its default version only.

#include <algorithm>
#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"
#include "services/iam/managed_policies.h"
#include "services/iam/policy_document.h"

namespace services::iam {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxVersions = 5;

protocol::AwsError no_version(const std::string& arn, const std::string& version) {
  return errors::no_such_entity("Policy " + arn + " version " + version +
                                " does not exist or is not attachable.");
}

// A stored version for the wire: IsDefaultVersion, and its Document (URL-encoded) if asked.
json::object version_view(const json::object& v, const json::object& policy, bool with_document) {
  std::string id = core::str(v, "VersionId");
  json::object out{{"VersionId", id},
                   {"IsDefaultVersion", id == core::str(policy, "DefaultVersionId")},
                   {"CreateDate", v.at("CreateDate")}};
  if (with_document) out["Document"] = url_encode(core::str(v, "Document"));
  return out;
}

json::object managed_version(const ManagedPolicy& p, bool with_document) {
  json::object out{{"VersionId", p.default_version_id},
                   {"IsDefaultVersion", true},
                   {"CreateDate", p.update_date}};
  if (with_document) out["Document"] = url_encode(p.document);
  return out;
}

json::array& versions_of(json::object& policy) { return policy["versions"].as_array(); }

json::array::iterator find_version(json::object& policy, std::string_view id) {
  json::array& versions = versions_of(policy);
  return std::find_if(versions.begin(), versions.end(), [&](const json::value& v) {
    return core::str(v.as_object(), "VersionId") == id;
  });
}

}  // namespace

// CreatePolicyVersion —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html
Reply IamService::create_policy_version(const Ctx& ctx, const Doc& in) {
  std::string document = core::str(in, "PolicyDocument");
  if (auto ok = validate_policy(document, PolicyKind::Identity); !ok) return ok.error();
  bool set_default = core::opt_bool(in, "SetAsDefault").value_or(false);
  return change_policy(ctx, core::str(in, "PolicyArn"), [&](IamStore&, Doc& policy) -> Reply {
    if (versions_of(policy).size() >= kMaxVersions) {
      return errors::limit_exceeded(
          "A managed policy can have up to 5 versions. Before you create a new version, you "
          "must delete an existing version.");
    }
    int64_t n = core::opt_int(policy, "next_version").value_or(2);
    std::string id = "v" + std::to_string(n);
    policy["next_version"] = n + 1;
    json::object v{{"VersionId", id}, {"Document", document}, {"CreateDate", now()}};
    versions_of(policy).push_back(v);
    if (set_default) {
      policy["DefaultVersionId"] = id;
      policy["UpdateDate"] = now();
    }
    return Doc{{"PolicyVersion", version_view(v, policy, false)}};
  });
}

// GetPolicyVersion — https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
Reply IamService::get_policy_version(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  std::string id = core::str(in, "VersionId");
  if (const ManagedPolicy* p = find_aws_managed(arn)) {
    if (id != p->default_version_id) return no_version(arn, id);
    return Doc{{"PolicyVersion", managed_version(*p, true)}};
  }
  return read([&](IamStore& st) -> Reply {
    std::optional<Doc> policy = customer_policy(st, ctx, arn);
    if (!policy) return errors::policy_not_found(arn);
    auto it = find_version(*policy, id);
    if (it == versions_of(*policy).end()) return no_version(arn, id);
    return Doc{{"PolicyVersion", version_view(it->as_object(), *policy, true)}};
  });
}

// ListPolicyVersions —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicyVersions.html
Reply IamService::list_policy_versions(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  json::array versions;
  if (const ManagedPolicy* p = find_aws_managed(arn)) {
    versions.push_back(managed_version(*p, false));
  } else {
    Reply found = read([&](IamStore& st) -> Reply {
      std::optional<Doc> policy = customer_policy(st, ctx, arn);
      if (!policy) return errors::policy_not_found(arn);
      // Newest first, as IAM lists them.
      for (auto it = versions_of(*policy).rbegin(); it != versions_of(*policy).rend(); ++it) {
        versions.push_back(version_view(it->as_object(), *policy, false));
      }
      return Doc{};
    });
    if (!found) return found.error();
  }
  Doc out;
  paginate(versions, in, out, "Versions");
  return out;
}

// DeletePolicyVersion —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicyVersion.html
Reply IamService::delete_policy_version(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  std::string id = core::str(in, "VersionId");
  return change_policy(ctx, arn, [&](IamStore&, Doc& policy) -> Reply {
    auto it = find_version(policy, id);
    if (it == versions_of(policy).end()) return no_version(arn, id);
    if (id == core::str(policy, "DefaultVersionId")) {
      return errors::delete_conflict("Cannot delete the default version of a policy.");
    }
    versions_of(policy).erase(it);
    return Doc{};
  });
}

// SetDefaultPolicyVersion —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetDefaultPolicyVersion.html
Reply IamService::set_default_policy_version(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  std::string id = core::str(in, "VersionId");
  return change_policy(ctx, arn, [&](IamStore&, Doc& policy) -> Reply {
    if (find_version(policy, id) == versions_of(policy).end()) return no_version(arn, id);
    policy["DefaultVersionId"] = id;
    policy["UpdateDate"] = now();
    return Doc{};
  });
}

}  // namespace services::iam
