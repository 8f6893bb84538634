// AWS::EC2::SubnetRouteTableAssociation
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-subnetroutetableassociation.html
// Ref: the association id (rtbassoc-...). GetAtt: Id. RouteTableId and SubnetId are both
// replacements.

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

class SubnetRouteTableAssociationProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    for (std::string_view required : {"RouteTableId", "SubnetId"}) {
      if (prop_str(props, required).empty()) {
        return missing_property(req, required);
      }
    }
    auto out = call(req, "AssociateRouteTable",
                    {{"RouteTableId", prop_str(props, "RouteTableId")},
                     {"SubnetId", prop_str(props, "SubnetId")}});
    if (!out) {
      return out.error();
    }
    return result(core::str(*out, "AssociationId"));
  }

  // Both properties are replacements: nothing changes in place.
  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return delete_idempotent(req, "DisassociateRouteTable", {{"AssociationId", req.physical_id}});
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto out =
        call(req, "DescribeRouteTables",
             {{"Filters",
               json::array{json::object{{"Name", "association.route-table-association-id"},
                                        {"Values", json::array{json::value(req.physical_id)}}}}}});
    if (!out) {
      return out.error();
    }
    const json::array* tables = core::arr(*out, "RouteTables");
    if (tables == nullptr || tables->empty()) {
      return not_found("InvalidAssociationID.NotFound",
                       "The association ID '" + req.physical_id + "'");
    }
    return result(req.physical_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view) const override {
    return engine::UpdateBehavior::Replacement;
  }

 private:
  static engine::ProvisionResult result(const std::string& id) { return {id, {{"Id", id}}}; }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_subnet_route_table_association(
    const ServiceClient& client) {
  return std::make_unique<SubnetRouteTableAssociationProvider>(client);
}

}  // namespace services::cloudformation::resources
