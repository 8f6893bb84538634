#pragma once
// Where a load balancer sits in its VPC: the subnets and security groups a request names,
// checked against EC2 as AWS checks them, and its interfaces (one requester-managed ENI per
// subnet). Private to the load balancer handlers. Call without a store transaction open.

#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "protocol/request_context.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/network_lookup.h"

namespace services::elbv2 {

// The subnet ids a request names, through Subnets or SubnetMappings.
protocol::Result<std::vector<std::string>> requested_subnets(const Doc& in);

// The AvailabilityZones member of a load balancer in `subnets`.
boost::json::array zones_of(const std::vector<SubnetRef>& subnets);

// Subnets as EC2 knows them, with the checks AWS makes: all exist, one VPC, one subnet per
// Availability Zone, at least two zones.
protocol::Result<std::vector<SubnetRef>> resolve_subnets(NetworkLookup& network,
                                                         const protocol::RequestContext& ctx,
                                                         const std::vector<std::string>& ids);

// The security groups `ids` (all in `vpc_id`, duplicates dropped), or the VPC's default group
// when none are named.
protocol::Result<std::vector<std::string>> resolve_groups(NetworkLookup& network,
                                                          const protocol::RequestContext& ctx,
                                                          const std::vector<std::string>& ids,
                                                          const std::string& vpc_id);

// One ENI per subnet, as stored interface documents {SubnetId, ZoneName, EniId, PrivateIp}; on
// failure, releases what it made.
protocol::Result<boost::json::array> allocate_interfaces(NetworkLookup& network,
                                                         const protocol::RequestContext& ctx,
                                                         const std::vector<SubnetRef>& subnets,
                                                         const std::vector<std::string>& groups,
                                                         const std::string& description);

// Releases the ENIs of stored interface documents.
void release_interfaces(NetworkLookup& network, const boost::json::array& interfaces);

}  // namespace services::elbv2
