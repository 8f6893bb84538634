#include "services/ecr/ecr_store.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <system_error>

#include "core/log.h"
#include "services/ecr/digest.h"
#include "services/ecr/ecr_store_rows.h"

namespace services::ecr {
namespace {

constexpr char kRepoColumns[] =
    "account, region, name, created_at_ms, tag_mutability, scan_on_push, encryption_type, "
    "kms_key, policy, lifecycle_policy, tags";

Repository repo_from(const store::Statement& s) {
  Repository r;
  r.account = s.text(0);
  r.region = s.text(1);
  r.name = s.text(2);
  r.created_at_ms = s.int64(3);
  r.tag_mutability = s.text(4);
  r.scan_on_push = s.int64(5) != 0;
  r.encryption_type = s.text(6);
  r.kms_key = s.optional_text(7);
  r.policy = s.optional_text(8);
  r.lifecycle_policy = s.optional_text(9);
  r.tags_json = s.text(10);
  return r;
}

constexpr char kImageSelect[] =
    "SELECT digest, media_type, artifact_media_type, artifact_type, subject, manifest, size, "
    "pushed_at_ms, last_pulled_at_ms FROM ecr_images ";

Image image_from(const store::Statement& s) {
  Image i;
  i.digest = s.text(0);
  i.media_type = s.text(1);
  i.artifact_media_type = s.optional_text(2);
  i.artifact_type = s.optional_text(3);
  i.subject = s.optional_text(4);
  i.manifest = s.text(5);
  i.size = s.int64(6);
  i.pushed_at_ms = s.int64(7);
  i.last_pulled_at_ms = s.optional_int64(8);
  return i;
}

void load_tags(store::Transaction& tx, const RepoKey& key, Image& image) {
  tx.query(
      "SELECT tag FROM ecr_tags WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
      "digest = ?4 ORDER BY tag",
      [&](const store::Statement& s) { image.tags.push_back(s.text(0)); }, key.account, key.region,
      key.name, image.digest);
}

bool repo_exists(store::Transaction& tx, const RepoKey& key) {
  bool found = false;
  tx.query("SELECT 1 FROM ecr_repositories WHERE account = ?1 AND region = ?2 AND name = ?3",
           [&](const store::Statement&) { found = true; }, key.account, key.region, key.name);
  return found;
}

}  // namespace

namespace rows {

std::optional<std::string> digest_of_tag(store::Transaction& tx, const RepoKey& key,
                                         std::string_view tag) {
  std::optional<std::string> out;
  tx.query(
      "SELECT digest FROM ecr_tags WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
      "tag = ?4",
      [&](const store::Statement& s) { out = s.text(0); }, key.account, key.region, key.name, tag);
  return out;
}

bool image_exists(store::Transaction& tx, const RepoKey& key, std::string_view digest) {
  bool found = false;
  tx.query(
      "SELECT 1 FROM ecr_images WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
      "digest = ?4",
      [&](const store::Statement&) { found = true; }, key.account, key.region, key.name, digest);
  return found;
}

}  // namespace rows

bool is_valid_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) {
    return false;
  }
  for (std::size_t i = 0; i < tag.size(); ++i) {
    char c = tag[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || (i > 0 && (c == '.' || c == '-'));
    if (!ok) {
      return false;
    }
  }
  return true;
}

// (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*
bool is_valid_repository_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 256) {
    return false;
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t slash = name.find('/', start);
    std::string_view part = name.substr(start, slash == std::string_view::npos ? slash
                                                                               : slash - start);
    if (part.empty()) {
      return false;
    }
    bool prev_sep = true;
    for (char c : part) {
      bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      bool sep = c == '.' || c == '_' || c == '-';
      if (!alnum && !sep) {
        return false;
      }
      if (sep && prev_sep) {
        return false;
      }
      prev_sep = sep;
    }
    if (prev_sep) {
      return false;
    }
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return true;
}

std::string repository_not_found_message(const RepoKey& key) {
  return "The repository with name '" + key.name +
         "' does not exist in the registry with id '" + key.account + "'";
}

EcrStore::EcrStore(store::Db& db, BlobStore& blobs, const core::Clock& clock)
    : db_(db), blobs_(blobs), clock_(clock) {}

bool EcrStore::create_repository(const Repository& r) {
  store::Transaction tx = db_.begin();
  auto inserted = tx.try_execute(
      "INSERT INTO ecr_repositories (account, region, name, created_at_ms, tag_mutability, "
      "scan_on_push, encryption_type, kms_key, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      r.account, r.region, r.name, r.created_at_ms, r.tag_mutability, r.scan_on_push ? 1 : 0,
      r.encryption_type, r.kms_key, r.tags_json);
  if (!inserted) {
    if (inserted.error() == store::errc::unique_constraint) {
      return false;
    }
    throw std::system_error(inserted.error(), "inserting repository");
  }
  tx.commit();
  return true;
}

std::optional<Repository> EcrStore::find_repository(const RepoKey& key) {
  std::optional<Repository> out;
  store::Transaction tx = db_.read();
  tx.query(std::string("SELECT ") + kRepoColumns +
               " FROM ecr_repositories WHERE account = ?1 AND region = ?2 AND name = ?3",
           [&](const store::Statement& s) { out = repo_from(s); }, key.account, key.region,
           key.name);
  return out;
}

std::vector<Repository> EcrStore::list_repositories(std::string_view account,
                                                    std::string_view region) {
  std::vector<Repository> out;
  store::Transaction tx = db_.read();
  tx.query(std::string("SELECT ") + kRepoColumns +
               " FROM ecr_repositories WHERE account = ?1 AND region = ?2 ORDER BY name",
           [&](const store::Statement& s) { out.push_back(repo_from(s)); }, account, region);
  return out;
}

bool EcrStore::delete_repository(const RepoKey& key) {
  store::Transaction tx = db_.begin();
  int64_t n = tx.execute(
      "DELETE FROM ecr_repositories WHERE account = ?1 AND region = ?2 AND name = ?3", key.account,
      key.region, key.name);
  for (const char* sql :
       {"DELETE FROM ecr_images WHERE account = ?1 AND region = ?2 AND repository = ?3",
        "DELETE FROM ecr_tags WHERE account = ?1 AND region = ?2 AND repository = ?3",
        "DELETE FROM ecr_image_refs WHERE account = ?1 AND region = ?2 AND repository = ?3",
        "DELETE FROM ecr_repo_blobs WHERE account = ?1 AND region = ?2 AND repository = ?3",
        "DELETE FROM ecr_uploads WHERE account = ?1 AND region = ?2 AND repository = ?3"}) {
    tx.execute(sql, key.account, key.region, key.name);
  }
  tx.commit();
  return n > 0;
}

void EcrStore::update_repository(const Repository& r) {
  store::Transaction tx = db_.begin();
  tx.execute(
      "UPDATE ecr_repositories SET tag_mutability = ?4, scan_on_push = ?5, policy = ?6, "
      "lifecycle_policy = ?7, tags = ?8 WHERE account = ?1 AND region = ?2 AND name = ?3",
      r.account, r.region, r.name, r.tag_mutability, r.scan_on_push ? 1 : 0, r.policy,
      r.lifecycle_policy, r.tags_json);
  tx.commit();
}

std::vector<std::string> EcrStore::lifecycle_keys() {
  std::vector<std::string> out;
  store::Transaction tx = db_.read();
  tx.query(
      "SELECT account, region, name FROM ecr_repositories WHERE lifecycle_policy IS NOT NULL",
      [&](const store::Statement& s) {
        out.push_back(s.text(0) + "/" + s.text(1) + "/" + s.text(2));
      });
  return out;
}

std::optional<int64_t> EcrStore::lifecycle_evaluated_at(const RepoKey& key) {
  std::optional<int64_t> out;
  store::Transaction tx = db_.read();
  tx.query(
      "SELECT lifecycle_evaluated_at_ms FROM ecr_repositories WHERE account = ?1 AND region = ?2 "
      "AND name = ?3",
      [&](const store::Statement& s) { out = s.optional_int64(0); }, key.account, key.region,
      key.name);
  return out;
}

void EcrStore::set_lifecycle_evaluated_at(const RepoKey& key, int64_t at_ms) {
  store::Transaction tx = db_.begin();
  tx.execute(
      "UPDATE ecr_repositories SET lifecycle_evaluated_at_ms = ?4 WHERE account = ?1 AND "
      "region = ?2 AND name = ?3",
      key.account, key.region, key.name, at_ms);
  tx.commit();
}

std::optional<Image> EcrStore::find_image(const RepoKey& key, std::string_view reference) {
  store::Transaction tx = db_.read();
  std::string digest(reference);
  if (!reference.starts_with("sha256:")) {
    std::optional<std::string> d = rows::digest_of_tag(tx, key, reference);
    if (!d) {
      return std::nullopt;
    }
    digest = *d;
  }
  std::optional<Image> out;
  tx.query(std::string(kImageSelect) +
               "WHERE account = ?1 AND region = ?2 AND repository = ?3 AND digest = ?4",
           [&](const store::Statement& s) { out = image_from(s); }, key.account, key.region,
           key.name, digest);
  if (out) {
    load_tags(tx, key, *out);
  }
  return out;
}

std::vector<Image> EcrStore::list_images(const RepoKey& key) {
  std::vector<Image> out;
  store::Transaction tx = db_.read();
  tx.query(std::string(kImageSelect) +
               "WHERE account = ?1 AND region = ?2 AND repository = ?3 ORDER BY pushed_at_ms, "
               "digest",
           [&](const store::Statement& s) { out.push_back(image_from(s)); }, key.account,
           key.region, key.name);
  for (Image& i : out) {
    load_tags(tx, key, i);
  }
  return out;
}

std::size_t EcrStore::image_count(const RepoKey& key) {
  std::size_t n = 0;
  store::Transaction tx = db_.read();
  tx.query(
      "SELECT COUNT(*) FROM ecr_images WHERE account = ?1 AND region = ?2 AND repository = ?3",
      [&](const store::Statement& s) { n = static_cast<std::size_t>(s.int64(0)); }, key.account,
      key.region, key.name);
  return n;
}

void EcrStore::record_pull(const RepoKey& key, std::string_view digest) {
  // Best effort: a pull of a stored image succeeds even when its time cannot be written (disk
  // full, read-only data directory); lastRecordedPullTime is only a record.
  try {
    store::Transaction tx = db_.begin();
    tx.execute(
        "UPDATE ecr_images SET last_pulled_at_ms = ?5 WHERE account = ?1 AND region = ?2 AND "
        "repository = ?3 AND digest = ?4",
        key.account, key.region, key.name, digest, core::to_epoch_millis(clock_.now()));
    tx.commit();
  } catch (const std::system_error& e) {
    core::log::warn("ecr: pull time not recorded", {{"repository", key.name},
                                                     {"digest", std::string(digest)},
                                                     {"error", e.what()}});
  }
}

DeleteStatus EcrStore::delete_image(const RepoKey& key, std::string_view digest) {
  store::Transaction tx = db_.begin();
  if (!rows::image_exists(tx, key, digest)) {
    return DeleteStatus::NotFound;
  }
  bool referenced = false;
  tx.query(
      "SELECT 1 FROM ecr_image_refs WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
      "ref_digest = ?4 AND kind = 'manifest'",
      [&](const store::Statement&) { referenced = true; }, key.account, key.region, key.name,
      digest);
  if (referenced) {
    return DeleteStatus::ReferencedByIndex;
  }
  std::vector<std::string> blobs;
  tx.query(
      "SELECT ref_digest FROM ecr_image_refs WHERE account = ?1 AND region = ?2 AND "
      "repository = ?3 AND image_digest = ?4 AND kind = 'blob'",
      [&](const store::Statement& s) { blobs.push_back(s.text(0)); }, key.account, key.region,
      key.name, digest);
  tx.execute(
      "DELETE FROM ecr_images WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
      "digest = ?4",
      key.account, key.region, key.name, digest);
  tx.execute(
      "DELETE FROM ecr_tags WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
      "digest = ?4",
      key.account, key.region, key.name, digest);
  tx.execute(
      "DELETE FROM ecr_image_refs WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
      "image_digest = ?4",
      key.account, key.region, key.name, digest);
  // Blobs only this image used leave the repository with it, so that GC can reclaim them.
  for (const std::string& blob : blobs) {
    tx.execute(
        "DELETE FROM ecr_repo_blobs WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
        "digest = ?4 AND NOT EXISTS (SELECT 1 FROM ecr_image_refs r WHERE r.account = ?1 AND "
        "r.region = ?2 AND r.repository = ?3 AND r.ref_digest = ?4)",
        key.account, key.region, key.name, blob);
  }
  tx.commit();
  return DeleteStatus::Deleted;
}

bool EcrStore::delete_tag(const RepoKey& key, std::string_view tag) {
  store::Transaction tx = db_.begin();
  int64_t n = tx.execute(
      "DELETE FROM ecr_tags WHERE account = ?1 AND region = ?2 AND repository = ?3 AND tag = ?4",
      key.account, key.region, key.name, tag);
  tx.commit();
  return n > 0;
}

std::vector<std::string> EcrStore::tags(const RepoKey& key) {
  std::vector<std::string> out;
  store::Transaction tx = db_.read();
  tx.query(
      "SELECT tag FROM ecr_tags WHERE account = ?1 AND region = ?2 AND repository = ?3 ORDER BY "
      "tag",
      [&](const store::Statement& s) { out.push_back(s.text(0)); }, key.account, key.region,
      key.name);
  return out;
}

std::vector<Image> EcrStore::referrers(const RepoKey& key, std::string_view digest) {
  std::vector<Image> out;
  store::Transaction tx = db_.read();
  tx.query(std::string(kImageSelect) +
               "WHERE account = ?1 AND region = ?2 AND repository = ?3 AND subject = ?4 ORDER BY "
               "digest",
           [&](const store::Statement& s) { out.push_back(image_from(s)); }, key.account,
           key.region, key.name, digest);
  return out;
}

void EcrStore::link_blob(const RepoKey& key, std::string_view digest, uint64_t size,
                         std::string_view media_type) {
  store::Transaction tx = db_.begin();
  std::optional<std::string> media;
  if (!media_type.empty()) {
    media = std::string(media_type);
  }
  tx.execute(
      "INSERT INTO ecr_repo_blobs (account, region, repository, digest, size, media_type, "
      "linked_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (account, region, "
      "repository, digest) DO UPDATE SET linked_at_ms = ?7",
      key.account, key.region, key.name, digest, static_cast<int64_t>(size), media,
      core::to_epoch_millis(clock_.now()));
  tx.commit();
}

std::optional<uint64_t> EcrStore::linked_blob_size(const RepoKey& key, std::string_view digest) {
  bool linked = false;
  {
    store::Transaction tx = db_.read();
    tx.query(
        "SELECT 1 FROM ecr_repo_blobs WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
        "digest = ?4",
        [&](const store::Statement&) { linked = true; }, key.account, key.region, key.name,
        digest);
  }
  if (!linked) {
    return std::nullopt;
  }
  return blobs_.size_of(digest);
}

bool EcrStore::unlink_blob(const RepoKey& key, std::string_view digest) {
  store::Transaction tx = db_.begin();
  int64_t n = tx.execute(
      "DELETE FROM ecr_repo_blobs WHERE account = ?1 AND region = ?2 AND repository = ?3 AND "
      "digest = ?4",
      key.account, key.region, key.name, digest);
  tx.commit();
  return n > 0;
}

std::size_t EcrStore::collect_garbage(core::Duration grace) {
  std::unique_lock gc(blobs_.gc_lock());
  std::set<std::string> live;
  {
    store::Transaction tx = db_.begin();
    int64_t cutoff = core::to_epoch_millis(clock_.now() - grace);
    // Uploaded but never used by a manifest: an abandoned push.
    tx.execute(
        "DELETE FROM ecr_repo_blobs WHERE linked_at_ms < ?1 AND NOT EXISTS (SELECT 1 FROM "
        "ecr_image_refs r WHERE r.account = ecr_repo_blobs.account AND r.region = "
        "ecr_repo_blobs.region AND r.repository = ecr_repo_blobs.repository AND r.ref_digest = "
        "ecr_repo_blobs.digest)",
        cutoff);
    tx.query("SELECT digest FROM ecr_repo_blobs UNION SELECT ref_digest FROM ecr_image_refs "
             "WHERE kind = 'blob'",
             [&](const store::Statement& s) { live.insert(s.text(0)); });
    tx.commit();
  }
  std::size_t removed = 0;
  for (const std::string& digest : blobs_.list()) {
    if (!live.contains(digest) && blobs_.remove(digest)) {
      ++removed;
    }
  }
  if (removed > 0) {
    core::log::info("ecr garbage collection", {{"blobs_removed", std::to_string(removed)}});
  }
  return removed;
}

}  // namespace services::ecr
