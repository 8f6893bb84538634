// Managed policies: customer managed ones (stored per account) and AWS managed ones
// (managed_policies.h, the same in every account).

#include <boost/json.hpp>
#include <map>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_json.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"
#include "services/iam/managed_policies.h"
#include "services/iam/policy_document.h"
#include "services/iam/tags.h"

namespace services::iam {

namespace json = boost::json;

namespace {

// Attachments of every policy ARN in the account.
std::map<std::string, int64_t> attachment_counts(IamStore& st, const Ctx& ctx) {
  std::map<std::string, int64_t> out;
  for (Kind kind : {Kind::Role, Kind::User, Kind::Group}) {
    for (const Doc& e : st.all(ctx.account, kind)) {
      for (const std::string& a : core::strings(e, "attached")) ++out[a];
    }
  }
  return out;
}

int64_t count_of(const std::map<std::string, int64_t>& counts, const std::string& arn) {
  auto it = counts.find(arn);
  return it == counts.end() ? 0 : it->second;
}

}  // namespace

Reply IamService::change_policy(const Ctx& ctx, std::string_view arn, const EntityStep& step) {
  return write([&](IamStore& st) -> Reply {
    std::optional<Doc> policy = customer_policy(st, ctx, arn);
    if (!policy) return errors::policy_not_found(std::string(arn));
    Reply out = step(st, *policy);
    if (out) st.put(ctx.account, Kind::Policy, core::str(*policy, "PolicyName"), *policy);
    return out;
  });
}

// CreatePolicy — https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
Reply IamService::create_policy(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "PolicyName");
  std::string path = core::str(in, "Path", "/");
  std::string document = core::str(in, "PolicyDocument");
  if (auto ok = check_name("policyName", name); !ok) return ok.error();
  if (auto ok = check_path(path); !ok) return ok.error();
  if (auto ok = validate_policy(document, PolicyKind::Identity); !ok) return ok.error();
  int64_t t = now();
  Doc policy{{"PolicyName", name},
             {"PolicyId", new_id("ANPA")},
             {"Arn", entity_arn(ctx.account, "policy", path, name)},
             {"Path", path},
             {"DefaultVersionId", "v1"},
             {"CreateDate", t},
             {"UpdateDate", t},
             {"Tags", json::array{}},
             {"versions", json::array{json::object{
                              {"VersionId", "v1"}, {"Document", document}, {"CreateDate", t}}}},
             {"next_version", 2}};
  if (std::optional<std::string> d = core::opt_str(in, "Description")) policy["Description"] = *d;
  add_tags(policy, in);
  return write([&](IamStore& st) -> Reply {
    if (!st.insert(ctx.account, Kind::Policy, name, policy)) {
      return errors::already_exists("A policy called " + name +
                                    " already exists. Duplicate names are not allowed.");
    }
    // CreatePolicy's reply leaves the description out (moto's AWS-verified
    // test_policy_resource_returns_subset_of_available_attributes); GetPolicy shows it.
    json::object view = policy_view(policy, 0);
    view.erase("Description");
    return Doc{{"Policy", std::move(view)}};
  });
}

// GetPolicy — https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html
Reply IamService::get_policy(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  return read([&](IamStore& st) -> Reply {
    if (const ManagedPolicy* p = find_aws_managed(arn)) {
      return Doc{{"Policy", policy_view(*p, attachment_count(st, ctx, arn))}};
    }
    std::optional<Doc> policy = customer_policy(st, ctx, arn);
    if (!policy) return errors::policy_not_found(arn);
    json::object view = policy_view(*policy, attachment_count(st, ctx, arn));
    if (!view.contains("Tags")) view["Tags"] = json::array();  // GetPolicy shows none as []
    return Doc{{"Policy", std::move(view)}};
  });
}

// ListPolicies — https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
Reply IamService::list_policies(const Ctx& ctx, const Doc& in) {
  std::string scope = core::str(in, "Scope", "All");
  bool only_attached = core::opt_bool(in, "OnlyAttached").value_or(false);
  return read([&](IamStore& st) -> Reply {
    std::map<std::string, int64_t> counts = attachment_counts(st, ctx);
    json::array policies;
    auto add = [&](json::object view) {
      bool attached = view.at("AttachmentCount").as_int64() > 0;
      if (path_matches(in, view.at("Path").as_string()) && (!only_attached || attached)) {
        policies.push_back(std::move(view));
      }
    };
    if (scope != "Local") {
      for (const ManagedPolicy& p : aws_managed_policies()) {
        add(policy_view(p, count_of(counts, p.arn)));
      }
    }
    if (scope != "AWS") {
      for (const Doc& p : st.all(ctx.account, Kind::Policy)) {
        json::object view = policy_view(p, count_of(counts, core::str(p, "Arn")));
        view.erase("Tags");
        view.erase("Description");
        add(std::move(view));
      }
    }
    Doc out;
    paginate(policies, in, out, "Policies");
    return out;
  });
}

// DeletePolicy — https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html
Reply IamService::delete_policy(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  return write([&](IamStore& st) -> Reply {
    std::optional<Doc> policy = customer_policy(st, ctx, arn);
    if (!policy) return errors::policy_not_found(arn);
    if (attachment_count(st, ctx, arn) > 0) {
      return errors::delete_conflict("Cannot delete a policy attached to entities.");
    }
    if (core::arr(*policy, "versions")->size() > 1) {
      return errors::delete_conflict(
          "This policy has more than one version. Before you delete a policy, you must delete "
          "the policy's versions. The default version is deleted with the policy.");
    }
    st.erase(ctx.account, Kind::Policy, core::str(*policy, "PolicyName"));
    return Doc{};
  });
}

// TagPolicy — https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagPolicy.html
Reply IamService::tag_policy(const Ctx& ctx, const Doc& in) {
  return change_policy(ctx, core::str(in, "PolicyArn"), [&](IamStore&, Doc& policy) -> Reply {
    add_tags(policy, in);
    return Doc{};
  });
}

// UntagPolicy — https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagPolicy.html
Reply IamService::untag_policy(const Ctx& ctx, const Doc& in) {
  return change_policy(ctx, core::str(in, "PolicyArn"), [&](IamStore&, Doc& policy) -> Reply {
    remove_tags(policy, in);
    return Doc{};
  });
}

// ListPolicyTags — https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicyTags.html
Reply IamService::list_policy_tags(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  return read([&](IamStore& st) -> Reply {
    if (find_aws_managed(arn)) return tags_page(Doc{}, in);
    std::optional<Doc> policy = customer_policy(st, ctx, arn);
    if (!policy) return errors::policy_not_found(arn);
    return tags_page(*policy, in);
  });
}

}  // namespace services::iam
