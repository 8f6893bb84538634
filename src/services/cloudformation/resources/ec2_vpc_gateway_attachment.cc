// AWS::EC2::VPCGatewayAttachment
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcgatewayattachment.html
// Ref: the attachment's id, "<AttachmentType>|<VpcId>" ("IGW|vpc-0abc...") as CloudFormation's
// handler names it (primary identifier AttachmentType and VpcId). GetAtt: AttachmentType, VpcId.
// Changing InternetGatewayId moves the attachment in place (detach the old, attach the new);
// VpcId is a replacement. Gantry has no virtual private gateways: VpnGatewayId is refused.

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

constexpr std::string_view kInternetGateway = "IGW";

class VpcGatewayAttachmentProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    auto vpc_id = required(req, "VpcId");
    if (!vpc_id) {
      return vpc_id.error();
    }
    if (auto r = attach(req, props, *vpc_id); !r) {
      return r.error();
    }
    return result(*vpc_id);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    std::string vpc_id = prop_str(props, "VpcId");
    if (changed(req, "InternetGatewayId") || changed(req, "VpnGatewayId")) {
      std::string old_igw = prop_str(properties(req.previous_properties), "InternetGatewayId");
      if (!old_igw.empty()) {
        auto r = detach(req, old_igw, vpc_id);
        if (!r) {
          return r.error();
        }
      }
      if (auto r = attach(req, props, vpc_id); !r) {
        return r.error();
      }
    }
    return result(vpc_id);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    std::string vpc_id = split_id(req.physical_id).second;
    std::string igw = prop_str(properties(req.properties), "InternetGatewayId");
    if (igw.empty()) {
      auto attached = attached_gateway(req, vpc_id);
      if (!attached) {
        if (is_not_found(attached.error())) {
          return {};
        }
        return attached.error();
      }
      igw = *attached;
    }
    return detach(req, igw, vpc_id);
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    std::string vpc_id = split_id(req.physical_id).second;
    auto attached = attached_gateway(req, vpc_id);
    if (!attached) {
      return attached.error();
    }
    return result(vpc_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if(property, {"InternetGatewayId", "VpnGatewayId"});
  }

 private:
  static engine::ProvisionResult result(const std::string& vpc_id) {
    return {std::string(kInternetGateway) + "|" + vpc_id,
            {{"AttachmentType", kInternetGateway}, {"VpcId", vpc_id}}};
  }

  protocol::Result<void> attach(const engine::ResourceRequest& req, const json::object& props,
                                const std::string& vpc_id) const {
    std::string igw = prop_str(props, "InternetGatewayId");
    if (std::string vgw = prop_str(props, "VpnGatewayId"); !vgw.empty()) {
      return not_found("InvalidVpnGatewayID.NotFound",
                       "The vpnGateway ID '" + vgw + "'");  // no VPN gateways in Gantry
    }
    if (igw.empty()) {
      return missing_property(req, "InternetGatewayId");
    }
    auto r = call(req, "AttachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc_id}});
    if (!r) {
      return r.error();
    }
    return {};
  }

  // Detaching a gateway that is gone, or no longer attached, succeeds.
  protocol::Result<void> detach(const engine::ResourceRequest& req, const std::string& igw,
                                const std::string& vpc_id) const {
    auto r = call(req, "DetachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc_id}});
    if (!r && !is_not_found(r.error()) && r.error().code != "Gateway.NotAttached") {
      return r.error();
    }
    return {};
  }

  // The internet gateway attached to `vpc_id`; a NotFound error when there is none.
  protocol::Result<std::string> attached_gateway(const engine::ResourceRequest& req,
                                                 const std::string& vpc_id) const {
    auto out = call(
        req, "DescribeInternetGateways",
        {{"Filters", json::array{json::object{{"Name", "attachment.vpc-id"},
                                              {"Values", json::array{json::value(vpc_id)}}}}}});
    if (!out) {
      return out.error();
    }
    const json::array* gateways = core::arr(*out, "InternetGateways");
    if (gateways == nullptr || gateways->empty()) {
      return not_found("InvalidAttachment.NotFound",
                       "The attachment of an internet gateway to '" + vpc_id + "'");
    }
    return core::str(gateways->front().as_object(), "InternetGatewayId");
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_vpc_gateway_attachment(
    const ServiceClient& client) {
  return std::make_unique<VpcGatewayAttachmentProvider>(client);
}

}  // namespace services::cloudformation::resources
