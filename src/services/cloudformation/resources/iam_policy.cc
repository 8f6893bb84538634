// AWS::IAM::Policy — an inline policy put on roles, users and groups.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-policy.html
// Ref: the physical id CloudFormation generates ("<stack>-<logical id>-<suffix>"). Fn::GetAtt: Id
// (the same string).

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

class IamPolicy final : public engine::ResourceProvider {
 public:
  explicit IamPolicy(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    if (!p.contains("PolicyName")) return missing_property(req, "PolicyName");
    if (!p.contains("PolicyDocument")) return missing_property(req, "PolicyDocument");
    if (named_principals(p).empty()) {
      return protocol::AwsError{"ValidationError",
                                "At least one of [Groups,Roles,Users] must be non-empty."};
    }
    ResourceRequest made = req;
    made.physical_id = generated_name(*req.stack, req.logical_id, 64);
    auto put = or_undo(put_all(made), [&] { return remove(made); });
    if (!put) return put.error();
    return result(made.physical_id);
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    if (auto r = update_holders(req); !r) return r.error();
    return result(req.physical_id);
  }

  protocol::Result<void> remove(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    for (const auto& h : named_principals(p)) {
      if (auto r = call(req, "Delete", h, core::str(p, "PolicyName")); !gone_is_ok(r)) {
        return r.error();
      }
    }
    return {};
  }

  // The policy as the principals hold it; NoSuchEntity once none holds it.
  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    std::string name = core::str(p, "PolicyName");
    json::object props{{"PolicyName", name}};
    std::optional<protocol::AwsError> missing;
    for (const auto& h : named_principals(p)) {
      auto got = call(req, "Get", h, name);
      if (!got) {
        if (!is_not_found(got.error())) return got.error();
        missing = got.error();
        continue;
      }
      json::value& list = props[h.first + "s"];
      if (!list.is_array()) list.emplace_array();
      list.get_array().push_back(json::value(h.second));
      props["PolicyDocument"] =
          json_value(core::percent_decode(core::str(*got, "PolicyDocument"), false));
    }
    if (!props.contains("PolicyDocument") && missing) return *missing;
    return with_properties(result(req.physical_id), std::move(props), &req.properties);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property,
                              {"Groups", "PolicyDocument", "PolicyName", "Roles", "Users"});
  }

 private:
  // A principal dropped from the lists, or a new PolicyName, deletes the old inline policy.
  protocol::Result<void> update_holders(const ResourceRequest& req) {
    const json::object& before = properties(req.previous_properties);
    const json::object& now = properties(req.properties);
    bool renamed = core::str(before, "PolicyName") != core::str(now, "PolicyName");
    auto keep = named_principals(now);
    for (const auto& h : named_principals(before)) {
      if (!renamed && keep.contains(h)) continue;
      if (auto r = call(req, "Delete", h, core::str(before, "PolicyName")); !gone_is_ok(r)) {
        return r.error();
      }
    }
    return put_all(req);
  }

  static ProvisionResult result(const std::string& id) { return {id, {{"Id", id}}}; }

  protocol::Result<void> put_all(const ResourceRequest& req) {
    const json::object& p = properties(req.properties);
    std::string document = json_text(p.at("PolicyDocument"));
    for (const auto& h : named_principals(p)) {
      auto r = call(req, "Put", h, core::str(p, "PolicyName"), document);
      if (!r) return r.error();
    }
    return {};
  }

  protocol::Result<json::object> call(const ResourceRequest& req, std::string_view verb,
                                      const PrincipalRef& holder, const std::string& policy,
                                      std::string document = "") {
    json::object in{{holder.first + "Name", holder.second}, {"PolicyName", policy}};
    if (!document.empty()) in["PolicyDocument"] = std::move(document);
    return client_.call(*req.stack, "iam", std::string(verb) + holder.first + "Policy", in);
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_iam_policy(const ServiceClient& client) {
  return std::make_unique<IamPolicy>(client);
}

}  // namespace services::cloudformation::resources
