#include "services/ec2/cidr.h"

#include <gtest/gtest.h>

namespace services::ec2 {
namespace {

TEST(CidrTest, ParsesDottedQuadsAndRejectsMalformedOnes) {
  EXPECT_EQ(parse_ipv4("10.0.0.1"), 0x0a000001u);
  EXPECT_EQ(parse_ipv4("255.255.255.255"), 0xffffffffu);
  EXPECT_EQ(parse_ipv4("0.0.0.0"), 0u);
  for (const char* bad : {"", "10.0.0", "10.0.0.1.2", "256.0.0.1", "10.0.0.01", "10.0.0.-1",
                          " 10.0.0.1", "10.0.0.1 ", "a.b.c.d", "10..0.1", "10.0.0."}) {
    EXPECT_FALSE(parse_ipv4(bad)) << bad;
  }
  EXPECT_EQ(format_ipv4(0xac1f1000u), "172.31.16.0");
}

TEST(CidrTest, StrictParsingRejectsHostBitsAndLenientParsingClearsThem) {
  ASSERT_TRUE(parse_cidr("10.0.0.0/16"));
  EXPECT_EQ(parse_cidr("10.0.0.0/16")->str(), "10.0.0.0/16");
  EXPECT_FALSE(parse_cidr("10.0.0.1/16"));
  EXPECT_EQ(parse_cidr("10.0.0.1/16", false)->str(), "10.0.0.0/16");
  EXPECT_EQ(parse_cidr("0.0.0.0/0")->size(), uint64_t{1} << 32);
  EXPECT_EQ(parse_cidr("1.2.3.4/32")->size(), 1u);
  for (const char* bad :
       {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8", "10.0.0.0/016"}) {
    EXPECT_FALSE(parse_cidr(bad)) << bad;
  }
}

TEST(CidrTest, ContainmentAndOverlapFollowTheAddressRanges) {
  Cidr vpc = *parse_cidr("10.0.0.0/16");
  Cidr a = *parse_cidr("10.0.1.0/24");
  Cidr b = *parse_cidr("10.0.1.128/25");
  Cidr c = *parse_cidr("10.0.2.0/24");
  Cidr outside = *parse_cidr("10.1.0.0/24");
  EXPECT_TRUE(vpc.contains(a));
  EXPECT_FALSE(a.contains(vpc));
  EXPECT_FALSE(vpc.contains(outside));
  EXPECT_TRUE(a.overlaps(b));
  EXPECT_TRUE(b.overlaps(a));
  EXPECT_FALSE(a.overlaps(c));
  EXPECT_TRUE(parse_cidr("0.0.0.0/0")->contains(*parse_ipv4("203.0.113.9")));
  EXPECT_EQ(format_ipv4(a.last()), "10.0.1.255");
}

TEST(CidrTest, ReservesNetworkRouterDnsFutureAndBroadcast) {
  Cidr s = *parse_cidr("172.31.0.0/20");
  for (const char* ip : {"172.31.0.0", "172.31.0.1", "172.31.0.2", "172.31.0.3", "172.31.15.255"}) {
    EXPECT_TRUE(is_reserved_in_subnet(s, *parse_ipv4(ip))) << ip;
  }
  EXPECT_FALSE(is_reserved_in_subnet(s, *parse_ipv4("172.31.0.4")));
  EXPECT_FALSE(is_reserved_in_subnet(s, *parse_ipv4("172.31.15.254")));
  EXPECT_EQ(format_ipv4(gateway_address(s)), "172.31.0.1");
}

}  // namespace
}  // namespace services::ec2
