#include "services/logs/logs_test_support.h"

namespace services::logs {
namespace {

namespace json = boost::json;

class GroupHandlersTest : public LogsHandlersTest {};

TEST_F(GroupHandlersTest, CreatedGroupIsDescribedWithBothArnsAndDefaults) {
  group("/ecs/web");
  json::array groups = ok("DescribeLogGroups", "{}")["logGroups"].as_array();
  ASSERT_EQ(groups.size(), 1u);
  const json::object& g = groups[0].as_object();
  EXPECT_EQ(g.at("logGroupName"), "/ecs/web");
  EXPECT_EQ(g.at("arn"), "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:*");
  EXPECT_EQ(g.at("logGroupArn"), "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web");
  EXPECT_EQ(g.at("creationTime"), now_ms());
  EXPECT_EQ(g.at("storedBytes"), 0);
  EXPECT_EQ(g.at("metricFilterCount"), 0);
  EXPECT_EQ(g.at("logGroupClass"), "STANDARD");
  EXPECT_FALSE(g.contains("retentionInDays"));
}

TEST_F(GroupHandlersTest, DuplicateNameIsResourceAlreadyExists) {
  group("a");
  protocol::AwsError e = err("CreateLogGroup", R"({"logGroupName":"a"})");
  EXPECT_EQ(e.code, "ResourceAlreadyExistsException");
  EXPECT_EQ(e.message, "The specified log group already exists");
}

TEST_F(GroupHandlersTest, NamesOutsideThePatternAreInvalidParameter) {
  EXPECT_EQ(err("CreateLogGroup", R"({"logGroupName":"has space"})").code,
            "InvalidParameterException");
  EXPECT_EQ(err("CreateLogGroup", R"({"logGroupName":"a:b"})").code, "InvalidParameterException");
  ok("CreateLogGroup", R"({"logGroupName":"/aws/lambda/ok-Name_1.#x"})");
}

TEST_F(GroupHandlersTest, GroupsAreScopedByRegionAndAccount) {
  group("a");
  EXPECT_TRUE(
      ok("DescribeLogGroups", json::object{}, ctx("eu-west-1"))["logGroups"].as_array().empty());
  ok("CreateLogGroup", J(R"({"logGroupName":"a"})"), ctx("us-east-1", "111111111111"));
}

TEST_F(GroupHandlersTest, InfrequentAccessClassAndTagsAreKept) {
  ok("CreateLogGroup", R"({"logGroupName":"ia","logGroupClass":"INFREQUENT_ACCESS",
      "tags":{"team":"core"},"kmsKeyId":"arn:aws:kms:us-east-1:123456789012:key/k"})");
  json::object g = ok("DescribeLogGroups", "{}")["logGroups"].as_array()[0].as_object();
  EXPECT_EQ(g.at("logGroupClass"), "INFREQUENT_ACCESS");
  EXPECT_EQ(g.at("kmsKeyId"), "arn:aws:kms:us-east-1:123456789012:key/k");
  EXPECT_EQ(ok("ListTagsLogGroup", R"({"logGroupName":"ia"})")["tags"], J(R"({"team":"core"})"));
  EXPECT_EQ(
      ok("DescribeLogGroups", R"({"logGroupClass":"STANDARD"})")["logGroups"].as_array().size(),
      0u);
}

TEST_F(GroupHandlersTest, DeleteRemovesGroupStreamsAndEvents) {
  group("a");
  stream("a", "s");
  put("a", "s", {"x"});
  ok("DeleteLogGroup", R"({"logGroupName":"a"})");
  EXPECT_EQ(err("DeleteLogGroup", R"({"logGroupName":"a"})").message,
            "The specified log group does not exist.");
  group("a");
  EXPECT_EQ(err("GetLogEvents", R"({"logGroupName":"a","logStreamName":"s"})").code,
            "ResourceNotFoundException");
}

TEST_F(GroupHandlersTest, DeletionProtectionBlocksDelete) {
  ok("CreateLogGroup", R"({"logGroupName":"p","deletionProtectionEnabled":true})");
  EXPECT_EQ(err("DeleteLogGroup", R"({"logGroupName":"p"})").code, "ValidationException");
}

TEST_F(GroupHandlersTest, PrefixPatternAndPagination) {
  for (const char* n : {"/app/a", "/app/b", "/app/c", "/other/Apple", "/zzz"}) {
    group(n);
  }
  json::object page = ok("DescribeLogGroups", R"({"logGroupNamePrefix":"/app/","limit":2})");
  ASSERT_EQ(page["logGroups"].as_array().size(), 2u);
  ASSERT_TRUE(page.contains("nextToken"));
  json::object next = ok("DescribeLogGroups", json::object{{"logGroupNamePrefix", "/app/"},
                                                           {"limit", 2},
                                                           {"nextToken", page["nextToken"]}});
  ASSERT_EQ(next["logGroups"].as_array().size(), 1u);
  EXPECT_EQ(next["logGroups"].as_array()[0].at("logGroupName"), "/app/c");
  EXPECT_FALSE(next.contains("nextToken"));

  // logGroupNamePattern is a case-insensitive substring match anywhere in the name.
  json::array p =
      ok("DescribeLogGroups", R"({"logGroupNamePattern":"app"})")["logGroups"].as_array();
  EXPECT_EQ(p.size(), 4u);
  EXPECT_EQ(
      err("DescribeLogGroups", R"({"logGroupNamePattern":"a","logGroupNamePrefix":"a"})").code,
      "InvalidParameterException");
  EXPECT_EQ(err("DescribeLogGroups", R"({"nextToken":"garbage!"})").code,
            "InvalidParameterException");
}

TEST_F(GroupHandlersTest, RetentionOnlyAcceptsCloudWatchPeriods) {
  group("a");
  ok("PutRetentionPolicy", R"({"logGroupName":"a","retentionInDays":14})");
  EXPECT_EQ(ok("DescribeLogGroups", "{}")["logGroups"].as_array()[0].at("retentionInDays"), 14);
  for (int bad : {0, 2, 4, 366, 3654}) {
    protocol::AwsError e =
        err("PutRetentionPolicy", json::object{{"logGroupName", "a"}, {"retentionInDays", bad}});
    EXPECT_EQ(e.code, "InvalidParameterException") << bad;
    EXPECT_NE(e.message.find("Member must satisfy enum value set: [1, 3, 5, 7, 14"),
              std::string::npos);
  }
  for (int good : {1,   3,   5,   7,    30,   60,   90,   120,  150,  180, 365,
                   400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}) {
    ok("PutRetentionPolicy", json::object{{"logGroupName", "a"}, {"retentionInDays", good}});
  }
  ok("DeleteRetentionPolicy", R"({"logGroupName":"a"})");
  EXPECT_FALSE(ok("DescribeLogGroups", "{}")["logGroups"].as_array()[0].as_object().contains(
      "retentionInDays"));
  EXPECT_EQ(err("PutRetentionPolicy", R"({"logGroupName":"b","retentionInDays":1})").code,
            "ResourceNotFoundException");
  EXPECT_EQ(err("DeleteRetentionPolicy", R"({"logGroupName":"b"})").code,
            "ResourceNotFoundException");
}

TEST_F(GroupHandlersTest, StoredBytesCountsMessagesPlus26) {
  group("a");
  stream("a", "s");
  put("a", "s", {"12345", "1"});
  EXPECT_EQ(ok("DescribeLogGroups", "{}")["logGroups"].as_array()[0].at("storedBytes"),
            5 + 26 + 1 + 26);
}

}  // namespace
}  // namespace services::logs
