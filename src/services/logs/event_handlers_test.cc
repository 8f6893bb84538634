#include "services/logs/logs_test_support.h"

namespace services::logs {
namespace {

namespace json = boost::json;

constexpr int64_t kHour = 3600 * 1000;
constexpr int64_t kDay = 24 * kHour;

class EventHandlersTest : public LogsHandlersTest {
 protected:
  EventHandlersTest() {
    group("g");
    stream("g", "s");
  }
  json::object put_raw(const json::array& events) {
    return ok("PutLogEvents",
              json::object{{"logGroupName", "g"}, {"logStreamName", "s"}, {"logEvents", events}});
  }
  static json::object ev(int64_t t, std::string m) {
    return json::object{{"timestamp", t}, {"message", std::move(m)}};
  }
  json::object get(json::object in) {
    in["logGroupName"] = "g";
    in["logStreamName"] = "s";
    return ok("GetLogEvents", in);
  }
};

TEST_F(EventHandlersTest, OutOfOrderBatchIsRejected) {
  protocol::AwsError e =
      err("PutLogEvents",
          json::object{{"logGroupName", "g"},
                       {"logStreamName", "s"},
                       {"logEvents", json::array{ev(now_ms(), "b"), ev(now_ms() - 1, "a")}}});
  EXPECT_EQ(e.code, "InvalidParameterException");
  EXPECT_EQ(e.message,
            "Log events in a single PutLogEvents request must be in chronological order.");
}

TEST_F(EventHandlersTest, BatchOverOneMebibyteOrSpanningADayIsRejected) {
  std::string big(600 * 1024, 'x');
  EXPECT_EQ(err("PutLogEvents",
                json::object{{"logGroupName", "g"},
                             {"logStreamName", "s"},
                             {"logEvents", json::array{ev(now_ms(), big), ev(now_ms(), big)}}})
                .code,
            "InvalidParameterException");
  EXPECT_EQ(
      err("PutLogEvents",
          json::object{{"logGroupName", "g"},
                       {"logStreamName", "s"},
                       {"logEvents", json::array{ev(now_ms() - kDay - 1, "a"), ev(now_ms(), "b")}}})
          .code,
      "InvalidParameterException");
}

TEST_F(EventHandlersTest, TooOldAndTooNewEventsAreReportedAndSkipped) {
  int64_t now = now_ms();
  json::object a =
      put_raw(json::array{ev(now - 14 * kDay - 10, "old1"), ev(now - 14 * kDay - 5, "old2"),
                          ev(now - 14 * kDay + kHour, "kept")});
  EXPECT_EQ(a.at("rejectedLogEventsInfo"), J(R"({"tooOldLogEventEndIndex":2})"));
  json::object b = put_raw(json::array{ev(now, "kept2"), ev(now + 2 * kHour + 1, "new")});
  EXPECT_EQ(b.at("rejectedLogEventsInfo"), J(R"({"tooNewLogEventStartIndex":1})"));
  EXPECT_TRUE(b.contains("nextSequenceToken"));
  EXPECT_EQ(messages(get(J(R"({"startFromHead":true})"))),
            (std::vector<std::string>{"kept", "kept2"}));
}

TEST_F(EventHandlersTest, EventsOlderThanRetentionAreExpired) {
  ok("PutRetentionPolicy", R"({"logGroupName":"g","retentionInDays":1})");
  int64_t now = now_ms();
  json::object r = put_raw(json::array{ev(now - kDay - 10, "gone"), ev(now - kDay + 1000, "kept")});
  EXPECT_EQ(r.at("rejectedLogEventsInfo"), J(R"({"expiredLogEventEndIndex":1})"));
}

TEST_F(EventHandlersTest, SequenceTokenIsAcceptedAndIgnored) {
  ok("PutLogEvents", json::object{{"logGroupName", "g"},
                                  {"logStreamName", "s"},
                                  {"sequenceToken", "whatever"},
                                  {"logEvents", json::array{ev(now_ms(), "m")}}});
}

TEST_F(EventHandlersTest, MissingGroupOrStreamIsResourceNotFound) {
  EXPECT_EQ(err("PutLogEvents", json::object{{"logGroupName", "g"},
                                             {"logStreamName", "x"},
                                             {"logEvents", json::array{ev(now_ms(), "m")}}})
                .message,
            "The specified log stream does not exist.");
  EXPECT_EQ(err("PutLogEvents", json::object{{"logGroupName", "x"},
                                             {"logStreamName", "s"},
                                             {"logEvents", json::array{ev(now_ms(), "m")}}})
                .message,
            "The specified log group does not exist.");
  EXPECT_EQ(err("GetLogEvents", R"({"logGroupName":"g","logStreamName":"x"})").code,
            "ResourceNotFoundException");
}

TEST_F(EventHandlersTest, DefaultReadReturnsNewestEventsOldestFirst) {
  put("g", "s", {"1", "2", "3", "4", "5"});
  EXPECT_EQ(messages(get(J(R"({"limit":2})"))), (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(messages(get(J(R"({"limit":2,"startFromHead":true})"))),
            (std::vector<std::string>{"1", "2"}));
  json::object e = get(J(R"({"limit":1})"))["events"].as_array()[0].as_object();
  EXPECT_EQ(e.at("ingestionTime"), now_ms());
  EXPECT_EQ(e.at("timestamp"), now_ms() - 1);
}

// "If you have reached the end of the stream, it returns the same token you passed in."
TEST_F(EventHandlersTest, ForwardTokensWalkTheStreamAndRepeatAtTheEnd) {
  put("g", "s", {"1", "2", "3", "4", "5"});
  std::vector<std::string> seen;
  json::object page = get(J(R"({"limit":2,"startFromHead":true})"));
  for (int i = 0; i < 10; ++i) {
    for (const std::string& m : messages(page)) {
      seen.push_back(m);
    }
    json::object next = get(json::object{{"limit", 2}, {"nextToken", page["nextForwardToken"]}});
    if (next["nextForwardToken"] == page["nextForwardToken"]) {
      EXPECT_TRUE(next["events"].as_array().empty());
      break;
    }
    page = next;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(std::string(page["nextForwardToken"].as_string()).substr(0, 2), "f/");
  EXPECT_EQ(std::string(page["nextBackwardToken"].as_string()).substr(0, 2), "b/");
}

TEST_F(EventHandlersTest, BackwardTokensWalkToTheStartAndRepeatThere) {
  put("g", "s", {"1", "2", "3", "4", "5"});
  std::vector<std::string> seen;
  json::object page = get(J(R"({"limit":2})"));
  for (int i = 0; i < 10; ++i) {
    std::vector<std::string> m = messages(page);
    seen.insert(seen.begin(), m.begin(), m.end());
    json::object next = get(json::object{{"limit", 2}, {"nextToken", page["nextBackwardToken"]}});
    if (next["nextBackwardToken"] == page["nextBackwardToken"]) {
      break;
    }
    page = next;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
}

TEST_F(EventHandlersTest, ForwardTokenPicksUpEventsPutLater) {
  json::object empty = get(J("{}"));
  EXPECT_TRUE(empty["events"].as_array().empty());
  put("g", "s", {"a"});
  json::object later = get(json::object{{"nextToken", empty["nextForwardToken"]}});
  EXPECT_EQ(messages(later), std::vector<std::string>{"a"});
  put("g", "s", {"b"});
  EXPECT_EQ(messages(get(json::object{{"nextToken", later["nextForwardToken"]}})),
            std::vector<std::string>{"b"});
}

TEST_F(EventHandlersTest, TimeRangeIsStartInclusiveEndExclusive) {
  int64_t t = now_ms() - 1000;
  put("g", "s", {"a", "b", "c", "d"}, t);
  EXPECT_EQ(messages(get(
                json::object{{"startTime", t + 1}, {"endTime", t + 3}, {"startFromHead", true}})),
            (std::vector<std::string>{"b", "c"}));
}

TEST_F(EventHandlersTest, EqualTimestampsKeepPutOrder) {
  int64_t t = now_ms();
  put_raw(json::array{ev(t, "first"), ev(t, "second"), ev(t, "third")});
  EXPECT_EQ(messages(get(J(R"({"startFromHead":true})"))),
            (std::vector<std::string>{"first", "second", "third"}));
}

TEST_F(EventHandlersTest, BadTokenIsInvalidParameter) {
  EXPECT_EQ(err("GetLogEvents", R"({"logGroupName":"g","logStreamName":"s","nextToken":"x"})").code,
            "InvalidParameterException");
}

}  // namespace
}  // namespace services::logs
