#include "services/ec2/netplane_sync.h"

#include <gtest/gtest.h>

#include <map>

#include "netplane/fake_netplane.h"
#include "testing/manual_clock.h"

namespace services::ec2 {
namespace {

namespace ec2 = services::ec2;
using netplane::errc;
using netplane::Error;
using netplane::InterfaceSpec;
using netplane::PermissionSpec;
using netplane::Result;
using netplane::VpcSpec;

class FakeDirectory final : public ec2::NetworkDirectory {
 public:
  protocol::Result<ec2::EniAllocation> allocate_eni(const ec2::EniRequest&) override {
    return protocol::AwsError("Unsupported", "not in this fake");
  }
  void release_eni(const std::string&) override {}
  protocol::Result<void> set_eni_attachment(const std::string&, const std::string&,
                                            const std::string&) override {
    return {};
  }
  protocol::Result<ec2::VpcTopology> vpc_topology(const std::string&, const std::string&,
                                                  const std::string& vpc_id) override {
    ++reads;
    auto it = vpcs.find(vpc_id);
    if (it == vpcs.end()) {
      return protocol::AwsError("InvalidVpcID.NotFound",
                                "The vpc ID '" + vpc_id + "' does not exist");
    }
    return it->second;
  }
  void subscribe(VpcListener listener) override { listeners.push_back(std::move(listener)); }
  std::vector<ec2::SubnetInfo> resolve_subnets(const std::string&, const std::string&,
                                               const std::vector<std::string>&) override {
    return {};
  }
  std::vector<ec2::SecurityGroupRef> resolve_security_groups(
      const std::string&, const std::string&, const std::vector<std::string>&) override {
    return {};
  }
  std::optional<std::string> default_vpc_id(const std::string&, const std::string&) override {
    return std::nullopt;
  }

  void changed(const std::string& vpc_id) {
    for (const VpcListener& l : listeners) {
      l("000000000000", "us-east-1", vpc_id);
    }
  }

  std::map<std::string, ec2::VpcTopology> vpcs;
  std::vector<VpcListener> listeners;
  int reads = 0;
};

ec2::VpcTopology web_vpc() {
  ec2::VpcTopology t;
  t.account = "000000000000";
  t.region = "us-east-1";
  t.vpc_id = "vpc-1";
  t.cidr = "10.0.0.0/16";
  t.subnets = {{"subnet-a", "vpc-1", "10.0.1.0/24", "10.0.1.1", "us-east-1a", false}};
  ec2::SecurityGroupInfo web{"sg-web", "web", {}, {}};
  web.ingress.push_back({"tcp", 80, 80, {"10.0.0.0/16"}, {}, {"sg-lb"}, {}});
  web.egress.push_back({"-1", -1, -1, {"0.0.0.0/0"}, {}, {}, {}});
  t.security_groups = {web};
  t.enis = {{"eni-1", "subnet-a", "10.0.1.4", "02:00:00:00:00:04", "in-use", {"sg-web"}}};
  return t;
}

class NetplaneSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_.vpcs["vpc-1"] = web_vpc();  // tests drive the controller with run_ready()
  }
  fakes::ManualClock clock_;
  FakeDirectory directory_;
  fakes::FakeNetplane plane_;
  NetplaneSync sync_{directory_, plane_, clock_};
};

TEST(NetplaneSyncConversionTest, TopologyBecomesASpecWithRulesPeersAndMembers) {
  VpcSpec spec = to_vpc_spec(web_vpc());
  EXPECT_EQ(spec.vpc_id, "vpc-1");
  ASSERT_EQ(spec.subnets.size(), 1u);
  EXPECT_EQ(spec.subnets[0].cidr, "10.0.1.0/24");
  ASSERT_EQ(spec.security_groups.size(), 1u);
  const PermissionSpec& in = spec.security_groups[0].ingress.at(0);
  EXPECT_EQ(in.protocol, "tcp");
  EXPECT_EQ(in.from_port, 80);
  EXPECT_EQ(in.cidrs, std::vector<std::string>{"10.0.0.0/16"});
  EXPECT_EQ(in.group_ids, std::vector<std::string>{"sg-lb"});
  ASSERT_EQ(spec.enis.size(), 1u);
  EXPECT_EQ(spec.enis[0].group_ids, std::vector<std::string>{"sg-web"});
}

TEST(NetplaneSyncConversionTest, InterfaceTakesPrefixAndGatewayFromTheSubnet) {
  ec2::EniAllocation eni;
  eni.eni_id = "eni-1";
  eni.private_ip = "10.0.1.4";
  eni.mac = "02:00:00:00:00:04";
  eni.subnet_id = "subnet-a";
  eni.subnet_cidr = "10.0.1.0/24";
  InterfaceSpec itf = to_interface_spec(eni);
  EXPECT_EQ(itf.prefix_length, 24);
  EXPECT_EQ(itf.gateway, "10.0.1.1");
  EXPECT_EQ(itf.ip, "10.0.1.4");
}

TEST_F(NetplaneSyncTest, EnsureVpcAppliesTheCurrentTopologyAtOnce) {
  ASSERT_TRUE(sync_.ensure_vpc("000000000000", "us-east-1", "vpc-1"));
  ASSERT_TRUE(plane_.vpc("vpc-1"));
  EXPECT_EQ(plane_.vpc("vpc-1")->enis.size(), 1u);
}

TEST_F(NetplaneSyncTest, ChangesToAnActiveVpcAreReapplied) {
  ASSERT_TRUE(sync_.ensure_vpc("000000000000", "us-east-1", "vpc-1"));
  directory_.vpcs["vpc-1"].enis.push_back(
      {"eni-2", "subnet-a", "10.0.1.5", "02:00:00:00:00:05", "in-use", {"sg-web"}});
  directory_.changed("vpc-1");
  EXPECT_EQ(sync_.run_ready(), 1u);
  EXPECT_EQ(plane_.vpc("vpc-1")->enis.size(), 2u);
}

// The reset: syncs EC2 queued while its VPCs were still stored must not bring back a namespace
// that the plane then removes.
TEST_F(NetplaneSyncTest, AfterForgetAllAQueuedChangeCreatesNoNamespace) {
  ASSERT_TRUE(sync_.ensure_vpc("000000000000", "us-east-1", "vpc-1"));
  int ensured = plane_.ensure_calls();
  directory_.changed("vpc-1");
  sync_.forget_all();
  sync_.run_ready();
  EXPECT_EQ(plane_.ensure_calls(), ensured);
}

TEST_F(NetplaneSyncTest, VpcsNothingUsesGetNoNamespace) {
  directory_.vpcs["vpc-2"] = web_vpc();
  directory_.changed("vpc-2");
  sync_.run_ready();
  EXPECT_FALSE(plane_.vpc("vpc-2"));
  EXPECT_EQ(plane_.ensure_calls(), 0);
}

TEST_F(NetplaneSyncTest, DeletedVpcLosesItsNamespaceAndIsNotRetried) {
  ASSERT_TRUE(sync_.ensure_vpc("000000000000", "us-east-1", "vpc-1"));
  directory_.vpcs.erase("vpc-1");
  directory_.changed("vpc-1");
  sync_.run_ready();
  EXPECT_FALSE(plane_.vpc("vpc-1"));
  int reads = directory_.reads;
  clock_.advance(std::chrono::minutes(1));
  sync_.run_ready();
  directory_.changed("vpc-1");
  sync_.run_ready();
  EXPECT_EQ(directory_.reads, reads);
}

TEST_F(NetplaneSyncTest, UnknownVpcIsNotFound) {
  Result<void> r = sync_.ensure_vpc("000000000000", "us-east-1", "vpc-nope");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::not_found);
}

TEST_F(NetplaneSyncTest, FailedApplyIsRetriedWithBackoff) {
  plane_.fail_ensure(Error(errc::nft_failed, "boom"));
  EXPECT_FALSE(sync_.ensure_vpc("000000000000", "us-east-1", "vpc-1"));
  plane_.fail_ensure(std::nullopt);
  clock_.advance(std::chrono::seconds(1));
  sync_.run_ready();
  EXPECT_TRUE(plane_.vpc("vpc-1"));
}

}  // namespace
}  // namespace services::ec2
