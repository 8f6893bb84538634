#pragma once
// Shared by the ELBv2 unit tests: a fake EC2 network and a fixture that calls operations through
// the registry (validation included), as the HTTP path and the ECS scheduler do.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "protocol/service_registry.h"
#include "services/elbv2/elbv2_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"

namespace services::elbv2 {

// vpc-1 (10.0.0.0/16): subnet-a (us-east-1a), subnet-b (us-east-1b), subnet-c (us-east-1a);
// groups sg-default ("default") and sg-web. vpc-2: subnet-x (us-east-1b), sg-other.
class FakeNetworkLookup final : public NetworkLookup {
 public:
  std::vector<SubnetRef> subnets(const std::string&, const std::string&,
                                 const std::vector<std::string>& ids) override {
    static const std::map<std::string, SubnetRef> kSubnets = {
        {"subnet-a", {"subnet-a", "vpc-1", "us-east-1a", "10.0.1.0/24"}},
        {"subnet-b", {"subnet-b", "vpc-1", "us-east-1b", "10.0.2.0/24"}},
        {"subnet-c", {"subnet-c", "vpc-1", "us-east-1a", "10.0.3.0/24"}},
        {"subnet-x", {"subnet-x", "vpc-2", "us-east-1b", "10.1.1.0/24"}},
    };
    std::vector<SubnetRef> out;
    for (const std::string& id : ids) {
      if (auto it = kSubnets.find(id); it != kSubnets.end()) {
        out.push_back(it->second);
      }
    }
    return out;
  }
  std::vector<GroupRef> security_groups(const std::string&, const std::string&,
                                        const std::vector<std::string>& ids) override {
    static const std::map<std::string, std::string> kGroups = {
        {"sg-default", "vpc-1"}, {"sg-web", "vpc-1"}, {"sg-other", "vpc-2"}};
    std::vector<GroupRef> out;
    for (const std::string& id : ids) {
      if (auto it = kGroups.find(id); it != kGroups.end()) {
        out.push_back({id, it->second});
      }
    }
    return out;
  }
  std::optional<std::string> default_security_group(const std::string&, const std::string&,
                                                    const std::string& vpc) override {
    if (vpc == "vpc-1") return "sg-default";
    if (vpc == "vpc-2") return "sg-other";
    return std::nullopt;
  }
  std::optional<std::string> vpc_cidr(const std::string&, const std::string&,
                                      const std::string& vpc) override {
    if (vpc == "vpc-1") return "10.0.0.0/16";
    if (vpc == "vpc-2") return "10.1.0.0/16";
    return std::nullopt;
  }
  protocol::Result<LbInterface> allocate_interface(const std::string&, const std::string&,
                                                   const SubnetRef& subnet,
                                                   const std::vector<std::string>& groups,
                                                   const std::string&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = ++next_;
    std::string eni = "eni-" + std::to_string(n);
    live_.insert(eni);
    groups_[eni] = groups;
    std::string prefix = subnet.cidr.substr(0, subnet.cidr.rfind('.'));
    return LbInterface{subnet.subnet_id, subnet.availability_zone, eni,
                       prefix + "." + std::to_string(10 + n)};
  }
  void release_interface(const std::string& eni_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.erase(eni_id);
  }
  std::set<std::string> live() {
    std::lock_guard<std::mutex> lock(mutex_);
    return live_;
  }
  std::vector<std::string> groups_of(const std::string& eni) {
    std::lock_guard<std::mutex> lock(mutex_);
    return groups_[eni];
  }

 private:
  std::mutex mutex_;
  int next_ = 0;
  std::set<std::string> live_;
  std::map<std::string, std::vector<std::string>> groups_;
};

class Elbv2Test : public ::testing::Test {
 protected:
  Elbv2Test() { service_.register_operations(registry_); }

  protocol::Result<boost::json::object> call(std::string_view op, boost::json::object in) {
    protocol::RequestContext ctx;
    ctx.request_id = "test";
    ctx.account = "123456789012";
    ctx.region = "us-east-1";
    ctx.protocol = protocol::Protocol::Query;
    return registry_.call(ctx, "elbv2", op, in);
  }
  boost::json::object ok(std::string_view op, boost::json::object in) {
    auto r = call(op, std::move(in));
    EXPECT_TRUE(r) << op << ": " << (r ? "" : r.error().code + " " + r.error().message);
    return r ? *r : boost::json::object{};
  }
  std::string error_code(std::string_view op, boost::json::object in) {
    auto r = call(op, std::move(in));
    return r ? "OK" : r.error().code;
  }

  // A load balancer in subnet-a and subnet-b; returns its ARN.
  std::string make_lb(std::string name = "web") {
    auto out = ok("CreateLoadBalancer",
                  {{"Name", name}, {"Subnets", boost::json::array{"subnet-a", "subnet-b"}}});
    return std::string(
        out["LoadBalancers"].as_array()[0].as_object()["LoadBalancerArn"].as_string());
  }
  std::string make_tg(std::string name = "frontend", std::string type = "ip") {
    auto out = ok("CreateTargetGroup", {{"Name", name},
                                        {"Protocol", "HTTP"},
                                        {"Port", 8080},
                                        {"VpcId", "vpc-1"},
                                        {"TargetType", type}});
    return std::string(out["TargetGroups"].as_array()[0].as_object()["TargetGroupArn"].as_string());
  }
  std::string make_listener(const std::string& lb, const std::string& tg, int port = 80) {
    auto out = ok("CreateListener",
                  {{"LoadBalancerArn", lb},
                   {"Protocol", "HTTP"},
                   {"Port", port},
                   {"DefaultActions", boost::json::array{boost::json::object{
                                          {"Type", "forward"}, {"TargetGroupArn", tg}}}}});
    return std::string(out["Listeners"].as_array()[0].as_object()["ListenerArn"].as_string());
  }
  boost::json::array health(const std::string& tg) {
    auto out = ok("DescribeTargetHealth", {{"TargetGroupArn", tg}});
    return out["TargetHealthDescriptions"].as_array();
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  FakeNetworkLookup network_;
  Elbv2Service service_{db_, clock_, network_};
  protocol::ServiceRegistry registry_;
};

}  // namespace services::elbv2
