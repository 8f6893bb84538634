#include "services/ec2/permissions.h"

#include <charconv>
#include <map>

#include "services/ec2/cidr.h"
#include "services/ec2/errors.h"
#include "services/ec2/filters.h"

namespace services::ec2 {

namespace json = boost::json;

protocol::Result<std::string> normalize_protocol(std::string_view text) {
  std::string p(text);
  for (char& c : p) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (p == "tcp" || p == "6") {
    return std::string("tcp");
  }
  if (p == "udp" || p == "17") {
    return std::string("udp");
  }
  if (p == "icmp" || p == "1") {
    return std::string("icmp");
  }
  if (p == "icmpv6" || p == "58") {
    return std::string("icmpv6");
  }
  if (p == "-1" || p == "all") {
    return std::string("-1");
  }
  int number = -1;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), number);
  if (!p.empty() && ec == std::errc{} && end == p.data() + p.size() && number >= 0 &&
      number <= 255) {
    return std::to_string(number);
  }
  return errors::invalid_parameter_value("Invalid value '" + std::string(text) +
                                         "' for IP protocol. Unknown protocol.");
}

namespace {

struct PortRange {
  int from = -1;
  int to = -1;
};

protocol::Result<PortRange> ports_for(const std::string& protocol, std::optional<int64_t> from,
                                      std::optional<int64_t> to) {
  if (protocol == "tcp" || protocol == "udp") {
    if (!from || !to) {
      return errors::invalid_parameter_value(
          "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
    }
    if (*from < 0 || *to > 65535 || *from > *to) {
      return errors::invalid_parameter_value("Invalid value 'Invalid port range " +
                                             std::to_string(*from) + "-" + std::to_string(*to) +
                                             "' for portRange");
    }
    return PortRange{static_cast<int>(*from), static_cast<int>(*to)};
  }
  if (protocol == "icmp" || protocol == "icmpv6") {
    int64_t type = from.value_or(-1);
    int64_t code = to.value_or(-1);
    if (type < -1 || type > 255 || code < -1 || code > 255) {
      return errors::invalid_parameter_value("Invalid value for ICMP type or code");
    }
    return PortRange{static_cast<int>(type), static_cast<int>(code)};
  }
  return PortRange{};  // "-1" and other protocols have no ports
}

// Finds a source group by id or by name in the VPC.
protocol::Result<Doc> source_group(Ec2Store& st, const Doc& group, const Doc& pair) {
  std::string vpc_id = str(group, "VpcId");
  if (std::optional<std::string> id = opt_str(pair, "GroupId")) {
    std::optional<Doc> found = st.get(Kind::SecurityGroup, *id);
    if (!found) {
      return errors::group_not_found(*id);
    }
    if (str(*found, "VpcId") != vpc_id) {
      return errors::invalid_parameter(
          "You have specified two resources that belong to different networks.");
    }
    return *found;
  }
  if (std::optional<std::string> name = opt_str(pair, "GroupName")) {
    for (Row& row : st.list_in_vpc(Kind::SecurityGroup, vpc_id)) {
      if (str(row.doc, "GroupName") == *name) {
        return std::move(row.doc);
      }
    }
    return errors::group_name_not_found(*name, vpc_id);
  }
  return errors::invalid_parameter_value(
      "Invalid value for UserIdGroupPairs: a GroupId or GroupName is required");
}

}  // namespace

namespace {

// The request's permissions: IpPermissions plus, in the legacy form, one permission built from
// the top-level members.
json::array requested_permissions(const Doc& in) {
  json::array permissions;
  if (const json::array* given = arr(in, "IpPermissions")) {
    permissions = *given;
  }
  if (opt_str(in, "IpProtocol") || opt_str(in, "CidrIp") ||
      opt_str(in, "SourceSecurityGroupName")) {
    Doc p;
    p["IpProtocol"] = str(in, "IpProtocol", "-1");
    if (auto f = opt_int(in, "FromPort")) {
      p["FromPort"] = *f;
    }
    if (auto t = opt_int(in, "ToPort")) {
      p["ToPort"] = *t;
    }
    if (auto cidr = opt_str(in, "CidrIp")) {
      p["IpRanges"] = json::array{Doc{{"CidrIp", *cidr}}};
    }
    if (auto name = opt_str(in, "SourceSecurityGroupName")) {
      // Without a protocol, a source group name authorises all traffic from that group.
      p["UserIdGroupPairs"] = json::array{Doc{{"GroupName", *name}}};
    }
    permissions.push_back(std::move(p));
  }
  return permissions;
}

// The peer of one IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs entry: the rule member
// that names it and its value.
struct Peer {
  std::string_view member;
  json::value value;
};

protocol::Result<Peer> ipv4_peer(const Doc& range) {
  std::string text = str(range, "CidrIp");
  std::optional<Cidr> cidr = parse_cidr(text, /*strict=*/false);
  if (!cidr) {
    return errors::invalid_parameter_value("CIDR block " + text + " is malformed");
  }
  return Peer{"CidrIpv4", json::value(cidr->str())};
}

protocol::Result<Peer> ipv6_peer(const Doc& range) {
  std::string text = str(range, "CidrIpv6");
  if (text.find(':') == std::string::npos || text.find('/') == std::string::npos) {
    return errors::invalid_parameter_value("CIDR block " + text + " is malformed");
  }
  return Peer{"CidrIpv6", json::value(text)};
}

protocol::Result<Peer> prefix_list_peer(const Doc& entry) {
  std::string id = str(entry, "PrefixListId");
  if (!id.starts_with("pl-")) {
    return errors::invalid_parameter_value("The prefix list ID '" + id + "' is malformed");
  }
  return Peer{"PrefixListId", json::value(id)};
}

// Expands one permission into `out`, one rule per peer.
protocol::Result<void> expand_permission(Ec2Store& st, const Doc& group, const Doc& p, bool egress,
                                         std::vector<Doc>& out) {
  auto protocol = normalize_protocol(str(p, "IpProtocol"));
  if (!protocol) {
    return protocol.error();
  }
  auto ports = ports_for(*protocol, opt_int(p, "FromPort"), opt_int(p, "ToPort"));
  if (!ports) {
    return ports.error();
  }
  Doc base{{"IsEgress", egress},
           {"IpProtocol", *protocol},
           {"FromPort", ports->from},
           {"ToPort", ports->to}};
  std::size_t before = out.size();
  auto add_peers = [&](std::string_view list, auto peer_of_entry) -> protocol::Result<void> {
    const json::array* entries = arr(p, list);
    if (!entries) {
      return {};
    }
    for (const json::value& v : *entries) {
      const Doc& entry = v.as_object();
      protocol::Result<Peer> peer = peer_of_entry(entry);
      if (!peer) {
        return peer.error();
      }
      Doc rule = base;
      rule[peer->member] = std::move(peer->value);
      if (std::optional<std::string> d = opt_str(entry, "Description")) {
        rule["Description"] = *d;
      }
      out.push_back(std::move(rule));
    }
    return {};
  };
  auto group_peer = [&](const Doc& pair) -> protocol::Result<Peer> {
    auto source = source_group(st, group, pair);
    if (!source) {
      return source.error();
    }
    return Peer{"ReferencedGroupInfo",
                Doc{{"GroupId", str(*source, "GroupId")}, {"UserId", str(*source, "OwnerId")}}};
  };
  protocol::Result<void> added = add_peers("IpRanges", ipv4_peer);
  if (added) {
    added = add_peers("Ipv6Ranges", ipv6_peer);
  }
  if (added) {
    added = add_peers("PrefixListIds", prefix_list_peer);
  }
  if (added) {
    added = add_peers("UserIdGroupPairs", group_peer);
  }
  if (!added) {
    return added.error();
  }
  if (out.size() == before) {
    return errors::invalid_parameter_value(
        "Invalid IpPermissions: a permission needs at least one of IpRanges, Ipv6Ranges, "
        "PrefixListIds or UserIdGroupPairs");
  }
  return {};
}

}  // namespace

protocol::Result<std::vector<Doc>> expand_permissions(Ec2Store& st, const Doc& group, const Doc& in,
                                                      bool egress) {
  json::array permissions = requested_permissions(in);
  if (permissions.empty()) {
    return errors::missing_parameter("ipPermissions");
  }
  std::vector<Doc> out;
  for (const json::value& v : permissions) {
    protocol::Result<void> expanded = expand_permission(st, group, v.as_object(), egress, out);
    if (!expanded) {
      return expanded.error();
    }
  }
  return out;
}

namespace {

std::string peer_of(const Doc& rule) {
  if (auto c = opt_str(rule, "CidrIpv4")) {
    return *c;
  }
  if (auto c = opt_str(rule, "CidrIpv6")) {
    return *c;
  }
  if (auto c = opt_str(rule, "PrefixListId")) {
    return *c;
  }
  if (const Doc* g = obj(rule, "ReferencedGroupInfo")) {
    return str(*g, "GroupId");
  }
  return "";
}

std::string upper(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

}  // namespace

std::string rule_key(const Doc& rule) {
  return std::string(flag(rule, "IsEgress") ? "egress" : "ingress") + "|" +
         str(rule, "IpProtocol") + "|" + std::to_string(opt_int(rule, "FromPort").value_or(-1)) +
         "|" + std::to_string(opt_int(rule, "ToPort").value_or(-1)) + "|" + peer_of(rule);
}

std::string describe_rule(const Doc& rule) {
  std::string protocol = str(rule, "IpProtocol");
  std::string out = "peer: " + peer_of(rule) + ", ";
  if (protocol == "-1") {
    out += "ALL";
  } else {
    out += upper(protocol) +
           ", from port: " + std::to_string(opt_int(rule, "FromPort").value_or(-1)) +
           ", to port: " + std::to_string(opt_int(rule, "ToPort").value_or(-1));
  }
  return out + ", ALLOW";
}

json::array to_ip_permissions(const std::vector<Doc>& rules) {
  std::vector<std::string> order;
  std::map<std::string, Doc> by_range;
  for (const Doc& rule : rules) {
    std::string protocol = str(rule, "IpProtocol");
    int64_t from = opt_int(rule, "FromPort").value_or(-1);
    int64_t to = opt_int(rule, "ToPort").value_or(-1);
    std::string key = protocol + "|" + std::to_string(from) + "|" + std::to_string(to);
    auto [it, fresh] = by_range.try_emplace(key);
    Doc& p = it->second;
    if (fresh) {
      order.push_back(key);
      p["IpProtocol"] = protocol;
      if (protocol != "-1") {
        p["FromPort"] = from;
        p["ToPort"] = to;
      }
      p["IpRanges"] = json::array();
      p["Ipv6Ranges"] = json::array();
      p["PrefixListIds"] = json::array();
      p["UserIdGroupPairs"] = json::array();
    }
    auto add = [&](std::string_view list, Doc entry) {
      if (auto d = opt_str(rule, "Description")) {
        entry["Description"] = *d;
      }
      p[list].as_array().push_back(std::move(entry));
    };
    if (auto c = opt_str(rule, "CidrIpv4")) {
      add("IpRanges", Doc{{"CidrIp", *c}});
    } else if (auto c6 = opt_str(rule, "CidrIpv6")) {
      add("Ipv6Ranges", Doc{{"CidrIpv6", *c6}});
    } else if (auto pl = opt_str(rule, "PrefixListId")) {
      add("PrefixListIds", Doc{{"PrefixListId", *pl}});
    } else if (const Doc* g = obj(rule, "ReferencedGroupInfo")) {
      add("UserIdGroupPairs", Doc{{"GroupId", str(*g, "GroupId")}, {"UserId", str(*g, "UserId")}});
    }
  }
  json::array out;
  for (const std::string& key : order) {
    out.push_back(std::move(by_range[key]));
  }
  return out;
}

std::vector<PermissionInfo> to_permission_infos(const std::vector<Doc>& rules) {
  std::vector<PermissionInfo> out;
  for (const json::value& v : to_ip_permissions(rules)) {
    const Doc& p = v.as_object();
    PermissionInfo info;
    info.protocol = str(p, "IpProtocol");
    info.from_port = static_cast<int>(opt_int(p, "FromPort").value_or(-1));
    info.to_port = static_cast<int>(opt_int(p, "ToPort").value_or(-1));
    info.cidrs = values_at(p, "IpRanges.CidrIp");
    info.ipv6_cidrs = values_at(p, "Ipv6Ranges.CidrIpv6");
    info.source_group_ids = values_at(p, "UserIdGroupPairs.GroupId");
    info.prefix_list_ids = values_at(p, "PrefixListIds.PrefixListId");
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace services::ec2
