#include "services/ec2/ec2_service.h"

#include <boost/json/array.hpp>
#include <charconv>

#include "core/ids.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

Ec2Service::Ec2Service(store::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}

#define EC2_OP(Name, method)                                                \
  {                                                                         \
    Name, [this](const Ctx& ctx, const Doc& in) { return method(ctx, in); } \
  }

void Ec2Service::register_operations(protocol::ServiceRegistry& registry) {
  registry.add(
      "ec2", {
                 EC2_OP("CreateVpc", create_vpc),
                 EC2_OP("DeleteVpc", delete_vpc),
                 EC2_OP("DescribeVpcs", describe_vpcs),
                 EC2_OP("ModifyVpcAttribute", modify_vpc_attribute),
                 EC2_OP("DescribeVpcAttribute", describe_vpc_attribute),
                 EC2_OP("CreateSubnet", create_subnet),
                 EC2_OP("DeleteSubnet", delete_subnet),
                 EC2_OP("DescribeSubnets", describe_subnets),
                 EC2_OP("ModifySubnetAttribute", modify_subnet_attribute),
                 EC2_OP("CreateInternetGateway", create_internet_gateway),
                 EC2_OP("AttachInternetGateway", attach_internet_gateway),
                 EC2_OP("DetachInternetGateway", detach_internet_gateway),
                 EC2_OP("DeleteInternetGateway", delete_internet_gateway),
                 EC2_OP("DescribeInternetGateways", describe_internet_gateways),
                 EC2_OP("CreateNatGateway", create_nat_gateway),
                 EC2_OP("DeleteNatGateway", delete_nat_gateway),
                 EC2_OP("DescribeNatGateways", describe_nat_gateways),
                 EC2_OP("AllocateAddress", allocate_address),
                 EC2_OP("ReleaseAddress", release_address),
                 EC2_OP("AssociateAddress", associate_address),
                 EC2_OP("DisassociateAddress", disassociate_address),
                 EC2_OP("DescribeAddresses", describe_addresses),
                 EC2_OP("CreateRouteTable", create_route_table),
                 EC2_OP("DeleteRouteTable", delete_route_table),
                 EC2_OP("DescribeRouteTables", describe_route_tables),
                 EC2_OP("CreateRoute", create_route),
                 EC2_OP("ReplaceRoute", replace_route),
                 EC2_OP("DeleteRoute", delete_route),
                 EC2_OP("AssociateRouteTable", associate_route_table),
                 EC2_OP("DisassociateRouteTable", disassociate_route_table),
                 EC2_OP("ReplaceRouteTableAssociation", replace_route_table_association),
                 EC2_OP("DescribeNetworkAcls", describe_network_acls),
                 EC2_OP("CreateSecurityGroup", create_security_group),
                 EC2_OP("DeleteSecurityGroup", delete_security_group),
                 EC2_OP("DescribeSecurityGroups", describe_security_groups),
                 EC2_OP("DescribeSecurityGroupRules", describe_security_group_rules),
                 EC2_OP("AuthorizeSecurityGroupIngress", authorize_security_group_ingress),
                 EC2_OP("AuthorizeSecurityGroupEgress", authorize_security_group_egress),
                 EC2_OP("RevokeSecurityGroupIngress", revoke_security_group_ingress),
                 EC2_OP("RevokeSecurityGroupEgress", revoke_security_group_egress),
                 EC2_OP("UpdateSecurityGroupRuleDescriptionsIngress",
                        update_security_group_rule_descriptions_ingress),
                 EC2_OP("UpdateSecurityGroupRuleDescriptionsEgress",
                        update_security_group_rule_descriptions_egress),
                 EC2_OP("CreateNetworkInterface", create_network_interface),
                 EC2_OP("DeleteNetworkInterface", delete_network_interface),
                 EC2_OP("DescribeNetworkInterfaces", describe_network_interfaces),
                 EC2_OP("DescribeAvailabilityZones", describe_availability_zones),
                 EC2_OP("DescribeRegions", describe_regions),
                 EC2_OP("DescribeAccountAttributes", describe_account_attributes),
                 EC2_OP("CreateTags", create_tags),
                 EC2_OP("DeleteTags", delete_tags),
                 EC2_OP("DescribeTags", describe_tags),
             });
}

#undef EC2_OP

void Ec2Service::subscribe(NetworkDirectory::VpcListener listener) {
  std::lock_guard lock(listeners_mu_);
  listeners_.push_back(std::move(listener));
}

void Ec2Service::notify(const std::string& account, const std::string& region,
                        const std::set<std::string>& vpcs) {
  std::vector<NetworkDirectory::VpcListener> listeners;
  {
    std::lock_guard lock(listeners_mu_);
    listeners = listeners_;
  }
  for (const std::string& vpc : vpcs) {
    for (const auto& listener : listeners) {
      listener(account, region, vpc);
    }
  }
}

void Ec2Service::notify_every_vpc() {
  struct Entry {
    std::string account, region, vpc;
  };
  std::vector<Entry> vpcs;
  {
    store::Transaction tx = db_.read();
    tx.query("SELECT account, region, id FROM ec2_resources WHERE kind = 'vpc' ORDER BY seq",
             [&](const store::Statement& s) {
               vpcs.push_back({s.text(0), s.text(1), s.text(2)});
             });
    tx.commit();
  }
  for (const Entry& e : vpcs) {
    notify(e.account, e.region, {e.vpc});
  }
}

Reply Ec2Service::run(const Ctx& ctx, const Doc& in, const std::function<Reply(Ec2Store&)>& body) {
  if (flag(in, "DryRun")) {
    return errors::dry_run();
  }
  return transact<Doc>(ctx.account, ctx.region, body);
}

double Ec2Service::now_epoch() const {
  return std::chrono::duration<double>(clock_.now().time_since_epoch()).count();
}

Doc public_view(Doc doc) {
  for (auto it = doc.begin(); it != doc.end();) {
    std::string_view key = it->key();
    bool empty_tags = (key == "Tags" || key == "TagSet") && it->value().is_array() &&
                      it->value().as_array().empty();
    if (key.starts_with('_') || empty_tags) {
      it = doc.erase(it);
    } else {
      ++it;
    }
  }
  return doc;
}

Reply Ec2Service::describe(const Ctx& ctx, const Doc& in, const DescribeSpec& spec,
                           const std::function<Doc(Ec2Store&, Doc)>& view) {
  auto filters = parse_filters(in, *spec.filters, spec.filters_member);
  if (!filters) {
    return filters.error();
  }
  std::optional<int64_t> max_results = opt_int(in, "MaxResults");
  std::string token = str(in, "NextToken");
  int64_t start_seq = 0;
  if (!token.empty()) {
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), start_seq);
    if (ec != std::errc{} || end != token.data() + token.size() || start_seq <= 0) {
      return errors::invalid_next_token(token);
    }
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::vector<Row> rows;
    std::vector<std::string> ids =
        spec.ids_member.empty() ? std::vector<std::string>{} : strings(in, spec.ids_member);
    if (!ids.empty()) {
      for (const std::string& id : ids) {
        std::optional<Doc> doc = st.get(spec.kind, id);
        if (!doc) {
          return spec.not_found(id);
        }
        rows.push_back(Row{0, id, spec.kind, std::move(*doc)});
      }
    } else {
      rows = st.list(spec.kind);
    }
    json::array out;
    std::string next;
    for (Row& row : rows) {
      if (row.seq != 0 && row.seq < start_seq) {
        continue;
      }
      Doc doc = view ? view(st, std::move(row.doc)) : std::move(row.doc);
      if (!matches(doc, *filters, *spec.filters)) {
        continue;
      }
      if (spec.paginated && max_results && static_cast<int64_t>(out.size()) >= *max_results &&
          row.seq != 0) {
        next = std::to_string(row.seq);
        break;
      }
      out.push_back(public_view(std::move(doc)));
    }
    Doc reply{{spec.out_member, std::move(out)}};
    if (!next.empty()) {
      reply["NextToken"] = next;
    }
    return reply;
  });
}

std::string resource_arn(const Ec2Store& st, std::string_view type, std::string_view id) {
  return core::ids::arn("ec2", st.region(), st.account(),
                        std::string(type) + "/" + std::string(id));
}

}  // namespace services::ec2
