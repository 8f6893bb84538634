// EcrStore::put_manifest: PutImage and the registry's manifest PUT, checked in order (manifest,
// reference, repository, referenced blobs and manifests, tag) and then recorded in one
// transaction.

#include <mutex>
#include <shared_mutex>

#include "services/ecr/digest.h"
#include "services/ecr/ecr_store.h"
#include "services/ecr/ecr_store_rows.h"

namespace services::ecr {
namespace {

// A reference is a digest, which must be the manifest's own, or a tag (returned in *tag), or
// empty. Fills result's status and message and returns false when the reference is refused.
bool check_reference(std::string_view reference, PutResult& result, std::string* tag) {
  if (reference.starts_with("sha256:")) {
    if (reference != result.digest) {
      result.status = PutStatus::DigestMismatch;
      result.message = "The specified digest '" + std::string(reference) +
                       "' does not match the digest of the manifest, '" + result.digest + "'";
      return false;
    }
  } else if (!reference.empty()) {
    if (!is_valid_tag(reference)) {
      result.status = PutStatus::TagInvalid;
      result.message =
          "Invalid parameter at 'imageTag' failed to satisfy constraint: 'must "
          "satisfy regular expression [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}'";
      return false;
    }
    *tag = std::string(reference);
  }
  return true;
}

// Every blob the manifest names must be linked to the repository and present in the blob store,
// and every child manifest of an index must be an image of the repository. Fills result and
// returns false on the first one missing.
bool check_referenced(store::Transaction& tx, BlobStore& blobs, const RepoKey& key,
                      const Manifest& m, bool api_semantics, PutResult& result) {
  for (const Descriptor* d : m.blobs()) {
    bool linked = false;
    tx.query(
        "SELECT 1 FROM ecr_repo_blobs WHERE account = ?1 AND region = ?2 AND repository = ?3 "
        "AND digest = ?4",
        [&](const store::Statement&) { linked = true; }, key.account, key.region, key.name,
        d->digest);
    if (!linked || !blobs.size_of(d->digest)) {
      result.status = PutStatus::BlobUnknown;
      result.message = "blob unknown to registry: " + d->digest;
      if (api_semantics) {
        result.message =
            "The following layers referenced in the manifest are not available: " + d->digest;
      }
      return false;
    }
  }
  for (const Descriptor& child : m.manifests) {
    if (!rows::image_exists(tx, key, child.digest)) {
      result.status = PutStatus::ManifestUnknown;
      result.message = "manifest blob unknown: " + child.digest;
      if (api_semantics) {
        result.message =
            "The following manifests referenced in the manifest list are not "
            "available: " +
            child.digest;
      }
      return false;
    }
  }
  return true;
}

// Whether there is anything to write: a tag already on this digest, or an untagged push of an
// image that exists, is Unchanged; moving a tag in an IMMUTABLE repository is refused. Fills
// result and returns false when the push stops here.
bool check_tag_change(store::Transaction& tx, const RepoKey& key, const std::string& tag,
                      bool exists, std::string_view mutability, PutResult& result) {
  if (!tag.empty()) {
    std::optional<std::string> current = rows::digest_of_tag(tx, key, tag);
    if (current && *current == result.digest) {
      result.status = PutStatus::Unchanged;
      result.message = "Image with digest '" + result.digest + "' and tag '" + tag +
                       "' already exists in the repository with name '" + key.name +
                       "' in registry with id '" + key.account + "'";
      return false;
    }
    if (current && mutability == "IMMUTABLE") {
      result.status = PutStatus::TagImmutable;
      result.message = "The image tag '" + tag + "' already exists in the '" + key.name +
                       "' repository and cannot be overwritten because the repository is "
                       "immutable.";
      return false;
    }
  } else if (exists) {
    result.status = PutStatus::Unchanged;
    result.message = "Image with digest '" + result.digest +
                     "' already exists in the repository with name '" + key.name +
                     "' in registry with id '" + key.account + "'";
    return false;
  }
  return true;
}

// The image row and what it references (which keeps those blobs and children alive).
void insert_image(store::Transaction& tx, const RepoKey& key, const std::string& digest,
                  const Manifest& m, std::string_view bytes, int64_t now_ms) {
  std::optional<std::string> artifact_media_type;
  if (m.config) {
    artifact_media_type = m.config->media_type;
  }
  std::optional<std::string> artifact_type;
  if (!m.artifact_type.empty()) {
    artifact_type = m.artifact_type;
  }
  std::optional<std::string> subject;
  if (m.subject) {
    subject = m.subject->digest;
  }
  int64_t size = m.is_index ? static_cast<int64_t>(bytes.size()) : m.layers_size();
  tx.execute(
      "INSERT INTO ecr_images (account, region, repository, digest, media_type, "
      "artifact_media_type, artifact_type, subject, manifest, size, pushed_at_ms) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      key.account, key.region, key.name, digest, m.media_type, artifact_media_type, artifact_type,
      subject, bytes, size, now_ms);
  for (const Descriptor* d : m.blobs()) {
    tx.execute(
        "INSERT OR IGNORE INTO ecr_image_refs (account, region, repository, image_digest, "
        "ref_digest, kind) VALUES (?1, ?2, ?3, ?4, ?5, 'blob')",
        key.account, key.region, key.name, digest, d->digest);
  }
  for (const Descriptor& child : m.manifests) {
    tx.execute(
        "INSERT OR IGNORE INTO ecr_image_refs (account, region, repository, image_digest, "
        "ref_digest, kind) VALUES (?1, ?2, ?3, ?4, ?5, 'manifest')",
        key.account, key.region, key.name, digest, child.digest);
  }
}

}  // namespace

PutResult EcrStore::put_manifest(const RepoKey& key, std::string_view bytes,
                                 std::string_view content_type, std::string_view reference,
                                 bool api_semantics) {
  PutResult result;
  ManifestParse parsed = parse_manifest(bytes, content_type);
  if (!parsed.manifest) {
    result.status = PutStatus::Invalid;
    result.message =
        "Invalid parameter at 'imageManifest' failed to satisfy constraint: '" + parsed.error + "'";
    if (!api_semantics) {
      result.message = "manifest invalid: " + parsed.error;
    }
    return result;
  }
  const Manifest& m = *parsed.manifest;
  result.digest = sha256_digest(bytes);
  result.media_type = m.media_type;
  std::string tag;
  if (!check_reference(reference, result, &tag)) {
    return result;
  }

  // Shared: a collection must not remove a blob between our check and our insert.
  std::shared_lock gc(blobs_.gc_lock());
  store::Transaction tx = db_.begin();
  std::optional<std::string> mutability;
  tx.query(
      "SELECT tag_mutability FROM ecr_repositories WHERE account = ?1 AND region = ?2 AND "
      "name = ?3",
      [&](const store::Statement& s) { mutability = s.text(0); }, key.account, key.region,
      key.name);
  if (!mutability) {
    result.status = PutStatus::RepositoryNotFound;
    result.message = repository_not_found_message(key);
    return result;
  }
  if (!check_referenced(tx, blobs_, key, m, api_semantics, result)) {
    return result;
  }
  bool exists = rows::image_exists(tx, key, result.digest);
  if (!check_tag_change(tx, key, tag, exists, *mutability, result)) {
    return result;
  }
  if (!exists) {
    insert_image(tx, key, result.digest, m, bytes, core::to_epoch_millis(clock_.now()));
  }
  if (!tag.empty()) {
    tx.execute(
        "INSERT INTO ecr_tags (account, region, repository, tag, digest) VALUES (?1, ?2, ?3, ?4, "
        "?5) ON CONFLICT (account, region, repository, tag) DO UPDATE SET digest = ?5",
        key.account, key.region, key.name, tag, result.digest);
  }
  tx.commit();
  result.status = PutStatus::Created;
  return result;
}

}  // namespace services::ecr
