// AWS::EC2::SubnetRouteTableAssociation
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-subnetroutetableassociation.html
// Ref: the association id (rtbassoc-...). GetAtt: Id. RouteTableId and SubnetId are both
// replacements.

#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

class SubnetRouteTableAssociationProvider final : public AssociationProvider {
 public:
  explicit SubnetRouteTableAssociationProvider(const ServiceClient& client)
      : AssociationProvider(client,
                            {"AssociateRouteTable", "DisassociateRouteTable", "DescribeRouteTables",
                             "association.route-table-association-id", "RouteTables"}) {}

 protected:
  protocol::Result<json::object> associate_input(
      const engine::ResourceRequest& req) const override {
    const json::object& props = properties(req.properties);
    for (std::string_view required : {"RouteTableId", "SubnetId"}) {
      if (prop_str(props, required).empty()) {
        return missing_property(req, required);
      }
    }
    return json::object{{"RouteTableId", prop_str(props, "RouteTableId")},
                        {"SubnetId", prop_str(props, "SubnetId")}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_subnet_route_table_association(
    const ServiceClient& client) {
  return std::make_unique<SubnetRouteTableAssociationProvider>(client);
}

}  // namespace services::cloudformation::resources
