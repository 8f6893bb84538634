// AWS::SSM::Parameter —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-parameter.html
// Ref: the parameter name. Fn::GetAtt: Type, Value. CloudFormation creates String and StringList
// parameters only ("AWS CloudFormation doesn't support creating a SecureString parameter type");
// its Tags are a map, not a list. Without a Name, CloudFormation names it CFN-<logical
// id>-<suffix>.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

// The template's {key: value} Tags as [{Key, Value}].
json::array tag_list(const json::object& props) {
  json::array out;
  if (const json::object* tags = core::obj(props, "Tags")) {
    for (const auto& [k, v] : *tags)
      out.push_back(json::object{{"Key", k}, {"Value", json_text(v)}});
  }
  return out;
}

class SsmParameter final : public engine::ResourceProvider {
 public:
  explicit SsmParameter(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    for (std::string_view k : {"Type", "Value"}) {
      if (!p.contains(k)) return missing_property(req, k);
    }
    if (auto bad = check_type(req)) return *bad;
    std::string name = core::opt_str(p, "Name").value_or("CFN-" + req.logical_id + "-" +
                                                         core::ids::random_upper_alnum(12));
    json::object in = put_input(p, name);
    json::value template_list(tag_list(p));
    in["Tags"] = stack_tags(req, &template_list);
    if (auto r = client_.call(*req.stack, "ssm", "PutParameter", in); !r) return r.error();
    ResourceRequest made = req;
    made.physical_id = name;
    return read(made);
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    if (auto bad = check_type(req)) return *bad;
    json::object in = put_input(p, req.physical_id);
    in["Overwrite"] = true;
    // PutParameter keeps a description or pattern it is not given: clear a removed one.
    for (std::string_view k : {"Description", "AllowedPattern"}) {
      if (!in.contains(k) && changed(req, k)) in[k] = "";
    }
    if (auto r = client_.call(*req.stack, "ssm", "PutParameter", in); !r) return r.error();
    // Gantry's SSM has no RemoveTagsFromResource: a tag dropped from the template stays.
    json::value now(tag_list(p)), before(tag_list(properties(req.previous_properties)));
    TagChange tags = tag_change(&before, &now);
    if (!tags.set.empty()) {
      auto r = client_.call(
          *req.stack, "ssm", "AddTagsToResource",
          {{"ResourceType", "Parameter"}, {"ResourceId", req.physical_id}, {"Tags", tags.set}});
      if (!r) return r.error();
    }
    return read(req);
  }

  protocol::Result<void> remove(const ResourceRequest& req) override {
    return gone_is_ok(
        client_.call(*req.stack, "ssm", "DeleteParameter", {{"Name", req.physical_id}}));
  }

  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto got = client_.call(*req.stack, "ssm", "GetParameter", {{"Name", req.physical_id}});
    if (!got) return got.error();
    const json::object& param = got->at("Parameter").as_object();
    json::object props{
        {"Name", param.at("Name")}, {"Type", param.at("Type")}, {"Value", param.at("Value")}};
    json::object filter{{"Key", "Name"}, {"Option", "Equals"}, {"Values", {req.physical_id}}};
    auto described = client_.call(*req.stack, "ssm", "DescribeParameters",
                                  {{"ParameterFilters", json::array{filter}}});
    if (!described) return described.error();
    for (const json::value& d : *core::arr(*described, "Parameters")) {
      for (std::string_view k : {"Description", "AllowedPattern", "Tier", "DataType"}) {
        if (const json::value* v = d.as_object().if_contains(k)) props[k] = *v;
      }
    }
    auto tags = client_.call(*req.stack, "ssm", "ListTagsForResource",
                             {{"ResourceType", "Parameter"}, {"ResourceId", req.physical_id}});
    if (!tags) return tags.error();
    json::object tag_map;
    for (const json::value& t : template_tags(req, *core::arr(*tags, "TagList"))) {
      tag_map[core::str(t.as_object(), "Key")] = t.at("Value");
    }
    if (!tag_map.empty()) props["Tags"] = std::move(tag_map);
    ProvisionResult out{req.physical_id,
                        {{"Type", param.at("Type")}, {"Value", param.at("Value")}}};
    return with_properties(std::move(out), std::move(props), &req.properties);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property, {"AllowedPattern", "DataType", "Description", "Policies",
                                         "Tags", "Tier", "Type", "Value"});
  }

 private:
  static std::optional<protocol::AwsError> check_type(const ResourceRequest& req) {
    std::string type = core::str(properties(req.properties), "Type");
    if (type == "String" || type == "StringList") return std::nullopt;
    return protocol::AwsError{"ValidationError",
                              "Properties validation failed for resource " + req.logical_id +
                                  " with message: #/Type: " + type +
                                  " is not a valid enum value (String, StringList)"};
  }

  static json::object put_input(const json::object& p, const std::string& name) {
    json::object in{
        {"Name", name}, {"Type", core::str(p, "Type")}, {"Value", json_text(p.at("Value"))}};
    for (std::string_view k : {"Description", "AllowedPattern", "Tier", "DataType", "Policies"}) {
      if (auto v = core::opt_str(p, k)) in[k] = *v;
    }
    return in;
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ssm_parameter(const ServiceClient& client) {
  return std::make_unique<SsmParameter>(client);
}

}  // namespace services::cloudformation::resources
