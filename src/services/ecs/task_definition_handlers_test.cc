#include "services/ecs/ecs_test_support.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

class TaskDefinitionHandlersTest : public EcsHandlersTest {};

TEST_F(TaskDefinitionHandlersTest, RevisionsCountUpPerFamily) {
  EXPECT_EQ(register_web(), "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
  EXPECT_EQ(register_web(), "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2");
  EXPECT_EQ(register_web("api"), "arn:aws:ecs:us-east-1:123456789012:task-definition/api:1");
}

TEST_F(TaskDefinitionHandlersTest, EchoesEveryFieldSent) {
  json::object in = J(R"({"family":"full","taskRoleArn":"arn:aws:iam::123456789012:role/t",
      "executionRoleArn":"arn:aws:iam::123456789012:role/e","networkMode":"awsvpc",
      "requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024",
      "runtimePlatform":{"cpuArchitecture":"X86_64","operatingSystemFamily":"LINUX"},
      "ephemeralStorage":{"sizeInGiB":30},
      "volumes":[{"name":"data"}],
      "containerDefinitions":[{"name":"app","image":"nginx","essential":true,
        "environment":[{"name":"A","value":"1"}],"command":["run"],
        "healthCheck":{"command":["CMD","true"],"interval":30},
        "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"g"}}}]})");
  json::object td = ok("RegisterTaskDefinition", in)["taskDefinition"].as_object();
  EXPECT_EQ(td["runtimePlatform"], in["runtimePlatform"]);
  EXPECT_EQ(td["ephemeralStorage"], in["ephemeralStorage"]);
  EXPECT_EQ(td["volumes"], in["volumes"]);
  EXPECT_EQ(td["status"], "ACTIVE");
  EXPECT_EQ(td["revision"], 1);
  EXPECT_EQ(td["registeredAt"], 1700000000.0);
  const json::object& c = td["containerDefinitions"].as_array()[0].as_object();
  EXPECT_EQ(c.at("healthCheck"), in["containerDefinitions"].as_array()[0].at("healthCheck"));
  EXPECT_EQ(c.at("command"), json::parse(R"(["run"])"));
  json::object described =
      ok("DescribeTaskDefinition", R"({"taskDefinition":"full:1"})")["taskDefinition"]
          .as_object();
  EXPECT_EQ(described, td);
}

TEST_F(TaskDefinitionHandlersTest, DescribeByFamilyArnAndRevision) {
  register_web();
  std::string arn2 = register_web();
  EXPECT_EQ(ok("DescribeTaskDefinition", R"({"taskDefinition":"web"})")["taskDefinition"]
                .at("revision"), 2);
  EXPECT_EQ(ok("DescribeTaskDefinition", R"({"taskDefinition":"web:1"})")["taskDefinition"]
                .at("revision"), 1);
  EXPECT_EQ(ok("DescribeTaskDefinition", json::object{{"taskDefinition", arn2}})
                ["taskDefinition"].at("revision"), 2);
  protocol::AwsError e = err("DescribeTaskDefinition", R"({"taskDefinition":"nope"})");
  EXPECT_EQ(e.code, "ClientException");
  EXPECT_EQ(e.message, "Unable to describe task definition.");
}

TEST_F(TaskDefinitionHandlersTest, DescribeIncludesTagsOnRequest) {
  ok("RegisterTaskDefinition", R"({"family":"t","containerDefinitions":[{"name":"c",
      "image":"i","memory":128}],"tags":[{"key":"a","value":"b"}]})");
  EXPECT_FALSE(ok("DescribeTaskDefinition", R"({"taskDefinition":"t"})").contains("tags"));
  EXPECT_EQ(ok("DescribeTaskDefinition", R"({"taskDefinition":"t","include":["TAGS"]})")
                ["tags"].as_array().size(), 1u);
}

TEST_F(TaskDefinitionHandlersTest, ListSortsByFamilyThenRevisionAndPaginates) {
  register_web("b");
  register_web("a");
  register_web("b");
  register_web("a");
  json::object asc = ok("ListTaskDefinitions", "{}");
  std::vector<std::string> names;
  for (auto& a : asc["taskDefinitionArns"].as_array()) {
    names.push_back(S(a).substr(S(a).rfind('/') + 1));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a:1", "a:2", "b:1", "b:2"}));
  json::object desc = ok("ListTaskDefinitions", R"({"sort":"DESC","maxResults":3})");
  EXPECT_EQ(desc["taskDefinitionArns"].as_array().size(), 3u);
  json::object rest = ok("ListTaskDefinitions", json::object{
      {"sort", "DESC"}, {"maxResults", 3}, {"nextToken", desc["nextToken"]}});
  ASSERT_EQ(rest["taskDefinitionArns"].as_array().size(), 1u);
  EXPECT_TRUE(S(rest["taskDefinitionArns"].as_array()[0]).ends_with("a:1"));
  EXPECT_EQ(ok("ListTaskDefinitions", R"({"familyPrefix":"a"})")["taskDefinitionArns"]
                .as_array().size(), 2u);
}

TEST_F(TaskDefinitionHandlersTest, DeregisterThenDelete) {
  register_web();
  EXPECT_EQ(err("DeregisterTaskDefinition", R"({"taskDefinition":"web"})").code,
            "ClientException");
  json::object del = ok("DeleteTaskDefinitions", R"({"taskDefinitions":["web:1"]})");
  EXPECT_EQ(del["failures"].as_array().size(), 1u);  // still ACTIVE
  json::object td = ok("DeregisterTaskDefinition", R"({"taskDefinition":"web:1"})")
                        ["taskDefinition"].as_object();
  EXPECT_EQ(td["status"], "INACTIVE");
  EXPECT_TRUE(td.contains("deregisteredAt"));
  EXPECT_TRUE(ok("ListTaskDefinitions", "{}")["taskDefinitionArns"].as_array().empty());
  EXPECT_EQ(ok("ListTaskDefinitions", R"({"status":"INACTIVE"})")["taskDefinitionArns"]
                .as_array().size(), 1u);
  EXPECT_EQ(ok("ListTaskDefinitionFamilies", R"({"status":"INACTIVE"})")["families"],
            json::parse(R"(["web"])"));
  del = ok("DeleteTaskDefinitions", R"({"taskDefinitions":["web:1"]})");
  EXPECT_EQ(del["taskDefinitions"].as_array()[0].at("status"), "DELETE_IN_PROGRESS");
  // Revisions are never reused.
  EXPECT_TRUE(register_web().ends_with("web:2"));
}

TEST_F(TaskDefinitionHandlersTest, FamiliesListedByStatus) {
  register_web("a");
  register_web("b");
  ok("DeregisterTaskDefinition", R"({"taskDefinition":"b:1"})");
  EXPECT_EQ(ok("ListTaskDefinitionFamilies", "{}")["families"], json::parse(R"(["a","b"])"));
  EXPECT_EQ(ok("ListTaskDefinitionFamilies", R"({"status":"ACTIVE"})")["families"],
            json::parse(R"(["a"])"));
}

}  // namespace
}  // namespace services::ecs
