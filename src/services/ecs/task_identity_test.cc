// Task-role credentials, secrets and the execution role, through the task controller and the
// metadata plane with fake STS, SSM, Secrets Manager and IAM ports.

#include <gtest/gtest.h>

#include "services/ecs/ecs_store.h"
#include "services/ecs/ecs_test_support.h"
#include "services/ecs/execution_role.h"
#include "services/ecs/fake_identity_ports.h"
#include "services/ecs/fake_task_ports.h"
#include "services/ecs/metadata_plane.h"
#include "services/ecs/service_scheduler.h"
#include "services/ecs/task_controller.h"
#include "services/ecs/task_credentials.h"
#include "services/ecs/task_secrets.h"
#include "store/transaction.h"

namespace services::ecs {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kTaskRole = "arn:aws:iam::123456789012:role/app";
constexpr const char* kExecRole = "arn:aws:iam::123456789012:role/exec";
constexpr const char* kImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1";
constexpr const char* kEniIp = "10.0.1.10";  // FakeTaskNetwork's

class TaskIdentityTest : public EcsHandlersTest {
 protected:
  void SetUp() override {
    ecs_.set_task_launcher(controller_);
    ecs_.set_role_checker(role_checker(issuer_, false));
    controller_.set_identity({&credentials_, &secrets_, nullptr});
    issuer_.roles = {kTaskRole, kExecRole};
    ok("CreateCluster", R"({"clusterName":"c"})");
  }
  void enforce() {
    controller_.set_identity({&credentials_, &secrets_, &exec_check_});
    ecs_.set_execution_role_required(true);
  }
  // Family "id": one container "app" of kImage with `container` members added, and the task
  // definition's `task` members.
  bool register_id(const std::string& container, const std::string& task = "") {
    std::string body = R"({"family":"id","requiresCompatibilities":["FARGATE"],
        "networkMode":"awsvpc","cpu":"256","memory":"512",
        "executionRoleArn":")" + std::string(kExecRole) + "\"" + task + R"(,
        "containerDefinitions":[{"name":"app","image":")" + kImage + "\"" + container + "}]}";
    protocol::Result<json::object> r =
        registry_.call(ctx(), "ecs", "RegisterTaskDefinition", J(body));
    if (!r) ADD_FAILURE() << r.error().code << ": " << r.error().message;
    return r.has_value();
  }
  std::string run() {
    json::object out = ok("RunTask", J(R"({"cluster":"c","taskDefinition":"id",
        "launchType":"FARGATE","networkConfiguration":)" + std::string(kNetwork) + "}"));
    return std::string(out["tasks"].as_array()[0].at("taskArn").as_string());
  }
  json::object describe(const std::string& arn) {
    json::object out = ok("DescribeTasks", J(R"({"cluster":"c","tasks":[")" + arn + R"("]})"));
    return out["tasks"].as_array()[0].as_object();
  }
  void converge(const std::string& arn) {
    for (int i = 0; i < 10; ++i) controller_.reconcile(arn);
  }
  std::string env(const std::string& name, std::size_t launch = 0) {
    if (containers_.launches.size() <= launch) return "<no launch>";
    for (auto& [k, v] : containers_.launches[launch].extra_environment) {
      if (k == name) return v;
    }
    return "<unset>";
  }
  std::string stopped_reason(const std::string& arn) {
    json::object t = describe(arn);
    EXPECT_EQ(t.at("lastStatus"), "STOPPED");
    return std::string(t.at("stoppedReason").as_string());
  }
  http::Response get(const std::string& target, const std::string& peer = kEniIp) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    req.listener = "vpc/123456789012/us-east-1/vpc-1";
    req.local_port = 80;
    req.remote_address = peer;
    http::Response res;
    plane_.handle(req, res);
    return res;
  }
  std::string stored_rows() {
    std::string all;
    store::Transaction tx = db_.read();
    for (const char* table : {"ecs_tasks", "ecs_task_definitions"}) {
      tx.query(std::string("SELECT doc FROM ") + table,
               [&](const store::Statement& row) { all += row.text(0); });
    }
    return all;
  }

  FakeTaskNetwork network_;
  FakeContainers containers_;
  TaskController controller_{db_, clock_, network_, containers_};
  FakeIssuer issuer_{clock_};
  FakeParameters parameters_;
  FakeSecrets secret_store_;
  FakeAuthority authority_;
  TaskCredentials credentials_{db_, issuer_, clock_};
  TaskSecrets secrets_{SecretPorts{&parameters_, &secret_store_}};
  ExecutionRoleCheck exec_check_{authority_};
  MetadataPlane plane_{
      db_, MetadataSources{.credentials = [this](const std::string& a, const std::string& r,
                                                 const std::string& id, const std::string& peer,
                                                 int v) {
        return credentials_.serve(a, r, id, peer, v);
      }}};
};

// --- Task-role credentials ----------------------------------------------------------------------

TEST_F(TaskIdentityTest, TaskWithATaskRoleGetsTheRelativeUriAndItsCredentials) {
  ASSERT_TRUE(register_id("", ",\"taskRoleArn\":\"" + std::string(kTaskRole) + "\""));
  std::string arn = run();
  // RunTask checked the role without opening a session: one unused session per launch would
  // pile up in STS's table on every scheduler pass.
  EXPECT_EQ(issuer_.checks, 1);
  EXPECT_TRUE(issuer_.calls.empty());
  converge(arn);
  ASSERT_EQ(describe(arn).at("lastStatus"), "RUNNING");
  std::string uri = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  ASSERT_EQ(uri.rfind("/v2/credentials/", 0), 0u) << uri;
  EXPECT_EQ(uri.size(), std::string("/v2/credentials/").size() + 36);  // a UUID

  http::Response res = get(uri);
  ASSERT_EQ(res.status, 200) << res.body;
  json::object creds = json::parse(res.body).as_object();
  EXPECT_EQ(creds.at("RoleArn"), kTaskRole);
  EXPECT_EQ(creds.at("AccessKeyId"), "ASIAFAKE1");
  EXPECT_EQ(creds.at("SecretAccessKey"), "secret-1");
  EXPECT_EQ(creds.at("Token"), "token-1");
  // ISO 8601 in whole seconds, one hour after the issue.
  EXPECT_EQ(creds.at("Expiration"), "2023-11-14T23:13:20Z");
  EXPECT_EQ(creds.size(), 5u);
  // Session: the task id, assumed by ecs-tasks.amazonaws.com.
  const sts::AssumeRoleByService& call = issuer_.calls.back();
  EXPECT_EQ(call.session_name, arn.substr(arn.rfind('/') + 1));
  EXPECT_EQ(call.service_principal, "ecs-tasks.amazonaws.com");
  EXPECT_EQ(call.role_arn, kTaskRole);
  // The credentials are neither shown nor stored (the id is kept under gantryCredentials, which
  // the ECS model does not have, so the wire encoder drops it).
  for (const char* value : {"ASIAFAKE1", "secret-1", "token-1"}) {
    EXPECT_EQ(json::serialize(describe(arn)).find(value), std::string::npos);
    EXPECT_EQ(stored_rows().find(value), std::string::npos);
  }
}

TEST_F(TaskIdentityTest, CredentialsAreCachedThenRenewedBeforeTheyExpire) {
  ASSERT_TRUE(register_id("", ",\"taskRoleArn\":\"" + std::string(kTaskRole) + "\""));
  std::string arn = run();
  converge(arn);
  std::string uri = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  auto key = [&] {
    http::Response res = get(uri);
    EXPECT_EQ(res.status, 200) << res.body;
    return std::string(json::parse(res.body).at("AccessKeyId").as_string());
  };
  EXPECT_EQ(key(), "ASIAFAKE1");
  clock_.advance(29min);  // more than half of the hour left: the cached ones
  EXPECT_EQ(key(), "ASIAFAKE1");
  EXPECT_EQ(issuer_.issued, 1);
  clock_.advance(2min);  // 29 minutes left: renewed, well before they expire
  EXPECT_EQ(key(), "ASIAFAKE2");
  EXPECT_EQ(key(), "ASIAFAKE2");
  EXPECT_EQ(issuer_.issued, 2);
}

TEST_F(TaskIdentityTest, OnlyTheTasksOwnAddressMayReadItsCredentials) {
  ASSERT_TRUE(register_id("", ",\"taskRoleArn\":\"" + std::string(kTaskRole) + "\""));
  std::string arn = run();
  converge(arn);
  std::string uri = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  http::Response res = get(uri, "10.0.1.11");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(json::parse(res.body),
            json::parse(R"({"code":"InvalidIdInRequest",
                "message":"CredentialsV2Request: Credentials not found","HTTPErrorCode":400})"));
  EXPECT_EQ(get(uri).status, 200);
  EXPECT_EQ(get("/v1/credentials?id=" + uri.substr(uri.rfind('/') + 1)).status, 200);
}

TEST_F(TaskIdentityTest, TaskWithoutATaskRoleGetsNoUriAndUnknownIdsAre400) {
  ASSERT_TRUE(register_id(""));
  std::string arn = run();
  converge(arn);
  EXPECT_EQ(env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), "<unset>");
  EXPECT_TRUE(issuer_.calls.empty());
  http::Response res = get("/v2/credentials/0b5e6ab1-5c2d-4c1e-9a57-fe5bd7e0c1a0");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(json::parse(res.body).at("message"), "CredentialsV2Request: Credentials not found");
  res = get("/v2/credentials/");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(json::parse(res.body).at("code"), "NoIdInRequest");
}

TEST_F(TaskIdentityTest, StoppedTasksCredentialsAreGone) {
  ASSERT_TRUE(register_id("", ",\"taskRoleArn\":\"" + std::string(kTaskRole) + "\""));
  std::string arn = run();
  converge(arn);
  std::string uri = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  containers_.exit(arn, "app", 0);
  converge(arn);
  EXPECT_EQ(get(uri).status, 400);
}

TEST_F(TaskIdentityTest, RunTaskWithARoleEcsCannotAssumeIsAClientException) {
  std::string missing = "arn:aws:iam::123456789012:role/missing";
  ASSERT_TRUE(register_id("", ",\"taskRoleArn\":\"" + missing + "\""));
  protocol::AwsError e = err("RunTask", J(R"({"cluster":"c","taskDefinition":"id",
      "launchType":"FARGATE","networkConfiguration":)" + std::string(kNetwork) + "}"));
  EXPECT_EQ(e.code, "ClientException");
  EXPECT_EQ(e.message,
            "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/missing' that was "
            "provided for this task. Please verify that the role being passed has the proper "
            "trust relationship and permissions and that your IAM user has permissions to pass "
            "this role.");
  EXPECT_TRUE(ok("ListTasks", R"({"cluster":"c"})").at("taskArns").as_array().empty());
}

// A service's tasks are not launched: the scheduler says why in an event, as ECS does.
TEST_F(TaskIdentityTest, ServiceWithARoleEcsCannotAssumeLaunchesNothingAndSaysWhy) {
  RollingServiceScheduler scheduler{
      db_, clock_, controller_, registry_,
      ServiceSchedulerOptions{.launch_check = role_checker(issuer_, false)}};
  ecs_.set_service_scheduler(scheduler);
  std::string missing = "arn:aws:iam::123456789012:role/missing";
  ASSERT_TRUE(register_id("", ",\"taskRoleArn\":\"" + missing + "\""));
  ok("CreateService", J(R"({"cluster":"c","serviceName":"web","taskDefinition":"id",
      "launchType":"FARGATE","desiredCount":1,"networkConfiguration":)" +
                        std::string(kNetwork) + "}"));
  scheduler.reconcile("arn:aws:ecs:us-east-1:123456789012:service/c/web");
  json::object svc =
      ok("DescribeServices", R"({"cluster":"c","services":["web"]})")["services"].as_array()[0]
          .as_object();
  std::string events = json::serialize(svc.at("events"));
  EXPECT_NE(events.find("(service web) failed to launch a task with (error " +
                        unable_to_assume_role(missing) + ")."),
            std::string::npos)
      << events;
  EXPECT_TRUE(ok("ListTasks", R"({"cluster":"c"})").at("taskArns").as_array().empty());
}

TEST_F(TaskIdentityTest, RoleRemovedBeforeTheTaskStartsStopsIt) {
  ASSERT_TRUE(register_id("", ",\"taskRoleArn\":\"" + std::string(kTaskRole) + "\""));
  std::string arn = run();
  issuer_.roles.clear();
  converge(arn);
  EXPECT_EQ(stopped_reason(arn), unable_to_assume_role(kTaskRole));
  EXPECT_TRUE(containers_.started.empty());
}

// --- Secrets -------------------------------------------------------------------------------------

TEST_F(TaskIdentityTest, SecretsAreInjectedAndAppearNowhereElse) {
  parameters_.put("/app/db-password", "pg-s3cret", "SecureString");
  parameters_.put("plain", "plain-value");
  std::string db = secret_store_.put("db", R"({"username":"app","password":"sm-s3cret","port":5432})");
  std::string api = secret_store_.put("api", "api-s3cret");
  ASSERT_TRUE(register_id(R"(,"secrets":[
      {"name":"DB_PASSWORD","valueFrom":"/app/db-password"},
      {"name":"PLAIN","valueFrom":"arn:aws:ssm:us-east-1:123456789012:parameter/plain"},
      {"name":"SM_PASSWORD","valueFrom":")" + db + R"(:password::"},
      {"name":"SM_PORT","valueFrom":")" + db + R"(:port:AWSCURRENT:"},
      {"name":"API","valueFrom":")" + api + R"("}])"));
  std::string arn = run();
  converge(arn);
  ASSERT_EQ(describe(arn).at("lastStatus"), "RUNNING");
  EXPECT_EQ(env("DB_PASSWORD"), "pg-s3cret");
  EXPECT_EQ(env("PLAIN"), "plain-value");
  EXPECT_EQ(env("SM_PASSWORD"), "sm-s3cret");
  EXPECT_EQ(env("SM_PORT"), "5432");
  EXPECT_EQ(secret_store_.last_stage, "");  // the last read, API's, names no stage
  EXPECT_EQ(env("API"), "api-s3cret");
  for (const char* value : {"pg-s3cret", "sm-s3cret", "api-s3cret"}) {
    EXPECT_EQ(json::serialize(describe(arn)).find(value), std::string::npos) << value;
    EXPECT_EQ(json::serialize(ok("DescribeTaskDefinition", R"({"taskDefinition":"id"})"))
                  .find(value),
              std::string::npos);
    EXPECT_EQ(stored_rows().find(value), std::string::npos) << value;
  }
}

TEST_F(TaskIdentityTest, MissingParametersStopTheTaskInEcsWords) {
  parameters_.put("/app/present", "x");
  ASSERT_TRUE(register_id(R"(,"secrets":[{"name":"A","valueFrom":"/app/missing"},
      {"name":"B","valueFrom":"/app/present"},{"name":"C","valueFrom":"other"}])"));
  std::string arn = run();
  converge(arn);
  EXPECT_EQ(stopped_reason(arn),
            "ResourceInitializationError: unable to pull secrets or registry auth: execution "
            "resource retrieval failed: unable to retrieve secrets from ssm: service call has "
            "been retried 1 time(s): invalid parameters: /app/missing,other");
  EXPECT_EQ(describe(arn).at("stopCode"), "TaskFailedToStart");
  EXPECT_TRUE(containers_.pulled.empty());
  EXPECT_TRUE(containers_.started.empty());
}

TEST_F(TaskIdentityTest, MissingSecretStopsTheTaskInEcsWords) {
  std::string arn_missing =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf";
  ASSERT_TRUE(register_id(R"(,"secrets":[{"name":"A","valueFrom":")" + arn_missing + "\"}]"));
  std::string arn = run();
  converge(arn);
  std::string reason = stopped_reason(arn);
  std::string head =
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
      "retrieval failed: unable to retrieve secret from asm: service call has been retried 1 "
      "time(s): failed to fetch secret " + arn_missing +
      " from secrets manager: ResourceNotFoundException: Secrets Manager can't find the "
      "specified secret. status code: 400, request id: ";
  EXPECT_EQ(reason.substr(0, head.size()), head);
  EXPECT_EQ(reason.size(), head.size() + 36);
}

TEST_F(TaskIdentityTest, MissingJsonKeyStopsTheTaskInEcsWords) {
  std::string db = secret_store_.put("db", R"({"username":"app"})");
  ASSERT_TRUE(register_id(R"(,"secrets":[{"name":"A","valueFrom":")" + db + ":password::\"}]"));
  std::string arn = run();
  converge(arn);
  EXPECT_EQ(stopped_reason(arn),
            "ResourceInitializationError: unable to pull secrets or registry auth: execution "
            "resource retrieval failed: unable to retrieve secret from asm: service call has "
            "been retried 1 time(s): retrieved secret from Secrets Manager did not contain json "
            "key password");
}

TEST_F(TaskIdentityTest, RepositoryCredentialsAreReadAndAMissingSecretStopsTheTask) {
  std::string good = secret_store_.put("registry", R"({"username":"u","password":"p"})");
  ASSERT_TRUE(register_id(R"(,"repositoryCredentials":{"credentialsParameter":")" + good + "\"}"));
  std::string arn = run();
  converge(arn);
  EXPECT_EQ(describe(arn).at("lastStatus"), "RUNNING");

  ASSERT_TRUE(register_id(
      R"(,"repositoryCredentials":{"credentialsParameter":"arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf"})"));
  arn = run();
  converge(arn);
  std::string reason = stopped_reason(arn);
  EXPECT_EQ(reason.rfind(
                "ResourceInitializationError: unable to pull secrets or registry auth: execution "
                "resource retrieval failed: unable to get registry auth from asm: service call has "
                "been retried 1 time(s): asm fetching secret from the service for "
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf: "
                "ResourceNotFoundException: ",
                0),
            0u)
      << reason;
}

TEST_F(TaskIdentityTest, SecretsNeedAnExecutionRole) {
  protocol::AwsError e = err("RegisterTaskDefinition", J(R"({"family":"x",
      "containerDefinitions":[{"name":"a","image":"nginx","memory":128,
        "secrets":[{"name":"A","valueFrom":"/p"}]}]})"));
  EXPECT_EQ(e.code, "ClientException");
  EXPECT_EQ(e.message,
            "When you are specifying container secrets, you must also specify a value for "
            "'executionRoleArn'.");
}

TEST(ParseValueFromTest, TellsSsmFromSecretsManagerAndSplitsTheSuffixes) {
  std::string error;
  auto ssm = parse_value_from("/app/db", "111", "eu-west-1", &error);
  ASSERT_TRUE(ssm);
  EXPECT_FALSE(ssm->secrets_manager);
  EXPECT_EQ(ssm_parameter_arn(*ssm), "arn:aws:ssm:eu-west-1:111:parameter/app/db");
  auto bare = parse_value_from("db:3", "111", "eu-west-1", &error);
  EXPECT_EQ(ssm_parameter_arn(*bare), "arn:aws:ssm:eu-west-1:111:parameter/db");
  auto other = parse_value_from("arn:aws:ssm:us-west-2:222:parameter/x", "111", "eu-west-1",
                                &error);
  EXPECT_EQ(other->region, "us-west-2");
  EXPECT_EQ(other->account, "222");

  auto sm = parse_value_from("arn:aws:secretsmanager:us-east-1:222:secret:db-AbCdEf:pw:AWSPREVIOUS:",
                             "111", "eu-west-1", &error);
  ASSERT_TRUE(sm);
  EXPECT_TRUE(sm->secrets_manager);
  EXPECT_EQ(sm->id, "arn:aws:secretsmanager:us-east-1:222:secret:db-AbCdEf");
  EXPECT_EQ(sm->json_key, "pw");
  EXPECT_EQ(sm->version_stage, "AWSPREVIOUS");
  EXPECT_EQ(sm->version_id, "");
  auto whole = parse_value_from("arn:aws:secretsmanager:us-east-1:222:secret:db-AbCdEf", "111",
                                "eu-west-1", &error);
  EXPECT_EQ(whole->id, "arn:aws:secretsmanager:us-east-1:222:secret:db-AbCdEf");
  EXPECT_EQ(whole->json_key, "");
  EXPECT_FALSE(parse_value_from("arn:aws:secretsmanager:us-east-1:222:secret:db-AbCdEf:pw", "111",
                                "eu-west-1", &error));
  EXPECT_NE(error.find("an invalid ARN format for the AWS Secrets Manager secret"),
            std::string::npos);
}

// --- The execution role in enforce mode --------------------------------------------------------

TEST_F(TaskIdentityTest, EnforceModeDeniedLayerDownloadStopsTheTaskAsEcsDoes) {
  enforce();
  authority_.denied = {"ecr:GetDownloadUrlForLayer"};
  ASSERT_TRUE(register_id(""));
  std::string arn = run();
  converge(arn);
  std::string task_id = arn.substr(arn.rfind('/') + 1);
  EXPECT_EQ(stopped_reason(arn),
            "CannotPullContainerError: error pulling image configuration: download failed after "
            "attempts=1: denied: User: arn:aws:sts::123456789012:assumed-role/exec/" + task_id +
                " is not authorized to perform: ecr:GetDownloadUrlForLayer on resource: "
                "arn:aws:ecr:us-east-1:123456789012:repository/app because no identity-based "
                "policy allows the ecr:GetDownloadUrlForLayer action");
  EXPECT_EQ(describe(arn).at("containers").as_array()[0].at("reason"),
            describe(arn).at("stoppedReason"));
  EXPECT_TRUE(containers_.pulled.empty());
}

TEST_F(TaskIdentityTest, EnforceModeDeniedManifestIs403Forbidden) {
  enforce();
  authority_.denied = {"ecr:BatchGetImage"};
  ASSERT_TRUE(register_id(""));
  std::string arn = run();
  converge(arn);
  EXPECT_EQ(stopped_reason(arn),
            "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to "
            "resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1: pulling from host "
            "123456789012.dkr.ecr.us-east-1.amazonaws.com failed with status code "
            "[manifests v1]: 403 Forbidden");
}

TEST_F(TaskIdentityTest, EnforceModeChecksRegistryAuthSecretsAndLogs) {
  enforce();
  parameters_.put("/p", "v");
  ASSERT_TRUE(register_id(R"(,"secrets":[{"name":"A","valueFrom":"/p"}],
      "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/id",
        "awslogs-region":"us-east-1","awslogs-stream-prefix":"ecs"}})"));
  struct Case {
    const char* action;
    const char* starts;
  } cases[] = {
      {"ecr:GetAuthorizationToken",
       "ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
       "retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 "
       "time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/"},
      {"ssm:GetParameters",
       "ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
       "retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 "
       "time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/"},
      {"logs:CreateLogStream",
       "ResourceInitializationError: failed to validate logger args: create stream has been "
       "retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: "
       "arn:aws:sts::123456789012:assumed-role/exec/"},
  };
  for (const Case& c : cases) {
    authority_.denied = {c.action};
    std::string arn = run();
    converge(arn);
    std::string reason = stopped_reason(arn);
    EXPECT_EQ(reason.rfind(c.starts, 0), 0u) << reason;
    EXPECT_NE(reason.find(std::string("is not authorized to perform: ") + c.action),
              std::string::npos)
        << reason;
  }
  // What was asked of IAM for the log stream and the parameter.
  bool stream = false, parameter = false;
  for (const iam::AuthzRequest& r : authority_.requests) {
    stream = stream || (r.action == "logs:CreateLogStream" &&
                        r.resource.starts_with(
                            "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/id:log-stream:"
                            "ecs/app/"));
    parameter = parameter || (r.action == "ssm:GetParameters" &&
                              r.resource == "arn:aws:ssm:us-east-1:123456789012:parameter/p");
  }
  EXPECT_TRUE(stream);
  EXPECT_TRUE(parameter);
  authority_.denied.clear();
  std::string arn = run();
  converge(arn);
  EXPECT_EQ(describe(arn).at("lastStatus"), "RUNNING");
}

TEST_F(TaskIdentityTest, EnforceModeRequiresAnExecutionRoleForEcrImages) {
  enforce();
  protocol::AwsError e = err("RegisterTaskDefinition", J(R"({"family":"x",
      "requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512",
      "containerDefinitions":[{"name":"a","image":")" + std::string(kImage) + R"("}]})"));
  EXPECT_EQ(e.code, "ClientException");
  EXPECT_EQ(e.message,
            "Fargate requires task definition to have execution role ARN to support ECR images.");
  // Images from elsewhere need none.
  ok("RegisterTaskDefinition", J(R"({"family":"x","requiresCompatibilities":["FARGATE"],
      "networkMode":"awsvpc","cpu":"256","memory":"512",
      "containerDefinitions":[{"name":"a","image":"nginx"}]})"));
}

TEST_F(TaskIdentityTest, DefaultModeChecksNoExecutionRole) {
  authority_.denied = {"ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"};
  ok("RegisterTaskDefinition", J(R"({"family":"x","requiresCompatibilities":["FARGATE"],
      "networkMode":"awsvpc","cpu":"256","memory":"512",
      "containerDefinitions":[{"name":"a","image":")" + std::string(kImage) + R"("}]})"));
  ASSERT_TRUE(register_id(""));
  std::string arn = run();
  converge(arn);
  EXPECT_EQ(describe(arn).at("lastStatus"), "RUNNING");
  EXPECT_TRUE(authority_.requests.empty());
}

}  // namespace
}  // namespace services::ecs
