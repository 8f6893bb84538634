#pragma once
// What every resource provider calls the owning service with: the in-process client
// (protocol::ServiceRegistry::call, the HTTP path's validation included), as the stack's account
// root in the stack's region, never over HTTP (STYLE.md §1).
//
//   ServiceClient client(registry);
//   auto out = client.call(*req.stack, "ec2", "CreateVpc", {{"CidrBlock", "10.0.0.0/16"}});
//
// Also the helpers each provider would otherwise repeat: CloudFormation's generated physical
// names, reading resolved properties.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "protocol/aws_error.h"
#include "protocol/service_registry.h"
#include "services/cloudformation/engine/intrinsics.h"
#include "services/cloudformation/engine/resource_provider.h"

namespace services::cloudformation::resources {

class ServiceClient {
 public:
  // `clock` (null: unscaled) gives the time scale of the providers' waits (--time-scale).
  explicit ServiceClient(const protocol::ServiceRegistry& registry,
                         const core::Clock* clock = nullptr)
      : registry_(registry), clock_(clock) {}

  // The call is CloudFormation's (RequestContext::called_via): the services accept the reserved
  // aws:cloudformation:* tags from it.
  protocol::Result<boost::json::object> call(const engine::StackIdentity& stack,
                                             std::string_view service, std::string_view operation,
                                             const boost::json::object& input) const;

  // How long an AWS duration lasts here: divided by the clock's time scale, as every other wait
  // in Gantry (CloudFormation's three hours for an ECS service last 108 s at --time-scale 100).
  std::chrono::milliseconds scaled(std::chrono::milliseconds aws_duration) const {
    return clock_
               ? std::chrono::duration_cast<std::chrono::milliseconds>(clock_->scaled(aws_duration))
               : aws_duration;
  }

 private:
  const protocol::ServiceRegistry& registry_;
  const core::Clock* clock_;
};

// The name CloudFormation generates for a resource whose name property is not given:
// "<stack>-<logical id>-<13 random upper-case letters and digits>", the stack and logical id
// parts shortened so that the whole fits `max_length`; lower-cased when `lower` (ECR repository
// names, S3 buckets). Load balancer and target group names (32) keep only [A-Za-z0-9-].
std::string generated_name(const engine::StackIdentity& stack, std::string_view logical_id,
                           std::size_t max_length, bool lower = false);

// The resolved properties as an object ({} when the template gives none).
const boost::json::object& properties(const boost::json::value& v);

// Whether property `key` differs between an update's properties and its previous properties
// (present in one and not the other counts).
bool changed(const engine::ResourceRequest& req, std::string_view key);

// The tags CloudFormation gives every taggable resource it creates, as [{Key, Value}]: its own
// (aws:cloudformation:stack-name, aws:cloudformation:logical-id, aws:cloudformation:stack-id),
// then the stack's Tags (CreateStack/UpdateStack), then the template's `Tags` list when
// `template_tags` is given; a template tag wins over a stack tag with the same key. The services
// accept the reserved aws: keys because ServiceClient's calls are CloudFormation's
// (RequestContext::called_via).
boost::json::array stack_tags(const engine::ResourceRequest& req,
                              const boost::json::value* template_tags = nullptr);

// The error CloudFormation's schema check gives before calling a handler:
// ValidationError "Properties validation failed for resource <logical id> with message:
// #: required key [<name>] not found".
protocol::AwsError missing_property(const engine::ResourceRequest& req, std::string_view name);

}  // namespace services::cloudformation::resources
