// AWS::EC2::EIP
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-eip.html
// Ref: the Elastic IP address itself. GetAtt: AllocationId, PublicIp. Tags change in place; so
// would InstanceId, but Gantry has no instances and EC2 refuses it. Domain, Address,
// PublicIpv4Pool, NetworkBorderGroup and TransferAddress are replacements.

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

class EipProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    json::object in{{"Domain", "vpc"},
                    {"TagSpecifications", tag_specifications(req, "elastic-ip")}};
    for (std::string_view member : {"Address", "PublicIpv4Pool", "NetworkBorderGroup"}) {
      if (std::string v = prop_str(props, member); !v.empty()) {
        in[member] = v;
      }
    }
    auto out = call(req, "AllocateAddress", in);
    if (!out) {
      return out.error();
    }
    std::string allocation_id = core::str(*out, "AllocationId");
    if (std::string instance = prop_str(props, "InstanceId"); !instance.empty()) {
      auto r = call(req, "AssociateAddress",
                    {{"AllocationId", allocation_id}, {"InstanceId", instance}});
      if (!r) {
        (void)call(req, "ReleaseAddress", {{"AllocationId", allocation_id}});
        return r.error();
      }
    }
    return result(core::str(*out, "PublicIp"), allocation_id);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    auto current = read(req);
    if (!current) {
      return current.error();
    }
    if (auto r = update_tags(req, core::str(current->attributes, "AllocationId")); !r) {
      return r.error();
    }
    return current;
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    auto current = read(req);
    if (!current) {
      if (is_not_found(current.error())) {
        return {};
      }
      return current.error();
    }
    return delete_idempotent(req, "ReleaseAddress",
                             {{"AllocationId", core::str(current->attributes, "AllocationId")}});
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto address =
        call(req, "DescribeAddresses", {{"PublicIps", json::array{json::value(req.physical_id)}}});
    if (!address) {
      return address.error();
    }
    const json::array* list = core::arr(*address, "Addresses");
    if (list == nullptr || list->empty()) {
      return not_found("InvalidAddress.NotFound", "Address '" + req.physical_id + "'");
    }
    return result(req.physical_id, core::str(list->front().as_object(), "AllocationId"));
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if(property, {"InstanceId", "Tags"});
  }

 private:
  static engine::ProvisionResult result(const std::string& ip, const std::string& allocation_id) {
    return {ip, {{"AllocationId", allocation_id}, {"PublicIp", ip}}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_eip(const ServiceClient& client) {
  return std::make_unique<EipProvider>(client);
}

}  // namespace services::cloudformation::resources
