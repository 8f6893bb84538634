#include "services/cloudwatch/metric_math.h"

#include <gtest/gtest.h>

namespace services::cloudwatch {
namespace {

class MetricMathTest : public ::testing::Test {
 protected:
  MetricMathTest() {
    a_.label = "a";
    a_.points = {{0, 1}, {60'000, 2}, {180'000, 4}};
    b_.label = "b";
    b_.points = {{0, 10}, {60'000, 20}, {120'000, 30}};
    env_.start_ms = 0;
    env_.end_ms = 240'000;
    env_.resolve = [this](std::string_view id) -> MathValue {
      if (id == "a") return a_;
      if (id == "b") return b_;
      throw MathError{"Unrecognized identifier " + std::string(id) + "."};
    };
    env_.metrics = [this](std::string_view filter) {
      std::vector<Series> out;
      for (const Series& s : {a_, b_}) {
        if (s.label.find(filter) != std::string::npos) out.push_back(s);
      }
      return out;
    };
  }

  std::map<int64_t, double> series(std::string_view expr) {
    protocol::Result<MathValue> r = evaluate_expression(expr, env_);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    if (!r || !std::holds_alternative<Series>(*r)) {
      ADD_FAILURE() << expr << " is not one series";
      return {};
    }
    return std::get<Series>(*r).points;
  }
  double scalar(std::string_view expr) {
    protocol::Result<MathValue> r = evaluate_expression(expr, env_);
    EXPECT_TRUE(r && std::holds_alternative<double>(*r)) << expr;
    return r && std::holds_alternative<double>(*r) ? std::get<double>(*r) : -1;
  }

  Series a_;
  Series b_;
  MathEnv env_;
};

TEST_F(MetricMathTest, ArithmeticBetweenSeriesKeepsCommonTimestamps) {
  EXPECT_EQ(series("a + b"), (std::map<int64_t, double>{{0, 11}, {60'000, 22}}));
  EXPECT_EQ(series("100 * a / (a + b)"),
            (std::map<int64_t, double>{{0, 100.0 / 11}, {60'000, 200.0 / 22}}));
  EXPECT_EQ(series("-a ^ 2"), (std::map<int64_t, double>{{0, -1}, {60'000, -4}, {180'000, -16}}));
}

TEST_F(MetricMathTest, PrecedenceAndScalars) {
  EXPECT_DOUBLE_EQ(scalar("1 + 2 * 3"), 7);
  EXPECT_DOUBLE_EQ(scalar("(1 + 2) * 3"), 9);
  EXPECT_DOUBLE_EQ(scalar("2 ^ 3 - 1"), 7);
}

TEST_F(MetricMathTest, AggregatesOfAnArrayArePerTimestampAndOfASeriesScalar) {
  EXPECT_EQ(series("SUM(METRICS())"),
            (std::map<int64_t, double>{{0, 11}, {60'000, 22}, {120'000, 30}, {180'000, 4}}));
  EXPECT_EQ(series("MAX([a, b])"),
            (std::map<int64_t, double>{{0, 10}, {60'000, 20}, {120'000, 30}, {180'000, 4}}));
  EXPECT_DOUBLE_EQ(scalar("MAX(a)"), 4);
  EXPECT_DOUBLE_EQ(scalar("AVG(b)"), 20);
  EXPECT_EQ(series("SUM(METRICS(\"b\"))"), b_.points);
}

TEST_F(MetricMathTest, FillRateAndDiff) {
  EXPECT_EQ(series("FILL(a, 0)"),
            (std::map<int64_t, double>{{0, 1}, {60'000, 2}, {120'000, 0}, {180'000, 4}}));
  EXPECT_EQ(series("FILL(a, REPEAT)").at(120'000), 2);
  EXPECT_EQ(series("FILL(a, LINEAR)").at(120'000), 3);
  EXPECT_EQ(series("DIFF(b)"), (std::map<int64_t, double>{{60'000, 10}, {120'000, 10}}));
  EXPECT_EQ(series("RATE(b)"),
            (std::map<int64_t, double>{{60'000, 10.0 / 60}, {120'000, 10.0 / 60}}));
  EXPECT_DOUBLE_EQ(scalar("PERIOD(a)"), 60);
}

TEST_F(MetricMathTest, ErrorsNameWhatIsWrong) {
  protocol::Result<MathValue> r = evaluate_expression("a + nosuch", env_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationError");
  EXPECT_EQ(r.error().message, "Unrecognized identifier nosuch.");
  EXPECT_FALSE(evaluate_expression("a +", env_));
  EXPECT_FALSE(evaluate_expression("(a", env_));
  EXPECT_FALSE(evaluate_expression("NOSUCH(a)", env_));
}

}  // namespace
}  // namespace services::cloudwatch
