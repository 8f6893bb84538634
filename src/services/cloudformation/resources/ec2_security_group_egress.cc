// AWS::EC2::SecurityGroupEgress
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroupegress.html
// One outbound rule of GroupId to CidrIp, CidrIpv6, DestinationPrefixListId or
// DestinationSecurityGroupId. Ref: the rule id. GetAtt: Id.

#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_security_group_rule.h"

namespace services::cloudformation::resources {

std::unique_ptr<engine::ResourceProvider> make_ec2_security_group_egress(
    const ServiceClient& client) {
  return ec2::make_security_group_rule(client, /*egress=*/true);
}

}  // namespace services::cloudformation::resources
