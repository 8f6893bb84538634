#pragma once
// Shared by the SSM handler tests: an in-memory store, a ManualClock, a real KMS KeyRing (with
// its own operation table, to create and disable keys) and the SSM operation table, called the
// way the HTTP path calls them (model validation included).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "protocol/service_registry.h"
#include "services/kms/aes_gcm.h"
#include "services/kms/key_ring.h"
#include "services/kms/kms_service.h"
#include "services/ssm/parameter_vault.h"
#include "services/ssm/ssm_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

namespace services::ssm {

using boost::json::array;
using boost::json::object;
using fakes::J;

class SsmHandlersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  SsmHandlersTest() : RegistryCalls(registry_, "ssm") {
    service_.register_operations(registry_);
    kms_service_.register_operations(registry_);
  }

  // PutParameter's Version.
  int64_t put(const std::string& name, const std::string& value, const std::string& type = "String",
              object extra = {}) {
    extra["Name"] = name;
    extra["Value"] = value;
    extra["Type"] = type;
    return ok("PutParameter", extra).at("Version").as_int64();
  }
  object get(const std::string& name, bool decrypt = false) {
    return ok("GetParameter", object{{"Name", name}, {"WithDecryption", decrypt}})
        .at("Parameter")
        .as_object();
  }
  std::string value_of(const std::string& name, bool decrypt = false) {
    return std::string(get(name, decrypt).at("Value").as_string());
  }
  // A KMS call's output (a customer key: CreateKey, DisableKey, ...).
  object kms(std::string_view op, const object& in) {
    protocol::Result<object> r = registry_.call(ctx(), "kms", op, in);
    EXPECT_TRUE(r) << op << ": " << (r ? "" : r.error().message);
    return r ? *r : object{};
  }
  std::string create_key() {
    return std::string(kms("CreateKey", {}).at("KeyMetadata").at("KeyId").as_string());
  }
  std::vector<std::string> names_in(const object& reply) {
    std::vector<std::string> out;
    for (const auto& p : reply.at("Parameters").as_array()) {
      out.emplace_back(p.at("Name").as_string());
    }
    return out;
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  kms::KeyRing ring_{db_, clock_, kms::HostKey::from_bytes(kms::aes_gcm::random_bytes(32))};
  kms::KmsService kms_service_{ring_};
  ParameterVault vault_{db_, ring_};
  SsmService service_{vault_, clock_};
};

}  // namespace services::ssm
