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
