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
#include "testing/registry_calls.h"

namespace services::ecs {

using fakes::J;

class EcsHandlersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  EcsHandlersTest() : RegistryCalls(registry_, "ecs") { ecs_.register_operations(registry_); }

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
