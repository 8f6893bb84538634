#pragma once
// Shared by the DynamoDB handler tests: an in-memory store, a ManualClock and the operation
// table, called the way the HTTP path calls it (model validation included). Blobs are raw bytes,
// as the JSON codec hands them to handlers.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <concepts>
#include <string>

#include "protocol/service_registry.h"
#include "services/dynamodb/dynamodb_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

// EXPECT_EQ(reply.at("TableStatus"), std::string(...)): a JSON string member against a string.
namespace boost::json {
template <class S>
requires std::same_as<S, std::string>
bool operator==(const value& v, const S& s) { return v.is_string() && v.get_string() == s; }
}  // namespace boost::json

namespace services::dynamodb {

using fakes::J;

class DynamoDbTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  DynamoDbTest() : RegistryCalls(registry_, "dynamodb") { service_.register_operations(registry_); }

  // Creates an on-demand table keyed by pk (S) and, when `sort_type` is given, sk; lets it
  // become ACTIVE. `extra` members are merged into the request.
  void create(const std::string& name, const std::string& sort_type = "",
              const boost::json::object& extra = {}) {
    boost::json::object in = J(R"({"BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})");
    in["TableName"] = name;
    if (!sort_type.empty()) {
      in["KeySchema"].as_array().push_back(J(R"({"AttributeName": "sk", "KeyType": "RANGE"})"));
      boost::json::object def{{"AttributeName", "sk"}, {"AttributeType", sort_type}};
      in["AttributeDefinitions"].as_array().push_back(def);
    }
    for (const auto& [k, v] : extra) {
      if (k == "AttributeDefinitions") {
        for (const auto& d : v.as_array()) in[k].as_array().push_back(d);
      } else {
        in[k] = v;
      }
    }
    ok("CreateTable", in);
    settle();
  }
  // Lets every CREATING/UPDATING transition end.
  void settle() { clock_.advance(std::chrono::seconds(5)); }

  boost::json::object put(const std::string& table, const std::string& item) {
    boost::json::object in{{"TableName", table}, {"Item", J(item)}};
    return ok("PutItem", in);
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  DynamoDbService service_{db_, clock_};
};

}  // namespace services::dynamodb
