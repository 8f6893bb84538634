#pragma once
// Amazon EC2 networking control plane: VPCs, subnets, internet and NAT gateways, Elastic IPs,
// route tables, security groups and their rules, network interfaces, tags, and the region's
// zones. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/OperationList-query-vpc.html
//
// Handlers validate, change rows in one transaction and return; every resource is scoped by the
// caller's account and region, whose default VPC is made on first use. After a commit that
// changed a VPC's subnets, groups, rules or ENIs, subscribed listeners are called with that VPC.
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/ec2/cidr.h"
#include "services/ec2/ec2_docs.h"
#include "services/ec2/ec2_store.h"
#include "services/ec2/filters.h"
#include "services/ec2/network_directory.h"
#include "store/db.h"

namespace services::ec2 {

// How a generic Describe reads one resource kind.
struct DescribeSpec {
  Kind kind;
  std::string_view ids_member;  // "VpcIds"
  std::string_view out_member;  // "Vpcs"
  const FilterTable* filters;
  std::function<protocol::AwsError(std::string_view id)> not_found;
  std::string_view filters_member = "Filters";
  bool paginated = true;
};

class Ec2Service {
 public:
  Ec2Service(store::Db& db, const core::Clock& clock);

  void register_operations(protocol::ServiceRegistry& registry);
  void subscribe(NetworkDirectory::VpcListener listener);
  // Tells listeners about every VPC of every account and region (before a reset wipes them).
  void notify_every_vpc();

  // Runs `body` in one write transaction scoped to (account, region), with the default VPC made
  // first if needed. Commits when `body` succeeds, then tells listeners which VPCs changed.
  template <class T>
  protocol::Result<T> transact(const std::string& account, const std::string& region,
                               const std::function<protocol::Result<T>(Ec2Store&)>& body);
  Reply run(const Ctx& ctx, const Doc& in, const std::function<Reply(Ec2Store&)>& body);

  // vpc_handlers.cc
  Reply create_vpc(const Ctx& ctx, const Doc& in);
  Reply delete_vpc(const Ctx& ctx, const Doc& in);
  Reply describe_vpcs(const Ctx& ctx, const Doc& in);
  Reply modify_vpc_attribute(const Ctx& ctx, const Doc& in);
  Reply describe_vpc_attribute(const Ctx& ctx, const Doc& in);

  // subnet_handlers.cc
  Reply create_subnet(const Ctx& ctx, const Doc& in);
  Reply delete_subnet(const Ctx& ctx, const Doc& in);
  Reply describe_subnets(const Ctx& ctx, const Doc& in);
  Reply modify_subnet_attribute(const Ctx& ctx, const Doc& in);

  // internet_gateway_handlers.cc
  Reply create_internet_gateway(const Ctx& ctx, const Doc& in);
  Reply attach_internet_gateway(const Ctx& ctx, const Doc& in);
  Reply detach_internet_gateway(const Ctx& ctx, const Doc& in);
  Reply delete_internet_gateway(const Ctx& ctx, const Doc& in);
  Reply describe_internet_gateways(const Ctx& ctx, const Doc& in);

  // nat_gateway_handlers.cc
  Reply create_nat_gateway(const Ctx& ctx, const Doc& in);
  Reply delete_nat_gateway(const Ctx& ctx, const Doc& in);
  Reply describe_nat_gateways(const Ctx& ctx, const Doc& in);
  // address_handlers.cc
  Reply allocate_address(const Ctx& ctx, const Doc& in);
  Reply release_address(const Ctx& ctx, const Doc& in);
  Reply associate_address(const Ctx& ctx, const Doc& in);
  Reply disassociate_address(const Ctx& ctx, const Doc& in);
  Reply describe_addresses(const Ctx& ctx, const Doc& in);

  // route_table_handlers.cc
  Reply create_route_table(const Ctx& ctx, const Doc& in);
  Reply delete_route_table(const Ctx& ctx, const Doc& in);
  Reply describe_route_tables(const Ctx& ctx, const Doc& in);
  Reply create_route(const Ctx& ctx, const Doc& in);
  Reply replace_route(const Ctx& ctx, const Doc& in);
  Reply delete_route(const Ctx& ctx, const Doc& in);
  Reply associate_route_table(const Ctx& ctx, const Doc& in);
  Reply disassociate_route_table(const Ctx& ctx, const Doc& in);
  Reply replace_route_table_association(const Ctx& ctx, const Doc& in);

  // network_acl_handlers.cc
  Reply describe_network_acls(const Ctx& ctx, const Doc& in);

  // security_group_handlers.cc
  Reply create_security_group(const Ctx& ctx, const Doc& in);
  Reply delete_security_group(const Ctx& ctx, const Doc& in);
  Reply describe_security_groups(const Ctx& ctx, const Doc& in);
  Reply describe_security_group_rules(const Ctx& ctx, const Doc& in);
  Reply authorize_security_group_ingress(const Ctx& ctx, const Doc& in);
  Reply authorize_security_group_egress(const Ctx& ctx, const Doc& in);
  Reply revoke_security_group_ingress(const Ctx& ctx, const Doc& in);
  Reply revoke_security_group_egress(const Ctx& ctx, const Doc& in);
  Reply modify_security_group_rules(const Ctx& ctx, const Doc& in);
  Reply update_security_group_rule_descriptions_ingress(const Ctx& ctx, const Doc& in);
  Reply update_security_group_rule_descriptions_egress(const Ctx& ctx, const Doc& in);

  // network_interface_handlers.cc
  Reply create_network_interface(const Ctx& ctx, const Doc& in);
  Reply delete_network_interface(const Ctx& ctx, const Doc& in);
  Reply describe_network_interfaces(const Ctx& ctx, const Doc& in);

  // region_handlers.cc
  Reply describe_availability_zones(const Ctx& ctx, const Doc& in);
  Reply describe_regions(const Ctx& ctx, const Doc& in);

  // account_attribute_handlers.cc
  Reply describe_account_attributes(const Ctx& ctx, const Doc& in);

  // tag_handlers.cc
  Reply create_tags(const Ctx& ctx, const Doc& in);
  Reply delete_tags(const Ctx& ctx, const Doc& in);
  Reply describe_tags(const Ctx& ctx, const Doc& in);

  // Building blocks shared by handlers, the default VPC and the NetworkDirectory. Each works
  // inside the caller's transaction.

  // default_vpc.cc: makes the default VPC, its subnets, group, route table and gateway once.
  void ensure_defaults(Ec2Store& st);
  // vpc_handlers.cc: a VPC with its main route table and default security group.
  // `amazon_ipv6`: CreateVpc's AmazonProvidedIpv6CidrBlock, a /56 from Amazon's pool.
  Doc make_vpc(Ec2Store& st, const Cidr& cidr, bool is_default, const boost::json::array& tags,
               bool amazon_ipv6 = false);
  // route_table_handlers.cc: a table with the VPC's local route; `main` makes it the main table.
  Doc make_route_table(Ec2Store& st, const Doc& vpc, bool main, const boost::json::array& tags);
  // network_acl_handlers.cc: the VPC's default ACL, which allows everything both ways.
  Doc make_default_network_acl(Ec2Store& st, std::string_view vpc_id);
  // A network ACL with its subnet associations (every subnet of the VPC: Gantry has only the
  // default ACL).
  Doc network_acl_view(Ec2Store& st, Doc acl);
  // subnet_handlers.cc
  protocol::Result<Doc> make_subnet(Ec2Store& st, const Doc& vpc, std::string_view cidr,
                                    std::string_view zone, bool default_for_az,
                                    const boost::json::array& tags);
  // A subnet as DescribeSubnets shows it (AvailableIpAddressCount from the allocations).
  Doc subnet_view(Ec2Store& st, Doc subnet);
  // security_group_handlers.cc: a group as DescribeSecurityGroups shows it (IpPermissions).
  Doc group_view(Ec2Store& st, Doc group);
  Doc make_security_group(Ec2Store& st, std::string_view vpc_id, std::string_view name,
                          std::string_view description, const boost::json::array& tags);
  // Adds one rule row of `group`; returns its SecurityGroupRule document.
  Doc add_rule(Ec2Store& st, const Doc& group, bool egress, const Doc& rule_fields);
  // network_interface_handlers.cc
  protocol::Result<Doc> make_network_interface(Ec2Store& st, const EniRequest& request,
                                               std::optional<std::string> private_ip,
                                               const boost::json::array& tags);
  // Removes the ENI and frees its address.
  void remove_network_interface(Ec2Store& st, std::string_view eni_id);

  // A generic Describe: ids (unknown → not_found), filters, MaxResults/NextToken. `view`
  // derives computed members before filtering.
  Reply describe(const Ctx& ctx, const Doc& in, const DescribeSpec& spec,
                 const std::function<Doc(Ec2Store&, Doc)>& view = nullptr);

  store::Db& db() { return db_; }
  const core::Clock& clock() const { return clock_; }
  // The clock's now as a model timestamp (epoch seconds).
  double now_epoch() const;

 private:
  void notify(const std::string& account, const std::string& region,
              const std::set<std::string>& vpcs);

  store::Db& db_;
  const core::Clock& clock_;
  std::mutex listeners_mu_;
  std::vector<NetworkDirectory::VpcListener> listeners_;
};

template <class T>
protocol::Result<T> Ec2Service::transact(
    const std::string& account, const std::string& region,
    const std::function<protocol::Result<T>(Ec2Store&)>& body) {
  std::set<std::string> touched;
  protocol::Result<T> result = [&]() -> protocol::Result<T> {
    store::Transaction tx = db_.begin();
    Ec2Store st(tx, account, region);
    ensure_defaults(st);
    protocol::Result<T> r = body(st);
    if (r) {
      tx.commit();
      touched = st.touched_vpcs();
    }
    return r;
  }();
  if (!touched.empty()) {
    notify(account, region, touched);
  }
  return result;
}

// The document without its internal members ("_..."), and without empty tag lists, which EC2
// leaves out of its replies.
Doc public_view(Doc doc);
// arn:aws:ec2:<region>:<account>:<type>/<id>
std::string resource_arn(const Ec2Store& st, std::string_view type, std::string_view id);

// region_handlers.cc: "<region>a", "<region>b", "<region>c" and their zone ids ("use1-az1").
std::vector<std::string> zone_names(std::string_view region);
std::string zone_id(std::string_view region, std::string_view zone_name);

}  // namespace services::ec2
