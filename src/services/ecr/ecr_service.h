#pragma once
// The Amazon ECR API (JSON 1.1, "ecr" model): repositories, images, the layer-upload API,
// authorization tokens, repository and lifecycle policies, tags.
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/Welcome.html
//
// Handlers share EcrStore, UploadStore and the BlobStore with the /v2/ registry, so an image
// pushed through either is visible through both. Slow work (lifecycle expiry, blob garbage
// collection) is not done here: handlers call the hooks in EcrHooks, which the module wires to its
// controllers. Every resource is scoped by account (registryId, else the caller's) and region.
//
// Thread-safe: handlers run concurrently; the stores serialise their transactions.

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/json.h"
#include "protocol/service_registry.h"
#include "services/ecr/auth_token.h"
#include "services/ecr/ecr_store.h"
#include "services/ecr/upload_store.h"

namespace services::ecr {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

struct EcrHooks {
  // A repository's images changed (push, delete, policy): lifecycle and GC may have work.
  std::function<void(const RepoKey&)> images_changed;
  std::function<void(const RepoKey&)> lifecycle_changed;
  // "<account>.dkr.ecr.<region>.localhost:<port>": the registry host of repositoryUri.
  std::function<std::string(const RepoKey&)> registry_host;
};

class EcrService {
 public:
  EcrService(EcrStore& store, UploadStore& uploads, const TokenIssuer& tokens,
             const core::Clock& clock, EcrHooks hooks);

  void register_operations(protocol::ServiceRegistry& registry);
  // Forgets lifecycle previews (POST /_gantry/reset).
  void reset();

  // repository_handlers.cc
  Reply create_repository(const Ctx& ctx, const Doc& in);
  Reply describe_repositories(const Ctx& ctx, const Doc& in);
  Reply delete_repository(const Ctx& ctx, const Doc& in);
  Reply put_image_tag_mutability(const Ctx& ctx, const Doc& in);
  Reply put_image_scanning_configuration(const Ctx& ctx, const Doc& in);
  Reply tag_resource(const Ctx& ctx, const Doc& in);
  Reply untag_resource(const Ctx& ctx, const Doc& in);
  Reply list_tags_for_resource(const Ctx& ctx, const Doc& in);
  Reply get_authorization_token(const Ctx& ctx, const Doc& in);
  Reply describe_registry(const Ctx& ctx, const Doc& in);

  // image_handlers.cc
  Reply list_images(const Ctx& ctx, const Doc& in);
  Reply describe_images(const Ctx& ctx, const Doc& in);
  Reply batch_get_image(const Ctx& ctx, const Doc& in);
  Reply batch_delete_image(const Ctx& ctx, const Doc& in);
  Reply put_image(const Ctx& ctx, const Doc& in);

  // layer_handlers.cc
  Reply initiate_layer_upload(const Ctx& ctx, const Doc& in);
  Reply upload_layer_part(const Ctx& ctx, const Doc& in);
  Reply complete_layer_upload(const Ctx& ctx, const Doc& in);
  Reply batch_check_layer_availability(const Ctx& ctx, const Doc& in);
  Reply get_download_url_for_layer(const Ctx& ctx, const Doc& in);

  // policy_handlers.cc
  Reply set_repository_policy(const Ctx& ctx, const Doc& in);
  Reply get_repository_policy(const Ctx& ctx, const Doc& in);
  Reply delete_repository_policy(const Ctx& ctx, const Doc& in);
  Reply put_lifecycle_policy(const Ctx& ctx, const Doc& in);
  Reply get_lifecycle_policy(const Ctx& ctx, const Doc& in);
  Reply delete_lifecycle_policy(const Ctx& ctx, const Doc& in);
  Reply start_lifecycle_policy_preview(const Ctx& ctx, const Doc& in);
  Reply get_lifecycle_policy_preview(const Ctx& ctx, const Doc& in);

 private:
  // The repository a request names (registryId, else the caller's account), or
  // RepositoryNotFoundException / InvalidParameterException.
  protocol::Result<Repository> repository(const Ctx& ctx, const Doc& in);
  RepoKey key_of(const Ctx& ctx, const Doc& in) const;
  Doc repository_json(const Repository& r) const;
  // Get/DeleteLifecyclePolicy's reply for `repo`, or LifecyclePolicyNotFoundException.
  Reply lifecycle_policy_of(const Repository& repo) const;

  EcrStore& store_;
  UploadStore& uploads_;
  const TokenIssuer& tokens_;
  const core::Clock& clock_;
  EcrHooks hooks_;
  std::mutex previews_mutex_;
  std::map<std::string, Doc> previews_;  // "account/region/name" → GetLifecyclePolicyPreview
};

// Small accessors on model documents.
using core::str;  // core/json.h
std::string repo_key_string(const RepoKey& key);
std::string repository_arn(const RepoKey& key);
// maxResults/nextToken paging over `total` items: the [first, last) range to return; sets
// out["nextToken"] when more remain. InvalidParameterException for a token we did not issue.
protocol::Result<std::pair<std::size_t, std::size_t>> page_bounds(const Doc& in, std::size_t total,
                                                                  std::size_t default_max,
                                                                  Doc& out);

}  // namespace services::ecr
