#pragma once
// What each resource type gives the engine: one implementation per AWS type, each in its own file
// under services/cloudformation/resources/ (<aws_type>.cc), calling the owning service through
// the in-process client, never over HTTP (STYLE.md §1). Providers take resolved properties
// (intrinsics and dynamic references evaluated) and return the physical id and the attributes
// Ref and Fn::GetAtt read, named as the type's "Return values" documentation names them
// ("DNSName", "LoadBalancerFullName", "Arn", "Endpoint.Address").
//
// The stack worker calls a provider from one thread per resource; the resources of one creation
// wave run in parallel, so a provider must be safe to call concurrently for different resources.
// A provider whose resource takes time to settle (an ECS service reaching a steady state)
// returns from create/update once the request is accepted and answers `stabilize` until done,
// the way CloudFormation's handlers report IN_PROGRESS; the worker polls with the injected clock.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/intrinsics.h"

namespace services::cloudformation::engine {

struct ResourceRequest {
  const StackIdentity* stack = nullptr;  // account, region, stack name (generated names)
  std::string logical_id;
  std::string type;
  boost::json::value properties;           // resolved; null when the template gives none
  boost::json::value previous_properties;  // update: what the last operation applied
  std::string physical_id;                 // update, delete, stabilize, read
};

struct ProvisionResult {
  std::string physical_id;         // what Ref gives
  boost::json::object attributes;  // what Fn::GetAtt gives
  // read() only: the live resource's properties, in the template's names (drift detection
  // compares them with the template's); only what the service can tell.
  boost::json::object properties;
};

enum class UpdateBehavior {
  NoInterruption,    // updated in place
  SomeInterruption,  // in place, with a pause (a restart)
  Replacement,       // a new resource is created, then the old one deleted
};

enum class Progress { Done, InProgress };

class ResourceProvider {
 public:
  virtual ~ResourceProvider() = default;

  // Errors are the owning service's AwsError; the worker puts its message in the event's
  // ResourceStatusReason and rolls the stack back.
  virtual protocol::Result<ProvisionResult> create(const ResourceRequest& req) = 0;
  // In place (the behaviour of every changed property is not Replacement).
  virtual protocol::Result<ProvisionResult> update(const ResourceRequest& req) = 0;
  // A resource already gone counts as deleted (CloudFormation's delete is idempotent).
  virtual protocol::Result<void> remove(const ResourceRequest& req) = 0;
  // The live properties and attributes (drift detection, attributes after an update).
  virtual protocol::Result<ProvisionResult> read(const ResourceRequest& req) = 0;
  // How changing `property` updates this type, as its documentation's "Update requires" says.
  virtual UpdateBehavior update_behavior(std::string_view property) const = 0;
  // After create/update: Done once the resource is usable; InProgress to be asked again; an
  // error fails the resource (an ECS service whose deployment circuit breaker tripped).
  virtual protocol::Result<Progress> stabilize(const ResourceRequest& req) {
    return Progress::Done;
  }
};

// The providers by type. A template naming a type without one is refused before anything is
// created ("Template format error: Unrecognized resource types: [...]", check_resource_types).
class ResourceProviders {
 public:
  void add(std::string type, std::unique_ptr<ResourceProvider> provider) {
    providers_[std::move(type)] = std::move(provider);
  }
  ResourceProvider* find(std::string_view type) const {
    auto it = providers_.find(type);
    return it == providers_.end() ? nullptr : it->second.get();
  }
  bool supports(std::string_view type) const { return find(type) != nullptr; }

 private:
  std::map<std::string, std::unique_ptr<ResourceProvider>, std::less<>> providers_;
};

}  // namespace services::cloudformation::engine
