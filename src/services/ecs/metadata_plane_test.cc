#include "services/ecs/metadata_plane.h"

#include "services/ecs/ecs_test_support.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

class MetadataPlaneTest : public EcsHandlersTest {
 protected:
  void SetUp() override {
    ok("CreateCluster", R"({"clusterName":"c"})");
    register_web();
    json::array tasks = ok("RunTask", J(R"({"cluster":"c","taskDefinition":"web",
        "launchType":"FARGATE","networkConfiguration":)" + std::string(kNetwork) + "}"))["tasks"]
                            .as_array();
    task_arn_ = std::string(tasks[0].as_object()["taskArn"].as_string());
  }

  http::Response get(const std::string& target, std::string listener = "") {
    http::Request req;
    req.method = "GET";
    req.target = target;
    req.listener = listener.empty() ? "vpc/123456789012/us-east-1/vpc-1" : listener;
    req.local_port = 80;
    http::Response res;
    EXPECT_TRUE(plane_.owns(req));
    plane_.handle(req, res);
    return res;
  }
  json::object get_json(const std::string& target) {
    http::Response res = get(target);
    EXPECT_EQ(res.status, 200) << res.body;
    return json::parse(res.body).as_object();
  }

  std::string task_arn_;
  int stats_calls_ = 0;
  MetadataPlane plane_{
      db_, MetadataSources{
               .subnet = [](const std::string&, const std::string&,
                            const std::string& id) -> std::optional<SubnetFacts> {
                 if (id != "subnet-1") return std::nullopt;
                 return SubnetFacts{"10.0.1.0/24", "10.0.1.1"};
               },
               .stats = [this](const std::string&, const std::string&)
                   -> std::optional<ContainerStats> {
                 ++stats_calls_;
                 ContainerStats s;
                 s.cgroup.cpu = runtime::CgroupCpuStats{.usage_ns = 1000u * stats_calls_};
                 s.cgroup.memory = runtime::CgroupMemoryStats{.usage = 4096,
                                                              .limit = 512u << 20};
                 return s;
               }}};
};

TEST_F(MetadataPlaneTest, OwnsOnlyVpcListenersOnPort80) {
  http::Request req;
  req.listener = "";
  req.local_port = 80;
  EXPECT_FALSE(plane_.owns(req));
  req.listener = "vpc/1/us-east-1/vpc-1";
  EXPECT_TRUE(plane_.owns(req));
  req.local_port = 4566;
  EXPECT_FALSE(plane_.owns(req));
}

TEST_F(MetadataPlaneTest, ContainerDocumentNamesTheTaskAndItsLabels) {
  json::object doc = get_json("/v4/" + metadata_token(task_arn_, "app"));
  EXPECT_EQ(doc["Name"], "app");
  EXPECT_EQ(doc["Image"], "nginx");
  EXPECT_EQ(doc["Type"], "NORMAL");
  json::object& labels = doc["Labels"].as_object();
  EXPECT_EQ(labels["com.amazonaws.ecs.task-arn"], task_arn_.c_str());
  EXPECT_EQ(labels["com.amazonaws.ecs.task-definition-family"], "web");
  EXPECT_EQ(labels["com.amazonaws.ecs.task-definition-version"], "1");
  EXPECT_EQ(doc["DesiredStatus"], "RUNNING");
}

TEST_F(MetadataPlaneTest, TaskDocumentListsContainersAndFargateLimits) {
  json::object doc = get_json("/v4/" + metadata_token(task_arn_, "app") + "/task");
  EXPECT_EQ(doc["TaskARN"], task_arn_.c_str());
  EXPECT_EQ(doc["Family"], "web");
  EXPECT_EQ(doc["Revision"], "1");
  EXPECT_EQ(doc["LaunchType"], "FARGATE");
  EXPECT_DOUBLE_EQ(doc["Limits"].as_object()["CPU"].to_number<double>(), 0.25);
  EXPECT_EQ(doc["Limits"].as_object()["Memory"].to_number<int64_t>(), 512);
  ASSERT_EQ(doc["Containers"].as_array().size(), 1u);
}

TEST_F(MetadataPlaneTest, StatsCarryThePreviousReadingAsPrecpu) {
  std::string base = "/v4/" + metadata_token(task_arn_, "app") + "/stats";
  json::object first = get_json(base);
  json::object second = get_json(base);
  EXPECT_EQ(first["memory_stats"].as_object()["usage"].to_number<int64_t>(), 4096);
  auto total = [](json::object& d, const char* k) {
    return d[k].as_object()["cpu_usage"].as_object()["total_usage"].to_number<int64_t>();
  };
  EXPECT_EQ(total(second, "cpu_stats"), 2000);
  EXPECT_EQ(total(second, "precpu_stats"), 1000);
}

TEST_F(MetadataPlaneTest, UnknownTokensAndOtherAccountsGet404) {
  EXPECT_EQ(get("/v4/nonsense").status, 404);
  EXPECT_EQ(get("/v4/" + std::string(32, 'a') + "-app").status, 404);
  EXPECT_EQ(get("/v4/" + metadata_token(task_arn_, "nope")).status, 404);
  EXPECT_EQ(get("/v4/" + metadata_token(task_arn_, "app"), "vpc/999999999999/us-east-1/vpc-9")
                .status,
            404);
}

TEST(MetadataTokenTest, RoundTripsContainerNamesWithDashes) {
  std::string arn = "arn:aws:ecs:us-east-1:1:task/c/" + std::string(32, 'f');
  auto parsed = parse_metadata_token(metadata_token(arn, "my-app-1"));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, std::string(32, 'f'));
  EXPECT_EQ(parsed->second, "my-app-1");
}

}  // namespace
}  // namespace services::ecs
