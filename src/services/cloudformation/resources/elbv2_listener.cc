// AWS::ElasticLoadBalancingV2::Listener over ELBv2's CreateListener.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listener.html
// Ref: the listener's ARN. GetAtt: ListenerArn. Everything but LoadBalancerArn is updated in
// place (ModifyListener, ModifyListenerAttributes).

#include <algorithm>
#include <array>

#include "services/cloudformation/resources/load_balancing_providers.h"
#include "services/cloudformation/resources/load_balancing_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using lb::typed_call;

// What CreateListener and ModifyListener take under the template's names.
constexpr std::array<std::string_view, 7> kSettings = {
    "Port",      "Protocol",   "DefaultActions",      "Certificates",
    "SslPolicy", "AlpnPolicy", "MutualAuthentication"};

class ListenerProvider final : public engine::ResourceProvider {
 public:
  explicit ListenerProvider(const ServiceClient& client) : client_(client) {}

  // ModifyListenerAttributes on `arn` with the template's ListenerAttributes.
  protocol::Result<void> modify_attributes(const engine::ResourceRequest& req,
                                           const std::string& arn) const {
    return lb::modify_elbv2_attributes(client_, req, "ModifyListenerAttributes", "ListenerArn", arn,
                                       "ListenerAttributes");
  }

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    for (std::string_view required : {"LoadBalancerArn", "DefaultActions"}) {
      if (!p.contains(required)) {
        return missing_property(req, required);
      }
    }
    json::object in{{"LoadBalancerArn", p.at("LoadBalancerArn")}};
    lb::copy_present(p, in, kSettings);
    alpn_as_list(in);
    auto out = typed_call(client_, req, "elbv2", "CreateListener", in);
    if (!out) {
      return out.error();
    }
    std::string arn = lb::text(lb::first_of(*out, "Listeners"), "ListenerArn").value_or("");
    if (auto r = modify_attributes(req, arn); !r) {
      (void)client_.call(*req.stack, "elbv2", "DeleteListener", {{"ListenerArn", arn}});
      return r.error();
    }
    return result(arn);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    if (lb::any_changed(req, kSettings)) {
      json::object in{{"ListenerArn", req.physical_id}};
      lb::copy_present(properties(req.properties), in, kSettings);
      alpn_as_list(in);
      if (auto r = typed_call(client_, req, "elbv2", "ModifyListener", in); !r) {
        return r.error();
      }
    }
    if (lb::changed(req, "ListenerAttributes")) {
      if (auto r = modify_attributes(req, req.physical_id); !r) {
        return r.error();
      }
    }
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return lb::gone_is_ok(
        client_.call(*req.stack, "elbv2", "DeleteListener", {{"ListenerArn", req.physical_id}}),
        "ListenerNotFound");
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto out = client_.call(*req.stack, "elbv2", "DescribeListeners",
                            {{"ListenerArns", json::array{json::string(req.physical_id)}}});
    if (!out) {
      return out.error();
    }
    json::object doc = lb::first_of(*out, "Listeners");
    engine::ProvisionResult res = result(lb::text(doc, "ListenerArn").value_or(""));
    json::object live;
    lb::copy_present(doc, live, {"LoadBalancerArn", "Port", "Protocol", "SslPolicy"});
    res.properties = lb::live_properties(req, std::move(live));
    return res;
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    bool in_place = property == "ListenerAttributes" ||
                    std::find(kSettings.begin(), kSettings.end(), property) != kSettings.end();
    return in_place ? engine::UpdateBehavior::NoInterruption : engine::UpdateBehavior::Replacement;
  }

 private:
  // The template's AlpnPolicy is a list; the API's too (one policy name), but a template may
  // give the single name as a string.
  static void alpn_as_list(json::object& in) {
    if (json::value* a = in.if_contains("AlpnPolicy"); a && a->is_string()) {
      *a = json::array{a->get_string()};
    }
  }

  static engine::ProvisionResult result(const std::string& arn) {
    return {arn, json::object{{"ListenerArn", arn}}};
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_elbv2_listener(const ServiceClient& client) {
  return std::make_unique<ListenerProvider>(client);
}

}  // namespace services::cloudformation::resources
