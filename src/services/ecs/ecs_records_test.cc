#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/ecs/records.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

// A task row as the handlers and controllers store it, with members the records do not model.
const char* kTask =
    R"({"attachments":[{"id":"a1","type":"ElasticNetworkInterface","status":"ATTACHED",)"
    R"("details":[{"name":"subnetId","value":"subnet-1"},{"name":"privateIPv4Address",)"
    R"("value":"10.0.1.5"}]}],"attributes":[{"name":"ecs.cpu-architecture","value":"x86_64"}],)"
    R"("clusterArn":"arn:c","networkConfiguration":{"awsvpcConfiguration":{"subnets":)"
    R"(["subnet-1"],"securityGroups":["sg-1"]}},"containers":[{"containerArn":"arn:x",)"
    R"("taskArn":"arn:t","name":"web","image":"nginx","lastStatus":"RUNNING",)"
    R"("networkInterfaces":[{"attachmentId":"a1","privateIpv4Address":"10.0.1.5"}],"cpu":"0",)"
    R"("exitCode":0}],"cpu":"256","createdAt":1.7E9,"desiredStatus":"RUNNING",)"
    R"("enableExecuteCommand":false,"group":"service:web","lastStatus":"RUNNING",)"
    R"("overrides":{"containerOverrides":[]},"startedBy":"ecs-svc/1","taskArn":"arn:t",)"
    R"("version":4,"healthStatus":"UNKNOWN","startedAt":1.7000001E9,)"
    R"("gantryNetwork":{"netnsPath":"/run/netns/t","apiEndpoint":""},)"
    R"("_scheduler":{"targets":[{"targetGroupArn":"tg","id":"10.0.1.5","port":80}],)"
    R"("registeredAt":1.7000002E9,"wasAvailable":true,"futureNote":1}})";

const char* kService =
    R"({"serviceArn":"arn:s","serviceName":"web","clusterArn":"arn:c","loadBalancers":[],)"
    R"("desiredCount":2,"runningCount":2,"pendingCount":0,"status":"ACTIVE",)"
    R"("taskDefinition":"td:2","deploymentConfiguration":{"deploymentCircuitBreaker":)"
    R"({"enable":true,"rollback":true},"maximumPercent":200,"minimumHealthyPercent":100},)"
    R"("deployments":[{"id":"d2","status":"PRIMARY","taskDefinition":"td:2","desiredCount":2,)"
    R"("pendingCount":0,"runningCount":2,"failedTasks":0,"createdAt":1.7E9,"updatedAt":1.7E9,)"
    R"("launchType":"FARGATE","rolloutState":"COMPLETED","rolloutStateReason":"done"}],)"
    R"("events":[],"_scheduler":{"consecutiveFailures":0,"launchNotBefore":0,)"
    R"("deployment":"d2","steadyEventAt":1.7E9,"steady":true},"_history":[{"id":"d2"}]})";

TEST(EcsRecordsTest, ATaskReadAndWrittenBackIsTheSameBytes) {
  json::object doc = json::parse(kTask).as_object();
  Task task = task_from_json(doc);
  EXPECT_EQ(task.arn, "arn:t");
  EXPECT_EQ(task.eni_detail("privateIPv4Address"), "10.0.1.5");
  EXPECT_EQ(task.subnets, std::vector<std::string>{"subnet-1"});
  EXPECT_EQ(task.containers[0].exit_code, 0);
  EXPECT_EQ(task.scheduler.targets[0].port, 80);
  EXPECT_TRUE(task.scheduler.was_available);
  EXPECT_EQ(json::serialize(to_json(task)), json::serialize(doc));
}

TEST(EcsRecordsTest, AServiceReadAndWrittenBackIsTheSameBytes) {
  json::object doc = json::parse(kService).as_object();
  Service service = service_from_json(doc);
  EXPECT_EQ(service.primary()->id, "d2");
  EXPECT_TRUE(service.deployment_config.rollback);
  EXPECT_EQ(service.scheduler.steady, true);
  EXPECT_EQ(json::serialize(to_json(service)), json::serialize(doc));
}

// A write changes the modeled members in place, keeps the others, and adds new members in the
// order the controllers always add them.
TEST(EcsRecordsTest, WritesChangeOnlyModeledMembers) {
  Task task = task_from_json(json::parse(kTask).as_object());
  task.desired_status = "STOPPED";
  task.stop_code = "ServiceSchedulerInitiated";
  task.stopped_reason = "Scaling activity";
  task.stopping_at = 1.7000003E9;
  task.version++;
  task.scheduler.draining = true;
  json::object out = to_json(task);
  json::object expected = json::parse(kTask).as_object();
  expected["desiredStatus"] = "STOPPED";
  expected["version"] = 5;
  expected["stopCode"] = "ServiceSchedulerInitiated";
  expected["stoppedReason"] = "Scaling activity";
  expected["stoppingAt"] = 1.7000003E9;
  expected["_scheduler"].as_object()["draining"] = true;
  EXPECT_EQ(json::serialize(out), json::serialize(expected));
}

TEST(EcsRecordsTest, AnIntegerStaysAnIntegerWhenItsValueDoesNotChange) {
  json::object doc{{"taskArn", "t"}, {"createdAt", 5}, {"stoppingAt", 7}};
  Task task = task_from_json(doc);
  EXPECT_EQ(json::serialize(to_json(task)), json::serialize(doc));
}

TEST(EcsRecordsTest, ARollbackIsWrittenAndErased) {
  Service service = service_from_json(json::parse(kService).as_object());
  service.scheduler.rollback = Rollback{"d3", "d2"};
  json::object out = to_json(service);
  EXPECT_EQ(out.at("_scheduler").at("rollback").at("failed"), "d2");
  service = service_from_json(out);
  service.scheduler.rollback.reset();
  EXPECT_FALSE(to_json(service).at("_scheduler").as_object().contains("rollback"));
}

}  // namespace
}  // namespace services::ecs
