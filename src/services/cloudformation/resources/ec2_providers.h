#pragma once
// The EC2 group's providers (providers.h), one AWS type per file ec2_<type>.cc, over the
// in-process client: what add_ec2_providers registers.

#include <memory>

#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources {

std::unique_ptr<engine::ResourceProvider> make_ec2_vpc(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_subnet(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_internet_gateway(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_vpc_gateway_attachment(
    const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_route_table(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_route(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_subnet_route_table_association(
    const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_security_group(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_security_group_ingress(
    const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_security_group_egress(
    const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_eip(const ServiceClient& client);
std::unique_ptr<engine::ResourceProvider> make_ec2_nat_gateway(const ServiceClient& client);

}  // namespace services::cloudformation::resources
