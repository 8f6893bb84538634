// PutSecretValue, UpdateSecret, UpdateSecretVersionStage, ListSecretVersionIds,
// BatchGetSecretValue, ListSecrets, GetRandomPassword, RotateSecret: staging labels move as AWS
// moves them.

#include <algorithm>
#include <chrono>

#include "services/secretsmanager/sm_test_support.h"

namespace services::secretsmanager {
namespace {

namespace json = boost::json;

json::array labels(std::initializer_list<const char*> l) {
  json::array a;
  for (const char* s : l) a.emplace_back(s);
  return a;
}

// "If this operation moves the staging label AWSCURRENT from another version to this version,
// then Secrets Manager also automatically moves the staging label AWSPREVIOUS to the version that
// AWSCURRENT was removed from."
TEST_F(SecretsManagerTest, PutMovesCurrentAndPrevious) {
  std::string v1(create("s", "one").at("VersionId").as_string());
  std::string v2 = put("s", "two");
  EXPECT_EQ(stages_of("s"),
            (json::object{{v1, labels({"AWSPREVIOUS"})}, {v2, labels({"AWSCURRENT"})}}));
  std::string v3 = put("s", "three");
  // v1 lost its last label: deprecated, so DescribeSecret no longer lists it.
  EXPECT_EQ(stages_of("s"),
            (json::object{{v2, labels({"AWSPREVIOUS"})}, {v3, labels({"AWSCURRENT"})}}));
  EXPECT_EQ(value_of("s", "AWSPREVIOUS"), "two");
  EXPECT_EQ(ok("ListSecretVersionIds", J(R"({"SecretId":"s"})")).at("Versions").as_array().size(),
            2u);
  EXPECT_EQ(ok("ListSecretVersionIds", J(R"({"SecretId":"s","IncludeDeprecated":true})"))
                .at("Versions")
                .as_array()
                .size(),
            3u);
}

TEST_F(SecretsManagerTest, PutWithPendingLeavesCurrentAlone) {
  std::string v1(create("r", "one").at("VersionId").as_string());
  json::object p = ok("PutSecretValue", J(R"({"SecretId":"r","SecretString":"next",
                                             "VersionStages":["AWSPENDING"]})"));
  EXPECT_EQ(p.at("VersionStages"), labels({"AWSPENDING"}));
  EXPECT_EQ(value_of("r"), "one");
  EXPECT_EQ(value_of("r", "AWSPENDING"), "next");
  // Promoting the pending version: AWSCURRENT moves, AWSPREVIOUS follows.
  std::string v2(p.at("VersionId").as_string());
  ok("UpdateSecretVersionStage", json::object{{"SecretId", "r"},
                                              {"VersionStage", "AWSCURRENT"},
                                              {"MoveToVersionId", v2},
                                              {"RemoveFromVersionId", v1}});
  EXPECT_EQ(stages_of("r"), (json::object{{v1, labels({"AWSPREVIOUS"})},
                                          {v2, labels({"AWSPENDING", "AWSCURRENT"})}}));
  EXPECT_EQ(value_of("r"), "next");
}

TEST_F(SecretsManagerTest, PutWithAUsedTokenIsIdempotentOnlyForTheSameValue) {
  create("i", "one");
  json::object in{{"SecretId", "i"}, {"SecretString", "two"}, {"ClientRequestToken", token('b')}};
  ok("PutSecretValue", in);
  EXPECT_EQ(ok("PutSecretValue", in).at("VersionStages"), labels({"AWSCURRENT"}));
  in["SecretString"] = "three";
  EXPECT_EQ(err("PutSecretValue", in).code, "ResourceExistsException");
  EXPECT_EQ(value_of("i"), "two");
}

TEST_F(SecretsManagerTest, UpdateWithTheCreateTokenAndValueIsARetry) {
  json::object c{{"Name", "same"}, {"SecretString", "Hello"}, {"ClientRequestToken", token('c')}};
  ok("CreateSecret", c);
  json::object u{{"SecretId", "same"}, {"SecretString", "Hello"},
                 {"ClientRequestToken", token('c')}};
  EXPECT_EQ(ok("UpdateSecret", u).at("VersionId"), token('c'));
  EXPECT_EQ(stages_of("same").size(), 1u);
  u["SecretString"] = "Bye";
  EXPECT_EQ(err("UpdateSecret", u).code, "ResourceExistsException");
  EXPECT_EQ(value_of("same"), "Hello");
}

TEST_F(SecretsManagerTest, UpdateStageRequiresNamingWhereTheLabelIs) {
  std::string v1(create("u", "one").at("VersionId").as_string());
  std::string v2 = put("u", "two");
  protocol::AwsError e =
      err("UpdateSecretVersionStage",
          json::object{{"SecretId", "u"}, {"VersionStage", "AWSCURRENT"}, {"MoveToVersionId", v1}});
  EXPECT_EQ(e.code, "InvalidParameterException");
  EXPECT_NE(e.message.find(v2), std::string::npos);
  // A custom label: attached, then removed, leaving the version deprecated.
  ok("UpdateSecretVersionStage",
     json::object{{"SecretId", "u"}, {"VersionStage", "BLUE"}, {"MoveToVersionId", v1}});
  EXPECT_EQ(value_of("u", "BLUE"), "one");
  ok("UpdateSecretVersionStage",
     json::object{{"SecretId", "u"}, {"VersionStage", "BLUE"}, {"RemoveFromVersionId", v1}});
  ok("UpdateSecretVersionStage",
     json::object{{"SecretId", "u"}, {"VersionStage", "AWSPREVIOUS"}, {"RemoveFromVersionId", v1}});
  EXPECT_EQ(stages_of("u"), (json::object{{v2, labels({"AWSCURRENT"})}}));
  // Rolling back: AWSCURRENT to the old version, AWSPREVIOUS to the one it left.
  ok("UpdateSecretVersionStage", json::object{{"SecretId", "u"},
                                              {"VersionStage", "AWSCURRENT"},
                                              {"MoveToVersionId", v1},
                                              {"RemoveFromVersionId", v2}});
  EXPECT_EQ(value_of("u"), "one");
  EXPECT_EQ(value_of("u", "AWSPREVIOUS"), "two");
}

TEST_F(SecretsManagerTest, GetByVersionIdAndStageMustAgree) {
  std::string v1(create("g", "one").at("VersionId").as_string());
  put("g", "two");
  EXPECT_EQ(
      ok("GetSecretValue", json::object{{"SecretId", "g"}, {"VersionId", v1}}).at("SecretString"),
      "one");
  EXPECT_EQ(err("GetSecretValue",
                json::object{{"SecretId", "g"}, {"VersionId", v1}, {"VersionStage", "AWSCURRENT"}})
                .code,
            "InvalidRequestException");
  EXPECT_EQ(err("GetSecretValue", json::object{{"SecretId", "g"}, {"VersionId", token('z')}}).code,
            "ResourceNotFoundException");
}

TEST_F(SecretsManagerTest, UpdateSecretChangesMetadataAndAddsAVersion) {
  create("up", "one");
  json::object u = ok("UpdateSecret", J(R"({"SecretId":"up","Description":"new"})"));
  EXPECT_FALSE(u.contains("VersionId"));
  u = ok("UpdateSecret", J(R"({"SecretId":"up","SecretString":"two"})"));
  EXPECT_TRUE(u.contains("VersionId"));
  EXPECT_EQ(value_of("up"), "two");
  EXPECT_EQ(ok("DescribeSecret", J(R"({"SecretId":"up"})")).at("Description"), "new");
}

// UpdateSecret's KmsKeyId: "the KMS key that Secrets Manager uses to encrypt new secret versions
// as well as any existing versions with the staging labels AWSCURRENT, AWSPENDING, or
// AWSPREVIOUS." Once re-encrypted, the labelled versions no longer need the old key.
TEST_F(SecretsManagerTest, ANewKeyReencryptsTheLabelledVersions) {
  std::string old_key = create_key();
  std::string new_key = create_key();
  ok("CreateSecret", json::object{{"Name", "rk"}, {"SecretString", "one"}, {"KmsKeyId", old_key}});
  put("rk", "two");
  ok("UpdateSecret", json::object{{"SecretId", "rk"}, {"KmsKeyId", new_key}});
  disable_key(old_key);
  EXPECT_EQ(value_of("rk"), "two");
  EXPECT_EQ(value_of("rk", "AWSPREVIOUS"), "one");
  EXPECT_EQ(ok("DescribeSecret", J(R"({"SecretId":"rk"})")).at("KmsKeyId"), new_key);
  // Moving back to the disabled key cannot seal anything under it.
  EXPECT_EQ(err("UpdateSecret", json::object{{"SecretId", "rk"}, {"KmsKeyId", old_key}}).code,
            "EncryptionFailure");
  EXPECT_EQ(ok("DescribeSecret", J(R"({"SecretId":"rk"})")).at("KmsKeyId"), new_key);
}

// "Secrets Manager keeps 100 of the most recent versions, but it keeps all secret versions
// created in the last 24 hours."
TEST_F(SecretsManagerTest, DeprecatedVersionsArePrunedPast100AfterADay) {
  create("many", "v0");
  for (int i = 1; i <= 105; ++i) put("many", "v" + std::to_string(i));
  auto count = [&] {
    return ok("ListSecretVersionIds", J(R"({"SecretId":"many","IncludeDeprecated":true,
                                           "MaxResults":100})"))
        .at("Versions")
        .as_array()
        .size();
  };
  EXPECT_EQ(count(), 100u);  // a full page: there are 106 versions today
  clock_.advance(std::chrono::hours(25));
  put("many", "v106");
  std::size_t total = 0;
  json::object in{{"SecretId", "many"}, {"IncludeDeprecated", true}, {"MaxResults", 30}};
  for (;;) {
    json::object page = ok("ListSecretVersionIds", in);
    total += page.at("Versions").as_array().size();
    if (!page.contains("NextToken")) break;
    in["NextToken"] = page.at("NextToken");
  }
  EXPECT_EQ(total, 100u);
  EXPECT_EQ(value_of("many", "AWSPREVIOUS"), "v105");
}

TEST_F(SecretsManagerTest, ListSecretsFiltersByPrefixAndNegation) {
  ok("CreateSecret", J(R"({"Name":"prod/db","Description":"Main DB",
                          "Tags":[{"Key":"env","Value":"prod"}]})"));
  ok("CreateSecret", J(R"({"Name":"dev/db","Tags":[{"Key":"env","Value":"dev"}]})"));
  ok("CreateSecret", J(R"({"Name":"prod/cache"})"));
  auto names = [&](const char* filters) {
    std::vector<std::string> out;
    json::object in = J(std::string(R"({"Filters":)") + filters + "}");
    json::object listed = ok("ListSecrets", in);
    for (const auto& s : listed.at("SecretList").as_array()) {
      out.emplace_back(s.at("Name").as_string());
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(R"([{"Key":"name","Values":["prod/"]}])"), (V{"prod/cache", "prod/db"}));
  EXPECT_EQ(names(R"([{"Key":"name","Values":["Prod/"]}])"), V{});  // case-sensitive
  EXPECT_EQ(names(R"([{"Key":"name","Values":["!prod/"]}])"), V{"dev/db"});
  EXPECT_EQ(names(R"([{"Key":"description","Values":["main"]}])"), V{"prod/db"});
  EXPECT_EQ(names(R"([{"Key":"tag-value","Values":["pro"]}])"), V{"prod/db"});
  EXPECT_EQ(names(R"([{"Key":"tag-key","Values":["env"]},{"Key":"name","Values":["dev"]}])"),
            V{"dev/db"});
  EXPECT_EQ(names(R"([{"Key":"all","Values":["DB"]}])"), (V{"dev/db", "prod/db"}));
  ok("DeleteSecret", J(R"({"SecretId":"dev/db"})"));
  EXPECT_EQ(names(R"([{"Key":"name","Values":["dev"]}])"), V{});
  EXPECT_EQ(
      ok("ListSecrets", J(R"({"IncludePlannedDeletion":true})")).at("SecretList").as_array().size(),
      3u);
}

TEST_F(SecretsManagerTest, ListSecretsPagesAndSorts) {
  for (const char* n : {"b", "a", "c"}) {
    create(n, "v");
    clock_.advance(std::chrono::seconds(1));
  }
  json::object page = ok("ListSecrets", J(R"({"MaxResults":2,"SortOrder":"desc"})"));
  ASSERT_EQ(page.at("SecretList").as_array().size(), 2u);
  EXPECT_EQ(page.at("SecretList").as_array()[0].at("Name"), "c");
  json::object next = ok(
      "ListSecrets",
      json::object{{"MaxResults", 2}, {"SortOrder", "desc"}, {"NextToken", page.at("NextToken")}});
  EXPECT_EQ(next.at("SecretList").as_array()[0].at("Name"), "b");
  EXPECT_FALSE(next.contains("NextToken"));
  EXPECT_EQ(err("ListSecrets", J(R"({"NextToken":"garbage"})")).code, "InvalidNextTokenException");
}

TEST_F(SecretsManagerTest, BatchGetReportsPerSecretErrors) {
  create("b1", "one");
  json::object out = ok("BatchGetSecretValue", J(R"({"SecretIdList":["b1","missing"]})"));
  ASSERT_EQ(out.at("SecretValues").as_array().size(), 1u);
  EXPECT_EQ(out.at("SecretValues").as_array()[0].at("SecretString"), "one");
  ASSERT_EQ(out.at("Errors").as_array().size(), 1u);
  EXPECT_EQ(out.at("Errors").as_array()[0].at("ErrorCode"), "ResourceNotFoundException");
  EXPECT_EQ(err("BatchGetSecretValue", J("{}")).code, "InvalidParameterException");
}

TEST_F(SecretsManagerTest, BatchGetByFiltersPages) {
  for (const char* n : {"app/a", "app/b", "app/c", "other"}) create(n, std::string(n) + "-value");
  json::object in = J(R"({"Filters":[{"Key":"name","Values":["app/"]}],"MaxResults":2})");
  json::object first = ok("BatchGetSecretValue", in);
  ASSERT_EQ(first.at("SecretValues").as_array().size(), 2u);
  ASSERT_TRUE(first.contains("NextToken"));
  in["NextToken"] = first.at("NextToken");
  json::object second = ok("BatchGetSecretValue", in);
  ASSERT_EQ(second.at("SecretValues").as_array().size(), 1u);
  EXPECT_EQ(second.at("SecretValues").as_array()[0].at("SecretString"), "app/c-value");
  EXPECT_FALSE(second.contains("NextToken"));
  EXPECT_EQ(err("BatchGetSecretValue", J(R"({"SecretIdList":["app/a"],"MaxResults":2})")).code,
            "InvalidParameterException");
}

TEST_F(SecretsManagerTest, RotationWithoutALambdaFailsAsAwsDoes) {
  create("rot", "v");
  EXPECT_EQ(err("RotateSecret", J(R"({"SecretId":"rot"})")).code, "InvalidRequestException");
  protocol::AwsError e = err(
      "RotateSecret",
      J(R"({"SecretId":"rot","RotationLambdaARN":"arn:aws:lambda:us-east-1:123456789012:function:f",
            "RotationRules":{"AutomaticallyAfterDays":30}})"));
  EXPECT_EQ(e.code, "AccessDeniedException");
  EXPECT_FALSE(ok("DescribeSecret", J(R"({"SecretId":"rot"})")).contains("RotationEnabled"));
  ok("CancelRotateSecret", J(R"({"SecretId":"rot"})"));
}

TEST_F(SecretsManagerTest, ResourcePoliciesAreStoredAndChecked) {
  create("pol", "v");
  std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},)"
      R"("Action":"secretsmanager:GetSecretValue","Resource":"*"}]})";
  EXPECT_EQ(err("PutResourcePolicy", J(R"({"SecretId":"pol","ResourcePolicy":"{not json"})")).code,
            "MalformedPolicyDocumentException");
  EXPECT_EQ(err("PutResourcePolicy",
                json::object{
                    {"SecretId", "pol"}, {"ResourcePolicy", policy}, {"BlockPublicPolicy", true}})
                .code,
            "PublicPolicyException");
  EXPECT_FALSE(ok("ValidateResourcePolicy", json::object{{"ResourcePolicy", policy}})
                   .at("PolicyValidationPassed")
                   .as_bool());
  ok("PutResourcePolicy", json::object{{"SecretId", "pol"}, {"ResourcePolicy", policy}});
  EXPECT_EQ(ok("GetResourcePolicy", J(R"({"SecretId":"pol"})")).at("ResourcePolicy"), policy);
  ok("DeleteResourcePolicy", J(R"({"SecretId":"pol"})"));
  EXPECT_FALSE(ok("GetResourcePolicy", J(R"({"SecretId":"pol"})")).contains("ResourcePolicy"));
}

}  // namespace
}  // namespace services::secretsmanager
