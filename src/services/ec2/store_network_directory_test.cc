#include "services/ec2/store_network_directory.h"

#include <set>
#include <thread>

#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

using StoreNetworkDirectoryTest = Ec2HandlersTest;

TEST_F(StoreNetworkDirectoryTest, TaskInterfaceShowsAsEcsShowsItInDescribeNetworkInterfaces) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24", "us-east-1b");
  std::string group = create_group(vpc, "task");
  EniRequest request{"123456789012",
                     "us-east-1",
                     subnet,
                     {group},
                     "arn:aws:ecs:us-east-1:123456789012:attachment/0b1c"};
  auto eni = directory_.allocate_eni(request);
  ASSERT_TRUE(eni) << eni.error().message;
  EXPECT_TRUE(eni->eni_id.starts_with("eni-"));
  EXPECT_EQ(eni->vpc_id, vpc);
  EXPECT_EQ(eni->vpc_cidr, "10.0.0.0/16");
  EXPECT_EQ(eni->availability_zone, "us-east-1b");
  EXPECT_EQ(eni->private_dns_name, "ip-10-0-1-4.ec2.internal");
  EXPECT_EQ(eni->mac.size(), 17u);
  EXPECT_TRUE(eni->mac.starts_with("02:"));
  ASSERT_TRUE(directory_.set_eni_attachment(eni->eni_id, "attached", ""));
  json::object view = describe_one("DescribeNetworkInterfaces", "NetworkInterfaceIds", eni->eni_id,
                                   "NetworkInterfaces");
  EXPECT_EQ(s(view["Status"]), "in-use");
  EXPECT_EQ(s(view["Attachment"].at("Status")), "attached");
  EXPECT_EQ(s(view["PrivateIpAddress"]), "10.0.1.4");
  EXPECT_EQ(s(view["MacAddress"]), eni->mac);
  EXPECT_EQ(s(view["InterfaceType"]), "interface");
  EXPECT_TRUE(view["RequesterManaged"].as_bool());
  EXPECT_EQ(s(view["Description"]), request.description);
  EXPECT_EQ(s(view["Groups"].as_array()[0].at("GroupName")), "task");
  // Users cannot delete a task's interface.
  EXPECT_EQ(err("DeleteNetworkInterface", {{"NetworkInterfaceId", eni->eni_id}}).code,
            "InvalidNetworkInterface.InUse");
  directory_.release_eni(eni->eni_id);
  directory_.release_eni(eni->eni_id);  // idempotent
  EXPECT_EQ(err("DescribeNetworkInterfaces",
                {{"NetworkInterfaceIds", json::array{json::value(eni->eni_id)}}})
                .code,
            "InvalidNetworkInterfaceID.NotFound");
}

TEST_F(StoreNetworkDirectoryTest, NoGroupsMeansTheVpcsDefaultGroup) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24");
  auto eni = directory_.allocate_eni({"123456789012", "us-east-1", subnet});
  ASSERT_TRUE(eni);
  auto topology = directory_.vpc_topology("123456789012", "us-east-1", vpc);
  ASSERT_TRUE(topology);
  ASSERT_EQ(topology->enis.size(), 1u);
  auto groups =
      directory_.resolve_security_groups("123456789012", "us-east-1", topology->enis[0].group_ids);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].group_name, "default");
}

TEST_F(StoreNetworkDirectoryTest, RejectsUnknownSubnetsAndGroupsOfAnotherVpc) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24");
  std::string foreign = create_group(create_vpc("10.5.0.0/16"), "elsewhere");
  auto missing = directory_.allocate_eni({"123456789012", "us-east-1", "subnet-0000000000000000a"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "InvalidSubnetID.NotFound");
  auto wrong = directory_.allocate_eni({"123456789012", "us-east-1", subnet, {foreign}});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, "InvalidParameter");
  auto unknown =
      directory_.allocate_eni({"123456789012", "us-east-1", subnet, {"sg-0000000000000000a"}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "InvalidGroup.NotFound");
}

TEST_F(StoreNetworkDirectoryTest, ResolvesInRequestOrderAndSkipsUnknownIds) {
  std::string vpc = create_vpc();
  std::string a = create_subnet(vpc, "10.0.1.0/24");
  std::string b = create_subnet(vpc, "10.0.2.0/24", "us-east-1c");
  auto subnets =
      directory_.resolve_subnets("123456789012", "us-east-1", {b, "subnet-0000000000000000a", a});
  ASSERT_EQ(subnets.size(), 2u);
  EXPECT_EQ(subnets[0].subnet_id, b);
  EXPECT_EQ(subnets[0].gateway_ip, "10.0.2.1");
  EXPECT_EQ(subnets[1].subnet_id, a);
  // Another account sees none of them.
  EXPECT_TRUE(directory_.resolve_subnets("210987654321", "us-east-1", {a}).empty());
}

TEST_F(StoreNetworkDirectoryTest, DefaultVpcIsMadeOnFirstUseAndGoneOnceDeleted) {
  std::optional<std::string> vpc = directory_.default_vpc_id("123456789012", "us-west-2");
  ASSERT_TRUE(vpc);
  EXPECT_EQ(directory_.default_vpc_id("123456789012", "us-west-2"), vpc);
  auto topology = directory_.vpc_topology("123456789012", "us-west-2", *vpc);
  ASSERT_TRUE(topology);
  EXPECT_EQ(topology->subnets.size(), 3u);
  EXPECT_FALSE(directory_.vpc_topology("123456789012", "us-west-2", "vpc-0000000000000000a"));
}

TEST_F(StoreNetworkDirectoryTest, ReleaseOfAnUnknownInterfaceIsHarmless) {
  directory_.release_eni("eni-0000000000000000a");
  EXPECT_FALSE(directory_.set_eni_attachment("eni-0000000000000000a", "attached", ""));
}

}  // namespace
}  // namespace services::ec2


namespace services::ec2 {
namespace {

using StoreNetworkDirectoryConcurrencyTest = Ec2HandlersTest;

TEST_F(StoreNetworkDirectoryConcurrencyTest, ConcurrentAllocationsNeverShareAnAddress) {
  std::string vpc = create_vpc();
  std::string subnet = create_subnet(vpc, "10.0.1.0/24");
  constexpr int kThreads = 4;
  constexpr int kEach = 20;
  std::vector<std::vector<std::string>> ips(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto eni = directory_.allocate_eni({"123456789012", "us-east-1", subnet});
        if (eni) {
          ips[t].push_back(eni->private_ip);
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  std::set<std::string> unique;
  for (const auto& list : ips) {
    unique.insert(list.begin(), list.end());
  }
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(
      describe_one("DescribeSubnets", "SubnetIds", subnet, "Subnets")["AvailableIpAddressCount"]
          .as_int64(),
      251 - kThreads * kEach);
}

}  // namespace
}  // namespace services::ec2
