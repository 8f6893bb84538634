#pragma once
// EC2 rows in SQLite (migration 0004_ec2.sql): model documents in, model documents out.
//
// An Ec2Store borrows one Transaction and is scoped to one account and region. Each resource is
// stored as EC2 describes it; derived members (a subnet's AvailableIpAddressCount, a group's
// IpPermissions) are computed by the handlers. The store remembers which VPCs a write touched
// (subnets, groups, rules, network interfaces) so that listeners can be told after commit.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.h"

namespace services::ec2 {

enum class Kind {
  Vpc,
  Subnet,
  SecurityGroup,
  SecurityGroupRule,
  InternetGateway,
  RouteTable,
  NatGateway,
  Address,
  NetworkInterface,
  NetworkAcl,
};

// "vpc", "subnet", "security-group", ... as DescribeTags names resource types.
std::string_view kind_name(Kind kind);
// The id prefix: "vpc", "subnet", "sg", "sgr", "igw", "rtb", "nat", "eipalloc", "eni", "acl".
std::string_view kind_prefix(Kind kind);
// The kind an id names, from its prefix; nullopt for an unknown prefix.
std::optional<Kind> kind_of_id(std::string_view id);

struct Row {
  int64_t seq = 0;
  std::string id;
  Kind kind = Kind::Vpc;
  boost::json::object doc;
};

class Ec2Store {
 public:
  Ec2Store(store::Transaction& tx, std::string account, std::string region);

  store::Transaction& tx() { return tx_; }
  const std::string& account() const { return account_; }
  const std::string& region() const { return region_; }

  std::optional<boost::json::object> get(Kind kind, std::string_view id);
  // Inserts or replaces the row `id`; a replaced row keeps its place in creation order.
  void put(Kind kind, std::string_view id, std::string_view vpc_id, std::string_view parent_id,
           const boost::json::object& doc);
  void remove(std::string_view id);

  // Rows of one kind in creation order, optionally only those in `vpc_id` or under `parent_id`.
  std::vector<Row> list(Kind kind);
  std::vector<Row> list_in_vpc(Kind kind, std::string_view vpc_id);
  std::vector<Row> list_under(Kind kind, std::string_view parent_id);
  int64_t count_in_vpc(Kind kind, std::string_view vpc_id);
  // Every row of every kind, for DescribeTags.
  std::vector<Row> list_all();

  // Private addresses in use in a subnet.
  std::set<uint32_t> allocated_ips(std::string_view subnet_id);
  int64_t count_allocated(std::string_view subnet_id);
  void allocate_ip(std::string_view subnet_id, uint32_t ip, std::string_view owner_id);
  void release_ips(std::string_view owner_id);

  // The default VPC of this account and region, once made.
  std::optional<std::string> default_vpc_id();
  void set_default_vpc_id(std::string_view vpc_id);

  // Marks a VPC as changed (done by put()/remove() for subnets, groups, rules and ENIs).
  void touch(std::string_view vpc_id);
  const std::set<std::string>& touched_vpcs() const { return touched_; }

 private:
  std::vector<Row> rows(std::string_view sql, std::string_view key, std::string_view kind);

  store::Transaction& tx_;
  std::string account_;
  std::string region_;
  std::set<std::string> touched_;
};

// Finds which account and region hold the resource `id` (ids are unique across them).
struct Scope {
  std::string account;
  std::string region;
};
std::optional<Scope> find_scope(store::Transaction& tx, std::string_view id);

}  // namespace services::ec2
