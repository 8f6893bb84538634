#include "services/logs/logs_test_support.h"

namespace services::logs {
namespace {

namespace json = boost::json;

class FilterHandlerTest : public LogsHandlersTest {
 protected:
  FilterHandlerTest() {
    group("g");
    stream("g", "web/1");
    stream("g", "web/2");
    stream("g", "worker/1");
    t0_ = now_ms() - 100000;
  }
  int64_t t0_ = 0;
  json::object filter(json::object in) {
    in["logGroupName"] = "g";
    return ok("FilterLogEvents", in);
  }
};

TEST_F(FilterHandlerTest, EventsOfAllStreamsAreInterleavedByTimestamp) {
  put("g", "web/1", {"a1", "a2"}, t0_);  // t0, t0 + 1
  put("g", "web/2", {"b1"}, t0_);        // t0, put later
  put("g", "worker/1", {"c0"}, t0_ - 1);
  json::object r = filter({});
  EXPECT_EQ(messages(r), (std::vector<std::string>{"c0", "a1", "b1", "a2"}));
  const json::object& e = r["events"].as_array()[1].as_object();
  EXPECT_EQ(e.at("logStreamName"), "web/1");
  EXPECT_EQ(e.at("timestamp"), t0_);
  EXPECT_EQ(e.at("ingestionTime"), now_ms());
  EXPECT_FALSE(e.at("eventId").as_string().empty());
  EXPECT_EQ(r["searchedLogStreams"].as_array().size(), 3u);
  EXPECT_FALSE(r.contains("nextToken"));
}

TEST_F(FilterHandlerTest, StreamNamesOrPrefixNarrowTheSearch) {
  put("g", "web/1", {"a"}, t0_);
  put("g", "web/2", {"b"}, t0_ + 1);
  put("g", "worker/1", {"c"}, t0_ + 2);
  EXPECT_EQ(messages(filter(J(R"({"logStreamNamePrefix":"web/"})"))),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(messages(filter(J(R"({"logStreamNames":["worker/1","web/1"]})"))),
            (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(err("FilterLogEvents",
                R"({"logGroupName":"g","logStreamNames":["a"],"logStreamNamePrefix":"w"})")
                .code,
            "InvalidParameterException");
}

TEST_F(FilterHandlerTest, PatternsUseCloudWatchSyntax) {
  put("g", "web/1",
      {"INFO started", "ERROR disk full", "WARN slow", R"({"level":"error","latency":250})",
       R"({"level":"info","latency":5})", "127.0.0.1 - GET /x 404 12"},
      t0_);
  EXPECT_EQ(messages(filter(J(R"({"filterPattern":"ERROR"})"))),
            std::vector<std::string>{"ERROR disk full"});
  EXPECT_EQ(messages(filter(J(R"({"filterPattern":"?ERROR ?WARN"})"))),
            (std::vector<std::string>{"ERROR disk full", "WARN slow"}));
  EXPECT_EQ(messages(filter(J(R"({"filterPattern":"{ $.latency > 100 }"})"))),
            std::vector<std::string>{R"({"level":"error","latency":250})"});
  EXPECT_EQ(messages(filter(J(R"({"filterPattern":"[ip, user, verb, path, status=4*, bytes]"})"))),
            std::vector<std::string>{"127.0.0.1 - GET /x 404 12"});
  EXPECT_EQ(err("FilterLogEvents", R"({"logGroupName":"g","filterPattern":"{ $.x = "})").code,
            "InvalidParameterException");
}

// endTime: "Events with a timestamp later than this time are not returned."
TEST_F(FilterHandlerTest, TimeRangeIsInclusiveAtBothEnds) {
  put("g", "web/1", {"a", "b", "c", "d"}, t0_);
  EXPECT_EQ(messages(filter(json::object{{"startTime", t0_ + 1}, {"endTime", t0_ + 2}})),
            (std::vector<std::string>{"b", "c"}));
}

TEST_F(FilterHandlerTest, PaginationReturnsEveryMatchOnceAndEndsWithoutToken) {
  std::vector<std::string> all;
  for (int i = 0; i < 25; ++i) {
    all.push_back((i % 2 ? "odd " : "even ") + std::to_string(i));
  }
  put("g", "web/1", all, t0_);
  std::vector<std::string> seen;
  json::object in{{"filterPattern", "odd"}, {"limit", 4}};
  for (int i = 0; i < 20; ++i) {
    json::object page = filter(in);
    for (const std::string& m : messages(page)) {
      seen.push_back(m);
    }
    if (!page.contains("nextToken")) {
      break;
    }
    in["nextToken"] = page["nextToken"];
  }
  ASSERT_EQ(seen.size(), 12u);
  EXPECT_EQ(seen.front(), "odd 1");
  EXPECT_EQ(seen.back(), "odd 23");
}

TEST_F(FilterHandlerTest, EventIdsAreStableAcrossCalls) {
  put("g", "web/1", {"a"}, t0_);
  EXPECT_EQ(filter({})["events"].as_array()[0].at("eventId"),
            filter(json::object{{"startTime", t0_}})["events"].as_array()[0].at("eventId"));
}

TEST_F(FilterHandlerTest, UnknownGroupIsResourceNotFound) {
  EXPECT_EQ(err("FilterLogEvents", R"({"logGroupName":"nope"})").message,
            "The specified log group does not exist.");
}

}  // namespace
}  // namespace services::logs
