// AWS::EC2::Subnet
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-subnet.html
// Ref: the subnet id. GetAtt: AvailabilityZone, AvailabilityZoneId, CidrBlock, Ipv6CidrBlocks,
// NetworkAclAssociationId, SubnetId, VpcId. MapPublicIpOnLaunch, AssignIpv6AddressOnCreation,
// EnableDns64 and the private DNS hostname type change in place (ModifySubnetAttribute).

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

// The boolean attributes ModifySubnetAttribute sets one per call, with their defaults.
struct BoolAttribute {
  std::string_view name;
  bool fallback;
};
constexpr BoolAttribute kBoolAttributes[] = {
    {"MapPublicIpOnLaunch", false}, {"AssignIpv6AddressOnCreation", false}, {"EnableDns64", false}};

class SubnetProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    auto vpc_id = required(req, "VpcId");
    if (!vpc_id) {
      return vpc_id.error();
    }
    json::object in{{"VpcId", *vpc_id}, {"TagSpecifications", tag_specifications(req, "subnet")}};
    for (std::string_view member : {"CidrBlock", "AvailabilityZone", "AvailabilityZoneId"}) {
      if (std::string v = prop_str(props, member); !v.empty()) {
        in[member] = v;
      }
    }
    auto out = call(req, "CreateSubnet", in);
    if (!out) {
      return out.error();
    }
    std::string subnet_id = core::str(out->at("Subnet").as_object(), "SubnetId");
    if (auto r = modify(req, subnet_id, /*initial=*/true); !r) {
      return r.error();
    }
    return read_subnet(req, subnet_id);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    if (auto r = modify(req, req.physical_id, /*initial=*/false); !r) {
      return r.error();
    }
    if (auto r = update_tags(req, req.physical_id); !r) {
      return r.error();
    }
    return read_subnet(req, req.physical_id);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return delete_idempotent(req, "DeleteSubnet", {{"SubnetId", req.physical_id}});
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    return read_subnet(req, req.physical_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if(property, {"AssignIpv6AddressOnCreation", "EnableDns64",
                                  "EnableLniAtDeviceIndex", "Ipv6CidrBlock", "Ipv6CidrBlocks",
                                  "MapPublicIpOnLaunch", "PrivateDnsNameOptionsOnLaunch", "Tags"});
  }

 private:
  // At create, the attributes given other than their defaults; at update, those that changed.
  protocol::Result<void> modify(const engine::ResourceRequest& req, const std::string& subnet_id,
                                bool initial) const {
    const json::object& props = properties(req.properties);
    for (const BoolAttribute& a : kBoolAttributes) {
      bool value = prop_bool(props, a.name).value_or(a.fallback);
      if (initial ? value == a.fallback : !changed(req, a.name)) {
        continue;
      }
      auto r = call(req, "ModifySubnetAttribute",
                    {{"SubnetId", subnet_id}, {a.name, json::object{{"Value", value}}}});
      if (!r) {
        return r.error();
      }
    }
    const json::object* dns = core::obj(props, "PrivateDnsNameOptionsOnLaunch");
    std::string type = dns ? prop_str(*dns, "HostnameType") : "";
    if (!type.empty() && (initial || changed(req, "PrivateDnsNameOptionsOnLaunch"))) {
      auto r = call(req, "ModifySubnetAttribute",
                    {{"SubnetId", subnet_id}, {"PrivateDnsHostnameTypeOnLaunch", type}});
      if (!r) {
        return r.error();
      }
    }
    return {};
  }

  protocol::Result<engine::ProvisionResult> read_subnet(const engine::ResourceRequest& req,
                                                        const std::string& subnet_id) const {
    auto subnet = describe_one(req, "DescribeSubnets", "SubnetIds", subnet_id, "Subnets");
    if (!subnet) {
      return subnet.error();
    }
    // The subnet's association with its VPC's network ACL.
    auto acls = call(
        req, "DescribeNetworkAcls",
        {{"Filters", json::array{json::object{{"Name", "association.subnet-id"},
                                              {"Values", json::array{json::value(subnet_id)}}}}}});
    if (!acls) {
      return acls.error();
    }
    std::string acl_association;
    for (const json::value& acl : *core::arr(*acls, "NetworkAcls")) {
      for (const json::value& a : *core::arr(acl.as_object(), "Associations")) {
        if (core::str(a.as_object(), "SubnetId") == subnet_id) {
          acl_association = core::str(a.as_object(), "NetworkAclAssociationId");
        }
      }
    }
    json::array ipv6;
    if (const json::array* set = core::arr(*subnet, "Ipv6CidrBlockAssociationSet")) {
      for (const json::value& a : *set) {
        ipv6.push_back(json::value(core::str(a.as_object(), "Ipv6CidrBlock")));
      }
    }
    engine::ProvisionResult r;
    r.physical_id = subnet_id;
    r.attributes = {{"AvailabilityZone", core::str(*subnet, "AvailabilityZone")},
                    {"AvailabilityZoneId", core::str(*subnet, "AvailabilityZoneId")},
                    {"CidrBlock", core::str(*subnet, "CidrBlock")},
                    {"Ipv6CidrBlocks", std::move(ipv6)},
                    {"NetworkAclAssociationId", acl_association},
                    {"SubnetId", subnet_id},
                    {"VpcId", core::str(*subnet, "VpcId")}};
    return r;
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_subnet(const ServiceClient& client) {
  return std::make_unique<SubnetProvider>(client);
}

}  // namespace services::cloudformation::resources
