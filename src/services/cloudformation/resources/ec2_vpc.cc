// AWS::EC2::VPC
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpc.html
// Ref: the VPC id. GetAtt: CidrBlock, CidrBlockAssociations, DefaultNetworkAcl,
// DefaultSecurityGroup, Ipv6CidrBlocks, VpcId. EnableDnsSupport defaults to true and
// EnableDnsHostnames to false, as for any VPC that is not the default one.

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

class VpcProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    auto cidr = required(req, "CidrBlock");
    if (!cidr) {
      return cidr.error();
    }
    json::object in{{"CidrBlock", *cidr}, {"TagSpecifications", tag_specifications(req, "vpc")}};
    if (std::string tenancy = prop_str(props, "InstanceTenancy"); !tenancy.empty()) {
      in["InstanceTenancy"] = tenancy;
    }
    auto out = call(req, "CreateVpc", in);
    if (!out) {
      return out.error();
    }
    std::string vpc_id = core::str(out->at("Vpc").as_object(), "VpcId");
    if (auto dns = set_dns(req, vpc_id, /*initial=*/true); !dns) {
      return dns.error();
    }
    return result(req, vpc_id);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    if (auto dns = set_dns(req, req.physical_id, /*initial=*/false); !dns) {
      return dns.error();
    }
    if (auto tags = update_tags(req, req.physical_id); !tags) {
      return tags.error();
    }
    return result(req, req.physical_id);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    // The main route table, default security group and default ACL go with the VPC.
    return delete_idempotent(req, "DeleteVpc", {{"VpcId", req.physical_id}});
  }

  // The live VPC's Ref and GetAtt values (the provider interface carries no properties).
  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    return result(req, req.physical_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if(property,
                       {"EnableDnsHostnames", "EnableDnsSupport", "InstanceTenancy", "Tags"});
  }

 private:
  // EnableDnsSupport and EnableDnsHostnames: at create, what differs from the defaults; at
  // update, what changed. Hostnames need support, so support is turned on first and off last.
  protocol::Result<void> set_dns(const engine::ResourceRequest& req, const std::string& vpc_id,
                                 bool initial) const {
    const json::object& props = properties(req.properties);
    bool support = prop_bool(props, "EnableDnsSupport").value_or(true);
    bool hostnames = prop_bool(props, "EnableDnsHostnames").value_or(false);
    bool set_support = initial ? !support : changed(req, "EnableDnsSupport");
    bool set_hostnames = initial ? hostnames : changed(req, "EnableDnsHostnames");
    auto modify = [&](std::string_view attribute, bool value) -> protocol::Result<void> {
      auto r = call(req, "ModifyVpcAttribute",
                    {{"VpcId", vpc_id}, {attribute, json::object{{"Value", value}}}});
      if (!r) {
        return r.error();
      }
      return {};
    };
    if (set_support && support) {
      if (auto r = modify("EnableDnsSupport", true); !r) {
        return r;
      }
    }
    if (set_hostnames) {
      if (auto r = modify("EnableDnsHostnames", hostnames); !r) {
        return r;
      }
    }
    if (set_support && !support) {
      return modify("EnableDnsSupport", false);
    }
    return {};
  }

  // Ref and GetAtt of the live VPC, with its default network ACL and security group.
  protocol::Result<engine::ProvisionResult> result(const engine::ResourceRequest& req,
                                                   const std::string& vpc_id) const {
    auto vpc = describe_one(req, "DescribeVpcs", "VpcIds", vpc_id, "Vpcs");
    if (!vpc) {
      return vpc.error();
    }
    json::array by_vpc{json::object{{"Name", "vpc-id"}, {"Values", json::array{vpc_id}}}};
    json::array acl_filters = by_vpc, group_filters = by_vpc;
    acl_filters.push_back(json::object{{"Name", "default"}, {"Values", json::array{"true"}}});
    group_filters.push_back(
        json::object{{"Name", "group-name"}, {"Values", json::array{"default"}}});
    auto acls = call(req, "DescribeNetworkAcls", {{"Filters", acl_filters}});
    if (!acls) {
      return acls.error();
    }
    auto groups = call(req, "DescribeSecurityGroups", {{"Filters", group_filters}});
    if (!groups) {
      return groups.error();
    }
    json::array associations;
    if (const json::array* set = core::arr(*vpc, "CidrBlockAssociationSet")) {
      for (const json::value& a : *set) {
        associations.push_back(json::value(core::str(a.as_object(), "AssociationId")));
      }
    }
    auto first = [](const json::object& out, std::string_view list, std::string_view member) {
      const json::array* items = core::arr(out, list);
      return items && !items->empty() ? core::str(items->front().as_object(), member)
                                      : std::string();
    };
    engine::ProvisionResult r;
    r.physical_id = vpc_id;
    r.attributes = {{"CidrBlock", core::str(*vpc, "CidrBlock")},
                    {"CidrBlockAssociations", std::move(associations)},
                    {"DefaultNetworkAcl", first(*acls, "NetworkAcls", "NetworkAclId")},
                    {"DefaultSecurityGroup", first(*groups, "SecurityGroups", "GroupId")},
                    {"Ipv6CidrBlocks", json::array()},
                    {"VpcId", vpc_id}};
    return r;
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_vpc(const ServiceClient& client) {
  return std::make_unique<VpcProvider>(client);
}

}  // namespace services::cloudformation::resources
