#include "dataplane/rule_matcher.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "core/glob.h"
#include "core/query_string.h"

namespace dataplane {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool any_matches(const std::vector<std::string>& patterns, std::string_view text, bool ci) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return wildcard_match(p, text, ci); });
}

bool condition_matches(const RuleCondition& c, const AlbRequest& r) {
  using F = ConditionField;
  switch (c.field) {
    case F::PathPattern:
      return any_matches(c.values, r.path, false);
    case F::HostHeader:
      return any_matches(c.values, host_without_port(r.host), true);
    case F::HttpHeader:
      for (const auto& [name, value] : r.headers) {
        if (iequals(name, c.header_name) && any_matches(c.values, value, true)) return true;
      }
      return false;
    case F::HttpRequestMethod:
      // Methods are case-sensitive in HTTP; AWS's values are upper-case names.
      return std::find(c.values.begin(), c.values.end(), r.method) != c.values.end();
    case F::QueryString: {
      auto pairs = core::parse_query(r.query, /*plus_is_space=*/false);
      for (const auto& [key, value] : c.query) {
        for (const auto& [k, v] : pairs) {
          if ((key.empty() || wildcard_match(key, k, true)) && wildcard_match(value, v, true)) {
            return true;
          }
        }
      }
      return false;
    }
    case F::SourceIp:
      return std::any_of(c.values.begin(), c.values.end(),
                         [&](const std::string& cidr) { return cidr_contains(cidr, r.source_ip); });
  }
  return false;
}

const std::string& header_value(const AlbRequest& r, std::string_view name) {
  static const std::string empty;
  for (const auto& [k, v] : r.headers) {
    if (iequals(k, name)) return v;
  }
  return empty;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text, bool case_insensitive) {
  return core::glob_match(pattern, text, {.any_char = true, .case_insensitive = case_insensitive});
}

bool cidr_contains(std::string_view cidr, std::string_view ip) {
  size_t slash = cidr.find('/');
  std::string net(cidr.substr(0, slash));
  int bits = 32;
  if (slash != std::string_view::npos) {
    std::string_view b = cidr.substr(slash + 1);
    auto [ptr, ec] = std::from_chars(b.data(), b.data() + b.size(), bits);
    if (ec != std::errc{} || ptr != b.data() + b.size() || bits < 0 || bits > 32) return false;
  }
  in_addr n{}, a{};
  std::string addr(ip);
  if (inet_pton(AF_INET, net.c_str(), &n) != 1 || inet_pton(AF_INET, addr.c_str(), &a) != 1) {
    return false;
  }
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (ntohl(n.s_addr) & mask) == (ntohl(a.s_addr) & mask);
}

std::string_view host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {  // [v6]:port
    size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  size_t colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

const SnapshotListener* find_listener(const SnapshotLoadBalancer& lb, uint16_t port) {
  for (const auto& l : lb.listeners) {
    if (l.port == port) return &l;
  }
  return nullptr;
}

const SnapshotLoadBalancer* select_load_balancer(const AlbSnapshot& snapshot,
                                                        uint16_t port, std::string_view host) {
  std::string_view name = host_without_port(host);
  const SnapshotLoadBalancer* only = nullptr;
  int count = 0;
  for (const auto& lb : snapshot.load_balancers) {
    if (find_listener(lb, port) == nullptr) continue;
    if (iequals(lb.dns_name, name)) return &lb;
    only = &lb;
    ++count;
  }
  return count == 1 ? only : nullptr;
}

bool rule_matches(const SnapshotRule& rule, const AlbRequest& request) {
  return std::all_of(rule.conditions.begin(), rule.conditions.end(),
                     [&](const RuleCondition& c) { return condition_matches(c, request); });
}

const RuleAction* match_action(const SnapshotListener& listener,
                                      const AlbRequest& request) {
  for (const auto& rule : listener.rules) {
    if (!rule_matches(rule, request)) continue;
    const RuleAction* last = nullptr;
    for (const auto& a : rule.actions) {
      if (last == nullptr || a.order >= last->order) last = &a;
    }
    return last;
  }
  return nullptr;
}

const RuleAction* match_action(const AlbSnapshot& snapshot, uint16_t port,
                                      const AlbRequest& request) {
  const auto* lb = select_load_balancer(snapshot, port, request.host);
  if (lb == nullptr) return nullptr;
  const auto* listener = find_listener(*lb, port);
  return listener == nullptr ? nullptr : match_action(*listener, request);
}

const WeightedTargetGroup* pick_target_group(const ForwardAction& forward,
                                                    uint64_t draw) {
  uint64_t total = 0;
  for (const auto& g : forward.target_groups) total += static_cast<uint64_t>(std::max(g.weight, 0));
  if (total == 0) return nullptr;
  uint64_t point = draw % total;
  for (const auto& g : forward.target_groups) {
    uint64_t w = static_cast<uint64_t>(std::max(g.weight, 0));
    if (point < w) return &g;
    point -= w;
  }
  return nullptr;
}

std::string redirect_location(const RedirectAction& redirect, const AlbRequest& request,
                              std::string_view protocol, uint16_t port) {
  std::string in_protocol = to_lower(protocol);
  std::string in_host(host_without_port(request.host));
  if (in_host.empty()) in_host = std::string(host_without_port(header_value(request, "host")));
  std::string in_port = std::to_string(port);
  std::string in_path = request.path.empty() ? "" : request.path.substr(request.path[0] == '/');
  auto substitute = [&](std::string s) {
    replace_all(s, "#{protocol}", in_protocol);
    replace_all(s, "#{host}", in_host);
    replace_all(s, "#{port}", in_port);
    replace_all(s, "#{path}", in_path);
    replace_all(s, "#{query}", request.query);
    return s;
  };
  std::string out_protocol = to_lower(substitute(redirect.protocol));
  std::string out_host = substitute(redirect.host);
  std::string out_port = substitute(redirect.port);
  std::string out_path = substitute(redirect.path);
  std::string out_query = substitute(redirect.query);
  if (out_path.empty() || out_path[0] != '/') out_path.insert(out_path.begin(), '/');
  // ALB always writes the port, even the protocol's default: "https://host:443/path".
  std::string location = out_protocol + "://" + out_host;
  if (!out_port.empty()) location += ":" + out_port;
  location += out_path;
  if (!out_query.empty()) location += "?" + out_query;
  return location;
}

}  // namespace dataplane
