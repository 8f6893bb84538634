#pragma once
// Shared by the container and scaling providers' tests: the real ECS, ECR, CloudWatch and
// Application Auto Scaling handlers over one in-memory store and registry (the in-process
// client's path, model validation included), every provider registered, and a stack "app".

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "services/autoscaling/autoscaling_service.h"
#include "services/autoscaling/registry_ports.h"
#include "services/cloudformation/resources/providers.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "services/ecr/auth_token.h"
#include "services/ecr/ecr_service.h"
#include "services/ecr/ecr_test_support.h"
#include "services/ecr/image_store.h"
#include "services/ecs/ecs_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

namespace services::cloudformation::resources {

namespace json = boost::json;
using engine::Progress;
using engine::ResourceRequest;
using engine::UpdateBehavior;
using fakes::J;

inline std::string S(const json::value& v) { return std::string(v.as_string()); }

class ProvidersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  ProvidersTest() : RegistryCalls(registry_, "ecs") {
    ecs_.register_operations(registry_);
    ecr_.register_operations(registry_);
    cloudwatch_.register_operations(registry_);
    autoscaling_.register_operations(registry_);
    add_all_providers(providers_, client_);
  }

  engine::ResourceProvider& provider(std::string_view type) {
    engine::ResourceProvider* p = providers_.find(type);
    EXPECT_NE(p, nullptr) << type;
    return *p;
  }
  ResourceRequest request(std::string logical, std::string type, std::string_view props,
                          std::string physical = "") {
    return ResourceRequest{&stack_, std::move(logical), std::move(type), json::parse(props),
                           nullptr, std::move(physical)};
  }
  // The update of `before` to `props`.
  static ResourceRequest changed_to(ResourceRequest before, std::string_view props) {
    before.previous_properties = before.properties;
    before.properties = json::parse(props);
    return before;
  }
  template <class T>
  static T ok_(protocol::Result<T> r) {
    EXPECT_TRUE(r) << r.error().code << ": " << r.error().message;
    return r ? std::move(*r) : T{};
  }
  static protocol::AwsError err_(const protocol::Result<engine::ProvisionResult>& r) {
    EXPECT_FALSE(r);
    return r ? protocol::AwsError{} : r.error();
  }
  json::object call(std::string_view service, std::string_view op, const json::object& in) {
    auto r = registry_.call(ctx(), service, op, in);
    EXPECT_TRUE(r) << op << ": " << r.error().code << ": " << r.error().message;
    return r ? *r : json::object{};
  }
  std::string call_error(std::string_view service, std::string_view op, const json::object& in) {
    auto r = registry_.call(ctx(), service, op, in);
    EXPECT_FALSE(r) << op;
    return r ? "" : r.error().code;
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  ecs::EcsService ecs_{db_, clock_};
  ecr::testing_support::TempDir dir_;
  ecr::BlobStore blobs_{ecr::ecr_dir(dir_.path())};
  ecr::EcrStore ecr_store_{db_, blobs_, clock_};
  ecr::UploadStore uploads_{db_, blobs_, clock_};
  ecr::TokenIssuer tokens_{dir_.path()};
  ecr::EcrService ecr_{ecr_store_, uploads_, tokens_, clock_, ecr::EcrHooks{}};
  cloudwatch::CloudWatchService cloudwatch_{db_, clock_};
  autoscaling::EcsServiceCapacity capacity_{registry_};
  autoscaling::CloudWatchPolicyAlarms alarms_{registry_};
  autoscaling::AutoscalingService autoscaling_{db_, clock_, capacity_, alarms_};
  ServiceClient client_{registry_};
  engine::ResourceProviders providers_;
  engine::StackIdentity stack_{"123456789012", "us-east-1", "app",
                               "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1234"};
};

}  // namespace services::cloudformation::resources
