#pragma once
// What AWS::EC2::SecurityGroupIngress and AWS::EC2::SecurityGroupEgress share: one rule of an
// existing group, authorized on create and revoked on delete, named by its rule id.

#include <memory>

#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources::ec2 {

// The provider of an ingress (`egress` false) or egress rule resource.
std::unique_ptr<engine::ResourceProvider> make_security_group_rule(const ServiceClient& client,
                                                                   bool egress);

}  // namespace services::cloudformation::resources::ec2
