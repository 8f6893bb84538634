#include "services/cloudformation/engine/diff.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace services::cloudformation::engine {
namespace {

ResolvedResource res(const char* type, const char* props) {
  return {type, boost::json::parse(props)};
}

TEST(DiffTest, FindsAddedRemovedAndChangedPropertiesPerLogicalId) {
  ResolvedResources before = {
      {"Cluster", res("AWS::ECS::Cluster", R"({"ClusterName": "c"})")},
      {"Task",
       res("AWS::ECS::TaskDefinition", R"({"Cpu": "256", "Family": "web", "Memory": "512"})")},
      {"Old", res("AWS::Logs::LogGroup", "null")},
      {"Swap", res("AWS::SNS::Topic", "{}")},
  };
  ResolvedResources after = {
      {"Cluster", res("AWS::ECS::Cluster", R"({"ClusterName": "c"})")},
      {"Task", res("AWS::ECS::TaskDefinition", R"({"Cpu": "512", "Family": "web", "Tags": []})")},
      {"New", res("AWS::Logs::LogGroup", "{}")},
      {"Swap", res("AWS::SQS::Queue", "{}")},
  };
  std::vector<ResourceChange> changes = diff_resources(before, after);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].logical_id, "New");
  EXPECT_EQ(changes[0].action, ChangeAction::Add);
  EXPECT_EQ(changes[1].logical_id, "Old");
  EXPECT_EQ(changes[1].action, ChangeAction::Remove);
  EXPECT_EQ(changes[1].type, "AWS::Logs::LogGroup");
  EXPECT_EQ(changes[2].logical_id, "Swap");
  EXPECT_TRUE(changes[2].type_changed);
  EXPECT_EQ(changes[3].logical_id, "Task");
  EXPECT_EQ(changes[3].action, ChangeAction::Modify);
  EXPECT_EQ(changes[3].changed_properties, (std::vector<std::string>{"Cpu", "Memory", "Tags"}));
  EXPECT_TRUE(diff_resources(after, after).empty());
}

}  // namespace
}  // namespace services::cloudformation::engine
