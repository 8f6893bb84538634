#pragma once
// A small rtnetlink client (libnl-route-3) bound to one network namespace: the socket is made
// inside the namespace, so every request acts there whichever thread sends it. Only what the
// network plane needs: bridges, veth pairs, addresses, the default route, links up.
//
// Not thread-safe: one Rtnl per thread at a time (NftNetplane serializes its use).

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "netplane/result.h"

struct nl_sock;

namespace netplane {

class Rtnl {
 public:
  struct Link {
    int index = 0;
    std::string name;
    std::string kind;      // "bridge", "veth", "" (lo, ...)
    int master = 0;        // ifindex of the bridge it is enslaved to, 0 = none
    bool up = false;       // IFF_UP: administratively up
    bool oper_up = false;  // operstate UP: carrier seen and the qdisc active (linkwatch ran)
  };

  // A socket inside the namespace at `netns_path`.
  static Result<std::unique_ptr<Rtnl>> open(const std::string& netns_path);
  ~Rtnl();
  Rtnl(const Rtnl&) = delete;
  Rtnl& operator=(const Rtnl&) = delete;

  Result<std::optional<Link>> find_link(const std::string& name);
  Result<std::vector<Link>> links();

  // The bridge's ifindex; makes it (up, no STP) with MAC `mac` if absent. A fixed MAC keeps the
  // gateway's MAC stable: otherwise a bridge takes the lowest MAC of its ports, and it would
  // change under the tasks' ARP caches as veths come and go.
  Result<int> ensure_bridge(const std::string& name, const std::array<uint8_t, 6>& mac);
  // A veth pair in one request: `name` here, up, enslaved to `master_index`; its peer `peer_name`
  // created directly in the namespace of `peer_netns_fd` with MAC `peer_mac`, down (set it up
  // from a socket in that namespace).
  Result<void> add_veth(const std::string& name, int master_index, const std::string& peer_name,
                        const std::array<uint8_t, 6>& peer_mac, int peer_netns_fd);
  // Deleting either end of a veth pair deletes both. An absent link is not an error.
  Result<void> delete_link(const std::string& name);
  Result<void> set_up(int index);
  // ip/prefix on the link; already present is not an error.
  Result<void> add_address(int index, const std::string& ip, int prefix);
  // The main table's default route via `gateway` on the link; already present is not an error.
  Result<void> add_default_route(const std::string& gateway, int index);

 private:
  explicit Rtnl(nl_sock* sock) : sock_(sock) {}
  nl_sock* sock_;
};

}  // namespace netplane
