// Network ACLs: each VPC has its default ACL, which allows all traffic in and out (rule 100) above
// the final deny (rule *), and every subnet is associated with it. Security groups, not ACLs, are
// what Gantry enforces; ACLs are described so that tools reading a VPC's defaults find them.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkAcls.html

#include <boost/json/array.hpp>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

FilterTable network_acl_filters() {
  FilterTable t;
  t.names = {{"network-acl-id", path("NetworkAclId")},
             {"vpc-id", path("VpcId")},
             {"default", path("IsDefault")},
             {"owner-id", path("OwnerId")},
             {"association.association-id", path("Associations.NetworkAclAssociationId")},
             {"association.network-acl-id", path("Associations.NetworkAclId")},
             {"association.subnet-id", path("Associations.SubnetId")},
             {"entry.cidr", path("Entries.CidrBlock")},
             {"entry.egress", path("Entries.Egress")},
             {"entry.protocol", path("Entries.Protocol")},
             {"entry.rule-action", path("Entries.RuleAction")},
             {"entry.rule-number", path("Entries.RuleNumber")}};
  return t;
}

Doc entry(bool egress, int64_t number, std::string_view action) {
  return Doc{{"CidrBlock", "0.0.0.0/0"},
             {"Egress", egress},
             {"Protocol", "-1"},
             {"RuleAction", action},
             {"RuleNumber", number}};
}

}  // namespace

Doc Ec2Service::make_default_network_acl(Ec2Store& st, std::string_view vpc_id) {
  std::string acl_id = core::ids::resource_id("acl");
  Doc acl{{"NetworkAclId", acl_id},
          {"VpcId", vpc_id},
          {"IsDefault", true},
          {"OwnerId", st.account()},
          {"Entries", json::array{entry(true, 100, "allow"), entry(true, 32767, "deny"),
                                  entry(false, 100, "allow"), entry(false, 32767, "deny")}},
          {"Associations", json::array()},
          {"Tags", json::array()}};
  st.put(Kind::NetworkAcl, acl_id, vpc_id, "", acl);
  return acl;
}

Doc Ec2Service::network_acl_view(Ec2Store& st, Doc acl) {
  json::array associations;
  std::string acl_id = str(acl, "NetworkAclId");
  for (const Row& subnet : st.list_in_vpc(Kind::Subnet, str(acl, "VpcId"))) {
    associations.push_back(
        Doc{{"NetworkAclAssociationId", str(subnet.doc, "_NetworkAclAssociationId")},
            {"NetworkAclId", acl_id},
            {"SubnetId", subnet.id}});
  }
  acl["Associations"] = std::move(associations);
  return acl;
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkAcls.html
Reply Ec2Service::describe_network_acls(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = network_acl_filters();
  return describe(ctx, in,
                  {Kind::NetworkAcl, "NetworkAclIds", "NetworkAcls", &table,
                   [](std::string_view id) { return errors::network_acl_not_found(id); }},
                  [this](Ec2Store& st, Doc doc) { return network_acl_view(st, std::move(doc)); });
}

}  // namespace services::ec2
