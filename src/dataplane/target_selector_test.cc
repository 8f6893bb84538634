#include "dataplane/target_selector.h"

#include <gtest/gtest.h>

#include <map>

namespace dataplane {
namespace {


SnapshotTarget target(std::string id, TargetState state) {
  SnapshotTarget t;
  t.id = std::move(id);
  t.port = 8080;
  t.state = state;
  return t;
}

SnapshotTargetGroup group(std::vector<SnapshotTarget> targets,
                                 std::string algorithm = "round_robin") {
  SnapshotTargetGroup g;
  g.arn = "arn:tg/1";
  g.algorithm = std::move(algorithm);
  g.targets = std::move(targets);
  return g;
}

std::map<std::string, int> spread(TargetSelector& s, const SnapshotTargetGroup& g, int n) {
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) {
    auto t = s.pick(g);
    if (t) counts[t->id]++;
  }
  return counts;
}

TEST(TargetSelector, RoundRobinAlternatesOverHealthyTargetsOnly) {
  TargetSelector s;
  auto g = group({target("10.0.0.1", TargetState::Healthy), target("10.0.0.2", TargetState::Unhealthy),
                  target("10.0.0.3", TargetState::Healthy)});
  auto counts = spread(s, g, 10);
  EXPECT_EQ(counts["10.0.0.1"], 5);
  EXPECT_EQ(counts["10.0.0.3"], 5);
  EXPECT_EQ(counts.count("10.0.0.2"), 0u);
}

TEST(TargetSelector, FailsOpenOverEveryTargetWhenNoneIsHealthy) {
  TargetSelector s;
  auto g = group({target("10.0.0.1", TargetState::Unhealthy), target("10.0.0.2", TargetState::Initial),
                  target("10.0.0.3", TargetState::Draining)});
  auto counts = spread(s, g, 10);
  EXPECT_EQ(counts["10.0.0.1"], 5);
  EXPECT_EQ(counts["10.0.0.2"], 5);
  EXPECT_EQ(counts.count("10.0.0.3"), 0u);
}

TEST(TargetSelector, DrainingTargetsGetNoNewRequests) {
  TargetSelector s;
  auto g = group({target("10.0.0.1", TargetState::Draining), target("10.0.0.2", TargetState::Healthy)});
  auto counts = spread(s, g, 4);
  EXPECT_EQ(counts["10.0.0.2"], 4);
}

TEST(TargetSelector, NoRegisteredOrOnlyDrainingTargetsGiveNothing) {
  TargetSelector s;
  EXPECT_FALSE(s.pick(group({})).has_value());
  EXPECT_FALSE(s.pick(group({target("10.0.0.1", TargetState::Draining)})).has_value());
}

TEST(TargetSelector, UnavailableTargetsServeWhenHealthChecksAreDisabled) {
  TargetSelector s;
  auto g = group({target("10.0.0.1", TargetState::Unavailable), target("10.0.0.2", TargetState::Initial)});
  g.health_check.enabled = false;
  auto counts = spread(s, g, 4);
  EXPECT_EQ(counts["10.0.0.1"], 4);
}

TEST(TargetSelector, LeastOutstandingRequestsPrefersTheLeastBusyTarget) {
  TargetSelector s;
  auto g = group({target("10.0.0.1", TargetState::Healthy), target("10.0.0.2", TargetState::Healthy)},
                 "least_outstanding_requests");
  TargetKey busy{g.arn, "10.0.0.1", 8080};
  s.started(busy);
  s.started(busy);
  auto counts = spread(s, g, 5);
  EXPECT_EQ(counts["10.0.0.2"], 5);
  EXPECT_EQ(s.finished(busy), 1);
  EXPECT_EQ(s.finished(busy), 0);
  EXPECT_EQ(s.outstanding(busy), 0);
  counts = spread(s, g, 4);
  EXPECT_EQ(counts["10.0.0.1"], 2);
  EXPECT_EQ(counts["10.0.0.2"], 2);
}

}  // namespace
}  // namespace dataplane
