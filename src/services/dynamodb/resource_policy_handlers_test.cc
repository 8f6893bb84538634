#include "services/dynamodb/dynamodb_test_support.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

// The revision rules and messages moto's AWS-verified test_dynamodb_resource_policy.py saw.
class ResourcePolicyTest : public DynamoDbTest {
 protected:
  ResourcePolicyTest() {
    create("tbl");
    arn_ = std::string(ok("DescribeTable", R"({"TableName": "tbl"})")
                           .at("Table").at("TableArn").as_string());
  }
  static std::string policy(const std::string& action) {
    return R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": )"
           R"({"AWS": "123456789012"}, "Action": [")" + action + R"("], "Resource": "*"}]})";
  }
  json::object put(const std::string& action, const std::string& expected = "") {
    json::object in{{"ResourceArn", arn_}, {"Policy", policy(action)}};
    if (!expected.empty()) in["ExpectedRevisionId"] = expected;
    return in;
  }
  std::string revision(const json::object& reply) {
    return std::string(reply.at("RevisionId").as_string());
  }
  std::string arn_;
};

TEST_F(ResourcePolicyTest, ARevisionChangesOnlyWithTheText) {
  std::string r1 = revision(ok("PutResourcePolicy", put("dynamodb:*")));
  EXPECT_EQ(revision(ok("PutResourcePolicy", put("dynamodb:*"))), r1);
  clock_.advance(std::chrono::milliseconds(5));
  std::string r2 = revision(ok("PutResourcePolicy", put("dynamodb:PutItem", r1)));
  EXPECT_GT(r2, r1);
  json::object got = ok("GetResourcePolicy", json::object{{"ResourceArn", arn_}});
  EXPECT_EQ(got.at("Policy"), policy("dynamodb:PutItem"));
  EXPECT_EQ(revision(got), r2);
}

TEST_F(ResourcePolicyTest, ExpectedRevisionsAreChecked) {
  std::string r1 = revision(ok("PutResourcePolicy", put("dynamodb:*", "NO_POLICY")));
  protocol::AwsError e = err("PutResourcePolicy", put("dynamodb:GetItem", "NO_POLICY"));
  EXPECT_EQ(e.code, "PolicyNotFoundException");
  EXPECT_EQ(e.message,
            "Resource-based policy not found for the provided ResourceArn: Requested policy "
            "update expecting none to be present for table tbl, but a policy exists with "
            "revision id " + r1 + ".");
  e = err("DeleteResourcePolicy", json::object{{"ResourceArn", arn_},
                                               {"ExpectedRevisionId", "unknown"}});
  EXPECT_EQ(e.message,
            "Resource-based policy not found for the provided ResourceArn: Requested update for "
            "policy with revision id unknown, but the policy associated to target table tbl has "
            "revision id " + r1 + ".");
  EXPECT_EQ(revision(ok("DeleteResourcePolicy", json::object{{"ResourceArn", arn_},
                                                            {"ExpectedRevisionId", r1}})),
            r1);
  e = err("GetResourcePolicy", json::object{{"ResourceArn", arn_}});
  EXPECT_EQ(e.code, "PolicyNotFoundException");
  EXPECT_EQ(e.message, "Resource-based policy not found for the provided ResourceArn: " + arn_);
}

TEST_F(ResourcePolicyTest, UnknownTablesAndBadPolicies) {
  protocol::AwsError e = err("GetResourcePolicy", json::object{{"ResourceArn", arn_ + "_"}});
  EXPECT_EQ(e.code, "ResourceNotFoundException");
  EXPECT_EQ(e.message, "Requested resource not found: Table: tbl_ not found");
  e = err("PutResourcePolicy", json::object{{"ResourceArn", arn_}, {"Policy", "{nope"}});
  EXPECT_EQ(e.code, "ValidationException");
}

TEST_F(ResourcePolicyTest, CreateTableTakesOneAndDeleteTableDropsIt) {
  json::object in = J(R"({"TableName": "withp", "BillingMode": "PAY_PER_REQUEST",
      "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})");
  in["ResourcePolicy"] = policy("dynamodb:GetItem");
  json::object d = ok("CreateTable", in).at("TableDescription").as_object();
  EXPECT_FALSE(d.contains("ResourcePolicy"));
  settle();
  std::string arn(d.at("TableArn").as_string());
  EXPECT_EQ(ok("GetResourcePolicy", json::object{{"ResourceArn", arn}}).at("Policy"),
            policy("dynamodb:GetItem"));
  ok("DeleteTable", R"({"TableName": "withp"})");
  settle();
  ok("CreateTable", J(R"({"TableName": "withp", "BillingMode": "PAY_PER_REQUEST",
      "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})"));
  settle();
  EXPECT_EQ(err("GetResourcePolicy", json::object{{"ResourceArn", arn}}).code,
            "PolicyNotFoundException");
}

}  // namespace
}  // namespace services::dynamodb
