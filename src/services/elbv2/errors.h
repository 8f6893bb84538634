#pragma once
// ELBv2 errors as the service sends them: wire codes from the botocore model (the shape's
// error.code, e.g. LoadBalancerNotFoundException is sent as LoadBalancerNotFound), messages in
// ELB's wording.

#include <string>

#include "protocol/aws_error.h"

namespace services::elbv2::errors {

using protocol::AwsError;

inline AwsError validation(std::string m) { return {"ValidationError", std::move(m)}; }
inline AwsError invalid_configuration(std::string m) {
  return {"InvalidConfigurationRequest", std::move(m)};
}
inline AwsError load_balancer_not_found(std::string m = "One or more load balancers not found") {
  return {"LoadBalancerNotFound", std::move(m)};
}
inline AwsError target_group_not_found(std::string m = "One or more target groups not found") {
  return {"TargetGroupNotFound", std::move(m)};
}
inline AwsError listener_not_found(std::string m = "One or more listeners not found") {
  return {"ListenerNotFound", std::move(m)};
}
inline AwsError rule_not_found(std::string m = "One or more rules not found") {
  return {"RuleNotFound", std::move(m)};
}
inline AwsError duplicate_load_balancer_name(const std::string& name) {
  return {"DuplicateLoadBalancerName",
          "A load balancer with the same name '" + name + "' exists, but with different settings"};
}
inline AwsError duplicate_target_group_name(const std::string& name) {
  return {"DuplicateTargetGroupName",
          "A target group with the same name '" + name + "' exists, but with different settings"};
}
inline AwsError duplicate_listener(const std::string& lb_arn) {
  return {"DuplicateListener",
          "A listener already exists on this port for this load balancer '" + lb_arn + "'"};
}
inline AwsError priority_in_use(int64_t priority) {
  return {"PriorityInUse", "Priority '" + std::to_string(priority) + "' is currently in use"};
}
inline AwsError resource_in_use(std::string m) { return {"ResourceInUse", std::move(m)}; }
inline AwsError operation_not_permitted(std::string m) {
  return {"OperationNotPermitted", std::move(m)};
}
inline AwsError target_group_association_limit(const std::string& tg_arn) {
  return {"TargetGroupAssociationLimit",
          "The following target groups cannot be associated with more than one load balancer: '" +
              tg_arn + "'"};
}
inline AwsError subnet_not_found(const std::string& subnet_id) {
  return {"SubnetNotFound", "The subnet ID '" + subnet_id + "' is not valid"};
}
inline AwsError invalid_subnet(std::string m) { return {"InvalidSubnet", std::move(m)}; }
inline AwsError invalid_security_group(const std::string& group_id) {
  return {"InvalidSecurityGroup", "Security group '" + group_id + "' does not exist"};
}
inline AwsError invalid_target(std::string m) { return {"InvalidTarget", std::move(m)}; }
inline AwsError invalid_action(std::string m) {
  return {"InvalidLoadBalancerAction", std::move(m)};
}
inline AwsError incompatible_protocols(std::string m) {
  return {"IncompatibleProtocols", std::move(m)};
}
inline AwsError unsupported_protocol(std::string m) {
  return {"UnsupportedProtocol", std::move(m)};
}
inline AwsError duplicate_tag_keys(const std::string& key) {
  return {"DuplicateTagKeys", "Tag key '" + key + "' is duplicated"};
}
inline AwsError too_many_tags() {
  return {"TooManyTags", "You cannot have more than 50 tags per resource"};
}
inline AwsError too_many_rules() {
  return {"TooManyRules", "You've reached the limit on the number of rules per load balancer"};
}
inline AwsError too_many_listeners() {
  return {"TooManyListeners",
          "You've reached the limit on the number of listeners per load balancer"};
}
inline AwsError too_many_target_groups() {
  return {"TooManyTargetGroups", "You've reached the limit on the number of target groups"};
}
inline AwsError too_many_load_balancers() {
  return {"TooManyLoadBalancers", "You've reached the limit on the number of load balancers"};
}
inline AwsError too_many_actions() {
  return {"TooManyActions", "You've reached the limit on the number of actions per rule"};
}
inline AwsError ssl_policy_not_found(const std::string& name) {
  return {"SSLPolicyNotFound", "SSL policy '" + name + "' not found"};
}
inline AwsError too_many_certificates() {
  return {"TooManyCertificates",
          "You've reached the limit on the number of certificates per load balancer"};
}
inline AwsError certificate_not_found(std::string m) {
  return {"CertificateNotFound", std::move(m)};
}

}  // namespace services::elbv2::errors
