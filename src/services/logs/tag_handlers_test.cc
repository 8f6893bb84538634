#include "services/logs/logs_test_support.h"

namespace services::logs {
namespace {

namespace json = boost::json;

constexpr const char* kArn = "arn:aws:logs:us-east-1:123456789012:log-group:g";

class TagHandlersTest : public LogsHandlersTest {
 protected:
  TagHandlersTest() { group("g"); }
};

TEST_F(TagHandlersTest, LogGroupTagOperationsMergeAndRemove) {
  ok("TagLogGroup", R"({"logGroupName":"g","tags":{"a":"1","b":"2"}})");
  ok("TagLogGroup", R"({"logGroupName":"g","tags":{"a":"3"}})");
  EXPECT_EQ(ok("ListTagsLogGroup", R"({"logGroupName":"g"})")["tags"], J(R"({"a":"3","b":"2"})"));
  ok("UntagLogGroup", R"({"logGroupName":"g","tags":["a"]})");
  EXPECT_EQ(ok("ListTagsLogGroup", R"({"logGroupName":"g"})")["tags"], J(R"({"b":"2"})"));
  EXPECT_EQ(err("TagLogGroup", R"({"logGroupName":"x","tags":{"a":"1"}})").code,
            "ResourceNotFoundException");
}

TEST_F(TagHandlersTest, ResourceTagOperationsTakeTheArnWithoutStar) {
  ok("TagResource", json::object{{"resourceArn", kArn}, {"tags", J(R"({"env":"dev"})")}});
  EXPECT_EQ(ok("ListTagsForResource", json::object{{"resourceArn", kArn}})["tags"],
            J(R"({"env":"dev"})"));
  ok("UntagResource", json::object{{"resourceArn", kArn}, {"tagKeys", json::array{"env"}}});
  EXPECT_TRUE(
      ok("ListTagsForResource", json::object{{"resourceArn", kArn}})["tags"].as_object().empty());
  EXPECT_EQ(err("ListTagsForResource",
                R"({"resourceArn":"arn:aws:logs:us-east-1:123456789012:log-group:nope"})")
                .code,
            "ResourceNotFoundException");
  EXPECT_EQ(err("ListTagsForResource", R"({"resourceArn":"not-an-arn"})").code,
            "InvalidParameterException");
}

TEST_F(TagHandlersTest, AwsPrefixIsReservedAndFiftyIsTheLimit) {
  EXPECT_EQ(
      err("TagResource", json::object{{"resourceArn", kArn}, {"tags", J(R"({"aws:x":"1"})")}}).code,
      "InvalidParameterException");
  json::object many;
  for (int i = 0; i < 50; ++i) {
    many["k" + std::to_string(i)] = "v";
  }
  ok("TagResource", json::object{{"resourceArn", kArn}, {"tags", many}});
  EXPECT_EQ(
      err("TagResource", json::object{{"resourceArn", kArn}, {"tags", J(R"({"one-more":"1"})")}})
          .code,
      "TooManyTagsException");
}

}  // namespace
}  // namespace services::logs
