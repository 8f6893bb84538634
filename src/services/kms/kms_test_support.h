#pragma once
// Shared by the KMS handler tests: an in-memory store, a ManualClock, a KeyRing with a random
// host key and the operation table, called the way the HTTP path calls it (model validation
// included).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <concepts>
#include <string>

#include "protocol/service_registry.h"
#include "services/kms/aes_gcm.h"
#include "services/kms/key_ring.h"
#include "services/kms/kms_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

// EXPECT_EQ(reply.at("KeyId"), id): a JSON string member against a std::string.
namespace boost::json {
template <class S>
requires std::same_as<S, std::string>
bool operator==(const value& v, const S& s) { return v.is_string() && v.get_string() == s; }
}  // namespace boost::json

namespace services::kms {

using fakes::J;

class KmsHandlersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  KmsHandlersTest() : RegistryCalls(registry_, "kms") { service_.register_operations(registry_); }

  // A new key's id.
  std::string create_key(const std::string& description = "") {
    return std::string(ok("CreateKey", boost::json::object{{"Description", description}})
                           .at("KeyMetadata")
                           .at("KeyId")
                           .as_string());
  }
  std::string arn_of(const std::string& key_id) const {
    return "arn:aws:kms:us-east-1:123456789012:key/" + key_id;
  }
  std::string state_of(const std::string& key_id) {
    return std::string(ok("DescribeKey", boost::json::object{{"KeyId", key_id}})
                           .at("KeyMetadata")
                           .at("KeyState")
                           .as_string());
  }
  // Encrypt's CiphertextBlob (raw bytes).
  std::string encrypt(const std::string& key, const std::string& plaintext,
                      const boost::json::object& context = {}) {
    boost::json::object in{{"KeyId", key}, {"Plaintext", plaintext}};
    if (!context.empty()) in["EncryptionContext"] = context;
    return std::string(ok("Encrypt", in).at("CiphertextBlob").as_string());
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  KeyRing ring_{db_, clock_, HostKey::from_bytes(aes_gcm::random_bytes(32))};
  KmsService service_{ring_};
};

}  // namespace services::kms
