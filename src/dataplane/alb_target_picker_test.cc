#include "dataplane/alb_target_picker.h"

#include <gtest/gtest.h>

#include <map>

#include "dataplane/alb_stickiness.h"
#include "testing/manual_clock.h"

namespace dataplane {
namespace {

using namespace std::chrono_literals;
using State = TargetState;

SnapshotTarget target(std::string id, State state = State::Healthy) {
  SnapshotTarget t;
  t.id = std::move(id);
  t.port = 80;
  t.state = state;
  return t;
}

AlbSnapshot snapshot(std::vector<SnapshotTarget> targets, int slow_start = 0) {
  AlbSnapshot s;
  SnapshotTargetGroup g;
  g.arn = "arn:tg/web";
  g.slow_start_seconds = slow_start;
  g.targets = std::move(targets);
  s.target_groups[g.arn] = g;
  return s;
}

class AlbTargetPickerTest : public ::testing::Test {
 protected:
  const SnapshotTargetGroup& group(const AlbSnapshot& s) {
    return s.target_groups.begin()->second;
  }
  std::map<std::string, int> spread(const AlbSnapshot& s, int picks) {
    std::map<std::string, int> seen;
    for (int i = 0; i < picks; ++i) {
      AlbTargetPicker::Cookies cookies;
      auto t = picker_.pick_target(group(s), "", clock_.now(), cookies);
      if (t) seen[t->id]++;
    }
    return seen;
  }
  fakes::ManualClock clock_;
  AlbTargetPicker picker_{clock_};
};

// "The load balancer linearly increases the number of requests that it sends to the target in
// slow start mode" — at a quarter of the duration it weighs a quarter of a peer.
TEST_F(AlbTargetPickerTest, ATargetInSlowStartGetsALinearlyRisingWeight) {
  picker_.observe(snapshot({target("a"), target("b", State::Initial)}, 100), clock_.now());
  auto s = snapshot({target("a"), target("b")}, 100);
  picker_.observe(s, clock_.now());
  clock_.advance(25s);
  auto seen = spread(s, 4000);
  // Weights 1 and 0.25: b gets 0.25 / 1.25 of the picks, about 800 (round robin would give 2000).
  EXPECT_GT(seen["b"], 650);
  EXPECT_LT(seen["b"], 950);
  clock_.advance(25s);
  seen = spread(s, 4000);
  EXPECT_GT(seen["b"], 1180);  // weight 0.5: 1333
  EXPECT_LT(seen["b"], 1490);
  clock_.advance(100s);
  seen = spread(s, 4000);
  EXPECT_EQ(seen["b"], 2000);  // out of slow start: plain round robin
}

TEST_F(AlbTargetPickerTest, AnLbCookieNamesTheTargetUntilItExpires) {
  auto s = snapshot({target("a"), target("b")});
  auto& g = s.target_groups.begin()->second;
  g.stickiness_enabled = true;
  g.stickiness_duration_seconds = 60;
  picker_.observe(s, clock_.now());
  AlbTargetPicker::Cookies first;
  auto t = picker_.pick_target(g, "", clock_.now(), first);
  ASSERT_TRUE(t);
  ASSERT_EQ(first.always.size(), 2u);  // AWSALB and AWSALBCORS
  std::string value = first.always[0].substr(7, first.always[0].find(';') - 7);
  std::string cookie = "other=1; AWSALB=" + value;
  for (int i = 0; i < 5; ++i) {
    AlbTargetPicker::Cookies again;
    EXPECT_EQ(picker_.pick_target(g, cookie, clock_.now(), again)->id, t->id);
  }
  clock_.advance(61s);
  std::map<std::string, int> seen;
  for (int i = 0; i < 4; ++i) {
    AlbTargetPicker::Cookies later;
    seen[picker_.pick_target(g, cookie, clock_.now(), later)->id]++;
  }
  EXPECT_EQ(seen.size(), 2u);  // expired: round robin again
}

TEST_F(AlbTargetPickerTest, AGroupCookieIgnoresAGroupWhoseWeightDroppedToZero) {
  AlbSnapshot s = snapshot({target("a")});
  SnapshotTargetGroup blue;
  blue.arn = "arn:tg/blue";
  blue.targets = {target("b")};
  s.target_groups[blue.arn] = blue;
  ForwardAction forward;
  forward.target_groups = {{"arn:tg/web", 0}, {"arn:tg/blue", 1}};
  forward.stickiness_enabled = true;
  forward.stickiness_duration_seconds = 60;
  std::string cookie =
      "AWSALBTG=" + encode_group_cookie("arn:tg/web", clock_.now() + std::chrono::seconds(60));
  AlbTargetPicker::Cookies out;
  const auto* g = picker_.pick_group(s, forward, cookie, clock_.now(), out);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->arn, "arn:tg/blue");
  ASSERT_EQ(out.always.size(), 2u);
  EXPECT_EQ(out.always[1].rfind("AWSALBTGCORS=", 0), 0u);
}

}  // namespace
}  // namespace dataplane
