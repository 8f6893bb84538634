#include "services/logs/retention_sweeper.h"

#include "services/logs/logs_test_support.h"

namespace services::logs {
namespace {

namespace json = boost::json;

// A ManualClock that runs AWS's timers `scale` times faster.
class ScaledClock final : public core::Clock {
 public:
  explicit ScaledClock(double scale) : scale_(scale) {}
  core::TimePoint now() const override { return inner_.now(); }
  double time_scale() const override { return scale_; }
  void advance(core::Duration d) { inner_.advance(d); }

 private:
  fakes::ManualClock inner_;
  double scale_;
};

class RetentionSweeperTest : public LogsHandlersTest {
 protected:
  RetentionSweeperTest() {
    logs_.set_retention_listener([this](int64_t id) { sweeper_.enqueue(id); });
    group("g");
    stream("g", "s");
  }
  size_t stored() {
    return ok("GetLogEvents",
              R"({"logGroupName":"g","logStreamName":"s","startFromHead":true})")["events"]
        .as_array()
        .size();
  }

  RetentionSweeper sweeper_{db_, clock_};
};

TEST_F(RetentionSweeperTest, ExpiredEventsGoOnceTheirRetentionHasPassed) {
  put("g", "s", {"old1", "old2"});
  clock_.advance(std::chrono::hours(12));
  put("g", "s", {"new"});
  ok("PutRetentionPolicy", R"({"logGroupName":"g","retentionInDays":1})");
  sweeper_.run_ready();
  EXPECT_EQ(stored(), 3u);

  clock_.advance(std::chrono::hours(12) + std::chrono::seconds(1));
  sweeper_.run_ready();  // resync is due (10 min have passed): every group with a policy
  EXPECT_EQ(messages(ok("GetLogEvents",
                        R"({"logGroupName":"g","logStreamName":"s","startFromHead":true})")),
            std::vector<std::string>{"new"});
  json::object g = ok("DescribeLogGroups", "{}")["logGroups"].as_array()[0].as_object();
  EXPECT_EQ(g.at("storedBytes"), 3 + 26);
  json::object s =
      ok("DescribeLogStreams", R"({"logGroupName":"g"})")["logStreams"].as_array()[0].as_object();
  EXPECT_EQ(s.at("firstEventTimestamp"), s.at("lastEventTimestamp"));
}

TEST_F(RetentionSweeperTest, GroupsWithoutPolicyKeepEverything) {
  put("g", "s", {"a"});
  clock_.advance(std::chrono::hours(24 * 4000));
  sweeper_.run_ready();
  EXPECT_EQ(stored(), 1u);
}

TEST_F(RetentionSweeperTest, NewPolicyAppliesWithoutWaitingForResync) {
  put("g", "s", {"a"});
  sweeper_.run_ready();  // first resync
  clock_.advance(std::chrono::hours(25));
  ok("PutRetentionPolicy", R"({"logGroupName":"g","retentionInDays":1})");
  EXPECT_EQ(sweeper_.run_ready(), 1u);
  EXPECT_EQ(stored(), 0u);
}

TEST_F(RetentionSweeperTest, RetentionFollowsTheTimeScale) {
  ScaledClock fast(86400);  // a day of retention lasts a second
  RetentionSweeper sweeper(db_, fast);
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group("123456789012", "us-east-1", "g");
  ASSERT_TRUE(g);
  st.set_retention(g->id, 1);
  std::optional<StreamRow> s = st.stream(g->id, "s");
  int64_t now = core::to_epoch_millis(fast.now());
  st.append(*s, std::vector<LogEvent>{{now - 1500, "old"}, {now - 500, "young"}}, now);
  tx.commit();
  EXPECT_EQ(sweeper.sweep(g->id), 1);
  EXPECT_EQ(messages(ok("GetLogEvents",
                        R"({"logGroupName":"g","logStreamName":"s","startFromHead":true})")),
            std::vector<std::string>{"young"});
}

}  // namespace
}  // namespace services::logs
