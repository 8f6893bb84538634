// AWS::EC2::RouteTable
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-routetable.html
// Ref: the route table id. GetAtt: RouteTableId. VpcId is a replacement, Tags change in place.

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

class RouteTableProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    auto vpc_id = required(req, "VpcId");
    if (!vpc_id) {
      return vpc_id.error();
    }
    auto out =
        call(req, "CreateRouteTable",
             {{"VpcId", *vpc_id}, {"TagSpecifications", tag_specifications(req, "route-table")}});
    if (!out) {
      return out.error();
    }
    return result(core::str(out->at("RouteTable").as_object(), "RouteTableId"));
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    if (auto r = update_tags(req, req.physical_id); !r) {
      return r.error();
    }
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return delete_idempotent(req, "DeleteRouteTable", {{"RouteTableId", req.physical_id}});
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto table =
        describe_one(req, "DescribeRouteTables", "RouteTableIds", req.physical_id, "RouteTables");
    if (!table) {
      return table.error();
    }
    return result(req.physical_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return in_place_if(property, {"Tags"});
  }

 private:
  static engine::ProvisionResult result(const std::string& id) {
    return {id, {{"RouteTableId", id}}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_route_table(const ServiceClient& client) {
  return std::make_unique<RouteTableProvider>(client);
}

}  // namespace services::cloudformation::resources
