#include "protocol/validator.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace protocol {
namespace {

namespace json = boost::json;

class ValidatorTest : public ::testing::Test {
 protected:
  std::optional<AwsError> check(std::string_view service, std::string_view op,
                                std::string_view input_json) {
    const ServiceModel* model = find_model(service);
    EXPECT_NE(model, nullptr);
    const OperationDef* operation = model->find_operation(op);
    EXPECT_NE(operation, nullptr);
    return validate_input(*model, *operation, json::parse(input_json).as_object(),
                          model->protocols.front());
  }
};

// "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member
// must not be null" is how STS (Coral) reports a missing required member.
TEST_F(ValidatorTest, MissingRequiredMemberIsReportedInCoralWords) {
  auto err = check("sts", "AssumeRole", R"({"RoleSessionName":"ci"})");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, "ValidationError");
  EXPECT_EQ(err->message,
            "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: "
            "Member must not be null");
  EXPECT_EQ(err->http_status, 400);
}

// Coral never shows a sensitive value (KMS's plaintext, moto's AWS-verified test_kms_encrypt),
// and names a blob by the buffer that holds it.
TEST_F(ValidatorTest, SensitiveValuesStayOutOfTheMessage) {
  std::string secret(4097, 'x');
  auto err = check("kms", "Encrypt",
                   R"({"KeyId":"alias/k","Plaintext":")" + secret + R"("})");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message,
            "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
            "Member must have length less than or equal to 4096");
  err = check("kms", "Decrypt", R"({"CiphertextBlob":""})");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message,
            "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at "
            "'ciphertextBlob' failed to satisfy constraint: Member must have length greater than "
            "or equal to 1");
}

// DynamoDB's TableName is a name or an ARN; a name has the TableName shape's rules.
TEST_F(ValidatorTest, DynamoDbTableNamesAreCheckedAsNamesUnlessArns) {
  auto err = check("dynamodb", "GetItem", R"({"TableName":"x!","Key":{}})");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message,
            "2 validation errors detected: Value 'x!' at 'tableName' failed to satisfy "
            "constraint: Member must have length greater than or equal to 3; Value 'x!' at "
            "'tableName' failed to satisfy constraint: Member must satisfy regular expression "
            "pattern: [a-zA-Z0-9_.-]+");
  err = check("dynamodb", "GetItem", R"({"TableName":"","Key":{}})");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message,
            "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
  EXPECT_FALSE(check("dynamodb", "GetItem", R"({"TableName":"my-table_1.v2","Key":{}})"));
  EXPECT_FALSE(check("dynamodb", "GetItem",
                     R"({"TableName":"arn:aws:dynamodb:us-east-1:123456789012:table/t","Key":{}})"));
}

TEST_F(ValidatorTest, NumberBelowMinimumIsRejected) {
  auto err = check("sts", "AssumeRole",
                   R"({"RoleArn":"arn:aws:iam::111122223333:role/r","RoleSessionName":"s",
                       "DurationSeconds":60})");
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("Value '60' at 'durationSeconds' failed to satisfy constraint: "
                              "Member must have value greater than or equal to 900"),
            std::string::npos);
}

TEST_F(ValidatorTest, StringLengthIsCheckedAgainstMinAndMax) {
  auto err = check("sts", "AssumeRole",
                   R"({"RoleArn":"arn:aws:iam::111122223333:role/r","RoleSessionName":"s"})");
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("at 'roleSessionName' failed to satisfy constraint: Member must "
                              "have length greater than or equal to 2"),
            std::string::npos);
}

TEST_F(ValidatorTest, ValidInputPasses) {
  EXPECT_FALSE(check("sts", "AssumeRole",
                     R"({"RoleArn":"arn:aws:iam::111122223333:role/r","RoleSessionName":"ci"})"));
  EXPECT_FALSE(check("sts", "GetCallerIdentity", "{}"));
}

TEST_F(ValidatorTest, EnumValuesAreEnforcedWithTheValueSet) {
  auto err = check("ecs", "ListTasks", R"({"desiredStatus":"SLEEPING"})");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, "InvalidParameterException");  // ECS's model has no ValidationException
  EXPECT_NE(err->message.find("Member must satisfy enum value set: [RUNNING, PENDING, STOPPED]"),
            std::string::npos);
}

TEST_F(ValidatorTest, WrongTypeIsReported) {
  auto err = check("ecs", "CreateService", R"({"serviceName":"web","desiredCount":"two"})");
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("at 'desiredCount'"), std::string::npos);
}

TEST_F(ValidatorTest, NestedListMembersArePathedLikeCoral) {
  // Tag.key has min length 1 but is not required: an absent key is valid; an empty one is not.
  EXPECT_FALSE(check("ecs", "TagResource",
                     R"({"resourceArn":"arn:aws:ecs:us-east-1:000000000000:cluster/c",
                         "tags":[{"key":"a","value":"b"},{"value":"no key"}]})"));
  auto err2 = check("ecs", "TagResource",
                    R"({"resourceArn":"arn:aws:ecs:us-east-1:000000000000:cluster/c",
                        "tags":[{"key":"","value":"b"}]})");
  ASSERT_TRUE(err2);
  EXPECT_NE(err2->message.find("at 'tags.1.member.key'"), std::string::npos);
}

TEST_F(ValidatorTest, SeveralViolationsAreCountedAndJoined) {
  auto err = check("sts", "AssumeRole", "{}");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message.rfind("2 validation errors detected: ", 0), 0u);
  EXPECT_NE(err->message.find("; Value null at"), std::string::npos);
}

TEST_F(ValidatorTest, Ec2ReportsMissingParameterByWireName) {
  auto err = check("ec2", "DeleteVpc", "{}");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, "MissingParameter");
  EXPECT_EQ(err->message, "The request must contain the parameter VpcId");
}

}  // namespace
}  // namespace protocol

namespace protocol {
namespace {

// CloudWatch keeps its query-era codes over CBOR and JSON too.
TEST_F(ValidatorTest, CloudWatchReportsMissingParameterInItsOwnWords) {
  auto err = check("cloudwatch", "GetMetricStatistics", R"({"Namespace":"AWS/ECS"})");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, "MissingParameter");
  EXPECT_EQ(err->message, "The parameter MetricName is required.");
}

}  // namespace
}  // namespace protocol
