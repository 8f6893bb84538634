// Route tables: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRouteTable.html
// and siblings. Routes and associations live inside the table's document; a VPC's main table
// carries the internal flag "_Main" and an association with Main = true.

#include <boost/json/array.hpp>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

FilterTable route_table_filters() {
  FilterTable t;
  t.names = {
      {"route-table-id", path("RouteTableId")},
      {"vpc-id", path("VpcId")},
      {"owner-id", path("OwnerId")},
      {"association.route-table-association-id", path("Associations.RouteTableAssociationId")},
      {"association.route-table-id", path("Associations.RouteTableId")},
      {"association.subnet-id", path("Associations.SubnetId")},
      {"association.gateway-id", path("Associations.GatewayId")},
      {"association.main", path("Associations.Main")},
      {"route.destination-cidr-block", path("Routes.DestinationCidrBlock")},
      {"route.destination-prefix-list-id", path("Routes.DestinationPrefixListId")},
      {"route.gateway-id", path("Routes.GatewayId")},
      {"route.nat-gateway-id", path("Routes.NatGatewayId")},
      {"route.network-interface-id", path("Routes.NetworkInterfaceId")},
      {"route.origin", path("Routes.Origin")},
      {"route.state", path("Routes.State")},
  };
  return t;
}

// The route table holding association `association_id`, if any.
std::optional<Row> table_with_association(Ec2Store& st, std::string_view association_id) {
  for (Row& row : st.list(Kind::RouteTable)) {
    for (const std::string& id : values_at(row.doc, "Associations.RouteTableAssociationId")) {
      if (id == association_id) {
        return std::move(row);
      }
    }
  }
  return std::nullopt;
}

json::array& routes_of(Doc& table) {
  json::value& v = table["Routes"];
  if (!v.is_array()) {
    v = json::array();
  }
  return v.as_array();
}

json::array& associations_of(Doc& table) {
  json::value& v = table["Associations"];
  if (!v.is_array()) {
    v = json::array();
  }
  return v.as_array();
}

void save(Ec2Store& st, const Doc& table) {
  st.put(Kind::RouteTable, str(table, "RouteTableId"), str(table, "VpcId"), "", table);
}

// The target members of a CreateRoute/ReplaceRoute request, checked against the table's VPC.
protocol::Result<Doc> route_target(Ec2Store& st, const Doc& table, const Doc& in) {
  std::string vpc_id = str(table, "VpcId");
  std::string table_id = str(table, "RouteTableId");
  auto different = [&](std::string_view target) {
    return errors::invalid_parameter_value("route table " + table_id + " and network gateway " +
                                           std::string(target) + " belong to different networks");
  };
  Doc target;
  int given = 0;
  if (std::optional<std::string> gw = opt_str(in, "GatewayId")) {
    ++given;
    if (*gw == "local") {
      return errors::invalid_parameter_value("Cannot create a route to 'local'.");
    }
    std::optional<Doc> igw = st.get(Kind::InternetGateway, *gw);
    if (!igw) {
      return errors::internet_gateway_not_found(*gw);
    }
    if (values_at(*igw, "Attachments.VpcId") != std::vector<std::string>{vpc_id}) {
      return different(*gw);
    }
    target["GatewayId"] = *gw;
  }
  if (std::optional<std::string> nat = opt_str(in, "NatGatewayId")) {
    ++given;
    std::optional<Doc> doc = st.get(Kind::NatGateway, *nat);
    if (!doc || str(*doc, "State") == "deleted") {
      return errors::nat_gateway_not_found(*nat);
    }
    if (str(*doc, "VpcId") != vpc_id) {
      return different(*nat);
    }
    target["NatGatewayId"] = *nat;
  }
  if (std::optional<std::string> eni = opt_str(in, "NetworkInterfaceId")) {
    ++given;
    std::optional<Doc> doc = st.get(Kind::NetworkInterface, *eni);
    if (!doc) {
      return errors::eni_not_found(*eni);
    }
    if (str(*doc, "VpcId") != vpc_id) {
      return different(*eni);
    }
    target["NetworkInterfaceId"] = *eni;
  }
  if (std::optional<std::string> instance = opt_str(in, "InstanceId")) {
    return errors::instance_not_found(*instance);
  }
  for (std::string_view other :
       {"VpcPeeringConnectionId", "TransitGatewayId", "VpcEndpointId",
        "EgressOnlyInternetGatewayId", "LocalGatewayId", "CarrierGatewayId"}) {
    if (std::optional<std::string> id = opt_str(in, other)) {
      return errors::invalid_parameter_value("The " + std::string(other) + " '" + *id +
                                             "' does not exist");
    }
  }
  if (given == 0) {
    return errors::invalid_parameter_combination(
        "No gateway, NAT gateway, network interface or other target was specified.");
  }
  if (given > 1) {
    return errors::invalid_parameter_combination("More than one target was specified.");
  }
  return target;
}

protocol::Result<std::string> destination(const Doc& in) {
  std::optional<std::string> text = opt_str(in, "DestinationCidrBlock");
  if (!text) {
    if (opt_str(in, "DestinationIpv6CidrBlock") || opt_str(in, "DestinationPrefixListId")) {
      return errors::invalid_parameter_value(
          "Only IPv4 destination CIDR blocks are supported by Gantry.");
    }
    return errors::missing_parameter("destinationCidrBlock");
  }
  std::optional<Cidr> cidr = parse_cidr(*text, /*strict=*/false);
  if (!cidr) {
    return errors::invalid_parameter_value("Value (" + *text +
                                           ") for parameter destinationCidrBlock is invalid. This "
                                           "is not a valid CIDR block.");
  }
  return cidr->str();
}

// CreateRoute/ReplaceRoute: the route table `table_id` and the route `in` asks for to `dest`.
struct RouteChange {
  Doc table;
  Doc route;
};
protocol::Result<RouteChange> route_change(Ec2Store& st, const std::string& table_id,
                                           const std::string& dest, const Doc& in) {
  std::optional<Doc> table = st.get(Kind::RouteTable, table_id);
  if (!table) {
    return errors::route_table_not_found(table_id);
  }
  auto target = route_target(st, *table, in);
  if (!target) {
    return target.error();
  }
  Doc route{{"DestinationCidrBlock", dest}, {"Origin", "CreateRoute"}, {"State", "active"}};
  for (const auto& member : *target) {
    route[member.key()] = member.value();
  }
  return RouteChange{std::move(*table), std::move(route)};
}

}  // namespace

Doc Ec2Service::make_route_table(Ec2Store& st, const Doc& vpc, bool main, const json::array& tags) {
  std::string table_id = core::ids::resource_id("rtb");
  json::array routes;
  // Every table routes the VPC's own block locally.
  routes.push_back(Doc{{"DestinationCidrBlock", str(vpc, "CidrBlock")},
                       {"GatewayId", "local"},
                       {"Origin", "CreateRouteTable"},
                       {"State", "active"}});
  json::array associations;
  if (main) {
    associations.push_back(Doc{{"Main", true},
                               {"RouteTableAssociationId", core::ids::resource_id("rtbassoc")},
                               {"RouteTableId", table_id},
                               {"AssociationState", Doc{{"State", "associated"}}}});
  }
  Doc table{{"RouteTableId", table_id},
            {"VpcId", str(vpc, "VpcId")},
            {"OwnerId", st.account()},
            {"Routes", std::move(routes)},
            {"Associations", std::move(associations)},
            {"PropagatingVgws", json::array()},
            {"Tags", tags},
            {"_Main", main}};
  save(st, table);
  return table;
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRouteTable.html
Reply Ec2Service::create_route_table(const Ctx& ctx, const Doc& in) {
  auto tags = tags_from_specifications(ctx, in, "route-table");
  if (!tags) {
    return tags.error();
  }
  std::string vpc_id = str(in, "VpcId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> vpc = st.get(Kind::Vpc, vpc_id);
    if (!vpc) {
      return errors::vpc_not_found(vpc_id);
    }
    return Doc{{"RouteTable", public_view(make_route_table(st, *vpc, false, *tags))}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteRouteTable.html
Reply Ec2Service::delete_route_table(const Ctx& ctx, const Doc& in) {
  std::string table_id = str(in, "RouteTableId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> table = st.get(Kind::RouteTable, table_id);
    if (!table) {
      return errors::route_table_not_found(table_id);
    }
    if (flag(*table, "_Main") || !associations_of(*table).empty()) {
      return errors::dependency_violation("routeTable", table_id);
    }
    st.remove(table_id);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html
Reply Ec2Service::describe_route_tables(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = route_table_filters();
  return describe(ctx, in,
                  {Kind::RouteTable, "RouteTableIds", "RouteTables", &table,
                   [](std::string_view id) { return errors::route_table_not_found(id); }});
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html
Reply Ec2Service::create_route(const Ctx& ctx, const Doc& in) {
  std::string table_id = str(in, "RouteTableId");
  auto dest = destination(in);
  if (!dest) {
    return dest.error();
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto change = route_change(st, table_id, *dest, in);
    if (!change) {
      return change.error();
    }
    for (const json::value& r : routes_of(change->table)) {
      if (str(r.as_object(), "DestinationCidrBlock") == *dest) {
        return errors::route_exists(*dest);
      }
    }
    routes_of(change->table).push_back(std::move(change->route));
    save(st, change->table);
    return Doc{{"Return", true}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRoute.html
Reply Ec2Service::replace_route(const Ctx& ctx, const Doc& in) {
  std::string table_id = str(in, "RouteTableId");
  auto dest = destination(in);
  if (!dest) {
    return dest.error();
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto change = route_change(st, table_id, *dest, in);
    if (!change) {
      return change.error();
    }
    for (json::value& r : routes_of(change->table)) {
      Doc& route = r.as_object();
      if (str(route, "DestinationCidrBlock") != *dest) {
        continue;
      }
      if (str(route, "GatewayId") == "local") {
        return errors::invalid_parameter_value("cannot replace local route " + *dest +
                                               " in route table " + table_id);
      }
      route = std::move(change->route);
      save(st, change->table);
      return Doc{};
    }
    return errors::invalid_parameter_value("There is no route defined for '" + *dest +
                                           "' in the route table. Use CreateRoute instead.");
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteRoute.html
Reply Ec2Service::delete_route(const Ctx& ctx, const Doc& in) {
  std::string table_id = str(in, "RouteTableId");
  auto dest = destination(in);
  if (!dest) {
    return dest.error();
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> table = st.get(Kind::RouteTable, table_id);
    if (!table) {
      return errors::route_table_not_found(table_id);
    }
    json::array& routes = routes_of(*table);
    for (auto it = routes.begin(); it != routes.end(); ++it) {
      if (str(it->as_object(), "DestinationCidrBlock") != *dest) {
        continue;
      }
      if (str(it->as_object(), "GatewayId") == "local") {
        return errors::invalid_parameter_value("cannot remove local route " + *dest +
                                               " in route table " + table_id);
      }
      routes.erase(it);
      save(st, *table);
      return Doc{};
    }
    return errors::route_not_found(*dest, table_id);
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateRouteTable.html
Reply Ec2Service::associate_route_table(const Ctx& ctx, const Doc& in) {
  std::string table_id = str(in, "RouteTableId");
  std::string subnet_id = str(in, "SubnetId");
  if (subnet_id.empty()) {
    if (opt_str(in, "GatewayId")) {
      return errors::invalid_parameter_value("Gateway route table associations are not supported.");
    }
    return errors::missing_parameter("subnetId");
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> table = st.get(Kind::RouteTable, table_id);
    if (!table) {
      return errors::route_table_not_found(table_id);
    }
    std::optional<Doc> subnet = st.get(Kind::Subnet, subnet_id);
    if (!subnet) {
      return errors::subnet_not_found(subnet_id);
    }
    if (str(*subnet, "VpcId") != str(*table, "VpcId")) {
      return errors::invalid_parameter_value("routeTable " + table_id + " and subnet " + subnet_id +
                                             " belong to different networks");
    }
    for (const Row& other : st.list_in_vpc(Kind::RouteTable, str(*table, "VpcId"))) {
      for (const std::string& s : values_at(other.doc, "Associations.SubnetId")) {
        if (s == subnet_id) {
          return errors::already_associated("the specified association for route table " +
                                            table_id + " conflicts with an existing association");
        }
      }
    }
    std::string association_id = core::ids::resource_id("rtbassoc");
    Doc state{{"State", "associated"}};
    associations_of(*table).push_back(Doc{{"Main", false},
                                          {"RouteTableAssociationId", association_id},
                                          {"RouteTableId", table_id},
                                          {"SubnetId", subnet_id},
                                          {"AssociationState", state}});
    save(st, *table);
    return Doc{{"AssociationId", association_id}, {"AssociationState", state}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateRouteTable.html
Reply Ec2Service::disassociate_route_table(const Ctx& ctx, const Doc& in) {
  std::string association_id = str(in, "AssociationId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Row> row = table_with_association(st, association_id);
    if (!row) {
      return errors::association_not_found(association_id);
    }
    json::array& assocs = associations_of(row->doc);
    for (auto it = assocs.begin(); it != assocs.end(); ++it) {
      if (str(it->as_object(), "RouteTableAssociationId") != association_id) {
        continue;
      }
      if (flag(it->as_object(), "Main")) {
        return errors::invalid_parameter_value(
            "cannot disassociate the main route table "
            "association " +
            association_id);
      }
      assocs.erase(it);
      break;
    }
    save(st, row->doc);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRouteTableAssociation.html
// Moves a subnet's association (or the VPC's main association) to another table of the VPC.
Reply Ec2Service::replace_route_table_association(const Ctx& ctx, const Doc& in) {
  std::string association_id = str(in, "AssociationId");
  std::string table_id = str(in, "RouteTableId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Row> old_table = table_with_association(st, association_id);
    if (!old_table) {
      return errors::association_not_found(association_id);
    }
    std::optional<Doc> table = st.get(Kind::RouteTable, table_id);
    if (!table) {
      return errors::route_table_not_found(table_id);
    }
    if (str(*table, "VpcId") != str(old_table->doc, "VpcId")) {
      return errors::invalid_parameter_value("routeTable " + table_id +
                                             " belongs to a different network");
    }
    Doc moved;
    json::array& old_assocs = associations_of(old_table->doc);
    for (auto it = old_assocs.begin(); it != old_assocs.end(); ++it) {
      if (str(it->as_object(), "RouteTableAssociationId") == association_id) {
        moved = it->as_object();
        old_assocs.erase(it);
        break;
      }
    }
    bool main = flag(moved, "Main");
    if (main) {
      old_table->doc["_Main"] = false;
    }
    save(st, old_table->doc);
    table = st.get(Kind::RouteTable, table_id);  // re-read: it may be the same table
    std::string new_id = core::ids::resource_id("rtbassoc");
    moved["RouteTableAssociationId"] = new_id;
    moved["RouteTableId"] = table_id;
    associations_of(*table).push_back(moved);
    if (main) {
      (*table)["_Main"] = true;
    }
    save(st, *table);
    return Doc{{"NewAssociationId", new_id}, {"AssociationState", Doc{{"State", "associated"}}}};
  });
}

}  // namespace services::ec2
