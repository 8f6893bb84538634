#include "netplane/instance_names.h"

#include <gtest/gtest.h>

#include "netplane/ipv4.h"

namespace netplane {
namespace {

TEST(InstanceNamesTest, PrefixIsGxAndSixHexOfTheDataDir) {
  InstanceNames a = InstanceNames::for_data_dir("/tmp/gantry-a");
  EXPECT_EQ(a.prefix().size(), 8u);
  EXPECT_TRUE(a.prefix().starts_with("gx"));
  EXPECT_EQ(a.prefix(), InstanceNames::for_data_dir("/tmp/gantry-a/").prefix());
  EXPECT_NE(a.prefix(), InstanceNames::for_data_dir("/tmp/gantry-b").prefix());
}

TEST(InstanceNamesTest, NamespacesCarryThePrefixAndKind) {
  InstanceNames n("gx123456");
  EXPECT_EQ(n.vpc_netns("vpc-0abc"), "gx123456-v-vpc-0abc");
  EXPECT_EQ(n.endpoint_netns("0123abcd"), "gx123456-e-0123abcd");
}

TEST(InstanceNamesTest, InterfaceNamesFitIfnamsiz) {
  EXPECT_EQ(InstanceNames::bridge("subnet-0123456789abcdef0").size(), 15u);
  EXPECT_EQ(InstanceNames::veth("eni-0123456789abcdef0").size(), 15u);
  EXPECT_NE(InstanceNames::veth("eni-1"), InstanceNames::veth("eni-2"));
  EXPECT_EQ(InstanceNames::veth("eni-1"), InstanceNames::veth("eni-1"));
}

TEST(InstanceNamesTest, BridgeMacIsStableLocallyAdministeredUnicast) {
  std::array<uint8_t, 6> mac = InstanceNames::bridge_mac("subnet-1");
  EXPECT_EQ(mac[0], 0x02);
  EXPECT_EQ(mac, InstanceNames::bridge_mac("subnet-1"));
  EXPECT_NE(mac, InstanceNames::bridge_mac("subnet-2"));
}

TEST(InstanceNamesTest, IdsThatCouldEscapeTheNetnsDirectoryAreInvalid) {
  EXPECT_TRUE(InstanceNames::valid_id("vpc-0abc_1.2"));
  EXPECT_FALSE(InstanceNames::valid_id(""));
  EXPECT_FALSE(InstanceNames::valid_id(".."));
  EXPECT_FALSE(InstanceNames::valid_id("a/b"));
  EXPECT_FALSE(InstanceNames::valid_id("a b"));
}

TEST(Ipv4Test, CidrClearsHostBitsAndKnowsItsGateway) {
  std::optional<Ipv4Cidr> c = Ipv4Cidr::parse("10.0.1.7/24");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to_string(), "10.0.1.0/24");
  EXPECT_EQ(format_ipv4(c->first_host()), "10.0.1.1");
  EXPECT_TRUE(c->contains(*parse_ipv4("10.0.1.255")));
  EXPECT_FALSE(c->contains(*parse_ipv4("10.0.2.1")));
  EXPECT_EQ(Ipv4Cidr::parse("0.0.0.0/0")->prefix, 0);
  EXPECT_FALSE(Ipv4Cidr::parse("10.0.0.0/33"));
  EXPECT_FALSE(Ipv4Cidr::parse("10.0.0/8"));
}

TEST(Ipv4Test, MacParsesOnlyColonSeparatedHex) {
  std::optional<std::array<uint8_t, 6>> mac = parse_mac("02:ab:CD:00:01:ff");
  ASSERT_TRUE(mac);
  EXPECT_EQ((*mac)[1], 0xab);
  EXPECT_EQ((*mac)[5], 0xff);
  EXPECT_FALSE(parse_mac("02-ab-cd-00-01-ff"));
  EXPECT_FALSE(parse_mac("02:ab:cd:00:01"));
}

}  // namespace
}  // namespace netplane
