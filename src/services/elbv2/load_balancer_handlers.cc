// Load balancers: create, describe, delete, attributes, security groups, subnets.

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <set>
#include <utility>

#include "core/ids.h"
#include "core/log.h"
#include "services/elbv2/attribute_handlers.h"
#include "services/elbv2/attributes.h"
#include "services/elbv2/describe_pages.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"
#include "services/elbv2/load_balancer_network.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxLoadBalancers = 50;
constexpr std::size_t kMaxTags = 50;

std::optional<protocol::AwsError> check_load_balancer_name(const std::string& name) {
  if (auto e = check_name("Load balancer", name)) {
    return e;
  }
  if (name.starts_with("internal-")) {
    return errors::validation("Load balancer name '" + name + "' cannot begin with 'internal-'");
  }
  return std::nullopt;
}

std::string availability_zones_key(const json::array& zones) {
  std::vector<std::string> ids;
  for (const json::value& z : zones) {
    ids.push_back(str(z.get_object(), "SubnetId"));
  }
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const std::string& id : ids) {
    out += id + ",";
  }
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

// The load balancer `arn`, read on its own (SetSecurityGroups and SetSubnets make interfaces
// before they write).
static protocol::Result<LoadBalancerRow> read_load_balancer(store::Db& db, const Ctx& ctx,
                                                            const std::string& arn) {
  std::optional<LoadBalancerRow> row;
  {
    store::Transaction tx = db.read();
    row = Elbv2Store(tx, ctx.account, ctx.region).load_balancer(arn);
    tx.commit();
  }
  if (!row) {
    return errors::load_balancer_not_found("Load balancer '" + arn + "' not found");
  }
  return std::move(*row);
}

// The description of the interfaces of load balancer `arn`: "ELB app/<name>/<id>".
static std::string interface_description(const LoadBalancerRow& row, const std::string& arn) {
  return "ELB app/" + str(row.doc, "LoadBalancerName") + "/" + arn.substr(arn.rfind('/') + 1);
}

// Stores interfaces made outside a transaction onto load balancer `arn`: change(row) edits the
// row and returns the interfaces it no longer uses, which are released once it is stored. When
// the load balancer is gone meanwhile, `made` is released instead.
template <class Change>
static protocol::Result<LoadBalancerRow> replace_interfaces(store::Db& db, NetworkLookup& network,
                                                            const Ctx& ctx, const std::string& arn,
                                                            const json::array& made,
                                                            Change change) {
  json::array unused;
  LoadBalancerRow row;
  {
    store::Transaction tx = db.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<LoadBalancerRow> current = st.load_balancer(arn);
    if (!current) {
      tx.rollback();
      release_interfaces(network, made);
      return errors::load_balancer_not_found("Load balancer '" + arn + "' not found");
    }
    unused = change(*current);
    st.put_load_balancer(*current);
    tx.commit();
    row = std::move(*current);
  }
  release_interfaces(network, unused);
  return row;
}

// A CreateLoadBalancer request, checked, with its subnets and groups resolved against EC2.
struct NewLoadBalancer {
  std::string name;
  std::string scheme;
  std::string ip_type;
  json::array tags;
  std::vector<SubnetRef> subnets;
  std::vector<std::string> requested_groups;
  std::vector<std::string> groups;  // the requested ones, or the VPC's default group
};

static protocol::Result<NewLoadBalancer> read_create_request(NetworkLookup& network, const Ctx& ctx,
                                                             const Doc& in) {
  NewLoadBalancer lb;
  lb.name = str(in, "Name");
  if (auto e = check_load_balancer_name(lb.name)) {
    return *e;
  }
  std::string type = str(in, "Type", "application");
  if (type != "application") {
    return errors::validation("Load balancer type '" + type +
                              "' is not supported; only 'application' load balancers are");
  }
  lb.scheme = str(in, "Scheme", "internet-facing");
  lb.ip_type = str(in, "IpAddressType", "ipv4");
  lb.tags = arr(in, "Tags") ? *arr(in, "Tags") : json::array{};
  if (auto e = check_tags(lb.tags, ctx.via_cloudformation())) {
    return *e;
  }
  if (lb.tags.size() > kMaxTags) {
    return errors::too_many_tags();
  }
  protocol::Result<std::vector<std::string>> subnet_ids = requested_subnets(in);
  if (!subnet_ids) {
    return subnet_ids.error();
  }
  protocol::Result<std::vector<SubnetRef>> subnets = resolve_subnets(network, ctx, *subnet_ids);
  if (!subnets) {
    return subnets.error();
  }
  lb.subnets = std::move(*subnets);
  lb.requested_groups = strings(in, "SecurityGroups");
  protocol::Result<std::vector<std::string>> groups =
      resolve_groups(network, ctx, lb.requested_groups, lb.subnets.front().vpc_id);
  if (!groups) {
    return groups.error();
  }
  lb.groups = std::move(*groups);
  return lb;
}

// CreateLoadBalancer is idempotent: the same name with the same settings returns the existing
// load balancer: that row, or an error when its settings differ or no more may be made; nullopt
// to go on.
static protocol::Result<std::optional<LoadBalancerRow>> existing_load_balancer(
    store::Db& db, const Ctx& ctx, const NewLoadBalancer& lb) {
  store::Transaction tx = db.read();
  Elbv2Store st(tx, ctx.account, ctx.region);
  if (std::optional<LoadBalancerRow> existing = st.load_balancer_by_name(lb.name)) {
    const Doc& d = existing->doc;
    bool same =
        str(d, "Scheme") == lb.scheme &&
        availability_zones_key(*arr(d, "AvailabilityZones")) ==
            availability_zones_key(zones_of(lb.subnets)) &&
        (lb.requested_groups.empty() || sorted(strings(d, "SecurityGroups")) == sorted(lb.groups));
    if (!same) {
      return errors::duplicate_load_balancer_name(lb.name);
    }
    return existing;
  }
  if (st.count_load_balancers() >= kMaxLoadBalancers) {
    return errors::too_many_load_balancers();
  }
  return std::optional<LoadBalancerRow>();
}

// The row of a new load balancer, provisioning from `now` until `active_at`.
static LoadBalancerRow new_load_balancer_row(const Ctx& ctx, const NewLoadBalancer& lb,
                                             const std::string& arn, json::array interfaces,
                                             core::TimePoint now, core::TimePoint active_at) {
  std::string dns_label =
      lb.name + "-" +
      std::to_string(1000000000 + std::stoll(core::ids::random_hex(7), nullptr, 16) % 1000000000);
  if (lb.scheme == "internal") {
    dns_label = "internal-" + dns_label;
  }
  LoadBalancerRow row;
  row.doc = json::object{
      {"LoadBalancerArn", arn},
      {"DNSName", dns_label + "." + ctx.region + ".elb.localhost"},
      {"CanonicalHostedZoneId", canonical_hosted_zone_id(ctx.region)},
      {"CreatedTime", epoch(now)},
      {"LoadBalancerName", lb.name},
      {"Scheme", lb.scheme},
      {"VpcId", lb.subnets.front().vpc_id},
      {"State", json::object{{"Code", "provisioning"}}},
      {"Type", "application"},
      {"AvailabilityZones", zones_of(lb.subnets)},
      {"SecurityGroups", to_array(lb.groups)},
      {"IpAddressType", lb.ip_type},
  };
  row.state = "provisioning";
  row.active_at_ms = core::to_epoch_millis(active_at);
  row.created_at_ms = core::to_epoch_millis(now);
  row.attributes = default_load_balancer_attributes();
  row.interfaces = std::move(interfaces);
  return row;
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
Reply Elbv2Service::create_load_balancer(const Ctx& ctx, const Doc& in) {
  protocol::Result<NewLoadBalancer> lb = read_create_request(network_, ctx, in);
  if (!lb) {
    return lb.error();
  }
  protocol::Result<std::optional<LoadBalancerRow>> existing = existing_load_balancer(db_, ctx, *lb);
  if (!existing) {
    return existing.error();
  }
  if (*existing) {
    return json::object{{"LoadBalancers", json::array{load_balancer_view(**existing)}}};
  }
  std::string id = elb_id();
  std::string arn = elb_arn(ctx, "loadbalancer/app/" + lb->name + "/" + id);
  protocol::Result<json::array> interfaces =
      allocate_interfaces(network_, ctx, lb->subnets, lb->groups, "ELB app/" + lb->name + "/" + id);
  if (!interfaces) {
    return interfaces.error();
  }
  core::TimePoint now = clock_.now();
  core::TimePoint active_at = now + clock_.scaled(kProvisioningTime);
  LoadBalancerRow row = new_load_balancer_row(ctx, *lb, arn, *interfaces, now, active_at);
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    try {
      st.put_load_balancer(row);
    } catch (const std::system_error& e) {
      if (e.code() != store::errc::unique_constraint) {
        throw;
      }
      tx.rollback();
      release_interfaces(network_, *interfaces);
      return errors::duplicate_load_balancer_name(lb->name);
    }
    st.add_tags(arn, lb->tags);
    tx.commit();
  }
  activation_.enqueue_after(arn, active_at - now);
  changed();
  return json::object{{"LoadBalancers", json::array{load_balancer_view(row)}}};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancers.html
Reply Elbv2Service::describe_load_balancers(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> arns = strings(in, "LoadBalancerArns");
  std::vector<std::string> names = strings(in, "Names");
  if (!arns.empty() && !names.empty()) {
    return errors::validation(
        "Load balancer names and load balancer ARNs cannot be specified at the same time");
  }
  return describe_page(
      db_, ctx, in, "LoadBalancers", [&](Elbv2Store& st, const Page& page, DescribeOut& out) {
        if (!arns.empty()) {
          return visit_named(
              arns, [&](const std::string& arn) { return st.load_balancer(arn); },
              [](const std::string&) { return errors::load_balancer_not_found(); },
              [&](const LoadBalancerRow& row) { out.rows.push_back(load_balancer_view(row)); });
        }
        if (!names.empty()) {
          // Unlike the other Describe<X>, every missing name is reported, not the first.
          std::string missing;
          for (const std::string& name : names) {
            if (std::optional<LoadBalancerRow> row = st.load_balancer_by_name(name)) {
              out.rows.push_back(load_balancer_view(*row));
            } else {
              missing += (missing.empty() ? "'" : ", '") + name + "'";
            }
          }
          if (!missing.empty()) {
            return std::optional(
                errors::load_balancer_not_found("Load balancers '[" + missing + "]' not found"));
          }
        } else {
          take_page(
              st.load_balancer_names(page.after, page.size + 1), page,
              [&](const std::string& arn) { return load_balancer_view(*st.load_balancer(arn)); },
              out);
        }
        return std::optional<protocol::AwsError>();
      });
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteLoadBalancer.html
// "If the load balancer does not exist or has already been deleted, the call succeeds."
Reply Elbv2Service::delete_load_balancer(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "LoadBalancerArn");
  if (!arn_of_kind(ctx, arn, "loadbalancer")) {
    return errors::validation("'" + arn + "' is not a valid load balancer ARN");
  }
  json::array interfaces;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<LoadBalancerRow> row = st.load_balancer(arn);
    if (!row) {
      return json::object{};
    }
    if (str(row->attributes, "deletion_protection.enabled") == "true") {
      return errors::operation_not_permitted("Load balancer '" + arn +
                                             "' cannot be deleted because deletion protection "
                                             "is enabled");
    }
    interfaces = row->interfaces;
    st.delete_load_balancer(arn);
    tx.commit();
  }
  release_interfaces(network_, interfaces);
  changed();
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancerAttributes.html
Reply Elbv2Service::describe_load_balancer_attributes(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "LoadBalancerArn");
  return describe_attributes(
      db_, ctx, arn,
      RowAttributes<LoadBalancerRow>{&Elbv2Store::load_balancer, &Elbv2Store::put_load_balancer,
                                     &apply_load_balancer_attributes},
      errors::load_balancer_not_found("Load balancer '" + arn + "' not found"));
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyLoadBalancerAttributes.html
Reply Elbv2Service::modify_load_balancer_attributes(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "LoadBalancerArn");
  Reply out = modify_attributes(
      db_, ctx, in, arn,
      RowAttributes<LoadBalancerRow>{&Elbv2Store::load_balancer, &Elbv2Store::put_load_balancer,
                                     &apply_load_balancer_attributes},
      errors::load_balancer_not_found("Load balancer '" + arn + "' not found"));
  if (out) {
    changed();
  }
  return out;
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetSecurityGroups.html
// The load balancer's interfaces are replaced by ones in the new groups (EC2's directory has no
// call to change an interface's groups in place), so their addresses change.
Reply Elbv2Service::set_security_groups(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "LoadBalancerArn");
  protocol::Result<LoadBalancerRow> row = read_load_balancer(db_, ctx, arn);
  if (!row) {
    return row.error();
  }
  std::vector<std::string> requested = strings(in, "SecurityGroups");
  if (requested.empty()) {
    return errors::validation("At least one security group must be specified");
  }
  protocol::Result<std::vector<std::string>> groups =
      resolve_groups(network_, ctx, requested, str(row->doc, "VpcId"));
  if (!groups) {
    return groups.error();
  }
  if (sorted(*groups) == sorted(strings(row->doc, "SecurityGroups"))) {
    return json::object{{"SecurityGroupIds", to_array(*groups)}};
  }
  std::vector<SubnetRef> subnets;
  for (const json::value& v : row->interfaces) {
    subnets.push_back({str(v.get_object(), "SubnetId"), str(row->doc, "VpcId"),
                       str(v.get_object(), "ZoneName"), ""});
  }
  std::string description = interface_description(*row, arn);
  protocol::Result<json::array> interfaces =
      allocate_interfaces(network_, ctx, subnets, *groups, description);
  if (!interfaces) {
    return interfaces.error();
  }
  protocol::Result<LoadBalancerRow> stored =
      replace_interfaces(db_, network_, ctx, arn, *interfaces, [&](LoadBalancerRow& current) {
        current.doc["SecurityGroups"] = to_array(*groups);
        return std::exchange(current.interfaces, *interfaces);
      });
  if (!stored) {
    return stored.error();
  }
  changed();
  return json::object{{"SecurityGroupIds", to_array(*groups)}};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetSubnets.html
Reply Elbv2Service::set_subnets(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "LoadBalancerArn");
  protocol::Result<LoadBalancerRow> row = read_load_balancer(db_, ctx, arn);
  if (!row) {
    return row.error();
  }
  protocol::Result<std::vector<std::string>> ids = requested_subnets(in);
  if (!ids) {
    return ids.error();
  }
  protocol::Result<std::vector<SubnetRef>> subnets = resolve_subnets(network_, ctx, *ids);
  if (!subnets) {
    return subnets.error();
  }
  if (subnets->front().vpc_id != str(row->doc, "VpcId")) {
    return errors::invalid_configuration("Subnets must be in the load balancer's VPC '" +
                                         str(row->doc, "VpcId") + "'");
  }
  // Keep the interfaces of subnets that stay; make ones for new subnets.
  std::vector<SubnetRef> added;
  for (const SubnetRef& s : *subnets) {
    auto it = std::find_if(
        row->interfaces.begin(), row->interfaces.end(),
        [&](const json::value& v) { return str(v.get_object(), "SubnetId") == s.subnet_id; });
    if (it == row->interfaces.end()) {
      added.push_back(s);
    }
  }
  std::string description = interface_description(*row, arn);
  protocol::Result<json::array> made =
      allocate_interfaces(network_, ctx, added, strings(row->doc, "SecurityGroups"), description);
  if (!made) {
    return made.error();
  }
  protocol::Result<LoadBalancerRow> stored =
      replace_interfaces(db_, network_, ctx, arn, *made, [&](LoadBalancerRow& current) {
        json::array interfaces;
        for (const SubnetRef& s : *subnets) {
          auto match = [&](const json::value& v) {
            return str(v.get_object(), "SubnetId") == s.subnet_id;
          };
          auto old = std::find_if(current.interfaces.begin(), current.interfaces.end(), match);
          if (old != current.interfaces.end()) {
            interfaces.push_back(*old);
            continue;
          }
          auto fresh = std::find_if(made->begin(), made->end(), match);
          if (fresh != made->end()) {
            interfaces.push_back(*fresh);
          }
        }
        json::array removed;
        for (const json::value& v : current.interfaces) {
          bool stays = std::any_of(subnets->begin(), subnets->end(), [&](const SubnetRef& s) {
            return s.subnet_id == str(v.get_object(), "SubnetId");
          });
          if (!stays) {
            removed.push_back(v);
          }
        }
        current.doc["AvailabilityZones"] = zones_of(*subnets);
        if (std::optional<std::string> ip_type = opt_str(in, "IpAddressType")) {
          current.doc["IpAddressType"] = *ip_type;
        }
        current.interfaces = interfaces;
        return removed;
      });
  if (!stored) {
    return stored.error();
  }
  changed();
  return json::object{{"AvailabilityZones", stored->doc.at("AvailabilityZones")},
                      {"IpAddressType", str(stored->doc, "IpAddressType", "ipv4")}};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetIpAddressType.html
Reply Elbv2Service::set_ip_address_type(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "LoadBalancerArn");
  std::string ip_type = str(in, "IpAddressType");
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<LoadBalancerRow> row = st.load_balancer(arn);
    if (!row) {
      return errors::load_balancer_not_found("Load balancer '" + arn + "' not found");
    }
    row->doc["IpAddressType"] = ip_type;
    st.put_load_balancer(*row);
    tx.commit();
  }
  changed();
  return json::object{{"IpAddressType", ip_type}};
}

}  // namespace services::elbv2
