// AWS::EC2::Route
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-route.html
// Ref: the route's id, "<RouteTableId>|<destination>" as CloudFormation's handler names it (its
// primary identifier is RouteTableId and CidrBlock). GetAtt: CidrBlock. The table and the
// destination are replacements; a new target (GatewayId, NatGatewayId, ...) is ReplaceRoute,
// in place.

#include <span>

#include "core/json.h"
#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_support.h"

namespace services::cloudformation::resources {

namespace {

namespace json = boost::json;
using namespace ec2;

// The route's destination, one of them given.
constexpr std::string_view kDestinations[] = {"DestinationCidrBlock", "DestinationIpv6CidrBlock",
                                              "DestinationPrefixListId"};
// Its target, one of them given.
constexpr std::string_view kTargets[] = {"GatewayId",
                                         "NatGatewayId",
                                         "NetworkInterfaceId",
                                         "InstanceId",
                                         "VpcPeeringConnectionId",
                                         "TransitGatewayId",
                                         "VpcEndpointId",
                                         "EgressOnlyInternetGatewayId",
                                         "LocalGatewayId",
                                         "CarrierGatewayId",
                                         "CoreNetworkArn"};

class RouteProvider final : public Ec2Provider {
 public:
  using Ec2Provider::Ec2Provider;

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    if (auto given = required(req, "RouteTableId"); !given) {
      return given.error();
    }
    auto r = call(req, "CreateRoute", route_input(props));
    if (!r) {
      return r.error();
    }
    return result(props);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    auto r = call(req, "ReplaceRoute", route_input(props));
    if (!r) {
      return r.error();
    }
    return result(props);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    auto [table, destination] = split_id(req.physical_id);
    return delete_idempotent(req, "DeleteRoute",
                             {{"RouteTableId", table}, {"DestinationCidrBlock", destination}});
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto [table_id, destination] = split_id(req.physical_id);
    auto table = describe_one(req, "DescribeRouteTables", "RouteTableIds", table_id, "RouteTables");
    if (!table) {
      return table.error();
    }
    for (const json::value& route : *core::arr(*table, "Routes")) {
      if (core::str(route.as_object(), "DestinationCidrBlock") == destination) {
        return engine::ProvisionResult{req.physical_id, {{"CidrBlock", destination}}};
      }
    }
    return not_found("InvalidRoute.NotFound", "The route to " + destination + " in " + table_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    for (std::string_view target : kTargets) {
      if (property == target) {
        return engine::UpdateBehavior::NoInterruption;
      }
    }
    return engine::UpdateBehavior::Replacement;
  }

 private:
  static json::object route_input(const json::object& props) {
    json::object in{{"RouteTableId", prop_str(props, "RouteTableId")}};
    using Members = std::span<const std::string_view>;
    for (Members members : {Members(kDestinations), Members(kTargets)}) {
      for (std::string_view m : members) {
        if (std::string v = prop_str(props, m); !v.empty()) {
          in[m] = v;
        }
      }
    }
    return in;
  }

  static std::string destination(const json::object& props) {
    for (std::string_view m : kDestinations) {
      if (std::string v = prop_str(props, m); !v.empty()) {
        return v;
      }
    }
    return "";
  }

  static engine::ProvisionResult result(const json::object& props) {
    std::string dest = destination(props);
    return {prop_str(props, "RouteTableId") + "|" + dest, {{"CidrBlock", dest}}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ec2_route(const ServiceClient& client) {
  return std::make_unique<RouteProvider>(client);
}

}  // namespace services::cloudformation::resources
