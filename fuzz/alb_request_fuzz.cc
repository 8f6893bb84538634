// The ALB data plane's request path without sockets: Beast parses the request head exactly as
// AlbProxy::serve() does (same parser type and header limit), then the head goes through load
// balancer selection, the listener's rules (every condition type), redirect rendering, weighted
// group and sticky target picking from the Cookie header, and the forwarded head the target would
// receive, through the same request_view() and forwarded_headers() (alb_http.h) as the proxy.
// Input: raw HTTP/1.x bytes.

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <memory>

#include "dataplane/alb_http.h"
#include "dataplane/alb_target_picker.h"
#include "dataplane/rule_matcher.h"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using namespace dataplane;

class FixedClock final : public core::Clock {
 public:
  core::TimePoint now() const override { return core::TimePoint(std::chrono::seconds(1700000000)); }
};

RuleCondition condition(ConditionField field, std::vector<std::string> values,
                        std::string header = {}) {
  RuleCondition c;
  c.field = field;
  c.values = std::move(values);
  c.header_name = std::move(header);
  return c;
}

RuleAction forward(std::vector<WeightedTargetGroup> groups, bool sticky) {
  RuleAction a;
  a.type = ActionType::Forward;
  a.forward.target_groups = std::move(groups);
  a.forward.stickiness_enabled = sticky;
  a.forward.stickiness_duration_seconds = 3600;
  return a;
}

SnapshotRule rule(int priority, std::vector<RuleCondition> conditions, RuleAction action) {
  SnapshotRule r;
  r.arn = "arn:rule/" + std::to_string(priority);
  r.priority = priority;
  r.conditions = std::move(conditions);
  r.actions = {std::move(action)};
  return r;
}

SnapshotTargetGroup group(std::string arn, std::string stickiness) {
  SnapshotTargetGroup g;
  g.arn = arn;
  g.name = arn;
  g.protocol = "HTTP";
  g.port = 80;
  g.target_type = "ip";
  g.stickiness_enabled = !stickiness.empty();
  g.stickiness_type = stickiness.empty() ? "lb_cookie" : stickiness;
  g.app_cookie_name = "SESSION";
  g.slow_start_seconds = 30;
  g.load_balancer_arns = {"arn:lb/a"};
  for (int i = 1; i <= 3; ++i) {
    SnapshotTarget t;
    t.id = "10.0.1." + std::to_string(i);
    t.port = 8080;
    t.state = i == 3 ? TargetState::Draining : TargetState::Healthy;
    g.targets.push_back(t);
  }
  return g;
}

// Two load balancers share port 80 (so the Host header picks one); a's listener has a rule of
// every condition type, a redirect, a fixed response and weighted sticky forwards.
std::shared_ptr<const AlbSnapshot> make_snapshot() {
  auto snap = std::make_shared<AlbSnapshot>();
  SnapshotListener listener;
  listener.arn = "arn:listener/a";
  listener.port = 80;
  listener.protocol = "HTTP";
  RuleAction redirect;
  redirect.type = ActionType::Redirect;
  redirect.redirect.protocol = "HTTPS";
  redirect.redirect.port = "443";
  redirect.redirect.path = "/new/#{path}";
  redirect.redirect.query = "#{query}&from=#{host}";
  RuleAction fixed;
  fixed.type = ActionType::FixedResponse;
  fixed.fixed_response = {404, "text/plain", "not here"};
  RuleCondition query = condition(ConditionField::QueryString, {});
  query.query = {{"version", "v*"}, {"", "debug"}};
  listener.rules = {
      rule(1, {condition(ConditionField::PathPattern, {"/api/*", "/v?/items"}),
               condition(ConditionField::HttpRequestMethod, {"GET", "POST"})},
           forward({{"arn:tg/a", 3}, {"arn:tg/b", 1}}, true)),
      rule(2, {condition(ConditionField::HostHeader, {"*.example.com", "api.?.test"})},
           forward({{"arn:tg/b", 1}}, false)),
      rule(3, {condition(ConditionField::HttpHeader, {"Mozilla*", "curl/*"}, "User-Agent")},
           redirect),
      rule(4, {query}, fixed),
      rule(5, {condition(ConditionField::SourceIp, {"203.0.113.0/24", "10.0.0.0/8"})},
           forward({{"arn:tg/c", 1}}, false)),
  };
  SnapshotRule def;
  def.arn = "arn:rule/default";
  def.is_default = true;
  def.actions = {forward({{"arn:tg/a", 1}, {"arn:tg/c", 0}}, false)};
  listener.rules.push_back(def);
  for (std::string name : {"a", "b"}) {
    SnapshotLoadBalancer lb;
    lb.arn = "arn:lb/" + name;
    lb.name = name;
    lb.dns_name = name + "-123.us-east-1.elb.localhost";
    lb.listeners = {listener};
    lb.listeners[0].load_balancer_arn = lb.arn;
    snap->load_balancers.push_back(lb);
  }
  snap->target_groups["arn:tg/a"] = group("arn:tg/a", "lb_cookie");
  snap->target_groups["arn:tg/b"] = group("arn:tg/b", "app_cookie");
  snap->target_groups["arn:tg/c"] = group("arn:tg/c", "");
  return snap;
}

using Request = http::request<http::buffer_body>;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::shared_ptr<const AlbSnapshot> snapshot = make_snapshot();
  static const FixedClock clock;
  static AlbTargetPicker picker(clock);
  http::request_parser<http::buffer_body> parser;
  parser.header_limit(64 * 1024);
  parser.body_limit(boost::none);
  parser.eager(false);
  beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  Request& req = parser.get();
  if (req.version() >= 11 && req.find(http::field::host) == req.end()) return 0;  // 400
  const std::string client_ip = "203.0.113.9";
  constexpr uint16_t kPort = 80;
  AlbRequest view = request_view(req, client_ip);
  for (const auto& f : req) view.headers.emplace_back(f.name_string(), f.value());
  const SnapshotLoadBalancer* lb = select_load_balancer(*snapshot, kPort, view.host);
  const SnapshotListener* listener = lb == nullptr ? nullptr : find_listener(*lb, kPort);
  const RuleAction* action = listener == nullptr ? nullptr : match_action(*listener, view);
  if (action == nullptr) return 0;  // 503
  if (action->type == ActionType::Redirect) {
    (void)redirect_location(action->redirect, view, listener->protocol, kPort);
    return 0;
  }
  if (action->type != ActionType::Forward) return 0;
  core::TimePoint now = clock.now();
  std::string_view cookies = req[http::field::cookie];
  AlbTargetPicker::Cookies sticky;
  const SnapshotTargetGroup* group =
      picker.pick_group(*snapshot, action->forward, cookies, now, sticky);
  if (group != nullptr) (void)picker.pick_target(*group, cookies, now, sticky);
  (void)is_websocket_upgrade(req);
  ForwardedHeaders fwd = forwarded_headers(req, client_ip, listener->protocol, kPort);
  std::string head;
  append_head(req, fwd, head);
  set_forwarded(req, fwd);
  return 0;
}
