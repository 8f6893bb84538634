#pragma once
// Shared by the EC2 provider tests: the real EC2 handlers over an in-memory store, called by the
// providers through the in-process client, and by the tests directly (ok/err) to check what the
// providers did.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "protocol/service_registry.h"
#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/providers.h"
#include "services/cloudformation/resources/service_client.h"
#include "services/ec2/ec2_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

namespace services::cloudformation::resources {

using fakes::J;

class Ec2ProvidersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  Ec2ProvidersTest() : RegistryCalls(registry_, "ec2") {
    ec2_.register_operations(registry_);
    add_ec2_providers(providers_, client_);
  }

  engine::ResourceProvider& provider(std::string_view type) {
    engine::ResourceProvider* p = providers_.find(type);
    EXPECT_NE(p, nullptr) << type;
    return *p;
  }

  // A request for `type` as the stack worker makes it.
  engine::ResourceRequest request(std::string_view type, std::string_view logical_id,
                                  boost::json::value props, std::string physical_id = "",
                                  boost::json::value previous = nullptr) {
    return {&stack_,          std::string(logical_id), std::string(type),
            std::move(props), std::move(previous),     std::move(physical_id)};
  }
  // The same resource, now with `props` (what update() gets after `req`).
  static engine::ResourceRequest updated(const engine::ResourceRequest& req,
                                         const engine::ProvisionResult& created,
                                         boost::json::value props) {
    engine::ResourceRequest next = req;
    next.previous_properties = req.properties;
    next.properties = std::move(props);
    next.physical_id = created.physical_id;
    return next;
  }
  static engine::ResourceRequest existing(const engine::ResourceRequest& req,
                                          const engine::ProvisionResult& created) {
    engine::ResourceRequest next = req;
    next.physical_id = created.physical_id;
    return next;
  }

  template <class T>
  static T value(protocol::Result<T> r) {
    if (!r) {
      ADD_FAILURE() << r.error().code << ": " << r.error().message;
      return T{};
    }
    return std::move(*r);
  }
  // A string value as is, anything else as JSON.
  static std::string text(const boost::json::value& v) {
    return v.is_string() ? std::string(v.get_string()) : boost::json::serialize(v);
  }
  template <class T>
  static std::string error_code(const protocol::Result<T>& r) {
    return r ? std::string("(success)") : r.error().code;
  }

  // remove() succeeds, and again (the resource already gone); then read() is `not_found_code`.
  static void expect_deleted(engine::ResourceProvider& p, const engine::ResourceRequest& req,
                             std::string_view not_found_code) {
    auto first = p.remove(req);
    EXPECT_TRUE(first) << first.error().code << ": " << first.error().message;
    EXPECT_TRUE(p.remove(req)) << "a second delete must succeed";
    EXPECT_EQ(error_code(p.read(req)), not_found_code);
  }

  engine::ProvisionResult create(std::string_view type, std::string_view logical_id,
                                 std::string_view props_json) {
    return value(provider(type).create(request(type, logical_id, boost::json::parse(props_json))));
  }

  // A VPC, made directly through EC2.
  std::string make_vpc(std::string_view cidr = "10.0.0.0/16") {
    return std::string(ok("CreateVpc", {{"CidrBlock", cidr}})["Vpc"].at("VpcId").as_string());
  }
  std::string make_subnet(const std::string& vpc, std::string_view cidr) {
    return std::string(ok("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", cidr}})["Subnet"]
                           .at("SubnetId")
                           .as_string());
  }

  // The value of tag `key` on the first document of a Describe answer, "" when absent.
  static std::string tag(const boost::json::object& doc, std::string_view key) {
    if (const boost::json::value* tags = doc.if_contains("Tags")) {
      for (const boost::json::value& t : tags->as_array()) {
        if (t.at("Key").as_string() == key) {
          return std::string(t.at("Value").as_string());
        }
      }
    }
    return "";
  }
  boost::json::object describe(std::string_view op, std::string_view ids_member,
                               const std::string& id, std::string_view out_member) {
    boost::json::object out = ok(op, {{ids_member, boost::json::array{boost::json::value(id)}}});
    if (!out.contains(out_member) || out[out_member].as_array().empty()) {
      ADD_FAILURE() << op << " found nothing for " << id;
      return {};
    }
    return out[out_member].as_array().at(0).as_object();
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  services::ec2::Ec2Service ec2_{db_, clock_};
  ServiceClient client_{registry_};
  engine::ResourceProviders providers_;
  engine::StackIdentity stack_{"123456789012", "us-east-1", "net",
                               "arn:aws:cloudformation:us-east-1:123456789012:stack/net/1"};
};

}  // namespace services::cloudformation::resources
