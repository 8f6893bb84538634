#include "netplane/nft_netplane.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>
#include <set>
#include <thread>

#include "core/log.h"
#include "netplane/ipv4.h"
#include "netplane/netns.h"
#include "netplane/nft_ruleset.h"

namespace netplane {
namespace {

// Sysctls of the VPC namespace. /proc/sys/net shows the namespace of the thread that opens it,
// hence the writes run inside with_netns().
struct Sysctl {
  const char* path;
  const char* value;
  bool required;
};
constexpr Sysctl kVpcSysctls[] = {
    {"/proc/sys/net/ipv4/ip_forward", "1", true},
    // Same-subnet (bridged) IPv4 must pass the inet hooks: see nft_ruleset.h.
    {"/proc/sys/net/bridge/bridge-nf-call-iptables", "1", true},
    {"/proc/sys/net/bridge/bridge-nf-call-ip6tables", "1", false},
    // The VPC namespaces carry IPv4 only; no router advertisements, no SLAAC on the bridges.
    {"/proc/sys/net/ipv6/conf/default/disable_ipv6", "1", false},
    {"/proc/sys/net/ipv6/conf/all/disable_ipv6", "1", false},
    // Gateways answer for their own subnet only.
    {"/proc/sys/net/ipv4/conf/all/send_redirects", "0", false},
};

Result<void> write_sysctls(const std::string& netns) {
  Result<std::optional<Error>> r = with_netns(netns, [&]() -> std::optional<Error> {
    for (const Sysctl& s : kVpcSysctls) {
      int fd = ::open(s.path, O_WRONLY | O_CLOEXEC);
      bool ok = fd >= 0 && ::write(fd, s.value, 1) == 1;
      int err = errno;
      if (fd >= 0) {
        ::close(fd);
      }
      if (!ok && s.required) {
        return Error::from_errno(err, std::string("write ") + s.path);
      }
    }
    return std::nullopt;
  });
  if (!r) {
    return r.error();
  }
  if (*r) {
    return **r;
  }
  return {};
}

Result<void> validate(const std::string& what, const std::string& id) {
  if (!InstanceNames::valid_id(id)) {
    return Error(errc::bad_spec, "bad " + what + " \"" + id + "\"");
  }
  return {};
}

}  // namespace

NftNetplane::NftNetplane(InstanceNames names) : names_(std::move(names)) {}

NftNetplane::~NftNetplane() = default;

std::string NftNetplane::vpc_netns_path(const std::string& vpc_id) const {
  return netns_path(names_.vpc_netns(vpc_id));
}

std::string NftNetplane::endpoint_netns_path(const std::string& endpoint_id) const {
  return netns_path(names_.endpoint_netns(endpoint_id));
}

Result<NftNetplane::VpcState*> NftNetplane::vpc_state(const std::string& vpc_id, bool create) {
  const std::string name = names_.vpc_netns(vpc_id);
  if (!netns_exists(name)) {
    vpcs_.erase(vpc_id);  // deleted behind our back (cleanup_instance): forget its sockets
    if (!create) {
      return Error(errc::not_found, "VPC " + vpc_id + " has no namespace (ensure_vpc first)");
    }
    if (Result<void> r = create_netns(name); !r && r.error().code != errc::exists) {
      return r.error();
    }
  }
  VpcState& state = vpcs_[vpc_id];
  if (!state.rtnl) {
    Result<std::unique_ptr<Rtnl>> rtnl = Rtnl::open(netns_path(name));
    if (!rtnl) {
      vpcs_.erase(vpc_id);
      return rtnl.error();
    }
    state.rtnl = std::move(*rtnl);
  }
  if (!state.initialized) {
    if (Result<void> r = init_vpc_namespace(netns_path(name), state); !r) {
      return r.error();
    }
    state.initialized = true;
  }
  return &state;
}

Result<void> NftNetplane::init_vpc_namespace(const std::string& path, VpcState& state) {
  if (Result<void> r = write_sysctls(path); !r) {
    return r;
  }
  if (Result<void> r = state.rtnl->set_up(1); !r) {  // lo is always ifindex 1
    return r;
  }
  return state.rtnl->add_address(1, kTaskMetadataIp, 32);
}

Result<void> NftNetplane::ensure_bridges(const VpcSpec& spec, VpcState& state) {
  std::set<std::string> wanted;
  for (const SubnetSpec& subnet : spec.subnets) {
    std::optional<Ipv4Cidr> cidr = Ipv4Cidr::parse(subnet.cidr);
    if (!cidr || cidr->prefix > 30) {
      return Error(errc::bad_spec, "bad subnet CIDR \"" + subnet.cidr + "\"");
    }
    const std::string bridge = InstanceNames::bridge(subnet.subnet_id);
    wanted.insert(bridge);
    Result<int> index =
        state.rtnl->ensure_bridge(bridge, InstanceNames::bridge_mac(subnet.subnet_id));
    if (!index) {
      return index.error();
    }
    if (Result<void> r =
            state.rtnl->add_address(*index, format_ipv4(cidr->first_host()), cidr->prefix);
        !r) {
      return r;
    }
  }
  Result<std::vector<Rtnl::Link>> links = state.rtnl->links();
  if (!links) {
    return links.error();
  }
  for (const Rtnl::Link& link : *links) {
    if (link.kind == "bridge" && link.name.starts_with("br-") && !wanted.count(link.name)) {
      if (Result<void> r = state.rtnl->delete_link(link.name); !r) {
        return r;
      }
    }
  }
  return {};
}

Result<void> NftNetplane::ensure_vpc(const VpcSpec& spec) {
  if (Result<void> r = validate("VPC id", spec.vpc_id); !r) {
    return r;
  }
  std::lock_guard lock(mu_);
  Result<VpcState*> state = vpc_state(spec.vpc_id, /*create=*/true);
  if (!state) {
    return state.error();
  }
  if (Result<void> r = ensure_bridges(spec, **state); !r) {
    return r;
  }
  std::string ruleset = render_vpc_ruleset(spec);
  if (ruleset != (*state)->applied_ruleset) {
    if (Result<void> r = apply_nft(vpc_netns_path(spec.vpc_id), ruleset); !r) {
      return r;
    }
    (*state)->applied_ruleset = std::move(ruleset);
  }
  (*state)->eni_veths.clear();
  for (const EniSpec& eni : spec.enis) {
    (*state)->eni_veths.insert(InstanceNames::veth(eni.eni_id));
  }
  return {};
}

Result<void> NftNetplane::remove_vpc(const std::string& vpc_id) {
  if (Result<void> r = validate("VPC id", vpc_id); !r) {
    return r;
  }
  std::lock_guard lock(mu_);
  return remove_vpc_locked(vpc_id);
}

Result<void> NftNetplane::remove_vpc_locked(const std::string& vpc_id) {
  vpcs_.erase(vpc_id);  // closes our socket, which would keep the namespace alive
  return delete_netns(names_.vpc_netns(vpc_id));
}

Result<bool> NftNetplane::endpoint_complete(const EndpointSpec& spec) {
  Result<std::unique_ptr<Rtnl>> rtnl = Rtnl::open(endpoint_netns_path(spec.endpoint_id));
  if (!rtnl) {
    return rtnl.error();
  }
  for (size_t i = 0; i < spec.interfaces.size(); ++i) {
    Result<std::optional<Rtnl::Link>> link =
        (*rtnl)->find_link(InstanceNames::endpoint_interface(i));
    if (!link) {
      return link.error();
    }
    if (!*link || !(*link)->up) {
      return false;
    }
  }
  return true;
}

Result<EndpointInfo> NftNetplane::attach(const EndpointSpec& spec) {
  if (Result<void> r = validate("endpoint id", spec.endpoint_id); !r) {
    return r.error();
  }
  if (Result<void> r = validate("VPC id", spec.vpc_id); !r) {
    return r.error();
  }
  if (spec.interfaces.empty()) {
    return Error(errc::bad_spec, "endpoint " + spec.endpoint_id + " has no interface");
  }
  std::lock_guard lock(mu_);
  Result<VpcState*> vpc = vpc_state(spec.vpc_id, /*create=*/false);
  if (!vpc) {
    return vpc.error();
  }
  const std::string name = names_.endpoint_netns(spec.endpoint_id);
  if (netns_exists(name)) {
    Result<bool> complete = endpoint_complete(spec);
    if (complete && *complete) {
      EndpointInfo info{netns_path(name), {}};
      for (size_t i = 0; i < spec.interfaces.size(); ++i) {
        info.interface_names.push_back(InstanceNames::endpoint_interface(i));
      }
      return info;
    }
    if (Result<void> r = detach_locked(spec.endpoint_id); !r) {
      return r.error();
    }
  }
  Result<EndpointInfo> info = make_endpoint(spec, **vpc);
  if (!info) {
    if (Result<void> r = detach_locked(spec.endpoint_id); !r) {
      core::log::warn("netplane: cannot undo a failed attach",
                      {{"endpoint", spec.endpoint_id}, {"error", r.error().message}});
    }
  }
  return info;
}

namespace {

// Where one interface of an endpoint plugs in: its MAC and its subnet's bridge in the VPC.
struct Port {
  std::array<uint8_t, 6> mac;
  int bridge_index;
};

// Checks every interface of `spec` and finds its subnet's bridge, before anything is made.
Result<std::vector<Port>> plan_ports(const EndpointSpec& spec, Rtnl& vpc) {
  std::vector<Port> ports;
  for (const InterfaceSpec& itf : spec.interfaces) {
    std::optional<std::array<uint8_t, 6>> mac = parse_mac(itf.mac);
    if (!mac || !parse_ipv4(itf.ip) || !parse_ipv4(itf.gateway) || itf.prefix_length < 1 ||
        itf.prefix_length > 30 || !InstanceNames::valid_id(itf.eni_id)) {
      return Error(errc::bad_spec, "bad interface " + itf.eni_id + " (ip " + itf.ip + "/" +
                                       std::to_string(itf.prefix_length) + ", mac " + itf.mac +
                                       ", gateway " + itf.gateway + ")");
    }
    Result<std::optional<Rtnl::Link>> bridge = vpc.find_link(InstanceNames::bridge(itf.subnet_id));
    if (!bridge) {
      return bridge.error();
    }
    if (!*bridge) {
      return Error(errc::not_found,
                   "subnet " + itf.subnet_id + " has no bridge in VPC " + spec.vpc_id);
    }
    ports.push_back({*mac, (*bridge)->index});
  }
  return ports;
}

// Makes one veth pair per interface, VPC end on its bridge, the other end in the endpoint's
// namespace (`ns_fd`) named eth<i>; returns those names.
Result<std::vector<std::string>> plug_ports(const EndpointSpec& spec,
                                            const std::vector<Port>& ports, Rtnl& vpc, int ns_fd) {
  std::vector<std::string> names;
  for (size_t i = 0; i < spec.interfaces.size(); ++i) {
    const std::string veth = InstanceNames::veth(spec.interfaces[i].eni_id);
    const std::string itf = InstanceNames::endpoint_interface(i);
    // A leftover of a crashed attach of the same ENI would make the name collide.
    if (Result<void> r = vpc.delete_link(veth); !r) {
      return r.error();
    }
    if (Result<void> r = vpc.add_veth(veth, ports[i].bridge_index, itf, ports[i].mac, ns_fd); !r) {
      return r.error();
    }
    names.push_back(itf);
  }
  return names;
}

// Inside the endpoint's namespace: lo and each interface up with its address, and the default
// route through the first interface's gateway.
Result<void> configure_interfaces(const EndpointSpec& spec, const EndpointInfo& info) {
  Result<std::unique_ptr<Rtnl>> rtnl = Rtnl::open(info.netns_path);
  if (!rtnl) {
    return rtnl.error();
  }
  if (Result<void> r = (*rtnl)->set_up(1); !r) {
    return r.error();
  }
  int first_index = 0;
  for (size_t i = 0; i < spec.interfaces.size(); ++i) {
    const InterfaceSpec& itf = spec.interfaces[i];
    Result<std::optional<Rtnl::Link>> link = (*rtnl)->find_link(info.interface_names[i]);
    if (!link) {
      return link.error();
    }
    if (!*link) {
      return Error(errc::netlink_failed,
                   info.interface_names[i] + " missing in " + info.netns_path);
    }
    if (!(*link)->up) {
      if (Result<void> r = (*rtnl)->set_up((*link)->index); !r) {
        return r.error();
      }
    }
    if (Result<void> r = (*rtnl)->add_address((*link)->index, itf.ip, itf.prefix_length); !r) {
      return r.error();
    }
    if (i == 0) {
      first_index = (*link)->index;
    }
  }
  return (*rtnl)->add_default_route(spec.interfaces[0].gateway, first_index);
}

}  // namespace

Result<EndpointInfo> NftNetplane::make_endpoint(const EndpointSpec& spec, VpcState& vpc) {
  const std::string name = names_.endpoint_netns(spec.endpoint_id);
  const std::string path = netns_path(name);
  Result<std::vector<Port>> ports = plan_ports(spec, *vpc.rtnl);
  if (!ports) {
    return ports.error();
  }
  if (Result<void> r = create_netns(name); !r) {
    return r.error();
  }
  Result<UniqueFd> ns_fd = open_netns(path);
  if (!ns_fd) {
    return ns_fd.error();
  }
  Result<std::vector<std::string>> names = plug_ports(spec, *ports, *vpc.rtnl, ns_fd->get());
  if (!names) {
    return names.error();
  }
  EndpointInfo info{path, std::move(*names)};
  if (Result<void> r = configure_interfaces(spec, info); !r) {
    return r.error();
  }
  for (size_t i = 0; i < spec.interfaces.size(); ++i) {
    const InterfaceSpec& itf = spec.interfaces[i];
    if (Result<void> r = wait_port_forwarding(*vpc.rtnl, InstanceNames::veth(itf.eni_id)); !r) {
      return r.error();
    }
    // Addresses are reused as soon as a task stops: tell the subnet (the ALB nodes, the VPC's
    // gateway) the address has a new MAC, or they keep sending to the old one for up to half a
    // minute and health checks of the new task time out. Best effort: without it the address
    // still works once the neighbours' entries age out.
    if (Result<void> r = announce_address(path, info.interface_names[i], (*ports)[i].mac,
                                          *parse_ipv4(itf.ip));
        !r) {
      core::log::warn("netplane: gratuitous ARP not sent",
                      {{"endpoint", spec.endpoint_id}, {"error", r.error().message}});
    }
  }
  return info;
}

// Bringing eth0 up turns the carrier of the pair on, but the bridge only starts forwarding to
// the VPC end when the kernel's linkwatch work has processed that event, asynchronously. Until
// then frames flooded to the port (the first ARP request for the task) are lost, and the sender
// retries only after a second. Waiting here makes a returned endpoint reachable at once. Linkwatch
// sets the operstate and then notifies the bridge under the RTNL lock; the set_up() after seeing
// the operstate takes that lock, so it returns only after the bridge enabled the port.
Result<void> NftNetplane::wait_port_forwarding(Rtnl& vpc, const std::string& veth) {
  const auto deadline = std::chrono::steady_clock::now() + kPortReadyTimeout;
  while (true) {
    Result<std::optional<Rtnl::Link>> link = vpc.find_link(veth);
    if (!link) {
      return link.error();
    }
    if (!*link) {
      return Error(errc::netlink_failed, veth + " vanished from its VPC namespace");
    }
    if ((*link)->oper_up) {
      return vpc.set_up((*link)->index);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Error(errc::timed_out, veth + " did not come up");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

Result<void> NftNetplane::detach(const std::string& endpoint_id) {
  if (Result<void> r = validate("endpoint id", endpoint_id); !r) {
    return r;
  }
  std::lock_guard lock(mu_);
  return detach_locked(endpoint_id);
}

Result<void> NftNetplane::detach_locked(const std::string& endpoint_id) {
  const std::string name = names_.endpoint_netns(endpoint_id);
  if (netns_exists(name)) {
    // Deleting the endpoint's end of each veth deletes the pair at once, even if containers
    // still hold the namespace.
    Result<std::unique_ptr<Rtnl>> rtnl = Rtnl::open(netns_path(name));
    if (!rtnl) {
      return rtnl.error();
    }
    Result<std::vector<Rtnl::Link>> links = (*rtnl)->links();
    if (!links) {
      return links.error();
    }
    for (const Rtnl::Link& link : *links) {
      if (link.kind == "veth") {
        if (Result<void> r = (*rtnl)->delete_link(link.name); !r) {
          return r;
        }
      }
    }
  }
  return delete_netns(name);
}

Result<void> NftNetplane::recover(const ExpectedState& expected) {
  std::lock_guard lock(mu_);
  std::set<std::string> endpoints;
  for (const std::string& id : expected.endpoint_ids) {
    endpoints.insert(names_.endpoint_netns(id));
  }
  std::set<std::string> vpcs;
  for (const std::string& id : expected.vpc_ids) {
    vpcs.insert(names_.vpc_netns(id));
  }
  const std::string ep_prefix = names_.endpoint_netns_prefix();
  for (const std::string& name : list_netns(ep_prefix)) {
    if (!endpoints.count(name)) {
      core::log::info("netplane: removing leftover endpoint", {{"netns", name}});
      if (Result<void> r = detach_locked(name.substr(ep_prefix.size())); !r) {
        return r;
      }
    }
  }
  const std::string vpc_prefix = names_.vpc_netns_prefix();
  for (const std::string& name : list_netns(vpc_prefix)) {
    if (!vpcs.count(name)) {
      core::log::info("netplane: removing leftover VPC", {{"netns", name}});
      if (Result<void> r = remove_vpc_locked(name.substr(vpc_prefix.size())); !r) {
        return r;
      }
    }
  }
  for (auto& [vpc_id, state] : vpcs_) {
    if (!state.rtnl || state.applied_ruleset.empty()) {
      continue;  // not ensured by this process: its ENIs are unknown
    }
    Result<std::vector<Rtnl::Link>> links = state.rtnl->links();
    if (!links) {
      return links.error();
    }
    for (const Rtnl::Link& link : *links) {
      if (link.kind == "veth" && link.name.starts_with("ve-") &&
          !state.eni_veths.count(link.name)) {
        core::log::info("netplane: removing leftover veth", {{"vpc", vpc_id}, {"link", link.name}});
        if (Result<void> r = state.rtnl->delete_link(link.name); !r) {
          return r;
        }
      }
    }
  }
  return {};
}

Result<void> NftNetplane::remove_all() {
  std::lock_guard lock(mu_);
  vpcs_.clear();
  return cleanup_instance(names_.prefix());
}

Result<void> NftNetplane::cleanup_instance(const std::string& prefix) {
  if (prefix.size() < 3 || !InstanceNames::valid_id(prefix)) {
    return Error(errc::bad_spec, "bad instance prefix \"" + prefix + "\"");
  }
  NftNetplane plane{InstanceNames(prefix)};
  ExpectedState nothing;
  return plane.recover(nothing);
}

}  // namespace netplane
