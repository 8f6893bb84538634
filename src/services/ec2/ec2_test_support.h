#pragma once
// Shared by the EC2 handler tests: an in-memory store, a ManualClock and the operation table,
// called the way the HTTP path calls it (model validation included).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "protocol/service_registry.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/store_network_directory.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

namespace services::ec2 {

using fakes::J;

class Ec2HandlersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  Ec2HandlersTest() : RegistryCalls(registry_, "ec2") { ec2_.register_operations(registry_); }

  static std::string s(const boost::json::value& v) { return std::string(v.as_string()); }

  std::string create_vpc(std::string_view cidr = "10.0.0.0/16") {
    return s(ok("CreateVpc", {{"CidrBlock", cidr}})["Vpc"].at("VpcId"));
  }
  std::string create_subnet(const std::string& vpc, std::string_view cidr,
                            std::string_view zone = "us-east-1a") {
    return s(ok("CreateSubnet",
                {{"VpcId", vpc}, {"CidrBlock", cidr}, {"AvailabilityZone", zone}})["Subnet"]
                 .at("SubnetId"));
  }
  std::string create_group(const std::string& vpc, std::string_view name) {
    return s(ok("CreateSecurityGroup",
                {{"VpcId", vpc}, {"GroupName", name}, {"Description", "test group"}})["GroupId"]);
  }
  boost::json::object describe_one(std::string_view op, std::string_view ids_member,
                                   const std::string& id, std::string_view out_member) {
    boost::json::object out = ok(op, {{ids_member, boost::json::array{boost::json::value(id)}}});
    EXPECT_EQ(out[out_member].as_array().size(), 1u);
    return out[out_member].as_array().at(0).as_object();
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  Ec2Service ec2_{db_, clock_};
  StoreNetworkDirectory directory_{ec2_};
};

}  // namespace services::ec2
