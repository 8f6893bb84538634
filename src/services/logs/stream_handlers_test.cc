#include "services/logs/logs_test_support.h"

namespace services::logs {
namespace {

namespace json = boost::json;

class StreamHandlersTest : public LogsHandlersTest {
 protected:
  std::vector<std::string> names(const json::object& reply) {
    std::vector<std::string> out;
    for (const json::value& s : reply.at("logStreams").as_array()) {
      out.emplace_back(s.at("logStreamName").as_string());
    }
    return out;
  }
};

TEST_F(StreamHandlersTest, CreateDescribeDeleteStream) {
  group("g");
  stream("g", "app/web/1");
  json::object s =
      ok("DescribeLogStreams", R"({"logGroupName":"g"})")["logStreams"].as_array()[0].as_object();
  EXPECT_EQ(s.at("logStreamName"), "app/web/1");
  EXPECT_EQ(s.at("arn"), "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:app/web/1");
  EXPECT_EQ(s.at("creationTime"), now_ms());
  EXPECT_FALSE(s.contains("firstEventTimestamp"));
  EXPECT_FALSE(s.contains("uploadSequenceToken"));
  ok("DeleteLogStream", R"({"logGroupName":"g","logStreamName":"app/web/1"})");
  EXPECT_TRUE(names(ok("DescribeLogStreams", R"({"logGroupName":"g"})")).empty());
  EXPECT_EQ(err("DeleteLogStream", R"({"logGroupName":"g","logStreamName":"app/web/1"})").message,
            "The specified log stream does not exist.");
}

TEST_F(StreamHandlersTest, ErrorsNameWhatIsMissingOrTaken) {
  EXPECT_EQ(err("CreateLogStream", R"({"logGroupName":"nope","logStreamName":"s"})").message,
            "The specified log group does not exist.");
  group("g");
  stream("g", "s");
  protocol::AwsError taken = err("CreateLogStream", R"({"logGroupName":"g","logStreamName":"s"})");
  EXPECT_EQ(taken.code, "ResourceAlreadyExistsException");
  EXPECT_EQ(taken.message, "The specified log stream already exists");
  EXPECT_EQ(err("CreateLogStream", R"({"logGroupName":"g","logStreamName":"a:b"})").code,
            "InvalidParameterException");
  EXPECT_EQ(err("CreateLogStream", R"({"logGroupName":"g","logStreamName":"a*"})").code,
            "InvalidParameterException");
  EXPECT_EQ(err("DescribeLogStreams", R"({"logGroupName":"nope"})").code,
            "ResourceNotFoundException");
  EXPECT_EQ(err("DescribeLogStreams", "{}").code, "InvalidParameterException");
}

TEST_F(StreamHandlersTest, EventTimesAndIngestionTimeAreReported) {
  group("g");
  stream("g", "s");
  int64_t t = now_ms() - 1000;
  put("g", "s", {"a", "b"}, t);
  clock_.advance(std::chrono::seconds(5));
  put("g", "s", {"c"}, t - 500);
  json::object s =
      ok("DescribeLogStreams", R"({"logGroupName":"g"})")["logStreams"].as_array()[0].as_object();
  EXPECT_EQ(s.at("firstEventTimestamp"), t - 500);
  EXPECT_EQ(s.at("lastEventTimestamp"), t + 1);
  EXPECT_EQ(s.at("lastIngestionTime"), now_ms());
  EXPECT_TRUE(s.contains("uploadSequenceToken"));
}

TEST_F(StreamHandlersTest, OrderByNameOrLastEventTimeEitherDirection) {
  group("g");
  for (const char* n : {"b", "a", "c"}) {
    stream("g", n);
  }
  int64_t t = now_ms() - 100;
  put("g", "c", {"x"}, t);
  put("g", "a", {"x"}, t + 10);
  put("g", "b", {"x"}, t + 20);
  EXPECT_EQ(names(ok("DescribeLogStreams", R"({"logGroupName":"g"})")),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(names(ok("DescribeLogStreams", R"({"logGroupName":"g","descending":true})")),
            (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(names(ok("DescribeLogStreams",
                     R"({"logGroupName":"g","orderBy":"LastEventTime","descending":true})")),
            (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(names(ok("DescribeLogStreams", R"({"logGroupName":"g","orderBy":"LastEventTime"})")),
            (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(err("DescribeLogStreams",
                R"({"logGroupName":"g","orderBy":"LastEventTime","logStreamNamePrefix":"a"})")
                .message,
            "Cannot order by LastEventTime with a logStreamNamePrefix.");
}

TEST_F(StreamHandlersTest, PrefixAndPaginationVisitEveryStreamOnce) {
  group("g");
  for (int i = 0; i < 7; ++i) {
    stream("g", "web/" + std::to_string(i));
  }
  stream("g", "worker/0");
  std::vector<std::string> seen;
  json::object in{
      {"logGroupName", "g"}, {"logStreamNamePrefix", "web/"}, {"limit", 3}, {"descending", true}};
  for (int pages = 0; pages < 10; ++pages) {
    json::object page = ok("DescribeLogStreams", in);
    for (const std::string& n : names(page)) {
      seen.push_back(n);
    }
    if (!page.contains("nextToken")) {
      break;
    }
    in["nextToken"] = page["nextToken"];
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"web/6", "web/5", "web/4", "web/3", "web/2", "web/1",
                                            "web/0"}));
}

TEST_F(StreamHandlersTest, GroupMayBeNamedByIdentifierArn) {
  group("g");
  stream("g", "s");
  EXPECT_EQ(
      names(ok("DescribeLogStreams",
               R"({"logGroupIdentifier":"arn:aws:logs:us-east-1:123456789012:log-group:g"})")),
      std::vector<std::string>{"s"});
  EXPECT_EQ(names(ok("DescribeLogStreams", R"({"logGroupIdentifier":"g"})")),
            std::vector<std::string>{"s"});
  EXPECT_EQ(err("DescribeLogStreams", R"({"logGroupIdentifier":"g","logGroupName":"g"})").code,
            "InvalidParameterException");
}

}  // namespace
}  // namespace services::logs
