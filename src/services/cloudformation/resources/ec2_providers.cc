// The ec2 group's providers (providers.h): one add() per type, each type in its own file.

#include "services/cloudformation/resources/ec2_providers.h"

#include "services/cloudformation/resources/providers.h"

namespace services::cloudformation::resources {

void add_ec2_providers(engine::ResourceProviders& out, const ServiceClient& client) {
  out.add("AWS::EC2::VPC", make_ec2_vpc(client));
  out.add("AWS::EC2::Subnet", make_ec2_subnet(client));
  out.add("AWS::EC2::InternetGateway", make_ec2_internet_gateway(client));
  out.add("AWS::EC2::VPCGatewayAttachment", make_ec2_vpc_gateway_attachment(client));
  out.add("AWS::EC2::RouteTable", make_ec2_route_table(client));
  out.add("AWS::EC2::Route", make_ec2_route(client));
  out.add("AWS::EC2::SubnetRouteTableAssociation", make_ec2_subnet_route_table_association(client));
  out.add("AWS::EC2::SecurityGroup", make_ec2_security_group(client));
  out.add("AWS::EC2::SecurityGroupIngress", make_ec2_security_group_ingress(client));
  out.add("AWS::EC2::SecurityGroupEgress", make_ec2_security_group_egress(client));
  out.add("AWS::EC2::EIP", make_ec2_eip(client));
  out.add("AWS::EC2::NatGateway", make_ec2_nat_gateway(client));
}

}  // namespace services::cloudformation::resources
