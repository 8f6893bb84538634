// The alarm decision as a table: evaluation range (oldest first) -> new state and reason.

#include "services/cloudwatch/alarm_evaluation.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace services::cloudwatch {
namespace {

// 2026-12-07 10:00:00 UTC.
constexpr int64_t kT0 = 1796637600000;

// "0" not breaching (10), "X" breaching (85), "-" missing; one per minute from kT0.
std::vector<EvalPoint> points(const std::string& pattern) {
  std::vector<EvalPoint> out;
  int64_t t = kT0;
  for (char c : pattern) {
    if (c == ' ') continue;
    EvalPoint p{t, std::nullopt, 1};
    if (c == '0') p.value = 10.0;
    if (c == 'X') p.value = 85.0;
    out.push_back(p);
    t += 60'000;
  }
  return out;
}

AlarmRule rule(int n, int m, std::string missing = "missing") {
  AlarmRule r;
  r.comparison = "GreaterThanThreshold";
  r.threshold = 70;
  r.evaluation_periods = n;
  r.datapoints_to_alarm = m;
  r.treat_missing = std::move(missing);
  r.statistic = "Average";
  return r;
}

// The state after evaluating, "" when it is kept.
std::string next_state(const AlarmRule& r, const std::string& pattern,
                       const std::string& current = "OK") {
  std::vector<EvalPoint> p = points(pattern);
  std::optional<Evaluation> e = evaluate_alarm(r, p, current, kT0 + 10 * 60'000);
  return e ? e->state : "";
}

struct Row {
  const char* pattern;
  const char* missing;
  const char* breaching;
  const char* ignore;
  const char* not_breaching;
};

// "Configuring how CloudWatch alarms treat missing data": the documented table for 3 of 3 over
// an evaluation range of 5, from state INSUFFICIENT_DATA ("" = state kept).
TEST(AlarmEvaluationTest, FollowsTheMissingDataTableForThreeOutOfThree) {
  const Row rows[] = {
      {"0 - X - X", "OK", "OK", "OK", "OK"}, {"0 0 X 0 X", "OK", "OK", "OK", "OK"},
      {"- - - - -", "", "ALARM", "", "OK"},  {"0 X X - X", "ALARM", "ALARM", "ALARM", "ALARM"},
      {"- - X - -", "", "ALARM", "", "OK"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.pattern);
    EXPECT_EQ(next_state(rule(3, 3, "missing"), row.pattern, "INSUFFICIENT_DATA"), row.missing);
    EXPECT_EQ(next_state(rule(3, 3, "breaching"), row.pattern, "INSUFFICIENT_DATA"), row.breaching);
    EXPECT_EQ(next_state(rule(3, 3, "ignore"), row.pattern, "INSUFFICIENT_DATA"), row.ignore);
    EXPECT_EQ(next_state(rule(3, 3, "notBreaching"), row.pattern, "INSUFFICIENT_DATA"),
              row.not_breaching);
  }
}

TEST(AlarmEvaluationTest, AllMissingGoesToInsufficientDataOnlyWithMissing) {
  EXPECT_EQ(next_state(rule(3, 3, "missing"), "- - - - -", "ALARM"), "INSUFFICIENT_DATA");
  EXPECT_EQ(next_state(rule(3, 3, "ignore"), "- - - - -", "ALARM"), "");
}

TEST(AlarmEvaluationTest, MOutOfNAlarmsOnEnoughBreachingDatapoints) {
  EXPECT_EQ(next_state(rule(3, 2), "0 0 X 0 X"), "ALARM");
  EXPECT_EQ(next_state(rule(3, 2), "0 0 X 0 0"), "");
  EXPECT_EQ(next_state(rule(3, 2), "X X 0 0 X"), "");  // only the 3 most recent count
  EXPECT_EQ(next_state(rule(3, 2), "X X 0 0 X", "ALARM"), "OK");
}

TEST(AlarmEvaluationTest, UnchangedStateIsNoDecision) {
  EXPECT_EQ(next_state(rule(1, 1), "0 0 X", "ALARM"), "");
  EXPECT_EQ(next_state(rule(1, 1), "0 0 0", "OK"), "");
}

TEST(AlarmEvaluationTest, ComparisonOperatorsIncludeOrExcludeTheThreshold) {
  AlarmRule r = rule(1, 1);
  r.threshold = 85;
  EXPECT_EQ(next_state(r, "X", "OK"), "");  // 85 > 85 is false
  r.comparison = "GreaterThanOrEqualToThreshold";
  EXPECT_EQ(next_state(r, "X", "OK"), "ALARM");
  r.comparison = "LessThanThreshold";
  EXPECT_EQ(next_state(r, "0", "OK"), "ALARM");
  r.comparison = "LessThanOrEqualToThreshold";
  r.threshold = 10;
  EXPECT_EQ(next_state(r, "0", "OK"), "ALARM");
}

TEST(AlarmEvaluationTest, ReasonListsBreachingDatapointsNewestFirst) {
  std::vector<EvalPoint> p = points("- - X X X");
  p[2].value = 85.0;
  p[3].value = 90.5;
  p[4].value = 95.0;
  std::optional<Evaluation> e = evaluate_alarm(rule(3, 3), p, "OK", kT0 + 5 * 60'000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->state, "ALARM");
  EXPECT_EQ(e->reason,
            "Threshold Crossed: 3 out of the last 3 datapoints [95.0 (07/12/26 10:04:00), 90.5 "
            "(07/12/26 10:03:00), 85.0 (07/12/26 10:02:00)] were greater than the threshold "
            "(70.0) (minimum 3 datapoints for OK -> ALARM transition).");
  EXPECT_EQ(e->reason_data.at("startDate"), "2026-12-07T10:02:00.000+0000");
  EXPECT_EQ(e->reason_data.at("queryDate"), "2026-12-07T10:05:00.000+0000");
  EXPECT_EQ(e->reason_data.at("statistic"), "Average");
  EXPECT_EQ(e->reason_data.at("recentDatapoints"), (boost::json::array{95.0, 90.5, 85.0}));
}

TEST(AlarmEvaluationTest, ReasonForOneDatapointAndForOk) {
  std::optional<Evaluation> e =
      evaluate_alarm(rule(1, 1), points("X"), "INSUFFICIENT_DATA", kT0 + 60'000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason,
            "Threshold Crossed: 1 datapoint [85.0 (07/12/26 10:00:00)] was greater than the "
            "threshold (70.0).");
  e = evaluate_alarm(rule(3, 3), points("X X 0"), "ALARM", kT0 + 3 * 60'000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason,
            "Threshold Crossed: 1 out of the last 3 datapoints [10.0 (07/12/26 10:02:00)] was "
            "not greater than the threshold (70.0) (minimum 1 datapoint for ALARM -> OK "
            "transition).");
}

TEST(AlarmEvaluationTest, ReasonForMissingData) {
  std::optional<Evaluation> e = evaluate_alarm(rule(2, 2, "missing"), points("- - - -"), "OK", kT0);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, "Insufficient Data: 2 datapoints were unknown.");
  e = evaluate_alarm(rule(1, 1, "breaching"), points("- - -"), "OK", kT0);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason,
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint "
            "was treated as [Breaching].");
}

TEST(AlarmEvaluationTest, FormatsValuesAsCloudWatchDoes) {
  EXPECT_EQ(format_value(85), "85.0");
  EXPECT_EQ(format_value(0.5), "0.5");
  EXPECT_EQ(format_value(-3), "-3.0");
  EXPECT_EQ(format_value(1e-5), "1.0E-5");
  EXPECT_EQ(format_value(12345678), "1.2345678E7");
}

}  // namespace
}  // namespace services::cloudwatch
