#include "netplane/rtnl.h"

#include <linux/if.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include "netplane/netns.h"

namespace netplane {
namespace {

Error nl_error(int err, const std::string& what) {
  err = err < 0 ? -err : err;
  errc code = errc::netlink_failed;
  if (err == NLE_EXIST) {
    code = errc::exists;
  } else if (err == NLE_OBJ_NOTFOUND || err == NLE_NODEV) {
    code = errc::not_found;
  }
  return Error(code, what + ": " + nl_geterror(err));
}

struct LinkPut {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
struct AddrPut {
  void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
};
struct RoutePut {
  void operator()(rtnl_route* r) const { rtnl_route_put(r); }
};
struct NlAddrPut {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
struct CachePut {
  void operator()(nl_cache* c) const { nl_cache_free(c); }
};
using LinkPtr = std::unique_ptr<rtnl_link, LinkPut>;
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrPut>;

Rtnl::Link to_link(rtnl_link* l) {
  Rtnl::Link out;
  out.index = rtnl_link_get_ifindex(l);
  const char* name = rtnl_link_get_name(l);
  out.name = name ? name : "";
  const char* kind = rtnl_link_get_type(l);
  out.kind = kind ? kind : "";
  out.master = rtnl_link_get_master(l);
  out.up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
  out.oper_up = rtnl_link_get_operstate(l) == IF_OPER_UP;
  return out;
}

Result<NlAddrPtr> parse_addr(const std::string& text, int family) {
  nl_addr* a = nullptr;
  if (int err = nl_addr_parse(text.c_str(), family, &a); err < 0) {
    return Error(errc::bad_spec, "bad address \"" + text + "\": " + nl_geterror(err));
  }
  return NlAddrPtr(a);
}

}  // namespace

Result<std::unique_ptr<Rtnl>> Rtnl::open(const std::string& netns_path) {
  Result<nl_sock*> sock = with_netns(netns_path, [&]() -> nl_sock* {
    nl_sock* s = nl_socket_alloc();
    if (s != nullptr && nl_connect(s, NETLINK_ROUTE) < 0) {
      nl_socket_free(s);
      return nullptr;
    }
    return s;
  });
  if (!sock) {
    return sock.error();
  }
  if (*sock == nullptr) {
    return Error(errc::netlink_failed, "cannot open a route netlink socket in " + netns_path);
  }
  return std::unique_ptr<Rtnl>(new Rtnl(*sock));
}

Rtnl::~Rtnl() { nl_socket_free(sock_); }

Result<std::optional<Rtnl::Link>> Rtnl::find_link(const std::string& name) {
  rtnl_link* l = nullptr;
  int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &l);
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) {
    return std::optional<Link>();
  }
  if (err < 0) {
    return nl_error(err, "get link " + name);
  }
  LinkPtr link(l);
  return std::optional<Link>(to_link(l));
}

Result<std::vector<Rtnl::Link>> Rtnl::links() {
  nl_cache* c = nullptr;
  if (int err = rtnl_link_alloc_cache(sock_, AF_UNSPEC, &c); err < 0) {
    return nl_error(err, "list links");
  }
  std::unique_ptr<nl_cache, CachePut> cache(c);
  std::vector<Link> out;
  for (nl_object* o = nl_cache_get_first(c); o != nullptr; o = nl_cache_get_next(o)) {
    out.push_back(to_link(reinterpret_cast<rtnl_link*>(o)));
  }
  return out;
}

Result<int> Rtnl::ensure_bridge(const std::string& name, const std::array<uint8_t, 6>& mac) {
  Result<std::optional<Link>> found = find_link(name);
  if (!found) {
    return found.error();
  }
  if (!*found) {
    LinkPtr br(rtnl_link_bridge_alloc());
    rtnl_link_set_name(br.get(), name.c_str());
    rtnl_link_set_flags(br.get(), IFF_UP);
    NlAddrPtr addr(nl_addr_build(AF_LLC, mac.data(), mac.size()));
    rtnl_link_set_addr(br.get(), addr.get());
    if (int err = rtnl_link_add(sock_, br.get(), NLM_F_CREATE); err < 0 && err != -NLE_EXIST) {
      return nl_error(err, "add bridge " + name);
    }
    found = find_link(name);
    if (!found) {
      return found.error();
    }
    if (!*found) {
      return Error(errc::netlink_failed, "bridge " + name + " vanished after creation");
    }
  }
  if (!(*found)->up) {
    if (Result<void> r = set_up((*found)->index); !r) {
      return r.error();
    }
  }
  return (*found)->index;
}

Result<void> Rtnl::add_veth(const std::string& name, int master_index, const std::string& peer_name,
                            const std::array<uint8_t, 6>& peer_mac, int peer_netns_fd) {
  LinkPtr veth(rtnl_link_veth_alloc());
  if (!veth) {
    return Error(errc::netlink_failed, "cannot allocate a veth");
  }
  rtnl_link_set_name(veth.get(), name.c_str());
  rtnl_link_set_master(veth.get(), master_index);
  rtnl_link_set_flags(veth.get(), IFF_UP);
  LinkPtr peer(rtnl_link_veth_get_peer(veth.get()));
  rtnl_link_set_name(peer.get(), peer_name.c_str());
  rtnl_link_set_ns_fd(peer.get(), peer_netns_fd);
  // Not IFF_UP: the kernel opens the peer before the pair is linked and fails with ENOTCONN.
  NlAddrPtr mac(nl_addr_build(AF_LLC, peer_mac.data(), peer_mac.size()));
  rtnl_link_set_addr(peer.get(), mac.get());
  if (int err = rtnl_link_add(sock_, veth.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0) {
    return nl_error(err, "add veth " + name + " (peer " + peer_name + ")");
  }
  return {};
}

Result<void> Rtnl::delete_link(const std::string& name) {
  LinkPtr l(rtnl_link_alloc());
  rtnl_link_set_name(l.get(), name.c_str());
  int err = rtnl_link_delete(sock_, l.get());
  if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_NODEV) {
    return nl_error(err, "delete link " + name);
  }
  return {};
}

Result<void> Rtnl::set_up(int index) {
  LinkPtr orig(rtnl_link_alloc());
  rtnl_link_set_ifindex(orig.get(), index);
  LinkPtr change(rtnl_link_alloc());
  rtnl_link_set_flags(change.get(), IFF_UP);
  if (int err = rtnl_link_change(sock_, orig.get(), change.get(), 0); err < 0) {
    return nl_error(err, "set link " + std::to_string(index) + " up");
  }
  return {};
}

Result<void> Rtnl::add_address(int index, const std::string& ip, int prefix) {
  Result<NlAddrPtr> local = parse_addr(ip + "/" + std::to_string(prefix), AF_INET);
  if (!local) {
    return local.error();
  }
  std::unique_ptr<rtnl_addr, AddrPut> addr(rtnl_addr_alloc());
  rtnl_addr_set_ifindex(addr.get(), index);
  rtnl_addr_set_family(addr.get(), AF_INET);
  rtnl_addr_set_local(addr.get(), local->get());
  rtnl_addr_set_prefixlen(addr.get(), prefix);
  int err = rtnl_addr_add(sock_, addr.get(), NLM_F_CREATE | NLM_F_EXCL);
  if (err < 0 && err != -NLE_EXIST) {
    return nl_error(err, "add address " + ip + "/" + std::to_string(prefix));
  }
  return {};
}

Result<void> Rtnl::add_default_route(const std::string& gateway, int index) {
  Result<NlAddrPtr> dst = parse_addr("0.0.0.0/0", AF_INET);
  Result<NlAddrPtr> gw = parse_addr(gateway, AF_INET);
  if (!dst) {
    return dst.error();
  }
  if (!gw) {
    return gw.error();
  }
  std::unique_ptr<rtnl_route, RoutePut> route(rtnl_route_alloc());
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_dst(route.get(), dst->get());
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  rtnl_route_nh_set_gateway(nh, gw->get());
  rtnl_route_nh_set_ifindex(nh, index);
  rtnl_route_add_nexthop(route.get(), nh);  // the route owns nh now
  int err = rtnl_route_add(sock_, route.get(), NLM_F_CREATE | NLM_F_EXCL);
  if (err < 0 && err != -NLE_EXIST) {
    return nl_error(err, "add default route via " + gateway);
  }
  return {};
}

}  // namespace netplane
