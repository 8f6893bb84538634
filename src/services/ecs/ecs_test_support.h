#pragma once
// Shared by the ECS handler tests: an in-memory store, a ManualClock and the operation table,
// called the way the HTTP path calls it (model validation included).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "protocol/service_registry.h"
#include "services/ecs/ecs_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"

namespace services::ecs {

inline boost::json::object J(std::string_view text) {
  return boost::json::parse(text).as_object();
}

class EcsHandlersTest : public ::testing::Test {
 protected:
  EcsHandlersTest() { ecs_.register_operations(registry_); }

  protocol::RequestContext ctx(std::string region = "us-east-1",
                               std::string account = "123456789012") const {
    protocol::RequestContext c;
    c.request_id = "req";
    c.account = std::move(account);
    c.region = std::move(region);
    c.caller_arn = "arn:aws:iam::" + c.account + ":root";
    return c;
  }

  // A successful call's output; records a failure and returns {} otherwise.
  boost::json::object ok(std::string_view op, const boost::json::object& in,
                         const protocol::RequestContext& c) {
    protocol::Result<boost::json::object> r = registry_.call(c, "ecs", op, in);
    if (!r) {
      ADD_FAILURE() << op << " failed: " << r.error().code << ": " << r.error().message;
      return {};
    }
    return *r;
  }
  boost::json::object ok(std::string_view op, const boost::json::object& in) {
    return ok(op, in, ctx());
  }
  boost::json::object ok(std::string_view op, std::string_view in) { return ok(op, J(in)); }

  protocol::AwsError err(std::string_view op, const boost::json::object& in,
                         const protocol::RequestContext& c) {
    protocol::Result<boost::json::object> r = registry_.call(c, "ecs", op, in);
    if (r) {
      ADD_FAILURE() << op << " succeeded: " << boost::json::serialize(*r);
      return {};
    }
    return r.error();
  }
  protocol::AwsError err(std::string_view op, const boost::json::object& in) {
    return err(op, in, ctx());
  }
  protocol::AwsError err(std::string_view op, std::string_view in) { return err(op, J(in)); }

  // A Fargate task definition "web" (256/512, awsvpc, port 80) registered; returns its ARN.
  std::string register_web(std::string family = "web") {
    boost::json::object out = ok("RegisterTaskDefinition", J(R"({"family":")" + family + R"(",
        "requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512",
        "containerDefinitions":[{"name":"app","image":"nginx",
          "portMappings":[{"containerPort":80}]}]})"));
    return std::string(out["taskDefinition"].as_object()["taskDefinitionArn"].as_string());
  }

  static constexpr const char* kNetwork =
      R"({"awsvpcConfiguration":{"subnets":["subnet-1"],"securityGroups":["sg-1"]}})";

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  EcsService ecs_{db_, clock_};
};

inline std::string S(const boost::json::value& v) { return std::string(v.as_string()); }

}  // namespace services::ecs
