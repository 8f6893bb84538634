#pragma once
// ECR state shared by the JSON API and the /v2/ registry: repositories, images, tags and which
// blobs a repository may serve, over SQLite (migration 0003_ecr.sql) and the BlobStore.
// Thread-safe: every method runs its own transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "services/ecr/blob_store.h"
#include "services/ecr/manifest.h"
#include "store/db.h"

namespace services::ecr {

struct RepoKey {
  std::string account;
  std::string region;
  std::string name;
};

struct Repository {
  std::string account;
  std::string region;
  std::string name;
  int64_t created_at_ms = 0;
  std::string tag_mutability = "MUTABLE";
  bool scan_on_push = false;
  std::string encryption_type = "AES256";
  std::optional<std::string> kms_key;
  std::optional<std::string> policy;
  std::optional<std::string> lifecycle_policy;
  std::string tags_json = "[]";
};

struct Image {
  std::string digest;
  std::string media_type;
  std::optional<std::string> artifact_media_type;  // config media type
  std::optional<std::string> artifact_type;
  std::optional<std::string> subject;
  std::string manifest;  // the bytes as pushed
  int64_t size = 0;
  int64_t pushed_at_ms = 0;
  std::optional<int64_t> last_pulled_at_ms;
  std::vector<std::string> tags;
};

// What put_manifest() answered; the API and the registry each map it to their own errors.
enum class PutStatus {
  Created,
  Unchanged,           // same digest already under this tag (or untagged, for a digest push)
  RepositoryNotFound,
  Invalid,             // MANIFEST_INVALID / InvalidParameterException
  BlobUnknown,         // MANIFEST_BLOB_UNKNOWN / LayersNotFoundException
  ManifestUnknown,     // an index's child: MANIFEST_BLOB_UNKNOWN / ReferencedImagesNotFound
  DigestMismatch,      // DIGEST_INVALID / ImageDigestDoesNotMatchException
  TagInvalid,
  TagImmutable,        // TAG_INVALID / ImageTagAlreadyExistsException
};

struct PutResult {
  PutStatus status = PutStatus::Created;
  std::string message;
  std::string digest;
  std::string media_type;
};

enum class DeleteStatus { Deleted, NotFound, ReferencedByIndex };

// ECR tag rule: up to 300 chars in the API; the registry allows [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
bool is_valid_tag(std::string_view tag);
// ECR repository names: 2-256 chars, lowercase, '/'-separated components of [a-z0-9._-].
bool is_valid_repository_name(std::string_view name);

// "The repository with name 'x' does not exist in the registry with id '000000000000'"
std::string repository_not_found_message(const RepoKey& key);

class EcrStore {
 public:
  EcrStore(store::Db& db, BlobStore& blobs, const core::Clock& clock);

  // Repositories. create returns false when the name is taken.
  bool create_repository(const Repository& repo);
  std::optional<Repository> find_repository(const RepoKey& key);
  std::vector<Repository> list_repositories(std::string_view account, std::string_view region);
  // Deletes images, tags and links too. Returns false when absent.
  bool delete_repository(const RepoKey& key);
  // Updates the columns of a repository that exists (tag mutability, scanning, policies, tags).
  void update_repository(const Repository& repo);
  // Every repository with a lifecycle policy, as "account/region/name" keys.
  std::vector<std::string> lifecycle_keys();
  // When the lifecycle policy last ran (epoch ms), for GetLifecyclePolicy's lastEvaluatedAt.
  std::optional<int64_t> lifecycle_evaluated_at(const RepoKey& key);
  void set_lifecycle_evaluated_at(const RepoKey& key, int64_t at_ms);

  // Images.
  PutResult put_manifest(const RepoKey& key, std::string_view bytes, std::string_view content_type,
                         std::string_view reference, bool api_semantics);
  // Resolves a tag or digest to an image of the repository.
  std::optional<Image> find_image(const RepoKey& key, std::string_view reference);
  std::vector<Image> list_images(const RepoKey& key);
  std::size_t image_count(const RepoKey& key);
  void record_pull(const RepoKey& key, std::string_view digest);
  DeleteStatus delete_image(const RepoKey& key, std::string_view digest);
  // Removes one tag; the image stays (untagged). False when the tag does not exist.
  bool delete_tag(const RepoKey& key, std::string_view tag);
  std::vector<std::string> tags(const RepoKey& key);
  // Images whose subject is `digest` (OCI referrers).
  std::vector<Image> referrers(const RepoKey& key, std::string_view digest);

  // Blobs visible in a repository.
  void link_blob(const RepoKey& key, std::string_view digest, uint64_t size,
                 std::string_view media_type = {});
  std::optional<uint64_t> linked_blob_size(const RepoKey& key, std::string_view digest);
  bool unlink_blob(const RepoKey& key, std::string_view digest);

  // Deletes links nobody references that are older than `grace`, then every blob file no link or
  // image references. Returns how many blob files it removed.
  std::size_t collect_garbage(core::Duration grace);

  store::Db& db() { return db_; }
  BlobStore& blobs() { return blobs_; }

 private:
  store::Db& db_;
  BlobStore& blobs_;
  const core::Clock& clock_;
};

}  // namespace services::ecr
