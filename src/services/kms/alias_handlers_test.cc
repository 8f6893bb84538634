#include <gtest/gtest.h>

#include "services/kms/kms_test_support.h"

namespace services::kms {
namespace {

using boost::json::object;

std::vector<std::string> names(const object& reply) {
  std::vector<std::string> out;
  for (const auto& a : reply.at("Aliases").as_array()) {
    out.emplace_back(a.at("AliasName").as_string());
  }
  return out;
}

TEST_F(KmsHandlersTest, AliasNamesMustStartWithAliasAndNotAliasAws) {
  std::string id = create_key();
  protocol::AwsError e = err("CreateAlias", object{{"AliasName", "app"}, {"TargetKeyId", id}});
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_EQ(e.message,
            "Alias must start with the prefix \"alias/\". Please see "
            "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  EXPECT_EQ(err("CreateAlias", object{{"AliasName", "alias/aws/mine"}, {"TargetKeyId", id}}).code,
            "NotAuthorizedException");
  EXPECT_EQ(err("DeleteAlias", object{{"AliasName", "alias/aws/ssm"}}).code,
            "NotAuthorizedException");
  EXPECT_EQ(err("CreateAlias", object{{"AliasName", "alias/"}, {"TargetKeyId", id}}).code,
            "InvalidAliasNameException");
  // The model's pattern ^[a-zA-Z0-9:/_-]+$.
  EXPECT_EQ(err("CreateAlias", object{{"AliasName", "alias/a b"}, {"TargetKeyId", id}}).code,
            "ValidationException");
}

TEST_F(KmsHandlersTest, CreateAliasTwiceIsAlreadyExists) {
  std::string id = create_key();
  ok("CreateAlias", object{{"AliasName", "alias/app"}, {"TargetKeyId", id}});
  protocol::AwsError e =
      err("CreateAlias", object{{"AliasName", "alias/app"}, {"TargetKeyId", id}});
  EXPECT_EQ(e.code, "AlreadyExistsException");
  EXPECT_EQ(e.message,
            "An alias with the name arn:aws:kms:us-east-1:123456789012:alias/app already exists");
}

TEST_F(KmsHandlersTest, AliasesPointAtKeysNotAliases) {
  std::string id = create_key();
  ok("CreateAlias", object{{"AliasName", "alias/a"}, {"TargetKeyId", arn_of(id)}});
  EXPECT_EQ(err("CreateAlias", object{{"AliasName", "alias/b"}, {"TargetKeyId", "alias/a"}}).code,
            "ValidationException");
  EXPECT_EQ(err("CreateAlias", object{{"AliasName", "alias/b"},
                                      {"TargetKeyId", "11111111-2222-3333-4444-555555555555"}})
                .code,
            "NotFoundException");
}

TEST_F(KmsHandlersTest, UpdateAliasMovesItToAnotherKey) {
  std::string a = create_key();
  std::string b = create_key();
  ok("CreateAlias", object{{"AliasName", "alias/app"}, {"TargetKeyId", a}});
  clock_.advance(std::chrono::seconds(10));
  ok("UpdateAlias", object{{"AliasName", "alias/app"}, {"TargetKeyId", b}});
  EXPECT_EQ(ok("DescribeKey", object{{"KeyId", "alias/app"}}).at("KeyMetadata").at("KeyId"), b);
  object entry = ok("ListAliases", object{{"KeyId", b}}).at("Aliases").as_array()[0].as_object();
  EXPECT_DOUBLE_EQ(entry.at("CreationDate").as_double(), 1700000000.0);
  EXPECT_DOUBLE_EQ(entry.at("LastUpdatedDate").as_double(), 1700000010.0);
  EXPECT_EQ(err("UpdateAlias", object{{"AliasName", "alias/none"}, {"TargetKeyId", b}}).code,
            "NotFoundException");
  ok("ScheduleKeyDeletion", object{{"KeyId", a}});
  EXPECT_EQ(err("UpdateAlias", object{{"AliasName", "alias/app"}, {"TargetKeyId", a}}).code,
            "KMSInvalidStateException");
}

TEST_F(KmsHandlersTest, DeleteAliasRemovesOnlyTheName) {
  std::string id = create_key();
  ok("CreateAlias", object{{"AliasName", "alias/app"}, {"TargetKeyId", id}});
  ok("DeleteAlias", object{{"AliasName", "alias/app"}});
  EXPECT_EQ(err("DescribeKey", object{{"KeyId", "alias/app"}}).code, "NotFoundException");
  EXPECT_EQ(state_of(id), "Enabled");
  protocol::AwsError e = err("DeleteAlias", object{{"AliasName", "alias/app"}});
  EXPECT_EQ(e.code, "NotFoundException");
  EXPECT_EQ(e.message, "Alias arn:aws:kms:us-east-1:123456789012:alias/app is not found.");
}

TEST_F(KmsHandlersTest, ListAliasesShowsPredefinedAwsAliasesUntilTheyExist) {
  std::string id = create_key();
  ok("CreateAlias", object{{"AliasName", "alias/b"}, {"TargetKeyId", id}});
  ok("CreateAlias", object{{"AliasName", "alias/a"}, {"TargetKeyId", id}});
  object all = ok("ListAliases");
  EXPECT_EQ(names(all), (std::vector<std::string>{"alias/a", "alias/aws/secretsmanager",
                                                  "alias/aws/ssm", "alias/b"}));
  for (const auto& a : all.at("Aliases").as_array()) {
    bool predefined = a.at("AliasName").as_string().starts_with("alias/aws/");
    EXPECT_EQ(a.as_object().contains("TargetKeyId"), !predefined);
  }
  // Once used, alias/aws/ssm has its key.
  std::string ssm(ok("DescribeKey", object{{"KeyId", "alias/aws/ssm"}})
                      .at("KeyMetadata")
                      .at("KeyId")
                      .as_string());
  EXPECT_EQ(names(ok("ListAliases", object{{"KeyId", ssm}})),
            std::vector<std::string>{"alias/aws/ssm"});
  EXPECT_EQ(names(ok("ListAliases", object{{"KeyId", id}})),
            (std::vector<std::string>{"alias/a", "alias/b"}));
}

TEST_F(KmsHandlersTest, ListAliasesPages) {
  std::string id = create_key();
  for (const char* n : {"alias/k1", "alias/k2", "alias/k3"}) {
    ok("CreateAlias", object{{"AliasName", n}, {"TargetKeyId", id}});
  }
  object p1 = ok("ListAliases", object{{"KeyId", id}, {"Limit", 2}});
  EXPECT_EQ(names(p1), (std::vector<std::string>{"alias/k1", "alias/k2"}));
  ASSERT_TRUE(p1.at("Truncated").as_bool());
  object p2 =
      ok("ListAliases", object{{"KeyId", id}, {"Limit", 2}, {"Marker", p1.at("NextMarker")}});
  EXPECT_EQ(names(p2), std::vector<std::string>{"alias/k3"});
  EXPECT_FALSE(p2.at("Truncated").as_bool());
}

}  // namespace
}  // namespace services::kms
