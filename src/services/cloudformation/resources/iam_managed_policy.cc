// AWS::IAM::ManagedPolicy —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html
// Ref: the policy ARN. Fn::GetAtt: AttachmentCount, CreateDate, DefaultVersionId, IsAttachable,
// PermissionsBoundaryUsageCount, PolicyArn, PolicyId, UpdateDate. A new PolicyDocument is a new
// default version; the oldest version goes first when the policy already has five (IAM's limit).

#include <boost/json.hpp>

#include "core/json.h"
#include "core/percent.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

constexpr std::size_t kMaxVersions = 5;

class IamManagedPolicy final : public engine::ResourceProvider {
 public:
  explicit IamManagedPolicy(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    if (!p.contains("PolicyDocument")) return missing_property(req, "PolicyDocument");
    std::string name = core::opt_str(p, "ManagedPolicyName")
                           .value_or(generated_name(*req.stack, req.logical_id, 128));
    json::object in{{"PolicyName", name},
                    {"Path", core::str(p, "Path", "/")},
                    {"PolicyDocument", json_text(p.at("PolicyDocument"))}};
    if (auto d = core::opt_str(p, "Description")) in["Description"] = *d;
    auto made_policy = client_.call(*req.stack, "iam", "CreatePolicy", in);
    if (!made_policy) return made_policy.error();
    ResourceRequest made = req;
    made.physical_id = core::str(made_policy->at("Policy").as_object(), "Arn");
    auto attached = or_undo(sync_attachments(made, {}), [&] { return remove(made); });
    if (!attached) return attached.error();
    return read(made);
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    if (changed(req, "PolicyDocument")) {
      if (auto r = new_default_version(req); !r) return r.error();
    }
    if (auto r = sync_attachments(req, properties(req.previous_properties)); !r) return r.error();
    return read(req);
  }

  // Detached from every entity and its other versions deleted first: DeletePolicy refuses both.
  protocol::Result<void> remove(const ResourceRequest& req) override {
    auto entities =
        client_.call(*req.stack, "iam", "ListEntitiesForPolicy", {{"PolicyArn", req.physical_id}});
    if (!entities) return gone_is_ok(entities.error());
    for (const PrincipalRef& e : listed_entities(*entities)) {
      if (auto r = attach(req, "Detach", e); !gone_is_ok(r)) return r.error();
    }
    auto versions = list_versions(req);
    if (!versions) return gone_is_ok(versions.error());
    for (const json::value& v : *versions) {
      if (v.at("IsDefaultVersion").as_bool()) continue;
      auto r = client_.call(*req.stack, "iam", "DeletePolicyVersion",
                            {{"PolicyArn", req.physical_id}, {"VersionId", v.at("VersionId")}});
      if (!gone_is_ok(r)) return r.error();
    }
    return gone_is_ok(
        client_.call(*req.stack, "iam", "DeletePolicy", {{"PolicyArn", req.physical_id}}));
  }

  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto got = client_.call(*req.stack, "iam", "GetPolicy", {{"PolicyArn", req.physical_id}});
    if (!got) return got.error();
    const json::object& policy = got->at("Policy").as_object();
    auto version = client_.call(
        *req.stack, "iam", "GetPolicyVersion",
        {{"PolicyArn", req.physical_id}, {"VersionId", policy.at("DefaultVersionId")}});
    if (!version) return version.error();
    std::string document = core::percent_decode(
        core::str(version->at("PolicyVersion").as_object(), "Document"), false);
    json::object props{{"ManagedPolicyName", policy.at("PolicyName")},
                       {"Path", policy.at("Path")},
                       {"PolicyDocument", json_value(document)}};
    if (auto d = core::opt_str(policy, "Description")) props["Description"] = *d;
    auto entities =
        client_.call(*req.stack, "iam", "ListEntitiesForPolicy", {{"PolicyArn", req.physical_id}});
    if (!entities) return entities.error();
    for (const PrincipalRef& e : listed_entities(*entities)) {
      json::value& list = props[e.first + "s"];
      if (!list.is_array()) list.emplace_array();
      list.get_array().push_back(json::value(e.second));
    }
    json::object attrs{{"PolicyArn", req.physical_id}};
    for (std::string_view k : {"AttachmentCount", "CreateDate", "DefaultVersionId", "IsAttachable",
                               "PermissionsBoundaryUsageCount", "PolicyId", "UpdateDate"}) {
      if (const json::value* v = policy.if_contains(k)) attrs[k] = *v;
    }
    return with_properties({req.physical_id, std::move(attrs)}, std::move(props), &req.properties);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property, {"Groups", "PolicyDocument", "Roles", "Users"});
  }

 private:
  protocol::Result<json::array> list_versions(const ResourceRequest& req) {
    auto r = client_.call(*req.stack, "iam", "ListPolicyVersions",
                          {{"PolicyArn", req.physical_id}, {"MaxItems", 1000}});
    if (!r) return r.error();
    return r->at("Versions").as_array();  // newest first
  }

  protocol::Result<void> new_default_version(const ResourceRequest& req) {
    auto versions = list_versions(req);
    if (!versions) return versions.error();
    if (versions->size() >= kMaxVersions) {
      for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
        if (it->at("IsDefaultVersion").as_bool()) continue;
        auto r = client_.call(*req.stack, "iam", "DeletePolicyVersion",
                              {{"PolicyArn", req.physical_id}, {"VersionId", it->at("VersionId")}});
        if (!r) return r.error();
        break;
      }
    }
    json::object in{{"PolicyArn", req.physical_id},
                    {"PolicyDocument", json_text(properties(req.properties).at("PolicyDocument"))},
                    {"SetAsDefault", true}};
    if (auto r = client_.call(*req.stack, "iam", "CreatePolicyVersion", in); !r) return r.error();
    return {};
  }

  static std::set<PrincipalRef> listed_entities(const json::object& listed) {
    std::set<PrincipalRef> out;
    for (std::string kind : {"Role", "User", "Group"}) {
      if (const json::array* list = core::arr(listed, "Policy" + kind + "s")) {
        for (const json::value& e : *list) {
          out.emplace(kind, core::str(e.as_object(), kind + "Name"));
        }
      }
    }
    return out;
  }

  protocol::Result<json::object> attach(const ResourceRequest& req, std::string_view verb,
                                        const PrincipalRef& e) {
    return client_.call(*req.stack, "iam", std::string(verb) + e.first + "Policy",
                        {{e.first + "Name", e.second}, {"PolicyArn", req.physical_id}});
  }

  protocol::Result<void> sync_attachments(const ResourceRequest& req,
                                          const json::object& previous) {
    auto attach_as = [&](std::string_view verb) {
      return [&, verb](const PrincipalRef& e) { return attach(req, verb, e); };
    };
    return sync_members(named_principals(properties(req.properties)), named_principals(previous),
                        attach_as("Detach"), attach_as("Attach"));
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_iam_managed_policy(const ServiceClient& client) {
  return std::make_unique<IamManagedPolicy>(client);
}

}  // namespace services::cloudformation::resources
