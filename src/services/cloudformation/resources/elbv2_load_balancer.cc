// AWS::ElasticLoadBalancingV2::LoadBalancer over ELBv2's CreateLoadBalancer.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-loadbalancer.html
// Ref: the load balancer's ARN. GetAtt: CanonicalHostedZoneID, DNSName, LoadBalancerArn,
// LoadBalancerFullName, LoadBalancerName, SecurityGroups. The resource completes once the load
// balancer's State is "active", as CloudFormation waits for it.

#include <set>

#include "services/cloudformation/resources/load_balancing_providers.h"
#include "services/cloudformation/resources/load_balancing_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using lb::typed_call;

class LoadBalancerProvider final : public engine::ResourceProvider {
 public:
  explicit LoadBalancerProvider(const ServiceClient& client) : client_(client) {}

  // ModifyLoadBalancerAttributes on `arn` with the template's LoadBalancerAttributes.
  protocol::Result<void> modify_attributes(const engine::ResourceRequest& req,
                                           const std::string& arn) const {
    return lb::modify_elbv2_attributes(client_, req, "ModifyLoadBalancerAttributes",
                                       "LoadBalancerArn", arn, "LoadBalancerAttributes");
  }

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    json::object in = lb::named_elbv2_input(req);
    lb::copy_present(p, in,
                     {"Subnets", "SubnetMappings", "SecurityGroups", "Scheme", "Type",
                      "IpAddressType", "CustomerOwnedIpv4Pool"});
    auto out = typed_call(client_, req, "elbv2", "CreateLoadBalancer", in);
    if (!out) {
      return out.error();
    }
    json::object doc = lb::first_of(*out, "LoadBalancers");
    std::string arn = lb::text(doc, "LoadBalancerArn").value_or("");
    if (p.contains("LoadBalancerAttributes")) {
      if (auto r = modify_attributes(req, arn); !r) {
        (void)client_.call(*req.stack, "elbv2", "DeleteLoadBalancer", {{"LoadBalancerArn", arn}});
        return r.error();
      }
    }
    return result(doc);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    const std::string& arn = req.physical_id;
    if (lb::changed(req, "SecurityGroups")) {
      json::object in{{"LoadBalancerArn", arn},
                      {"SecurityGroups",
                       p.contains("SecurityGroups") ? p.at("SecurityGroups") : json::array{}}};
      if (auto r = typed_call(client_, req, "elbv2", "SetSecurityGroups", in); !r) {
        return r.error();
      }
    }
    if (lb::any_changed(req, {"Subnets", "SubnetMappings"})) {
      json::object in{{"LoadBalancerArn", arn}};
      lb::copy_present(p, in, {"Subnets", "SubnetMappings"});
      if (auto r = typed_call(client_, req, "elbv2", "SetSubnets", in); !r) {
        return r.error();
      }
    }
    if (lb::changed(req, "IpAddressType")) {
      json::object in{{"LoadBalancerArn", arn},
                      {"IpAddressType", lb::text(p, "IpAddressType").value_or("ipv4")}};
      if (auto r = typed_call(client_, req, "elbv2", "SetIpAddressType", in); !r) {
        return r.error();
      }
    }
    if (lb::changed(req, "LoadBalancerAttributes")) {
      if (auto r = modify_attributes(req, arn); !r) {
        return r.error();
      }
    }
    if (auto r = lb::sync_elbv2_tags(client_, req); !r) {
      return r.error();
    }
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return lb::gone_is_ok(client_.call(*req.stack, "elbv2", "DeleteLoadBalancer",
                                       {{"LoadBalancerArn", req.physical_id}}),
                          "LoadBalancerNotFound");
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto doc = describe(req);
    if (!doc) {
      return doc.error();
    }
    engine::ProvisionResult out = result(*doc);
    json::object live{{"Name", doc->at("LoadBalancerName")}};
    lb::copy_present(*doc, live, {"Scheme", "Type", "IpAddressType", "SecurityGroups"});
    json::array subnets;
    if (const json::value* zones = doc->if_contains("AvailabilityZones");
        zones && zones->is_array()) {
      for (const json::value& z : zones->get_array()) {
        subnets.push_back(z.at("SubnetId"));
      }
    }
    live["Subnets"] = std::move(subnets);
    out.properties = lb::live_properties(req, std::move(live));
    return out;
  }

  protocol::Result<engine::Progress> stabilize(const engine::ResourceRequest& req) override {
    auto doc = describe(req);
    if (!doc) {
      return doc.error();
    }
    std::string state;
    if (const json::value* s = doc->if_contains("State"); s && s->is_object()) {
      state = lb::text(s->get_object(), "Code").value_or("");
    }
    if (state == "failed") {
      return protocol::AwsError{"InvalidConfigurationRequest",
                                "Load balancer '" + req.physical_id + "' failed to provision"};
    }
    return state == "active" ? engine::Progress::Done : engine::Progress::InProgress;
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    static const std::set<std::string_view, std::less<>> kInPlace = {
        "SecurityGroups",         "Subnets", "SubnetMappings", "IpAddressType",
        "LoadBalancerAttributes", "Tags"};
    return kInPlace.contains(property) ? engine::UpdateBehavior::NoInterruption
                                       : engine::UpdateBehavior::Replacement;
  }

 private:
  protocol::Result<json::object> describe(const engine::ResourceRequest& req) const {
    auto out = client_.call(*req.stack, "elbv2", "DescribeLoadBalancers",
                            {{"LoadBalancerArns", json::array{json::string(req.physical_id)}}});
    if (!out) {
      return out.error();
    }
    return lb::first_of(*out, "LoadBalancers");
  }

  static engine::ProvisionResult result(const json::object& doc) {
    std::string arn = lb::text(doc, "LoadBalancerArn").value_or("");
    engine::ProvisionResult out{arn, {}};
    out.attributes["LoadBalancerArn"] = arn;
    out.attributes["LoadBalancerFullName"] = lb::arn_suffix(arn, ":loadbalancer/");
    out.attributes["LoadBalancerName"] = lb::text(doc, "LoadBalancerName").value_or("");
    out.attributes["DNSName"] = lb::text(doc, "DNSName").value_or("");
    out.attributes["CanonicalHostedZoneID"] = lb::text(doc, "CanonicalHostedZoneId").value_or("");
    const json::value* groups = doc.if_contains("SecurityGroups");
    out.attributes["SecurityGroups"] = groups ? *groups : json::array{};
    return out;
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_elbv2_load_balancer(const ServiceClient& client) {
  return std::make_unique<LoadBalancerProvider>(client);
}

}  // namespace services::cloudformation::resources
