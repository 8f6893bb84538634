#pragma once
// ECR errors as the service sends them (JSON 1.1 codes from the botocore model), with ECR's
// message texts.

#include <string>

#include "protocol/aws_error.h"
#include "services/ecr/ecr_store.h"

namespace services::ecr::errors {

using protocol::AwsError;

inline AwsError invalid_parameter(std::string m) {
  return {"InvalidParameterException", std::move(m)};
}
inline AwsError repository_not_found(const RepoKey& key) {
  return {"RepositoryNotFoundException", repository_not_found_message(key)};
}
inline AwsError repository_already_exists(const RepoKey& key) {
  return {"RepositoryAlreadyExistsException", "The repository with name '" + key.name +
                                                  "' already exists in the registry with id '" +
                                                  key.account + "'"};
}
inline AwsError repository_not_empty(const RepoKey& key) {
  return {"RepositoryNotEmptyException",
          "The repository with name '" + key.name + "' in registry with id '" + key.account +
              "' cannot be deleted because it still contains images"};
}
inline AwsError image_not_found(std::string m) { return {"ImageNotFoundException", std::move(m)}; }
inline AwsError image_already_exists(std::string m) {
  return {"ImageAlreadyExistsException", std::move(m)};
}
inline AwsError image_tag_already_exists(std::string m) {
  return {"ImageTagAlreadyExistsException", std::move(m)};
}
inline AwsError image_digest_does_not_match(std::string m) {
  return {"ImageDigestDoesNotMatchException", std::move(m)};
}
inline AwsError layers_not_found(std::string m) {
  return {"LayersNotFoundException", std::move(m)};
}
inline AwsError referenced_images_not_found(std::string m) {
  return {"ReferencedImagesNotFoundException", std::move(m)};
}
inline AwsError upload_not_found(const RepoKey& key, std::string_view id) {
  return {"UploadNotFoundException", "Upload with id '" + std::string(id) +
                                         "' is not found for repository '" + key.name +
                                         "' in registry with id '" + key.account + "'"};
}
inline AwsError invalid_layer_part(std::string m) {
  return {"InvalidLayerPartException", std::move(m)};
}
inline AwsError invalid_layer(std::string m) { return {"InvalidLayerException", std::move(m)}; }
inline AwsError layer_already_exists(std::string m) {
  return {"LayerAlreadyExistsException", std::move(m)};
}
inline AwsError empty_upload(std::string m) { return {"EmptyUploadException", std::move(m)}; }
inline AwsError repository_policy_not_found(const RepoKey& key) {
  return {"RepositoryPolicyNotFoundException",
          "Repository policy does not exist for the repository with name '" + key.name +
              "' in the registry with id '" + key.account + "'"};
}
inline AwsError lifecycle_policy_not_found(const RepoKey& key) {
  return {"LifecyclePolicyNotFoundException",
          "Lifecycle policy does not exist for the repository with name '" + key.name +
              "' in the registry with id '" + key.account + "'"};
}
inline AwsError lifecycle_policy_preview_not_found(const RepoKey& key) {
  return {"LifecyclePolicyPreviewNotFoundException",
          "There is no dry run for this repository with name '" + key.name +
              "' in the registry with id '" + key.account + "'"};
}
inline AwsError invalid_tag_parameter(std::string m) {
  return {"InvalidTagParameterException", std::move(m)};
}
inline AwsError too_many_tags(std::string m) { return {"TooManyTagsException", std::move(m)}; }
inline AwsError server(std::string m) { return {"ServerException", std::move(m), 500, false}; }

}  // namespace services::ecr::errors
