// AWS::ElasticLoadBalancingV2::ListenerCertificate over ELBv2's Add/Remove/
// DescribeListenerCertificates.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listenercertificate.html
// Ref: the resource's Id, here "<ListenerArn>|<first CertificateArn>" (what it was created with;
// stable across in-place updates); no GetAtt. Certificates change in place (added ones added,
// dropped ones removed), ListenerArn is a replacement. Gantry has no ACM: the ARNs are stored
// by ELBv2, not checked.

#include <algorithm>
#include <vector>

#include "core/json.h"
#include "services/cloudformation/resources/load_balancing_providers.h"
#include "services/cloudformation/resources/load_balancing_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

// The CertificateArns of a Certificates property, in order.
std::vector<std::string> certificate_arns(const json::value& props) {
  std::vector<std::string> out;
  if (const json::array* certs = core::arr(properties(props), "Certificates")) {
    for (const json::value& c : *certs) {
      if (std::optional<std::string> arn =
              c.is_object() ? lb::text(c.get_object(), "CertificateArn") : std::nullopt) {
        out.push_back(*arn);
      }
    }
  }
  return out;
}

class ListenerCertificateProvider final : public engine::ResourceProvider {
 public:
  explicit ListenerCertificateProvider(const ServiceClient& client) : client_(client) {}

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    for (std::string_view required : {"ListenerArn", "Certificates"}) {
      if (!properties(req.properties).contains(required)) {
        return missing_property(req, required);
      }
    }
    std::vector<std::string> certs = certificate_arns(req.properties);
    if (auto r = change(req, "AddListenerCertificates", certs); !r) {
      return r.error();
    }
    std::string listener = listener_arn(req);
    return engine::ProvisionResult{listener + "|" + (certs.empty() ? "" : certs.front()), {}};
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    std::vector<std::string> now = certificate_arns(req.properties);
    std::vector<std::string> before = certificate_arns(req.previous_properties);
    std::vector<std::string> added, dropped;
    for (const std::string& c : now) {
      if (std::find(before.begin(), before.end(), c) == before.end()) added.push_back(c);
    }
    for (const std::string& c : before) {
      if (std::find(now.begin(), now.end(), c) == now.end()) dropped.push_back(c);
    }
    if (auto r = change(req, "AddListenerCertificates", added); !r) {
      return r.error();
    }
    if (auto r = change(req, "RemoveListenerCertificates", dropped); !r) {
      return r.error();
    }
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return lb::gone_is_ok(
        change(req, "RemoveListenerCertificates", certificate_arns(req.properties)),
        "ListenerNotFound");
  }

  // The template's certificates that are still in the listener's list (drift shows a removed
  // one; others' certificates on the same listener are not this resource's).
  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto out = client_.call(*req.stack, "elbv2", "DescribeListenerCertificates",
                            {{"ListenerArn", listener_arn(req)}});
    if (!out) {
      return out.error();
    }
    std::vector<std::string> live;
    if (const json::array* certs = core::arr(*out, "Certificates")) {
      for (const json::value& c : *certs) {
        const json::object& o = c.as_object();
        if (!o.contains("IsDefault") || !o.at("IsDefault").as_bool()) {
          live.push_back(lb::text(o, "CertificateArn").value_or(""));
        }
      }
    }
    json::array kept;
    for (const std::string& c : certificate_arns(req.properties)) {
      if (std::find(live.begin(), live.end(), c) != live.end()) {
        kept.push_back(json::object{{"CertificateArn", c}});
      }
    }
    engine::ProvisionResult res{req.physical_id, {}};
    res.properties = json::object{{"ListenerArn", listener_arn(req)}, {"Certificates", kept}};
    return res;
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return property == "Certificates" ? engine::UpdateBehavior::NoInterruption
                                      : engine::UpdateBehavior::Replacement;
  }

 private:
  // The listener: the template's, else the part of the physical id before "|".
  static std::string listener_arn(const engine::ResourceRequest& req) {
    if (std::optional<std::string> arn = lb::text(properties(req.properties), "ListenerArn")) {
      return *arn;
    }
    return req.physical_id.substr(0, req.physical_id.find('|'));
  }

  // `operation` (Add/RemoveListenerCertificates) with `certs`, one call each as the API asks
  // ("You can specify one certificate per call"); nothing when there are none.
  protocol::Result<json::object> change(const engine::ResourceRequest& req,
                                        std::string_view operation,
                                        const std::vector<std::string>& certs) const {
    for (const std::string& c : certs) {
      json::object in{{"ListenerArn", listener_arn(req)},
                      {"Certificates", json::array{json::object{{"CertificateArn", c}}}}};
      if (auto r = client_.call(*req.stack, "elbv2", operation, in); !r) {
        return r.error();
      }
    }
    return json::object{};
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_elbv2_listener_certificate(
    const ServiceClient& client) {
  return std::make_unique<ListenerCertificateProvider>(client);
}

}  // namespace services::cloudformation::resources
