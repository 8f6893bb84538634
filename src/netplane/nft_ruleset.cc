#include "netplane/nft_ruleset.h"

#include <nftables/libnftables.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "netplane/instance_names.h"
#include "netplane/ipv4.h"
#include "netplane/netns.h"

namespace netplane {
namespace {

// nft identifiers: a letter first, then letters, digits, '_', '-', '.'.
std::string ident(const std::string& id) {
  std::string out = id;
  for (char& c : out) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) {
      c = '_';
    }
  }
  return out;
}

std::string member_set(const std::string& group_id) { return "sgm_" + ident(group_id); }
std::string group_chain(const std::string& group_id, const char* dir) {
  return "sg_" + ident(group_id) + "_" + dir;
}
std::string eni_chain(const std::string& eni_id, const char* dir) {
  return "eni_" + ident(eni_id) + "_" + dir;
}

std::optional<int> protocol_number(const std::string& protocol) {
  if (protocol == "-1" || protocol == "all") {
    return -1;
  }
  if (protocol == "tcp") {
    return 6;
  }
  if (protocol == "udp") {
    return 17;
  }
  if (protocol == "icmp") {
    return 1;
  }
  if (protocol == "icmpv6") {
    return 58;
  }
  int n = 0;
  auto [ptr, ec] = std::from_chars(protocol.data(), protocol.data() + protocol.size(), n);
  if (ec != std::errc() || ptr != protocol.data() + protocol.size() || n < -1 || n > 255) {
    return std::nullopt;
  }
  return n;
}

// The protocol/port part of a rule; nullopt when the permission cannot apply to IPv4.
std::optional<std::string> match_protocol(const PermissionSpec& p) {
  std::optional<int> proto = protocol_number(p.protocol);
  if (!proto) {
    return std::nullopt;
  }
  switch (*proto) {
    case -1:
      return "";
    case 6:
    case 17: {
      const char* name = *proto == 6 ? "tcp" : "udp";
      bool all_ports =
          p.from_port < 0 || (p.from_port == 0 && (p.to_port < 0 || p.to_port >= 65535));
      if (all_ports) {
        return std::string("meta l4proto ") + name + " ";
      }
      int to = p.to_port < 0 ? p.from_port : std::min(p.to_port, 65535);
      if (to <= p.from_port) {
        return std::string(name) + " dport " + std::to_string(p.from_port) + " ";
      }
      return std::string(name) + " dport " + std::to_string(p.from_port) + "-" +
             std::to_string(to) + " ";
    }
    case 1: {
      if (p.from_port < 0) {
        return "meta l4proto icmp ";
      }
      std::string out = "icmp type " + std::to_string(p.from_port) + " ";
      if (p.to_port >= 0) {
        out += "icmp code " + std::to_string(p.to_port) + " ";
      }
      return out;
    }
    case 58:
      return std::nullopt;  // IPv6 only
    default:
      return "meta l4proto " + std::to_string(*proto) + " ";
  }
}

// Rules of one direction of one group: `addr_field` is "saddr" (ingress) or "daddr" (egress).
void render_permissions(std::ostream& out, const std::vector<PermissionSpec>& perms,
                        const char* addr_field) {
  for (const PermissionSpec& p : perms) {
    std::optional<std::string> proto = match_protocol(p);
    if (!proto) {
      continue;
    }
    for (const std::string& cidr_text : p.cidrs) {
      std::optional<Ipv4Cidr> cidr = Ipv4Cidr::parse(cidr_text);
      if (!cidr) {
        continue;
      }
      out << "    ";
      if (cidr->prefix > 0) {
        out << "ip " << addr_field << " " << cidr->to_string() << " ";
      }
      out << *proto << "accept\n";
    }
    for (const std::string& group : p.group_ids) {
      out << "    ip " << addr_field << " @" << member_set(group) << " " << *proto << "accept\n";
    }
  }
}

void render_elements(std::ostream& out, const std::vector<std::string>& elements) {
  if (elements.empty()) {
    return;
  }
  out << " elements = { ";
  for (size_t i = 0; i < elements.size(); ++i) {
    out << (i ? ", " : "") << elements[i];
  }
  out << " };";
}

// An ENI with a usable address.
struct Eni {
  const EniSpec* spec;
  std::string ip;
};

// The ENIs with a parseable IPv4 address, in order; the first one wins an address.
std::vector<Eni> usable_enis(const VpcSpec& spec) {
  std::vector<Eni> enis;
  std::set<std::string> seen_ips;
  for (const EniSpec& e : spec.enis) {
    std::optional<uint32_t> ip = parse_ipv4(e.ip);
    if (!ip || !seen_ips.insert(format_ipv4(*ip)).second) {
      continue;
    }
    enis.push_back({&e, format_ipv4(*ip)});
  }
  return enis;
}

// Group id -> the addresses of its ENIs. Every group named anywhere gets an entry (a member set),
// so a rule may reference a group with no ENI.
std::map<std::string, std::vector<std::string>> group_members(const VpcSpec& spec,
                                                              const std::vector<Eni>& enis) {
  std::map<std::string, std::vector<std::string>> members;
  for (const SecurityGroupSpec& g : spec.security_groups) {
    members[g.group_id];
    for (const auto* perms : {&g.ingress, &g.egress}) {
      for (const PermissionSpec& p : *perms) {
        for (const std::string& ref : p.group_ids) {
          members[ref];
        }
      }
    }
  }
  for (const Eni& e : enis) {
    for (const std::string& g : e.spec->group_ids) {
      std::vector<std::string>& m = members[g];
      if (std::find(m.begin(), m.end(), e.ip) == m.end()) {
        m.push_back(e.ip);
      }
    }
  }
  return members;
}

// The member sets and the ENI dispatch maps.
void render_sets_and_maps(std::ostream& out, const VpcSpec& spec, const std::vector<Eni>& enis) {
  for (const auto& [group, ips] : group_members(spec, enis)) {
    out << "  set " << member_set(group) << " { type ipv4_addr;";
    render_elements(out, ips);
    out << " }\n";
  }
  for (const char* dir : {"out", "in"}) {
    std::vector<std::string> elements;
    for (const Eni& e : enis) {
      elements.push_back(e.ip + " : goto " + eni_chain(e.spec->eni_id, dir));
    }
    out << "  map eni_" << dir << " { type ipv4_addr : verdict;";
    render_elements(out, elements);
    out << " }\n";
  }
}

// One chain per group and direction with its rules, and one per ENI and direction that jumps to
// its groups' chains (those the spec defines) and drops the rest.
void render_security_chains(std::ostream& out, const VpcSpec& spec, const std::vector<Eni>& enis) {
  std::set<std::string> rendered_groups;
  for (const SecurityGroupSpec& g : spec.security_groups) {
    rendered_groups.insert(g.group_id);
    out << "  chain " << group_chain(g.group_id, "out") << " {\n";
    render_permissions(out, g.egress, "daddr");
    out << "  }\n";
    out << "  chain " << group_chain(g.group_id, "in") << " {\n";
    render_permissions(out, g.ingress, "saddr");
    out << "  }\n";
  }
  for (const Eni& e : enis) {
    for (const char* dir : {"out", "in"}) {
      out << "  chain " << eni_chain(e.spec->eni_id, dir) << " {\n";
      for (const std::string& g : e.spec->group_ids) {
        if (rendered_groups.count(g)) {
          out << "    jump " << group_chain(g, dir) << "\n";
        }
      }
      out << "    drop\n  }\n";
    }
  }
}

// The hooked chains: egress and ingress dispatch forwarded traffic to the ENI chains; input
// guards the namespace itself.
void render_base_chains(std::ostream& out) {
  out << "  chain egress {\n"
         "    type filter hook forward priority 0; policy drop;\n"
         "    ct state established,related accept\n"
         "    ct state invalid drop\n"
         "    ip saddr vmap @eni_out\n"
         "  }\n"
         "  chain ingress {\n"
         "    type filter hook forward priority 10; policy accept;\n"
         "    ct state established,related accept\n"
         "    ip daddr vmap @eni_in\n"
         "  }\n"
         "  chain input {\n"
         "    type filter hook input priority 0; policy drop;\n"
         "    ct state established,related accept\n"
         "    ct state invalid drop\n"
         "    iifname \"lo\" accept\n"
         "    ip daddr "
      << kTaskMetadataIp
      << " accept\n"
         "    meta l4proto icmp accept\n"
         "  }\n";
}

// `table bridge gantry`: a port may only send with its ENI's MAC and IPv4 address; no IPv6.
void render_bridge_table(std::ostream& out, const std::vector<Eni>& enis) {
  out << "table bridge gantry\ndelete table bridge gantry\n";
  out << "table bridge gantry {\n";
  std::vector<std::string> port_ips;
  std::vector<std::string> port_macs;
  for (const Eni& e : enis) {
    std::string port = "\"" + InstanceNames::veth(e.spec->eni_id) + "\"";
    port_ips.push_back(port + " . " + e.ip);
    if (std::optional<std::array<uint8_t, 6>> mac = parse_mac(e.spec->mac)) {
      char buf[18];
      std::snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", (*mac)[0], (*mac)[1],
                    (*mac)[2], (*mac)[3], (*mac)[4], (*mac)[5]);
      port_macs.push_back(port + " . " + buf);
    }
  }
  out << "  set port_ips { type ifname . ipv4_addr;";
  render_elements(out, port_ips);
  out << " }\n";
  out << "  set port_macs { type ifname . ether_addr;";
  render_elements(out, port_macs);
  out << " }\n";
  out << "  chain prerouting {\n"
         "    type filter hook prerouting priority -200; policy accept;\n"
         "    iifname . ether saddr != @port_macs drop\n"
         "    ether type ip6 drop\n"
         "    ether type ip iifname . ip saddr != @port_ips drop\n"
         "    ether type arp iifname . arp saddr ip != @port_ips drop\n"
         "  }\n"
         "}\n";
}

}  // namespace

std::string render_vpc_ruleset(const VpcSpec& spec) {
  std::vector<Eni> enis = usable_enis(spec);
  std::ostringstream out;
  out << "table inet gantry\ndelete table inet gantry\n";
  out << "table inet gantry {\n";
  render_sets_and_maps(out, spec, enis);
  render_security_chains(out, spec, enis);
  render_base_chains(out);
  out << "}\n";
  render_bridge_table(out, enis);
  return out.str();
}

namespace {

struct CtxFree {
  void operator()(nft_ctx* c) const { nft_ctx_free(c); }
};

// Runs `script` in the namespace; returns nft's exit code, output and error text.
Result<std::tuple<int, std::string, std::string>> run_nft(const std::string& netns_path,
                                                          const std::string& script) {
  return with_netns(netns_path, [&] {
    std::unique_ptr<nft_ctx, CtxFree> ctx(nft_ctx_new(NFT_CTX_DEFAULT));
    nft_ctx_buffer_output(ctx.get());
    nft_ctx_buffer_error(ctx.get());
    int rc = nft_run_cmd_from_buffer(ctx.get(), script.c_str());
    const char* o = nft_ctx_get_output_buffer(ctx.get());
    const char* e = nft_ctx_get_error_buffer(ctx.get());
    return std::make_tuple(rc, std::string(o ? o : ""), std::string(e ? e : ""));
  });
}

}  // namespace

Result<void> apply_nft(const std::string& netns_path, const std::string& script) {
  auto r = run_nft(netns_path, script);
  if (!r) {
    return r.error();
  }
  auto& [rc, output, error] = *r;
  if (rc != 0) {
    return Error(errc::nft_failed, "nft in " + netns_path + ": " + error);
  }
  return {};
}

Result<std::string> list_nft_ruleset(const std::string& netns_path) {
  auto r = run_nft(netns_path, "list ruleset");
  if (!r) {
    return r.error();
  }
  auto& [rc, output, error] = *r;
  if (rc != 0) {
    return Error(errc::nft_failed, "nft list ruleset in " + netns_path + ": " + error);
  }
  return output;
}

}  // namespace netplane
