#include "services/ecr/manifest.h"

#include <gtest/gtest.h>

#include "services/ecr/digest.h"
#include "services/ecr/ecr_test_support.h"

namespace services::ecr {
namespace {

using testing_support::oci_manifest;

const std::string kDigestA = sha256_digest("a");
const std::string kDigestB = sha256_digest("b");

TEST(ManifestTest, ParsesAnOciImageManifestWithConfigAndLayers) {
  std::string bytes = oci_manifest(kDigestA, 10, {{kDigestB, 300}, {kDigestA, 5}});
  ManifestParse p = parse_manifest(bytes, "");
  ASSERT_TRUE(p.manifest) << p.error;
  EXPECT_EQ(p.manifest->media_type, kOciManifest);
  EXPECT_FALSE(p.manifest->is_index);
  EXPECT_EQ(p.manifest->config->digest, kDigestA);
  ASSERT_EQ(p.manifest->layers.size(), 2u);
  EXPECT_EQ(p.manifest->layers_size(), 305);
  EXPECT_EQ(p.manifest->blobs().size(), 3u);
}

TEST(ManifestTest, TakesTheMediaTypeFromContentTypeWhenTheManifestOmitsIt) {
  std::string bytes = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/"
                      "vnd.docker.container.image.v1+json\",\"digest\":\"" +
                      kDigestA + "\",\"size\":1},\"layers\":[]}";
  ManifestParse p = parse_manifest(bytes, std::string(kDockerManifest) + "; charset=utf-8");
  ASSERT_TRUE(p.manifest) << p.error;
  EXPECT_EQ(p.manifest->media_type, kDockerManifest);
}

TEST(ManifestTest, ParsesAnIndexWithPlatforms) {
  std::string bytes =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
      "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":"
      "\"" + kDigestA + "\",\"size\":7,\"platform\":{\"architecture\":\"arm64\",\"os\":"
      "\"linux\"}}]}";
  ManifestParse p = parse_manifest(bytes, "");
  ASSERT_TRUE(p.manifest) << p.error;
  EXPECT_TRUE(p.manifest->is_index);
  ASSERT_EQ(p.manifest->manifests.size(), 1u);
  EXPECT_EQ(p.manifest->manifests[0].architecture, "arm64");
  EXPECT_TRUE(p.manifest->blobs().empty());
}

TEST(ManifestTest, RecordsSubjectAndArtifactType) {
  std::string bytes = oci_manifest(kDigestA, 2, {},
                                   ",\"artifactType\":\"application/x-sbom\",\"subject\":{"
                                   "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                                   "\"digest\":\"" + kDigestB + "\",\"size\":9}");
  ManifestParse p = parse_manifest(bytes, "");
  ASSERT_TRUE(p.manifest) << p.error;
  EXPECT_EQ(p.manifest->artifact_type, "application/x-sbom");
  EXPECT_EQ(p.manifest->subject->digest, kDigestB);
}

TEST(ManifestTest, RejectsMalformedManifests) {
  EXPECT_FALSE(parse_manifest("not json", "").manifest);
  EXPECT_FALSE(parse_manifest("[]", "").manifest);
  EXPECT_FALSE(parse_manifest("{\"schemaVersion\":1}", "").manifest);
  EXPECT_FALSE(parse_manifest(oci_manifest("sha256:short", 1, {}), "").manifest);
  EXPECT_FALSE(parse_manifest(oci_manifest(kDigestA, -1, {}), "").manifest);
  std::string no_layers = "{\"schemaVersion\":2,\"mediaType\":\"" + std::string(kOciManifest) +
                          "\",\"config\":{\"mediaType\":\"x\",\"digest\":\"" + kDigestA +
                          "\",\"size\":1}}";
  EXPECT_FALSE(parse_manifest(no_layers, "").manifest);
}

TEST(ManifestTest, RejectsAMediaTypeThatContradictsContentType) {
  ManifestParse p = parse_manifest(oci_manifest(kDigestA, 1, {}), kDockerManifest);
  EXPECT_FALSE(p.manifest);
  EXPECT_NE(p.error.find("does not match"), std::string::npos);
}

TEST(ManifestTest, RejectsManifestsLargerThanFourMebibytes) {
  std::string huge = oci_manifest(kDigestA, 1, {}, ",\"pad\":\"" +
                                                       std::string(kMaxManifestBytes, 'x') + "\"");
  EXPECT_FALSE(parse_manifest(huge, "").manifest);
}

}  // namespace
}  // namespace services::ecr
