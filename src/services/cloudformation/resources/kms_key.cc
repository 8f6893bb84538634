// AWS::KMS::Key —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html
// Ref: the key id. Fn::GetAtt: Arn, KeyId. Deleting the resource schedules the key's deletion
// after PendingWindowInDays (7-30, default 30), as CloudFormation does. Tagged as every stack
// resource is (stack_tags).

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

// [{Key, Value}] as KMS spells tags: [{TagKey, TagValue}].
json::array kms_tags(const json::array& tags) {
  json::array out;
  for (const json::value& t : tags) {
    out.push_back(json::object{{"TagKey", t.at("Key")}, {"TagValue", t.at("Value")}});
  }
  return out;
}

class KmsKey final : public engine::ResourceProvider {
 public:
  explicit KmsKey(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    json::object in;
    for (std::string_view k : {"Description", "KeySpec", "KeyUsage", "Origin"}) {
      if (auto v = core::opt_str(p, k)) in[k] = *v;
    }
    if (auto m = bool_property(p, "MultiRegion")) in["MultiRegion"] = *m;
    if (auto b = bool_property(p, "BypassPolicyLockoutSafetyCheck")) {
      in["BypassPolicyLockoutSafetyCheck"] = *b;
    }
    if (const json::value* policy = p.if_contains("KeyPolicy")) in["Policy"] = json_text(*policy);
    in["Tags"] = kms_tags(stack_tags(req, p.if_contains("Tags")));
    auto made = client_.call(*req.stack, "kms", "CreateKey", in);
    if (!made) return made.error();
    ResourceRequest created = req;
    created.physical_id = core::str(made->at("KeyMetadata").as_object(), "KeyId");
    created.previous_properties = json::object{};
    auto set = or_undo(apply_settings(created), [&] { return remove(created); });
    if (!set) return set.error();
    return read(created);
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    if (changed(req, "Description")) {
      return protocol::AwsError{"ValidationError",
                                "Gantry's KMS cannot change a key's description in place "
                                "(UpdateKeyDescription is not implemented)"};
    }
    if (changed(req, "KeyPolicy")) {
      json::object in{{"KeyId", req.physical_id},
                      {"PolicyName", "default"},
                      {"Policy", json_text(properties(req.properties).at("KeyPolicy"))}};
      if (auto r = client_.call(*req.stack, "kms", "PutKeyPolicy", in); !r) return r.error();
    }
    if (auto r = apply_settings(req); !r) return r.error();
    TagChange tags = tag_change(properties(req.previous_properties).if_contains("Tags"),
                                properties(req.properties).if_contains("Tags"));
    if (!tags.removed_keys.empty()) {
      auto r = client_.call(*req.stack, "kms", "UntagResource",
                            {{"KeyId", req.physical_id}, {"TagKeys", tags.removed_keys}});
      if (!r) return r.error();
    }
    if (!tags.set.empty()) {
      auto r = client_.call(*req.stack, "kms", "TagResource",
                            {{"KeyId", req.physical_id}, {"Tags", kms_tags(tags.set)}});
      if (!r) return r.error();
    }
    return read(req);
  }

  protocol::Result<void> remove(const ResourceRequest& req) override {
    auto key = describe(req);
    if (!key) return gone_is_ok(key.error());
    if (core::str(*key, "KeyState") == "PendingDeletion") return {};
    int64_t days = int_property(properties(req.properties), "PendingWindowInDays").value_or(30);
    return gone_is_ok(client_.call(*req.stack, "kms", "ScheduleKeyDeletion",
                                   {{"KeyId", req.physical_id}, {"PendingWindowInDays", days}}));
  }

  // A key pending deletion reads as gone (NotFoundException), as drift detection sees it.
  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto key = describe(req);
    if (!key) return key.error();
    if (core::str(*key, "KeyState") == "PendingDeletion") {
      return protocol::AwsError{"NotFoundException",
                                "Key '" + core::str(*key, "Arn") + "' is pending deletion."};
    }
    json::object props{{"Enabled", key->at("Enabled")}};
    for (std::string_view k : {"Description", "KeySpec", "KeyUsage", "Origin", "MultiRegion"}) {
      if (const json::value* v = key->if_contains(k)) props[k] = *v;
    }
    auto policy = client_.call(*req.stack, "kms", "GetKeyPolicy",
                               {{"KeyId", req.physical_id}, {"PolicyName", "default"}});
    if (!policy) return policy.error();
    props["KeyPolicy"] = json_value(core::str(*policy, "Policy"));
    auto rotation =
        client_.call(*req.stack, "kms", "GetKeyRotationStatus", {{"KeyId", req.physical_id}});
    if (rotation) props["EnableKeyRotation"] = rotation->at("KeyRotationEnabled");
    auto tags = client_.call(*req.stack, "kms", "ListResourceTags", {{"KeyId", req.physical_id}});
    if (!tags) return tags.error();
    json::array list;
    for (const json::value& t : *core::arr(*tags, "Tags")) {
      list.push_back(json::object{{"Key", t.at("TagKey")}, {"Value", t.at("TagValue")}});
    }
    if (json::array own = template_tags(req, list); !own.empty()) props["Tags"] = std::move(own);
    return with_properties({req.physical_id, {{"Arn", key->at("Arn")}, {"KeyId", req.physical_id}}},
                           std::move(props), &req.properties);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(
        property, {"BypassPolicyLockoutSafetyCheck", "Description", "Enabled", "EnableKeyRotation",
                   "KeyPolicy", "PendingWindowInDays", "RotationPeriodInDays", "Tags"});
  }

 private:
  protocol::Result<json::object> describe(const ResourceRequest& req) {
    auto r = client_.call(*req.stack, "kms", "DescribeKey", {{"KeyId", req.physical_id}});
    if (!r) return r.error();
    return r->at("KeyMetadata").as_object();
  }

  // Enabled and EnableKeyRotation/RotationPeriodInDays, where they differ from the previous
  // properties (CreateKey makes an enabled key without rotation). KMS changes rotation only on an
  // enabled key: a key being enabled is enabled first, one being disabled is disabled last.
  protocol::Result<void> apply_settings(const ResourceRequest& req) {
    const json::object& p = properties(req.properties);
    const json::object& before = properties(req.previous_properties);
    bool enabled = bool_property(p, "Enabled").value_or(true);
    bool toggle = enabled != bool_property(before, "Enabled").value_or(true);
    auto set_enabled = [&]() -> protocol::Result<void> {
      auto r = client_.call(*req.stack, "kms", enabled ? "EnableKey" : "DisableKey",
                            {{"KeyId", req.physical_id}});
      if (!r) return r.error();
      return {};
    };
    if (toggle && enabled) {
      if (auto r = set_enabled(); !r) return r;
    }
    bool rotate = bool_property(p, "EnableKeyRotation").value_or(false);
    if (rotate != bool_property(before, "EnableKeyRotation").value_or(false) ||
        (rotate && changed(req, "RotationPeriodInDays"))) {
      json::object in{{"KeyId", req.physical_id}};
      if (auto days = int_property(p, "RotationPeriodInDays"); days && rotate) {
        in["RotationPeriodInDays"] = *days;
      }
      auto r =
          client_.call(*req.stack, "kms", rotate ? "EnableKeyRotation" : "DisableKeyRotation", in);
      if (!r) return r.error();
    }
    if (toggle && !enabled) return set_enabled();
    return {};
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_kms_key(const ServiceClient& client) {
  return std::make_unique<KmsKey>(client);
}

}  // namespace services::cloudformation::resources
