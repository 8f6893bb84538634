#include "services/ecr/image_store.h"

#include <gtest/gtest.h>

#include "services/ecr/ecr_test_support.h"

namespace services::ecr {
namespace {

using namespace testing_support;

const ReferenceContext kCtx{4566, "000000000000", "us-east-1"};

TEST(ImageReferenceTest, ParsesTheRepositoryUriFormWithTag) {
  auto r = parse_image_reference("123456789012.dkr.ecr.eu-west-1.localhost:4566/team/web:v1", kCtx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->account, "123456789012");
  EXPECT_EQ(r->region, "eu-west-1");
  EXPECT_EQ(r->repository, "team/web");
  EXPECT_EQ(r->tag, "v1");
  EXPECT_EQ(r->digest, "");
}

TEST(ImageReferenceTest, DefaultsTheTagToLatest) {
  auto r = parse_image_reference("localhost:4566/web", kCtx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->account, "000000000000");
  EXPECT_EQ(r->region, "us-east-1");
  EXPECT_EQ(r->tag, "latest");
}

TEST(ImageReferenceTest, ParsesTheRealAwsFormWithDigest) {
  std::string d = sha256_digest("x");
  auto r = parse_image_reference("123456789012.dkr.ecr.us-west-2.amazonaws.com/web@" + d, kCtx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->region, "us-west-2");
  EXPECT_EQ(r->digest, d);
  EXPECT_EQ(r->tag, "");
}

TEST(ImageReferenceTest, ADigestWinsOverATag) {
  std::string d = sha256_digest("x");
  auto r = parse_image_reference("127.0.0.1:4566/web:v2@" + d, kCtx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->digest, d);
  EXPECT_EQ(r->tag, "");
}

TEST(ImageReferenceTest, RejectsReferencesThatAreNotThisRegistry) {
  EXPECT_FALSE(parse_image_reference("docker.io/library/nginx:latest", kCtx));
  EXPECT_FALSE(parse_image_reference("nginx", kCtx));
  EXPECT_FALSE(parse_image_reference("localhost:5000/web", kCtx));  // another port
  EXPECT_FALSE(parse_image_reference("123456789012.dkr.ecr.us-west-2.amazonaws.com:443/web",
                                     kCtx));
  EXPECT_FALSE(parse_image_reference("localhost:4566/Web", kCtx));  // uppercase name
  EXPECT_FALSE(parse_image_reference("localhost:4566/web@sha256:abc", kCtx));
}

TEST(ImageReferenceTest, AcceptsAnyPortWhenTheContextHasNone) {
  ReferenceContext any{0, "000000000000", "us-east-1"};
  EXPECT_TRUE(parse_image_reference("localhost:5000/web", any));
}

TEST(RegistryHostTest, ExtractsAccountAndRegion) {
  std::string account, region;
  ASSERT_TRUE(parse_registry_host("123456789012.dkr.ecr.ap-south-1.localhost:4566", &account,
                                  &region));
  EXPECT_EQ(account, "123456789012");
  EXPECT_EQ(region, "ap-south-1");
  EXPECT_FALSE(parse_registry_host("12345.dkr.ecr.us-east-1.localhost", &account, &region));
  EXPECT_FALSE(parse_registry_host("123456789012.dkr.ecr.us-east-1.example.com", &account,
                                   &region));
}

class ImageStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  store::Db db_ = store::Db::open_in_memory();
  fakes::ManualClock clock_;
  BlobStore blobs_{ecr_dir(dir_.path())};
  EcrStore store_{db_, blobs_, clock_};
  ImageStore images_{db_, dir_.path(), ReferenceContext{4566, kAccount, kRegion}};
};

TEST_F(ImageStoreTest, ResolvesATagToTheManifestAndItsBlobFiles) {
  RepoKey key = repo("web");
  ASSERT_TRUE(store_.create_repository(new_repository(key)));
  std::string manifest = push_blobs(store_, key, "one");
  ASSERT_EQ(store_.put_manifest(key, manifest, "", "v1", false).status, PutStatus::Created);

  std::string error;
  auto image = images_.resolve("localhost:4566/web:v1", &error);
  ASSERT_TRUE(image) << error;
  EXPECT_EQ(image->manifest, manifest);
  EXPECT_EQ(image->reference.digest, sha256_digest(manifest));
  auto path = images_.blob_path(image->reference, image->parsed.layers[0].digest);
  ASSERT_TRUE(path);
  EXPECT_TRUE(std::filesystem::exists(*path));
  auto config = images_.read_blob(image->reference, image->parsed.config->digest);
  ASSERT_TRUE(config);
  EXPECT_NE(config->find("\"seed\":\"one\""), std::string::npos);
}

TEST_F(ImageStoreTest, ExplainsAMissingRepositoryOrImage) {
  std::string error;
  EXPECT_FALSE(images_.resolve("localhost:4566/nope:v1", &error));
  EXPECT_NE(error.find("does not exist"), std::string::npos);
  ASSERT_TRUE(store_.create_repository(new_repository(repo("web"))));
  EXPECT_FALSE(images_.resolve("localhost:4566/web:v9", &error));
  EXPECT_NE(error.find("v9"), std::string::npos);
  EXPECT_FALSE(images_.resolve("docker.io/library/nginx", &error));
}

TEST_F(ImageStoreTest, DoesNotServeABlobTheRepositoryMayNotSee) {
  RepoKey a = repo("aaa");
  ASSERT_TRUE(store_.create_repository(new_repository(a)));
  std::string digest = blobs_.put("secret layer");
  ImageReference ref{kAccount, kRegion, "aaa", "latest", ""};
  EXPECT_FALSE(images_.blob_path(ref, digest));
  store_.link_blob(a, digest, 12);
  EXPECT_TRUE(images_.blob_path(ref, digest));
}

}  // namespace
}  // namespace services::ecr
