#pragma once
// Shared by the IAM handler tests: an in-memory store, a ManualClock, the Directory and the
// operation table, called the way the HTTP path calls it (model validation included).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "protocol/service_registry.h"
#include "services/iam/iam_directory.h"
#include "services/iam/iam_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

namespace services::iam {

using fakes::J;

inline constexpr std::string_view kEcsTasksTrust =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
    R"("Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
inline constexpr std::string_view kAllowS3Get =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",)"
    R"("Resource":"*"}]})";
inline constexpr std::string_view kExecutionPolicyArn =
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

class IamHandlersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  explicit IamHandlersTest(const Authority* authority = nullptr)
      : RegistryCalls(registry_, "iam"), service_(db_, clock_, directory_, authority) {
    service_.register_operations(registry_);
  }

  boost::json::object create_role(const std::string& name, const std::string& path = "/") {
    return ok("CreateRole",
              boost::json::object{
                  {"RoleName", name}, {"Path", path}, {"AssumeRolePolicyDocument", kEcsTasksTrust}})
        .at("Role")
        .as_object();
  }
  boost::json::object create_policy(const std::string& name,
                                    std::string_view document = kAllowS3Get) {
    return ok("CreatePolicy",
              boost::json::object{{"PolicyName", name}, {"PolicyDocument", document}})
        .at("Policy")
        .as_object();
  }
  static std::string s(const boost::json::value& v) { return std::string(v.as_string()); }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  IamDirectory directory_{db_};
  IamService service_;
};

}  // namespace services::iam
