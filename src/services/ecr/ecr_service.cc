#include "services/ecr/ecr_service.h"

#include <charconv>

#include "core/base64.h"
#include "core/ids.h"
#include "services/ecr/errors.h"

namespace services::ecr {

namespace json = boost::json;

std::string repo_key_string(const RepoKey& key) {
  return key.account + "/" + key.region + "/" + key.name;
}

std::string repository_arn(const RepoKey& key) {
  return core::ids::arn("ecr", key.region, key.account, "repository/" + key.name);
}

protocol::Result<std::pair<std::size_t, std::size_t>> page_bounds(const Doc& in, std::size_t total,
                                                                  std::size_t default_max,
                                                                  Doc& out) {
  std::size_t first = 0;
  if (std::string token = str(in, "nextToken"); !token.empty()) {
    std::optional<std::string> decoded = core::base64_decode(token);
    uint64_t offset = 0;
    if (!decoded || !decoded->starts_with("ecr:")) {
      return errors::invalid_parameter(
          "Invalid parameter at 'nextToken' failed to satisfy "
          "constraint: 'The token is not valid'");
    }
    auto [p, ec] = std::from_chars(decoded->data() + 4, decoded->data() + decoded->size(), offset);
    if (ec != std::errc() || p != decoded->data() + decoded->size()) {
      return errors::invalid_parameter(
          "Invalid parameter at 'nextToken' failed to satisfy "
          "constraint: 'The token is not valid'");
    }
    first = std::min<std::size_t>(offset, total);
  }
  std::size_t max = default_max;
  if (const json::value* m = in.if_contains("maxResults"); m && m->is_int64()) {
    max = static_cast<std::size_t>(std::max<int64_t>(1, m->get_int64()));
  }
  std::size_t last = std::min(total, first + max);
  if (last < total) {
    out["nextToken"] = core::base64_encode("ecr:" + std::to_string(last));
  }
  return std::pair{first, last};
}

EcrService::EcrService(EcrStore& store, UploadStore& uploads, const TokenIssuer& tokens,
                       const core::Clock& clock, EcrHooks hooks)
    : store_(store), uploads_(uploads), tokens_(tokens), clock_(clock), hooks_(std::move(hooks)) {}

void EcrService::register_operations(protocol::ServiceRegistry& registry) {
  registry.add(
      "ecr",
      {
          {"CreateRepository", protocol::method(this, &EcrService::create_repository)},
          {"DescribeRepositories", protocol::method(this, &EcrService::describe_repositories)},
          {"DeleteRepository", protocol::method(this, &EcrService::delete_repository)},
          {"PutImageTagMutability", protocol::method(this, &EcrService::put_image_tag_mutability)},
          {"PutImageScanningConfiguration",
           protocol::method(this, &EcrService::put_image_scanning_configuration)},
          {"TagResource", protocol::method(this, &EcrService::tag_resource)},
          {"UntagResource", protocol::method(this, &EcrService::untag_resource)},
          {"ListTagsForResource", protocol::method(this, &EcrService::list_tags_for_resource)},
          {"GetAuthorizationToken", protocol::method(this, &EcrService::get_authorization_token)},
          {"DescribeRegistry", protocol::method(this, &EcrService::describe_registry)},
          {"ListImages", protocol::method(this, &EcrService::list_images)},
          {"DescribeImages", protocol::method(this, &EcrService::describe_images)},
          {"BatchGetImage", protocol::method(this, &EcrService::batch_get_image)},
          {"BatchDeleteImage", protocol::method(this, &EcrService::batch_delete_image)},
          {"PutImage", protocol::method(this, &EcrService::put_image)},
          {"InitiateLayerUpload", protocol::method(this, &EcrService::initiate_layer_upload)},
          {"UploadLayerPart", protocol::method(this, &EcrService::upload_layer_part)},
          {"CompleteLayerUpload", protocol::method(this, &EcrService::complete_layer_upload)},
          {"BatchCheckLayerAvailability",
           protocol::method(this, &EcrService::batch_check_layer_availability)},
          {"GetDownloadUrlForLayer",
           protocol::method(this, &EcrService::get_download_url_for_layer)},
          {"SetRepositoryPolicy", protocol::method(this, &EcrService::set_repository_policy)},
          {"GetRepositoryPolicy", protocol::method(this, &EcrService::get_repository_policy)},
          {"DeleteRepositoryPolicy", protocol::method(this, &EcrService::delete_repository_policy)},
          {"PutLifecyclePolicy", protocol::method(this, &EcrService::put_lifecycle_policy)},
          {"GetLifecyclePolicy", protocol::method(this, &EcrService::get_lifecycle_policy)},
          {"DeleteLifecyclePolicy", protocol::method(this, &EcrService::delete_lifecycle_policy)},
          {"StartLifecyclePolicyPreview",
           protocol::method(this, &EcrService::start_lifecycle_policy_preview)},
          {"GetLifecyclePolicyPreview",
           protocol::method(this, &EcrService::get_lifecycle_policy_preview)},
      });
}

void EcrService::reset() {
  std::lock_guard lock(previews_mutex_);
  previews_.clear();
}

RepoKey EcrService::key_of(const Ctx& ctx, const Doc& in) const {
  return RepoKey{str(in, "registryId", ctx.account), ctx.region, str(in, "repositoryName")};
}

protocol::Result<Repository> EcrService::repository(const Ctx& ctx, const Doc& in) {
  RepoKey key = key_of(ctx, in);
  if (!is_valid_repository_name(key.name)) {
    return errors::invalid_parameter(
        "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy "
        "regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''");
  }
  std::optional<Repository> repo = store_.find_repository(key);
  if (!repo) {
    return errors::repository_not_found(key);
  }
  return *repo;
}

Doc EcrService::repository_json(const Repository& r) const {
  RepoKey key{r.account, r.region, r.name};
  std::string host = hooks_.registry_host ? hooks_.registry_host(key)
                                          : r.account + ".dkr.ecr." + r.region + ".localhost";
  json::object encryption{{"encryptionType", r.encryption_type}};
  if (r.kms_key) {
    encryption["kmsKey"] = *r.kms_key;
  }
  return Doc{
      {"repositoryArn", repository_arn(key)},
      {"registryId", r.account},
      {"repositoryName", r.name},
      {"repositoryUri", host + "/" + r.name},
      {"createdAt", static_cast<double>(r.created_at_ms) / 1000.0},
      {"imageTagMutability", r.tag_mutability},
      {"imageScanningConfiguration", json::object{{"scanOnPush", r.scan_on_push}}},
      {"encryptionConfiguration", std::move(encryption)},
  };
}

}  // namespace services::ecr
