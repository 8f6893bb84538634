#pragma once
// Shared by the identity group's provider tests: the real IAM, SSM, Secrets Manager and KMS
// operation tables over one in-memory store, the in-process client the providers call, a stack,
// and the providers as add_identity_providers and add_stack_providers register them.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <concepts>
#include <string>

#include "protocol/service_registry.h"
#include "services/cloudformation/resources/providers.h"
#include "services/iam/iam_directory.h"
#include "services/iam/iam_service.h"
#include "services/kms/aes_gcm.h"
#include "services/kms/key_ring.h"
#include "services/kms/kms_service.h"
#include "services/secretsmanager/secret_vault.h"
#include "services/secretsmanager/secretsmanager_service.h"
#include "services/ssm/parameter_vault.h"
#include "services/ssm/ssm_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"

// EXPECT_EQ(props.at("KeyId"), id): a JSON string member against a std::string.
namespace boost::json {
template <class S>
requires std::same_as<S, std::string>
bool operator==(const value& v, const S& s) { return v.is_string() && v.get_string() == s; }
}  // namespace boost::json

namespace services::cloudformation::resources {

using engine::ProvisionResult;
using engine::ResourceRequest;
using engine::UpdateBehavior;

class IdentityProvidersTest : public ::testing::Test {
 protected:
  IdentityProvidersTest() {
    iam_.register_operations(registry_);
    kms_.register_operations(registry_);
    ssm_.register_operations(registry_);
    secrets_.register_operations(registry_);
    add_identity_providers(providers_, client_);
    add_stack_providers(providers_, client_);
    stack_.account = "123456789012";
    stack_.region = "us-east-1";
    stack_.stack_name = "app";
    stack_.stack_id = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1b2c3d4e";
  }

  engine::ResourceProvider& provider(std::string_view type) {
    engine::ResourceProvider* p = providers_.find(type);
    EXPECT_NE(p, nullptr) << type;
    return *p;
  }
  ResourceRequest request(std::string type, std::string logical_id, std::string_view props) {
    ResourceRequest r;
    r.stack = &stack_;
    r.type = std::move(type);
    r.logical_id = std::move(logical_id);
    r.properties = boost::json::parse(props);
    return r;
  }
  // `created` moved to `props`, its previous properties what it had.
  static ResourceRequest updated(const ResourceRequest& created, const std::string& physical_id,
                                 std::string_view props) {
    ResourceRequest r = created;
    r.previous_properties = created.properties;
    r.properties = boost::json::parse(props);
    r.physical_id = physical_id;
    return r;
  }
  // create(), expecting success.
  ProvisionResult create(const ResourceRequest& req) {
    protocol::Result<ProvisionResult> r = provider(req.type).create(req);
    EXPECT_TRUE(r) << req.type << ": " << (r ? "" : r.error().code + ": " + r.error().message);
    return r ? *r : ProvisionResult{};
  }
  ProvisionResult update(const ResourceRequest& req) {
    protocol::Result<ProvisionResult> r = provider(req.type).update(req);
    EXPECT_TRUE(r) << req.type << ": " << (r ? "" : r.error().code + ": " + r.error().message);
    return r ? *r : ProvisionResult{};
  }
  // read()'s live properties.
  boost::json::object live(const ResourceRequest& req) {
    protocol::Result<ProvisionResult> r = provider(req.type).read(req);
    EXPECT_TRUE(r) << req.type << ": " << (r ? "" : r.error().code + ": " + r.error().message);
    if (!r) return {};
    EXPECT_FALSE(r->attributes.contains("Properties"));  // only Fn::GetAtt's names
    return r->properties;
  }
  // remove() twice (both succeed: delete is idempotent), then read() fails with `not_found`.
  void expect_removed(ResourceRequest req, const std::string& physical_id,
                      const std::string& not_found) {
    req.physical_id = physical_id;
    engine::ResourceProvider& p = provider(req.type);
    protocol::Result<void> first = p.remove(req);
    ASSERT_TRUE(first) << first.error().code << ": " << first.error().message;
    protocol::Result<void> again = p.remove(req);
    ASSERT_TRUE(again) << again.error().code << ": " << again.error().message;
    protocol::Result<ProvisionResult> gone = p.read(req);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, not_found);
  }
  // A direct call to a service, expecting success.
  boost::json::object call(std::string_view service, std::string_view op,
                           const boost::json::object& in) {
    protocol::Result<boost::json::object> r = client_.call(stack_, service, op, in);
    EXPECT_TRUE(r) << op << ": " << (r ? "" : r.error().code + ": " + r.error().message);
    return r ? *r : boost::json::object{};
  }
  protocol::AwsError call_error(std::string_view service, std::string_view op,
                                const boost::json::object& in) {
    protocol::Result<boost::json::object> r = client_.call(stack_, service, op, in);
    EXPECT_FALSE(r) << op << " succeeded";
    return r ? protocol::AwsError{} : r.error();
  }
  static std::string s(const boost::json::value& v) {
    return v.is_string() ? std::string(v.get_string()) : boost::json::serialize(v);
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  iam::IamDirectory directory_{db_};
  iam::IamService iam_{db_, clock_, directory_, nullptr};
  kms::KeyRing ring_{db_, clock_, kms::HostKey::from_bytes(kms::aes_gcm::random_bytes(32))};
  kms::KmsService kms_{ring_};
  ssm::ParameterVault parameters_{db_, ring_};
  ssm::SsmService ssm_{parameters_, clock_};
  secretsmanager::SecretVault secret_vault_{db_, clock_, ring_};
  secretsmanager::SecretsManagerService secrets_{secret_vault_};
  ServiceClient client_{registry_};
  engine::ResourceProviders providers_;
  engine::StackIdentity stack_;
};

}  // namespace services::cloudformation::resources
