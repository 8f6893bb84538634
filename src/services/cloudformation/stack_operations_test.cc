// Stack operations end to end over the operation table, with providers that record what they are
// asked and fail on demand: statuses, events, rollbacks, replacement, exports, change sets.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <mutex>
#include <set>

#include "core/clock.h"
#include "core/json.h"
#include "services/cloudformation/cloudformation_service.h"
#include "store/db.h"
#include "testing/registry_calls.h"

namespace services::cloudformation {
namespace {

namespace json = boost::json;
using fakes::J;

// AWS::Test::Thing: its physical id is "<Name>-<n>"; "Fail": true fails create, "FailUpdate":
// true fails update; "Name" requires replacement.
struct World {
  std::mutex mu;
  std::set<std::string> live;
  std::vector<std::string> calls;
  int next = 0;
};

class Thing final : public engine::ResourceProvider {
 public:
  explicit Thing(World& w) : w_(w) {}
  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& p = req.properties.is_object() ? req.properties.as_object() : empty_;
    std::lock_guard lock(w_.mu);
    w_.calls.push_back("create " + req.logical_id);
    if (core::opt_bool(p, "Fail").value_or(false)) return protocol::AwsError{"InvalidThing", "thing refused"};
    std::string id = core::str(p, "Name", req.logical_id) + "-" + std::to_string(++w_.next);
    w_.live.insert(id);
    return engine::ProvisionResult{id, {{"Arn", "arn:thing:" + id}}, {}};
  }
  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    const json::object& p = req.properties.is_object() ? req.properties.as_object() : empty_;
    std::lock_guard lock(w_.mu);
    w_.calls.push_back("update " + req.logical_id);
    if (core::opt_bool(p, "FailUpdate").value_or(false)) return protocol::AwsError{"InvalidThing", "no update"};
    return engine::ProvisionResult{req.physical_id, {{"Arn", "arn:thing:" + req.physical_id}}, {}};
  }
  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    std::lock_guard lock(w_.mu);
    w_.calls.push_back("delete " + req.logical_id);
    w_.live.erase(req.physical_id);
    return {};
  }
  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    std::lock_guard lock(w_.mu);
    if (!w_.live.contains(req.physical_id)) return protocol::AwsError{"ThingNotFound", "gone"};
    return engine::ProvisionResult{req.physical_id, {}, req.properties.as_object()};
  }
  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return property == "Name" ? engine::UpdateBehavior::Replacement
                              : engine::UpdateBehavior::NoInterruption;
  }

 private:
  World& w_;
  const json::object empty_;
};

class StackOperationsTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  StackOperationsTest() : RegistryCalls(registry_, "cloudformation") {
    providers_.add("AWS::Test::Thing", std::make_unique<Thing>(world_));
    worker_.poll_interval = std::chrono::milliseconds(1);
    worker_.settle_wait = std::chrono::milliseconds(0);  // the handlers answer at once, as on AWS
    service_.register_operations(registry_);
  }

  json::object describe(const std::string& name) {
    json::object out = ok("DescribeStacks", json::object{{"StackName", name}});
    return out["Stacks"].as_array().at(0).as_object();
  }
  std::string status_of(const std::string& name) {
    worker_.wait_idle();
    return core::str(describe(name), "StackStatus");
  }
  // ResourceStatus of the events, oldest first, as "Logical STATUS".
  std::vector<std::string> events(const std::string& name) {
    json::object out = ok("DescribeStackEvents", json::object{{"StackName", name}});
    std::vector<std::string> v;
    for (const json::value& e : out["StackEvents"].as_array()) {
      v.push_back(core::str(e.as_object(), "LogicalResourceId") + " " +
                  core::str(e.as_object(), "ResourceStatus"));
    }
    std::reverse(v.begin(), v.end());
    return v;
  }
  std::string create(const std::string& name, const std::string& body, json::array params = {}) {
    ok("CreateStack", json::object{{"StackName", name}, {"TemplateBody", body}, {"Parameters", params}});
    return status_of(name);
  }

  store::Db db_ = store::Db::open_in_memory();
  core::SystemClock clock_;
  protocol::ServiceRegistry registry_;
  World world_;
  engine::ResourceProviders providers_;
  StackWorker worker_{db_, clock_, providers_, {}};
  CloudFormationService service_{db_, clock_, worker_};
};

constexpr const char* kTwo = R"({"Resources": {
  "A": {"Type": "AWS::Test::Thing", "Properties": {"Name": "a"}},
  "B": {"Type": "AWS::Test::Thing", "Properties": {"Name": {"Fn::GetAtt": ["A", "Arn"]}}}},
  "Outputs": {"BArn": {"Value": {"Ref": "B"}, "Export": {"Name": "b-id"}}}})";

TEST_F(StackOperationsTest, CreatesInDependencyOrderAndExports) {
  EXPECT_EQ(create("s1", kTwo), "CREATE_COMPLETE");
  EXPECT_EQ(world_.calls, (std::vector<std::string>{"create A", "create B"}));
  std::vector<std::string> ev = events("s1");
  EXPECT_EQ(ev.front(), "s1 CREATE_IN_PROGRESS");
  EXPECT_EQ(ev.back(), "s1 CREATE_COMPLETE");
  json::object s = describe("s1");
  ASSERT_TRUE(s.contains("Outputs"));
  std::string b = core::str(s["Outputs"].as_array()[0].as_object(), "OutputValue");
  EXPECT_EQ(b, "arn:thing:a-1-2");
  json::object exports = ok("ListExports", "{}");
  EXPECT_EQ(core::str(exports["Exports"].as_array()[0].as_object(), "Value"), b);
  EXPECT_EQ(err("CreateStack", json::object{{"StackName", "s1"}, {"TemplateBody", kTwo}}).code,
            "AlreadyExistsException");
}

TEST_F(StackOperationsTest, FailedCreateRollsBackWhatItMade) {
  std::string body = R"({"Resources": {
    "A": {"Type": "AWS::Test::Thing"},
    "B": {"Type": "AWS::Test::Thing", "DependsOn": "A", "Properties": {"Fail": true}}}})";
  EXPECT_EQ(create("s2", body), "ROLLBACK_COMPLETE");
  EXPECT_TRUE(world_.live.empty());
  json::object s = describe("s2");
  EXPECT_EQ(core::str(s, "StackStatusReason"),
            "The following resource(s) failed to create: [B]. Rollback requested by user.");
  json::object out = ok("DescribeStackEvents", json::object{{"StackName", "s2"}});
  bool found = false;
  for (const json::value& e : out["StackEvents"].as_array()) {
    if (core::str(e.as_object(), "ResourceStatus") == "CREATE_FAILED") {
      EXPECT_NE(core::str(e.as_object(), "ResourceStatusReason").find("thing refused"), std::string::npos);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(StackOperationsTest, UpdateInPlaceReplacesAndCleansUp) {
  ASSERT_EQ(create("s3", kTwo), "CREATE_COMPLETE");
  std::string next = R"({"Resources": {
    "A": {"Type": "AWS::Test::Thing", "Properties": {"Name": "a2"}},
    "B": {"Type": "AWS::Test::Thing", "Properties": {"Name": {"Fn::GetAtt": ["A", "Arn"]}}},
    "C": {"Type": "AWS::Test::Thing", "Properties": {"Size": 1}}}})";
  ok("UpdateStack", json::object{{"StackName", "s3"}, {"TemplateBody", next}});
  EXPECT_EQ(status_of("s3"), "UPDATE_COMPLETE");
  // A replaced (new name), so B (whose name is A's ARN) is replaced too; the old ones deleted.
  EXPECT_EQ(world_.live.size(), 3u);
  // A's new physical id is "a2-<n>": n counts creations, and C is created in the same wave.
  EXPECT_TRUE(std::any_of(world_.live.begin(), world_.live.end(),
                          [](const std::string& id) { return id.starts_with("a2-"); }));
  EXPECT_FALSE(world_.live.contains("a-1"));
  EXPECT_TRUE(ok("ListExports", "{}")["Exports"].as_array().empty());
  // Updating with the same template is refused.
  EXPECT_EQ(err("UpdateStack", json::object{{"StackName", "s3"}, {"TemplateBody", next}}).message,
            "No updates are to be performed.");
}

TEST_F(StackOperationsTest, FailedUpdateRollsBack) {
  std::string body = R"({"Resources": {"A": {"Type": "AWS::Test::Thing", "Properties": {"Size": 1}}}})";
  ASSERT_EQ(create("s4", body), "CREATE_COMPLETE");
  std::string next = R"({"Resources": {
    "A": {"Type": "AWS::Test::Thing", "Properties": {"Size": 2, "FailUpdate": true}},
    "N": {"Type": "AWS::Test::Thing"}}})";
  ok("UpdateStack", json::object{{"StackName", "s4"}, {"TemplateBody", next}});
  EXPECT_EQ(status_of("s4"), "UPDATE_ROLLBACK_COMPLETE");
  EXPECT_EQ(world_.live.size(), 1u);  // N was created, then deleted by the rollback
  json::object t = ok("GetTemplate", json::object{{"StackName", "s4"}});
  EXPECT_EQ(core::str(t, "TemplateBody"), body);
}

TEST_F(StackOperationsTest, ImportsPinExportsAndDeleteHonoursRetain) {
  ASSERT_EQ(create("net", kTwo), "CREATE_COMPLETE");
  std::string app = R"({"Resources": {
    "X": {"Type": "AWS::Test::Thing", "DeletionPolicy": "Retain",
          "Properties": {"Name": {"Fn::ImportValue": "b-id"}}}}})";
  ASSERT_EQ(create("app", app), "CREATE_COMPLETE");
  EXPECT_EQ(ok("ListImports", R"({"ExportName": "b-id"})")["Imports"].as_array().at(0), "app");
  std::string net_id = core::str(describe("net"), "StackId");
  ok("DeleteStack", R"({"StackName": "net"})");
  EXPECT_EQ(status_of(net_id), "DELETE_FAILED");
  EXPECT_EQ(core::str(describe("net"), "StackStatusReason"),
            "Export b-id cannot be deleted as it is in use by app");
  ok("DeleteStack", R"({"StackName": "app"})");
  worker_.wait_idle();
  EXPECT_EQ(err("DescribeStacks", R"({"StackName": "app"})").message, "Stack with id app does not exist");
  EXPECT_EQ(world_.live.size(), 3u);  // X retained
  ok("DeleteStack", R"({"StackName": "net"})");
  EXPECT_EQ(status_of(net_id), "DELETE_COMPLETE");  // by id: a deleted stack's name is free
  EXPECT_EQ(world_.live.size(), 1u);
}

TEST_F(StackOperationsTest, ChangeSetsPreviewAndExecute) {
  std::string body = R"({"Parameters": {"N": {"Type": "String", "Default": "a"}},
    "Resources": {"A": {"Type": "AWS::Test::Thing", "Properties": {"Name": {"Ref": "N"}}}}})";
  json::object made = ok("CreateChangeSet", json::object{{"StackName", "cs"}, {"ChangeSetName", "one"},
                                                         {"ChangeSetType", "CREATE"}, {"TemplateBody", body}});
  EXPECT_EQ(core::str(describe("cs"), "StackStatus"), "REVIEW_IN_PROGRESS");
  json::object d = ok("DescribeChangeSet", json::object{{"ChangeSetName", core::str(made, "Id")}});
  EXPECT_EQ(core::str(d, "Status"), "CREATE_COMPLETE");
  EXPECT_EQ(core::str(d["Changes"].as_array()[0].as_object()["ResourceChange"].as_object(), "Action"), "Add");
  ok("ExecuteChangeSet", json::object{{"ChangeSetName", "one"}, {"StackName", "cs"}});
  EXPECT_EQ(status_of("cs"), "CREATE_COMPLETE");
  // A new parameter value replaces A; the same one is "no changes".
  json::object two = ok("CreateChangeSet", json::object{{"StackName", "cs"}, {"ChangeSetName", "two"},
      {"TemplateBody", body}, {"Parameters", json::array{json::object{{"ParameterKey", "N"}, {"ParameterValue", "b"}}}}});
  d = ok("DescribeChangeSet", json::object{{"ChangeSetName", "two"}, {"StackName", "cs"}});
  json::object change = d["Changes"].as_array()[0].as_object()["ResourceChange"].as_object();
  EXPECT_EQ(core::str(change, "Action"), "Modify");
  EXPECT_EQ(core::str(change, "Replacement"), "True");
  ok("CreateChangeSet", json::object{{"StackName", "cs"}, {"ChangeSetName", "three"}, {"TemplateBody", body}});
  d = ok("DescribeChangeSet", json::object{{"ChangeSetName", "three"}, {"StackName", "cs"}});
  EXPECT_EQ(core::str(d, "Status"), "FAILED");
  EXPECT_EQ(core::str(d, "StatusReason"),
            "The submitted information didn't contain changes. Submit different information to create a change set.");
}

TEST_F(StackOperationsTest, RefusesIamWithoutCapabilitiesAndUnknownTypes) {
  std::string iam = R"({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x"}}}})";
  protocol::AwsError e = err("CreateStack", json::object{{"StackName", "i"}, {"TemplateBody", iam}});
  EXPECT_EQ(e.code, "InsufficientCapabilitiesException");
  EXPECT_EQ(e.message, "Requires capabilities : [CAPABILITY_NAMED_IAM]");
  std::string odd = R"({"Resources": {"R": {"Type": "AWS::Nope::Thing"}}})";
  EXPECT_EQ(err("CreateStack", json::object{{"StackName", "o"}, {"TemplateBody", odd}}).message,
            "Template format error: Unrecognized resource types: [AWS::Nope::Thing]");
}

TEST_F(StackOperationsTest, DriftSeesDeletedResources) {
  ASSERT_EQ(create("d", kTwo), "CREATE_COMPLETE");
  world_.live.erase("a-1");
  json::object id = ok("DetectStackDrift", R"({"StackName": "d"})");
  json::object st = ok("DescribeStackDriftDetectionStatus",
                       json::object{{"StackDriftDetectionId", id["StackDriftDetectionId"]}});
  EXPECT_EQ(core::str(st, "StackDriftStatus"), "DRIFTED");
  json::object drifts = ok("DescribeStackResourceDrifts", R"({"StackName": "d"})");
  std::map<std::string, std::string> by_id;
  for (const json::value& v : drifts["StackResourceDrifts"].as_array()) {
    by_id[core::str(v.as_object(), "LogicalResourceId")] = core::str(v.as_object(), "StackResourceDriftStatus");
  }
  EXPECT_EQ(by_id["A"], "DELETED");
  EXPECT_EQ(by_id["B"], "IN_SYNC");
}

}  // namespace
}  // namespace services::cloudformation
