#include "runtime/prune_plan.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/ids.h"

namespace runtime {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
constexpr std::uint64_t kMiB = 1 << 20;

const core::TimePoint kNow = core::TimePoint(std::chrono::seconds(1700000000));

LayerEntry layer(std::string name, std::uint64_t mib, core::Duration idle, bool in_use = false) {
  return {std::move(name), mib * kMiB, kNow - idle, in_use};
}

PruneLimits limits(std::uint64_t cache_mib) {
  PruneLimits l;
  l.layer_cache_max_bytes = cache_mib * kMiB;
  l.layer_max_idle = hours(24);
  l.layer_min_idle = minutes(10);
  return l;
}

TEST(PlanLayerPruneTest, RemovesUnusedLayersIdleLongerThanTheMaximumEvenUnderTheCap) {
  std::vector<LayerEntry> cache = {layer("old", 10, hours(25)), layer("recent", 10, hours(1)),
                                   layer("old-but-running", 10, hours(48), true)};
  EXPECT_EQ(plan_layer_prune(cache, kNow, limits(1000)), (std::vector<std::string>{"old"}));
}

TEST(PlanLayerPruneTest, OverTheCapRemovesLeastRecentlyUsedUntilItFits) {
  // 400 MiB cached, cap 250: c (idle 3 h) and then b (2 h) go, leaving a (1 h) and d (in use,
  // idle longest): 200 MiB.
  std::vector<LayerEntry> cache = {layer("a", 100, hours(1)), layer("b", 100, hours(2)),
                                   layer("c", 100, hours(3)), layer("d", 100, hours(5), true)};
  EXPECT_EQ(plan_layer_prune(cache, kNow, limits(250)), (std::vector<std::string>{"c", "b"}));
}

TEST(PlanLayerPruneTest, NeverRemovesALayerInUseOrJustUsedEvenOverTheCap) {
  std::vector<LayerEntry> cache = {layer("running", 500, hours(30), true),
                                   layer("just-pulled", 500, minutes(9))};
  EXPECT_TRUE(plan_layer_prune(cache, kNow, limits(100)).empty());
}

TEST(PlanLayerPruneTest, NothingToDoUnderTheCapWithRecentLayers) {
  std::vector<LayerEntry> cache = {layer("a", 100, hours(1)), layer("b", 100, hours(23))};
  EXPECT_TRUE(plan_layer_prune(cache, kNow, limits(200)).empty());
}

BundleEntry bundle(std::string id, std::uint64_t mib, core::Duration ago) {
  return {std::move(id), mib * kMiB, kNow - ago};
}

TEST(PlanBundlePruneTest, AZeroTtlRemovesEveryStoppedBundle) {
  PruneLimits l;
  l.stopped_bundle_ttl = std::chrono::seconds(0);
  EXPECT_EQ(plan_bundle_prune({bundle("a", 1, std::chrono::seconds(0)), bundle("b", 1, hours(1))},
                              kNow, l),
            (std::vector<std::string>{"b", "a"}));
}

TEST(PlanBundlePruneTest, KeepsBundlesForTheTtlWithinTheSizeCap) {
  // ttl 1 h, cap 150 MiB: "expired" (exited 2 h ago) goes; of the 200 MiB left, the oldest
  // ("older", 50 min) goes too, leaving "newer" (100 MiB).
  PruneLimits l;
  l.stopped_bundle_ttl = hours(1);
  l.stopped_bundle_max_bytes = 150 * kMiB;
  std::vector<BundleEntry> stopped = {bundle("newer", 100, minutes(5)),
                                      bundle("older", 100, minutes(50)),
                                      bundle("expired", 10, hours(2))};
  EXPECT_EQ(plan_bundle_prune(stopped, kNow, l), (std::vector<std::string>{"expired", "older"}));
}

TEST(DirectoryBytesTest, CountsFilesButNotTheSkippedDirectory) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("gantry-du-" + core::ids::random_hex(8));
  std::filesystem::create_directories(dir / "sub");
  std::filesystem::create_directories(dir / "rootfs");
  std::ofstream(dir / "sub" / "a") << std::string(100000, 'x');
  std::ofstream(dir / "rootfs" / "b") << std::string(1000000, 'x');
  std::uint64_t without = directory_bytes(dir, "rootfs");
  std::uint64_t with = directory_bytes(dir);
  EXPECT_GE(without, 100000u);
  EXPECT_LT(without, 1000000u);
  EXPECT_GE(with, 1100000u);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(directory_bytes(dir), 0u);
}

}  // namespace
}  // namespace runtime
