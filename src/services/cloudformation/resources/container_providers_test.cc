// The container group's providers against the real ECR and ECS handlers over an in-memory store;
// ECS services are driven to a steady state (or a tripped circuit breaker) by the real service
// scheduler, with the test moving task rows as the task runtime would.

#include "services/cloudformation/resources/container_providers.h"

#include <atomic>
#include <boost/json.hpp>
#include <cctype>
#include <functional>
#include <thread>
#include <vector>

#include "core/json.h"
#include "services/cloudformation/resources/container_test_support.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/service_scheduler.h"

namespace services::cloudformation::resources {
namespace {

// Tasks are rows the test moves; the scheduler only asks for them.
class RowLauncher final : public ecs::TaskLauncher {
 public:
  void task_created(const ecs::TaskRef&) override {}
  void task_stop_requested(const ecs::TaskRef&) override {}
  bool drives_task_lifecycle() const override { return true; }
};

class ContainerProvidersTest : public ProvidersTest {
 protected:
  // Every task row; `f` may change one, which is then written back.
  void each_task(const std::function<bool(json::object&)>& f) {
    std::vector<json::object> tasks;
    {
      store::Transaction tx = db_.read();
      tx.query("SELECT doc FROM ecs_tasks", [&](const store::Statement& row) {
        tasks.push_back(json::parse(row.text(0)).as_object());
      });
    }
    store::Transaction tx = db_.begin();
    ecs::EcsStore st(tx, "123456789012", "us-east-1");
    for (json::object& t : tasks) {
      if (f(t)) st.put_task(t);
    }
    tx.commit();
  }
  // What the runtime does: new tasks run, tasks told to stop stop.
  void run_tasks() {
    each_task([&](json::object& t) {
      std::string last = core::str(t, "lastStatus"), desired = core::str(t, "desiredStatus");
      if (last == "PROVISIONING" && desired == "RUNNING") {
        t["lastStatus"] = "RUNNING";
        t["startedAt"] = ecs::epoch(clock_.now());
        return true;
      }
      if (desired == "STOPPED" && last != "STOPPED") {
        t["lastStatus"] = "STOPPED";
        return true;
      }
      return false;
    });
  }
  // What a missing image does: new tasks fail to start.
  void fail_tasks() {
    each_task([&](json::object& t) {
      if (core::str(t, "lastStatus") != "PROVISIONING") return false;
      t["lastStatus"] = "STOPPED";
      t["desiredStatus"] = "STOPPED";
      t["stopCode"] = "TaskFailedToStart";
      t["stoppedReason"] = "CannotPullContainerError: not found";
      return true;
    });
  }
};

// --- AWS::ECR::Repository --------------------------------------------------------------------

TEST_F(ContainerProvidersTest, RepositoryGetsALowerCaseGeneratedNameItsPoliciesAndStackTags) {
  auto& p = provider("AWS::ECR::Repository");
  ResourceRequest req = request("WebRepo", "AWS::ECR::Repository", R"({
      "ImageTagMutability": "MUTABLE",
      "ImageScanningConfiguration": {"ScanOnPush": "true"},
      "LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}"},
      "RepositoryPolicyText": {"Version": "2012-10-17", "Statement": [{"Sid": "pull",
          "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage"]}]},
      "Tags": [{"Key": "team", "Value": "web"}]})");
  engine::ProvisionResult r = ok_(p.create(req));
  EXPECT_TRUE(r.physical_id.starts_with("app-webrepo-")) << r.physical_id;
  for (char c : r.physical_id) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(S(r.attributes.at("Arn")),
            "arn:aws:ecr:us-east-1:123456789012:repository/" + r.physical_id);
  EXPECT_TRUE(std::string(r.attributes.at("RepositoryUri").as_string())
                  .ends_with(".dkr.ecr.us-east-1.localhost/" + r.physical_id));
  json::object repo = call("ecr", "DescribeRepositories",
                           {{"repositoryNames", json::array{json::value(r.physical_id)}}})
                          .at("repositories")
                          .as_array()[0]
                          .as_object();
  EXPECT_EQ(repo.at("imageScanningConfiguration").at("scanOnPush"), true);
  call("ecr", "GetLifecyclePolicy", {{"repositoryName", r.physical_id}});
  std::string policy(call("ecr", "GetRepositoryPolicy", {{"repositoryName", r.physical_id}})
                         .at("policyText")
                         .as_string());
  EXPECT_NE(policy.find("ecr:BatchGetImage"), std::string::npos);
  json::array tags = call("ecr", "ListTagsForResource", {{"resourceArn", r.attributes.at("Arn")}})
                         .at("tags")
                         .as_array();
  EXPECT_EQ(tags.size(), 4u) << json::serialize(tags);
  EXPECT_EQ(tags[0].at("Key"), "aws:cloudformation:stack-name");
  EXPECT_EQ(tags[3].at("Key"), "team");
}

TEST_F(ContainerProvidersTest, RepositoryUpdatesInPlaceAndIsRemovedOnce) {
  auto& p = provider("AWS::ECR::Repository");
  ResourceRequest req = request("Repo", "AWS::ECR::Repository", R"({"RepositoryName": "web",
      "LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}"}})");
  engine::ProvisionResult created = ok_(p.create(req));
  EXPECT_EQ(created.physical_id, "web");
  req.physical_id = "web";
  ResourceRequest update = changed_to(req, R"({"RepositoryName": "web",
      "ImageTagMutability": "IMMUTABLE", "Tags": [{"Key": "env", "Value": "dev"}]})");
  engine::ProvisionResult updated = ok_(p.update(update));
  EXPECT_EQ(updated.physical_id, "web");
  EXPECT_EQ(updated.attributes, created.attributes);
  json::object repo = call("ecr", "DescribeRepositories", J(R"({"repositoryNames":["web"]})"))
                          .at("repositories")
                          .as_array()[0]
                          .as_object();
  EXPECT_EQ(repo.at("imageTagMutability"), "IMMUTABLE");
  EXPECT_EQ(call_error("ecr", "GetLifecyclePolicy", {{"repositoryName", "web"}}),
            "LifecyclePolicyNotFoundException");
  json::array tags =
      call("ecr", "ListTagsForResource", {{"resourceArn", created.attributes.at("Arn")}})
          .at("tags")
          .as_array();
  EXPECT_EQ(tags.back().at("Key"), "env");

  EXPECT_EQ(p.update_behavior("RepositoryName"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("EncryptionConfiguration"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("ImageTagMutability"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("LifecyclePolicy"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(ok_(p.read(update)).attributes, created.attributes);

  ASSERT_TRUE(p.remove(update));
  ASSERT_TRUE(p.remove(update)) << "already gone";
  EXPECT_EQ(err_(p.read(update)).code, "RepositoryNotFoundException");
}

TEST_F(ContainerProvidersTest, RepositoryHoldingImagesIsDeletedOnlyWithEmptyOnDelete) {
  auto& p = provider("AWS::ECR::Repository");
  ResourceRequest req =
      request("Repo", "AWS::ECR::Repository", R"({"RepositoryName": "web"})", "web");
  ok_(p.create(req));
  std::string manifest =
      ecr::testing_support::push_blobs(ecr_store_, {"123456789012", "us-east-1", "web"}, "a");
  call("ecr", "PutImage",
       {{"repositoryName", "web"}, {"imageManifest", manifest}, {"imageTag", "v1"}});
  auto kept = p.remove(req);
  ASSERT_FALSE(kept);
  EXPECT_EQ(kept.error().code, "RepositoryNotEmptyException");
  ResourceRequest emptying = changed_to(req, R"({"RepositoryName": "web", "EmptyOnDelete": true})");
  ok_(p.update(emptying));
  ASSERT_TRUE(p.remove(emptying));
  EXPECT_EQ(err_(p.read(emptying)).code, "RepositoryNotFoundException");
}

// --- AWS::ECS::Cluster -----------------------------------------------------------------------

TEST_F(ContainerProvidersTest, ClusterIsNamedUpdatedInPlaceAndDeleted) {
  auto& p = provider("AWS::ECS::Cluster");
  ResourceRequest req = request("Cluster", "AWS::ECS::Cluster", R"({
      "ClusterSettings": [{"Name": "containerInsights", "Value": "disabled"}],
      "Tags": [{"Key": "team", "Value": "web"}]})");
  engine::ProvisionResult r = ok_(p.create(req));
  EXPECT_TRUE(r.physical_id.starts_with("app-Cluster-")) << r.physical_id;
  EXPECT_EQ(S(r.attributes.at("Arn")),
            "arn:aws:ecs:us-east-1:123456789012:cluster/" + r.physical_id);
  req.physical_id = r.physical_id;

  ResourceRequest update = changed_to(req, R"({
      "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}],
      "Tags": [{"Key": "team", "Value": "api"}]})");
  EXPECT_EQ(ok_(p.update(update)).physical_id, r.physical_id);
  json::object c = ok("DescribeClusters", {{"clusters", json::array{json::value(r.physical_id)}},
                                           {"include", json::array{"SETTINGS", "TAGS"}}})
                       .at("clusters")
                       .as_array()[0]
                       .as_object();
  EXPECT_EQ(c.at("settings").as_array()[0].at("value"), "enabled");
  // CloudFormation's three aws:cloudformation:* tags, then the template's.
  ASSERT_EQ(c.at("tags").as_array().size(), 4u) << json::serialize(c.at("tags"));
  EXPECT_EQ(c.at("tags").as_array()[0].at("key"), "aws:cloudformation:stack-name");
  EXPECT_EQ(c.at("tags").as_array()[3].at("value"), "api");

  EXPECT_EQ(p.update_behavior("ClusterName"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("ClusterSettings"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(ok_(p.read(update)).attributes.at("Arn"), r.attributes.at("Arn"));
  ASSERT_TRUE(p.remove(update));
  ASSERT_TRUE(p.remove(update));
  EXPECT_EQ(err_(p.read(update)).code, "ClusterNotFoundException");
}

TEST_F(ContainerProvidersTest, CapacityProviderAssociationsArePutAndCleared) {
  ok("CreateCluster", R"({"clusterName":"c"})");
  auto& p = provider("AWS::ECS::ClusterCapacityProviderAssociations");
  ResourceRequest req = request("Assoc", "AWS::ECS::ClusterCapacityProviderAssociations", R"({
      "Cluster": "c", "CapacityProviders": ["FARGATE", "FARGATE_SPOT"],
      "DefaultCapacityProviderStrategy": [{"CapacityProvider": "FARGATE", "Weight": "1",
                                           "Base": "1"}]})");
  engine::ProvisionResult r = ok_(p.create(req));
  EXPECT_EQ(r.physical_id, "c");
  req.physical_id = "c";
  json::object c =
      ok("DescribeClusters", R"({"clusters":["c"]})").at("clusters").as_array()[0].as_object();
  EXPECT_EQ(c.at("capacityProviders").as_array().size(), 2u);
  EXPECT_EQ(c.at("defaultCapacityProviderStrategy").as_array()[0].at("base"), 1);
  EXPECT_EQ(p.update_behavior("Cluster"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("CapacityProviders"), UpdateBehavior::NoInterruption);
  ASSERT_TRUE(p.remove(req));
  c = ok("DescribeClusters", R"({"clusters":["c"]})").at("clusters").as_array()[0].as_object();
  EXPECT_TRUE(c.at("capacityProviders").as_array().empty());
  ok("DeleteCluster", R"({"cluster":"c"})");
  ASSERT_TRUE(p.remove(req));
  EXPECT_EQ(err_(p.read(req)).code, "ClusterNotFoundException");
  EXPECT_EQ(
      err_(p.create(request("A", "AWS::ECS::ClusterCapacityProviderAssociations", "{}"))).code,
      "ValidationError");
}

// --- AWS::ECS::TaskDefinition ----------------------------------------------------------------

constexpr const char* kTaskDefinition = R"({
    "RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Cpu": 256, "Memory": "512",
    "ExecutionRoleArn": "arn:aws:iam::123456789012:role/exec",
    "TaskRoleArn": "arn:aws:iam::123456789012:role/task",
    "ContainerDefinitions": [{
      "Name": "app", "Image": "nginx", "Essential": "true", "Cpu": "128",
      "PortMappings": [{"ContainerPort": "80", "Protocol": "tcp"}],
      "Environment": [{"Name": "MODE", "Value": "web"}],
      "Secrets": [{"Name": "DB", "ValueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}],
      "LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": "/app",
          "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"}},
      "HealthCheck": {"Command": ["CMD-SHELL", "true"], "Interval": 10, "Retries": "3"}}],
    "Tags": [{"Key": "team", "Value": "web"}]})";

TEST_F(ContainerProvidersTest, TaskDefinitionMapsEveryPropertyToRegisterTaskDefinition) {
  auto& p = provider("AWS::ECS::TaskDefinition");
  ResourceRequest req = request("TaskDef", "AWS::ECS::TaskDefinition", kTaskDefinition);
  engine::ProvisionResult r = ok_(p.create(req));
  EXPECT_TRUE(
      r.physical_id.starts_with("arn:aws:ecs:us-east-1:123456789012:task-definition/app-TaskDef-"))
      << r.physical_id;
  EXPECT_TRUE(r.physical_id.ends_with(":1"));
  EXPECT_EQ(S(r.attributes.at("TaskDefinitionArn")), r.physical_id);
  json::object out = ok("DescribeTaskDefinition",
                        {{"taskDefinition", r.physical_id}, {"include", json::array{"TAGS"}}});
  const json::object& td = out.at("taskDefinition").as_object();
  EXPECT_EQ(td.at("cpu"), "256");
  EXPECT_EQ(td.at("memory"), "512");
  EXPECT_EQ(td.at("networkMode"), "awsvpc");
  EXPECT_EQ(td.at("executionRoleArn"), "arn:aws:iam::123456789012:role/exec");
  const json::object& c = td.at("containerDefinitions").as_array()[0].as_object();
  EXPECT_EQ(c.at("essential"), true);
  EXPECT_EQ(c.at("cpu"), 128);
  EXPECT_EQ(c.at("portMappings").as_array()[0].at("containerPort"), 80);
  EXPECT_EQ(c.at("environment").as_array()[0].at("name"), "MODE");
  EXPECT_EQ(c.at("secrets").as_array()[0].at("valueFrom"),
            "arn:aws:ssm:us-east-1:123456789012:parameter/db");
  EXPECT_EQ(c.at("logConfiguration").at("options").at("awslogs-group"), "/app");
  EXPECT_EQ(c.at("healthCheck").at("retries"), 3);
  ASSERT_EQ(out.at("tags").as_array().size(), 4u) << json::serialize(out.at("tags"));
  EXPECT_EQ(out.at("tags").as_array()[1].at("value"), "TaskDef");  // aws:cloudformation:logical-id
  EXPECT_EQ(out.at("tags").as_array()[3].at("key"), "team");
}

TEST_F(ContainerProvidersTest, TaskDefinitionChangesAreNewRevisionsAndRemoveDeregisters) {
  auto& p = provider("AWS::ECS::TaskDefinition");
  ResourceRequest req = request("TaskDef", "AWS::ECS::TaskDefinition", R"({"Family": "web",
      "ContainerDefinitions": [{"Name": "app", "Image": "nginx", "Memory": 128}]})");
  engine::ProvisionResult first = ok_(p.create(req));
  EXPECT_EQ(first.physical_id, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
  EXPECT_EQ(p.update_behavior("ContainerDefinitions"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("Family"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("Cpu"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("Tags"), UpdateBehavior::NoInterruption);
  // A replacement is a create of the new properties: the next revision.
  engine::ProvisionResult second = ok_(p.create(changed_to(req, R"({"Family": "web",
      "ContainerDefinitions": [{"Name": "app", "Image": "nginx:2", "Memory": 128}]})")));
  EXPECT_EQ(second.physical_id, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2");
  req.physical_id = first.physical_id;
  ResourceRequest tagged =
      changed_to(req, R"({"Family": "web", "Tags": [{"Key": "a", "Value": "b"}],
      "ContainerDefinitions": [{"Name": "app", "Image": "nginx", "Memory": 128}]})");
  EXPECT_EQ(ok_(p.update(tagged)).physical_id, first.physical_id);
  EXPECT_EQ(S(ok_(p.read(req)).attributes.at("TaskDefinitionArn")), first.physical_id);
  ASSERT_TRUE(p.remove(req));
  EXPECT_EQ(ok("DescribeTaskDefinition", {{"taskDefinition", first.physical_id}})
                .at("taskDefinition")
                .at("status"),
            "INACTIVE");
  ASSERT_TRUE(p.remove(req));
  EXPECT_EQ(err_(p.read(req)).code, "ClientException");
}

// --- AWS::ECS::Service -----------------------------------------------------------------------

class EcsServiceProviderTest : public ContainerProvidersTest {
 protected:
  void SetUp() override {
    ok("CreateCluster", R"({"clusterName":"c"})");
    ok("RegisterTaskDefinition", R"({"family":"web","requiresCompatibilities":["FARGATE"],
        "networkMode":"awsvpc","cpu":"256","memory":"512",
        "containerDefinitions":[{"name":"app","image":"nginx"}]})");
    ok("RegisterTaskDefinition", R"({"family":"web","requiresCompatibilities":["FARGATE"],
        "networkMode":"awsvpc","cpu":"256","memory":"512",
        "containerDefinitions":[{"name":"app","image":"missing:1"}]})");
  }
  // The scheduler runs services (before any is created).
  void schedule() {
    ecs_.set_task_launcher(launcher_);
    ecs_.set_service_scheduler(scheduler_);
  }
  ResourceRequest service(std::string_view extra = "", std::string td = "web:1") {
    return request("Service", "AWS::ECS::Service",
                   R"({"Cluster": "c", "ServiceName": "web", "LaunchType": "FARGATE",
                       "TaskDefinition": ")" +
                       td + R"(", "DesiredCount": "2",
                       "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-1"],
                           "SecurityGroups": ["sg-1"], "AssignPublicIp": "DISABLED"}})" +
                       std::string(extra) + "}");
  }
  void pass() { scheduler_.reconcile(kArn); }
  json::object described() {
    return ok("DescribeServices", R"({"cluster":"c","services":["web"]})")
        .at("services")
        .as_array()[0]
        .as_object();
  }

  static constexpr const char* kArn = "arn:aws:ecs:us-east-1:123456789012:service/c/web";
  RowLauncher launcher_;
  ecs::RollingServiceScheduler scheduler_{db_, clock_, launcher_, registry_};
};

TEST_F(EcsServiceProviderTest, CreatesUpdatesInPlaceAndDeletes) {
  auto& p = provider("AWS::ECS::Service");
  ResourceRequest req = service(R"(, "PropagateTags": "SERVICE", "EnableExecuteCommand": true,
      "PlacementStrategies": [{"Type": "spread", "Field": "attribute:ecs.availability-zone"}],
      "DeploymentConfiguration": {"MaximumPercent": "200", "MinimumHealthyPercent": 50,
          "DeploymentCircuitBreaker": {"Enable": true, "Rollback": "true"}})");
  engine::ProvisionResult r = ok_(p.create(req));
  EXPECT_EQ(r.physical_id, kArn);
  EXPECT_EQ(r.attributes.at("Name"), "web");
  EXPECT_EQ(r.attributes.at("ServiceArn"), kArn);
  json::object s = described();
  EXPECT_EQ(s.at("desiredCount"), 2);
  EXPECT_EQ(s.at("propagateTags"), "SERVICE");
  EXPECT_EQ(s.at("placementStrategy").as_array()[0].at("type"), "spread");
  EXPECT_EQ(s.at("enableExecuteCommand"), true);
  EXPECT_EQ(s.at("deploymentConfiguration").at("deploymentCircuitBreaker").at("rollback"), true);
  EXPECT_EQ(s.at("networkConfiguration").at("awsvpcConfiguration").at("subnets").as_array()[0],
            "subnet-1");

  req.physical_id = r.physical_id;
  ResourceRequest update = changed_to(req, R"({"Cluster": "c", "ServiceName": "web",
      "LaunchType": "FARGATE", "TaskDefinition": "web:2", "DesiredCount": 3,
      "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-2"]}}})");
  EXPECT_EQ(ok_(p.update(update)).physical_id, kArn);
  s = described();
  EXPECT_EQ(s.at("desiredCount"), 3);
  EXPECT_TRUE(core::str(s, "taskDefinition").ends_with("task-definition/web:2"));
  EXPECT_EQ(s.at("networkConfiguration").at("awsvpcConfiguration").at("subnets").as_array()[0],
            "subnet-2");

  for (std::string_view replaced : {"ServiceName", "Cluster", "LaunchType", "Role"}) {
    EXPECT_EQ(p.update_behavior(replaced), UpdateBehavior::Replacement) << replaced;
  }
  for (std::string_view in_place : {"TaskDefinition", "DesiredCount", "DeploymentConfiguration",
                                    "NetworkConfiguration", "LoadBalancers", "Tags"}) {
    EXPECT_EQ(p.update_behavior(in_place), UpdateBehavior::NoInterruption) << in_place;
  }
  EXPECT_EQ(ok_(p.read(update)).attributes.at("Name"), "web");
  ASSERT_TRUE(p.remove(update));
  ASSERT_TRUE(p.remove(update));
  EXPECT_EQ(err_(p.read(update)).code, "ServiceNotFoundException");
}

// Drift detection compares read()'s properties with the template's: equal values keep the
// template's form ("2"), a change made outside the stack shows the live value.
TEST_F(EcsServiceProviderTest, ReadShowsLivePropertiesInTheTemplatesForm) {
  auto& p = provider("AWS::ECS::Service");
  ResourceRequest req = service();
  req.physical_id = ok_(p.create(req)).physical_id;
  json::object live = ok_(p.read(req)).properties;
  EXPECT_EQ(live.at("DesiredCount"), "2");
  EXPECT_EQ(live.at("LaunchType"), "FARGATE");
  EXPECT_EQ(live.at("ServiceName"), "web");
  ok("UpdateService", R"({"cluster":"c","service":"web","desiredCount":5})");
  EXPECT_EQ(ok_(p.read(req)).properties.at("DesiredCount"), 5);
}

TEST_F(EcsServiceProviderTest, DesiredCountDefaultsToOneAndANameIsGenerated) {
  auto& p = provider("AWS::ECS::Service");
  engine::ProvisionResult r = ok_(p.create(request("Web", "AWS::ECS::Service", R"({
      "Cluster": "c", "TaskDefinition": "web:1", "LaunchType": "FARGATE",
      "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-1"]}}})")));
  std::string name(r.attributes.at("Name").as_string());
  EXPECT_TRUE(name.starts_with("app-Web-")) << name;
  json::object s = ok("DescribeServices", {{"cluster", "c"}, {"services", json::array{name}}})
                       .at("services")
                       .as_array()[0]
                       .as_object();
  EXPECT_EQ(s.at("desiredCount"), 1);
}

TEST_F(EcsServiceProviderTest, StabilizesOnlyOnceTheDeploymentCompletes) {
  schedule();
  auto& p = provider("AWS::ECS::Service");
  ResourceRequest req = service();
  req.physical_id = ok_(p.create(req)).physical_id;
  EXPECT_EQ(ok_(p.stabilize(req)), Progress::InProgress);
  pass();
  EXPECT_EQ(ok_(p.stabilize(req)), Progress::InProgress) << "tasks provisioning";
  for (int i = 0; i < 4; ++i) {
    run_tasks();
    pass();
  }
  EXPECT_EQ(described().at("runningCount"), 2);
  EXPECT_EQ(ok_(p.stabilize(req)), Progress::Done);
}

TEST_F(EcsServiceProviderTest, FailsWhenTheCircuitBreakerTrips) {
  schedule();
  auto& p = provider("AWS::ECS::Service");
  ResourceRequest req = service(R"(, "DeploymentConfiguration": {
      "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true}})",
                                "web:2");
  req.physical_id = ok_(p.create(req)).physical_id;
  for (int i = 0; i < 10; ++i) {
    pass();
    fail_tasks();
    clock_.advance(std::chrono::minutes(30));
    auto progress = p.stabilize(req);
    if (!progress) {
      EXPECT_EQ(progress.error().message,
                "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.");
      return;
    }
    EXPECT_EQ(*progress, Progress::InProgress);
  }
  ADD_FAILURE() << "the circuit breaker never failed the resource";
}

// Without a circuit breaker, a service whose tasks never start (a missing image) fails once the
// stabilization limit has passed: three hours by default, as CloudFormation waits, in AWS time,
// so that at a time scale they last 3 h / scale as Gantry's other waits do (here 3 h / 10^8:
// about 0.1 ms).
TEST_F(EcsServiceProviderTest, FailsWhenItDoesNotStabilizeInTheTimeScaledLimit) {
  schedule();
  fakes::ManualClock fast;
  fast.set_time_scale(1e8);
  ServiceClient scaled{registry_, &fast};
  EXPECT_EQ(scaled.scaled(std::chrono::hours(3)), std::chrono::milliseconds(0));
  EXPECT_EQ(client_.scaled(std::chrono::hours(3)), std::chrono::hours(3));
  auto impatient = make_ecs_service(scaled);
  ResourceRequest req = service("", "web:2");
  req.physical_id = ok_(impatient->create(req)).physical_id;
  pass();
  fail_tasks();
  auto progress = impatient->stabilize(req);
  ASSERT_FALSE(progress);
  EXPECT_EQ(progress.error().message, "Service " + std::string(kArn) + " did not stabilize.");
  auto patient = make_ecs_service(client_);
  EXPECT_EQ(ok_(patient->stabilize(req)), Progress::InProgress);
}

TEST_F(EcsServiceProviderTest, FailsWhenAnUpdateIsRolledBack) {
  schedule();
  auto& p = provider("AWS::ECS::Service");
  ResourceRequest req = service(R"(, "DeploymentConfiguration": {
      "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true}})");
  req.physical_id = ok_(p.create(req)).physical_id;
  for (int i = 0; i < 4; ++i) {
    run_tasks();
    pass();
  }
  ASSERT_EQ(ok_(p.stabilize(req)), Progress::Done);
  ResourceRequest update = changed_to(req, json::serialize(service(R"(, "DeploymentConfiguration": {
      "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true}})",
                                                                   "web:2")
                                                               .properties));
  ok_(p.update(update));
  std::string reason;
  for (int i = 0; i < 12 && reason.empty(); ++i) {
    pass();
    fail_tasks();
    run_tasks();
    clock_.advance(std::chrono::minutes(30));
    auto progress = p.stabilize(update);
    if (!progress) reason = progress.error().message;
  }
  EXPECT_EQ(reason,
            "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.")
      << json::serialize(described().at("deployments"));
}

TEST_F(EcsServiceProviderTest, RemoveWaitsUntilTheTasksAreDrained) {
  schedule();
  auto bounded = make_ecs_service(client_, std::chrono::seconds(20));
  auto& p = *bounded;
  ResourceRequest req = service();
  req.physical_id = ok_(p.create(req)).physical_id;
  for (int i = 0; i < 4; ++i) {
    run_tasks();
    pass();
  }
  // The scheduler drains the tasks on its own thread while remove() waits, as in the server.
  std::atomic<bool> stop{false};
  std::thread runtime([&] {
    while (!stop) {
      pass();
      run_tasks();
      std::this_thread::yield();
    }
  });
  auto removed = p.remove(req);
  stop = true;
  runtime.join();
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(described().at("status"), "INACTIVE");
}

}  // namespace
}  // namespace services::cloudformation::resources
