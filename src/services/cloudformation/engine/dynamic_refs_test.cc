#include "services/cloudformation/engine/dynamic_refs.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "services/cloudformation/engine/engine_test_support.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

class DynamicRefsTest : public ::testing::Test {
 protected:
  DynamicRefsTest() {
    hooks_.ssm = [this](std::string_view name, std::optional<int64_t> version,
                        bool secure) -> protocol::Result<std::string> {
      asked_.push_back(std::string(name) + "@" + (version ? std::to_string(*version) : "latest") +
                       (secure ? " secure" : ""));
      if (name == "/missing") {
        return protocol::AwsError("ParameterNotFound", "Parameter /missing not found.");
      }
      return "v(" + std::string(name) + ")";
    };
    hooks_.secret_string = [this](const SecretReference& s) -> protocol::Result<std::string> {
      asked_.push_back(s.secret_id + "|" + s.json_key + "|" + s.version_stage + "|" + s.version_id);
      return std::string(R"j({"username":"app","password":"pw","port":5432})j");
    };
  }

  ResolvedValue resolve(std::string_view doc) {
    return ok(resolve_dynamic_references(json::parse(doc), hooks_));
  }

  DynamicReferenceHooks hooks_;
  std::vector<std::string> asked_;
};

TEST_F(DynamicRefsTest, SsmReferencesResolveInsideStringsWithOrWithoutVersion) {
  ResolvedValue r = resolve(
      R"j({"Image": "repo:{{resolve:ssm:/app/tag}}", "List": ["{{resolve:ssm:/a:3}}-{{resolve:ssm:b}}", 7]})j");
  EXPECT_EQ(json::serialize(r.value), R"j({"Image":"repo:v(/app/tag)","List":["v(/a)-v(b)",7]})j");
  EXPECT_FALSE(r.sensitive);
  EXPECT_EQ(asked_, (std::vector<std::string>{"/app/tag@latest", "/a@3", "b@latest"}));
}

TEST_F(DynamicRefsTest, SecureAndSecretValuesAreMarkedSensitive) {
  ResolvedValue r = resolve(R"j({"P": "{{resolve:ssm-secure:/db/pw:2}}"})j");
  EXPECT_EQ(json::serialize(r.value), R"j({"P":"v(/db/pw)"})j");
  EXPECT_TRUE(r.sensitive);
  EXPECT_EQ(asked_.back(), "/db/pw@2 secure");
  asked_.clear();

  r = resolve(R"j({"U": "{{resolve:secretsmanager:db:SecretString:username}}",
                  "Port": "{{resolve:secretsmanager:db:SecretString:port::v-1}}",
                  "All": "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:1:secret:db-AbC:SecretString:password:AWSPREVIOUS}}"})j");
  EXPECT_EQ(json::serialize(r.value), R"j({"U":"app","Port":"5432","All":"pw"})j");
  EXPECT_TRUE(r.sensitive);
  EXPECT_EQ(asked_, (std::vector<std::string>{
                        "db|username||", "db|port||v-1",
                        "arn:aws:secretsmanager:us-east-1:1:secret:db-AbC|password|AWSPREVIOUS|"}));
}

TEST_F(DynamicRefsTest, ErrorsNameTheReference) {
  EXPECT_EQ(
      error_of(resolve_dynamic_references(json::parse(R"j("{{resolve:ssm:/missing}}")j"), hooks_)),
      "ParameterNotFound: Parameter /missing not found.");
  EXPECT_EQ(error_of(resolve_dynamic_references(json::parse(R"j("{{resolve:s3:x}}")j"), hooks_)),
            "ValidationError: Dynamic reference {{resolve:s3:x}} is malformed: the service must "
            "be ssm, ssm-secure or secretsmanager");
  EXPECT_EQ(error_of(resolve_dynamic_references(
                json::parse(R"j("{{resolve:secretsmanager:db:SecretString:nope}}")j"), hooks_)),
            "ValidationError: Could not find SecretString key nope in secret db");
  EXPECT_EQ(error_of(resolve_dynamic_references(
                json::parse(R"j("{{resolve:secretsmanager:db:SecretString:k:AWSCURRENT:v1}}")j"),
                hooks_)),
            "ValidationError: Dynamic reference "
            "{{resolve:secretsmanager:db:SecretString:k:AWSCURRENT:v1}} is malformed: give a "
            "version stage or a version id, not both");
  EXPECT_TRUE(has_dynamic_references(json::parse(R"j({"a": ["x{{resolve:ssm:p}}"]})j")));
  EXPECT_FALSE(has_dynamic_references(json::parse(R"j({"a": ["{{plain}}"]})j")));
}

}  // namespace
}  // namespace services::cloudformation::engine
