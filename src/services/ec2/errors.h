#pragma once
// EC2's errors, as the EC2 API sends them (code and wording).
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html

#include <string>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::ec2::errors {

using protocol::AwsError;

inline AwsError dry_run() {
  return {"DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412};
}
inline AwsError invalid_parameter_value(std::string m) {
  return {"InvalidParameterValue", std::move(m)};
}
inline AwsError invalid_parameter(std::string m) { return {"InvalidParameter", std::move(m)}; }
inline AwsError invalid_parameter_combination(std::string m) {
  return {"InvalidParameterCombination", std::move(m)};
}
inline AwsError missing_parameter(std::string_view name) {
  return {"MissingParameter", "The request must contain the parameter " + std::string(name)};
}
inline AwsError invalid_filter(std::string_view name) {
  return {"InvalidParameterValue", "The filter '" + std::string(name) + "' is invalid"};
}
inline AwsError invalid_next_token(std::string_view token) {
  return {"InvalidNextToken", "The token '" + std::string(token) + "' is invalid."};
}
inline AwsError invalid_max_results(int64_t value, int min, int max) {
  return {"InvalidParameterValue", "Value ( " + std::to_string(value) +
                                       " ) for parameter maxResults is invalid. Parameter must "
                                       "be between " +
                                       std::to_string(min) + " and " + std::to_string(max) + "."};
}
inline AwsError invalid_id(std::string_view id) {
  return {"InvalidID", "The ID '" + std::string(id) + "' is not valid"};
}

// "<Code>.NotFound": "The vpc ID 'vpc-1' does not exist".
inline AwsError not_found(std::string_view code, std::string_view noun, std::string_view id) {
  return {std::string(code) + ".NotFound",
          "The " + std::string(noun) + " ID '" + std::string(id) + "' does not exist"};
}
inline AwsError vpc_not_found(std::string_view id) { return not_found("InvalidVpcID", "vpc", id); }
inline AwsError subnet_not_found(std::string_view id) {
  return not_found("InvalidSubnetID", "subnet", id);
}
inline AwsError group_not_found(std::string_view id) {
  return {"InvalidGroup.NotFound", "The security group '" + std::string(id) + "' does not exist"};
}
inline AwsError group_name_not_found(std::string_view name, std::string_view vpc_id) {
  return {"InvalidGroup.NotFound", "The security group '" + std::string(name) +
                                       "' does not exist in default VPC '" + std::string(vpc_id) +
                                       "'"};
}
inline AwsError group_id_malformed(std::string_view id) {
  return {"InvalidGroupId.Malformed",
          "The security group ID '" + std::string(id) + "' is malformed"};
}
inline AwsError rule_not_found(std::string_view id) {
  return {"InvalidSecurityGroupRuleId.NotFound",
          "The security group rule ID '" + std::string(id) + "' does not exist"};
}
inline AwsError eni_not_found(std::string_view id) {
  return not_found("InvalidNetworkInterfaceID", "networkInterface", id);
}
inline AwsError route_table_not_found(std::string_view id) {
  return not_found("InvalidRouteTableID", "routeTable", id);
}
inline AwsError internet_gateway_not_found(std::string_view id) {
  return not_found("InvalidInternetGatewayID", "internetGateway", id);
}
inline AwsError allocation_not_found(std::string_view id) {
  return not_found("InvalidAllocationID", "allocation", id);
}
inline AwsError association_not_found(std::string_view id) {
  return not_found("InvalidAssociationID", "association", id);
}
inline AwsError address_not_found(std::string_view ip) {
  return {"InvalidAddress.NotFound", "Address '" + std::string(ip) + "' not found."};
}
inline AwsError nat_gateway_not_found(std::string_view id) {
  return {"NatGatewayNotFound", "The Nat Gateway " + std::string(id) + " was not found"};
}
inline AwsError network_acl_not_found(std::string_view id) {
  return not_found("InvalidNetworkAclID", "networkAcl", id);
}
inline AwsError instance_not_found(std::string_view id) {
  return not_found("InvalidInstanceID", "instance", id);
}

inline AwsError dependency_violation(std::string_view noun, std::string_view id) {
  return {"DependencyViolation", "The " + std::string(noun) + " '" + std::string(id) +
                                     "' has dependencies and cannot be deleted."};
}
inline AwsError group_in_use(std::string_view id) {
  return {"DependencyViolation", "resource " + std::string(id) + " has a dependent object"};
}
inline AwsError cannot_delete_default_group(std::string_view id) {
  return {"CannotDelete", "the specified group: \"" + std::string(id) +
                              "\" name: \"default\" cannot be deleted by a user"};
}

inline AwsError vpc_range(std::string_view cidr) {
  return {"InvalidVpc.Range", "The CIDR '" + std::string(cidr) + "' is invalid."};
}
inline AwsError subnet_range(std::string_view cidr) {
  return {"InvalidSubnet.Range", "The CIDR '" + std::string(cidr) + "' is invalid."};
}
inline AwsError subnet_conflict(std::string_view cidr) {
  return {"InvalidSubnet.Conflict",
          "The CIDR '" + std::string(cidr) + "' conflicts with another subnet"};
}
inline AwsError group_duplicate(std::string_view name, std::string_view vpc_id) {
  return {"InvalidGroup.Duplicate", "The security group '" + std::string(name) +
                                        "' already exists for VPC '" + std::string(vpc_id) + "'"};
}
inline AwsError permission_duplicate(std::string_view rule) {
  return {"InvalidPermission.Duplicate",
          "the specified rule \"" + std::string(rule) + "\" already exists"};
}
inline AwsError permission_not_found() {
  return {"InvalidPermission.NotFound",
          "The specified rule does not exist in this security group."};
}
inline AwsError insufficient_addresses(std::string_view subnet_id) {
  return {"InsufficientFreeAddressesInSubnet",
          "There are not enough free addresses in subnet '" + std::string(subnet_id) +
              "' to satisfy the requested number of instances."};
}
inline AwsError address_in_use(std::string_view ip) {
  return {"InvalidIPAddress.InUse", "Address " + std::string(ip) + " is in use."};
}
inline AwsError already_associated(std::string m) {
  return {"Resource.AlreadyAssociated", std::move(m)};
}
inline AwsError gateway_not_attached(std::string_view igw, std::string_view vpc) {
  return {"Gateway.NotAttached",
          "resource " + std::string(igw) + " is not attached to network " + std::string(vpc)};
}
inline AwsError route_exists(std::string_view destination) {
  return {"RouteAlreadyExists",
          "The route identified by " + std::string(destination) + " already exists."};
}
inline AwsError route_not_found(std::string_view destination, std::string_view table) {
  return {"InvalidRoute.NotFound", "no route with destination-cidr-block " +
                                       std::string(destination) + " in route table " +
                                       std::string(table)};
}
inline AwsError eni_in_use(std::string_view id) {
  return {"InvalidNetworkInterface.InUse",
          "The network interface '" + std::string(id) + "' is currently in use."};
}
inline AwsError address_limit() {
  return {"AddressLimitExceeded", "The maximum number of addresses has been reached."};
}
inline AwsError operation_not_permitted(std::string m) {
  return {"OperationNotPermitted", std::move(m)};
}

}  // namespace services::ec2::errors
