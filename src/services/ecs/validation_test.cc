#include "services/ecs/validation.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace services::ecs {
namespace {

namespace json = boost::json;

json::object fargate_td(std::string cpu, std::string memory) {
  return json::parse(R"({"family":"f","requiresCompatibilities":["FARGATE"],
      "networkMode":"awsvpc","cpu":")" + cpu + R"(","memory":")" + memory + R"(",
      "containerDefinitions":[{"name":"c","image":"nginx"}]})").as_object();
}

// "256 (.25 vCPU): 512 MiB, 1 GB, 2 GB ... 8192 (8 vCPU): Between 16 GB and 60 GB in 4 GB
// increments ... 16384 (16 vCPU): Between 32 GB and 120 GB in 8 GB increments."
TEST(ValidationTest, FargateSizesFollowTheDocumentedTable) {
  EXPECT_TRUE(fargate_size_valid(256, 512));
  EXPECT_TRUE(fargate_size_valid(256, 2048));
  EXPECT_FALSE(fargate_size_valid(256, 3072));
  EXPECT_FALSE(fargate_size_valid(256, 4096));
  EXPECT_TRUE(fargate_size_valid(512, 1024));
  EXPECT_TRUE(fargate_size_valid(512, 4096));
  EXPECT_FALSE(fargate_size_valid(512, 512));
  EXPECT_TRUE(fargate_size_valid(1024, 2048));
  EXPECT_FALSE(fargate_size_valid(1024, 1024));
  EXPECT_TRUE(fargate_size_valid(1024, 8192));
  EXPECT_FALSE(fargate_size_valid(1024, 9216));
  EXPECT_TRUE(fargate_size_valid(2048, 16384));
  EXPECT_FALSE(fargate_size_valid(2048, 4000));
  EXPECT_TRUE(fargate_size_valid(4096, 30720));
  EXPECT_FALSE(fargate_size_valid(4096, 31744));
  EXPECT_TRUE(fargate_size_valid(8192, 16384));
  EXPECT_TRUE(fargate_size_valid(8192, 20480));
  EXPECT_FALSE(fargate_size_valid(8192, 17408));  // 1 GiB steps are not allowed at 8 vCPU
  EXPECT_TRUE(fargate_size_valid(8192, 61440));
  EXPECT_FALSE(fargate_size_valid(8192, 65536));
  EXPECT_TRUE(fargate_size_valid(16384, 32768));
  EXPECT_TRUE(fargate_size_valid(16384, 40960));
  EXPECT_FALSE(fargate_size_valid(16384, 36864));  // 8 GiB steps only
  EXPECT_TRUE(fargate_size_valid(16384, 122880));
  EXPECT_FALSE(fargate_size_valid(16384, 131072));
  EXPECT_FALSE(fargate_size_valid(3072, 8192));
}

TEST(ValidationTest, TaskSizesAcceptUnitsAndNormaliseToMiB) {
  EXPECT_EQ(parse_task_cpu("1024"), 1024);
  EXPECT_EQ(parse_task_cpu("1 vCPU"), 1024);
  EXPECT_EQ(parse_task_cpu(".25 vcpu"), 256);
  EXPECT_EQ(parse_task_memory("2 GB"), 2048);
  EXPECT_EQ(parse_task_memory("0.5GB"), 512);
  EXPECT_FALSE(parse_task_cpu("lots"));
  EXPECT_FALSE(parse_task_memory(""));

  protocol::Result<json::object> td = check_task_definition(fargate_td("1 vCPU", "2 GB"));
  ASSERT_TRUE(td);
  EXPECT_EQ(td->at("cpu"), "1024");
  EXPECT_EQ(td->at("memory"), "2048");
}

TEST(ValidationTest, RejectsFargatePairsWithEcsWording) {
  protocol::Result<json::object> td = check_task_definition(fargate_td("256", "4096"));
  ASSERT_FALSE(td);
  EXPECT_EQ(td.error().code, "ClientException");
  EXPECT_EQ(td.error().message,
            "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the "
            "Amazon ECS documentation for the valid values.");
}

TEST(ValidationTest, FargateNeedsAwsvpcAndTaskLevelSizes) {
  json::object td = fargate_td("256", "512");
  td["networkMode"] = "bridge";
  EXPECT_EQ(check_task_definition(td).error().message,
            "Fargate only supports network mode \xE2\x80\x98" "awsvpc\xE2\x80\x99.");
  td = fargate_td("256", "512");
  td.erase("cpu");
  EXPECT_EQ(check_task_definition(td).error().message,
            "Fargate requires that 'cpu' be defined at the task level.");
}

TEST(ValidationTest, AwsvpcHostPortMustEqualContainerPort) {
  json::object td = fargate_td("256", "512");
  td["containerDefinitions"].as_array()[0].as_object()["portMappings"] =
      json::parse(R"([{"containerPort":80,"hostPort":8080}])");
  protocol::Result<json::object> r = check_task_definition(td);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "When networkMode=awsvpc, the host ports and container ports in port mappings must "
            "match.");
}

TEST(ValidationTest, AwsvpcFillsHostPortAndProtocol) {
  json::object td = fargate_td("256", "512");
  td["containerDefinitions"].as_array()[0].as_object()["portMappings"] =
      json::parse(R"([{"containerPort":80}])");
  protocol::Result<json::object> r = check_task_definition(td);
  ASSERT_TRUE(r);
  const json::object& pm =
      r->at("containerDefinitions").as_array()[0].at("portMappings").as_array()[0].as_object();
  EXPECT_EQ(pm.at("hostPort"), 80);
  EXPECT_EQ(pm.at("protocol"), "tcp");
  EXPECT_EQ(r->at("compatibilities"), json::parse(R"(["EC2","FARGATE"])"));
}

TEST(ValidationTest, ContainerWithoutAnyMemoryIsRejectedWithoutTaskMemory) {
  json::object td = json::parse(R"({"family":"f",
      "containerDefinitions":[{"name":"web","image":"nginx"}]})").as_object();
  protocol::Result<json::object> r = check_task_definition(td);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "Invalid setting for container 'web'. At least one of 'memory' or "
            "'memoryReservation' must be specified.");
}

TEST(ValidationTest, AwslogsOnFargateNeedsAnExecutionRole) {
  json::object td = fargate_td("256", "512");
  td["containerDefinitions"].as_array()[0].as_object()["logConfiguration"] =
      json::parse(R"({"logDriver":"awslogs","options":{}})");
  EXPECT_EQ(check_task_definition(td).error().message,
            "Fargate requires task definition to have execution role ARN to support log driver "
            "awslogs.");
}

TEST(ValidationTest, CapacityProviderStrategyAllowsOneBase) {
  EXPECT_EQ(check_capacity_provider_strategy(json::parse(
                R"([{"capacityProvider":"FARGATE","base":1},
                    {"capacityProvider":"FARGATE_SPOT","weight":1}])").as_array()),
            "");
  EXPECT_NE(check_capacity_provider_strategy(json::parse(
                R"([{"capacityProvider":"FARGATE","base":1},
                    {"capacityProvider":"FARGATE_SPOT","base":1}])").as_array()),
            "");
  EXPECT_NE(check_capacity_provider_strategy(
                json::parse(R"([{"capacityProvider":"FARGATE","weight":1001}])").as_array()),
            "");
}

TEST(ValidationTest, NamesAreLettersDigitsHyphensUnderscores) {
  EXPECT_TRUE(valid_resource_name("my-cluster_1"));
  EXPECT_FALSE(valid_resource_name(""));
  EXPECT_FALSE(valid_resource_name("has space"));
  EXPECT_FALSE(valid_resource_name(std::string(256, 'a')));
}

}  // namespace
}  // namespace services::ecs
