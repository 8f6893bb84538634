#include "services/ecs/ecs_store.h"
#include "services/ecs/ecs_test_support.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

class ServiceHandlersTest : public EcsHandlersTest {
 protected:
  void SetUp() override {
    ok("CreateCluster", R"({"clusterName":"c"})");
    register_web();
  }
  json::object create(std::string extra = "", std::string name = "s") {
    return ok("CreateService", J(R"({"cluster":"c","serviceName":")" + name +
                                 R"(","taskDefinition":"web","desiredCount":2,
        "launchType":"FARGATE","networkConfiguration":)" + kNetwork + extra + "}"))["service"]
        .as_object();
  }
};

TEST_F(ServiceHandlersTest, CreateServiceHasEcsDefaultsAndOnePrimaryDeployment) {
  json::object s = create();
  EXPECT_EQ(s["serviceArn"], "arn:aws:ecs:us-east-1:123456789012:service/c/s");
  EXPECT_EQ(s["clusterArn"], "arn:aws:ecs:us-east-1:123456789012:cluster/c");
  EXPECT_EQ(s["status"], "ACTIVE");
  EXPECT_EQ(s["desiredCount"], 2);
  EXPECT_EQ(s["schedulingStrategy"], "REPLICA");
  EXPECT_EQ(s["platformVersion"], "LATEST");
  EXPECT_EQ(s["deploymentConfiguration"], json::parse(R"({"deploymentCircuitBreaker":
      {"enable":false,"rollback":false},"maximumPercent":200,"minimumHealthyPercent":100})"));
  EXPECT_EQ(s["deploymentController"], json::parse(R"({"type":"ECS"})"));
  EXPECT_EQ(s["propagateTags"], "NONE");
  EXPECT_TRUE(s["events"].as_array().empty());
  EXPECT_FALSE(s.contains("_history"));
  EXPECT_EQ(s["networkConfiguration"].at("awsvpcConfiguration").at("assignPublicIp"),
            "DISABLED");
  ASSERT_EQ(s["deployments"].as_array().size(), 1u);
  const json::object& d = s["deployments"].as_array()[0].as_object();
  EXPECT_EQ(d.at("status"), "PRIMARY");
  std::string id = S(d.at("id"));
  EXPECT_TRUE(id.starts_with("ecs-svc/"));
  EXPECT_EQ(id.size(), 8u + 19u);
  EXPECT_EQ(d.at("platformVersion"), "1.4.0");
  EXPECT_EQ(d.at("platformFamily"), "Linux");
  EXPECT_EQ(d.at("rolloutState"), "IN_PROGRESS");
  EXPECT_EQ(S(d.at("rolloutStateReason")), "ECS deployment " + id + " in progress.");
  EXPECT_EQ(d.at("desiredCount"), 2);
  EXPECT_EQ(d.at("taskDefinition"), "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
}

TEST_F(ServiceHandlersTest, AwsvpcRequiresNetworkConfiguration) {
  protocol::AwsError e = err("CreateService", R"({"cluster":"c","serviceName":"s",
      "taskDefinition":"web","launchType":"FARGATE"})");
  EXPECT_EQ(e.code, "InvalidParameterException");
  EXPECT_EQ(e.message,
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
}

TEST_F(ServiceHandlersTest, LoadBalancerContainerPortMustExist) {
  std::string lb = R"(,"loadBalancers":[{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1","containerName":"app","containerPort":)";
  protocol::AwsError e = err("CreateService", J(R"({"cluster":"c","serviceName":"s",
      "taskDefinition":"web","launchType":"FARGATE","networkConfiguration":)" +
                                                 std::string(kNetwork) + lb + "8080}]}"));
  EXPECT_EQ(e.message, "The container app did not have a container port 8080 defined.");
  json::object s = create(lb + "80}]");
  EXPECT_EQ(s["healthCheckGracePeriodSeconds"], 0);
  EXPECT_EQ(s["roleArn"],
            "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/"
            "AWSServiceRoleForECS");
}

// The Terraform provider sends an empty capacityProviderStrategy with launchType; ECS takes the
// launch type. A non-empty strategy next to a launch type is still rejected.
TEST_F(ServiceHandlersTest, EmptyCapacityProviderStrategyDefersToLaunchType) {
  json::object s = create(R"(,"capacityProviderStrategy":[],"vpcLatticeConfigurations":[],
      "availabilityZoneRebalancing":"DISABLED")");
  EXPECT_EQ(s["launchType"], "FARGATE");
  EXPECT_FALSE(s.contains("capacityProviderStrategy"));
  protocol::AwsError e = err("CreateService", J(R"({"cluster":"c","serviceName":"s2",
      "taskDefinition":"web","launchType":"FARGATE","networkConfiguration":)" +
                                                 std::string(kNetwork) +
                                                 R"(,"capacityProviderStrategy":[
      {"capacityProvider":"FARGATE","weight":1}]})"));
  EXPECT_EQ(e.message,
            "Specifying both a launch type and capacity provider strategy is not supported. "
            "Remove one and try again.");
}

TEST_F(ServiceHandlersTest, DaemonIsRejectedOnFargate) {
  EXPECT_EQ(err("CreateService", J(R"({"cluster":"c","serviceName":"d","taskDefinition":"web",
      "launchType":"FARGATE","schedulingStrategy":"DAEMON","networkConfiguration":)" +
                                   std::string(kNetwork) + "}")).code,
            "InvalidParameterException");
}

TEST_F(ServiceHandlersTest, DuplicateNameIsNotIdempotentUnlessSameClientToken) {
  json::object first = create(R"(,"clientToken":"tok")");
  json::object again = create(R"(,"clientToken":"tok")");
  EXPECT_EQ(again["deployments"], first["deployments"]);
  protocol::AwsError e = err("CreateService", J(R"({"cluster":"c","serviceName":"s",
      "taskDefinition":"web","launchType":"FARGATE","networkConfiguration":)" +
                                                 std::string(kNetwork) + "}"));
  EXPECT_EQ(e.code, "InvalidParameterException");
  EXPECT_EQ(e.message, "Creation of service was not idempotent.");
}

TEST_F(ServiceHandlersTest, UnknownClusterAndTaskDefinition) {
  EXPECT_EQ(err("CreateService", R"({"cluster":"nope","serviceName":"s",
      "taskDefinition":"web"})").code, "ClusterNotFoundException");
  EXPECT_EQ(err("CreateService", R"({"cluster":"c","serviceName":"s",
      "taskDefinition":"nope","launchType":"FARGATE"})").code, "InvalidParameterException");
}

TEST_F(ServiceHandlersTest, CreateServiceWithoutClusterCreatesDefault) {
  ok("CreateService", J(R"({"serviceName":"s","taskDefinition":"web","launchType":"FARGATE",
      "networkConfiguration":)" + std::string(kNetwork) + "}"));
  EXPECT_EQ(ok("DescribeClusters", "{}")["clusters"].as_array()[0].at("activeServicesCount"), 1);
}

TEST_F(ServiceHandlersTest, UpdateWithNewTaskDefinitionStartsNewPrimary) {
  create();
  register_web();
  clock_.advance(std::chrono::seconds(5));
  json::object s = ok("UpdateService", R"({"cluster":"c","service":"s",
      "taskDefinition":"web:2","desiredCount":3})")["service"].as_object();
  json::array& d = s["deployments"].as_array();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].at("status"), "PRIMARY");
  EXPECT_TRUE(S(d[0].at("taskDefinition")).ends_with("web:2"));
  EXPECT_EQ(d[0].at("desiredCount"), 3);
  EXPECT_EQ(d[1].at("status"), "ACTIVE");
  EXPECT_EQ(s["taskDefinition"], d[0].at("taskDefinition"));
}

TEST_F(ServiceHandlersTest, ScalingAloneKeepsTheDeployment) {
  create();
  json::object s = ok("UpdateService", R"({"cluster":"c","service":"s","desiredCount":5})")
                       ["service"].as_object();
  ASSERT_EQ(s["deployments"].as_array().size(), 1u);
  EXPECT_EQ(s["deployments"].as_array()[0].at("desiredCount"), 5);
  s = ok("UpdateService", R"({"cluster":"c","service":"s","forceNewDeployment":true})")
          ["service"].as_object();
  EXPECT_EQ(s["deployments"].as_array().size(), 2u);
}

TEST_F(ServiceHandlersTest, DeleteNeedsScaleToZeroOrForce) {
  create();
  protocol::AwsError e = err("DeleteService", R"({"cluster":"c","service":"s"})");
  EXPECT_EQ(e.code, "InvalidParameterException");
  EXPECT_EQ(e.message, "The service cannot be stopped while it is scaled above 0.");
  json::object s = ok("DeleteService", R"({"cluster":"c","service":"s","force":true})")
                       ["service"].as_object();
  EXPECT_EQ(s["status"], "DRAINING");
  EXPECT_EQ(s["desiredCount"], 0);
  EXPECT_EQ(ok("DescribeServices", R"({"cluster":"c","services":["s"]})")["services"]
                .as_array()[0].at("status"), "INACTIVE");
  EXPECT_EQ(err("UpdateService", R"({"cluster":"c","service":"s","desiredCount":1})").code,
            "ServiceNotActiveException");
  EXPECT_TRUE(ok("ListServices", R"({"cluster":"c"})")["serviceArns"].as_array().empty());
  // The name is free again.
  EXPECT_EQ(create()["status"], "ACTIVE");
}

// Terraform replaces a service by deleting it and creating one with the same name (and ARN);
// the new service has the tags it was created with, none left over from the deleted one.
TEST_F(ServiceHandlersTest, RecreatedServiceDoesNotInheritTheDeletedOnesTags) {
  std::string arn = S(create(R"(,"tags":[{"key":"app","value":"seed"}])")["serviceArn"]);
  ok("TagResource", json::object{{"resourceArn", arn},
                                 {"tags", json::array{json::object{{"key", "env"},
                                                                   {"value", "dev"}}}}});
  ok("DeleteService", R"({"cluster":"c","service":"s","force":true})");
  create(R"(,"tags":[{"key":"app","value":"seed"}])");
  EXPECT_EQ(ok("ListTagsForResource", json::object{{"resourceArn", arn}})["tags"],
            json::parse(R"([{"key":"app","value":"seed"}])"));
}

TEST_F(ServiceHandlersTest, UpdateUnknownServiceIsServiceNotFound) {
  EXPECT_EQ(err("UpdateService", R"({"cluster":"c","service":"nope","desiredCount":1})").code,
            "ServiceNotFoundException");
  EXPECT_EQ(err("DeleteService", R"({"cluster":"c","service":"nope"})").code,
            "ServiceNotFoundException");
}

TEST_F(ServiceHandlersTest, DescribeServicesReportsMissingAndCapsAtTen) {
  create();
  json::object out = ok("DescribeServices", R"({"cluster":"c","services":["s","x"]})");
  EXPECT_EQ(out["services"].as_array().size(), 1u);
  EXPECT_EQ(out["failures"], json::parse(R"([{"arn":
      "arn:aws:ecs:us-east-1:123456789012:service/c/x","reason":"MISSING"}])"));
  EXPECT_EQ(err("DescribeServices", R"({"cluster":"c","services":
      ["1","2","3","4","5","6","7","8","9","10","11"]})").code, "InvalidParameterException");
}

// DescribeServices answers from parsed documents it keeps; every write, whichever path makes it,
// shows in the next call.
TEST_F(ServiceHandlersTest, DescribeServicesShowsEveryWriteAtOnce) {
  create();
  auto describe = [&] {
    return ok("DescribeServices", R"({"cluster":"c","services":["s"]})")["services"]
        .as_array()[0]
        .as_object();
  };
  EXPECT_EQ(describe()["desiredCount"], 2);
  ok("UpdateService", R"({"cluster":"c","service":"s","desiredCount":5})");
  EXPECT_EQ(describe()["desiredCount"], 5);
  {
    // As the scheduler writes, from its own thread, without going through a handler.
    store::Transaction tx = db_.begin();
    EcsStore st(tx, "123456789012", "us-east-1");
    json::object row = *st.get(Table::Services, "arn:aws:ecs:us-east-1:123456789012:service/c/s");
    row["runningCount"] = 3;
    st.put_service(row, "");
    tx.commit();
  }
  json::object shown = describe();
  EXPECT_EQ(shown["runningCount"], 3);
  EXPECT_FALSE(shown.contains("_history"));
  ok("TagResource", R"({"resourceArn":"arn:aws:ecs:us-east-1:123456789012:service/c/s",
      "tags":[{"key":"k","value":"v"}]})");
  json::object tagged = ok("DescribeServices",
                           R"({"cluster":"c","services":["s"],"include":["TAGS"]})")["services"]
                            .as_array()[0]
                            .as_object();
  EXPECT_EQ(tagged["tags"], json::parse(R"([{"key":"k","value":"v"}])"));
  EXPECT_FALSE(describe().contains("tags"));
}

TEST_F(ServiceHandlersTest, ListServicesDefaultsToTenPerPage) {
  for (int i = 0; i < 12; ++i) {
    create("", "s" + std::to_string(i));
  }
  json::object p = ok("ListServices", R"({"cluster":"c"})");
  EXPECT_EQ(p["serviceArns"].as_array().size(), 10u);
  json::object rest = ok("ListServices", json::object{{"cluster", "c"},
                                                      {"nextToken", p["nextToken"]}});
  EXPECT_EQ(rest["serviceArns"].as_array().size(), 2u);
  EXPECT_FALSE(rest.contains("nextToken"));
}

TEST_F(ServiceHandlersTest, DeploymentsAndRevisionsApi) {
  create();
  ok("UpdateService", R"({"cluster":"c","service":"s","forceNewDeployment":true})");
  json::array list = ok("ListServiceDeployments", R"({"cluster":"c","service":"s"})")
                         ["serviceDeployments"].as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("status"), "IN_PROGRESS");
  EXPECT_EQ(list[1].at("status"), "STOPPED");
  json::object d = ok("DescribeServiceDeployments", json::object{
      {"serviceDeploymentArns", json::array{list[0].at("serviceDeploymentArn")}}});
  ASSERT_EQ(d["serviceDeployments"].as_array().size(), 1u);
  json::object r = ok("DescribeServiceRevisions", json::object{
      {"serviceRevisionArns", json::array{list[0].at("targetServiceRevisionArn")}}});
  ASSERT_EQ(r["serviceRevisions"].as_array().size(), 1u);
  EXPECT_TRUE(S(r["serviceRevisions"].as_array()[0].at("taskDefinition")).ends_with("web:1"));
}

}  // namespace
}  // namespace services::ecs
