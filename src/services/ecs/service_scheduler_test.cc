#include "services/ecs/service_scheduler.h"

#include <map>

#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/ecs_test_support.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

// Records what the scheduler asks of the task runtime; the test moves the rows.
class FakeLauncher final : public TaskLauncher {
 public:
  void task_created(const TaskRef& t) override { created.push_back(t.task_arn); }
  void task_stop_requested(const TaskRef& t) override { stop_requests.push_back(t.task_arn); }
  bool drives_task_lifecycle() const override { return true; }
  std::vector<std::string> created, stop_requests;
};

// A target group in memory: targets start "initial", the test decides their health; draining
// targets stay listed until finish_draining().
class FakeElb {
 public:
  void install(protocol::ServiceRegistry& registry) {
    registry.add(
        "elbv2",
        {{"RegisterTargets",
          [this](const protocol::RequestContext&, const json::object& in) {
            for (const json::value& t : in.at("Targets").as_array()) {
              states[key(in, t)] = "initial";
            }
            return protocol::Result<json::object>(json::object{});
          }},
         {"DeregisterTargets",
          [this](const protocol::RequestContext&, const json::object& in) {
            for (const json::value& t : in.at("Targets").as_array()) {
              if (states.contains(key(in, t))) states[key(in, t)] = "draining";
            }
            return protocol::Result<json::object>(json::object{});
          }},
         {"DescribeTargetHealth", [this](const protocol::RequestContext&, const json::object& in) {
            json::array out;
            std::string tg(in.at("TargetGroupArn").as_string());
            for (const auto& [k, state] : states) {
              if (!k.starts_with(tg + "|")) continue;
              std::string target = k.substr(tg.size() + 1);
              std::size_t colon = target.find(':');
              out.push_back(json::object{
                  {"Target",
                   {{"Id", target.substr(0, colon)},
                    {"Port", std::stoi(target.substr(colon + 1))}}},
                  {"TargetHealth", {{"State", state}, {"Description", "Health checks failed"}}}});
            }
            return protocol::Result<json::object>(
                json::object{{"TargetHealthDescriptions", std::move(out)}});
          }}});
  }
  void set_all(const std::string& from, const std::string& to) {
    for (auto& [k, s] : states) {
      if (s == from) s = to;
    }
  }
  void finish_draining() {
    std::erase_if(states, [](auto& kv) { return kv.second == "draining"; });
  }
  int count(const std::string& state) const {
    int n = 0;
    for (const auto& [k, s] : states) n += s == state ? 1 : 0;
    return n;
  }
  static std::string key(const json::object& in, const json::value& t) {
    return std::string(in.at("TargetGroupArn").as_string()) + "|" +
           std::string(t.at("Id").as_string()) + ":" +
           std::to_string(t.at("Port").to_number<int64_t>());
  }
  std::map<std::string, std::string> states;  // "<tg>|<ip>:<port>" → state
};

constexpr const char* kTargetGroup =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";

class ServiceSchedulerTest : public EcsHandlersTest {
 protected:
  void SetUp() override {
    elb_.install(registry_);
    ecs_.set_task_launcher(launcher_);
    ecs_.set_service_scheduler(scheduler_);
    ok("CreateCluster", R"({"clusterName":"c"})");
    td1_ = register_web();
    td2_ = register_web();
  }

  void create(int desired, std::string extra = "") {
    ok("CreateService",
       J(R"({"cluster":"c","serviceName":"web","taskDefinition":"web:1","launchType":"FARGATE",
          "desiredCount":)" +
         std::to_string(desired) +
         R"(,"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a","subnet-b"]}})" +
         extra + "}"));
  }
  std::string arn() const { return "arn:aws:ecs:us-east-1:123456789012:service/c/web"; }
  void pass() { scheduler_.reconcile(arn()); }
  json::object service() {
    json::object out = ok("DescribeServices", R"({"cluster":"c","services":["web"]})");
    return out["services"].as_array()[0].as_object();
  }
  std::vector<json::object> tasks(std::string where = "") {
    std::vector<json::object> out;
    store::Transaction tx = db_.read();
    tx.query(
        "SELECT doc FROM ecs_tasks ORDER BY created_at_ms, arn",
        [&](const store::Statement& row) { out.push_back(json::parse(row.text(0)).as_object()); });
    std::erase_if(out, [&](const json::object& t) {
      return !where.empty() && str(t, "lastStatus") != where;
    });
    return out;
  }
  void change_task(const std::string& task_arn, const std::function<void(json::object&)>& f) {
    store::Transaction tx = db_.begin();
    EcsStore st(tx, "123456789012", "us-east-1");
    std::optional<json::object> t = st.get(Table::Tasks, task_arn);
    ASSERT_TRUE(t);
    f(*t);
    st.put_task(*t);
    tx.commit();
  }
  // What the task runtime would do: new tasks reach RUNNING with their own address, tasks asked
  // to stop reach STOPPED.
  void run_tasks() {
    for (const json::object& t : tasks()) {
      std::string a = str(t, "taskArn");
      if (str(t, "lastStatus") == "PROVISIONING" && str(t, "desiredStatus") == "RUNNING") {
        std::string ip = "10.0.1." + std::to_string(++next_ip_);
        change_task(a, [&](json::object& d) {
          d["lastStatus"] = "RUNNING";
          d["startedAt"] = epoch(clock_.now());
          d["attachments"].as_array()[0].as_object()["details"].as_array().push_back(
              json::object{{"name", "privateIPv4Address"}, {"value", ip}});
        });
      } else if (str(t, "desiredStatus") == "STOPPED" && str(t, "lastStatus") != "STOPPED") {
        change_task(a, [&](json::object& d) { d["lastStatus"] = "STOPPED"; });
      }
    }
  }
  // New tasks fail as a missing image makes them fail.
  void fail_tasks() {
    for (const json::object& t : tasks("PROVISIONING")) {
      change_task(str(t, "taskArn"), [&](json::object& d) {
        d["lastStatus"] = "STOPPED";
        d["desiredStatus"] = "STOPPED";
        d["stopCode"] = "TaskFailedToStart";
        d["stoppedReason"] = "CannotPullContainerError: not found";
      });
    }
  }
  // Passes and task runs until nothing changes (bounded).
  void converge() {
    for (int i = 0; i < 8; ++i) {
      pass();
      run_tasks();
      elb_.finish_draining();
      elb_.set_all("initial", "healthy");
    }
    pass();
  }
  std::vector<std::string> messages() {
    std::vector<std::string> out;
    json::object s = service();
    for (const json::value& e : s["events"].as_array()) {
      out.emplace_back(e.at("message").as_string());
    }
    return out;
  }
  bool has_event(std::string_view text) {
    for (const std::string& m : messages()) {
      if (m.find(text) != std::string::npos) return true;
    }
    return false;
  }

  FakeLauncher launcher_;
  FakeElb elb_;
  RollingServiceScheduler scheduler_{db_, clock_, launcher_, registry_};
  std::string td1_, td2_;
  int next_ip_ = 0;
};

TEST_F(ServiceSchedulerTest, StartsDesiredCountTasksOfThePrimaryDeployment) {
  create(2);
  pass();
  std::vector<json::object> ts = tasks();
  ASSERT_EQ(ts.size(), 2u);
  std::string deployment(service()["deployments"].as_array()[0].at("id").as_string());
  for (const json::object& t : ts) {
    EXPECT_EQ(str(t, "startedBy"), deployment);
    EXPECT_EQ(str(t, "group"), "service:web");
    EXPECT_EQ(str(t, "launchType"), "FARGATE");
    EXPECT_EQ(str(t, "taskDefinitionArn"), td1_);
  }
  EXPECT_EQ(launcher_.created.size(), 2u);
  EXPECT_EQ(messages()[0], "(service web) has started 2 tasks: (task " +
                               name_from_ref(launcher_.created[0]) + ") (task " +
                               name_from_ref(launcher_.created[1]) + ").");
  EXPECT_EQ(service()["pendingCount"], 2);
}

TEST_F(ServiceSchedulerTest, NewTasksCarryTheServiceTagsAndEcsManagedTags) {
  create(1, R"(,"propagateTags":"SERVICE","enableECSManagedTags":true,
               "tags":[{"key":"team","value":"web"}])");
  pass();
  ASSERT_EQ(launcher_.created.size(), 1u);
  json::object out =
      ok("ListTagsForResource", J(R"({"resourceArn":")" + launcher_.created[0] + R"("})"));
  std::map<std::string, std::string> tags;
  for (const json::value& t : out["tags"].as_array()) {
    tags[std::string(t.at("key").as_string())] = std::string(t.at("value").as_string());
  }
  EXPECT_EQ(tags,
            (std::map<std::string, std::string>{
                {"team", "web"}, {"aws:ecs:clusterName", "c"}, {"aws:ecs:serviceName", "web"}}));
}

TEST_F(ServiceSchedulerTest, SpreadsTasksOverTheServiceSubnets) {
  create(2);
  pass();
  std::vector<json::object> ts = tasks();
  ASSERT_EQ(ts.size(), 2u);
  std::set<std::string> first;
  for (const json::object& t : ts) {
    first.insert(std::string(t.at("networkConfiguration")
                                 .at("awsvpcConfiguration")
                                 .at("subnets")
                                 .as_array()[0]
                                 .as_string()));
  }
  EXPECT_EQ(first, (std::set<std::string>{"subnet-a", "subnet-b"}));
}

TEST_F(ServiceSchedulerTest, FirstDeploymentCompletesAtDesiredCountAndReportsSteadyState) {
  create(2);
  converge();
  json::object s = service();
  EXPECT_EQ(s["runningCount"], 2);
  EXPECT_EQ(s["pendingCount"], 0);
  ASSERT_EQ(s["deployments"].as_array().size(), 1u);
  const json::object& d = s["deployments"].as_array()[0].as_object();
  EXPECT_EQ(d.at("rolloutState"), "COMPLETED");
  EXPECT_EQ(d.at("runningCount"), 2);
  EXPECT_EQ(str(d, "rolloutStateReason"), "ECS deployment " + str(d, "id") + " completed.");
  std::vector<std::string> m = messages();
  EXPECT_EQ(m[0], "(service web) has reached a steady state.");
  EXPECT_EQ(m[1], "(service web) (deployment " + str(d, "id") + ") deployment completed.");
}

TEST_F(ServiceSchedulerTest, SteadyStateIsNotRepeatedWithinSixHours) {
  create(1);
  converge();
  std::size_t n = messages().size();
  clock_.advance(std::chrono::hours(1));
  pass();
  EXPECT_EQ(messages().size(), n);
  clock_.advance(std::chrono::hours(6));
  pass();
  EXPECT_EQ(messages().size(), n + 1);
}

TEST_F(ServiceSchedulerTest, ReplacesATaskStoppedByTheUser) {
  create(2);
  converge();
  std::string victim = str(tasks("RUNNING")[0], "taskArn");
  ok("StopTask", J(R"({"cluster":"c","task":")" + victim + R"("})"));
  run_tasks();
  pass();
  EXPECT_EQ(tasks("PROVISIONING").size(), 1u);
  converge();
  EXPECT_EQ(tasks("RUNNING").size(), 2u);
  EXPECT_EQ(service()["runningCount"], 2);
  std::string deployment(service()["deployments"].as_array()[0].at("id").as_string());
  EXPECT_EQ(service()["deployments"].as_array()[0].at("failedTasks"), 0);
}

TEST_F(ServiceSchedulerTest, RollingUpdateNeverDropsBelowMinimumHealthy) {
  create(2);
  converge();
  ok("UpdateService", R"({"cluster":"c","service":"web","taskDefinition":"web:2"})");
  pass();
  // 100/200: two new tasks start beside the two old ones, none stops yet.
  EXPECT_EQ(tasks("PROVISIONING").size(), 2u);
  EXPECT_TRUE(launcher_.stop_requests.empty());
  json::object s = service();
  ASSERT_EQ(s["deployments"].as_array().size(), 2u);
  EXPECT_EQ(s["deployments"].as_array()[0].at("status"), "PRIMARY");
  EXPECT_EQ(s["deployments"].as_array()[1].at("status"), "ACTIVE");
  run_tasks();
  pass();
  // Both new tasks RUNNING: the old ones go.
  EXPECT_EQ(launcher_.stop_requests.size(), 2u);
  for (const json::object& t : tasks()) {
    if (str(t, "taskDefinitionArn") == td1_) {
      EXPECT_EQ(str(t, "desiredStatus"), "STOPPED");
      EXPECT_EQ(str(t, "stopCode"), "ServiceSchedulerInitiated");
      EXPECT_EQ(str(t, "stoppedReason"), "Scaling activity initiated by (deployment " +
                                             str(s["deployments"].as_array()[0].as_object(), "id") +
                                             ")");
    }
  }
  converge();
  s = service();
  ASSERT_EQ(s["deployments"].as_array().size(), 1u);
  EXPECT_EQ(S(s["deployments"].as_array()[0].at("taskDefinition")), td2_);
  EXPECT_EQ(s["deployments"].as_array()[0].at("rolloutState"), "COMPLETED");
  EXPECT_EQ(tasks("RUNNING").size(), 2u);
  EXPECT_TRUE(has_event("has stopped 2 running tasks"));
}

TEST_F(ServiceSchedulerTest, RegistersTargetsAtRunningAndCountsThemAvailableOnlyWhenHealthy) {
  create(1, std::string(R"(,"loadBalancers":[{"targetGroupArn":")") + kTargetGroup +
                R"(","containerName":"app","containerPort":80}])");
  pass();
  run_tasks();
  pass();
  EXPECT_EQ(elb_.count("initial"), 1);
  EXPECT_EQ(elb_.states.begin()->first, std::string(kTargetGroup) + "|10.0.1.1:80");
  EXPECT_TRUE(has_event(std::string("(service web) registered 1 targets in (target-group ") +
                        kTargetGroup + ")"));
  pass();
  EXPECT_EQ(service()["deployments"].as_array()[0].at("rolloutState"), "IN_PROGRESS");
  elb_.set_all("initial", "healthy");
  pass();
  EXPECT_EQ(service()["deployments"].as_array()[0].at("rolloutState"), "COMPLETED");
}

TEST_F(ServiceSchedulerTest, TargetsOfAGroupNoLoadBalancerUsesCountAsAvailable) {
  create(1, std::string(R"(,"loadBalancers":[{"targetGroupArn":")") + kTargetGroup +
                R"(","containerName":"app","containerPort":80}])");
  pass();
  run_tasks();
  pass();
  elb_.set_all("initial", "unused");
  pass();
  EXPECT_EQ(service()["deployments"].as_array()[0].at("rolloutState"), "COMPLETED");
}

TEST_F(ServiceSchedulerTest, DrainsATargetBeforeStoppingItsTask) {
  create(1, std::string(R"(,"loadBalancers":[{"targetGroupArn":")") + kTargetGroup +
                R"(","containerName":"app","containerPort":80}])");
  converge();
  ok("UpdateService", R"({"cluster":"c","service":"web","desiredCount":0})");
  pass();
  EXPECT_EQ(elb_.count("draining"), 1);
  EXPECT_TRUE(launcher_.stop_requests.empty());
  EXPECT_TRUE(has_event("(service web) has begun draining connections on 1 tasks."));
  EXPECT_TRUE(has_event("(service web) deregistered 1 targets in (target-group "));
  pass();
  EXPECT_TRUE(launcher_.stop_requests.empty());
  elb_.finish_draining();
  pass();
  EXPECT_EQ(launcher_.stop_requests.size(), 1u);
  EXPECT_TRUE(has_event("(service web) has stopped 1 running tasks:"));
}

TEST_F(ServiceSchedulerTest, ReplacesATaskWhoseTargetTurnsUnhealthyAfterTheGracePeriod) {
  create(1, std::string(
                R"(,"healthCheckGracePeriodSeconds":60,"loadBalancers":[{"targetGroupArn":")") +
                kTargetGroup + R"(","containerName":"app","containerPort":80}])");
  converge();
  elb_.set_all("healthy", "unhealthy");
  pass();
  EXPECT_EQ(elb_.count("draining"), 0) << "within the grace period";
  clock_.advance(std::chrono::seconds(61));
  pass();
  EXPECT_EQ(elb_.count("draining"), 1);
  EXPECT_EQ(tasks("PROVISIONING").size(), 1u) << "a replacement starts while the target drains";
  elb_.finish_draining();
  pass();
  ASSERT_EQ(launcher_.stop_requests.size(), 1u);
  json::object stopped;
  for (const json::object& t : tasks()) {
    if (str(t, "taskArn") == launcher_.stop_requests[0]) stopped = t;
  }
  EXPECT_EQ(str(stopped, "stoppedReason"),
            std::string("Task failed ELB health checks in (target-group ") + kTargetGroup + ")");
  EXPECT_TRUE(has_event("is unhealthy in (target-group "));
  run_tasks();
  pass();
  EXPECT_EQ(service()["deployments"].as_array()[0].at("failedTasks"), 1);
}

// "If a task's health status is UNHEALTHY, the service scheduler replaces it": an essential
// container failing its health check, after the grace period, as for ELB health checks.
TEST_F(ServiceSchedulerTest, ReplacesATaskWhoseContainerHealthCheckFailsAfterTheGracePeriod) {
  create(1, std::string(
                R"(,"healthCheckGracePeriodSeconds":60,"loadBalancers":[{"targetGroupArn":")") +
                kTargetGroup + R"(","containerName":"app","containerPort":80}])");
  converge();
  std::string sick = str(tasks("RUNNING")[0], "taskArn");
  change_task(sick, [](json::object& t) { t["healthStatus"] = "UNHEALTHY"; });
  pass();
  EXPECT_EQ(elb_.count("draining"), 0) << "within the grace period";
  clock_.advance(std::chrono::seconds(61));
  pass();
  EXPECT_EQ(elb_.count("draining"), 1) << "its target drains although it is healthy";
  EXPECT_EQ(tasks("PROVISIONING").size(), 1u) << "a replacement starts";
  elb_.finish_draining();
  pass();
  ASSERT_EQ(launcher_.stop_requests, std::vector<std::string>{sick});
  json::object stopped;
  for (const json::object& t : tasks()) {
    if (str(t, "taskArn") == sick) stopped = t;
  }
  EXPECT_EQ(str(stopped, "stoppedReason"), "Task failed container health checks");
}

TEST_F(ServiceSchedulerTest, CircuitBreakerFailsTheFirstDeploymentAndStopsLaunching) {
  create(
      2,
      R"(,"deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}})");
  for (int i = 0; i < 10; ++i) {
    pass();
    fail_tasks();
    clock_.advance(std::chrono::minutes(30));  // past any throttle
  }
  json::object s = service();
  const json::object& d = s["deployments"].as_array()[0].as_object();
  EXPECT_EQ(d.at("rolloutState"), "FAILED");
  EXPECT_EQ(d.at("rolloutStateReason"), "ECS deployment circuit breaker: tasks failed to start.");
  EXPECT_GE(d.at("failedTasks").to_number<int64_t>(), 3);
  EXPECT_TRUE(has_event("(service web) (deployment " + str(d, "id") +
                        ") deployment failed: tasks failed to start."));
  std::size_t launched = launcher_.created.size();
  pass();
  EXPECT_EQ(launcher_.created.size(), launched);
  // The image is pushed; a forced deployment succeeds.
  ok("UpdateService", R"({"cluster":"c","service":"web","forceNewDeployment":true})");
  converge();
  s = service();
  ASSERT_EQ(s["deployments"].as_array().size(), 1u);
  EXPECT_EQ(s["deployments"].as_array()[0].at("rolloutState"), "COMPLETED");
  EXPECT_EQ(s["runningCount"], 2);
}

TEST_F(ServiceSchedulerTest, CircuitBreakerRollsBackToTheLastCompletedDeployment) {
  create(
      1,
      R"(,"deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":true}})");
  converge();
  std::string completed(service()["deployments"].as_array()[0].at("id").as_string());
  ok("UpdateService", R"({"cluster":"c","service":"web","taskDefinition":"web:2"})");
  for (int i = 0; i < 4; ++i) {  // three failures trip the breaker in the fourth pass
    pass();
    fail_tasks();
    clock_.advance(std::chrono::minutes(30));
  }
  json::object s = service();
  EXPECT_EQ(S(s["taskDefinition"]), td1_);
  const json::array& ds = s["deployments"].as_array();
  ASSERT_GE(ds.size(), 2u);
  EXPECT_EQ(S(ds[0].at("taskDefinition")), td1_);
  EXPECT_EQ(S(ds[0].at("rolloutStateReason")),
            "ECS deployment circuit breaker: rolling back to deploymentId " + completed + ".");
  EXPECT_EQ(ds[1].at("rolloutState"), "FAILED");
  EXPECT_TRUE(has_event("(service web) rolling back to deployment " + completed + "."));
  converge();
  s = service();
  ASSERT_EQ(s["deployments"].as_array().size(), 1u);
  EXPECT_EQ(s["deployments"].as_array()[0].at("rolloutState"), "COMPLETED");
  json::object list = ok("ListServiceDeployments", R"({"cluster":"c","service":"web"})");
  std::vector<std::string> statuses;
  for (const json::value& d : list["serviceDeployments"].as_array()) {
    statuses.emplace_back(d.at("status").as_string());
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"ROLLBACK_SUCCESSFUL", "SUCCESSFUL"}));
  std::string failed_arn(
      list["serviceDeployments"].as_array()[0].at("serviceDeploymentArn").as_string());
  json::object described =
      ok("DescribeServiceDeployments", J(R"({"serviceDeploymentArns":[")" + failed_arn + R"("]})"));
  const json::object& breaker =
      described["serviceDeployments"].as_array()[0].at("deploymentCircuitBreaker").as_object();
  EXPECT_EQ(breaker.at("status"), "TRIGGERED");
  EXPECT_EQ(breaker.at("threshold"), 3);
}

TEST_F(ServiceSchedulerTest, BacksOffLaunchesAfterRepeatedFailures) {
  create(1);
  for (int i = 0; i < 3; ++i) {
    pass();
    fail_tasks();
  }
  pass();
  std::size_t launched = launcher_.created.size();
  EXPECT_EQ(launched, 3u);
  EXPECT_TRUE(has_event("(service web) is unable to consistently start tasks successfully."));
  pass();
  EXPECT_EQ(launcher_.created.size(), launched) << "held back";
  clock_.advance(std::chrono::seconds(11));
  pass();
  EXPECT_EQ(launcher_.created.size(), launched + 1);
}

TEST_F(ServiceSchedulerTest, DeleteServiceStopsEveryTaskThenGoesInactive) {
  create(2);
  converge();
  ok("DeleteService", R"({"cluster":"c","service":"web","force":true})");
  EXPECT_EQ(service()["status"], "DRAINING");
  pass();
  EXPECT_EQ(launcher_.stop_requests.size(), 2u);
  run_tasks();
  pass();
  EXPECT_EQ(service()["status"], "INACTIVE");
}

}  // namespace
}  // namespace services::ecs
