#include "netplane/nft_ruleset.h"

#include <gtest/gtest.h>

namespace netplane {
namespace {

VpcSpec two_group_vpc() {
  VpcSpec spec;
  spec.vpc_id = "vpc-1";
  spec.cidr = "10.0.0.0/16";
  spec.subnets = {{"subnet-a", "10.0.1.0/24"}};
  SecurityGroupSpec web;
  web.group_id = "sg-web";
  web.ingress.push_back({"tcp", 80, 80, {}, {"sg-client"}});
  web.egress.push_back({"-1", -1, -1, {"0.0.0.0/0"}, {}});
  SecurityGroupSpec client;
  client.group_id = "sg-client";
  client.egress.push_back({"-1", -1, -1, {"0.0.0.0/0"}, {}});
  spec.security_groups = {web, client};
  spec.enis = {{"eni-1", "subnet-a", "10.0.1.4", "02:00:00:00:00:01", {"sg-web"}},
               {"eni-2", "subnet-a", "10.0.1.5", "02:00:00:00:00:02", {"sg-client"}}};
  return spec;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(NftRulesetTest, ReplacesBothTablesInOneScript) {
  std::string s = render_vpc_ruleset(two_group_vpc());
  EXPECT_TRUE(s.starts_with("table inet gantry\ndelete table inet gantry\ntable inet gantry {"));
  EXPECT_TRUE(
      contains(s, "table bridge gantry\ndelete table bridge gantry\ntable bridge gantry {"));
}

TEST(NftRulesetTest, SourceGroupRuleMatchesTheGroupsMemberSet) {
  std::string s = render_vpc_ruleset(two_group_vpc());
  EXPECT_TRUE(contains(s, "set sgm_sg-client { type ipv4_addr; elements = { 10.0.1.5 }; }"));
  EXPECT_TRUE(
      contains(s, "chain sg_sg-web_in {\n    ip saddr @sgm_sg-client tcp dport 80 accept\n"));
}

TEST(NftRulesetTest, AnywhereCidrNeedsNoAddressMatch) {
  std::string s = render_vpc_ruleset(two_group_vpc());
  EXPECT_TRUE(contains(s, "chain sg_sg-client_out {\n    accept\n  }"));
}

TEST(NftRulesetTest, EachEniDispatchesToItsGroupsThenDrops) {
  std::string s = render_vpc_ruleset(two_group_vpc());
  EXPECT_TRUE(contains(s, "10.0.1.4 : goto eni_eni-1_in"));
  EXPECT_TRUE(contains(s, "chain eni_eni-1_in {\n    jump sg_sg-web_in\n    drop\n  }"));
  EXPECT_TRUE(contains(s, "chain eni_eni-2_out {\n    jump sg_sg-client_out\n    drop\n  }"));
}

TEST(NftRulesetTest, ForwardChainsAreStatefulAndDefaultDeny) {
  std::string s = render_vpc_ruleset(two_group_vpc());
  EXPECT_TRUE(contains(s,
                       "type filter hook forward priority 0; policy drop;\n"
                       "    ct state established,related accept\n"
                       "    ct state invalid drop\n"));
}

TEST(NftRulesetTest, TaskMetadataAddressIsAlwaysAccepted) {
  std::string s = render_vpc_ruleset(VpcSpec{"vpc-1", "10.0.0.0/16", {}, {}, {}});
  EXPECT_TRUE(contains(s, "ip daddr 169.254.170.2 accept"));
}

TEST(NftRulesetTest, PortRangesIcmpAndProtocolNumbersRenderAsNftMatches) {
  VpcSpec spec = two_group_vpc();
  spec.security_groups[0].ingress = {
      {"tcp", 8000, 8080, {"10.0.2.0/24"}, {}}, {"udp", 0, 65535, {"10.0.3.7/32"}, {}},
      {"icmp", 8, -1, {"10.0.0.0/16"}, {}},     {"icmp", -1, -1, {"10.0.0.0/16"}, {}},
      {"50", -1, -1, {"10.0.0.0/16"}, {}},      {"6", 443, 443, {"10.0.0.0/16"}, {}},
      {"icmpv6", -1, -1, {"10.0.0.0/16"}, {}},
  };
  std::string s = render_vpc_ruleset(spec);
  EXPECT_TRUE(contains(s, "ip saddr 10.0.2.0/24 tcp dport 8000-8080 accept"));
  EXPECT_TRUE(contains(s, "ip saddr 10.0.3.7/32 meta l4proto udp accept"));
  EXPECT_TRUE(contains(s, "ip saddr 10.0.0.0/16 icmp type 8 accept"));
  EXPECT_TRUE(contains(s, "ip saddr 10.0.0.0/16 meta l4proto icmp accept"));
  EXPECT_TRUE(contains(s, "ip saddr 10.0.0.0/16 meta l4proto 50 accept"));
  EXPECT_TRUE(contains(s, "ip saddr 10.0.0.0/16 tcp dport 443 accept"));
  EXPECT_FALSE(contains(s, "icmpv6"));
}

TEST(NftRulesetTest, GroupReferencedOnlyAsPeerGetsAnEmptySet) {
  VpcSpec spec = two_group_vpc();
  spec.security_groups[0].ingress = {{"tcp", 22, 22, {}, {"sg-gone"}}};
  std::string s = render_vpc_ruleset(spec);
  EXPECT_TRUE(contains(s, "set sgm_sg-gone { type ipv4_addr; }"));
}

TEST(NftRulesetTest, PortsMaySendOnlyWithTheirEnisAddresses) {
  std::string s = render_vpc_ruleset(two_group_vpc());
  EXPECT_TRUE(contains(s, "\"ve-"));
  EXPECT_TRUE(contains(s, ". 10.0.1.4"));
  EXPECT_TRUE(contains(s, ". 02:00:00:00:00:01"));
  EXPECT_TRUE(contains(s, "ether type ip iifname . ip saddr != @port_ips drop"));
}

}  // namespace
}  // namespace netplane
