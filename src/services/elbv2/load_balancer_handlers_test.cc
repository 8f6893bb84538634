#include <gtest/gtest.h>

#include "services/elbv2/elbv2_test_support.h"

namespace services::elbv2 {
namespace {

namespace json = boost::json;

class LoadBalancerHandlersTest : public Elbv2Test {};

TEST_F(LoadBalancerHandlersTest, NewLoadBalancerProvisionsThenBecomesActiveOnTheClock) {
  std::string arn = make_lb();
  auto describe = [&] {
    auto out = ok("DescribeLoadBalancers", {{"LoadBalancerArns", json::array{arn}}});
    return std::string(
        out["LoadBalancers"].as_array()[0].as_object()["State"].as_object()["Code"].as_string());
  };
  EXPECT_EQ(describe(), "provisioning");
  service_.run_background();
  EXPECT_EQ(describe(), "provisioning");
  clock_.advance(kProvisioningTime);
  service_.run_background();
  EXPECT_EQ(describe(), "active");
  EXPECT_EQ(service_.snapshots().current()->load_balancers.at(0).state, "active");
}

TEST_F(LoadBalancerHandlersTest, DescribesAsAwsDoes) {
  auto out =
      ok("CreateLoadBalancer", {{"Name", "web"}, {"Subnets", json::array{"subnet-a", "subnet-b"}}});
  json::object lb = out["LoadBalancers"].as_array()[0].as_object();
  EXPECT_TRUE(std::string(lb["LoadBalancerArn"].as_string())
                  .starts_with("arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                               "loadbalancer/app/web/"));
  std::string dns(lb["DNSName"].as_string());
  EXPECT_TRUE(dns.starts_with("web-")) << dns;
  EXPECT_TRUE(dns.ends_with(".us-east-1.elb.localhost")) << dns;
  EXPECT_EQ(lb["CanonicalHostedZoneId"], "Z35SXDOTRQ7X7K");
  EXPECT_EQ(lb["Scheme"], "internet-facing");
  EXPECT_EQ(lb["Type"], "application");
  EXPECT_EQ(lb["VpcId"], "vpc-1");
  EXPECT_EQ(lb["IpAddressType"], "ipv4");
  // No group given: the VPC's default group.
  EXPECT_EQ(lb["SecurityGroups"], (json::array{"sg-default"}));
  EXPECT_EQ(lb["AvailabilityZones"].as_array().size(), 2u);
  EXPECT_EQ(network_.live().size(), 2u);  // one interface per subnet
}

TEST_F(LoadBalancerHandlersTest, InternalSchemePrefixesTheDnsName) {
  auto out = ok(
      "CreateLoadBalancer",
      {{"Name", "api"}, {"Scheme", "internal"}, {"Subnets", json::array{"subnet-a", "subnet-b"}}});
  std::string dns(out["LoadBalancers"].as_array()[0].as_object()["DNSName"].as_string());
  EXPECT_TRUE(dns.starts_with("internal-api-")) << dns;
}

TEST_F(LoadBalancerHandlersTest, RequiresSubnetsInTwoAvailabilityZones) {
  auto r = call("CreateLoadBalancer", {{"Name", "web"}, {"Subnets", json::array{"subnet-a"}}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ValidationError");
  EXPECT_EQ(r.error().message,
            "At least two subnets in two different Availability Zones must be specified");
  EXPECT_EQ(error_code("CreateLoadBalancer",
                       {{"Name", "web"}, {"Subnets", json::array{"subnet-a", "subnet-c"}}}),
            "InvalidConfigurationRequest");
  EXPECT_EQ(error_code("CreateLoadBalancer",
                       {{"Name", "web"}, {"Subnets", json::array{"subnet-a", "subnet-zz"}}}),
            "SubnetNotFound");
  EXPECT_EQ(error_code("CreateLoadBalancer",
                       {{"Name", "web"}, {"Subnets", json::array{"subnet-a", "subnet-x"}}}),
            "InvalidConfigurationRequest");
  EXPECT_TRUE(network_.live().empty());
}

TEST_F(LoadBalancerHandlersTest, RejectsUnknownOrForeignSecurityGroups) {
  EXPECT_EQ(error_code("CreateLoadBalancer", {{"Name", "web"},
                                              {"Subnets", json::array{"subnet-a", "subnet-b"}},
                                              {"SecurityGroups", json::array{"sg-nope"}}}),
            "InvalidSecurityGroup");
  EXPECT_EQ(error_code("CreateLoadBalancer", {{"Name", "web"},
                                              {"Subnets", json::array{"subnet-a", "subnet-b"}},
                                              {"SecurityGroups", json::array{"sg-other"}}}),
            "InvalidConfigurationRequest");
}

TEST_F(LoadBalancerHandlersTest, SameNameSameSettingsIsIdempotentOtherwiseDuplicate) {
  std::string arn = make_lb();
  EXPECT_EQ(make_lb(), arn);
  EXPECT_EQ(error_code("CreateLoadBalancer", {{"Name", "web"},
                                              {"Scheme", "internal"},
                                              {"Subnets", json::array{"subnet-a", "subnet-b"}}}),
            "DuplicateLoadBalancerName");
}

TEST_F(LoadBalancerHandlersTest, ValidatesNames) {
  EXPECT_EQ(error_code("CreateLoadBalancer",
                       {{"Name", "-web"}, {"Subnets", json::array{"subnet-a", "subnet-b"}}}),
            "ValidationError");
  EXPECT_EQ(error_code("CreateLoadBalancer", {{"Name", "internal-web"},
                                              {"Subnets", json::array{"subnet-a", "subnet-b"}}}),
            "ValidationError");
  EXPECT_EQ(error_code("CreateLoadBalancer", {{"Name", std::string(33, 'a')},
                                              {"Subnets", json::array{"subnet-a", "subnet-b"}}}),
            "ValidationError");
}

TEST_F(LoadBalancerHandlersTest, AttributesHaveAwsDefaultsAndAreValidated) {
  std::string arn = make_lb();
  auto out = ok("DescribeLoadBalancerAttributes", {{"LoadBalancerArn", arn}});
  std::map<std::string, std::string> attrs;
  for (const json::value& a : out["Attributes"].as_array()) {
    attrs[std::string(a.as_object().at("Key").as_string())] =
        std::string(a.as_object().at("Value").as_string());
  }
  EXPECT_EQ(attrs["idle_timeout.timeout_seconds"], "60");
  EXPECT_EQ(attrs["deletion_protection.enabled"], "false");
  EXPECT_EQ(attrs["routing.http2.enabled"], "true");
  EXPECT_EQ(attrs["routing.http.desync_mitigation_mode"], "defensive");
  EXPECT_EQ(
      error_code("ModifyLoadBalancerAttributes",
                 {{"LoadBalancerArn", arn},
                  {"Attributes", json::array{json::object{{"Key", "idle_timeout.timeout_seconds"},
                                                          {"Value", "0"}}}}}),
      "ValidationError");
  EXPECT_EQ(error_code("ModifyLoadBalancerAttributes",
                       {{"LoadBalancerArn", arn},
                        {"Attributes",
                         json::array{json::object{{"Key", "no.such.key"}, {"Value", "1"}}}}}),
            "ValidationError");
  ok("ModifyLoadBalancerAttributes",
     {{"LoadBalancerArn", arn},
      {"Attributes",
       json::array{json::object{{"Key", "idle_timeout.timeout_seconds"}, {"Value", "120"}}}}});
  EXPECT_EQ(service_.snapshots().current()->load_balancers.at(0).idle_timeout_seconds, 120);
}

TEST_F(LoadBalancerHandlersTest, DeletionProtectionBlocksDeleteUntilTurnedOff) {
  std::string arn = make_lb();
  auto protect = [&](const char* value) {
    ok("ModifyLoadBalancerAttributes",
       {{"LoadBalancerArn", arn},
        {"Attributes",
         json::array{json::object{{"Key", "deletion_protection.enabled"}, {"Value", value}}}}});
  };
  protect("true");
  EXPECT_EQ(error_code("DeleteLoadBalancer", {{"LoadBalancerArn", arn}}), "OperationNotPermitted");
  protect("false");
  ok("DeleteLoadBalancer", {{"LoadBalancerArn", arn}});
  EXPECT_TRUE(network_.live().empty());
  EXPECT_EQ(error_code("DescribeLoadBalancers", {{"LoadBalancerArns", json::array{arn}}}),
            "LoadBalancerNotFound");
  // Deleting again succeeds, as AWS documents.
  ok("DeleteLoadBalancer", {{"LoadBalancerArn", arn}});
}

// The Terraform provider reads the capacity reservation of every ALB it creates or refreshes;
// one never given a reservation has no MinimumLoadBalancerCapacity.
TEST_F(LoadBalancerHandlersTest, CapacityReservationIsEmptyUntilReserved) {
  std::string arn = make_lb();
  auto out = ok("DescribeCapacityReservation", {{"LoadBalancerArn", arn}});
  EXPECT_FALSE(out.contains("MinimumLoadBalancerCapacity"));
  EXPECT_EQ(out["CapacityReservationState"], json::array{});
  ok("DeleteLoadBalancer", {{"LoadBalancerArn", arn}});
  EXPECT_EQ(error_code("DescribeCapacityReservation", {{"LoadBalancerArn", arn}}),
            "LoadBalancerNotFound");
}

TEST_F(LoadBalancerHandlersTest, DescribeByUnknownNameFails) {
  make_lb();
  auto r = call("DescribeLoadBalancers", {{"Names", json::array{"nope"}}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "LoadBalancerNotFound");
}

TEST_F(LoadBalancerHandlersTest, PagesThroughLoadBalancersWithMarkers) {
  make_lb("a");
  make_lb("b");
  make_lb("c");
  auto first = ok("DescribeLoadBalancers", {{"PageSize", 2}});
  EXPECT_EQ(first["LoadBalancers"].as_array().size(), 2u);
  ASSERT_TRUE(first.contains("NextMarker"));
  auto second = ok("DescribeLoadBalancers", {{"PageSize", 2}, {"Marker", first["NextMarker"]}});
  EXPECT_EQ(second["LoadBalancers"].as_array().size(), 1u);
  EXPECT_FALSE(second.contains("NextMarker"));
}

TEST_F(LoadBalancerHandlersTest, SetSecurityGroupsReplacesTheInterfaces) {
  std::string arn = make_lb();
  auto out = ok("SetSecurityGroups",
                {{"LoadBalancerArn", arn}, {"SecurityGroups", json::array{"sg-web"}}});
  EXPECT_EQ(out["SecurityGroupIds"], (json::array{"sg-web"}));
  std::set<std::string> live = network_.live();
  ASSERT_EQ(live.size(), 2u);
  for (const std::string& eni : live) {
    EXPECT_EQ(network_.groups_of(eni), (std::vector<std::string>{"sg-web"}));
  }
  const SnapshotLoadBalancer& lb = service_.snapshots().current()->load_balancers.at(0);
  EXPECT_EQ(lb.security_groups, (std::vector<std::string>{"sg-web"}));
  EXPECT_TRUE(live.contains(lb.addresses.at(0).eni_id));
}

TEST_F(LoadBalancerHandlersTest, SetSubnetsKeepsInterfacesOfSubnetsThatStay) {
  std::string arn = make_lb();
  std::string subnet_a_eni =
      service_.snapshots().current()->load_balancers.at(0).addresses.at(0).eni_id;
  EXPECT_EQ(error_code("SetSubnets", {{"LoadBalancerArn", arn},
                                      {"Subnets", json::array{"subnet-a", "subnet-x"}}}),
            "InvalidConfigurationRequest");
  ok("SetSubnets", {{"LoadBalancerArn", arn}, {"Subnets", json::array{"subnet-b", "subnet-c"}}});
  const SnapshotLoadBalancer& lb = service_.snapshots().current()->load_balancers.at(0);
  ASSERT_EQ(lb.addresses.size(), 2u);
  EXPECT_EQ(lb.addresses[0].subnet_id, "subnet-b");
  EXPECT_EQ(lb.addresses[1].subnet_id, "subnet-c");
  EXPECT_EQ(network_.live().size(), 2u);
  EXPECT_FALSE(network_.live().contains(subnet_a_eni));  // subnet-a's interface was released
}

}  // namespace
}  // namespace services::elbv2
