// The AWS::Logs::* providers against the real CloudWatch Logs handlers over an in-memory store.

#include <gtest/gtest.h>

#include "services/cloudformation/resources/load_balancing_test_support.h"
#include "services/cloudformation/resources/providers.h"
#include "services/logs/logs_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using engine::ResourceRequest;
using engine::UpdateBehavior;

class LogsProvidersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  LogsProvidersTest() : RegistryCalls(registry_, "logs") {
    logs_.register_operations(registry_);
    add_load_balancing_providers(providers_, client_);
  }

  engine::ResourceProvider& provider(std::string_view type) {
    engine::ResourceProvider* p = providers_.find("AWS::Logs::" + std::string(type));
    EXPECT_NE(p, nullptr) << type;
    return *p;
  }
  ResourceRequest request(std::string logical_id, std::string_view props) {
    return make_request(stack_, std::move(logical_id), props);
  }
  static ResourceRequest update_of(ResourceRequest req, std::string_view props) {
    return as_update(std::move(req), props);
  }
  // create() with the physical id filled in.
  ResourceRequest created(std::string_view type, ResourceRequest req) {
    auto r = provider(type).create(req);
    EXPECT_TRUE(r) << type << ": " << (r ? "" : r.error().code + " " + r.error().message);
    req.physical_id = r ? r->physical_id : "";
    return req;
  }
  json::object group(const std::string& name) {
    json::object out = ok("DescribeLogGroups", json::object{{"logGroupNamePrefix", name}});
    for (const json::value& g : out.at("logGroups").as_array()) {
      if (g.at("logGroupName").as_string() == name) return g.as_object();
    }
    ADD_FAILURE() << "no log group " << name;
    return {};
  }
  void expect_gone(std::string_view type, const ResourceRequest& req) {
    ASSERT_TRUE(provider(type).remove(req));
    EXPECT_TRUE(provider(type).remove(req)) << "remove is idempotent";
    auto r = provider(type).read(req);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "ResourceNotFoundException");
  }

  engine::StackIdentity stack_{"123456789012", "us-east-1", "app",
                               "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1"};
  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  logs::LogsService logs_{db_, clock_};
  ServiceClient client_{registry_};
  engine::ResourceProviders providers_;
};

TEST_F(LogsProvidersTest, LogGroupRefIsItsNameAndArnEndsWithStar) {
  ResourceRequest req = created("LogGroup", request("AppLogs", R"({"RetentionInDays": "7",
      "Tags": [{"Key": "team", "Value": "web"}]})"));
  EXPECT_TRUE(req.physical_id.starts_with("app-AppLogs-")) << req.physical_id;
  auto read = provider("LogGroup").read(req);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->physical_id, req.physical_id);
  EXPECT_EQ(read->attributes.at("Arn").as_string(),
            "arn:aws:logs:us-east-1:123456789012:log-group:" + req.physical_id + ":*");
  EXPECT_EQ(group(req.physical_id).at("retentionInDays"), 7);
  // The live value in the template's form ("7"), so that drift detection finds it in sync.
  EXPECT_EQ(read->properties.at("RetentionInDays"), "7");
  json::object tags = ok("ListTagsLogGroup", json::object{{"logGroupName", req.physical_id}})
                          .at("tags")
                          .as_object();
  EXPECT_EQ(tags.at("team"), "web");
  // CloudFormation's own tags: Logs accepts the reserved prefix from CloudFormation only.
  EXPECT_EQ(tags.at("aws:cloudformation:logical-id"), "AppLogs");
}

TEST_F(LogsProvidersTest, LogGroupUpdatesRetentionAndTagsInPlace) {
  ResourceRequest req = created("LogGroup", request("AppLogs", R"({"LogGroupName": "/ecs/web",
      "RetentionInDays": 7, "Tags": [{"Key": "team", "Value": "web"}]})"));
  EXPECT_EQ(req.physical_id, "/ecs/web");
  ResourceRequest up = update_of(req, R"({"LogGroupName": "/ecs/web", "RetentionInDays": 14,
      "Tags": [{"Key": "tier", "Value": "front"}]})");
  auto r = provider("LogGroup").update(up);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->physical_id, "/ecs/web");
  EXPECT_EQ(group("/ecs/web").at("retentionInDays"), 14);
  json::object tags =
      ok("ListTagsLogGroup", json::object{{"logGroupName", "/ecs/web"}}).at("tags").as_object();
  tags.erase("aws:cloudformation:stack-name");
  tags.erase("aws:cloudformation:stack-id");
  EXPECT_EQ(tags, (json::object{{"aws:cloudformation:logical-id", "AppLogs"}, {"tier", "front"}}));

  ResourceRequest never = update_of(up, R"({"LogGroupName": "/ecs/web"})");
  ASSERT_TRUE(provider("LogGroup").update(never));
  EXPECT_FALSE(group("/ecs/web").contains("retentionInDays")) << "retention back to never expire";
}

TEST_F(LogsProvidersTest, LogGroupUpdateBehaviorErrorsAndRemoval) {
  engine::ResourceProvider& p = provider("LogGroup");
  expect_update_behaviors(p, {"LogGroupName"}, {"RetentionInDays", "KmsKeyId", "Tags"});
  auto bad = p.create(request("L", R"({"LogGroupName": "g", "RetentionInDays": 8})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "InvalidParameterException");
  ResourceRequest dup = request("L", R"({"LogGroupName": "g"})");
  dup.physical_id = "g";
  EXPECT_FALSE(p.read(dup));  // the failed create left no group behind
  ASSERT_TRUE(p.create(dup));
  EXPECT_EQ(p.create(dup).error().code, "ResourceAlreadyExistsException");
  expect_gone("LogGroup", dup);
}

TEST_F(LogsProvidersTest, LogStreamRefIsItsNameInItsGroup) {
  created("LogGroup", request("G", R"({"LogGroupName": "g"})"));
  auto missing = provider("LogStream").create(request("S", "{}"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            "Properties validation failed for resource S with message: #: required key "
            "[LogGroupName] not found");
  ResourceRequest named = created("LogStream", request("S", R"({"LogGroupName": "g",
                                                               "LogStreamName": "web/1"})"));
  EXPECT_EQ(named.physical_id, "web/1");
  ResourceRequest generated = created("LogStream", request("Stream", R"({"LogGroupName": "g"})"));
  EXPECT_TRUE(generated.physical_id.starts_with("app-Stream-")) << generated.physical_id;
  json::object streams = ok("DescribeLogStreams", json::object{{"logGroupName", "g"}});
  EXPECT_EQ(streams.at("logStreams").as_array().size(), 2u);
  ASSERT_TRUE(provider("LogStream").read(named));
  EXPECT_EQ(provider("LogStream").update_behavior("LogStreamName"), UpdateBehavior::Replacement);
  EXPECT_EQ(provider("LogStream").update_behavior("LogGroupName"), UpdateBehavior::Replacement);
  expect_gone("LogStream", named);
}

TEST_F(LogsProvidersTest, MetricFilterMapsTransformationsAndUpdatesInPlace) {
  created("LogGroup", request("G", R"({"LogGroupName": "g"})"));
  ResourceRequest req = created("MetricFilter", request("Errors", R"({"LogGroupName": "g",
      "FilterPattern": "{ $.level = \"error\" }",
      "MetricTransformations": [{"MetricName": "Errors", "MetricNamespace": "App",
          "MetricValue": "1", "Unit": "Count",
          "Dimensions": [{"Key": "Level", "Value": "$.level"}]}]})"));
  EXPECT_TRUE(req.physical_id.starts_with("app-Errors-")) << req.physical_id;
  json::object f = ok("DescribeMetricFilters", json::object{{"logGroupName", "g"}})
                       .at("metricFilters")
                       .as_array()[0]
                       .as_object();
  EXPECT_EQ(f.at("filterName").as_string(), req.physical_id);
  json::object t = f.at("metricTransformations").as_array()[0].as_object();
  EXPECT_EQ(t.at("metricName"), "Errors");
  EXPECT_EQ(t.at("unit"), "Count");
  EXPECT_EQ(t.at("dimensions"), (json::object{{"Level", "$.level"}}));

  ResourceRequest up = update_of(req, R"({"LogGroupName": "g", "FilterPattern": "WARN",
      "MetricTransformations": [{"MetricName": "Warnings", "MetricNamespace": "App",
                                 "MetricValue": "1", "DefaultValue": "0"}]})");
  auto r = provider("MetricFilter").update(up);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->physical_id, req.physical_id);
  json::array filters = ok("DescribeMetricFilters", json::object{{"logGroupName", "g"}})
                            .at("metricFilters")
                            .as_array();
  ASSERT_EQ(filters.size(), 1u);
  EXPECT_EQ(filters[0].at("filterPattern"), "WARN");
  json::object t2 = filters[0].at("metricTransformations").as_array()[0].as_object();
  EXPECT_EQ(t2.at("metricName"), "Warnings");
  EXPECT_EQ(t2.at("defaultValue").to_number<double>(), 0.0);
}

TEST_F(LogsProvidersTest, MetricFilterUpdateBehaviorAndRemoval) {
  engine::ResourceProvider& p = provider("MetricFilter");
  expect_update_behaviors(p, {"FilterName", "LogGroupName"},
                          {"FilterPattern", "MetricTransformations"});
  created("LogGroup", request("G", R"({"LogGroupName": "g"})"));
  ResourceRequest req = created("MetricFilter", request("F", R"({"LogGroupName": "g",
      "FilterName": "errors", "FilterPattern": "ERROR",
      "MetricTransformations": [{"MetricName": "E", "MetricNamespace": "N", "MetricValue": "1"}]})"));
  EXPECT_EQ(req.physical_id, "errors");
  ASSERT_TRUE(p.read(req));
  expect_gone("MetricFilter", req);
}

}  // namespace
}  // namespace services::cloudformation::resources
