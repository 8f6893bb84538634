// AWS::EC2::InternetGateway
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-internetgateway.html
// Ref: the gateway id. GetAtt: InternetGatewayId. Only Tags, changed in place. A gateway is
// attached by AWS::EC2::VPCGatewayAttachment, which the stack deletes first.

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

class InternetGatewayProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    auto out = call(req, "CreateInternetGateway",
                    {{"TagSpecifications", tag_specifications(req, "internet-gateway")}});
    if (!out) {
      return out.error();
    }
    return result(core::str(out->at("InternetGateway").as_object(), "InternetGatewayId"));
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    if (auto r = update_tags(req, req.physical_id); !r) {
      return r.error();
    }
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return delete_idempotent(req, "DeleteInternetGateway",
                             {{"InternetGatewayId", req.physical_id}});
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto igw = describe_one(req, "DescribeInternetGateways", "InternetGatewayIds", req.physical_id,
                            "InternetGateways");
    if (!igw) {
      return igw.error();
    }
    return result(req.physical_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if(property, {"Tags"});
  }

 private:
  static engine::ProvisionResult result(const std::string& id) {
    return {id, {{"InternetGatewayId", id}}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_internet_gateway(const ServiceClient& client) {
  return std::make_unique<InternetGatewayProvider>(client);
}

}  // namespace services::cloudformation::resources
