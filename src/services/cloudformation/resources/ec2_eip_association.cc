// AWS::EC2::EIPAssociation
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-eipassociation.html
// Associates an Elastic IP (AllocationId, or the address as EIP) with a network interface
// (NetworkInterfaceId, PrivateIpAddress); Gantry has no instances, so InstanceId is refused by
// EC2. Ref: the association id (eipassoc-...). GetAtt: Id. Every property is a replacement.

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

class EipAssociationProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    json::object in;
    for (auto [property, member] :
         {std::pair{"AllocationId", "AllocationId"}, std::pair{"EIP", "PublicIp"},
          std::pair{"InstanceId", "InstanceId"},
          std::pair{"NetworkInterfaceId", "NetworkInterfaceId"},
          std::pair{"PrivateIpAddress", "PrivateIpAddress"}}) {
      if (std::string v = prop_str(props, property); !v.empty()) {
        in[member] = v;
      }
    }
    auto out = call(req, "AssociateAddress", in);
    if (!out) {
      return out.error();
    }
    return result(core::str(*out, "AssociationId"));
  }

  // Every property is a replacement: nothing changes in place.
  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return delete_idempotent(req, "DisassociateAddress", {{"AssociationId", req.physical_id}});
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto addresses =
        describe_where(req, "DescribeAddresses", "association-id", req.physical_id, "Addresses");
    if (!addresses) {
      return addresses.error();
    }
    if (addresses->empty()) {
      return not_found("InvalidAssociationID.NotFound",
                       "The association ID '" + req.physical_id + "'");
    }
    engine::ProvisionResult r = result(req.physical_id);
    const json::object& address = addresses->front().as_object();
    r.properties = {{"AllocationId", core::str(address, "AllocationId")},
                    {"NetworkInterfaceId", core::str(address, "NetworkInterfaceId")}};
    return r;
  }

  engine::UpdateBehavior update_behavior(std::string_view) const override {
    return engine::UpdateBehavior::Replacement;
  }

 private:
  static engine::ProvisionResult result(const std::string& id) { return {id, {{"Id", id}}}; }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_eip_association(const ServiceClient& client) {
  return std::make_unique<EipAssociationProvider>(client);
}

}  // namespace services::cloudformation::resources
