#include "services/ecr/ecr_service.h"

#include <signal.h>
#include <sys/resource.h>

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/base64.h"
#include "services/ecr/ecr_test_support.h"
#include "services/ecr/image_store.h"
#include "services/ecr/lifecycle_runner.h"

namespace services::ecr {
namespace {

using namespace testing_support;
using namespace std::chrono_literals;
namespace json = boost::json;

json::object J(std::string_view text) { return json::parse(text).as_object(); }

class EcrServiceTest : public ::testing::Test {
 protected:
  EcrServiceTest() {
    hooks_.images_changed = [this](const RepoKey&) { ++images_changed_; };
    hooks_.registry_host = [](const RepoKey& k) {
      return k.account + ".dkr.ecr." + k.region + ".localhost:4566";
    };
    service_ = std::make_unique<EcrService>(store_, uploads_, tokens_, clock_, hooks_);
    service_->register_operations(registry_);
  }

  protocol::RequestContext ctx() const {
    protocol::RequestContext c;
    c.request_id = "req";
    c.account = kAccount;
    c.region = kRegion;
    c.host = "127.0.0.1:4566";
    return c;
  }

  json::object ok(std::string_view op, const json::object& in) {
    auto r = registry_.call(ctx(), "ecr", op, in);
    if (!r) {
      ADD_FAILURE() << op << " failed: " << r.error().code << ": " << r.error().message;
      return {};
    }
    return *r;
  }

  std::string error(std::string_view op, const json::object& in) {
    auto r = registry_.call(ctx(), "ecr", op, in);
    if (r) {
      ADD_FAILURE() << op << " succeeded: " << json::serialize(*r);
      return {};
    }
    return r.error().code;
  }

  // Uploads `bytes` through the layer API and returns its digest.
  std::string upload_layer(const std::string& repo, const std::string& bytes) {
    json::object init = ok("InitiateLayerUpload", {{"repositoryName", repo}});
    std::string id(init["uploadId"].as_string());
    ok("UploadLayerPart", {{"repositoryName", repo},
                           {"uploadId", id},
                           {"partFirstByte", 0},
                           {"partLastByte", static_cast<int64_t>(bytes.size()) - 1},
                           {"layerPartBlob", bytes}});
    std::string digest = sha256_digest(bytes);
    ok("CompleteLayerUpload",
       {{"repositoryName", repo}, {"uploadId", id}, {"layerDigests", json::array{digest}}});
    return digest;
  }

  std::string push_image(const std::string& repo, const std::string& seed, const std::string& tag) {
    std::string config = "{\"seed\":\"" + seed + "\"}";
    std::string layer = "layer " + seed;
    std::string cd = upload_layer(repo, config);
    std::string ld = upload_layer(repo, layer);
    std::string manifest = oci_manifest(cd, static_cast<int64_t>(config.size()),
                                        {{ld, static_cast<int64_t>(layer.size())}});
    json::object in{{"repositoryName", repo}, {"imageManifest", manifest}};
    if (!tag.empty()) {
      in["imageTag"] = tag;
    }
    ok("PutImage", in);
    return sha256_digest(manifest);
  }

  // A repository "web" and an upload session holding "abc"; returns the session's id.
  std::string upload_abc() {
    ok("CreateRepository", {{"repositoryName", "web"}});
    std::string id(
        ok("InitiateLayerUpload", {{"repositoryName", "web"}})["uploadId"].as_string());
    ok("UploadLayerPart", {{"repositoryName", "web"},
                           {"uploadId", id},
                           {"partFirstByte", 0},
                           {"partLastByte", 2},
                           {"layerPartBlob", "abc"}});
    return id;
  }

  TempDir dir_;
  store::Db db_ = store::Db::open_in_memory();
  fakes::ManualClock clock_;
  BlobStore blobs_{ecr_dir(dir_.path())};
  EcrStore store_{db_, blobs_, clock_};
  UploadStore uploads_{db_, blobs_, clock_};
  TokenIssuer tokens_{dir_.path()};
  EcrHooks hooks_;
  int images_changed_ = 0;
  std::unique_ptr<EcrService> service_;
  protocol::ServiceRegistry registry_;
};

TEST_F(EcrServiceTest, CreateRepositoryReturnsItsUriArnAndSettings) {
  json::object out = ok("CreateRepository", J(R"({"repositoryName":"team/web",
      "imageTagMutability":"IMMUTABLE","imageScanningConfiguration":{"scanOnPush":true},
      "tags":[{"Key":"env","Value":"dev"}]})"));
  json::object& r = out["repository"].as_object();
  EXPECT_EQ(r["repositoryUri"], "123456789012.dkr.ecr.us-east-1.localhost:4566/team/web");
  EXPECT_EQ(r["repositoryArn"], "arn:aws:ecr:us-east-1:123456789012:repository/team/web");
  EXPECT_EQ(r["imageTagMutability"], "IMMUTABLE");
  EXPECT_EQ(r["imageScanningConfiguration"].as_object()["scanOnPush"], true);
  EXPECT_EQ(r["encryptionConfiguration"].as_object()["encryptionType"], "AES256");
  json::object tags = ok("ListTagsForResource", {{"resourceArn", r["repositoryArn"]}});
  EXPECT_EQ(tags["tags"].as_array().size(), 1u);
}

TEST_F(EcrServiceTest, CreateRepositoryRefusesDuplicatesAndBadNames) {
  ok("CreateRepository", {{"repositoryName", "web"}});
  EXPECT_EQ(error("CreateRepository", {{"repositoryName", "web"}}),
            "RepositoryAlreadyExistsException");
  EXPECT_EQ(error("CreateRepository", {{"repositoryName", "Web"}}), "InvalidParameterException");
  // Enum values are checked against the model before the handler runs.
  EXPECT_EQ(error("CreateRepository",
                  {{"repositoryName", "ok"}, {"imageTagMutability", "SOMETIMES"}}),
            "ValidationException");
}

TEST_F(EcrServiceTest, DescribeRepositoriesPagesAndNamesMissingOnes) {
  for (std::string n : {"aa", "bb", "cc"}) {
    ok("CreateRepository", {{"repositoryName", n}});
  }
  json::object page = ok("DescribeRepositories", {{"maxResults", 2}});
  EXPECT_EQ(page["repositories"].as_array().size(), 2u);
  ASSERT_TRUE(page.contains("nextToken"));
  json::object rest = ok("DescribeRepositories", {{"nextToken", page["nextToken"]}});
  EXPECT_EQ(rest["repositories"].as_array().size(), 1u);
  EXPECT_FALSE(rest.contains("nextToken"));
  EXPECT_EQ(error("DescribeRepositories", J(R"({"repositoryNames":["aa","zz"]})")),
            "RepositoryNotFoundException");
  EXPECT_EQ(error("DescribeRepositories", {{"nextToken", "garbage"}}),
            "InvalidParameterException");
}

TEST_F(EcrServiceTest, DeleteRepositoryNeedsForceWhileImagesRemain) {
  ok("CreateRepository", {{"repositoryName", "web"}});
  push_image("web", "a", "v1");
  EXPECT_EQ(error("DeleteRepository", {{"repositoryName", "web"}}),
            "RepositoryNotEmptyException");
  ok("DeleteRepository", {{"repositoryName", "web"}, {"force", true}});
  EXPECT_EQ(error("DescribeImages", {{"repositoryName", "web"}}), "RepositoryNotFoundException");
}

TEST_F(EcrServiceTest, PushedImageIsListedAndDescribed) {
  ok("CreateRepository", {{"repositoryName", "web"}});
  std::string digest = push_image("web", "a", "v1");
  push_image("web", "b", "");
  json::object tagged = ok("ListImages", J(R"({"repositoryName":"web",
      "filter":{"tagStatus":"TAGGED"}})"));
  ASSERT_EQ(tagged["imageIds"].as_array().size(), 1u);
  EXPECT_EQ(tagged["imageIds"].as_array()[0].as_object()["imageTag"], "v1");
  json::object all = ok("ListImages", {{"repositoryName", "web"}});
  EXPECT_EQ(all["imageIds"].as_array().size(), 2u);

  json::object d = ok("DescribeImages", J(R"({"repositoryName":"web",
      "imageIds":[{"imageTag":"v1"}]})"));
  json::object& detail = d["imageDetails"].as_array()[0].as_object();
  EXPECT_EQ(detail["imageDigest"], json::value(digest));
  EXPECT_EQ(detail["imageManifestMediaType"], "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(detail["artifactMediaType"], "application/vnd.oci.image.config.v1+json");
  EXPECT_EQ(detail["imageSizeInBytes"], 7);  // "layer a"
  EXPECT_EQ(error("DescribeImages", J(R"({"repositoryName":"web",
      "imageIds":[{"imageTag":"nope"}]})")),
            "ImageNotFoundException");
}

TEST_F(EcrServiceTest, PutImageEnforcesTagImmutabilityAndReportsDuplicates) {
  ok("CreateRepository", {{"repositoryName", "web"}, {"imageTagMutability", "IMMUTABLE"}});
  push_image("web", "a", "v1");
  std::string manifest = oci_manifest(upload_layer("web", "{}"), 2, {});
  EXPECT_EQ(error("PutImage",
                  {{"repositoryName", "web"}, {"imageManifest", manifest}, {"imageTag", "v1"}}),
            "ImageTagAlreadyExistsException");
  ok("PutImage", {{"repositoryName", "web"}, {"imageManifest", manifest}, {"imageTag", "v2"}});
  EXPECT_EQ(error("PutImage",
                  {{"repositoryName", "web"}, {"imageManifest", manifest}, {"imageTag", "v2"}}),
            "ImageAlreadyExistsException");
  ok("PutImageTagMutability", {{"repositoryName", "web"}, {"imageTagMutability", "MUTABLE"}});
  ok("PutImage", {{"repositoryName", "web"}, {"imageManifest", manifest}, {"imageTag", "v1"}});
}

TEST_F(EcrServiceTest, PutImageNamesMissingLayersAndBadManifests) {
  ok("CreateRepository", {{"repositoryName", "web"}});
  std::string manifest = oci_manifest(sha256_digest("never uploaded"), 3, {});
  EXPECT_EQ(error("PutImage", {{"repositoryName", "web"}, {"imageManifest", manifest}}),
            "LayersNotFoundException");
  EXPECT_EQ(error("PutImage", {{"repositoryName", "web"}, {"imageManifest", "{\"x\":1}"}}),
            "InvalidParameterException");
  std::string ok_manifest = oci_manifest(upload_layer("web", "{}"), 2, {});
  EXPECT_EQ(error("PutImage", {{"repositoryName", "web"},
                               {"imageManifest", ok_manifest},
                               {"imageTag", "v1"},
                               {"imageDigest", sha256_digest("other")}}),
            "ImageDigestDoesNotMatchException");
}

TEST_F(EcrServiceTest, LayerUploadChecksPartOffsetsAndDigests) {
  ok("CreateRepository", {{"repositoryName", "web"}});
  std::string id(ok("InitiateLayerUpload", {{"repositoryName", "web"}})["uploadId"].as_string());
  auto r = registry_.call(ctx(), "ecr", "UploadLayerPart",
                          {{"repositoryName", "web"},
                           {"uploadId", id},
                           {"partFirstByte", 5},
                           {"partLastByte", 7},
                           {"layerPartBlob", "abc"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "InvalidLayerPartException");
  EXPECT_EQ(r.error().fields.at("lastValidByteReceived"), -1);
  EXPECT_EQ(error("CompleteLayerUpload", {{"repositoryName", "web"},
                                          {"uploadId", id},
                                          {"layerDigests", json::array{sha256_digest("abc")}}}),
            "EmptyUploadException");
  ok("UploadLayerPart", {{"repositoryName", "web"},
                         {"uploadId", id},
                         {"partFirstByte", 0},
                         {"partLastByte", 2},
                         {"layerPartBlob", "abc"}});
  EXPECT_EQ(error("CompleteLayerUpload", {{"repositoryName", "web"},
                                          {"uploadId", id},
                                          {"layerDigests", json::array{sha256_digest("abd")}}}),
            "InvalidLayerException");
  // The failed completion ended the session.
  EXPECT_EQ(error("CompleteLayerUpload", {{"repositoryName", "web"},
                                          {"uploadId", id},
                                          {"layerDigests", json::array{sha256_digest("abc")}}}),
            "UploadNotFoundException");
  std::string digest = upload_layer("web", "abc");
  EXPECT_EQ(error("CompleteLayerUpload",
                  {{"repositoryName", "web"},
                   {"uploadId", ok("InitiateLayerUpload", {{"repositoryName", "web"}})["uploadId"]},
                   {"layerDigests", json::array{digest}}}),
            "EmptyUploadException");
  json::object check = ok("BatchCheckLayerAvailability",
                          {{"repositoryName", "web"},
                           {"layerDigests", json::array{digest, sha256_digest("missing")}}});
  EXPECT_EQ(check["layers"].as_array().size(), 1u);
  EXPECT_EQ(check["failures"].as_array()[0].as_object()["failureCode"], "MissingLayerDigest");
  json::object url = ok("GetDownloadUrlForLayer", {{"repositoryName", "web"}, {"layerDigest", digest}});
  EXPECT_TRUE(std::string(url["downloadUrl"].as_string())
                  .starts_with("http://127.0.0.1:4566/v2/web/blobs/" + digest + "?"));
  EXPECT_EQ(url["layerDigest"], json::value(digest));
}

TEST_F(EcrServiceTest, UploadSessionsSurviveARestartOfTheStores) {
  std::string id = upload_abc();
  // A new UploadStore over the same database and files knows nothing in memory.
  UploadStore restarted{db_, blobs_, clock_};
  auto appender = restarted.acquire(id);
  ASSERT_TRUE(appender);
  EXPECT_EQ(appender->size(), 3u);
  ASSERT_TRUE(appender->write("def"));
  EXPECT_EQ(restarted.finish(std::move(appender), sha256_digest("abcdef"), store_),
            FinishStatus::Stored);
  EXPECT_TRUE(store_.linked_blob_size(repo("web"), sha256_digest("abcdef")));
}

// A part that the disk takes only in part (here RLIMIT_FSIZE's EFBIG stands for ENOSPC) leaves
// the session's file as the session records it, so that the part can be sent again and the blob
// holds exactly the bytes its digest names.
TEST_F(EcrServiceTest, APartThatCannotBeWrittenLeavesTheSessionAsItWas) {
  std::string id = upload_abc();
  auto appender = uploads_.acquire(id);
  ASSERT_TRUE(appender);
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  rlimit small{5, old.rlim_max};  // room for "de" of "defgh"
  sighandler_t previous = ::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  bool wrote = appender->write("defgh");
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, previous);
  EXPECT_FALSE(wrote);
  EXPECT_EQ(appender->error(), std::errc::file_too_large);
  EXPECT_EQ(appender->size(), 3u);
  appender.reset();

  auto again = uploads_.acquire(id);
  ASSERT_TRUE(again);
  ASSERT_TRUE(again->write("def"));
  std::string digest = sha256_digest("abcdef");
  EXPECT_EQ(uploads_.finish(std::move(again), digest, store_), FinishStatus::Stored);
  std::ifstream in(blobs_.path_of(digest), std::ios::binary);
  std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(stored, "abcdef");
}

TEST_F(EcrServiceTest, BatchDeleteImageByTagKeepsAnImageThatHasOtherTags) {
  ok("CreateRepository", {{"repositoryName", "web"}});
  std::string digest = push_image("web", "a", "v1");
  std::string manifest = store_.find_image(repo("web"), digest)->manifest;
  ok("PutImage", {{"repositoryName", "web"}, {"imageManifest", manifest}, {"imageTag", "v2"}});
  json::object out = ok("BatchDeleteImage", J(R"({"repositoryName":"web",
      "imageIds":[{"imageTag":"v1"},{"imageTag":"nope"}]})"));
  EXPECT_EQ(out["imageIds"].as_array().size(), 1u);
  EXPECT_EQ(out["failures"].as_array()[0].as_object()["failureCode"], "ImageNotFound");
  EXPECT_TRUE(store_.find_image(repo("web"), digest));
  ok("BatchDeleteImage", {{"repositoryName", "web"},
                          {"imageIds", json::array{json::object{{"imageDigest", digest}}}}});
  EXPECT_FALSE(store_.find_image(repo("web"), digest));
  EXPECT_GE(images_changed_, 2);
}

TEST_F(EcrServiceTest, BatchGetImageHonoursAcceptedMediaTypes) {
  ok("CreateRepository", {{"repositoryName", "web"}});
  push_image("web", "a", "v1");
  json::object got = ok("BatchGetImage", J(R"({"repositoryName":"web",
      "imageIds":[{"imageTag":"v1"},{"imageTag":"v9"}]})"));
  EXPECT_EQ(got["images"].as_array().size(), 1u);
  EXPECT_EQ(got["failures"].as_array().size(), 1u);
  json::object refused = ok("BatchGetImage", J(R"({"repositoryName":"web",
      "imageIds":[{"imageTag":"v1"}],
      "acceptedMediaTypes":["application/vnd.docker.distribution.manifest.v2+json"]})"));
  EXPECT_EQ(refused["images"].as_array().size(), 0u);
}

TEST_F(EcrServiceTest, PoliciesAreStoredAndMissingOnesNamed) {
  ok("CreateRepository", {{"repositoryName", "web"}});
  EXPECT_EQ(error("GetRepositoryPolicy", {{"repositoryName", "web"}}),
            "RepositoryPolicyNotFoundException");
  EXPECT_EQ(error("SetRepositoryPolicy", {{"repositoryName", "web"}, {"policyText", "nope"}}),
            "InvalidParameterException");
  std::string policy = R"({"Version":"2012-10-17","Statement":[]})";
  ok("SetRepositoryPolicy", {{"repositoryName", "web"}, {"policyText", policy}});
  EXPECT_EQ(ok("GetRepositoryPolicy", {{"repositoryName", "web"}})["policyText"], json::value(policy));
  ok("DeleteRepositoryPolicy", {{"repositoryName", "web"}});
  EXPECT_EQ(error("DeleteRepositoryPolicy", {{"repositoryName", "web"}}),
            "RepositoryPolicyNotFoundException");
  EXPECT_EQ(error("GetLifecyclePolicy", {{"repositoryName", "web"}}),
            "LifecyclePolicyNotFoundException");
  // Long enough for the model (100 characters), but the rule has no selection.
  EXPECT_EQ(error("PutLifecyclePolicy",
                  {{"repositoryName", "web"},
                   {"lifecyclePolicyText",
                    R"({"rules":[{"rulePriority":1,"description":"a rule that forgot to say which images it selects",)"
                    R"("action":{"type":"expire"}}]})"}}),
            "InvalidParameterException");
}

TEST_F(EcrServiceTest, LifecyclePolicyPreviewAndRunExpireTheSameImages) {
  ok("CreateRepository", {{"repositoryName", "web"}});
  std::vector<std::string> digests;
  for (std::string seed : {"a", "b", "c"}) {
    digests.push_back(push_image("web", seed, "t-" + seed));
    clock_.advance(1min);
  }
  std::string policy = R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"any",
      "countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})";
  ok("PutLifecyclePolicy", {{"repositoryName", "web"}, {"lifecyclePolicyText", policy}});
  EXPECT_EQ(error("GetLifecyclePolicyPreview", {{"repositoryName", "web"}}),
            "LifecyclePolicyPreviewNotFoundException");
  ok("StartLifecyclePolicyPreview", {{"repositoryName", "web"}});
  json::object preview = ok("GetLifecyclePolicyPreview", {{"repositoryName", "web"}});
  EXPECT_EQ(preview["status"], "COMPLETE");
  EXPECT_EQ(preview["summary"].as_object()["expiringImageTotalCount"], 2);

  LifecycleRunner runner(store_, clock_);
  EXPECT_EQ(runner.run(repo("web")), 2u);
  EXPECT_EQ(runner.run(repo("web")), 0u);  // level-triggered: a second run changes nothing
  EXPECT_EQ(store_.image_count(repo("web")), 1u);
  EXPECT_TRUE(store_.find_image(repo("web"), digests[2]));
  EXPECT_TRUE(ok("GetLifecyclePolicy", {{"repositoryName", "web"}}).contains("lastEvaluatedAt"));
}

TEST_F(EcrServiceTest, AuthorizationTokenIsBasicAwsCredentialsTheRegistryAccepts) {
  json::object out = ok("GetAuthorizationToken", {});
  json::object& data = out["authorizationData"].as_array()[0].as_object();
  auto decoded = core::base64_decode(data["authorizationToken"].as_string());
  ASSERT_TRUE(decoded);
  ASSERT_TRUE(decoded->starts_with("AWS:"));
  auto claims = tokens_.verify(decoded->substr(4));
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->account, kAccount);
  EXPECT_EQ(claims->expires_at, clock_.now() + 12h);
  EXPECT_EQ(data["proxyEndpoint"], "http://123456789012.dkr.ecr.us-east-1.localhost:4566");
  EXPECT_FALSE(tokens_.verify(decoded->substr(4) + "0"));
}

}  // namespace
}  // namespace services::ecr
