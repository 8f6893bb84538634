#pragma once
// Security groups as nftables rules inside a VPC's namespace.
//
// Why the rules see same-subnet traffic: tasks of one subnet hang off one Linux bridge, and bridged
// frames normally skip the IP hooks. This kernel (6.18) has br_netfilter built in and its
// bridge-nf-call-iptables switch is per network namespace (and on by default in a new one), so
// bridged IPv4 passes the inet family's prerouting/forward/postrouting hooks, with conntrack,
// exactly like routed traffic between subnets. The alternatives were worse here: the bridge
// family cannot track connections (CONFIG_NF_CONNTRACK_BRIDGE is off), and isolated ports with
// proxy ARP need IFLA_BRPORT_ISOLATED, which libnl 3.7 cannot set. NftNetplane sets
// net.bridge.bridge-nf-call-iptables=1 in the VPC namespace explicitly rather than trust the
// default. With br_netfilter, iifname/oifname are the bridge, not the port, so rules match on
// addresses; the bridge table below stops a task from sending with another ENI's address.
//
// One VPC = one transaction that replaces `table inet gantry` and `table bridge gantry` whole:
//
//   table inet gantry
//     set sgm_<group>          private IPs of the ENIs in <group> (source-group peers)
//     map eni_out / eni_in     ENI IP -> goto eni_<eni>_out / eni_<eni>_in
//     chain sg_<group>_out     one rule per egress peer: ... accept
//     chain sg_<group>_in      one rule per ingress peer: ... accept
//     chain eni_<eni>_out      jump sg_<g>_out for each of its groups; drop
//     chain eni_<eni>_in       jump sg_<g>_in for each of its groups; drop
//     chain egress   (forward, prio 0,  policy drop)   established/related accept, invalid drop,
//                                                      dispatch on ip saddr (unknown source: drop)
//     chain ingress  (forward, prio 10, policy accept) established/related accept,
//                                                      dispatch on ip daddr (not an ENI: accept)
//     chain input    (input, policy drop)  established, lo, 169.254.170.2 (never filtered by
//                                          security groups), ICMP to the gateways
//   table bridge gantry
//     chain prerouting: a port may only send with its ENI's MAC and IPv4 address; no IPv6.
//
// An accept in a jumped-to group chain ends that base chain only, so a packet must pass the
// sender's egress (chain egress) AND the receiver's ingress (chain ingress), as in a VPC. A flow
// already tracked keeps flowing after a rule is revoked (AWS security groups behave the same);
// new flows see the new rules at once. Traffic Gantry itself sends from the VPC namespace
// (output hook: health checks, metadata replies) is not filtered.

#include <string>

#include "netplane/result.h"
#include "netplane/spec.h"

namespace netplane {

// The nft script (one atomic transaction) that makes the VPC namespace's tables match `spec`.
// Pure: depends only on `spec`. Malformed addresses are left out (EC2 validated them already).
std::string render_vpc_ruleset(const VpcSpec& spec);

// Runs an nft script with libnftables inside the namespace at `netns_path` as one transaction.
// errc::nft_failed with nft's own message when the kernel or the parser rejects it.
Result<void> apply_nft(const std::string& netns_path, const std::string& script);

// `nft list ruleset` inside the namespace.
Result<std::string> list_nft_ruleset(const std::string& netns_path);

}  // namespace netplane
