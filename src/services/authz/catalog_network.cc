// EC2, Elastic Load Balancing v2 and CloudWatch resources, from the Service Authorization
// Reference: list_amazonec2.html, list_awselasticloadbalancingv2.html, list_amazoncloudwatch.html.
#include <array>

#include "core/json.h"
#include "services/authz/catalog.h"

namespace services::authz::catalog_detail {
namespace {

using Doc = boost::json::object;

struct Ec2Type {
  std::string_view member;     // input member holding the id
  std::string_view id_prefix;  // "vpc-": how CreateTags' Resources are told apart
  std::string_view type;       // ARN resource type
  std::string_view create;     // the operation creating one
};

constexpr std::array kEc2Types{
    Ec2Type{"VpcId", "vpc-", "vpc", "CreateVpc"},
    Ec2Type{"SubnetId", "subnet-", "subnet", "CreateSubnet"},
    Ec2Type{"InternetGatewayId", "igw-", "internet-gateway", "CreateInternetGateway"},
    Ec2Type{"NatGatewayId", "nat-", "natgateway", "CreateNatGateway"},
    Ec2Type{"AllocationId", "eipalloc-", "elastic-ip", "AllocateAddress"},
    Ec2Type{"RouteTableId", "rtb-", "route-table", "CreateRouteTable"},
    Ec2Type{"GroupId", "sg-", "security-group", "CreateSecurityGroup"},
    Ec2Type{"NetworkInterfaceId", "eni-", "network-interface", "CreateNetworkInterface"},
};

std::string elbv2_child(std::string_view parent, std::string_view from, std::string_view to) {
  std::string s(parent);
  if (std::size_t p = s.find(from); p != std::string::npos) s.replace(p, from.size(), to);
  return s + "/*";
}

}  // namespace

bool ec2_resources(std::string_view op, const Doc& in, const Arns& a, ActionTarget& out) {
  if (op.starts_with("Describe")) return false;  // "*"
  if (op == "CreateTags" || op == "DeleteTags") {
    for (const std::string& id : members(in, "Resources")) {
      for (const Ec2Type& t : kEc2Types) {
        if (id.starts_with(t.id_prefix)) {
          out.resources.push_back(a.arn("ec2", std::string(t.type) + "/" + id));
        }
      }
    }
    return true;
  }
  // A creation is checked on "<type>/*" and on the resources it is made in (the VPC of a
  // subnet); any other operation on each resource its input names.
  for (const Ec2Type& t : kEc2Types) {
    if (op == t.create) out.resources.push_back(a.arn("ec2", std::string(t.type) + "/*"));
  }
  for (const Ec2Type& t : kEc2Types) {
    if (auto id = core::opt_str(in, t.member)) {
      out.resources.push_back(a.arn("ec2", std::string(t.type) + "/" + *id));
    }
  }
  return true;
}

bool elbv2_resources(std::string_view op, const Doc& in, const Arns& a, ActionTarget& out) {
  if (op.starts_with("Describe")) return false;  // "*"
  if (op == "CreateLoadBalancer") {
    std::string kind = core::str(in, "Type", "application") == "network" ? "net" : "app";
    out.resources = {a.arn("elasticloadbalancing",
                           "loadbalancer/" + kind + "/" + core::str(in, "Name") + "/*")};
  } else if (op == "CreateTargetGroup") {
    out.resources = {a.arn("elasticloadbalancing", "targetgroup/" + core::str(in, "Name") + "/*")};
  } else if (op == "CreateListener") {
    out.resources = {elbv2_child(core::str(in, "LoadBalancerArn"), ":loadbalancer/", ":listener/")};
  } else if (op == "CreateRule") {
    out.resources = {elbv2_child(core::str(in, "ListenerArn"), ":listener/", ":listener-rule/")};
  } else {
    for (std::string_view m : {"RuleArn", "ListenerArn", "TargetGroupArn", "LoadBalancerArn"}) {
      if (auto arn = core::opt_str(in, m)) {
        out.resources = {*arn};
        break;
      }
    }
  }
  return true;
}

bool cloudwatch_resources(std::string_view op, const Doc& in, const Arns& a, ActionTarget& out) {
  for (const std::string& n : members(in, "AlarmName")) {
    out.resources.push_back(a.arn("cloudwatch", "alarm:" + n));
  }
  for (const std::string& n : members(in, "AlarmNames")) {
    out.resources.push_back(a.arn("cloudwatch", "alarm:" + n));
  }
  for (const std::string& n : members(in, "DashboardName")) {
    out.resources.push_back(a.global("cloudwatch", "dashboard/" + n));
  }
  for (const std::string& n : members(in, "DashboardNames")) {
    out.resources.push_back(a.global("cloudwatch", "dashboard/" + n));
  }
  return op != "DescribeAlarmsForMetric";
}

}  // namespace services::authz::catalog_detail
