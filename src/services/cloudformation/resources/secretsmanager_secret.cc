// AWS::SecretsManager::Secret —
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html
// Ref: the secret's ARN. Fn::GetAtt: Id (the ARN too). GenerateSecretString draws the value from
// GetRandomPassword; with SecretStringTemplate and GenerateStringKey the password goes into the
// template's JSON object under that key. Deleting the resource deletes the secret at once
// (ForceDeleteWithoutRecovery), so that the name is free for the next stack.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/identity_providers.h"
#include "services/cloudformation/resources/identity_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

class SecretsManagerSecret final : public engine::ResourceProvider {
 public:
  explicit SecretsManagerSecret(const ServiceClient& client) : client_(client) {}

  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    std::string name =
        core::opt_str(p, "Name").value_or(generated_name(*req.stack, req.logical_id, 256));
    json::object in{{"Name", name}, {"Tags", stack_tags(req, p.if_contains("Tags"))}};
    for (std::string_view k : {"Description", "KmsKeyId"}) {
      if (auto v = core::opt_str(p, k)) in[k] = *v;
    }
    auto value = secret_value(req);
    if (!value) return value.error();
    if (*value) in["SecretString"] = **value;
    auto made = client_.call(*req.stack, "secretsmanager", "CreateSecret", in);
    if (!made) return made.error();
    ResourceRequest created = req;
    created.physical_id = core::str(*made, "ARN");
    return read(created);
  }

  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    if (changed(req, "Description") || changed(req, "KmsKeyId")) {
      json::object in{{"SecretId", req.physical_id}, {"Description", core::str(p, "Description")}};
      if (auto k = core::opt_str(p, "KmsKeyId")) in["KmsKeyId"] = *k;
      if (auto r = client_.call(*req.stack, "secretsmanager", "UpdateSecret", in); !r) {
        return r.error();
      }
    }
    if (changed(req, "SecretString") || changed(req, "GenerateSecretString")) {
      auto value = secret_value(req);
      if (!value) return value.error();
      if (*value) {
        auto r = client_.call(*req.stack, "secretsmanager", "PutSecretValue",
                              {{"SecretId", req.physical_id}, {"SecretString", **value}});
        if (!r) return r.error();
      }
    }
    if (auto r = sync_tags(req); !r) return r.error();
    return read(req);
  }

  protocol::Result<void> remove(const ResourceRequest& req) override {
    return gone_is_ok(
        client_.call(*req.stack, "secretsmanager", "DeleteSecret",
                     {{"SecretId", req.physical_id}, {"ForceDeleteWithoutRecovery", true}}));
  }

  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto got = client_.call(*req.stack, "secretsmanager", "DescribeSecret",
                            {{"SecretId", req.physical_id}});
    if (!got) return got.error();
    if (got->contains("DeletedDate")) {
      return protocol::AwsError{"ResourceNotFoundException",
                                "Secrets Manager can't find the specified secret."};
    }
    json::object props{{"Name", got->at("Name")}};
    for (std::string_view k : {"Description", "KmsKeyId"}) {
      if (const json::value* v = got->if_contains(k)) props[k] = *v;
    }
    if (const json::array* tags = core::arr(*got, "Tags");
        tags && !template_tags(req, *tags).empty()) {
      props["Tags"] = template_tags(req, *tags);
    }
    return with_properties({req.physical_id, {{"Id", req.physical_id}}}, std::move(props),
                           &req.properties);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if_listed(property, {"Description", "GenerateSecretString", "KmsKeyId",
                                         "ReplicaRegions", "SecretString", "Tags"});
  }

 private:
  // SecretString, or one drawn as GenerateSecretString says; nullopt when the template gives
  // neither (a secret without a value, as CreateSecret allows).
  protocol::Result<std::optional<std::string>> secret_value(const ResourceRequest& req) {
    const json::object& p = properties(req.properties);
    const json::object* generate = core::obj(p, "GenerateSecretString");
    if (auto s = core::opt_str(p, "SecretString")) {
      if (generate) {
        return protocol::AwsError{"ValidationError",
                                  "You can't specify both SecretString and GenerateSecretString"};
      }
      return std::optional<std::string>(*s);
    }
    if (!generate) return std::optional<std::string>();
    json::object in;
    for (std::string_view k : {"ExcludeNumbers", "ExcludePunctuation", "ExcludeUppercase",
                               "ExcludeLowercase", "IncludeSpace", "RequireEachIncludedType"}) {
      if (auto b = bool_property(*generate, k)) in[k] = *b;
    }
    if (auto n = int_property(*generate, "PasswordLength")) in["PasswordLength"] = *n;
    if (auto x = core::opt_str(*generate, "ExcludeCharacters")) in["ExcludeCharacters"] = *x;
    auto drawn = client_.call(*req.stack, "secretsmanager", "GetRandomPassword", in);
    if (!drawn) return drawn.error();
    std::string password = core::str(*drawn, "RandomPassword");
    auto tmpl = core::opt_str(*generate, "SecretStringTemplate");
    auto key = core::opt_str(*generate, "GenerateStringKey");
    if (!tmpl && !key) return std::optional<std::string>(password);
    if (!tmpl || !key) {
      return protocol::AwsError{
          "ValidationError",
          "SecretStringTemplate and GenerateStringKey must be specified together"};
    }
    json::value doc = json_value(*tmpl);
    if (!doc.is_object()) {
      return protocol::AwsError{"ValidationError",
                                "SecretStringTemplate must be a valid JSON object"};
    }
    doc.get_object()[*key] = password;
    return std::optional<std::string>(json::serialize(doc));
  }

  protocol::Result<void> sync_tags(const ResourceRequest& req) {
    TagChange c = tag_change(properties(req.previous_properties).if_contains("Tags"),
                             properties(req.properties).if_contains("Tags"));
    if (!c.removed_keys.empty()) {
      auto r = client_.call(*req.stack, "secretsmanager", "UntagResource",
                            {{"SecretId", req.physical_id}, {"TagKeys", c.removed_keys}});
      if (!r) return r.error();
    }
    if (!c.set.empty()) {
      auto r = client_.call(*req.stack, "secretsmanager", "TagResource",
                            {{"SecretId", req.physical_id}, {"Tags", c.set}});
      if (!r) return r.error();
    }
    return {};
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_secretsmanager_secret(const ServiceClient& client) {
  return std::make_unique<SecretsManagerSecret>(client);
}

}  // namespace services::cloudformation::resources
