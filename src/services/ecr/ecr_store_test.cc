#include "services/ecr/ecr_store.h"

#include <gtest/gtest.h>

#include "services/ecr/ecr_test_support.h"

namespace services::ecr {
namespace {

using namespace testing_support;
using namespace std::chrono_literals;

class EcrStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(store_.create_repository(new_repository(key_))); }

  TempDir dir_;
  store::Db db_ = store::Db::open_in_memory();
  fakes::ManualClock clock_;
  BlobStore blobs_{dir_.path()};
  EcrStore store_{db_, blobs_, clock_};
  RepoKey key_ = repo("team/web");
};

TEST_F(EcrStoreTest, RefusesASecondRepositoryWithTheSameName) {
  EXPECT_FALSE(store_.create_repository(new_repository(key_)));
  EXPECT_TRUE(store_.create_repository(new_repository(RepoKey{"999999999999", kRegion, key_.name})));
}

TEST_F(EcrStoreTest, StoresTheManifestByteForByteUnderItsDigestAndTag) {
  std::string manifest = push_blobs(store_, key_, "a");
  PutResult put = store_.put_manifest(key_, manifest, "", "v1", false);
  ASSERT_EQ(put.status, PutStatus::Created) << put.message;
  EXPECT_EQ(put.digest, sha256_digest(manifest));
  auto by_tag = store_.find_image(key_, "v1");
  auto by_digest = store_.find_image(key_, put.digest);
  ASSERT_TRUE(by_tag && by_digest);
  EXPECT_EQ(by_tag->manifest, manifest);
  EXPECT_EQ(by_digest->tags, std::vector<std::string>{"v1"});
  EXPECT_EQ(by_tag->media_type, kOciManifest);
}

// A pull of a stored image works on a full or read-only disk: only its time goes unrecorded.
TEST_F(EcrStoreTest, PullOfAStoredImageSurvivesAStoreThatCannotWrite) {
  std::string manifest = push_blobs(store_, key_, "a");
  PutResult put = store_.put_manifest(key_, manifest, "", "v1", false);
  ASSERT_EQ(put.status, PutStatus::Created) << put.message;
  {
    store::Transaction tx = db_.begin();
    tx.exec("PRAGMA query_only = 1");  // every write now fails with SQLITE_READONLY
    tx.commit();
  }
  EXPECT_NO_THROW(store_.record_pull(key_, put.digest));
  auto image = store_.find_image(key_, "v1");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->manifest, manifest);
  EXPECT_FALSE(image->last_pulled_at_ms);
}

TEST_F(EcrStoreTest, RefusesAManifestWhoseBlobsTheRepositoryLacks) {
  std::string layer = blobs_.put("stored but never linked to this repository");
  std::string config = blobs_.put("{}");
  store_.link_blob(key_, config, 2);
  PutResult put =
      store_.put_manifest(key_, oci_manifest(config, 2, {{layer, 43}}), "", "v1", false);
  EXPECT_EQ(put.status, PutStatus::BlobUnknown);
  EXPECT_FALSE(store_.find_image(key_, "v1"));
}

TEST_F(EcrStoreTest, RefusesADigestReferenceThatDoesNotMatchTheBytes) {
  std::string manifest = push_blobs(store_, key_, "a");
  PutResult put = store_.put_manifest(key_, manifest, "", sha256_digest("other"), false);
  EXPECT_EQ(put.status, PutStatus::DigestMismatch);
}

TEST_F(EcrStoreTest, ImmutableRepositoryRefusesToMoveATag) {
  RepoKey frozen = repo("frozen");
  ASSERT_TRUE(store_.create_repository(new_repository(frozen, "IMMUTABLE")));
  ASSERT_EQ(store_.put_manifest(frozen, push_blobs(store_, frozen, "a"), "", "v1", false).status,
            PutStatus::Created);
  PutResult again = store_.put_manifest(frozen, push_blobs(store_, frozen, "b"), "", "v1", false);
  EXPECT_EQ(again.status, PutStatus::TagImmutable);
  // The same manifest under the same tag is not a change.
  EXPECT_EQ(store_.put_manifest(frozen, push_blobs(store_, frozen, "a"), "", "v1", false).status,
            PutStatus::Unchanged);
}

TEST_F(EcrStoreTest, MutableRepositoryMovesATagAndLeavesTheOldImageUntagged) {
  std::string first = push_blobs(store_, key_, "a");
  std::string second = push_blobs(store_, key_, "b");
  ASSERT_EQ(store_.put_manifest(key_, first, "", "v1", false).status, PutStatus::Created);
  ASSERT_EQ(store_.put_manifest(key_, second, "", "v1", false).status, PutStatus::Created);
  auto old = store_.find_image(key_, sha256_digest(first));
  ASSERT_TRUE(old);
  EXPECT_TRUE(old->tags.empty());
  EXPECT_EQ(store_.find_image(key_, "v1")->digest, sha256_digest(second));
}

TEST_F(EcrStoreTest, AnIndexNeedsItsChildrenAndProtectsThemFromDeletion) {
  std::string child = push_blobs(store_, key_, "amd64");
  std::string child_digest = sha256_digest(child);
  std::string index =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
      "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":"
      "\"" + child_digest + "\",\"size\":" + std::to_string(child.size()) + "}]}";
  EXPECT_EQ(store_.put_manifest(key_, index, "", "multi", false).status,
            PutStatus::ManifestUnknown);
  ASSERT_EQ(store_.put_manifest(key_, child, "", child_digest, false).status, PutStatus::Created);
  ASSERT_EQ(store_.put_manifest(key_, index, "", "multi", false).status, PutStatus::Created);
  EXPECT_EQ(store_.delete_image(key_, child_digest), DeleteStatus::ReferencedByIndex);
  EXPECT_EQ(store_.delete_image(key_, sha256_digest(index)), DeleteStatus::Deleted);
  EXPECT_EQ(store_.delete_image(key_, child_digest), DeleteStatus::Deleted);
}

TEST_F(EcrStoreTest, GarbageCollectionRemovesBlobsOnlyADeletedImageUsed) {
  std::string manifest = push_blobs(store_, key_, "a");
  ASSERT_EQ(store_.put_manifest(key_, manifest, "", "v1", false).status, PutStatus::Created);
  auto parsed = parse_manifest(manifest, "");
  std::string layer = parsed.manifest->layers[0].digest;
  // Another repository shares the config blob: it must survive.
  RepoKey other = repo("other");
  ASSERT_TRUE(store_.create_repository(new_repository(other)));
  store_.link_blob(other, parsed.manifest->config->digest, 10);

  EXPECT_EQ(store_.collect_garbage(1h), 0u);
  ASSERT_EQ(store_.delete_image(key_, sha256_digest(manifest)), DeleteStatus::Deleted);
  EXPECT_EQ(store_.collect_garbage(1h), 1u);
  EXPECT_FALSE(blobs_.size_of(layer));
  EXPECT_TRUE(blobs_.size_of(parsed.manifest->config->digest));
}

TEST_F(EcrStoreTest, GarbageCollectionSparesAnUnusedUploadUntilItsGraceExpires) {
  std::string digest = blobs_.put("uploaded, manifest not pushed yet");
  store_.link_blob(key_, digest, 33);
  EXPECT_EQ(store_.collect_garbage(1h), 0u);
  clock_.advance(2h);
  EXPECT_EQ(store_.collect_garbage(1h), 1u);
  EXPECT_FALSE(store_.linked_blob_size(key_, digest));
}

TEST_F(EcrStoreTest, DeletingARepositoryForgetsItsImagesAndLinks) {
  std::string manifest = push_blobs(store_, key_, "a");
  ASSERT_EQ(store_.put_manifest(key_, manifest, "", "v1", false).status, PutStatus::Created);
  EXPECT_TRUE(store_.delete_repository(key_));
  EXPECT_FALSE(store_.find_repository(key_));
  EXPECT_EQ(store_.image_count(key_), 0u);
  EXPECT_EQ(store_.collect_garbage(1h), 2u);
}

TEST_F(EcrStoreTest, ListsReferrersOfASubject) {
  std::string subject = push_blobs(store_, key_, "a");
  ASSERT_EQ(store_.put_manifest(key_, subject, "", "v1", false).status, PutStatus::Created);
  std::string sbom_config = blobs_.put("{}");
  store_.link_blob(key_, sbom_config, 2);
  std::string sbom = oci_manifest(sbom_config, 2, {},
                                  ",\"artifactType\":\"application/spdx+json\",\"subject\":{"
                                  "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                                  "\"digest\":\"" + sha256_digest(subject) + "\",\"size\":" +
                                      std::to_string(subject.size()) + "}");
  ASSERT_EQ(store_.put_manifest(key_, sbom, "", sha256_digest(sbom), false).status,
            PutStatus::Created);
  auto refs = store_.referrers(key_, sha256_digest(subject));
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].artifact_type, "application/spdx+json");
}

TEST(RepositoryNameTest, FollowsEcrNamingRules) {
  EXPECT_TRUE(is_valid_repository_name("web"));
  EXPECT_TRUE(is_valid_repository_name("team-a/web_app.v2"));
  EXPECT_FALSE(is_valid_repository_name("a"));
  EXPECT_FALSE(is_valid_repository_name("Web"));
  EXPECT_FALSE(is_valid_repository_name("team//web"));
  EXPECT_FALSE(is_valid_repository_name("/web"));
  EXPECT_FALSE(is_valid_repository_name("web-"));
  EXPECT_FALSE(is_valid_repository_name(std::string(257, 'a')));
}

TEST(TagTest, FollowsTheDistributionTagGrammar) {
  EXPECT_TRUE(is_valid_tag("v1.2.3-rc_1"));
  EXPECT_TRUE(is_valid_tag("_x"));
  EXPECT_FALSE(is_valid_tag("-x"));
  EXPECT_FALSE(is_valid_tag(""));
  EXPECT_FALSE(is_valid_tag(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_tag("a/b"));
}

}  // namespace
}  // namespace services::ecr
