#pragma once
// ALB rule evaluation, pure functions over an AlbSnapshot: which load balancer a request on a
// shared port belongs to, which rule of its listener matches first, which weighted target group a
// forward sends to and where a redirect points.
//
// Case rules as AWS: path-pattern is case-sensitive; host-header, http-header (name and value),
// http-request-method and query-string comparisons are not. '*' matches any run of characters and
// '?' exactly one.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dataplane/alb_config.h"

namespace dataplane {


// The parts of an HTTP request that rules look at.
struct AlbRequest {
  std::string method;  // "GET"
  std::string host;    // Host header as sent, may carry ":port"
  std::string path;    // "/a/b", without the query
  std::string query;   // raw, without '?': "a=1&b=2"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string source_ip;  // dotted IPv4 of the client
};

// Shell-like match: '*' any run (possibly empty), '?' exactly one character.
bool wildcard_match(std::string_view pattern, std::string_view text, bool case_insensitive);

// "10.0.0.0/8" contains "10.1.2.3". A bare address is a /32. False on malformed input.
bool cidr_contains(std::string_view cidr, std::string_view ip);

// The host part of a Host header: "Example.com:8080" -> "Example.com".
std::string_view host_without_port(std::string_view host);

// The load balancer that owns `port` and whose DNS name equals the request's host (case-insensitive,
// port ignored). When exactly one load balancer listens on the port it takes every host. nullptr
// when none applies.
const SnapshotLoadBalancer* select_load_balancer(const AlbSnapshot& snapshot,
                                                        uint16_t port, std::string_view host);

// The listener of `lb` on `port`, or nullptr.
const SnapshotListener* find_listener(const SnapshotLoadBalancer& lb, uint16_t port);

// True when every condition of `rule` matches (a rule without conditions always matches).
bool rule_matches(const SnapshotRule& rule, const AlbRequest& request);

// The terminal action (highest Order) of the first matching rule in the listener's evaluation order
// (the default rule last). nullptr when no rule matches or the rule has no action.
const RuleAction* match_action(const SnapshotListener& listener,
                                      const AlbRequest& request);

// Convenience: select_load_balancer + find_listener + match_action.
const RuleAction* match_action(const AlbSnapshot& snapshot, uint16_t port,
                                      const AlbRequest& request);

// Picks a target group of a forward by weight. `draw` is any random number; groups of weight 0
// are never picked. Returns nullptr when no group has a positive weight.
const WeightedTargetGroup* pick_target_group(const ForwardAction& forward,
                                                    uint64_t draw);

// The Location of a redirect: substitutes #{protocol}, #{host}, #{port}, #{path} (without its
// leading '/'), #{query}; always writes the port, as ALB does ("https://h:443/p"), and omits '?'
// when the query is empty. `protocol` is the listener's ("HTTP"), `port` the listener's port.
std::string redirect_location(const RedirectAction& redirect, const AlbRequest& request,
                              std::string_view protocol, uint16_t port);

}  // namespace dataplane
