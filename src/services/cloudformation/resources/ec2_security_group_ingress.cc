// AWS::EC2::SecurityGroupIngress
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroupingress.html
// One inbound rule of GroupId (or GroupName, a default-VPC group) from CidrIp, CidrIpv6,
// SourcePrefixListId or SourceSecurityGroupId/Name. Ref: the rule id. GetAtt: Id.

#include "services/cloudformation/resources/ec2_providers.h"
#include "services/cloudformation/resources/ec2_security_group_rule.h"

namespace services::cloudformation::resources {

std::unique_ptr<engine::ResourceProvider> make_ec2_security_group_ingress(
    const ServiceClient& client) {
  return ec2::make_security_group_rule(client, /*egress=*/false);
}

}  // namespace services::cloudformation::resources
