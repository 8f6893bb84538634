#pragma once
// Security-group rules between their two wire forms: IpPermissions (what Authorize/Revoke take
// and DescribeSecurityGroups shows: one protocol and port range, many peers) and
// SecurityGroupRules (what DescribeSecurityGroupRules shows and Gantry stores: one peer each).

#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/ec2/ec2_docs.h"
#include "services/ec2/ec2_store.h"
#include "services/ec2/network_directory.h"

namespace services::ec2 {

// "tcp"/"6" → "tcp", "udp"/"17" → "udp", "icmp"/"1" → "icmp", "icmpv6"/"58" → "icmpv6",
// "-1"/"all" → "-1", another number 0..255 as is; anything else is InvalidParameterValue.
protocol::Result<std::string> normalize_protocol(std::string_view text);

// Expands the request's permissions (IpPermissions, or the legacy top-level CidrIp, IpProtocol,
// FromPort, ToPort, SourceSecurityGroupName members) into rule documents of `group`, one per
// peer, without ids: {IsEgress, IpProtocol, FromPort, ToPort, and one of CidrIpv4, CidrIpv6,
// PrefixListId, ReferencedGroupInfo{GroupId, UserId}; Description when given}. Source groups
// named by id or name must exist in the group's VPC.
protocol::Result<std::vector<Doc>> expand_permissions(Ec2Store& st, const Doc& group, const Doc& in,
                                                      bool egress);

// What makes two rules the same rule: direction, protocol, ports and peer.
std::string rule_key(const Doc& rule);
// "peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW", as EC2 quotes a duplicate rule.
std::string describe_rule(const Doc& rule);

// Groups rule documents (already one direction) into IpPermissions, in first-seen order.
boost::json::array to_ip_permissions(const std::vector<Doc>& rules);
// The same grouping for the netplane.
std::vector<PermissionInfo> to_permission_infos(const std::vector<Doc>& rules);

}  // namespace services::ec2
