// AWS::ECR::Repository over ECR's CreateRepository, SetRepositoryPolicy, PutLifecyclePolicy and
// DeleteRepository.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repository.html
//
// Ref: the repository name. GetAtt: Arn, RepositoryUri. RepositoryName and
// EncryptionConfiguration are replaced; the rest is updated in place. Without EmptyOnDelete a
// repository holding images is not deleted (RepositoryNotEmptyException), as on AWS.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/container_providers.h"
#include "services/cloudformation/resources/container_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxNameLength = 256;

class EcrRepository final : public ClientProvider {
 public:
  using ClientProvider::ClientProvider;

  Result<ProvisionResult> create(const ResourceRequest& req) override {
    std::string name = prop_str(req, "RepositoryName");
    if (name.empty()) name = generated_name(*req.stack, req.logical_id, kMaxNameLength, true);
    json::object cfn = properties(req.properties);
    cfn["Tags"] = stack_tags(req, prop(req, "Tags"));
    json::object in = api_input("ecr", "CreateRepository", cfn);
    in["repositoryName"] = name;
    auto out = client_.call(*req.stack, "ecr", "CreateRepository", in);
    if (!out) return out.error();
    ResourceRequest created = req;
    created.physical_id = name;
    if (auto r = apply_policies(created, true); !r) {
      (void)client_.call(*req.stack, "ecr", "DeleteRepository",
                         {{"repositoryName", name}, {"force", true}});
      return r.error();
    }
    return result(core::obj(*out, "repository"));
  }

  Result<ProvisionResult> update(const ResourceRequest& req) override {
    const std::string& name = req.physical_id;
    if (changed(req, "ImageTagMutability")) {
      std::string mutability = prop_str(req, "ImageTagMutability");
      auto r = client_.call(*req.stack, "ecr", "PutImageTagMutability",
                            {{"repositoryName", name},
                             {"imageTagMutability", mutability.empty() ? "MUTABLE" : mutability}});
      if (!r) return r.error();
    }
    if (changed(req, "ImageScanningConfiguration")) {
      json::object cfn{{"ImageScanningConfiguration", json::object{{"ScanOnPush", false}}}};
      if (const json::value* v = prop(req, "ImageScanningConfiguration")) {
        cfn["ImageScanningConfiguration"] = *v;
      }
      json::object in = api_input("ecr", "PutImageScanningConfiguration", cfn);
      in["repositoryName"] = name;
      auto r = client_.call(*req.stack, "ecr", "PutImageScanningConfiguration", in);
      if (!r) return r.error();
    }
    if (auto r = apply_policies(req, false); !r) return r.error();
    return with_tags_updated(client_, req, kEcrTags, read(req));
  }

  Result<void> remove(const ResourceRequest& req) override {
    auto r = client_.call(
        *req.stack, "ecr", "DeleteRepository",
        {{"repositoryName", req.physical_id}, {"force", prop_true(req, "EmptyOnDelete")}});
    if (!r && !is_code(r.error(), {"RepositoryNotFoundException"})) return r.error();
    return {};
  }

  Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto out = client_.call(*req.stack, "ecr", "DescribeRepositories",
                            {{"repositoryNames", json::array{json::value(req.physical_id)}}});
    if (!out) return out.error();
    const json::array* repos = core::arr(*out, "repositories");
    if (!repos || repos->empty()) {
      return protocol::AwsError{"RepositoryNotFoundException",
                                "The repository with name '" + req.physical_id +
                                    "' does not exist in the registry with id '" +
                                    req.stack->account + "'"};
    }
    return result(&repos->front().as_object());
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return behavior_of(property, {"EmptyOnDelete", "ImageScanningConfiguration",
                                  "ImageTagMutability", "ImageTagMutabilityExclusionFilters",
                                  "LifecyclePolicy", "RepositoryPolicyText", "Tags"});
  }

 private:
  // The lifecycle and repository policies as the properties give them: put when given (or
  // changed), deleted when an update removes them.
  Result<void> apply_policies(const ResourceRequest& req, bool creating) {
    const std::string& name = req.physical_id;
    if (creating || changed(req, "LifecyclePolicy")) {
      const json::value* p = prop(req, "LifecyclePolicy");
      const json::value* text =
          p && p->is_object() ? p->get_object().if_contains("LifecyclePolicyText") : nullptr;
      if (text) {
        auto r =
            client_.call(*req.stack, "ecr", "PutLifecyclePolicy",
                         {{"repositoryName", name}, {"lifecyclePolicyText", policy_text(*text)}});
        if (!r) return r.error();
      } else if (!creating) {
        auto r =
            client_.call(*req.stack, "ecr", "DeleteLifecyclePolicy", {{"repositoryName", name}});
        if (!r && !is_code(r.error(), {"LifecyclePolicyNotFoundException"})) return r.error();
      }
    }
    if (creating || changed(req, "RepositoryPolicyText")) {
      if (const json::value* text = prop(req, "RepositoryPolicyText")) {
        auto r = client_.call(*req.stack, "ecr", "SetRepositoryPolicy",
                              {{"repositoryName", name}, {"policyText", policy_text(*text)}});
        if (!r) return r.error();
      } else if (!creating) {
        auto r =
            client_.call(*req.stack, "ecr", "DeleteRepositoryPolicy", {{"repositoryName", name}});
        if (!r && !is_code(r.error(), {"RepositoryPolicyNotFoundException"})) return r.error();
      }
    }
    return {};
  }

  // A policy property is JSON in the template (an object) or its text.
  static std::string policy_text(const json::value& v) {
    return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
  }

  static Result<ProvisionResult> result(const json::object* repo) {
    if (!repo) return protocol::AwsError{"InternalFailure", "ECR returned no repository", 500};
    return ProvisionResult{core::str(*repo, "repositoryName"),
                           {{"Arn", core::str(*repo, "repositoryArn")},
                            {"RepositoryUri", core::str(*repo, "repositoryUri")}}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ecr_repository(const ServiceClient& client) {
  return std::make_unique<EcrRepository>(client);
}

}  // namespace services::cloudformation::resources
