// AWS::EC2::NatGateway
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-natgateway.html
// Ref: the NAT gateway id. GetAtt: NatGatewayId. CloudFormation reports the gateway created
// once it is "available" (stabilize) and fails it when it is "failed". Tags and the secondary
// address properties change in place; SubnetId, AllocationId, ConnectivityType and
// PrivateIpAddress are replacements.

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

class NatGatewayProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    if (auto given = required(req, "SubnetId"); !given) {
      return given.error();
    }
    json::object in{{"TagSpecifications", tag_specifications(req, "natgateway")}};
    for (std::string_view member :
         {"SubnetId", "AllocationId", "ConnectivityType", "PrivateIpAddress"}) {
      if (std::string v = prop_str(props, member); !v.empty()) {
        in[member] = v;
      }
    }
    auto out = call(req, "CreateNatGateway", in);
    if (!out) {
      return out.error();
    }
    return result(core::str(out->at("NatGateway").as_object(), "NatGatewayId"));
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    if (auto r = update_tags(req, req.physical_id); !r) {
      return r.error();
    }
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return delete_idempotent(req, "DeleteNatGateway", {{"NatGatewayId", req.physical_id}});
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto nat = live(req);
    if (!nat) {
      return nat.error();
    }
    return result(req.physical_id);
  }

  protocol::Result<engine::Progress> stabilize(const engine::ResourceRequest& req) override {
    auto nat = live(req);
    if (!nat) {
      return nat.error();
    }
    std::string state = core::str(*nat, "State");
    if (state == "available") {
      return engine::Progress::Done;
    }
    if (state == "failed") {
      return protocol::AwsError{core::str(*nat, "FailureCode", "NatGatewayFailed"),
                                core::str(*nat, "FailureMessage", "NAT gateway failed")};
    }
    return engine::Progress::InProgress;  // "pending"
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if(property,
                       {"MaxDrainDurationSeconds", "SecondaryAllocationIds",
                        "SecondaryPrivateIpAddressCount", "SecondaryPrivateIpAddresses", "Tags"});
  }

 private:
  // The gateway, unless it is gone: a "deleted" gateway stays visible for a while, as on AWS.
  protocol::Result<json::object> live(const engine::ResourceRequest& req) const {
    auto nat =
        describe_one(req, "DescribeNatGateways", "NatGatewayIds", req.physical_id, "NatGateways");
    if (nat && (core::str(*nat, "State") == "deleted" || core::str(*nat, "State") == "deleting")) {
      return protocol::AwsError{"NatGatewayNotFound",
                                "The Nat Gateway " + req.physical_id + " was not found"};
    }
    return nat;
  }

  static engine::ProvisionResult result(const std::string& id) {
    return {id, {{"NatGatewayId", id}}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_nat_gateway(const ServiceClient& client) {
  return std::make_unique<NatGatewayProvider>(client);
}

}  // namespace services::cloudformation::resources
