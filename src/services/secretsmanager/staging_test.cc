#include "services/secretsmanager/staging.h"

#include <gtest/gtest.h>

namespace services::secretsmanager {
namespace {

using V = std::vector<std::string>;

std::vector<VersionRow> versions(std::initializer_list<std::pair<const char*, V>> spec) {
  std::vector<VersionRow> out;
  for (const auto& [id, stages] : spec) {
    VersionRow v;
    v.version_id = id;
    v.stages = stages;
    out.push_back(v);
  }
  return out;
}

// "If you specify a staging label that's already associated with a different version of the same
// secret, then Secrets Manager removes the label from the other version and attaches it to this
// version."
TEST(StagingTest, AttachingTakesEachLabelFromItsHolder) {
  auto vs = versions({{"a", {"AWSPREVIOUS"}}, {"b", {"AWSCURRENT", "BLUE"}}, {"c", {}}});
  attach_stages(vs, 2, {"AWSCURRENT", "BLUE"});
  EXPECT_EQ(vs[0].stages, V{});  // AWSPREVIOUS moved to b, where AWSCURRENT left
  EXPECT_EQ(vs[1].stages, V{"AWSPREVIOUS"});
  EXPECT_EQ(vs[2].stages, (V{"AWSCURRENT", "BLUE"}));
}

TEST(StagingTest, MovingALabelElsewhereNeedsItsCurrentVersion) {
  auto vs = versions({{"a", {"AWSCURRENT"}}, {"b", {}}});
  EXPECT_EQ(move_stage(vs, "AWSCURRENT", "", "b").error().code, "InvalidParameterException");
  EXPECT_EQ(move_stage(vs, "AWSCURRENT", "b", "b").error().code, "InvalidParameterException");
  EXPECT_EQ(move_stage(vs, "AWSCURRENT", "a", "").error().code, "InvalidParameterException");
  EXPECT_EQ(move_stage(vs, "AWSCURRENT", "a", "zz").error().code, "ResourceNotFoundException");
  ASSERT_TRUE(move_stage(vs, "AWSCURRENT", "a", "b"));
  EXPECT_EQ(vs[0].stages, V{"AWSPREVIOUS"});
  EXPECT_EQ(vs[1].stages, V{"AWSCURRENT"});
  ASSERT_TRUE(move_stage(vs, "AWSCURRENT", "", "b"));  // already there: nothing to do
  ASSERT_TRUE(move_stage(vs, "AWSPREVIOUS", "a", ""));
  EXPECT_EQ(vs[0].stages, V{});
}

TEST(StagingTest, OnlyOldDeprecatedVersionsPastTheHundredArePruned) {
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  std::vector<VersionRow> vs;
  for (int i = 0; i < 103; ++i) {
    VersionRow v;
    v.version_id = std::to_string(i);
    v.created_at_ms = i < 2 ? 0 : 2 * kDay;
    if (i == 0) v.stages = {"KEEP"};
    vs.push_back(v);
  }
  // Only version 1 is both deprecated and older than a day: 102 are left.
  std::vector<VersionRow> gone = versions_to_prune(vs, 2 * kDay);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].version_id, "1");
  EXPECT_TRUE(versions_to_prune(vs, 4 * kDay).size() == 3u);
}

}  // namespace
}  // namespace services::secretsmanager
