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

// ELBv2 names load balancers in at most 32 characters.
constexpr std::size_t kMaxNameLength = 32;

class LoadBalancerProvider final : public engine::ResourceProvider {
 public:
  explicit LoadBalancerProvider(const ServiceClient& client) : client_(client) {}

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    json::object in{{"Name", lb::text(p, "Name").value_or(generated_name(
                                 *req.stack, req.logical_id, kMaxNameLength))}};
    if (json::array tags = lb::tag_list(req); !tags.empty()) {
      in["Tags"] = std::move(tags);
    }
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
                      {"SecurityGroups", p.contains("SecurityGroups") ? p.at("SecurityGroups")
                                                                      : json::array{}}};
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
    return result(*doc);
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
        "SecurityGroups", "Subnets", "SubnetMappings", "IpAddressType", "LoadBalancerAttributes",
        "Tags"};
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

  protocol::Result<void> modify_attributes(const engine::ResourceRequest& req,
                                           const std::string& arn) const {
    json::array attrs = lb::key_values(properties(req.properties), "LoadBalancerAttributes");
    if (attrs.empty()) {
      return {};
    }
    return lb::no_output(client_.call(*req.stack, "elbv2", "ModifyLoadBalancerAttributes",
                          {{"LoadBalancerArn", arn}, {"Attributes", attrs}}));
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
