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

class EipAssociationProvider final : public AssociationProvider {
 public:
  explicit EipAssociationProvider(const ServiceClient& client)
      : AssociationProvider(client, {"AssociateAddress", "DisassociateAddress", "DescribeAddresses",
                                     "association-id", "Addresses"}) {}

 protected:
  protocol::Result<json::object> associate_input(
      const engine::ResourceRequest& req) const override {
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
    return in;
  }

  json::object live_properties(const json::object& address) const override {
    return {{"AllocationId", core::str(address, "AllocationId")},
            {"NetworkInterfaceId", core::str(address, "NetworkInterfaceId")}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_eip_association(const ServiceClient& client) {
  return std::make_unique<EipAssociationProvider>(client);
}

}  // namespace services::cloudformation::resources
