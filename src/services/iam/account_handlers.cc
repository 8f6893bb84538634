// Whole-account views: GetAccountAuthorizationDetails and GetAccountSummary.

#include <boost/json.hpp>
#include <map>

#include "core/json.h"
#include "services/iam/iam_json.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"
#include "services/iam/managed_policies.h"

namespace services::iam {

namespace json = boost::json;

namespace {

json::array inline_list(const Doc& entity) {
  json::array out;
  if (const json::object* p = core::obj(entity, "inline")) {
    for (const auto& [name, doc] : *p) {
      out.push_back(
          json::object{{"PolicyName", name}, {"PolicyDocument", url_encode(doc.as_string())}});
    }
  }
  return out;
}

json::array attached_list(const Doc& entity) {
  json::array out;
  for (const std::string& arn : core::strings(entity, "attached")) {
    out.push_back(json::object{{"PolicyName", arn.substr(arn.rfind('/') + 1)}, {"PolicyArn", arn}});
  }
  return out;
}

// An entity's detail: its wire members, with the given members renamed from the stored ones.
json::object detail(const Doc& entity, std::string_view inline_member) {
  json::object out = public_view(entity);
  out[inline_member] = inline_list(entity);
  out["AttachedManagedPolicies"] = attached_list(entity);
  return out;
}

json::object customer_policy_detail(const Doc& p, int64_t count) {
  json::object out = policy_view(p, count);
  out.erase("Tags");
  json::array versions;
  for (const json::value& v : p.at("versions").as_array()) {
    const json::object& vo = v.as_object();
    versions.push_back(json::object{
        {"Document", url_encode(core::str(vo, "Document"))},
        {"VersionId", vo.at("VersionId")},
        {"IsDefaultVersion", core::str(vo, "VersionId") == core::str(p, "DefaultVersionId")},
        {"CreateDate", vo.at("CreateDate")}});
  }
  out["PolicyVersionList"] = std::move(versions);
  return out;
}

json::object managed_policy_detail(const ManagedPolicy& p, int64_t count) {
  json::object out = policy_view(p, count);
  out["PolicyVersionList"] = json::array{json::object{{"Document", url_encode(p.document)},
                                                      {"VersionId", p.default_version_id},
                                                      {"IsDefaultVersion", true},
                                                      {"CreateDate", p.update_date}}};
  return out;
}

bool wanted(const std::vector<std::string>& filter, std::string_view what) {
  return filter.empty() || std::find(filter.begin(), filter.end(), what) != filter.end();
}

}  // namespace

// GetAccountAuthorizationDetails —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
// Without a filter, AWS managed policies appear only when something has them attached.
Reply IamService::get_account_authorization_details(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> filter = core::strings(in, "Filter");
  return read([&](IamStore& st) -> Reply {
    json::array items;  // {"m": list member, "v": item}, paged together
    auto add = [&](std::string_view member, json::object v) {
      items.push_back(json::object{{"m", member}, {"v", std::move(v)}});
    };
    std::map<std::string, int64_t> counts;
    std::vector<Doc> profiles = st.all(ctx.account, Kind::InstanceProfile);
    for (Kind kind : {Kind::User, Kind::Group, Kind::Role}) {
      for (const Doc& e : st.all(ctx.account, kind)) {
        for (const std::string& a : core::strings(e, "attached")) ++counts[a];
        if (kind == Kind::User && wanted(filter, "User")) {
          json::object d = detail(e, "UserPolicyList");
          d["GroupList"] = e.at("groups");
          add("UserDetailList", std::move(d));
        } else if (kind == Kind::Group && wanted(filter, "Group")) {
          add("GroupDetailList", detail(e, "GroupPolicyList"));
        } else if (kind == Kind::Role && wanted(filter, "Role")) {
          json::object d = detail(e, "RolePolicyList");
          json::array in_profiles;
          for (const Doc& p : profiles) {
            std::vector<std::string> roles = core::strings(p, "roles");
            if (!roles.empty() && name_key(roles[0]) == name_key(core::str(e, "RoleName"))) {
              in_profiles.push_back(profile_view(p, json::array{public_view(e)}));
            }
          }
          d["InstanceProfileList"] = std::move(in_profiles);
          d["RoleLastUsed"] = json::object{};
          add("RoleDetailList", std::move(d));
        }
      }
    }
    if (wanted(filter, "LocalManagedPolicy")) {
      for (const Doc& p : st.all(ctx.account, Kind::Policy)) {
        add("Policies", customer_policy_detail(p, counts[core::str(p, "Arn")]));
      }
    }
    bool all_aws = !filter.empty() && wanted(filter, "AWSManagedPolicy");
    if (filter.empty() || all_aws) {
      for (const ManagedPolicy& p : aws_managed_policies()) {
        if (all_aws || counts[p.arn] > 0) add("Policies", managed_policy_detail(p, counts[p.arn]));
      }
    }
    Doc page;
    paginate(items, in, page, "items");
    Doc out{{"UserDetailList", json::array{}},
            {"GroupDetailList", json::array{}},
            {"RoleDetailList", json::array{}},
            {"Policies", json::array{}}};
    for (const json::value& item : page.at("items").as_array()) {
      out[item.at("m").as_string()].as_array().push_back(item.at("v"));
    }
    out["IsTruncated"] = page.at("IsTruncated");
    if (page.contains("Marker")) out["Marker"] = page.at("Marker");
    return out;
  });
}

// GetAccountSummary —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html
Reply IamService::get_account_summary(const Ctx& ctx, const Doc&) {
  return read([&](IamStore& st) -> Reply {
    auto count = [&](Kind kind) { return static_cast<int64_t>(st.all(ctx.account, kind).size()); };
    int64_t versions = 0;
    for (const Doc& p : st.all(ctx.account, Kind::Policy)) {
      versions += static_cast<int64_t>(p.at("versions").as_array().size());
    }
    json::object summary{{"Users", count(Kind::User)},
                         {"UsersQuota", 5000},
                         {"Groups", count(Kind::Group)},
                         {"GroupsQuota", 300},
                         {"Roles", count(Kind::Role)},
                         {"RolesQuota", 1000},
                         {"Policies", count(Kind::Policy)},
                         {"PoliciesQuota", 1500},
                         {"PolicyVersionsInUse", versions},
                         {"PolicyVersionsInUseQuota", 10000},
                         {"AttachedPoliciesPerRoleQuota", 10},
                         {"AttachedPoliciesPerUserQuota", 10},
                         {"AttachedPoliciesPerGroupQuota", 10},
                         {"AccessKeysPerUserQuota", 2},
                         {"VersionsPerPolicyQuota", 5},
                         {"InstanceProfiles", count(Kind::InstanceProfile)},
                         {"InstanceProfilesQuota", 1000},
                         {"Providers", count(Kind::OidcProvider)},
                         {"GroupsPerUserQuota", 10},
                         {"AccountMFAEnabled", 0}};
    return Doc{{"SummaryMap", std::move(summary)}};
  });
}

}  // namespace services::iam
