#include "services/elbv2/load_balancer_network.h"

#include <algorithm>
#include <set>

#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;
using Ctx = protocol::RequestContext;

namespace {

json::object interface_doc(const LbInterface& i) {
  return json::object{{"SubnetId", i.subnet_id},
                      {"ZoneName", i.availability_zone},
                      {"EniId", i.eni_id},
                      {"PrivateIp", i.private_ip}};
}

}  // namespace

protocol::Result<std::vector<std::string>> requested_subnets(const Doc& in) {
  std::vector<std::string> ids = strings(in, "Subnets");
  const json::array* mappings = arr(in, "SubnetMappings");
  if (!ids.empty() && mappings && !mappings->empty()) {
    return errors::validation("You can specify subnets or subnet mappings, not both");
  }
  if (mappings) {
    for (const json::value& m : *mappings) {
      if (m.is_object()) {
        ids.push_back(str(m.get_object(), "SubnetId"));
      }
    }
  }
  return ids;
}

json::array zones_of(const std::vector<SubnetRef>& subnets) {
  json::array out;
  for (const SubnetRef& s : subnets) {
    out.push_back(json::object{{"ZoneName", s.availability_zone},
                               {"SubnetId", s.subnet_id},
                               {"LoadBalancerAddresses", json::array{}}});
  }
  return out;
}

protocol::Result<std::vector<SubnetRef>> resolve_subnets(NetworkLookup& network, const Ctx& ctx,
                                                         const std::vector<std::string>& ids) {
  std::vector<SubnetRef> found = network.subnets(ctx.account, ctx.region, ids);
  for (const std::string& id : ids) {
    bool known = std::any_of(found.begin(), found.end(),
                             [&](const SubnetRef& s) { return s.subnet_id == id; });
    if (!known) {
      return errors::subnet_not_found(id);
    }
  }
  std::vector<SubnetRef> unique;
  std::set<std::string> zones;
  for (const SubnetRef& s : found) {
    if (std::any_of(unique.begin(), unique.end(),
                    [&](const SubnetRef& u) { return u.subnet_id == s.subnet_id; })) {
      continue;
    }
    if (!unique.empty() && s.vpc_id != unique.front().vpc_id) {
      return errors::invalid_configuration("Subnets must all be in the same VPC");
    }
    if (!zones.insert(s.availability_zone).second) {
      return errors::invalid_configuration(
          "A load balancer cannot be attached to multiple subnets in the same Availability "
          "Zone");
    }
    unique.push_back(s);
  }
  if (zones.size() < 2) {
    return errors::validation(
        "At least two subnets in two different Availability Zones must be specified");
  }
  return unique;
}

protocol::Result<std::vector<std::string>> resolve_groups(NetworkLookup& network, const Ctx& ctx,
                                                          const std::vector<std::string>& ids,
                                                          const std::string& vpc_id) {
  if (ids.empty()) {
    std::optional<std::string> group =
        network.default_security_group(ctx.account, ctx.region, vpc_id);
    if (!group) {
      return errors::invalid_configuration("The VPC '" + vpc_id +
                                           "' has no default security group");
    }
    return std::vector<std::string>{*group};
  }
  std::vector<GroupRef> found = network.security_groups(ctx.account, ctx.region, ids);
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    auto it = std::find_if(found.begin(), found.end(),
                           [&](const GroupRef& g) { return g.group_id == id; });
    if (it == found.end()) {
      return errors::invalid_security_group(id);
    }
    if (it->vpc_id != vpc_id) {
      return errors::invalid_configuration("Security group '" + id + "' does not belong to VPC '" +
                                           vpc_id + "'");
    }
    if (std::find(out.begin(), out.end(), id) == out.end()) {
      out.push_back(id);
    }
  }
  return out;
}

protocol::Result<json::array> allocate_interfaces(NetworkLookup& network, const Ctx& ctx,
                                                  const std::vector<SubnetRef>& subnets,
                                                  const std::vector<std::string>& groups,
                                                  const std::string& description) {
  json::array out;
  std::vector<std::string> made;
  for (const SubnetRef& s : subnets) {
    protocol::Result<LbInterface> eni =
        network.allocate_interface(ctx.account, ctx.region, s, groups, description);
    if (!eni) {
      for (const std::string& id : made) {
        network.release_interface(id);
      }
      return eni.error();
    }
    made.push_back(eni->eni_id);
    LbInterface i = *eni;
    if (i.availability_zone.empty()) {
      i.availability_zone = s.availability_zone;
    }
    out.push_back(interface_doc(i));
  }
  return out;
}

void release_interfaces(NetworkLookup& network, const json::array& interfaces) {
  for (const json::value& v : interfaces) {
    std::string eni = str(v.get_object(), "EniId");
    if (!eni.empty()) {
      network.release_interface(eni);
    }
  }
}

}  // namespace services::elbv2
