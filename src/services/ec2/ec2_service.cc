#include "services/ec2/ec2_service.h"

#include <boost/json/array.hpp>
#include <charconv>

#include "core/ids.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

Ec2Service::Ec2Service(store::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}

void Ec2Service::register_operations(protocol::ServiceRegistry& registry) {
  registry.add(
      "ec2",
      {
          {"CreateVpc", protocol::method(this, &Ec2Service::create_vpc)},
          {"DeleteVpc", protocol::method(this, &Ec2Service::delete_vpc)},
          {"DescribeVpcs", protocol::method(this, &Ec2Service::describe_vpcs)},
          {"ModifyVpcAttribute", protocol::method(this, &Ec2Service::modify_vpc_attribute)},
          {"DescribeVpcAttribute", protocol::method(this, &Ec2Service::describe_vpc_attribute)},
          {"CreateSubnet", protocol::method(this, &Ec2Service::create_subnet)},
          {"DeleteSubnet", protocol::method(this, &Ec2Service::delete_subnet)},
          {"DescribeSubnets", protocol::method(this, &Ec2Service::describe_subnets)},
          {"ModifySubnetAttribute", protocol::method(this, &Ec2Service::modify_subnet_attribute)},
          {"CreateInternetGateway", protocol::method(this, &Ec2Service::create_internet_gateway)},
          {"AttachInternetGateway", protocol::method(this, &Ec2Service::attach_internet_gateway)},
          {"DetachInternetGateway", protocol::method(this, &Ec2Service::detach_internet_gateway)},
          {"DeleteInternetGateway", protocol::method(this, &Ec2Service::delete_internet_gateway)},
          {"DescribeInternetGateways",
           protocol::method(this, &Ec2Service::describe_internet_gateways)},
          {"CreateNatGateway", protocol::method(this, &Ec2Service::create_nat_gateway)},
          {"DeleteNatGateway", protocol::method(this, &Ec2Service::delete_nat_gateway)},
          {"DescribeNatGateways", protocol::method(this, &Ec2Service::describe_nat_gateways)},
          {"AllocateAddress", protocol::method(this, &Ec2Service::allocate_address)},
          {"ReleaseAddress", protocol::method(this, &Ec2Service::release_address)},
          {"AssociateAddress", protocol::method(this, &Ec2Service::associate_address)},
          {"DisassociateAddress", protocol::method(this, &Ec2Service::disassociate_address)},
          {"DescribeAddresses", protocol::method(this, &Ec2Service::describe_addresses)},
          {"CreateRouteTable", protocol::method(this, &Ec2Service::create_route_table)},
          {"DeleteRouteTable", protocol::method(this, &Ec2Service::delete_route_table)},
          {"DescribeRouteTables", protocol::method(this, &Ec2Service::describe_route_tables)},
          {"CreateRoute", protocol::method(this, &Ec2Service::create_route)},
          {"ReplaceRoute", protocol::method(this, &Ec2Service::replace_route)},
          {"DeleteRoute", protocol::method(this, &Ec2Service::delete_route)},
          {"AssociateRouteTable", protocol::method(this, &Ec2Service::associate_route_table)},
          {"DisassociateRouteTable", protocol::method(this, &Ec2Service::disassociate_route_table)},
          {"ReplaceRouteTableAssociation",
           protocol::method(this, &Ec2Service::replace_route_table_association)},
          {"DescribeNetworkAcls", protocol::method(this, &Ec2Service::describe_network_acls)},
          {"CreateSecurityGroup", protocol::method(this, &Ec2Service::create_security_group)},
          {"DeleteSecurityGroup", protocol::method(this, &Ec2Service::delete_security_group)},
          {"DescribeSecurityGroups", protocol::method(this, &Ec2Service::describe_security_groups)},
          {"DescribeSecurityGroupRules",
           protocol::method(this, &Ec2Service::describe_security_group_rules)},
          {"AuthorizeSecurityGroupIngress",
           protocol::method(this, &Ec2Service::authorize_security_group_ingress)},
          {"AuthorizeSecurityGroupEgress",
           protocol::method(this, &Ec2Service::authorize_security_group_egress)},
          {"RevokeSecurityGroupIngress",
           protocol::method(this, &Ec2Service::revoke_security_group_ingress)},
          {"RevokeSecurityGroupEgress",
           protocol::method(this, &Ec2Service::revoke_security_group_egress)},
          {"ModifySecurityGroupRules",
           protocol::method(this, &Ec2Service::modify_security_group_rules)},
          {"UpdateSecurityGroupRuleDescriptionsIngress",
           protocol::method(this, &Ec2Service::update_security_group_rule_descriptions_ingress)},
          {"UpdateSecurityGroupRuleDescriptionsEgress",
           protocol::method(this, &Ec2Service::update_security_group_rule_descriptions_egress)},
          {"CreateNetworkInterface", protocol::method(this, &Ec2Service::create_network_interface)},
          {"DeleteNetworkInterface", protocol::method(this, &Ec2Service::delete_network_interface)},
          {"DescribeNetworkInterfaces",
           protocol::method(this, &Ec2Service::describe_network_interfaces)},
          {"DescribeAvailabilityZones",
           protocol::method(this, &Ec2Service::describe_availability_zones)},
          {"DescribeRegions", protocol::method(this, &Ec2Service::describe_regions)},
          {"DescribeAccountAttributes",
           protocol::method(this, &Ec2Service::describe_account_attributes)},
          {"CreateTags", protocol::method(this, &Ec2Service::create_tags)},
          {"DeleteTags", protocol::method(this, &Ec2Service::delete_tags)},
          {"DescribeTags", protocol::method(this, &Ec2Service::describe_tags)},
      });
}

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
