#pragma once
// Shared by the Secrets Manager handler tests: an in-memory store, a ManualClock, a real KMS
// KeyRing (random host key) as the Keys port, and the operation tables of both services, called
// the way the HTTP path calls them (model validation included).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <concepts>
#include <string>

#include "protocol/service_registry.h"
#include "services/kms/aes_gcm.h"
#include "services/kms/key_ring.h"
#include "services/kms/kms_service.h"
#include "services/secretsmanager/secret_vault.h"
#include "services/secretsmanager/secretsmanager_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

// EXPECT_EQ(reply.at("Name"), name): a JSON string member against a std::string.
namespace boost::json {
template <class S>
requires std::same_as<S, std::string>
bool operator==(const value& v, const S& s) { return v.is_string() && v.get_string() == s; }
}  // namespace boost::json

namespace services::secretsmanager {

using fakes::J;

class SecretsManagerTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  SecretsManagerTest() : RegistryCalls(registry_, "secretsmanager") {
    service_.register_operations(registry_);
    kms_service_.register_operations(registry_);
  }

  // CreateSecret with a SecretString; returns its output.
  boost::json::object create(const std::string& name, const std::string& value) {
    return ok("CreateSecret", boost::json::object{{"Name", name}, {"SecretString", value}});
  }
  std::string value_of(const std::string& id, const std::string& stage = "") {
    boost::json::object in{{"SecretId", id}};
    if (!stage.empty()) in["VersionStage"] = stage;
    boost::json::object out = ok("GetSecretValue", in);
    return out.contains("SecretString") ? std::string(out.at("SecretString").as_string()) : "";
  }
  // PutSecretValue; returns the new version id.
  std::string put(const std::string& id, const std::string& value) {
    return std::string(
        ok("PutSecretValue", boost::json::object{{"SecretId", id}, {"SecretString", value}})
            .at("VersionId")
            .as_string());
  }
  boost::json::object stages_of(const std::string& id) {
    boost::json::object d = ok("DescribeSecret", boost::json::object{{"SecretId", id}});
    return d.contains("VersionIdsToStages") ? d.at("VersionIdsToStages").as_object()
                                            : boost::json::object{};
  }
  // A new KMS key's id.
  std::string create_key() {
    auto r = registry_.call(ctx(), "kms", "CreateKey", boost::json::object{});
    return std::string(r->at("KeyMetadata").at("KeyId").as_string());
  }
  void disable_key(const std::string& key) {
    EXPECT_TRUE(registry_.call(ctx(), "kms", "DisableKey", boost::json::object{{"KeyId", key}}));
  }
  static std::string token(char c) { return std::string(32, c); }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  kms::KeyRing ring_{db_, clock_, kms::HostKey::from_bytes(kms::aes_gcm::random_bytes(32))};
  kms::KmsService kms_service_{ring_};
  SecretVault vault_{db_, clock_, ring_};
  SecretsManagerService service_{vault_};
};

}  // namespace services::secretsmanager
