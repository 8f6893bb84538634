#include "services/ecs/ecs_test_support.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

class ClusterHandlersTest : public EcsHandlersTest {};

TEST_F(ClusterHandlersTest, CreateClusterReturnsEcsShape) {
  json::object c = ok("CreateCluster", R"({"clusterName":"prod",
      "tags":[{"key":"team","value":"a"}]})")["cluster"].as_object();
  EXPECT_EQ(c["clusterArn"], "arn:aws:ecs:us-east-1:123456789012:cluster/prod");
  EXPECT_EQ(c["clusterName"], "prod");
  EXPECT_EQ(c["status"], "ACTIVE");
  EXPECT_EQ(c["runningTasksCount"], 0);
  EXPECT_EQ(c["activeServicesCount"], 0);
  EXPECT_EQ(c["settings"], json::parse(R"([{"name":"containerInsights","value":"disabled"}])"));
  EXPECT_EQ(c["tags"], json::parse(R"([{"key":"team","value":"a"}])"));
  EXPECT_FALSE(c.contains("createdAt"));
}

TEST_F(ClusterHandlersTest, CreateClusterWithoutNameMakesDefault) {
  json::object c = ok("CreateCluster", "{}")["cluster"].as_object();
  EXPECT_EQ(c["clusterName"], "default");
}

TEST_F(ClusterHandlersTest, CreateClusterIsIdempotent) {
  ok("CreateCluster", R"({"clusterName":"a"})");
  ok("CreateCluster", R"({"clusterName":"a"})");
  EXPECT_EQ(ok("ListClusters", "{}")["clusterArns"].as_array().size(), 1u);
}

TEST_F(ClusterHandlersTest, InvalidNameIsInvalidParameter) {
  EXPECT_EQ(err("CreateCluster", R"({"clusterName":"bad name"})").code,
            "InvalidParameterException");
}

TEST_F(ClusterHandlersTest, DescribeUnknownClusterIsMissingFailure) {
  json::object out = ok("DescribeClusters", R"({"clusters":["nope"]})");
  EXPECT_TRUE(out["clusters"].as_array().empty());
  EXPECT_EQ(out["failures"], json::parse(R"([{"arn":
      "arn:aws:ecs:us-east-1:123456789012:cluster/nope","reason":"MISSING"}])"));
}

TEST_F(ClusterHandlersTest, DefaultClusterIsMissingBeforeFirstUse) {
  json::object out = ok("DescribeClusters", "{}");
  EXPECT_EQ(out["failures"].as_array().size(), 1u);
}

TEST_F(ClusterHandlersTest, DescribeIncludesSettingsTagsAndStatisticsOnRequest) {
  ok("CreateCluster", R"({"clusterName":"a","tags":[{"key":"k","value":"v"}],
      "settings":[{"name":"containerInsights","value":"enabled"}]})");
  json::object plain = ok("DescribeClusters", R"({"clusters":["a"]})")["clusters"]
                           .as_array()[0].as_object();
  EXPECT_FALSE(plain.contains("settings"));
  EXPECT_TRUE(plain["tags"].as_array().empty());
  json::object full = ok("DescribeClusters",
                         R"({"clusters":["a"],"include":["SETTINGS","TAGS","STATISTICS"]})")
                          ["clusters"].as_array()[0].as_object();
  EXPECT_EQ(full["settings"].as_array()[0].at("value"), "enabled");
  EXPECT_EQ(full["tags"].as_array().size(), 1u);
  EXPECT_FALSE(full["statistics"].as_array().empty());
}

TEST_F(ClusterHandlersTest, ClustersAreIsolatedByRegionAndAccount) {
  ok("CreateCluster", J(R"({"clusterName":"eu"})"), ctx("eu-west-1"));
  EXPECT_TRUE(ok("ListClusters", "{}")["clusterArns"].as_array().empty());
  EXPECT_EQ(ok("DescribeClusters", R"({"clusters":["eu"]})")["failures"].as_array().size(), 1u);
  EXPECT_TRUE(ok("ListClusters", J("{}"), ctx("eu-west-1", "999999999999"))["clusterArns"]
                  .as_array().empty());
  json::object eu = ok("ListClusters", J("{}"), ctx("eu-west-1"));
  EXPECT_EQ(eu["clusterArns"].as_array()[0], "arn:aws:ecs:eu-west-1:123456789012:cluster/eu");
}

TEST_F(ClusterHandlersTest, ListClustersPaginatesWithOpaqueToken) {
  for (int i = 0; i < 5; ++i) {
    ok("CreateCluster", J(R"({"clusterName":"c)" + std::to_string(i) + R"("})"));
  }
  json::object p1 = ok("ListClusters", R"({"maxResults":2})");
  ASSERT_EQ(p1["clusterArns"].as_array().size(), 2u);
  ASSERT_TRUE(p1.contains("nextToken"));
  std::vector<std::string> all;
  json::object page = p1;
  for (;;) {
    for (auto& a : page["clusterArns"].as_array()) all.push_back(S(a));
    if (!page.contains("nextToken")) break;
    page = ok("ListClusters", json::object{{"maxResults", 2}, {"nextToken", page["nextToken"]}});
  }
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(err("ListClusters", R"({"nextToken":"garbage!"})").code, "InvalidParameterException");
  EXPECT_EQ(err("ListClusters", R"({"maxResults":101})").code, "InvalidParameterException");
}

TEST_F(ClusterHandlersTest, DeleteClusterWithServicesFails) {
  ok("CreateCluster", R"({"clusterName":"a"})");
  register_web();
  ok("CreateService", J(std::string(R"({"cluster":"a","serviceName":"s","taskDefinition":"web",
      "launchType":"FARGATE","networkConfiguration":)") + kNetwork + "}"));
  EXPECT_EQ(err("DeleteCluster", R"({"cluster":"a"})").code, "ClusterContainsServicesException");
}

TEST_F(ClusterHandlersTest, DeleteClusterWithRunningTasksFails) {
  ok("CreateCluster", R"({"clusterName":"a"})");
  register_web();
  ok("RunTask", J(std::string(R"({"cluster":"a","taskDefinition":"web","launchType":"FARGATE",
      "networkConfiguration":)") + kNetwork + "}"));
  EXPECT_EQ(err("DeleteCluster", R"({"cluster":"a"})").code, "ClusterContainsTasksException");
}

TEST_F(ClusterHandlersTest, DeletedClusterIsInactiveAndCanBeRecreated) {
  ok("CreateCluster", R"({"clusterName":"a"})");
  json::object d = ok("DeleteCluster", R"({"cluster":"a"})")["cluster"].as_object();
  EXPECT_EQ(d["status"], "INACTIVE");
  EXPECT_EQ(ok("DescribeClusters", R"({"clusters":["a"]})")["clusters"].as_array()[0]
                .at("status"),
            "INACTIVE");
  EXPECT_TRUE(ok("ListClusters", "{}")["clusterArns"].as_array().empty());
  EXPECT_EQ(err("DeleteCluster", R"({"cluster":"a"})").code, "ClusterNotFoundException");
  EXPECT_EQ(ok("CreateCluster", R"({"clusterName":"a"})")["cluster"].at("status"), "ACTIVE");
}

TEST_F(ClusterHandlersTest, CapacityProvidersAndDefaultStrategy) {
  ok("CreateCluster", R"({"clusterName":"a"})");
  json::object c = ok("PutClusterCapacityProviders", R"({"cluster":"a",
      "capacityProviders":["FARGATE","FARGATE_SPOT"],
      "defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1}]})")
                       ["cluster"].as_object();
  EXPECT_EQ(c["capacityProviders"].as_array().size(), 2u);
  EXPECT_EQ(err("PutClusterCapacityProviders", R"({"cluster":"a","capacityProviders":[],
      "defaultCapacityProviderStrategy":[{"capacityProvider":"FARGATE","weight":1}]})").code,
            "InvalidParameterException");
  EXPECT_EQ(err("PutClusterCapacityProviders", R"({"cluster":"a","capacityProviders":["nope"],
      "defaultCapacityProviderStrategy":[]})").code,
            "InvalidParameterException");
}

TEST_F(ClusterHandlersTest, UpdateClusterSettingsMergesSettings) {
  ok("CreateCluster", R"({"clusterName":"a"})");
  json::object c = ok("UpdateClusterSettings", R"({"cluster":"a",
      "settings":[{"name":"containerInsights","value":"enhanced"}]})")["cluster"].as_object();
  EXPECT_EQ(c["settings"], json::parse(R"([{"name":"containerInsights","value":"enhanced"}])"));
  EXPECT_EQ(err("UpdateClusterSettings", R"({"cluster":"nope",
      "settings":[{"name":"containerInsights","value":"enabled"}]})").code,
            "ClusterNotFoundException");
}

}  // namespace
}  // namespace services::ecs
